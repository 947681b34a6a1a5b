import { describe, expect, it } from "vitest";
import { formatBmf, measureSlug } from "../../src/benchmark/formats/bmf.ts";
import { toDataItems } from "../../src/benchmark/formats/dataitems.ts";
import { formatGab } from "../../src/benchmark/formats/github-action-benchmark.ts";
import {
  BENCH_FORMAT_NAMES,
  BENCH_FORMATS,
  isBenchFormat,
  renderBench,
} from "../../src/benchmark/formats/index.ts";
import { escapeXml, formatJUnit, renderJUnit } from "../../src/benchmark/formats/junit.ts";
import { formatTable } from "../../src/benchmark/formats/table.ts";
import { medianInterval, quantile } from "../../src/benchmark/stats.ts";
import { nearestRank } from "../../src/perf/dataitems.ts";
import { synthetic } from "./fixtures.ts";
import { parseXml } from "./xml.ts";

const result = synthetic({ seed: 11 });
const wasm = result.benchmarks[0]!;
const showcase = result.benchmarks[2]!;

/**
 * https://bencher.dev/bmf.json (draft-07): an object whose values are objects whose values are
 * objects with a required number `value` and optional numbers `lower_value`, `upper_value`.
 */
function checkBmfSchema(doc: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(doc)) return ["root is not an object"];
  for (const [bench, measures] of Object.entries(doc)) {
    if (bench.length === 0) problems.push("empty benchmark name");
    if (!isObj(measures)) {
      problems.push(`${bench} is not an object`);
      continue;
    }
    for (const [measure, metric] of Object.entries(measures)) {
      if (measure.length === 0) problems.push(`${bench}: empty measure`);
      if (!isObj(metric)) {
        problems.push(`${bench}.${measure} is not an object`);
        continue;
      }
      if (typeof metric["value"] !== "number") problems.push(`${bench}.${measure}.value`);
      for (const k of ["lower_value", "upper_value"]) {
        if (k in metric && typeof metric[k] !== "number") problems.push(`${bench}.${measure}.${k}`);
      }
    }
  }
  return problems;
}

describe("Bencher Metric Format", () => {
  const doc = JSON.parse(formatBmf(result));

  it("matches the BMF JSON schema", () => {
    expect(checkBmfSchema(doc)).toEqual([]);
    expect(Object.keys(doc)).toEqual([
      ...result.benchmarks.map((b) => b.name),
      ...result.metrics.map((m) => m.name),
      ...result.ratios.map((q) => q.name),
    ]);
  });

  it("maps time units to latency in ns and rates to throughput, with the median's interval", () => {
    const ci = medianInterval(wasm.samples);
    const lat = doc[wasm.name].latency;
    expect(lat.value).toBeCloseTo(quantile(wasm.samples, 0.5) * 1e6, 3);
    expect(lat.lower_value).toBeCloseTo(ci.low * 1e6, 3);
    expect(lat.upper_value).toBeCloseTo(ci.high * 1e6, 3);
    expect(lat.lower_value).toBeLessThanOrEqual(lat.value);
    expect(lat.upper_value).toBeGreaterThanOrEqual(lat.value);
    expect(Object.keys(doc[showcase.name])).toEqual(["throughput"]);
    expect(doc["showcase: pods scheduled"]).toEqual({ pods: { value: 99812 } });
    expect(doc["wasm/reference time"].ratio.value).toBe(result.ratios[0]?.value);
  });

  it("makes measure slugs", () => {
    expect(measureSlug("MiB/s")).toBe("mib-s");
    expect(measureSlug("")).toBe("value");
    expect(measureSlug("×")).toBe("value");
  });
});

describe("github-action-benchmark", () => {
  /** `{name, unit, value, range?, extra?}` as src/extract.ts's schema for the custom tools. */
  function checkGab(doc: unknown): void {
    expect(Array.isArray(doc)).toBe(true);
    for (const e of doc as Record<string, unknown>[]) {
      expect(typeof e["name"]).toBe("string");
      expect(typeof e["unit"]).toBe("string");
      expect(typeof e["value"]).toBe("number");
      if ("range" in e) expect(e["range"]).toMatch(/^(±|\+-)\d/);
      if ("extra" in e) expect(typeof e["extra"]).toBe("string");
      for (const k of Object.keys(e))
        expect(["name", "unit", "value", "range", "extra"]).toContain(k);
    }
  }

  it("splits entries by direction", () => {
    const smaller = JSON.parse(formatGab(result, "smaller"));
    const bigger = JSON.parse(formatGab(result, "bigger"));
    checkGab(smaller);
    checkGab(bigger);
    expect(smaller.map((e: { name: string }) => e.name)).toEqual([
      "wasm: 5000 nodes",
      "reference: 5000 nodes",
      "showcase: nodes used",
      "wasm/reference time",
    ]);
    expect(bigger.map((e: { name: string }) => e.name)).toEqual([
      "showcase",
      "showcase: pods scheduled",
    ]);
    // The metric without a direction is in neither file.
    expect(JSON.stringify([smaller, bigger])).not.toContain("cpu allocation");
    expect(smaller[0]).toMatchObject({ unit: "ms", value: wasm.summary.median });
    expect(smaller[0].extra).toContain("60 samples");
  });
});

describe("scheduler_perf DataItems", () => {
  const doc = toDataItems(result);

  it("has upstream's shape, one label set, sorted keys", () => {
    expect(doc.version).toBe("v1");
    expect(doc.dataItems).toHaveLength(3 + 3 + 1);
    for (const item of doc.dataItems) {
      expect(Object.keys(item.data)).toEqual(["Average", "Perc50", "Perc90", "Perc95", "Perc99"]);
      for (const v of Object.values(item.data)) expect(Number.isFinite(v)).toBe(true);
      expect(Object.keys(item.labels)).toEqual(["Metric", "Name"]);
      expect(typeof item.unit).toBe("string");
    }
  });

  it("uses nearest-rank percentiles and the mean as Average", () => {
    const item = doc.dataItems[2]!;
    const sorted = [...showcase.samples].sort((a, b) => a - b);
    expect(item.labels).toEqual({ Metric: "SchedulingThroughput", Name: "showcase" });
    expect(item.unit).toBe("pods/s");
    expect(item.data["Perc90"]).toBe(nearestRank(sorted, 90));
    expect(item.data["Average"]).toBeCloseTo(showcase.summary.mean, 9);
    expect(doc.dataItems[0]?.labels["Metric"]).toBe("Latency");
    expect(doc.dataItems[3]?.labels["Metric"]).toBe("Deterministic");
    expect(doc.dataItems[3]?.data["Perc99"]).toBe(99812);
  });
});

describe("JUnit XML", () => {
  it("is well-formed with one suite and a case per benchmark, metric and ratio", () => {
    const xml = formatJUnit(result);
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.children).toHaveLength(1);
    const suite = root.children[0]!;
    expect(suite.name).toBe("testsuite");
    expect(suite.attrs).toMatchObject({
      name: "gantry bench",
      tests: "7",
      failures: "0",
      errors: "0",
    });
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attrs["name"])).toEqual([
      ...result.benchmarks.map((b) => b.name),
      ...result.metrics.map((m) => m.name),
      ...result.ratios.map((q) => q.name),
    ]);
    // The timing case's time is the sum of its ms samples, in seconds.
    const sum = wasm.samples.reduce((a, b) => a + b, 0) / 1000;
    expect(Number(cases[0]?.attrs["time"])).toBeCloseTo(sum, 5);
    const props = suite.children.find((c) => c.name === "properties");
    expect(props?.children.map((p) => p.attrs["name"])).toContain("cpu");
  });

  it("escapes text and attributes and drops characters XML forbids", () => {
    expect(escapeXml(`a<b & "c" 'd'>\u0001`)).toBe("a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    const xml = renderJUnit({
      name: 'gate "x"',
      cases: [
        {
          classname: "c",
          name: "<weird> & name",
          time: 0.5,
          failure: { message: "slower by 20 % > 5 %", type: "regression", text: "a\nb <c>" },
        },
      ],
    });
    const root = parseXml(xml);
    const c = root.children[0]!.children[0]!;
    expect(c.attrs["name"]).toBe("<weird> & name");
    expect(root.children[0]!.attrs["failures"]).toBe("1");
    const failure = c.children[0]!;
    expect(failure.name).toBe("failure");
    expect(failure.attrs).toEqual({ message: "slower by 20 % > 5 %", type: "regression" });
    expect(failure.text).toBe("a\nb <c>");
  });
});

describe("table and registry", () => {
  it("renders aligned columns with every benchmark", () => {
    const text = formatTable(result);
    const lines = text.split("\n");
    const header = lines.find((l) => l.startsWith("benchmark"))!;
    const row = lines.find((l) => l.startsWith("wasm: 5000 nodes"))!;
    // Right-aligned "median" column: the header and the row end at the same column.
    expect(
      row.indexOf(wasm.summary.median.toLocaleString("en-US", { maximumFractionDigits: 2 })) +
        wasm.summary.median.toLocaleString("en-US", { maximumFractionDigits: 2 }).length,
    ).toBe(header.indexOf("median") + "median".length);
    expect(text).toContain("showcase: pods scheduled");
    expect(text).toContain("99,812");
    expect(text).toContain("wasm/reference time");
  });

  it("lists every format and renders each", () => {
    expect(BENCH_FORMAT_NAMES).toEqual([
      "table",
      "json",
      "bmf",
      "gab-bigger",
      "gab-smaller",
      "dataitems",
      "junit",
    ]);
    expect(isBenchFormat("bmf")).toBe(true);
    expect(isBenchFormat("toString")).toBe(false);
    const files = new Set(BENCH_FORMAT_NAMES.map((f) => BENCH_FORMATS[f].fileName));
    expect(files.size).toBe(BENCH_FORMAT_NAMES.length);
    for (const f of BENCH_FORMAT_NAMES) {
      const text = renderBench(result, f);
      expect(text.endsWith("\n")).toBe(true);
      if (f !== "table" && f !== "junit") expect(() => JSON.parse(text)).not.toThrow();
    }
  });
});
