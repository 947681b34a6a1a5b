/**
 * Sampled distributions and arrival processes match their parameters.
 *
 * Tolerances: every check compares a statistic of N = 100,000 draws with its exact value and
 * allows 5 standard errors (SE). For a correct sampler a 5-SE miss has probability ≈ 6·10⁻⁷, so
 * the checks would not flake even unseeded; they are seeded, so they are also reproducible. The
 * standard errors used:
 * - a mean: σ/√N;
 * - the p-quantile q: √(p(1−p)/N) / f(q), f the density (the asymptotic SE of a sample quantile);
 * - a proportion p: √(p(1−p)/N).
 * A sampler with a wrong parameter (a rate used as a mean, σ for σ², log10 for ln, a lost factor
 * of 2) moves these statistics by far more than 5 SE at this N.
 */
import { describe, expect, it } from "vitest";
import {
  type ArrivalProcess,
  arrivalTimes,
  type Distribution,
  distributionMean,
  lognormalFromQuantiles,
  sample,
  Z_99,
} from "../../src/generate/distributions.ts";
import { streamRandom } from "../../src/generate/random.ts";

const N = 100_000;
const SQRT_N = Math.sqrt(N);

function draw(d: Distribution, seed = 1): Float64Array {
  const rng = streamRandom(seed, "test");
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = sample(d, rng);
  return out;
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function stddev(xs: Float64Array): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

function quantile(xs: Float64Array, p: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

function fraction(xs: Float64Array, pred: (x: number) => boolean): number {
  let n = 0;
  for (const x of xs) if (pred(x)) n++;
  return n / xs.length;
}

/** SE of the p-quantile given the density at it. */
function quantileSE(p: number, density: number): number {
  return Math.sqrt((p * (1 - p)) / N) / density;
}

const proportionSE = (p: number) => Math.sqrt((p * (1 - p)) / N);

describe("distributions", () => {
  it("constant", () => {
    const xs = draw({ kind: "constant", value: 42 });
    expect(xs.every((x) => x === 42)).toBe(true);
  });

  it("uniform: mean (a+b)/2, sd (b−a)/√12, within [a, b)", () => {
    const a = 10;
    const b = 70;
    const xs = draw({ kind: "uniform", min: a, max: b });
    const sd = (b - a) / Math.sqrt(12);
    expect(Math.abs(mean(xs) - (a + b) / 2)).toBeLessThan((5 * sd) / SQRT_N);
    // SE of a sample sd ≈ σ·√((κ−1)/(4N)), κ = 1.8 for a uniform.
    expect(Math.abs(stddev(xs) - sd)).toBeLessThan(5 * sd * Math.sqrt(0.8 / (4 * N)));
    expect(xs.every((x) => x >= a && x < b)).toBe(true);
  });

  it("exponential: mean m, median m·ln 2", () => {
    const m = 300;
    const xs = draw({ kind: "exponential", mean: m });
    expect(Math.abs(mean(xs) - m)).toBeLessThan((5 * m) / SQRT_N);
    // f(median) = e^(−ln 2)/m = 1/(2m).
    expect(Math.abs(quantile(xs, 0.5) - m * Math.LN2)).toBeLessThan(
      5 * quantileSE(0.5, 1 / (2 * m)),
    );
    expect(xs.every((x) => x >= 0)).toBe(true);
    expect(distributionMean({ kind: "exponential", mean: m })).toBe(m);
  });

  it("normal (Box–Muller): mean μ, sd σ, 68.27 % within one σ", () => {
    const mu = 50;
    const sigma = 8;
    const xs = draw({ kind: "normal", mean: mu, stddev: sigma });
    expect(Math.abs(mean(xs) - mu)).toBeLessThan((5 * sigma) / SQRT_N);
    // SE of a normal sample's sd: σ/√(2N).
    expect(Math.abs(stddev(xs) - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * N));
    const within = fraction(xs, (x) => Math.abs(x - mu) < sigma);
    expect(Math.abs(within - 0.682689)).toBeLessThan(5 * proportionSE(0.682689));
  });

  it("lognormal from median and p99 has that median and p99", () => {
    const median = 600;
    const p99 = 7200;
    const d = lognormalFromQuantiles(median, p99);
    if (d.kind !== "lognormal") throw new Error("lognormal expected");
    expect(d.mu).toBeCloseTo(Math.log(median), 12);
    expect(d.sigma).toBeCloseTo(Math.log(p99 / median) / Z_99, 12);
    const xs = draw(d);
    // Lognormal density at x = φ(z)/(x σ), z the standard score of ln x.
    const phi = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    const dens = (x: number, z: number) => phi(z) / (x * d.sigma);
    expect(Math.abs(quantile(xs, 0.5) - median)).toBeLessThan(5 * quantileSE(0.5, dens(median, 0)));
    expect(Math.abs(quantile(xs, 0.99) - p99)).toBeLessThan(5 * quantileSE(0.99, dens(p99, Z_99)));
    expect(() => lognormalFromQuantiles(10, 5)).toThrow(RangeError);
  });

  it("lognormal(mu, sigma): mean e^(mu+σ²/2)", () => {
    const d: Distribution = { kind: "lognormal", mu: 2, sigma: 0.5 };
    const xs = draw(d);
    const m = distributionMean(d);
    const sd = Math.sqrt((Math.exp(0.25) - 1) * Math.exp(4 + 0.25));
    expect(Math.abs(mean(xs) - m)).toBeLessThan((5 * sd) / SQRT_N);
  });

  it("pareto: support [xm, ∞), median xm·2^(1/α), tail P(X > 10·xm) = 10^(−α)", () => {
    const xm = 60;
    const alpha = 1.5;
    const xs = draw({ kind: "pareto", xm, alpha });
    expect(xs.every((x) => x >= xm)).toBe(true);
    const med = xm * 2 ** (1 / alpha);
    // Pareto density: α xm^α / x^(α+1).
    const dens = (alpha * xm ** alpha) / med ** (alpha + 1);
    expect(Math.abs(quantile(xs, 0.5) - med)).toBeLessThan(5 * quantileSE(0.5, dens));
    const tail = 10 ** -alpha;
    expect(Math.abs(fraction(xs, (x) => x > 10 * xm) - tail)).toBeLessThan(5 * proportionSE(tail));
    expect(distributionMean({ kind: "pareto", xm, alpha })).toBe((alpha * xm) / (alpha - 1));
    expect(distributionMean({ kind: "pareto", xm, alpha: 1 })).toBe(Number.POSITIVE_INFINITY);
  });

  it("clamp bounds every sample", () => {
    const xs = draw({ kind: "normal", mean: 0, stddev: 10, clamp: { min: 0, max: 5 } });
    expect(xs.every((x) => x >= 0 && x <= 5)).toBe(true);
    // Half the mass lands on the lower bound, ≈ 30.85 % on the upper.
    expect(Math.abs(fraction(xs, (x) => x === 0) - 0.5)).toBeLessThan(5 * proportionSE(0.5));
    expect(Math.abs(fraction(xs, (x) => x === 5) - 0.308538)).toBeLessThan(5 * proportionSE(0.31));
  });

  it("the same seed gives the same samples; another seed, others", () => {
    const d: Distribution = { kind: "exponential", mean: 1 };
    expect(draw(d, 3)).toEqual(draw(d, 3));
    expect(draw(d, 3)).not.toEqual(draw(d, 4));
  });
});

function times(p: ArrivalProcess, n: number, start = 0, seed = 1): Float64Array {
  const it = arrivalTimes(p, streamRandom(seed, "arrivals"), start);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = it.next().value;
  return out;
}

function gaps(ts: Float64Array, start: number): Float64Array {
  const out = new Float64Array(ts.length);
  let prev = start;
  ts.forEach((t, i) => {
    out[i] = t - prev;
    prev = t;
  });
  return out;
}

describe("arrival processes", () => {
  it("allAtOnce: every pod at the start", () => {
    expect([...times({ kind: "allAtOnce" }, 5, 30)]).toEqual([30, 30, 30, 30, 30]);
  });

  it("constant: start + i/rate", () => {
    expect([...times({ kind: "constant", rate: 4 }, 5, 10)]).toEqual([10, 10.25, 10.5, 10.75, 11]);
  });

  it("bursts: size pods every interval from the start", () => {
    expect([...times({ kind: "bursts", size: 3, every: 60 }, 7, 5)]).toEqual([
      5, 5, 5, 65, 65, 65, 125,
    ]);
  });

  it("poisson: exponential gaps of mean 1/rate, coefficient of variation 1", () => {
    const rate = 25;
    const g = gaps(times({ kind: "poisson", rate }, N, 100), 100);
    expect(g.every((x) => x >= 0)).toBe(true);
    expect(Math.abs(mean(g) - 1 / rate)).toBeLessThan(5 / rate / SQRT_N);
    // The sample sd of an exponential has SE ≈ σ·√((κ−1)/(4N)) with kurtosis κ = 9.
    expect(Math.abs(stddev(g) - 1 / rate)).toBeLessThan((5 / rate) * Math.sqrt(8 / (4 * N)));
  });

  it("diurnal: rate·period arrivals per period, more in the rising half-period", () => {
    const p: ArrivalProcess = {
      kind: "diurnal",
      rate: 10,
      amplitude: 0.5,
      period: 1000,
      phase: 0,
    };
    const ts = times(p, N);
    // N arrivals take ≈ N/rate = 10 periods; count those in the first 9 (expected 90,000, far
    // from the N cut-off), a Poisson count having variance = mean.
    const periods = 9;
    const inPeriods = fraction(ts, (t) => t < periods * p.period) * N;
    const expected = p.rate * p.period * periods;
    expect(Math.abs(inPeriods - expected)).toBeLessThan(5 * Math.sqrt(expected));
    // Share of the first half of each period: ∫₀^π (1 + a sin θ) dθ / 2π = ½ + a/π.
    const firstHalf = fraction(ts, (t) => t % p.period < p.period / 2);
    const share = 0.5 + p.amplitude / Math.PI;
    expect(Math.abs(firstHalf - share)).toBeLessThan(5 * proportionSE(share));
    // Non-decreasing.
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
  });
});
