import { describe, expect, it } from "vitest";
import {
  binomialHalfCdf,
  median,
  medianInterval,
  quantile,
  summarize,
  tCritical95,
} from "../../src/benchmark/stats.ts";

describe("quantiles (type 7)", () => {
  it("matches NumPy's default percentile", () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6];
    // numpy.percentile(xs, [50, 75, 99, 10]) = [3.5, 5.25, 8.79, 1.0]
    expect(quantile(xs, 0.5)).toBe(3.5);
    expect(quantile(xs, 0.75)).toBe(5.25);
    expect(quantile(xs, 0.99)).toBeCloseTo(8.79, 12);
    expect(quantile(xs, 0.1)).toBe(1);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe("tCritical95", () => {
  it("gives the table values and the expansion beyond df 30 (scipy.stats.t.ppf(0.975, df))", () => {
    expect(tCritical95(1)).toBeCloseTo(12.706204736, 9);
    expect(tCritical95(30)).toBeCloseTo(2.042272456, 9);
    expect(tCritical95(31)).toBeCloseTo(2.039513446396408, 7);
    expect(tCritical95(40)).toBeCloseTo(2.021075390306273, 7);
    expect(tCritical95(100)).toBeCloseTo(1.9839715185235518, 8);
    expect(tCritical95(1000)).toBeCloseTo(1.9623390808264083, 9);
    expect(tCritical95(0)).toBeNaN();
  });
});

describe("summarize", () => {
  it("computes tinybench-style statistics", () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s.median).toBe(3);
    expect(s.min).toBe(1);
    expect(s.max).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // moe = t(0.975, 4) · sd / √n
    expect(s.moe).toBeCloseTo((2.776445105 * Math.sqrt(2.5)) / Math.sqrt(5), 9);
    expect(s.rme).toBeCloseTo((100 * s.moe) / 3, 9);
    expect(s.n).toBe(5);
  });

  it("gives zero spread for one sample and rejects none", () => {
    expect(summarize([4])).toMatchObject({ median: 4, sd: 0, moe: 0, rme: 0, n: 1 });
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe("medianInterval", () => {
  it("uses the binomial order statistics (n = 10: ranks 2 and 9)", () => {
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    const ci = medianInterval(xs);
    expect(ci.low).toBe(2);
    expect(ci.high).toBe(9);
    expect(ci.coverage).toBeCloseTo(1 - (2 * 11) / 1024, 12);
  });

  it("falls back to [min, max] below six samples", () => {
    const ci = medianInterval([3, 1, 2, 5, 4]);
    expect([ci.low, ci.high]).toEqual([1, 5]);
    expect(ci.coverage).toBeCloseTo(1 - 2 / 32, 12);
  });

  it("sums the binomial CDF without underflow for large n", () => {
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 15);
    expect(binomialHalfCdf(2000, 1000)).toBeGreaterThan(0.5);
    expect(binomialHalfCdf(2000, 2000)).toBe(1);
    const big = Array.from({ length: 2001 }, (_, i) => i);
    const ci = medianInterval(big);
    // Normal approximation: 1000 ± 1.96 · √2001 / 2 ≈ 1000 ± 43.8.
    expect(ci.low).toBeGreaterThanOrEqual(955);
    expect(ci.low).toBeLessThanOrEqual(957);
    expect(ci.high).toBe(2000 - ci.low);
    expect(ci.coverage).toBeGreaterThanOrEqual(0.95);
  });
});
