import { describe, expect, it } from "vitest";
import {
  bestFitRawScore,
  bestFitScores,
  dotProdScore,
  fgdScore,
  fgdScoreFromDelta,
  gpuClusteringScore,
  gpuPackingScore,
  makeGpuNode,
  makeGpuPod,
  normalizeMinMax,
  POLICIES,
  POLICY_GPU_SEL,
  place,
  randomScores,
  scoreNodes,
  type TargetShape,
} from "../../src/gpu/index.ts";
import { nodeWithFree, scriptedRng } from "./helpers.ts";

describe("Random (traces.md §3.1)", () => {
  it("gives 100 to the one drawn feasible node", () => {
    const rng = scriptedRng([1]);
    expect(randomScores(3, rng)).toEqual([0, 100, 0]);
    expect(rng.bounds).toEqual([3]);
    expect(randomScores(0, rng)).toEqual([]);
    expect(rng.bounds).toEqual([3]); // no draw for an empty list
  });
});

describe("DotProd (traces.md §3.2)", () => {
  it("scores ⌊100 (1 − dot/2)⌋", () => {
    // node: 64000 m left, 2 idle GPUs (2000 free); pod 8000 m, 1×1000.
    // dot = (64000/128000)(8000/128000) + (2000/8000)(1000/8000) = 0.03125 + 0.03125 = 0.0625
    // 100 (1 − 0.03125) = 96.875 → 96
    const n = nodeWithFree([1000, 1000], 64000);
    expect(dotProdScore(n, makeGpuPod({ cpuMilli: 8000, numGpu: 1 }))).toBe(96);
    // full node vs full pod: dot = 1 + 1 = 2 → 0
    const full = nodeWithFree(new Array(8).fill(1000), 128000);
    expect(dotProdScore(full, makeGpuPod({ cpuMilli: 128000, numGpu: 8 }))).toBe(0);
  });

  it("prefers the least CPU left for CPU-only pods", () => {
    // pod 32000 m. 64000 left: dot = 0.5·0.25 = 0.125 → 100·0.9375 = 93.75 → 93.
    // 32000 left: dot = 0.25·0.25 = 0.0625 → 100·0.96875 = 96.875 → 96.
    const pod = makeGpuPod({ cpuMilli: 32000 });
    expect(dotProdScore(nodeWithFree([0, 0], 64000), pod)).toBe(93);
    expect(dotProdScore(nodeWithFree([0, 0], 32000), pod)).toBe(96);
    // CPU left below the request → 0
    expect(dotProdScore(nodeWithFree([], 31999), pod)).toBe(0);
  });

  it("floors the exact value (no float drift)", () => {
    // CPU-only pod 102400 m on a node with 112000 m left and no GPU:
    // dot = 0.875 · 0.8 = 0.7 → 100 (1 − 0.35) = 65 exactly (float64 gives 64.99999999999999).
    expect(dotProdScore(nodeWithFree([], 112000), makeGpuPod({ cpuMilli: 102400 }))).toBe(65);
  });
});

describe("GpuClustering (traces.md §3.3)", () => {
  const share = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 500 });
  const one = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 1000 });
  const two = makeGpuPod({ cpuMilli: 1000, numGpu: 2, gpuMilli: 1000 });
  const node8 = () => makeGpuNode({ cpuMilli: 96000, gpuCount: 8, model: "G2" });

  it("gives 25 + fill term to nodes with no GPU pods", () => {
    expect(gpuClusteringScore(node8(), share)).toBe(25); // 25 + ⌊25·0/8000⌋
    // 2-GPU idle node: 25 + ⌊25·(8000 − 2000)/8000⌋ = 25 + ⌊18.75⌋ = 43
    expect(gpuClusteringScore(makeGpuNode({ cpuMilli: 1, gpuCount: 2 }), share)).toBe(43);
  });

  it("uses the hosted tags", () => {
    const n = node8();
    place(n, share, [0]); // free 7500
    expect(gpuClusteringScore(n, share)).toBe(76); // 75 + ⌊25·500/8000⌋ = 75 + ⌊1.5625⌋
    expect(gpuClusteringScore(n, one)).toBe(1); // only other tags: 0 + 1
    place(n, one, [1]); // free 6500, tags {share, 1-gpu}
    expect(gpuClusteringScore(n, share)).toBe(54); // 50 + ⌊25·1500/8000⌋ = 50 + ⌊4.6875⌋
  });

  it("keeps k in the k-gpu tag", () => {
    const n = node8();
    place(n, two, [0, 1]); // free 6000, tags {2-gpu}
    expect(gpuClusteringScore(n, one)).toBe(6); // 0 + ⌊25·2000/8000⌋ = ⌊6.25⌋
    expect(gpuClusteringScore(n, two)).toBe(81); // 75 + 6
    expect(gpuClusteringScore(n, makeGpuPod({ cpuMilli: 1 }))).toBe(0); // CPU-only
  });
});

describe("GpuPacking (traces.md §3.4)", () => {
  const used = () => nodeWithFree([200, 1000, 1000, 500], 64000);
  const whole2 = makeGpuPod({ numGpu: 2, gpuMilli: 1000 });

  it("matches the simulator's unit vectors", () => {
    expect(gpuPackingScore(used(), whole2)).toBe(48); // case 2: max(50 − 2, 33)
    expect(gpuPackingScore(nodeWithFree([1000, 1000, 1000, 1000], 1), whole2)).toBe(29); // 33 − 4
    expect(gpuPackingScore(nodeWithFree(new Array(8).fill(1000), 1), whole2)).toBe(25); // 33 − 8
    // 2×200 takes the 200 and 500 GPUs: ⌊20000/1000⌋ + ⌊50000/1000⌋ = 70 → 100 − ⌊70/10⌋ = 93
    expect(gpuPackingScore(used(), makeGpuPod({ numGpu: 2, gpuMilli: 200 }))).toBe(93);
  });

  it("scores sharing pods by the three cases", () => {
    // 1×300: ascending free 200 (too small), 500 → partly used only:
    // ⌊500·100/1000⌋ = 50 → 100 − ⌊50/10⌋ = 95
    expect(gpuPackingScore(used(), makeGpuPod({ numGpu: 1, gpuMilli: 300 }))).toBe(95);
    // 1×600: 200 and 500 too small → a fully free GPU → max(50 − 1, 33) = 49
    expect(gpuPackingScore(used(), makeGpuPod({ numGpu: 1, gpuMilli: 600 }))).toBe(49);
    // 1×150 on free [199, 1000]: ⌊19900/1000⌋ = 19 → 100 − ⌊19/10⌋ = 99
    expect(
      gpuPackingScore(nodeWithFree([199, 1000], 1), makeGpuPod({ numGpu: 1, gpuMilli: 150 })),
    ).toBe(99);
    // idle 1-GPU node: max(33 − 1, 1) = 32
    expect(gpuPackingScore(nodeWithFree([1000], 1), makeGpuPod({ numGpu: 1, gpuMilli: 10 }))).toBe(
      32,
    );
    // per-GPU integer terms: 2×10 on [55, 45]: ⌊4.5⌋ + ⌊5.5⌋ = 9 → 100 − ⌊0.9⌋ = 100
    // (dividing the sum first would give ⌊100·100/1000⌋ = 10 → 99)
    expect(
      gpuPackingScore(nodeWithFree([55, 45], 1), makeGpuPod({ numGpu: 2, gpuMilli: 10 })),
    ).toBe(100);
    // cap at 50: 8×10 on eight GPUs with 999 free: 8·⌊99.9⌋ = 792 → 100 − 79 = 21 → 50
    expect(
      gpuPackingScore(
        nodeWithFree(new Array(8).fill(999), 1),
        makeGpuPod({ numGpu: 8, gpuMilli: 10 }),
      ),
    ).toBe(50);
    expect(gpuPackingScore(used(), makeGpuPod({ cpuMilli: 1000 }))).toBe(0); // CPU-only
  });
});

describe("BestFit (traces.md §3.5)", () => {
  const pod = makeGpuPod({ cpuMilli: 8000 }); // CPU-only: GPU request 0
  const x = nodeWithFree([1000, 1000], 64000);
  const y = nodeWithFree([0, 0], 16000);
  const z = nodeWithFree(new Array(8).fill(1000), 96000);

  it("computes the raw score ⌊100 (1 − raw)⌋", () => {
    // x: raw = 0.5·56000/128000 + 0.5·2000/8000 = 0.21875 + 0.125 = 0.34375 → ⌊65.625⌋ = 65
    expect(bestFitRawScore(x, pod)).toBe(65);
    // y: raw = 0.5·8000/128000 + 0 = 0.03125 → ⌊96.875⌋ = 96
    expect(bestFitRawScore(y, pod)).toBe(96);
    // z: raw = 0.5·88000/128000 + 0.5·8000/8000 = 0.34375 + 0.5 = 0.84375 → ⌊15.625⌋ = 15
    expect(bestFitRawScore(z, pod)).toBe(15);
    // sharing pod 4000 m, 1×300 on 32000 m left, free [500, 1000]:
    // raw = 0.5·28000/128000 + 0.5·1200/8000 = 0.109375 + 0.075 = 0.184375 → ⌊81.5625⌋ = 81
    const s = makeGpuPod({ cpuMilli: 4000, numGpu: 1, gpuMilli: 300 });
    expect(bestFitRawScore(nodeWithFree([500, 1000], 32000), s)).toBe(81);
  });

  it("min–max normalises with integer division", () => {
    // lo 15, hi 96: x → ⌊(65 − 15)·100/81⌋ = ⌊61.73⌋ = 61; y → 100; z → 0
    expect(bestFitScores([x, y, z], pod)).toEqual([61, 100, 0]);
    expect(normalizeMinMax([40, 40])).toEqual([0, 0]); // equal scores → all 0
    expect(normalizeMinMax([7])).toEqual([0]);
    expect(normalizeMinMax([])).toEqual([]);
    // ⌊(1 − 0)·100/3⌋ = 33, ⌊2·100/3⌋ = 66
    expect(normalizeMinMax([0, 1, 2, 3])).toEqual([0, 33, 66, 100]);
  });
});

describe("FGD (traces.md §3.6)", () => {
  // Typical: whole 1-GPU (1000 m) p 0.5, sharing 500 (1000 m) p 0.5.
  // Node: 8000 m left, free [1000, 1000, 1000, 300] → idle 3300.
  // before: whole → slivers < 1000: 300; share → slivers < 500: 300 → F = 300.
  const typical: TargetShape[] = [
    { cpuMilli: 1000, gpuMilli: 1000, numGpu: 1, models: [], p: 0.5 },
    { cpuMilli: 1000, gpuMilli: 500, numGpu: 1, models: [], p: 0.5 },
  ];
  const node = () => nodeWithFree([1000, 1000, 1000, 300], 8000);

  it("quantises ⌊100 σ(Δ/1000)⌋", () => {
    expect(fgdScoreFromDelta(0)).toBe(50);
    expect(fgdScoreFromDelta(1000)).toBe(73); // σ(1) = 0.7311
    expect(fgdScoreFromDelta(-1000)).toBe(26); // σ(−1) = 0.2689
    expect(fgdScoreFromDelta(-40)).toBe(49); // 100 σ(−0.04) = 49.0001 → 49
  });

  it("tries each fitting GPU for a sharing pod", () => {
    // 1×200: GPU3 (300 → 100): both shapes see sliver 100 → F = 100, Δ = 200 → ⌊54.98⌋ = 54.
    //   GPU0 (1000 → 800): whole sees 800 + 300, share sees 300 → F = 550 + 150 = 700,
    //   Δ = −400 → ⌊40.13⌋ = 40. Best: GPU3, 54.
    const r = fgdScore(node(), makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 200 }), typical);
    expect(r).toEqual({ score: 54, gpu: 3 });
    // 1×700: GPU3 does not fit; GPU0 → [300, 1000, 1000, 300]: both shapes see 600 → F = 600,
    //   Δ = −300 → ⌊42.56⌋ = 42; GPUs 1, 2 tie → lowest index 0.
    const r2 = fgdScore(node(), makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 700 }), typical);
    expect(r2).toEqual({ score: 42, gpu: 0 });
  });

  it("scores CPU-only and whole-GPU pods by one hypothetical placement", () => {
    // CPU-only 7500 m: 500 m left < 1000 → both shapes idle 3300 → Δ = 300 − 3300 = −3000 →
    // ⌊100 σ(−3)⌋ = ⌊4.74⌋ = 4
    expect(fgdScore(node(), makeGpuPod({ cpuMilli: 7500 }), typical).score).toBe(4);
    // 1×1000, 1000 m: a free GPU becomes 0 → slivers unchanged (300) → Δ = 0 → 50
    expect(fgdScore(node(), makeGpuPod({ cpuMilli: 1000, numGpu: 1 }), typical).score).toBe(50);
    // 3×1000, 1000 m: [0, 0, 0, 300]: whole lacks GPU → 300; share lacks GPU → 300 → F = 300,
    // Δ = 0 → 50
    expect(fgdScore(node(), makeGpuPod({ cpuMilli: 1000, numGpu: 3 }), typical).score).toBe(50);
    // a pod requesting nothing → 100
    expect(fgdScore(node(), makeGpuPod({}), typical).score).toBe(100);
  });
});

describe("scoreNodes / POLICY_GPU_SEL (traces.md §3)", () => {
  it("maps each policy to its GPU-selection method", () => {
    expect(POLICIES.map((p) => POLICY_GPU_SEL[p])).toEqual([
      "random",
      "best",
      "best",
      "best",
      "best",
      "fgd",
    ]);
  });

  it("dispatches to the score functions", () => {
    const nodes = [nodeWithFree([1000, 1000], 64000), nodeWithFree([0, 0], 16000)];
    const pod = makeGpuPod({ cpuMilli: 8000 });
    const typical: TargetShape[] = [{ cpuMilli: 1000, gpuMilli: 0, numGpu: 0, models: [], p: 1 }];
    expect(scoreNodes("Random", pod, nodes, { rng: scriptedRng([0]) })).toEqual([100, 0]);
    expect(scoreNodes("DotProd", pod, nodes)).toEqual(nodes.map((n) => dotProdScore(n, pod)));
    expect(scoreNodes("GpuClustering", pod, nodes)).toEqual([0, 0]);
    expect(scoreNodes("GpuPacking", pod, nodes)).toEqual([0, 0]);
    expect(scoreNodes("BestFit", pod, nodes)).toEqual([0, 100]); // raw 65, 96
    // CPU-only typical pod: F = idle before and after → Δ = 0 → 50 everywhere
    expect(scoreNodes("FGD", pod, nodes, { typical })).toEqual([50, 50]);
    expect(() => scoreNodes("FGD", pod, nodes)).toThrow();
    expect(() => scoreNodes("Random", pod, nodes)).toThrow();
  });
});
