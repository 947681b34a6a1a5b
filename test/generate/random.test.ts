/**
 * The generators' PCG32: bit-identical to the reference `Pcg32`, one independent stream per
 * generator name, 53-bit doubles.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fnv1a64, Random, splitMix64, streamRandom } from "../../src/generate/random.ts";
import { Pcg32 } from "../../src/reference/rand.ts";

function draws(rng: { nextU32(): number }, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextU32());
}

describe("Random", () => {
  it("matches the pcg32-demo vector (seed 42, stream 54)", () => {
    expect(draws(new Random(42n, 54n), 6)).toEqual([
      0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e,
    ]);
  });

  it("draws exactly what the reference Pcg32 draws, for any seed and stream", () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 64n - 1n), fc.bigInt(0n, 2n ** 64n - 1n), (seed, stream) => {
        expect(draws(new Random(seed, stream), 64)).toEqual(draws(new Pcg32(seed, stream), 64));
      }),
      { numRuns: 200 },
    );
  });

  it("nextBounded agrees with the reference", () => {
    const a = new Random(9n, 3n);
    const b = new Pcg32(9n, 3n);
    for (const bound of [1, 2, 3, 7, 1000, 2 ** 31 + 5, 2 ** 32 - 1]) {
      for (let i = 0; i < 50; i++) expect(a.nextBounded(bound)).toBe(b.nextBounded(bound));
    }
    expect(() => a.nextBounded(0)).toThrow(RangeError);
  });

  it("nextDouble is in [0, 1) and uses two draws of 27 and 26 bits", () => {
    const a = new Random(5n, 6n);
    const b = new Random(5n, 6n);
    for (let i = 0; i < 10_000; i++) {
      const u = a.nextDouble();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const hi = b.nextU32() >>> 5;
      const lo = b.nextU32() >>> 6;
      expect(u).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
  });
});

describe("streamRandom", () => {
  it("is PCG32 with stream FNV-1a(name) and seed SplitMix64(seed xor FNV-1a(name))", () => {
    const h = fnv1a64("pool/general");
    const expected = new Random(splitMix64(7n ^ h), h & (2n ** 63n - 1n));
    expect(draws(streamRandom(7, "pool/general"), 16)).toEqual(draws(expected, 16));
  });

  it("FNV-1a-64 has its published test values", () => {
    expect(fnv1a64("")).toBe(0xcbf29ce484222325n);
    expect(fnv1a64("a")).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64("foobar")).toBe(0x85944171f73967e8n);
  });

  it("gives each name and each seed its own sequence", () => {
    const seqs = [
      draws(streamRandom(1, "a"), 8),
      draws(streamRandom(1, "b"), 8),
      draws(streamRandom(2, "a"), 8),
      draws(streamRandom(2, "b"), 8),
    ];
    for (let i = 0; i < seqs.length; i++) {
      for (let j = i + 1; j < seqs.length; j++) expect(seqs[i]).not.toEqual(seqs[j]);
    }
    expect(draws(streamRandom(1, "a"), 8)).toEqual(seqs[0]);
  });
});
