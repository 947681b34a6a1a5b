/**
 * `resource.Quantity` from k8s.io/apimachinery `pkg/api/resource`, reproduced as Kubernetes
 * v1.35 behaves (quantity.go, suffix.go, amount.go, scale_int.go).
 *
 * A quantity is an exact decimal `unscaled × 10^(−scale)` plus the {@link QuantityFormat} that
 * its suffix selected. Nothing is ever held as a floating-point number.
 *
 * Upstream behaviours reproduced on purpose (each one checked against the Go source):
 *
 * - **Grammar.** `<sign>? <digits>? ("." <digits>?)? <suffix>`, where the suffix is a binary SI
 *   suffix (`Ki`…`Ei`), a decimal SI suffix (`n u m "" k M G T P E`) or `e`/`E` followed by a
 *   signed int64 (truncated to int32, as v1.35's `int32(parsed)` does: `1e4294967297` is `1e1`).
 *   As upstream's scanner allows, the digits may be missing entirely: `"."`, `"-"`, `"+"`,
 *   `"Ki"` and `"e3"` all parse as zero; `"Pi"`, `"Ei"`, `"e-10"` and `"+Ei"` do not (they reach
 *   the `inf.Dec` path, which needs a digit). Whitespace anywhere is an error.
 * - **Nano rounding.** A value finer than 10^-9 is rounded *away from zero* to nano
 *   (`0.0000000001` → `1n`, `-3.001n` → `-4n`).
 * - **Cap.** Only a `BinarySI` quantity is capped, silently, at 2^63−1 in magnitude (`9Ei`);
 *   decimal quantities keep any magnitude (`12E`, `1e30`). A non-zero `BinarySI` quantity under 1
 *   in magnitude is recorded as `DecimalSI`.
 * - **Two representations.** Upstream holds a quantity either as an `int64Amount` (the fast parse
 *   path, {@link Quantity.fromInt}, {@link Quantity.fromMilli}, and int64 arithmetic that does not
 *   overflow) or as an `inf.Dec` (everything else). `unscaled`/`scale` mirror that representation
 *   (they are not normalised), and a private flag remembers which one upstream would hold, because
 *   `Value`/`MilliValue` round negative non-integers differently in each — see
 *   {@link Quantity.milliValue}.
 * - **Cached string.** When the fast parse path sees a "canonical-looking" input it keeps the
 *   input verbatim as the `String()` result, so `"+1"`, `"01"` and `"1.500"` print as written.
 *   Arithmetic drops the cache.
 * - **v1.35 `String()` limits.** `DecimalSI` has no suffix past `E` and `BinarySI` none past `Ei`;
 *   v1.35 then prints the mantissa with no suffix (`1000E` prints `"1"`, fixed upstream only after
 *   v1.35), and so does this.
 *
 * Where upstream's int64 results overflow (documented there as undefined), {@link Quantity.value}
 * and {@link Quantity.milliValue} return the exact, unwrapped bigint instead. Arithmetic is exact
 * (upstream wraps when negating −2^63 held as an int64). Exponents so extreme that an exact result
 * would need more than {@link MAX_MATERIALIZED_EXPONENT} decimal digits throw a `RangeError`
 * where upstream would spin computing them.
 */

/** How a quantity is written back out; upstream `resource.Format`. */
export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** Largest power of ten this module writes out as a bigint (`RangeError` past it). */
export const MAX_MATERIALIZED_EXPONENT = 1_000_000;

const MAX_INT64 = 0x7fff_ffff_ffff_ffffn;
const MIN_INT64 = -0x8000_0000_0000_0000n;

const POW10: readonly bigint[] = (() => {
  const out: bigint[] = [];
  for (let i = 0, p = 1n; i <= 40; i++, p *= 10n) out.push(p);
  return out;
})();

function pow10(n: number): bigint {
  const cached = POW10[n];
  if (cached !== undefined) return cached;
  if (n > MAX_MATERIALIZED_EXPONENT) {
    throw new RangeError(
      `quantity needs 10^${n}, past the supported 10^${MAX_MATERIALIZED_EXPONENT}`,
    );
  }
  return 10n ** BigInt(n);
}

function abs(u: bigint): bigint {
  return u < 0n ? -u : u;
}

function sgn(u: bigint): -1 | 0 | 1 {
  return u < 0n ? -1 : u > 0n ? 1 : 0;
}

function fitsInt64(u: bigint): boolean {
  return u >= MIN_INT64 && u <= MAX_INT64;
}

function digitCount(u: bigint): number {
  return (u < 0n ? -u : u).toString().length;
}

/** `u / 10^n` rounded away from zero (inf.RoundUp, upstream `negativeScaleInt64`). */
function divAwayFromZero(u: bigint, n: number): bigint {
  if (n > 40 && digitCount(u) <= n) return u === 0n ? 0n : u < 0n ? -1n : 1n;
  const d = pow10(n);
  const q = u / d;
  if (q * d === u) return q;
  return u < 0n ? q - 1n : q + 1n;
}

/** `ceil(u / 10^n)`. */
function divCeil(u: bigint, n: number): bigint {
  if (n > 40 && digitCount(u) <= n) return u > 0n ? 1n : 0n;
  const d = pow10(n);
  const q = u / d;
  return q * d !== u && u > 0n ? q + 1n : q;
}

/** Compares the exact decimals `au × 10^-as` and `bu × 10^-bs`. */
function compareDecimal(au: bigint, as: number, bu: bigint, bs: number): -1 | 0 | 1 {
  if (as === bs) return au < bu ? -1 : au > bu ? 1 : 0;
  const sa = sgn(au);
  const sb = sgn(bu);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const diff = as - bs;
  if (diff > 18 || diff < -18) {
    // Compare orders of magnitude first, so that no huge power of ten is written out.
    const ea = digitCount(au) - as;
    const eb = digitCount(bu) - bs;
    if (ea !== eb) return ea > eb ? sa : sa === 1 ? -1 : 1;
  }
  const a = diff < 0 ? au * pow10(-diff) : au;
  const b = diff > 0 ? bu * pow10(diff) : bu;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exact `a + b` at the finer of the two scales (inf.Dec `Add`: scale = max). */
function decimalAdd(au: bigint, as: number, bu: bigint, bs: number): [bigint, number] {
  if (as === bs) return [au + bu, as];
  if (as > bs) return [au + bu * pow10(as - bs), as];
  return [au * pow10(bs - as) + bu, bs];
}

/** `v × 10^n` when it fits int64 (upstream `positiveScaleInt64`), else `undefined`. */
function scaleUpInt64(v: bigint, n: number): bigint | undefined {
  if (n === 0 || v === 0n) return v;
  if (n > 18) return undefined;
  const r = v * pow10(n);
  return fitsInt64(r) ? r : undefined;
}

/**
 * Upstream `int64Amount.Add`, in upstream's own scale convention (value × 10^scale). Returns the
 * sum and its scale, or `undefined` where upstream overflows and falls back to inf.Dec.
 */
function int64AmountAdd(
  av: bigint,
  as: number,
  bv: bigint,
  bs: number,
): [bigint, number] | undefined {
  let v: bigint;
  let s: number;
  if (bv === 0n) [v, s] = [av, as];
  else if (av === 0n) [v, s] = [bv, bs];
  else if (as === bs) [v, s] = [av + bv, as];
  else if (as > bs) {
    const a = scaleUpInt64(av, as - bs);
    if (a === undefined) return undefined;
    [v, s] = [a + bv, bs];
  } else {
    const b = scaleUpInt64(bv, bs - as);
    if (b === undefined) return undefined;
    [v, s] = [av + b, as];
  }
  return fitsInt64(v) ? [v, s] : undefined;
}

interface Suffix {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const SUFFIXES: ReadonlyMap<string, Suffix> = new Map<string, Suffix>([
  ["", { base: 10, exponent: 0, format: "DecimalSI" }],
  ["n", { base: 10, exponent: -9, format: "DecimalSI" }],
  ["u", { base: 10, exponent: -6, format: "DecimalSI" }],
  ["m", { base: 10, exponent: -3, format: "DecimalSI" }],
  ["k", { base: 10, exponent: 3, format: "DecimalSI" }],
  ["M", { base: 10, exponent: 6, format: "DecimalSI" }],
  ["G", { base: 10, exponent: 9, format: "DecimalSI" }],
  ["T", { base: 10, exponent: 12, format: "DecimalSI" }],
  ["P", { base: 10, exponent: 15, format: "DecimalSI" }],
  ["E", { base: 10, exponent: 18, format: "DecimalSI" }],
  ["Ki", { base: 2, exponent: 10, format: "BinarySI" }],
  ["Mi", { base: 2, exponent: 20, format: "BinarySI" }],
  ["Gi", { base: 2, exponent: 30, format: "BinarySI" }],
  ["Ti", { base: 2, exponent: 40, format: "BinarySI" }],
  ["Pi", { base: 2, exponent: 50, format: "BinarySI" }],
  ["Ei", { base: 2, exponent: 60, format: "BinarySI" }],
]);

/** Decimal SI suffix by base-10 exponent. */
const DECIMAL_SUFFIX: ReadonlyMap<number, string> = new Map([
  [-9, "n"],
  [-6, "u"],
  [-3, "m"],
  [0, ""],
  [3, "k"],
  [6, "M"],
  [9, "G"],
  [12, "T"],
  [15, "P"],
  [18, "E"],
]);

/** Binary SI suffix by base-1024 exponent (index 0 is the bare number). */
const BINARY_SUFFIX: readonly string[] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

const EXPONENT_RE = /^[+-]?[0-9]+$/;

/** Upstream `quantitySuffixer.interpret`. */
function interpretSuffix(s: string): Suffix | undefined {
  const known = SUFFIXES.get(s);
  if (known !== undefined) return known;
  if (s.length > 1 && (s[0] === "e" || s[0] === "E")) {
    const rest = s.slice(1);
    if (!EXPONENT_RE.test(rest)) return undefined;
    const e = BigInt(rest);
    if (!fitsInt64(e)) return undefined; // strconv.ParseInt range error
    return { base: 10, exponent: Number(BigInt.asIntN(32, e)), format: "DecimalExponent" };
  }
  return undefined;
}

/**
 * The language upstream's `parseQuantityString` scanner accepts: sign, leading zeros, integer
 * digits, optional `.` and fraction digits, then a run of suffix letters, an optional sign and
 * digits. Which suffixes are meaningful is decided afterwards by {@link interpretSuffix}.
 */
const QUANTITY_RE = /^([+-]?)(0*)([0-9]*)(\.[0-9]*)?([eEinumkKMGTP]*[+-]?[0-9]*)$/;

/** Thrown for a string (or value) that is not a quantity. */
export class QuantityError extends Error {
  /** The rejected input, as given. */
  readonly input: string;

  /** @param input the rejected input; the message is `"<input>" is not a valid quantity`. */
  constructor(input: string) {
    super(`"${input}" is not a valid quantity`);
    this.name = "QuantityError";
    this.input = input;
  }
}

/**
 * An immutable `resource.Quantity`: the exact decimal `unscaled × 10^(−scale)` and the format its
 * suffix selected. Operations return new quantities.
 */
export class Quantity {
  /** Exact value = unscaled × 10^(−scale). Mirrors upstream's representation; not normalised. */
  readonly unscaled: bigint;
  /** Decimal places (negative for multiples of a power of ten), as `inf.Dec` counts them. */
  readonly scale: number;
  /** The format `toString` writes in, as upstream records it. */
  readonly format: QuantityFormat;
  /** Whether upstream would hold this value as an `inf.Dec` (else as an `int64Amount`). */
  #dec = true;
  /** The `String()` result, when known (cached input or already computed). */
  #s: string | undefined;

  /**
   * The exact decimal `unscaled × 10^(−scale)` in `format`, held as upstream's
   * `NewDecimalQuantity` holds it (an `inf.Dec`): no nano rounding, no cap.
   * @param scale an integer in the int32 range.
   */
  constructor(unscaled: bigint, scale: number, format: QuantityFormat = "DecimalSI") {
    if (!Number.isInteger(scale) || (scale | 0) !== scale) {
      throw new RangeError(`quantity scale must be an int32, got ${scale}`);
    }
    this.unscaled = unscaled;
    this.scale = scale | 0; // also turns -0 into 0
    this.format = format;
  }

  static #of(
    unscaled: bigint,
    scale: number,
    format: QuantityFormat,
    dec: boolean,
    s: string | undefined,
  ): Quantity {
    const q = new Quantity(unscaled, scale, format);
    q.#dec = dec;
    q.#s = s;
    return q;
  }

  static #zero: Quantity | undefined;

  /**
   * Zero, `DecimalSI` (adding to it adopts the other operand's format). A lazily created getter:
   * tsc's emit of a static field that calls a static private method fails at load time.
   */
  static get ZERO(): Quantity {
    Quantity.#zero ??= Quantity.#of(0n, 0, "DecimalSI", false, "0");
    return Quantity.#zero;
  }

  /**
   * Upstream `ParseQuantity`.
   * @throws {QuantityError} when `s` is not a quantity.
   */
  static parse(s: string): Quantity {
    const q = Quantity.#parse(s);
    if (q === undefined) throw new QuantityError(s);
    return q;
  }

  static #parse(str: string): Quantity | undefined {
    if (str === "0") return Quantity.#of(0n, 0, "DecimalSI", false, str);
    if (str.length === 0) return undefined;
    const m = QUANTITY_RE.exec(str);
    if (m === null) return undefined;
    const negative = m[1] === "-";
    const zeros = m[2] ?? "";
    const digits = m[3] ?? "";
    const denom = m[4] === undefined ? "" : m[4].slice(1);
    const sfx = interpretSuffix(m[5] ?? "");
    if (sfx === undefined) return undefined;
    const num = digits === "" ? "0" : digits;
    const binary = sfx.format === "BinarySI";

    // Fast path: upstream's int64Amount parse.
    let precision: number;
    let scale = 0; // upstream Scale: value × 10^scale
    let mantissa = 1n;
    if (!binary) {
      scale = sfx.exponent;
      precision = 18 - (num.length + denom.length);
    } else if (denom.length === 0) {
      mantissa = 1n << BigInt(sfx.exponent);
      precision = 15 - num.length - Math.trunc((sfx.exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
    if (precision >= 0) {
      scale = (scale - denom.length) | 0; // int32 arithmetic, as upstream
      if (scale >= -9) {
        const shifted = num + denom;
        const value = BigInt(shifted);
        const product = value * mantissa;
        if (product <= MAX_INT64) {
          let cached: string | undefined;
          if (binary) {
            if (sfx.exponent % 10 === 0 && (value & 7n) !== 0n) cached = str;
          } else if (scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0") {
            cached = str;
          }
          return Quantity.#of(negative ? -product : product, 0 - scale, sfx.format, false, cached);
        }
      }
    }

    // Slow path: upstream's inf.Dec parse.
    const allDigits = zeros + digits + denom;
    if (allDigits === "") return undefined; // inf.Dec.SetString needs a digit
    let u = BigInt(allDigits);
    let s = denom.length;
    if (sfx.base === 10) s = (s + (-sfx.exponent | 0)) | 0;
    else u <<= BigInt(sfx.exponent);
    if (u !== 0n && s > 9) {
      u = divAwayFromZero(u, s - 9);
      s = 9;
    }
    let format = sfx.format;
    if (binary) {
      if (compareDecimal(u, s, MAX_INT64, 0) > 0) {
        u = MAX_INT64;
        s = 0;
      }
      if (u !== 0n && compareDecimal(u, s, 1n, 0) < 0) format = "DecimalSI";
    }
    return Quantity.#of(negative ? -u : u, s, format, true, undefined);
  }

  /**
   * Upstream `NewQuantity(n, format)`: `n` whole units.
   * @throws {RangeError} when `n` is not an integer in the int64 range.
   */
  static fromInt(n: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return Quantity.#of(toInt64(n), 0, format, false, undefined);
  }

  /**
   * Upstream `NewMilliQuantity(n, format)`: `n` thousandths of a unit.
   * @throws {RangeError} when `n` is not an integer in the int64 range.
   */
  static fromMilli(n: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return Quantity.#of(toInt64(n), 3, format, false, undefined);
  }

  /** `this + o`, exact; a zero `this` adopts `o`'s format (upstream `Add`). */
  add(o: Quantity): Quantity {
    return this.#combine(o, o.unscaled);
  }

  /** `this − o`, exact; a zero `this` adopts `o`'s format (upstream `Sub`). */
  sub(o: Quantity): Quantity {
    return this.#combine(o, -o.unscaled);
  }

  #combine(o: Quantity, ou: bigint): Quantity {
    const format = this.unscaled === 0n ? o.format : this.format;
    if (!this.#dec && !o.#dec && fitsInt64(ou)) {
      const r = int64AmountAdd(this.unscaled, -this.scale, ou, -o.scale);
      if (r !== undefined) return Quantity.#of(r[0], 0 - r[1], format, false, undefined);
    }
    const [u, s] = decimalAdd(this.unscaled, this.scale, ou, o.scale);
    return Quantity.#of(u, s, format, true, undefined);
  }

  /** `−this`, same format (upstream `Neg`). */
  neg(): Quantity {
    const u = -this.unscaled;
    return Quantity.#of(u, this.scale, this.format, this.#dec || !fitsInt64(u), undefined);
  }

  /** Compares values (format ignored): −1, 0 or 1 (upstream `Cmp`). */
  cmp(o: Quantity): -1 | 0 | 1 {
    return compareDecimal(this.unscaled, this.scale, o.unscaled, o.scale);
  }

  /** −1, 0 or 1 by the sign of the value. */
  sign(): -1 | 0 | 1 {
    return sgn(this.unscaled);
  }

  /** Whether the value is zero. */
  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** The larger of `a` and `b`; `a` when they are equal. */
  static max(a: Quantity, b: Quantity): Quantity {
    return a.cmp(b) >= 0 ? a : b;
  }

  /**
   * Upstream `MilliValue()` = `ScaledValue(Milli)`: the value in thousandths, rounded up.
   *
   * For a non-negative value this is exactly `ceil(value × 1000)` (`1.0001` → 1001, `1n` → 1).
   * For a negative non-integer number of thousandths upstream's rounding depends on its
   * representation, and this follows it: an `int64Amount` rounds away from zero
   * (`-1.5m` → −2), an `inf.Dec` truncates and then adds one (`-0.0000000001` → 1), except when
   * it holds 19 or more decimal places beyond the target (scale_int.go's big.Int path), where it
   * takes the ceiling. Every parsed non-zero `inf.Dec` holds at most 9 places; only a sum with an
   * `inf.Dec` zero such as `0e-20` reaches that path.
   */
  milliValue(): bigint {
    return this.#scaledValue(3);
  }

  /** Upstream `Value()` = `ScaledValue(0)`: whole units, rounded as {@link milliValue} rounds. */
  value(): bigint {
    return this.#scaledValue(0);
  }

  /** Upstream `ScaledValue`, `target` in decimal places (0 = units, 3 = milli). */
  #scaledValue(target: number): bigint {
    const u = this.unscaled;
    if (u === 0n) return 0n;
    const dif = this.scale - target;
    if (dif === 0) return u;
    if (dif < 0) return u * pow10(-dif);
    if (!this.#dec) return divAwayFromZero(u, dif); // int64Amount.AsScaledInt64
    if (u < MAX_INT64 && dif < 19) {
      // scale_int.go's int64 fast path: Go's truncating division, plus one when inexact.
      const d = pow10(dif);
      const q = u / d;
      return q * d === u ? q : q + 1n;
    }
    return divCeil(u, dif); // big.Int DivMod (floor) plus one when inexact
  }

  /**
   * Upstream `String()`: the input itself where the parse cached it, else the canonical form —
   * zero is `"0"`; otherwise the largest suffix that keeps the mantissa an integer (`1.5` →
   * `"1500m"`, `1024Mi` → `"1Gi"`, `1.5Gi` → `"1536Mi"`, `1e3` → `"1e3"`). A `BinarySI` value under
   * 1024 in magnitude, or not a whole number, is written as `DecimalSI`.
   */
  toString(): string {
    if (this.#s === undefined) this.#s = this.#canonical();
    return this.#s;
  }

  #canonical(): string {
    const u = this.unscaled;
    if (u === 0n) return "0";
    let format = this.format;
    if (format === "BinarySI") {
      if (compareDecimal(abs(u), this.scale, 1024n, 0) < 0) format = "DecimalSI";
      else {
        let whole: bigint | undefined;
        if (this.scale <= 0) whole = u * pow10(-this.scale);
        else {
          const d = pow10(this.scale);
          if (u % d === 0n) whole = u / d;
        }
        if (whole === undefined) format = "DecimalSI";
        else {
          let k = 0;
          while ((whole >= 1024n || whole <= -1024n) && whole % 1024n === 0n) {
            whole /= 1024n;
            k++;
          }
          return whole.toString() + (BINARY_SUFFIX[k] ?? "");
        }
      }
    }
    // Base 10: strip trailing zeros into the exponent, then lower it to a multiple of 3.
    const text = u.toString();
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end--;
    let mantissa = text.slice(0, end);
    let e = (-this.scale + (text.length - end)) | 0; // int32, as upstream
    if (!this.#dec) {
      // int64Amount.AsCanonicalBytes: one step down to a multiple of 3.
      const r = e % 3;
      const down = r === 1 || r === -2 ? 1 : r === 2 || r === -1 ? 2 : 0;
      mantissa += "00".slice(0, down);
      e = (e - down) | 0;
    } else {
      // infDecAmount.AsCanonicalBytes: step down until a multiple of 3.
      while (e % 3 !== 0) {
        mantissa += "0";
        e = (e - 1) | 0;
      }
    }
    if (format === "DecimalExponent") return e === 0 ? mantissa : `${mantissa}e${e}`;
    return mantissa + (DECIMAL_SUFFIX.get(e) ?? "");
  }
}

function toInt64(n: bigint | number): bigint {
  if (typeof n === "number") {
    if (!Number.isSafeInteger(n)) throw new RangeError(`quantity needs an integer, got ${n}`);
    return BigInt(n);
  }
  if (!fitsInt64(n)) throw new RangeError(`quantity needs an int64, got ${n}`);
  return n;
}

/**
 * The white space upstream's `UnmarshalJSON` trims (`strings.TrimSpace`) that can reach it from a
 * YAML manifest: the ASCII controls are escaped on the way (`sigs.k8s.io/yaml` re-encodes YAML as
 * JSON), so they stay and fail; plain spaces and Unicode spaces are trimmed.
 */
const JSON_SPACE_RE =
  /^[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+|[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+$/g;

/**
 * A quantity from a decoded YAML/JSON value, as Kubernetes unmarshals one: a string is trimmed of
 * surrounding spaces (upstream `UnmarshalJSON`), then parsed; a finite number is first written as
 * its shortest decimal string (`2` → `"2"`, `0.5` → `"0.5"`, `1e21` → `"1e+21"`, as Go's JSON
 * encoder writes the float64 a YAML number decodes to).
 * @throws {QuantityError} for anything else (NaN, ±Infinity, other types) or an invalid string;
 *   the message quotes the input as given.
 */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new QuantityError(String(input));
    return Quantity.parse(String(input));
  }
  if (typeof input !== "string") throw new QuantityError(String(input));
  const trimmed = input.replace(JSON_SPACE_RE, "");
  try {
    return Quantity.parse(trimmed);
  } catch (e) {
    if (e instanceof QuantityError) throw new QuantityError(input);
    throw e;
  }
}
