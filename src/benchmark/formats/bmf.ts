/**
 * Bencher Metric Format (https://bencher.dev/bmf.json), for `bencher run --adapter json`:
 *
 *     {"<benchmark>": {"<measure>": {"value": …, "lower_value": …, "upper_value": …}}}
 *
 * - A benchmark in a time unit becomes Bencher's built-in `latency` measure, converted to
 *   nanoseconds (its unit); one in a rate unit (`…/s`) becomes the built-in `throughput`
 *   (operations per second, the value unchanged). Any other unit becomes a custom measure whose
 *   slug is the unit's (`pods` → `pods`, `MiB` → `mib`). `value` is the median,
 *   `lower_value`/`upper_value` its 95 % order-statistic interval.
 * - A deterministic metric becomes a custom measure named by its unit's slug (`value` when the
 *   unit is empty), with `value` only.
 * - A ratio becomes the custom measure `ratio`, `value` only.
 *
 * Direction is not part of BMF: Bencher sets it per measure with thresholds.
 */
import type { BenchResult } from "../result.ts";
import { medianInterval, quantile } from "../stats.ts";
import { isRateUnit, secondsPerUnit } from "./text.ts";

export interface BmfMetric {
  readonly value: number;
  readonly lower_value?: number;
  readonly upper_value?: number;
}

/** Benchmark name → measure slug → metric. */
export type Bmf = Record<string, Record<string, BmfMetric>>;

/** A Bencher slug: lower case, runs of other characters as one `-`, at most 64 characters. */
export function measureSlug(unit: string): string {
  const slug = unit
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug === "" ? "value" : slug;
}

/** The BMF document of `r`. */
export function toBmf(r: BenchResult): Bmf {
  const out: Bmf = {};
  for (const b of r.benchmarks) {
    const seconds = secondsPerUnit(b.unit);
    const [measure, scale] =
      seconds !== undefined
        ? ["latency", seconds * 1e9]
        : isRateUnit(b.unit)
          ? ["throughput", 1]
          : [measureSlug(b.unit), 1];
    const ci = medianInterval(b.samples);
    out[b.name] = {
      [measure]: {
        value: quantile(b.samples, 0.5) * scale,
        lower_value: ci.low * scale,
        upper_value: ci.high * scale,
      },
    };
  }
  for (const m of r.metrics) out[m.name] = { [measureSlug(m.unit)]: { value: m.value } };
  for (const q of r.ratios) out[q.name] = { ratio: { value: q.value } };
  return out;
}

/** `toBmf(r)` as JSON text (two-space indented, trailing newline). */
export function formatBmf(r: BenchResult): string {
  return `${JSON.stringify(toBmf(r), null, 2)}\n`;
}
