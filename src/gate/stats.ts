/**
 * The gate's inferential statistics: the Mann–Whitney U test and a percentile bootstrap
 * interval, seeded and deterministic. Descriptive statistics (median, type-7 quantiles) live in
 * `src/benchmark/stats.ts` and are re-exported here.
 *
 * **Mann–Whitney U** (Wilcoxon rank-sum), for samples `x` (n₁) and `y` (n₂): `U₁ = R₁ − n₁(n₁+1)/2`
 * with `R₁` the sum of `x`'s ranks in the pooled sample (tied values get their mean rank), i.e.
 * the number of pairs with `x > y` plus half the tied pairs; `U₂ = n₁n₂ − U₁`. Alternatives, as in
 * SciPy's `mannwhitneyu`: `greater` (x tends to exceed y: p = P(U ≥ U₁)), `less` (p = P(U ≤ U₁)),
 * `two-sided` (p = 2·P(U ≥ max(U₁, U₂)), at most 1).
 * - *exact*: the null distribution of U from the Gaussian binomial coefficient
 *   `[n₁+n₂ choose n₁]_q` (valid without ties).
 * - *asymptotic*: `z = (U − n₁n₂/2 ∓ ½) / σ` with a continuity correction of ½ towards the mean and
 *   the tie-corrected `σ² = n₁n₂/12 · ((n+1) − Σ(t³ − t)/(n(n−1)))` (t: size of each tie group,
 *   n = n₁ + n₂); `p` from the standard normal. All values tied (σ = 0) gives p = 1.
 * - *auto* (default): exact when there are no ties and both samples have at most 50 values.
 *
 * **Bootstrap**: each of `resamples` replicates draws every group with replacement (same size),
 * computes the statistic, and the interval is the type-7 `(1−c)/2` and `(1+c)/2` quantiles of
 * the replicates (percentile method). Draws come from PCG32 (`src/generate/random.ts`) on the
 * stream named by the caller, so an interval depends only on (seed, stream name, data).
 */
import { median, quantileSorted } from "../benchmark/stats.ts";
import { type Random, streamRandom } from "../generate/random.ts";

export { median, quantile, quantileSorted } from "../benchmark/stats.ts";

/**
 * The complementary error function, Chebyshev-fitted (Numerical Recipes' `erfcc`): fractional
 * error below 1.2e-7 everywhere.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** `P(Z ≤ z)` for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export type Alternative = "two-sided" | "greater" | "less";

export interface MannWhitneyOptions {
  /** @default "two-sided" */
  readonly alternative?: Alternative;
  /** @default "auto" */
  readonly method?: "auto" | "exact" | "asymptotic";
  /** Continuity correction of the asymptotic method. @default true */
  readonly continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs with x > y, plus half the ties. */
  readonly u1: number;
  /** U of the second sample, `n₁n₂ − u1`. */
  readonly u2: number;
  readonly pValue: number;
  readonly method: "exact" | "asymptotic";
  /** The normal deviate of the asymptotic method; undefined for exact. */
  readonly z?: number;
  /** Whether the pooled sample has ties. */
  readonly ties: boolean;
}

/** Mean ranks (1-based) of `values`, and the tie groups' sizes. */
export function rank(values: readonly number[]): { ranks: Float64Array; tieSizes: number[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && values[order[j] as number] === values[order[i] as number]) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k] as number] = r;
    if (j - i > 1) tieSizes.push(j - i);
    i = j;
  }
  return { ranks, tieSizes };
}

/**
 * The null distribution of U for sizes (m, n) without ties: entry u is `P(U = u)`, u = 0…mn.
 * Coefficients of `∏_{i=1..m} (1 − q^{n+i}) / (1 − q^i)`, normalized by their sum `C(m+n, m)`.
 */
export function mannWhitneyNullDistribution(m: number, n: number): Float64Array {
  const size = m * n + 1;
  const c = new Float64Array(size);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const a = n + i;
    for (let k = size - 1; k >= a; k--) c[k] = (c[k] as number) - (c[k - a] as number);
    for (let k = i; k < size; k++) c[k] = (c[k] as number) + (c[k - i] as number);
  }
  let total = 0;
  for (const v of c) total += v;
  for (let k = 0; k < size; k++) c[k] = Math.max(0, c[k] as number) / total;
  return c;
}

/** The Mann–Whitney U test of `x` against `y` (see the module comment). */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("mannWhitneyU: both samples need a value");
  const alternative = options.alternative ?? "two-sided";
  const { ranks, tieSizes } = rank([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const ties = tieSizes.length > 0;
  const method =
    options.method === "exact" || options.method === "asymptotic"
      ? options.method
      : !ties && n1 <= 50 && n2 <= 50
        ? "exact"
        : "asymptotic";

  if (method === "exact") {
    const dist = mannWhitneyNullDistribution(n1, n2);
    // P(U ≥ u) for an integer u; U has no ties here, so U₁ is an integer.
    const upper = (u: number) => {
      let p = 0;
      for (let k = Math.max(0, Math.ceil(u)); k < dist.length; k++) p += dist[k] as number;
      return Math.min(1, p);
    };
    const pValue =
      alternative === "greater"
        ? upper(u1)
        : alternative === "less"
          ? upper(u2) // P(U ≤ U₁) = P(U ≥ U₂) by symmetry
          : Math.min(1, 2 * upper(Math.max(u1, u2)));
    return { u1, u2, pValue, method, ties };
  }

  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const mu = (n1 * n2) / 2;
  const cc = options.continuity === false ? 0 : 0.5;
  if (!(variance > 0)) return { u1, u2, pValue: 1, method, z: 0, ties };
  const sigma = Math.sqrt(variance);
  let z: number;
  let pValue: number;
  if (alternative === "greater") {
    z = (u1 - mu - cc) / sigma;
    pValue = 1 - normalCdf(z);
  } else if (alternative === "less") {
    z = (u1 - mu + cc) / sigma;
    pValue = normalCdf(z);
  } else {
    z = (Math.max(u1, u2) - mu - cc) / sigma;
    pValue = Math.min(1, 2 * (1 - normalCdf(z)));
  }
  return { u1, u2, pValue: Math.max(0, Math.min(1, pValue)), method, z, ties };
}

export interface BootstrapOptions {
  /** @default 2000 */
  readonly resamples?: number;
  /** @default 0.95 */
  readonly confidence?: number;
  /** @default 0 */
  readonly seed?: number;
  /** PCG32 stream name, e.g. the benchmark's name. @default "bootstrap" */
  readonly stream?: string;
}

export interface BootstrapInterval {
  /** The statistic on the original samples. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly resamples: number;
}

/** Draws `source.length` values of `source` with replacement into `into`. */
function resample(source: readonly number[], into: Float64Array, rng: Random): void {
  const n = source.length;
  for (let i = 0; i < n; i++) into[i] = source[rng.nextBounded(n)] as number;
}

/** Median of `buf` (sorted in place). */
export function medianInPlace(buf: Float64Array): number {
  buf.sort();
  return quantileSorted(buf, 0.5);
}

/**
 * Percentile bootstrap interval of `statistic` over `groups` (each resampled independently);
 * `statistic` gets one resampled buffer per group, which it may reorder.
 */
export function bootstrap(
  groups: readonly (readonly number[])[],
  statistic: (resampled: readonly Float64Array[]) => number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!(resamples >= 1) || !Number.isInteger(resamples)) {
    throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  for (const g of groups) if (g.length === 0) throw new RangeError("bootstrap: empty group");
  const rng = streamRandom(options.seed ?? 0, options.stream ?? "bootstrap");
  const bufs = groups.map((g) => new Float64Array(g.length));
  const estimate = statistic(groups.map((g) => Float64Array.from(g)));
  const reps = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    groups.forEach((g, i) => {
      resample(g, bufs[i] as Float64Array, rng);
    });
    reps[b] = statistic(bufs);
  }
  reps.sort();
  return {
    estimate,
    low: quantileSorted(reps, (1 - confidence) / 2),
    high: quantileSorted(reps, (1 + confidence) / 2),
    confidence,
    resamples,
  };
}

/** Bootstrap interval of `median(numerator) / median(denominator)`. */
export function bootstrapRatioOfMedians(
  numerator: readonly number[],
  denominator: readonly number[],
  options: BootstrapOptions = {},
): BootstrapInterval {
  return bootstrap(
    [numerator, denominator],
    ([a, b]) => medianInPlace(a as Float64Array) / medianInPlace(b as Float64Array),
    options,
  );
}

/** `median(numerator) / median(denominator)` on the original samples. */
export function ratioOfMedians(
  numerator: readonly number[],
  denominator: readonly number[],
): number {
  return median(numerator) / median(denominator);
}
