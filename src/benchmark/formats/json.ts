/**
 * gantry's own JSON (`gantry.dev/bench/v1`, specified in `../result.ts`): the result with its
 * keys in schema order, two-space indented (each `samples` array on one line), with a trailing
 * newline. `parseBenchResult` reads
 * it back unchanged.
 */
import type { Benchmark, BenchResult, Metric, Ratio } from "../result.ts";

function benchmarkJson(b: Benchmark) {
  const s = b.summary;
  return {
    name: b.name,
    kind: b.kind,
    unit: b.unit,
    biggerIsBetter: b.biggerIsBetter,
    ...(b.labels ? { labels: b.labels } : {}),
    samples: b.samples,
    summary: {
      median: s.median,
      p75: s.p75,
      p99: s.p99,
      min: s.min,
      max: s.max,
      mean: s.mean,
      sd: s.sd,
      moe: s.moe,
      rme: s.rme,
      n: s.n,
    },
  };
}

function metricJson(m: Metric) {
  return {
    name: m.name,
    kind: m.kind,
    value: m.value,
    unit: m.unit,
    ...(m.biggerIsBetter === undefined ? {} : { biggerIsBetter: m.biggerIsBetter }),
  };
}

function ratioJson(q: Ratio) {
  return {
    name: q.name,
    numerator: q.numerator,
    denominator: q.denominator,
    unit: q.unit,
    biggerIsBetter: q.biggerIsBetter,
    value: q.value,
  };
}

/** Serializes `r` as gantry JSON. */
export function formatJson(r: BenchResult): string {
  const e = r.environment;
  const doc = {
    schema: r.schema,
    environment: {
      node: e.node,
      platform: e.platform,
      arch: e.arch,
      cpu: e.cpu,
      cores: e.cores,
      memoryGiB: e.memoryGiB,
    },
    startedAt: r.startedAt,
    quick: r.quick,
    benchmarks: r.benchmarks.map(benchmarkJson),
    metrics: r.metrics.map(metricJson),
    ratios: r.ratios.map(ratioJson),
  };
  // Samples on one line each: a file stays readable with thousands of them.
  const text = JSON.stringify(doc, null, 2).replace(
    /"samples": \[([^\]]*)\]/g,
    (_, body: string) =>
      `"samples": [${body
        .split(",")
        .map((x) => x.trim())
        .join(", ")}]`,
  );
  return `${text}\n`;
}
