/**
 * Descriptive statistics over benchmark samples, as recorded in a bench result's `summary` and
 * shown by the formats.
 *
 * - **Quantiles** interpolate linearly between order statistics (Hyndman & Fan type 7, the
 *   default of R, NumPy and tinybench): for sorted `x[0..n−1]` and `p ∈ [0, 1]`, with
 *   `h = (n − 1)·p`, the quantile is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
 * - **Margin of error** (`moe`) is the half-width of the 95 % Student-t interval of the mean:
 *   `t(0.975, n − 1) · sd / √n`, with the sample sd (n − 1 in the denominator); `rme` is
 *   `100 · moe / mean`, in percent, as tinybench reports it. One sample gives `sd = moe = rme = 0`.
 * - **Median interval** is the distribution-free confidence interval of the median from order
 *   statistics (binomial, `B ~ Bin(n, ½)`): `[x(k), x(n−k+1)]` (1-based) for the largest `k` with
 *   `P(B ≤ k − 1) ≤ (1 − confidence)/2`; its true coverage is `1 − 2·P(B ≤ k − 1)`. Below six
 *   samples no `k` reaches 95 %, and the interval is `[min, max]` with its lower coverage.
 */
import { mean, sd } from "../compare/stats.ts";

export { mean, sd };

/** The summary of one benchmark's samples, in the samples' unit unless noted. */
export interface Summary {
  /** 50th percentile. */
  readonly median: number;
  /** 75th percentile. */
  readonly p75: number;
  /** 99th percentile. */
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation. */
  readonly sd: number;
  /** Margin of error of the mean at 95 % confidence (t-based). */
  readonly moe: number;
  /** Relative margin of error: `100 · moe / mean`, in percent. */
  readonly rme: number;
  /** Number of samples. */
  readonly n: number;
}

/** Sorted ascending copy of `values`. */
export function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The type-7 quantile `p ∈ [0, 1]` of ascending `sorted` values; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo === h) return a;
  const b = sorted[lo + 1] as number;
  return a + (h - lo) * (b - a);
}

/** The type-7 quantile `p ∈ [0, 1]` of `values` (any order); NaN when empty. */
export function quantile(values: readonly number[], p: number): number {
  return quantileSorted(sorted(values), p);
}

/** The median of `values` (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return quantileSorted(sorted(values), 0.5);
}

/** Two-tailed 95 % Student-t critical values `t(0.975, df)` for df = 1…30. */
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252,
  2.306004135, 2.262157163, 2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688,
  2.131449546, 2.119905299, 2.109815578, 2.10092204, 2.093024054, 2.085963447, 2.079613845,
  2.073873068, 2.06865761, 2.063898562, 2.059538553, 2.055529439, 2.051830516, 2.048407142,
  2.045229642, 2.042272456,
];
const Z975 = 1.959963984540054;

/**
 * `t(0.975, df)`: the table for df ≤ 30, above it the Cornish–Fisher expansion of the t
 * quantile around the normal one to order df⁻⁴ (error below 1e-7 from df = 31).
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  const d = Math.floor(df);
  if (d <= 30) return T975[d - 1] as number;
  const z = Z975;
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / d + g2 / d ** 2 + g3 / d ** 3 + g4 / d ** 4;
}

/** The summary of `samples` (at least one). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  const s = sorted(samples);
  const n = s.length;
  const m = mean(samples);
  const dev = sd(samples);
  const moe = n > 1 ? (tCritical95(n - 1) * dev) / Math.sqrt(n) : 0;
  return {
    median: quantileSorted(s, 0.5),
    p75: quantileSorted(s, 0.75),
    p99: quantileSorted(s, 0.99),
    min: s[0] as number,
    max: s[n - 1] as number,
    mean: m,
    sd: dev,
    moe,
    rme: m === 0 ? 0 : (100 * moe) / Math.abs(m),
    n,
  };
}

/** A confidence interval and its actual coverage. */
export interface Interval {
  readonly low: number;
  readonly high: number;
  /** Coverage actually reached (order-statistic intervals cannot hit every level exactly). */
  readonly coverage: number;
}

/**
 * `P(B ≤ k)` for `B ~ Bin(n, ½)`, summed in log space so that large `n` does not underflow
 * term by term.
 */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logP = -n * Math.LN2;
  let sum = Math.exp(logP);
  for (let i = 0; i < k; i++) {
    logP += Math.log(n - i) - Math.log(i + 1);
    sum += Math.exp(logP);
  }
  return Math.min(1, sum);
}

/** The order-statistic confidence interval of the median (see the module comment). */
export function medianInterval(values: readonly number[], confidence = 0.95): Interval {
  const s = sorted(values);
  const n = s.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0 };
  const tail = (1 - confidence) / 2;
  // The largest k with P(B ≤ k − 1) ≤ tail, accumulating the binomial CDF term by term.
  let k = 0;
  let tailMass = 0;
  let logP = -n * Math.LN2;
  let cdf = 0;
  for (let c = 1; c <= Math.ceil(n / 2); c++) {
    cdf += Math.exp(logP); // cdf = P(B ≤ c − 1)
    if (cdf > tail) break;
    k = c;
    tailMass = cdf;
    logP += Math.log(n - (c - 1)) - Math.log(c);
  }
  if (k === 0) {
    return { low: s[0] as number, high: s[n - 1] as number, coverage: 1 - 2 * 0.5 ** n };
  }
  return { low: s[k - 1] as number, high: s[n - k] as number, coverage: 1 - 2 * tailMass };
}
