/**
 * scheduler_perf's DataItems (`{"version": "v1", "dataItems": [{data, unit, labels}]}`, see
 * `src/perf/dataitems.ts`), the file perf-dash reads; one item per benchmark, metric and ratio.
 *
 * - A benchmark's `data` is `Average` (the mean) and `Perc50/90/95/99`, nearest-rank over the
 *   sorted samples as upstream computes them; `unit` is the benchmark's.
 * - A deterministic metric or a ratio has one value: all five buckets hold it.
 * - `labels` are `Name` (the benchmark's name) and `Metric`: a benchmark's own `Metric` label
 *   when it has one, else `SchedulingThroughput` for `pods/s` (upstream's metric), `Throughput`
 *   for other rates, `Latency` for time units, `Value` otherwise; `Deterministic` for metrics,
 *   `Ratio` for ratios. A benchmark's other labels are added. perf-dash needs the same label
 *   keys on every item, so give every benchmark the same label keys.
 * - Keys are sorted (Go's map order) and the text is upstream's (two-space indent).
 */
import {
  type DataItem,
  type DataItems,
  formatDataItems,
  nearestRank,
  THROUGHPUT_METRIC,
} from "../../perf/dataitems.ts";
import type { Benchmark, BenchResult } from "../result.ts";
import { mean } from "../stats.ts";
import { isRateUnit, secondsPerUnit } from "./text.ts";

function sortedKeys<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] as T;
  return out;
}

function metricLabel(b: Benchmark): string {
  const own = b.labels?.["Metric"];
  if (own !== undefined) return own;
  if (b.unit === "pods/s") return THROUGHPUT_METRIC;
  if (isRateUnit(b.unit)) return "Throughput";
  if (secondsPerUnit(b.unit) !== undefined) return "Latency";
  return "Value";
}

function constant(value: number): Record<string, number> {
  return { Average: value, Perc50: value, Perc90: value, Perc95: value, Perc99: value };
}

/** The DataItems document of `r`. */
export function toDataItems(r: BenchResult): DataItems {
  const items: DataItem[] = [];
  for (const b of r.benchmarks) {
    const s = [...b.samples].sort((x, y) => x - y);
    items.push({
      data: sortedKeys({
        Average: mean(b.samples),
        Perc50: nearestRank(s, 50),
        Perc90: nearestRank(s, 90),
        Perc95: nearestRank(s, 95),
        Perc99: nearestRank(s, 99),
      }),
      unit: b.unit,
      labels: sortedKeys({ ...b.labels, Metric: metricLabel(b), Name: b.name }),
    });
  }
  for (const m of r.metrics) {
    items.push({
      data: constant(m.value),
      unit: m.unit,
      labels: { Metric: "Deterministic", Name: m.name },
    });
  }
  for (const q of r.ratios) {
    items.push({
      data: constant(q.value),
      unit: q.unit,
      labels: { Metric: "Ratio", Name: q.name },
    });
  }
  return { version: "v1", dataItems: items };
}

/** `toDataItems(r)` as upstream writes it. */
export function formatDataItemsOf(r: BenchResult): string {
  return formatDataItems(toDataItems(r));
}
