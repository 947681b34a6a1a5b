/**
 * Binning of one replay's series by arrived workload, and summaries across seeds (traces.md §2
 * "x-axis", §4): the value at a whole x is the mean over all events whose rounded arrive% is x,
 * or, when none is, over the events whose rounded arrive% is x − 1 or x + 1.
 */
import { stats } from "../compare/stats.ts";
import type { ReplaySeries } from "./engine.ts";

/** One seed's binned curves, indexed by whole arrive% (0 … maxPct); `null` where no event is near. */
export interface BinnedSeries {
  readonly unallocatedGpuPct: (number | null)[];
  readonly fragGpuPct: (number | null)[];
}

/**
 * Bins `series` against cluster capacity `capacity` (milli): per event, arrive% =
 * `Math.round(arrived / capacity × 100)`, allocation% = used / capacity × 100, fragmentation% =
 * frag / capacity × 100. Per whole x in 0 … max arrive%: mean allocation% and fragmentation% of
 * the events at x (else of those at x ± 1 together, else `null`); unallocated = 100 − allocation.
 */
export function binSeries(series: ReplaySeries, capacity: number): BinnedSeries {
  const E = series.arrived.length;
  let max = 0;
  const x = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const v = Math.round((series.arrived[e]! / capacity) * 100);
    x[e] = v;
    if (v > max) max = v;
  }
  const sumAlloc = new Float64Array(max + 1);
  const sumFrag = new Float64Array(max + 1);
  const count = new Float64Array(max + 1);
  for (let e = 0; e < E; e++) {
    const b = x[e]!;
    if (b < 0) continue;
    sumAlloc[b] = sumAlloc[b]! + (series.used[e]! / capacity) * 100;
    sumFrag[b] = sumFrag[b]! + (series.frag[e]! / capacity) * 100;
    count[b] = count[b]! + 1;
  }
  const unallocatedGpuPct: (number | null)[] = [];
  const fragGpuPct: (number | null)[] = [];
  for (let b = 0; b <= max; b++) {
    if (E === 0) break;
    let a = sumAlloc[b]!;
    let f = sumFrag[b]!;
    let c = count[b]!;
    if (c === 0) {
      for (const nb of [b - 1, b + 1]) {
        if (nb >= 0 && nb <= max) {
          a += sumAlloc[nb]!;
          f += sumFrag[nb]!;
          c += count[nb]!;
        }
      }
    }
    unallocatedGpuPct.push(c === 0 ? null : 100 - a / c);
    fragGpuPct.push(c === 0 ? null : f / c);
  }
  return { unallocatedGpuPct, fragGpuPct };
}

/** Median, mean and sample standard deviation (n − 1; 0 for one value). */
export interface Summary {
  readonly median: number;
  readonly mean: number;
  readonly sd: number;
}

/** {@link Summary} of a non-empty list (the median of an even count is the mean of the middle two). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError("summarize: no values");
  const { median, mean, sd } = stats(values);
  return { median, mean, sd };
}
