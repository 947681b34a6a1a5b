/**
 * `Quantity` against k8s.io/apimachinery `pkg/api/resource` (v1.35). Tables follow upstream's
 * quantity_test.go (TestQuantityParse, TestQuantityParseZero, TestQuantityParseNonNumericPanic,
 * TestQuantityString, TestQuantityParseEmit, TestQuantityCmp, TestQuantityNeg, the Add/Sub zero
 * tests); every expectation was worked out by hand from the Go source.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseQuantity,
  Quantity,
  QuantityError,
  type QuantityFormat,
} from "../../src/model/quantity.ts";

/** The exact value of `q` as a plain decimal string, independent of `toString`. */
function plain(q: Quantity): string {
  const neg = q.unscaled < 0n;
  let digits = (neg ? -q.unscaled : q.unscaled).toString();
  let out: string;
  if (q.scale <= 0) out = digits + "0".repeat(-q.scale);
  else {
    digits = digits.padStart(q.scale + 1, "0");
    const int = digits.slice(0, digits.length - q.scale);
    const frac = digits.slice(digits.length - q.scale).replace(/0+$/, "");
    out = frac === "" ? int : `${int}.${frac}`;
  }
  if (/^0+(\.0*)?$/.test(out)) return "0";
  return neg ? `-${out}` : out;
}

function negate(value: string): string {
  return value === "0" ? "0" : `-${value}`;
}

/** The error `fn` throws, asserting it is a `QuantityError`. */
function quantityErrorOf(fn: () => unknown): QuantityError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuantityError);
    return e as QuantityError;
  }
  throw new Error("expected a QuantityError, nothing was thrown");
}

const MAX_INT64 = "9223372036854775807";

/** [input, exact value, format]: upstream TestQuantityParse's table. */
const PARSE_TABLE: readonly (readonly [string, string, QuantityFormat])[] = [
  ["0", "0", "DecimalSI"],
  ["0n", "0", "DecimalSI"],
  ["0u", "0", "DecimalSI"],
  ["0m", "0", "DecimalSI"],
  ["0Ki", "0", "BinarySI"],
  ["0k", "0", "DecimalSI"],
  ["0Mi", "0", "BinarySI"],
  ["0M", "0", "DecimalSI"],
  ["0Gi", "0", "BinarySI"],
  ["0G", "0", "DecimalSI"],
  ["0Ti", "0", "BinarySI"],
  ["0T", "0", "DecimalSI"],
  // Quantity-less numbers are allowed.
  ["1", "1", "DecimalSI"],
  // Binary suffixes.
  ["1Ki", "1024", "BinarySI"],
  ["8Ki", "8192", "BinarySI"],
  ["7Mi", "7340032", "BinarySI"],
  ["6Gi", "6442450944", "BinarySI"],
  ["5Ti", "5497558138880", "BinarySI"],
  ["4Pi", "4503599627370496", "BinarySI"],
  ["3Ei", "3458764513820540928", "BinarySI"],
  ["10Ti", "10995116277760", "BinarySI"],
  ["100Ti", "109951162777600", "BinarySI"],
  // Decimal suffixes.
  ["5n", "0.000000005", "DecimalSI"],
  ["4u", "0.000004", "DecimalSI"],
  ["3m", "0.003", "DecimalSI"],
  ["9", "9", "DecimalSI"],
  ["8k", "8000", "DecimalSI"],
  ["50k", "50000", "DecimalSI"],
  ["7M", "7000000", "DecimalSI"],
  ["6G", "6000000000", "DecimalSI"],
  ["5T", "5000000000000", "DecimalSI"],
  ["40T", "40000000000000", "DecimalSI"],
  ["300T", "300000000000000", "DecimalSI"],
  ["2P", "2000000000000000", "DecimalSI"],
  ["1E", "1000000000000000000", "DecimalSI"],
  // Decimal exponents.
  ["1E-3", "0.001", "DecimalExponent"],
  ["1e3", "1000", "DecimalExponent"],
  ["1E6", "1000000", "DecimalExponent"],
  ["1e9", "1000000000", "DecimalExponent"],
  ["1E12", "1000000000000", "DecimalExponent"],
  ["1e15", "1000000000000000", "DecimalExponent"],
  ["1E18", "1000000000000000000", "DecimalExponent"],
  // Nonstandard but still parsable.
  ["1e14", "100000000000000", "DecimalExponent"],
  ["1e13", "10000000000000", "DecimalExponent"],
  ["100.035k", "100035", "DecimalSI"],
  // Things that look like floating point.
  ["0.001", "0.001", "DecimalSI"],
  ["0.0005k", "0.5", "DecimalSI"],
  ["0.005", "0.005", "DecimalSI"],
  ["0.05", "0.05", "DecimalSI"],
  ["0.5", "0.5", "DecimalSI"],
  ["0.00050k", "0.5", "DecimalSI"],
  ["0.00500", "0.005", "DecimalSI"],
  ["0.05000", "0.05", "DecimalSI"],
  ["0.50000", "0.5", "DecimalSI"],
  ["0.5e0", "0.5", "DecimalExponent"],
  ["0.5e-1", "0.05", "DecimalExponent"],
  ["0.5e-2", "0.005", "DecimalExponent"],
  ["10.035M", "10035000", "DecimalSI"],
  ["1.2e3", "1200", "DecimalExponent"],
  ["1.3E+6", "1300000", "DecimalExponent"],
  ["1.40e9", "1400000000", "DecimalExponent"],
  ["1.53E12", "1530000000000", "DecimalExponent"],
  ["1.6e15", "1600000000000000", "DecimalExponent"],
  ["1.7E18", "1700000000000000000", "DecimalExponent"],
  ["9.01", "9.01", "DecimalSI"],
  ["8.1k", "8100", "DecimalSI"],
  ["7.123456M", "7123456", "DecimalSI"],
  ["6.987654321G", "6987654321", "DecimalSI"],
  ["5.444T", "5444000000000", "DecimalSI"],
  ["40.1T", "40100000000000", "DecimalSI"],
  ["300.2T", "300200000000000", "DecimalSI"],
  ["2.5P", "2500000000000000", "DecimalSI"],
  ["1.01E", "1010000000000000000", "DecimalSI"],
  // Things that saturate or round (up, away from zero, to nano).
  ["3.001n", "0.000000004", "DecimalSI"],
  ["1.1E-9", "0.000000002", "DecimalExponent"],
  ["0.0000000001", "0.000000001", "DecimalSI"],
  ["0.0000000005", "0.000000001", "DecimalSI"],
  ["0.00000000050", "0.000000001", "DecimalSI"],
  ["0.5e-9", "0.000000001", "DecimalExponent"],
  ["0.9n", "0.000000001", "DecimalSI"],
  ["0.00000012345", "0.000000124", "DecimalSI"],
  ["0.00000012354", "0.000000124", "DecimalSI"],
  ["9Ei", MAX_INT64, "BinarySI"],
  ["9223372036854775807Ki", MAX_INT64, "BinarySI"],
  ["12E", "12000000000000000000", "DecimalSI"],
  // Fractional binary values.
  ["100.035Ki", "102435.84", "BinarySI"],
  ["0.5Mi", "524288", "BinarySI"],
  ["0.05Gi", "53687091.2", "BinarySI"],
  ["0.025Ti", "27487790694.4", "BinarySI"],
  // Things written by trolls.
  ["0.000000000001Ki", "0.000000002", "DecimalSI"], // rounds up, changes format
  [".001", "0.001", "DecimalSI"],
  [".0001k", "0.1", "DecimalSI"],
  ["1.", "1", "DecimalSI"],
  ["1.G", "1000000000", "DecimalSI"],
];

describe("Quantity.parse: upstream TestQuantityParse", () => {
  it.each(PARSE_TABLE)("%s is %s (%s)", (input, value, format) => {
    const q = Quantity.parse(input);
    expect(plain(q)).toBe(value);
    expect(q.format).toBe(format);
  });

  it.each(PARSE_TABLE)("-%s is the negation of %s (%s)", (input, value, format) => {
    const q = Quantity.parse(`-${input}`);
    expect(plain(q)).toBe(negate(value));
    expect(q.format).toBe(format);
  });

  it.each(PARSE_TABLE)("+%s is %s (%s)", (input, value, format) => {
    const q = Quantity.parse(`+${input}`);
    expect(plain(q)).toBe(value);
    expect(q.format).toBe(format);
  });
});

describe("Quantity.parse: what upstream's scanner also accepts", () => {
  it.each([
    // Digits may be missing: the scanner substitutes "0".
    [".", "0", "DecimalSI"],
    ["-.", "0", "DecimalSI"],
    ["+", "0", "DecimalSI"],
    ["-", "0", "DecimalSI"],
    ["-0", "0", "DecimalSI"],
    ["00", "0", "DecimalSI"],
    ["m", "0", "DecimalSI"],
    ["Ki", "0", "BinarySI"],
    ["Ti", "0", "BinarySI"],
    ["e3", "0", "DecimalExponent"],
    [".e5", "0", "DecimalExponent"],
    ["0e-20", "0", "DecimalExponent"],
    // Leading zeros, bare fractions and exponents with a sign or leading zeros.
    ["007", "7", "DecimalSI"],
    ["5.", "5", "DecimalSI"],
    [".5", "0.5", "DecimalSI"],
    ["1e+3", "1000", "DecimalExponent"],
    ["1e03", "1000", "DecimalExponent"],
    ["1e0", "1", "DecimalExponent"],
    ["1E", "1000000000000000000", "DecimalSI"],
    ["-3.001n", "-0.000000004", "DecimalSI"],
    // v1.35 narrows the exponent to int32: 4294967297 = 2^32 + 1 becomes 1.
    ["1e4294967297", "10", "DecimalExponent"],
    // More than 18 digits goes through inf.Dec; decimal values are not capped.
    ["18446744073709551616", "18446744073709551616", "DecimalSI"],
    ["1e30", `1${"0".repeat(30)}`, "DecimalExponent"],
    ["1.0001", "1.0001", "DecimalSI"],
    ["1.5Gi", "1610612736", "BinarySI"],
    ["1.1Ki", "1126.4", "BinarySI"],
    ["0.5Ki", "512", "BinarySI"],
    ["0.0001Ki", "0.1024", "DecimalSI"], // under 1: recorded as DecimalSI
    ["-9Ei", `-${MAX_INT64}`, "BinarySI"], // the cap applies to the magnitude
    ["8Ei", MAX_INT64, "BinarySI"],
    ["7Ei", "8070450532247928832", "BinarySI"],
  ] as const)("%s is %s (%s)", (input, value, format) => {
    const q = Quantity.parse(input);
    expect(plain(q)).toBe(value);
    expect(q.format).toBe(format);
  });
});

describe("Quantity.parse: invalid input", () => {
  it.each([
    // upstream's invalid list, and TestQuantityParseNonNumericPanic, and the empty string
    "1.1.M",
    "1+1.0M",
    "0.1mi",
    "0.1am",
    "aoeu",
    ".5i",
    "1i",
    "-3.01i",
    "-3.01e-",
    " 1",
    "1 ",
    "Non-Numeric",
    "",
    // more
    "1.5q",
    "1.0.0",
    "1Kib",
    "1ki",
    "1KI",
    "1e",
    "1E+",
    "1e1.5",
    "1e3e3",
    "1ee3",
    "1m5",
    "--1",
    "+-1",
    "1e9223372036854775808", // past int64: strconv.ParseInt fails
    "Pi", // no digits on the inf.Dec path
    "Ei",
    "+Ei",
    ".Ei",
    "e-10",
    "0x10",
    "1_000",
    "1,5",
    "1\n",
    "\t1",
    "１",
    "NaN",
    "Infinity",
  ])("%j is rejected with the exact message", (input) => {
    const e = quantityErrorOf(() => Quantity.parse(input));
    expect(e.message).toBe(`"${input}" is not a valid quantity`);
    expect(e.input).toBe(input);
    expect(e.name).toBe("QuantityError");
  });
});

describe("Quantity.toString", () => {
  it("prints zero as 0 (TestQuantityParseZero)", () => {
    expect(Quantity.parse("0").toString()).toBe("0");
    expect(Quantity.ZERO.toString()).toBe("0");
    expect(Quantity.parse("0Ki").toString()).toBe("0");
    expect(Quantity.parse("0e3").toString()).toBe("0");
    expect(Quantity.parse("-0.000").toString()).toBe("0");
  });

  /** [unscaled, scale, format, canonical, alternate spelling]: upstream TestQuantityString. */
  const table: readonly (readonly [bigint, number, QuantityFormat, string, string])[] = [
    [1024n * 1024n * 1024n, 0, "BinarySI", "1Gi", "1024Mi"],
    [300n * 1024n * 1024n, 0, "BinarySI", "300Mi", "307200Ki"],
    [6n * 1024n, 0, "BinarySI", "6Ki", ""],
    [1001n * 1024n * 1024n * 1024n, 0, "BinarySI", "1001Gi", "1025024Mi"],
    [1024n * 1024n * 1024n * 1024n, 0, "BinarySI", "1Ti", "1024Gi"],
    [5n, 0, "BinarySI", "5", "5000m"],
    [500n, 3, "BinarySI", "500m", "0.5"],
    [1n, -9, "DecimalSI", "1G", "1000M"],
    [1000n, -6, "DecimalSI", "1G", "0.001T"],
    [1000000n, -3, "DecimalSI", "1G", ""],
    [1000000000n, 0, "DecimalSI", "1G", ""],
    [1n, 3, "DecimalSI", "1m", "1000u"],
    [80n, 3, "DecimalSI", "80m", ""],
    [1080n, 3, "DecimalSI", "1080m", "1.08"],
    [108n, 2, "DecimalSI", "1080m", "1080000000n"],
    [10800n, 4, "DecimalSI", "1080m", ""],
    [300n, -6, "DecimalSI", "300M", ""],
    [1n, -12, "DecimalSI", "1T", ""],
    [1n, -18, "DecimalSI", "1E", ""],
    [1234567n, -6, "DecimalSI", "1234567M", ""],
    [1234567n, 3, "BinarySI", "1234567m", ""],
    [3n, -3, "DecimalSI", "3k", ""],
    [1025n, 0, "BinarySI", "1025", ""],
    [1n, -9, "DecimalExponent", "1e9", ".001e12"],
    [1n, 3, "DecimalExponent", "1e-3", "0.001e0"],
    [1n, 9, "DecimalExponent", "1e-9", "1000e-12"],
    [80n, 3, "DecimalExponent", "80e-3", ""],
    [300n, -6, "DecimalExponent", "300e6", ""],
    [1n, -12, "DecimalExponent", "1e12", ""],
    [1n, -3, "DecimalExponent", "1e3", ""],
    [3n, -3, "DecimalExponent", "3e3", ""],
    [1n, 9, "DecimalSI", "1n", ""],
    [80n, 9, "DecimalSI", "80n", ""],
    [1080n, 9, "DecimalSI", "1080n", ""],
    [108n, 8, "DecimalSI", "1080n", ""],
    [10800n, 10, "DecimalSI", "1080n", ""],
    [1n, 6, "DecimalSI", "1u", ""],
    [80n, 6, "DecimalSI", "80u", ""],
    [1080n, 6, "DecimalSI", "1080u", ""],
  ];

  it.each(table)("%s×10^-%s %s prints %s", (unscaled, scale, format, canonical, alternate) => {
    const q = new Quantity(unscaled, scale, format);
    expect(q.toString()).toBe(canonical);
    expect(q.neg().toString()).toBe(`-${canonical}`);
    const reparsed = Quantity.parse(canonical);
    expect(reparsed.toString()).toBe(canonical);
    expect(reparsed.cmp(q)).toBe(0);
    if (alternate !== "") {
      const alt = Quantity.parse(alternate);
      expect(alt.toString()).toBe(canonical);
      expect(alt.cmp(q)).toBe(0);
    }
  });

  it.each([
    // upstream TestQuantityParseEmit
    ["1Ki", "1Ki"],
    ["1Mi", "1Mi"],
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1000M", "1G"],
    [".001Ki", "1024m"],
    [".000001Ki", "1024u"],
    [".000000001Ki", "1024n"],
    [".000000000001Ki", "2n"],
    // more canonical forms
    ["100m", "100m"],
    ["1.5", "1500m"],
    ["0.1", "100m"],
    ["0.5", "500m"],
    ["1000m", "1"],
    ["1.0", "1"],
    ["2000", "2k"],
    ["1.0001", "1000100u"],
    ["1e3", "1e3"],
    ["1000e0", "1e3"],
    ["1.5e3", "1500"],
    ["1e-7", "100e-9"],
    ["1.5Gi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1.1Ki", "1126400m"],
    ["1000Ki", "1000Ki"],
    ["1024Ki", "1Mi"],
    ["0.0001Ki", "102400u"],
    ["100.035Ki", "102435840m"],
    ["9Ei", MAX_INT64],
    ["7Ei", "7Ei"],
    ["18446744073709551616", "18446744073709551616"],
    ["1e4294967297", "10"],
  ])("%s prints %s, and its negation with a minus", (input, expected) => {
    expect(Quantity.parse(input).toString()).toBe(expected);
    expect(Quantity.parse(`-${input}`).toString()).toBe(`-${expected}`);
  });

  it.each([
    // The fast parse path keeps a canonical-looking input verbatim as String()'s result.
    ["+1", "+1"],
    ["01", "01"],
    ["1.500", "1.500"],
    ["1.001", "1.001"],
    ["+1Ki", "+1Ki"],
    ["1025Ki", "1025Ki"],
    ["1E3", "1E3"],
    ["1E+3", "1E+3"],
    ["10e3", "10e3"],
    ["12E", "12E"],
  ])("%s prints as written (%s), as upstream's cached string", (input, expected) => {
    const q = Quantity.parse(input);
    expect(q.toString()).toBe(expected);
    // Arithmetic drops the cache.
    expect(q.add(Quantity.ZERO).toString()).toBe(
      new Quantity(q.unscaled, q.scale, q.format).toString(),
    );
  });

  it("drops the cache on arithmetic: +1 + 0 prints 1, 1.500 + 0 prints 1500m", () => {
    expect(Quantity.parse("+1").add(Quantity.ZERO).toString()).toBe("1");
    expect(Quantity.parse("1.500").add(Quantity.ZERO).toString()).toBe("1500m");
    expect(Quantity.parse("1.500").neg().toString()).toBe("-1500m");
  });

  it("writes a BinarySI value as DecimalSI under 1024 or when fractional", () => {
    expect(Quantity.fromInt(1023, "BinarySI").toString()).toBe("1023");
    expect(Quantity.fromInt(-1023, "BinarySI").toString()).toBe("-1023");
    expect(Quantity.fromInt(1024, "BinarySI").toString()).toBe("1Ki");
    expect(Quantity.fromInt(1536, "BinarySI").toString()).toBe("1536");
    expect(Quantity.fromInt(2048, "BinarySI").toString()).toBe("2Ki");
    expect(Quantity.fromMilli(1500, "BinarySI").toString()).toBe("1500m");
    expect(Quantity.fromMilli(2048500, "BinarySI").toString()).toBe("2048500m");
  });

  it("keeps v1.35's missing suffix past E and Ei (the mantissa alone)", () => {
    expect(Quantity.parse("1000E").toString()).toBe("1");
    expect(Quantity.parse("5000E").toString()).toBe("5");
    expect(new Quantity(1n, -21, "DecimalExponent").toString()).toBe("1e21");
    expect(new Quantity(1n << 70n, 0, "BinarySI").toString()).toBe("1");
  });

  it("prints the extreme exponents of int32-wrapped parses without writing them out", () => {
    // 2147483647 % 3 = 1: one step down to a multiple of 3.
    expect(Quantity.parse("1e2147483647").toString()).toBe("10e2147483646");
    expect(Quantity.parse("1e2147483646").toString()).toBe("1e2147483646");
    expect(Quantity.parse("1e-2147483647").toString()).toBe("1e-9"); // rounded up to nano
  });
});

describe("milliValue and value", () => {
  it.each([
    // [input, milliValue, value]
    ["1.0001", 1001n, 2n],
    ["1n", 1n, 1n],
    ["100m", 100n, 1n],
    ["0.5", 500n, 1n],
    ["1", 1000n, 1n],
    ["+1", 1000n, 1n],
    ["-1", -1000n, -1n],
    ["1Ki", 1024000n, 1024n],
    ["1Gi", 1073741824000n, 1073741824n],
    ["1G", 1000000000000n, 1000000000n],
    ["1e3", 1000000n, 1000n],
    ["1E-3", 1n, 1n],
    ["1.5Gi", 1610612736000n, 1610612736n],
    ["1.1Ki", 1126400n, 1127n],
    ["0.0001Ki", 103n, 1n],
    ["0.0000000001", 1n, 1n],
    ["1.000000001", 1001n, 2n],
    ["9Ei", 9223372036854775807000n, 9223372036854775807n],
    ["0", 0n, 0n],
    ["-0.000", 0n, 0n],
    // Negative values held as an int64Amount round away from zero.
    ["-1.5", -1500n, -2n],
    ["-1.5m", -2n, -1n],
    ["-1n", -1n, -1n],
    ["-100m", -100n, -1n],
    // Negative values held as an inf.Dec truncate and then add one when inexact.
    ["-0.0000000001", 1n, 1n],
    ["-0.001Ki", -1024n, 0n],
    ["-1.1Ki", -1126400n, -1125n],
    ["-1.5Gi", -1610612736000n, -1610612736n],
  ] as const)("%s: milliValue %s, value %s", (input, milli, units) => {
    const q = Quantity.parse(input);
    expect(q.milliValue()).toBe(milli);
    expect(q.value()).toBe(units);
  });

  it("takes the ceiling for an inf.Dec whose scale is 19 or more past the target", () => {
    // 0e-20 is an inf.Dec zero of scale 20; a sum takes the larger scale (inf.Dec Add).
    const sum = Quantity.parse("0e-20").add(Quantity.parse("-0.001Ki"));
    expect(plain(sum)).toBe("-1.024");
    expect(sum.format).toBe("BinarySI");
    expect(sum.value()).toBe(-1n); // big.Int path: ceil(-1.024)
    expect(sum.milliValue()).toBe(-1024n);
  });

  it("returns the exact value past int64 (upstream's result is undefined there)", () => {
    expect(Quantity.parse("1e30").value()).toBe(10n ** 30n);
    expect(Quantity.parse("12E").milliValue()).toBe(12n * 10n ** 21n);
  });

  it("throws RangeError rather than writing out an astronomically large value", () => {
    expect(() => Quantity.parse("1e2147483647").value()).toThrow(RangeError);
  });
});

describe("fromInt and fromMilli", () => {
  it("build int64 quantities", () => {
    expect(Quantity.fromInt(2).toString()).toBe("2");
    expect(Quantity.fromInt(2).format).toBe("DecimalSI");
    expect(Quantity.fromInt(2000n).toString()).toBe("2k");
    expect(Quantity.fromInt(1024, "BinarySI").toString()).toBe("1Ki");
    expect(Quantity.fromInt(3, "DecimalExponent").toString()).toBe("3");
    expect(Quantity.fromInt(3000, "DecimalExponent").toString()).toBe("3e3");
    expect(Quantity.fromMilli(1500).toString()).toBe("1500m");
    expect(Quantity.fromMilli(1000).toString()).toBe("1");
    expect(Quantity.fromMilli(1500).milliValue()).toBe(1500n);
    expect(Quantity.fromMilli(1500).value()).toBe(2n);
    expect(Quantity.fromMilli(-1500).value()).toBe(-2n); // int64Amount: away from zero
    expect(Quantity.fromInt(9223372036854775807n).value()).toBe(9223372036854775807n);
    expect(Quantity.fromInt(-9223372036854775808n).milliValue()).toBe(-9223372036854775808000n);
  });

  it("reject non-integers and values outside int64", () => {
    expect(() => Quantity.fromInt(1.5)).toThrow(RangeError);
    expect(() => Quantity.fromInt(Number.NaN)).toThrow(RangeError);
    expect(() => Quantity.fromInt(2 ** 60)).toThrow(RangeError); // not a safe integer
    expect(() => Quantity.fromInt(2n ** 63n)).toThrow(RangeError);
    expect(() => Quantity.fromMilli(-(2n ** 63n) - 1n)).toThrow(RangeError);
  });

  it("new Quantity takes an exact decimal and rejects a non-int32 scale", () => {
    const q = new Quantity(15n, 1);
    expect(plain(q)).toBe("1.5");
    expect(q.format).toBe("DecimalSI");
    expect(new Quantity(5n, -0).scale).toBe(0);
    expect(Object.is(new Quantity(5n, -0).scale, 0)).toBe(true);
    expect(() => new Quantity(1n, 0.5)).toThrow(RangeError);
    expect(() => new Quantity(1n, 2 ** 31)).toThrow(RangeError);
  });
});

describe("arithmetic and comparison", () => {
  it.each(["100m", "1Gi"])(
    "%s + 0 and 0 + %s keep the suffix (TestQuantityAddZeroPreservesSuffix)",
    (s) => {
      const zero = Quantity.parse("0");
      const value = Quantity.parse(s);
      expect(value.add(zero).toString()).toBe(s);
      expect(zero.add(value).toString()).toBe(s);
      expect(Quantity.ZERO.add(value).format).toBe(value.format);
    },
  );

  it.each(["100m", "1Gi"])(
    "%s − 0 and 0 − %s keep the suffix (TestQuantitySubZeroPreservesSuffix)",
    (s) => {
      const zero = Quantity.parse("0");
      const value = Quantity.parse(s);
      expect(value.sub(zero).toString()).toBe(s);
      expect(zero.sub(value).toString()).toBe(value.neg().toString());
      expect(zero.sub(value).toString()).toBe(`-${s}`);
    },
  );

  it("adds and subtracts exactly, keeping the left operand's format", () => {
    expect(Quantity.parse("1").add(Quantity.parse("500m")).toString()).toBe("1500m");
    expect(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString()).toBe("1536Mi");
    expect(Quantity.parse("1k").add(Quantity.parse("1Ki")).toString()).toBe("2024");
    expect(Quantity.parse("1Ki").add(Quantity.parse("1k")).toString()).toBe("2024");
    expect(Quantity.parse("1Ki").add(Quantity.parse("1k")).format).toBe("BinarySI");
    expect(Quantity.parse("1Gi").sub(Quantity.parse("1Gi")).toString()).toBe("0");
    expect(Quantity.parse("250m").sub(Quantity.parse("1")).toString()).toBe("-750m");
    expect(plain(Quantity.parse("0.1").add(Quantity.parse("0.2")))).toBe("0.3");
  });

  it("falls back to an exact inf.Dec when int64 arithmetic would overflow", () => {
    const sum = Quantity.parse("9E").add(Quantity.parse("1m"));
    expect(plain(sum)).toBe("9000000000000000000.001");
    expect(sum.toString()).toBe("9000000000000000000001m");
    expect(sum.milliValue()).toBe(9000000000000000000001n);
    const big = Quantity.fromInt(9223372036854775807n).add(Quantity.fromInt(1));
    expect(plain(big)).toBe("9223372036854775808");
    const low = Quantity.fromInt(-9223372036854775808n);
    expect(plain(low.neg())).toBe("9223372036854775808");
    expect(plain(Quantity.ZERO.sub(low))).toBe("9223372036854775808");
  });

  it.each([
    // upstream TestQuantityCmp
    ["0", "0", 0],
    ["100m", "50m", 1],
    ["50m", "100m", -1],
    ["10000T", "100Gi", 1],
    // more
    ["1", "1000m", 0],
    ["1Ki", "1024", 0],
    ["1e3", "1k", 0],
    ["-1", "1n", -1],
    ["1e-9", "1n", 0],
    ["1e30", "1e29", 1],
    ["-1e30", "1e-9", -1],
    ["-1e30", "-1e29", -1],
    ["1e2147483647", "9Ei", 1],
    ["-1e2147483647", "-1", -1],
    ["0e-20", "0", 0],
  ] as const)("cmp(%s, %s) = %s", (a, b, expected) => {
    const x = Quantity.parse(a);
    const y = Quantity.parse(b);
    expect(x.cmp(y)).toBe(expected);
    expect(y.cmp(x)).toBe(expected === 0 ? 0 : -expected);
  });

  it("neg negates, keeps the format and does not mutate (TestQuantityNeg)", () => {
    const q = Quantity.parse("9.01");
    expect(q.neg().toString()).toBe("-9010m");
    expect(q.toString()).toBe("9010m");
    expect(new Quantity(901n, 2).neg().toString()).toBe("-9010m");
    expect(Quantity.parse("1Gi").neg().format).toBe("BinarySI");
    expect(Quantity.parse("0").neg().toString()).toBe("0");
  });

  it("sign, isZero and max", () => {
    expect(Quantity.parse("-5m").sign()).toBe(-1);
    expect(Quantity.parse("5m").sign()).toBe(1);
    expect(Quantity.parse("-0").sign()).toBe(0);
    expect(Quantity.parse("0Ki").isZero()).toBe(true);
    expect(Quantity.parse("1n").isZero()).toBe(false);
    const a = Quantity.parse("1");
    const b = Quantity.parse("1000m");
    const c = Quantity.parse("2");
    expect(Quantity.max(a, b)).toBe(a);
    expect(Quantity.max(b, a)).toBe(b);
    expect(Quantity.max(a, c)).toBe(c);
    expect(Quantity.max(c, a)).toBe(c);
  });
});

describe("parseQuantity: YAML/JSON values", () => {
  it.each([
    [2, "2", "DecimalSI"],
    [0.5, "500m", "DecimalSI"],
    [1e3, "1k", "DecimalSI"], // a YAML 1e3 is the number 1000, written "1000"
    [-0, "0", "DecimalSI"],
    [1e21, "1e+21", "DecimalExponent"], // "1e+21", kept as the cached string
    [1e-7, "100e-9", "DecimalExponent"],
    [0.1 + 0.2, "300000001n", "DecimalSI"], // 0.30000000000000004 rounds up to nano
    [-1.5, "-1500m", "DecimalSI"],
  ] as const)("the number %s is %s", (input, printed, format) => {
    const q = parseQuantity(input);
    expect(q.toString()).toBe(printed);
    expect(q.format).toBe(format);
  });

  it("parses strings, trimming the spaces upstream's UnmarshalJSON trims", () => {
    expect(parseQuantity("100m").toString()).toBe("100m");
    expect(parseQuantity(" 1 ").toString()).toBe("1");
    expect(parseQuantity("\u00a01Gi\u3000").toString()).toBe("1Gi");
  });

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    ["\t1", "\t1"], // a tab reaches upstream JSON-escaped, and fails
    ["1.5q", "1.5q"],
    [" 1.5q ", " 1.5q "],
    ["", ""],
    [" ", " "],
    [null, "null"],
    [true, "true"],
  ] as const)("rejects %s with the exact message", (input, shown) => {
    const e = quantityErrorOf(() => parseQuantity(input as string | number));
    expect(e.message).toBe(`"${shown}" is not a valid quantity`);
  });
});

describe("properties", () => {
  const suffixes = ["n", "u", "m", "", "k", "M", "G", "Ki", "Mi", "Gi", "e3", "e-2", "E6"];
  const quantityText = fc
    .tuple(
      fc.constantFrom("", "-", "+"),
      fc.bigInt({ min: 0n, max: 999_999_999n }),
      fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
      fc.constantFrom(...suffixes),
    )
    .map(([sign, n, frac, sfx]) => `${sign}${n}${frac === undefined ? "" : `.${frac}`}${sfx}`);
  const quantity = quantityText.map((s) => Quantity.parse(s));

  it("parse(toString(q)) has q's value (and format, for DecimalSI)", () => {
    fc.assert(
      fc.property(quantity, (q) => {
        const back = Quantity.parse(q.toString());
        expect(back.cmp(q)).toBe(0);
        if (!q.isZero() && q.format === "DecimalSI") expect(back.format).toBe("DecimalSI");
      }),
    );
  });

  it("add is commutative and sub undoes it", () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        expect(a.add(b).cmp(b.add(a))).toBe(0);
        expect(a.add(b).sub(b).cmp(a)).toBe(0);
        expect(a.sub(b).cmp(b.sub(a).neg())).toBe(0);
      }),
    );
  });

  it('milliValue(parse(n + "m")) === n', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        expect(Quantity.parse(`${n}m`).milliValue()).toBe(n);
        expect(Quantity.fromMilli(n).milliValue()).toBe(n);
        expect(Quantity.parse(Quantity.fromMilli(n).toString()).milliValue()).toBe(n);
      }),
    );
  });

  it("for a non-negative value, value() is its ceiling", () => {
    fc.assert(
      fc.property(quantity, (q0) => {
        const q = q0.sign() < 0 ? q0.neg() : q0;
        const v = q.value();
        expect(new Quantity(v, 0).cmp(q)).toBeGreaterThanOrEqual(0);
        expect(new Quantity(v - 1n, 0).cmp(q)).toBe(-1);
        const m = q.milliValue();
        expect(new Quantity(m, 3).cmp(q)).toBeGreaterThanOrEqual(0);
        expect(new Quantity(m - 1n, 3).cmp(q)).toBe(-1);
      }),
    );
  });

  it("cmp agrees with subtraction's sign", () => {
    fc.assert(
      fc.property(quantity, quantity, (a, b) => {
        expect(a.cmp(b)).toBe(a.sub(b).sign());
      }),
    );
  });
});
