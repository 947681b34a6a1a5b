/**
 * gantry's GPU score plugins (docs/placement-strategies.md "The FGD paper's GPU policies"):
 * the `src/gpu` scores over the NodeInfo's GPU view, and FGD's ⌊100 σ(x)⌋ by thresholds.
 */
import { describe, expect, it } from "vitest";
import type { FGDScoreArgs, Profile } from "../../../src/config/types.ts";
import {
  fgdScoreFromDelta as fgdScoreFromDeltaExact,
  SIGMOID_THRESHOLDS,
  sigmoidPercent,
} from "../../../src/gpu/index.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import {
  profileWithTypicalPods,
  typicalPodsFromPods,
} from "../../../src/reference/plugins/gpuscores/args.ts";
import {
  newFGDScore,
  newGpuBestFitScore,
  newGpuClusteringScore,
  newGpuDotProdScore,
  newGpuPackingScore,
  newGpuRandomScore,
} from "../../../src/reference/plugins/gpuscores/index.ts";
import { Pcg32 } from "../../../src/reference/rand.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { build, profileOf, scoreAll, sharePod, wholePod } from "../gantry-support.ts";

function gpuNode(name: string, gpus: number) {
  return makeNode({
    name,
    allocatable: { cpu: "32", memory: "64Gi", pods: "110", "nvidia.com/gpu": String(gpus) },
  });
}

// n1: 32 cpu, 4 GPUs, a 500-milli / 1-cpu pod on device 0; n2: 32 cpu, 2 idle GPUs.
// The pod: 500 milli, 2 cpu.
const snapshot = () =>
  new Snapshot(
    [gpuNode("n1", 4), gpuNode("n2", 2)],
    [sharePod("s", 500, { cpu: "1", nodeName: "n1" })],
  );
const pod = sharePod("p", 500, { cpu: "2" });
const run = (factory: Parameters<typeof build>[0], args?: unknown, rng?: Pcg32) => {
  const s = snapshot();
  return scoreAll(build(factory, s, args, rng), pod, s.nodeInfoList);
};

describe("GPU score plugins", () => {
  it("GpuDotProdScore: ⌊100 (1 − dot/2)⌋", () => {
    // n1: N = 31000·2000 + 256·3500·500 = 510e6 → ⌊100 (32768e6 − N) / 32768e6⌋ = 98;
    // n2: N = 32000·2000 + 256·2000·500 = 320e6 → 99.
    expect(run(newGpuDotProdScore)).toEqual({ raw: [98, 99], normalized: [98, 99] });
  });

  it("GpuClusteringScore: tag base + ⌊25 (8000 − free) / 8000⌋", () => {
    // n1 hosts only share-gpu: 75 + ⌊25 · 4500 / 8000⌋ = 89; n2 hosts none: 25 + 18 = 43.
    expect(run(newGpuClusteringScore)).toEqual({ raw: [89, 43], normalized: [89, 43] });
  });

  it("GpuPackingScore: packing tiers", () => {
    // n1: device 0 (500 free) taken, not fully free → max(100 − ⌊50/10⌋, 50) = 95;
    // n2: all free → max(33 − 2, 2) = 31.
    expect(run(newGpuPackingScore)).toEqual({ raw: [95, 31], normalized: [95, 31] });
  });

  it("GpuBestFitScore: raw, then min–max", () => {
    // n1: M = 29000 + 16 · 3000 = 77000 → ⌊100 · 179000 / 256000⌋ = 69;
    // n2: M = 30000 + 16 · 1500 = 54000 → ⌊100 · 202000 / 256000⌋ = 78.
    expect(run(newGpuBestFitScore)).toEqual({ raw: [69, 78], normalized: [0, 100] });
  });

  it("GpuRandomScore: one draw over the scored nodes; that node 100", () => {
    for (const seed of [1n, 2n, 3n, 4n]) {
      const mirror = new Pcg32(seed);
      const r = mirror.nextBounded(2);
      const rng = new Pcg32(seed);
      const got = run(newGpuRandomScore, undefined, rng);
      expect(got.raw).toEqual(r === 0 ? [100, 0] : [0, 100]);
      expect(rng.nextU32()).toBe(mirror.nextU32()); // one draw in all
    }
  });

  it("FGDScore: ⌊100 σ(ΔF / 1000)⌋ over the typical pods", () => {
    const args: FGDScoreArgs = {
      kind: "FGDScoreArgs",
      popularityThreshold: 95,
      typicalPods: [{ cpuMilli: 0, gpuMilli: 800, numGpu: 1, models: [], weight: 1, p: 1 }],
    };
    // n1 free [500, 1000, 1000, 1000]: F = 500 (the 500 sliver). Best device: 0 → [0, …]
    // F = 0, Δ = 500 → ⌊100 σ(0.5)⌋ = 62. n2 free [1000, 1000]: F = 0; after [500, 1000]
    // F = 500, Δ = −500 → 37.
    expect(run(newFGDScore, args)).toEqual({ raw: [62, 37], normalized: [62, 37] });
    // A pod requesting nothing scores 100.
    const s = snapshot();
    expect(scoreAll(build(newFGDScore, s, args), makePod(), s.nodeInfoList).raw).toEqual([
      100, 100,
    ]);
    expect(() => build(newFGDScore, s, { popularityThreshold: 95 })).toThrow("no typical pods");
  });

  it("typical pods derived from a pod stream fill FGDScore's args", () => {
    const pods = [
      sharePod("a", 500, { cpu: "1" }),
      sharePod("b", 500, { cpu: "1" }),
      sharePod("c", 500, { cpu: "1" }),
      wholePod("d", 2, { cpu: "4" }),
    ];
    expect(typicalPodsFromPods(pods, 75)).toEqual([
      { cpuMilli: 1000, gpuMilli: 500, numGpu: 1, models: [], weight: 3, p: 1 },
    ]);
    const profile: Profile = profileOf({
      score: [["FGDScore", 1]],
      pluginConfig: new Map([["FGDScore", { kind: "FGDScoreArgs", popularityThreshold: 100 }]]),
    });
    const filled = profileWithTypicalPods(profile, pods).pluginConfig.get(
      "FGDScore",
    ) as FGDScoreArgs;
    expect(filled.typicalPods?.map((t) => [t.cpuMilli, t.numGpu, t.p])).toEqual([
      [1000, 1, 0.75],
      [4000, 2, 0.25],
    ]);
    expect(profileWithTypicalPods(profileOf({}), pods).pluginConfig.size).toBe(0);
  });
});

describe("⌊100 σ(x)⌋ without Math.exp", () => {
  it("thresholds are ln(k / (100 − k)), increasing, 0 at k = 50", () => {
    expect(SIGMOID_THRESHOLDS).toHaveLength(99);
    expect(SIGMOID_THRESHOLDS[49]).toBe(0);
    for (let i = 1; i < 99; i++) {
      expect(SIGMOID_THRESHOLDS[i] as number).toBeGreaterThan(SIGMOID_THRESHOLDS[i - 1] as number);
    }
    expect(sigmoidPercent(0)).toBe(50);
    expect(sigmoidPercent(-100)).toBe(0);
    expect(sigmoidPercent(39.999)).toBe(99);
    expect(sigmoidPercent(40)).toBe(100);
    expect(fgdScoreFromDeltaExact(500)).toBe(62);
  });

  it("equals Math.floor(100 / (1 + Math.exp(−x))) on 1e6 random x in [−20, 20] but a few ulp cases", () => {
    const rng = new Pcg32(2026n, 7n);
    const mismatches: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const u = (rng.nextU32() * 2 ** 21 + (rng.nextU32() >>> 11)) / 2 ** 53; // [0, 1)
      const x = -20 + 40 * u;
      const want = Math.floor(100 / (1 + Math.exp(-x)));
      if (sigmoidPercent(x) !== want) mismatches.push(x);
    }
    // Every mismatch sits on a threshold (within a few ulp), where Math.exp's rounding decides.
    for (const x of mismatches) {
      const near = SIGMOID_THRESHOLDS.some(
        (t) => Math.abs(x - t) <= 1e-12 * Math.max(1, Math.abs(t)),
      );
      expect(near).toBe(true);
    }
    expect(mismatches.length).toBeLessThanOrEqual(5);
  });

  it("agrees with Math.exp on exact thresholds' neighbours except ulp boundaries", () => {
    let differ = 0;
    for (const t of SIGMOID_THRESHOLDS) {
      for (const x of [t, t + 1e-9, t - 1e-9]) {
        if (sigmoidPercent(x) !== Math.floor(100 / (1 + Math.exp(-x)))) differ++;
      }
    }
    // At ±1e-9 from a threshold both agree; at the threshold itself Math.exp may round either way.
    expect(differ).toBeLessThanOrEqual(99);
  });
});
