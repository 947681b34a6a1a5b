import { describe, expect, it } from "vitest";
import {
  bootstrap,
  bootstrapRatioOfMedians,
  erfc,
  mannWhitneyNullDistribution,
  mannWhitneyU,
  normalCdf,
  rank,
} from "../../src/gate/stats.ts";
import { noisy } from "../benchmark/fixtures.ts";

describe("normal distribution", () => {
  it("erfc and the CDF match tabulated values", () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1.6448536269514729)).toBeCloseTo(0.05, 7);
  });
});

describe("ranks", () => {
  it("gives ties their mean rank", () => {
    const { ranks, tieSizes } = rank([10, 20, 20, 5, 20]);
    expect([...ranks]).toEqual([2, 4, 4, 1, 4]);
    expect(tieSizes).toEqual([3]);
  });
});

describe("Mann–Whitney U", () => {
  // x = [19, 22, 16, 29, 24], y = [20, 11, 17, 12]. Pairs with x > y, counted by hand:
  // 19 > 11, 17, 12 (3); 22 > all four (4); 16 > 11, 12 (2); 29 (4); 24 (4): U₁ = 17, U₂ = 3.
  // Of the C(9, 4) = 126 equally likely rank arrangements, 7 give U ≥ 17 (U₂ ∈ {0, 1, 2, 3}
  // has 1, 1, 2, 3 arrangements), so the exact one-sided p is 7/126.
  const x = [19, 22, 16, 29, 24];
  const y = [20, 11, 17, 12];

  it("computes U and exact p-values (scipy.stats.mannwhitneyu, method='exact')", () => {
    const g = mannWhitneyU(x, y, { alternative: "greater" });
    expect(g).toMatchObject({ u1: 17, u2: 3, method: "exact", ties: false });
    expect(g.pValue).toBeCloseTo(7 / 126, 12);
    expect(mannWhitneyU(x, y).pValue).toBeCloseTo(14 / 126, 12);
    expect(mannWhitneyU(x, y, { alternative: "less" }).pValue).toBeCloseTo(0.9682539682539683, 12);
  });

  it("computes asymptotic p-values (method='asymptotic', continuity correction)", () => {
    const opts = { method: "asymptotic" } as const;
    expect(mannWhitneyU(x, y, opts).pValue).toBeCloseTo(0.11134688653314041, 6);
    expect(mannWhitneyU(x, y, { ...opts, alternative: "greater" }).pValue).toBeCloseTo(
      0.055673443266570206,
      6,
    );
    expect(mannWhitneyU(x, y, { ...opts, alternative: "less" }).pValue).toBeCloseTo(
      0.9669037101389033,
      6,
    );
  });

  it("corrects the variance for ties", () => {
    const a = [1, 2, 2, 3, 4, 5, 5, 5, 7, 9];
    const b = [2, 3, 3, 4, 6, 6, 8, 8, 10, 11, 12];
    const two = mannWhitneyU(a, b);
    expect(two).toMatchObject({ u1: 32.5, method: "asymptotic", ties: true });
    expect(two.pValue).toBeCloseTo(0.11951947856061877, 6);
    expect(mannWhitneyU(a, b, { alternative: "greater" }).pValue).toBeCloseTo(
      0.9481905763759916,
      6,
    );
    expect(mannWhitneyU(a, b, { alternative: "less" }).pValue).toBeCloseTo(0.059759739280309386, 6);
  });

  it("gives p = 1 when every value is tied", () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3]).pValue).toBe(1);
  });

  it("has the right null distribution", () => {
    // m = n = 2: U ∈ 0…4 with counts 1, 1, 2, 1, 1 of C(4, 2) = 6.
    expect([...mannWhitneyNullDistribution(2, 2)].map((p) => p * 6)).toEqual(
      [1, 1, 2, 1, 1].map((c) => expect.closeTo(c, 12)),
    );
    const d = mannWhitneyNullDistribution(30, 40);
    expect(d.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect((d[0] as number) * Number(55347740058143507128n)).toBeCloseTo(1, 9); // P(U = 0) = 1 / C(70, 30)
    for (let u = 0; u < d.length; u++) expect(d[u]).toBeCloseTo(d[d.length - 1 - u] as number, 14);
  });

  it("exact and asymptotic agree for moderate samples", () => {
    const a = noisy(1, 40, 10, 0.05);
    const b = noisy(2, 40, 10.3, 0.05);
    const e = mannWhitneyU(a, b, { alternative: "less", method: "exact" }).pValue;
    const n = mannWhitneyU(a, b, { alternative: "less", method: "asymptotic" }).pValue;
    expect(Math.abs(e - n)).toBeLessThan(0.01);
  });
});

describe("bootstrap", () => {
  it("is deterministic for a seed and stream, and varies with them", () => {
    const a = noisy(3, 50, 12, 0.05);
    const b = noisy(4, 50, 10, 0.05);
    const one = bootstrapRatioOfMedians(a, b, { seed: 1, stream: "x" });
    expect(bootstrapRatioOfMedians(a, b, { seed: 1, stream: "x" })).toEqual(one);
    expect(bootstrapRatioOfMedians(a, b, { seed: 2, stream: "x" })).not.toEqual(one);
    expect(one.low).toBeLessThan(one.estimate);
    expect(one.high).toBeGreaterThan(one.estimate);
    expect(one.estimate).toBeGreaterThan(1.1);
    expect(one.estimate).toBeLessThan(1.3);
  });

  it("covers the true ratio about as often as its confidence says", () => {
    let covered = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const a = noisy(100 + t, 40, 12, 0.1);
      const b = noisy(500 + t, 40, 10, 0.1);
      const ci = bootstrapRatioOfMedians(a, b, { resamples: 400, seed: t });
      if (ci.low <= 1.2 && 1.2 <= ci.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(88);
  });

  it("rejects bad options", () => {
    expect(() => bootstrap([[1]], () => 1, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrap([[1]], () => 1, { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrap([[]], () => 1)).toThrow(RangeError);
  });
});
