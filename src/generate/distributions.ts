/**
 * Probability distributions (for pod run times and other sampled quantities) and arrival
 * processes (when pods are created), as plain data plus pure samplers over a {@link Random}.
 *
 * Every sampler uses `u = rng.nextDouble()`, uniform on `[0, 1)` with 53 random bits; where a
 * formula needs `(0, 1]` (a logarithm), it uses `1 − u`. Draw counts are fixed per sample
 * (documented on each kind), so a stream's sequence depends only on its seed and its parameters.
 * Time-valued parameters are in seconds; rates in events per second.
 */
import type { Random } from "./random.ts";

/** Bounds applied to every sample after drawing it (`max(min, min(max, x))`). */
export interface Clamp {
  readonly min?: number;
  readonly max?: number;
}

/**
 * A distribution over the reals:
 *
 * - `constant` — always `value`. No draw.
 * - `uniform` — uniform on `[min, max)`: `min + (max − min)·u`. One double.
 * - `exponential` — rate `1/mean`: `−mean·ln(1 − u)`. Mean `mean`, median `mean·ln 2`. One double.
 * - `normal` — Box–Muller: `mean + stddev·√(−2 ln(1 − u₁))·cos(2π u₂)`; the second variate of the
 *   pair is discarded so each sample costs exactly two doubles. Can be negative: clamp it.
 * - `lognormal` — `exp(mu + sigma·Z)`, Z standard normal (as above, two doubles). Median
 *   `e^mu`, mean `e^(mu + sigma²/2)`, p99 `e^(mu + 2.3263·sigma)`; {@link lognormalFromQuantiles}
 *   derives `mu`/`sigma` from a median and a p99.
 * - `pareto` — type I, scale `xm` > 0, shape `alpha` > 0: `xm·(1 − u)^(−1/alpha)`; support
 *   `[xm, ∞)`, median `xm·2^(1/alpha)`, mean `alpha·xm/(alpha − 1)` for alpha > 1 (infinite
 *   otherwise), infinite variance for alpha ≤ 2: the heavy tail. One double.
 *
 * `clamp` bounds each sample (a heavy tail capped at a day, a normal kept non-negative).
 */
export type Distribution = (
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "exponential"; readonly mean: number }
  | { readonly kind: "normal"; readonly mean: number; readonly stddev: number }
  | { readonly kind: "lognormal"; readonly mu: number; readonly sigma: number }
  | { readonly kind: "pareto"; readonly xm: number; readonly alpha: number }
) & { readonly clamp?: Clamp };

export type DistributionKind = Distribution["kind"];

/** The distribution kinds, in documentation order. */
export const DISTRIBUTION_KINDS: readonly DistributionKind[] = [
  "constant",
  "uniform",
  "exponential",
  "normal",
  "lognormal",
  "pareto",
];

/** Φ⁻¹(0.99): the standard normal's 99th percentile. */
export const Z_99 = 2.3263478740408408;

const TWO_PI = 2 * Math.PI;

/** A standard normal variate (Box–Muller, cosine branch; two doubles). */
export function standardNormal(rng: Random): number {
  const u1 = 1 - rng.nextDouble();
  const u2 = rng.nextDouble();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
}

/**
 * The lognormal with the given median and 99th percentile (`0 < median < p99`):
 * `mu = ln(median)`, `sigma = (ln(p99) − ln(median)) / Φ⁻¹(0.99)`.
 */
export function lognormalFromQuantiles(median: number, p99: number): Distribution {
  if (!(median > 0) || !(p99 > median)) {
    throw new RangeError(`lognormal needs 0 < median < p99, got median ${median}, p99 ${p99}`);
  }
  return { kind: "lognormal", mu: Math.log(median), sigma: Math.log(p99 / median) / Z_99 };
}

function unclamped(d: Distribution, rng: Random): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return d.min + (d.max - d.min) * rng.nextDouble();
    case "exponential":
      return -d.mean * Math.log(1 - rng.nextDouble());
    case "normal":
      return d.mean + d.stddev * standardNormal(rng);
    case "lognormal":
      return Math.exp(d.mu + d.sigma * standardNormal(rng));
    case "pareto":
      return d.xm * (1 - rng.nextDouble()) ** (-1 / d.alpha);
  }
}

/** One sample of `d`, clamped. */
export function sample(d: Distribution, rng: Random): number {
  const x = unclamped(d, rng);
  const c = d.clamp;
  if (c === undefined) return x;
  if (c.min !== undefined && x < c.min) return c.min;
  if (c.max !== undefined && x > c.max) return c.max;
  return x;
}

/** The mean of `d` ignoring its clamp (`Infinity` for a pareto with alpha ≤ 1). */
export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case "constant":
      return d.value;
    case "uniform":
      return (d.min + d.max) / 2;
    case "exponential":
    case "normal":
      return d.mean;
    case "lognormal":
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case "pareto":
      return d.alpha > 1 ? (d.alpha * d.xm) / (d.alpha - 1) : Number.POSITIVE_INFINITY;
  }
}

// ---------------------------------------------------------------------------------------------
// Arrival processes

/**
 * When a stream's pods arrive, from the stream's start time `start`:
 *
 * - `allAtOnce` — every pod at `start`. No draw.
 * - `constant` — evenly spaced, `rate` per second: pod i at `start + i/rate`. No draw.
 * - `poisson` — a homogeneous Poisson process of `rate` per second: exponential gaps of mean
 *   `1/rate`, the first one after `start`. One double per pod.
 * - `bursts` — `size` pods at once every `every` seconds, the first burst at `start`. No draw.
 * - `diurnal` — a Poisson process whose rate follows a sinusoid in simulated time:
 *   `λ(t) = rate·(1 + amplitude·sin(2π·(t − phase)/period))`, `0 ≤ amplitude ≤ 1`, so `rate` is the
 *   mean over a period and the peak (`rate·(1 + amplitude)`) falls at `t = phase + period/4`.
 *   Sampled by thinning (Lewis–Shedler): candidates from a Poisson process of rate
 *   `λmax = rate·(1 + amplitude)`, each kept with probability `λ(t)/λmax`. Two doubles per
 *   candidate. `t` is absolute simulated time, so streams with the same period and phase peak
 *   together whatever their start.
 */
export type ArrivalProcess =
  | { readonly kind: "allAtOnce" }
  | { readonly kind: "constant"; readonly rate: number }
  | { readonly kind: "poisson"; readonly rate: number }
  | { readonly kind: "bursts"; readonly size: number; readonly every: number }
  | {
      readonly kind: "diurnal";
      readonly rate: number;
      readonly amplitude: number;
      readonly period: number;
      readonly phase: number;
    };

export type ArrivalProcessKind = ArrivalProcess["kind"];

/** The arrival process kinds, in documentation order. */
export const ARRIVAL_PROCESS_KINDS: readonly ArrivalProcessKind[] = [
  "allAtOnce",
  "constant",
  "poisson",
  "bursts",
  "diurnal",
];

/** The instantaneous rate of a diurnal process at time `t`. */
export function diurnalRate(p: Extract<ArrivalProcess, { kind: "diurnal" }>, t: number): number {
  return p.rate * (1 + p.amplitude * Math.sin((TWO_PI * (t - p.phase)) / p.period));
}

/**
 * The arrival times of `process` from `start`, non-decreasing and endless: the caller stops at a
 * pod count or an end time. Draws from `rng` as documented on {@link ArrivalProcess}.
 */
export function* arrivalTimes(
  process: ArrivalProcess,
  rng: Random,
  start = 0,
): Generator<number, never, undefined> {
  switch (process.kind) {
    case "allAtOnce":
      for (;;) yield start;
    case "constant":
      for (let i = 0; ; i++) yield start + i / process.rate;
    case "poisson": {
      let t = start;
      for (;;) {
        t -= Math.log(1 - rng.nextDouble()) / process.rate;
        yield t;
      }
    }
    case "bursts":
      for (let burst = 0; ; burst++) {
        const t = start + burst * process.every;
        for (let i = 0; i < process.size; i++) yield t;
      }
    case "diurnal": {
      const max = process.rate * (1 + process.amplitude);
      let t = start;
      for (;;) {
        t -= Math.log(1 - rng.nextDouble()) / max;
        if (rng.nextDouble() * max < diurnalRate(process, t)) yield t;
      }
    }
  }
}
