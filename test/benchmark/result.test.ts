import { describe, expect, it } from "vitest";
import { formatJson } from "../../src/benchmark/formats/json.ts";
import {
  BENCH_SCHEMA,
  benchmark,
  benchResult,
  parseBenchResult,
  validateBenchResult,
} from "../../src/benchmark/result.ts";
import { InputError } from "../../src/diagnostics.ts";
import { ENV, synthetic } from "./fixtures.ts";

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).diagnostics.map((d) => `${d.path}: ${d.message}`);
  }
  throw new Error("expected an InputError");
}

describe("bench result", () => {
  it("round-trips through gantry JSON", () => {
    const r = synthetic({ seed: 1 });
    const text = formatJson(r);
    const back = parseBenchResult(text, "bench.json");
    expect(back).toEqual(r);
    expect(formatJson(back)).toBe(text);
    expect(JSON.parse(text).schema).toBe(BENCH_SCHEMA);
    // Samples stay on one line each.
    expect(text).toMatch(/"samples": \[\d[\d., e+-]*\]/);
  });

  it("computes summaries and ratio values when built", () => {
    const r = synthetic({ seed: 2 });
    const b = r.benchmarks[0];
    expect(b?.summary.n).toBe(60);
    expect(r.ratios[0]?.value).toBeCloseTo(
      (b?.summary.median ?? 0) / (r.benchmarks[1]?.summary.median ?? 1),
      12,
    );
  });

  it("reports every problem with its field path", () => {
    const doc = JSON.parse(formatJson(synthetic({ seed: 3 })));
    doc.environment.cores = -1;
    doc.startedAt = "yesterday";
    doc.benchmarks[0].samples[7] = -2;
    doc.benchmarks[0].kind = "latency";
    doc.benchmarks[1].summary.n = 3;
    doc.benchmarks[2].extra = true;
    doc.metrics[0].value = "many";
    doc.metrics[1].name = doc.benchmarks[0].name;
    doc.ratios[0].denominator = "nope";
    const errors = errorsOf(() => validateBenchResult(doc, "bench.json"));
    expect(errors).toEqual([
      "environment.cores: must be a non-negative integer, got -1",
      'startedAt: must be an ISO 8601 time, got "yesterday"',
      'benchmarks[0].kind: must be "timing" or "scenario", got "latency"',
      "benchmarks[0].samples[7]: must be a positive finite number, got -2",
      "benchmarks[1].summary.n: is 3, but there are 60 samples",
      "benchmarks[2].extra: unknown field",
      'metrics[0].value: must be a finite number, got "many"',
      "metrics[1].name: duplicate name (also benchmarks[0])",
      'ratios[0].denominator: names no benchmark of this result: "nope"',
    ]);
  });

  it("names the file and the path in the error message", () => {
    const doc = JSON.parse(formatJson(synthetic({ seed: 3 })));
    delete doc.quick;
    expect(() => validateBenchResult(doc, "base.json")).toThrow("base.json: quick: is required");
  });

  it("rejects another schema, invalid JSON and a ratio that does not match its medians", () => {
    expect(
      errorsOf(() => validateBenchResult({ schemaVersion: 1, rows: [] }, "old.json")),
    ).toContain("rows: unknown field");
    expect(errorsOf(() => validateBenchResult({ schema: "gantry.dev/bench/v2" }, "f"))).toEqual([
      'schema: unsupported schema "gantry.dev/bench/v2" (this gantry reads "gantry.dev/bench/v1")',
    ]);
    expect(() => parseBenchResult("{", "x.json")).toThrow(/x\.json: not valid JSON/);
    const doc = JSON.parse(formatJson(synthetic({ seed: 4 })));
    doc.ratios[0].value *= 1.5;
    expect(errorsOf(() => validateBenchResult(doc, "f"))[0]).toMatch(
      /^ratios\[0\]\.value: is .* but median\(numerator\) \/ median\(denominator\) is /,
    );
  });

  it("validates what a runner builds", () => {
    expect(() =>
      benchResult({
        environment: ENV,
        startedAt: "2025-01-31T12:00:00Z",
        quick: false,
        benchmarks: [
          benchmark({ name: "a", kind: "timing", unit: "ms", biggerIsBetter: false, samples: [1] }),
          benchmark({ name: "a", kind: "timing", unit: "ms", biggerIsBetter: false, samples: [2] }),
        ],
      }),
    ).toThrow("<bench result>: benchmarks[1].name: duplicate name (also benchmarks[0])");
  });
});
