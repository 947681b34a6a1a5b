import { describe, expect, it } from "vitest";
import { fgdScoreFromDelta, sigmoid, sigmoidPercent } from "../../src/gpu/fgd.ts";
import { Pcg32 } from "../../src/reference/rand.ts";

describe("sigmoidPercent", () => {
  it("is ⌊100 σ(x)⌋ at hand-checked points", () => {
    expect(sigmoidPercent(0)).toBe(50); // σ(0) = 0.5
    expect(sigmoidPercent(Math.log(3))).toBe(75); // σ(ln 3) = 0.75 exactly at the cut
    expect(sigmoidPercent(-Math.log(3))).toBe(25);
    expect(sigmoidPercent(1)).toBe(73); // 73.105…
    expect(sigmoidPercent(-1)).toBe(26); // 26.894…
    expect(sigmoidPercent(-50)).toBe(0);
    expect(sigmoidPercent(50)).toBe(100);
    expect(fgdScoreFromDelta(2000)).toBe(88); // σ(2) = 0.8807…
  });

  it("equals Math.floor(100 σ(x)) away from the thresholds (200,000 random x in [-20, 20])", () => {
    const r = new Pcg32(7);
    let differ = 0;
    for (let j = 0; j < 200_000; j++) {
      const x = (r.nextU32() / 2 ** 32) * 40 - 20;
      if (sigmoidPercent(x) !== Math.floor(100 * sigmoid(x))) differ++;
    }
    // A difference needs x within an ulp or so of one of 99 thresholds: none expected.
    expect(differ).toBe(0);
  });
});
