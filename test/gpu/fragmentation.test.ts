import { describe, expect, it } from "vitest";
import {
  clusterFragmentation,
  compareGroupTuples,
  fragmentationOf,
  type GpuPod,
  makeGpuPod,
  nodeFragmentation,
  type TargetShape,
  typicalPods,
} from "../../src/gpu/index.ts";
import { nodeWithFree } from "./helpers.ts";

function many(n: number, pod: GpuPod): GpuPod[] {
  return new Array<GpuPod>(n).fill(pod);
}

describe("typicalPods (traces.md §3.6 Target workload)", () => {
  const A = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 500 });
  const B = makeGpuPod({ cpuMilli: 2000 });
  const C = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 1000 });
  const D = makeGpuPod({ cpuMilli: 500, numGpu: 1, gpuMilli: 1000, gpuSpec: "T4" });
  const pods = [...many(3, A), ...many(2, B), ...many(2, C), D]; // 8 pods

  it("groups, orders by count then larger tuple, and stops at the threshold", () => {
    // counts: A 3, B 2, C 2, D 1; B/C tie → larger tuple first: cpu 2000 > 1000 → B.
    // threshold 50: A 3/8 = 37.5% < 50, +B 5/8 = 62.5% ≥ 50 → keep A, B; p = 3/5, 2/5.
    const t = typicalPods(pods, 50);
    expect(t.distinct).toBe(4);
    expect(t.pods.map((p) => [p.cpuMilli, p.gpuMilli, p.numGpu, p.count])).toEqual([
      [1000, 500, 1, 3],
      [2000, 0, 0, 2],
    ]);
    expect(t.pods.map((p) => p.p)).toEqual([0.6, 0.4]);
    expect(t.keptPods).toBe(5);
    expect(t.coverage).toBe(5 / 8);
    // threshold 70: 62.5% < 70, +C 7/8 = 87.5% → 3 groups; default 95: all 4 (100%).
    expect(typicalPods(pods, 70).pods).toHaveLength(3);
    const all = typicalPods(pods);
    expect(all.pods.map((p) => p.count)).toEqual([3, 2, 2, 1]);
    expect(all.pods[3]).toMatchObject({ gpuSpec: "T4", models: ["T4"], p: 1 / 8 });
  });

  it("treats the threshold as ≥ (exactly 50% stops)", () => {
    // 2 of 4 = 50% ≥ 50 → one group kept.
    const t = typicalPods([...many(2, A), B, C], 50);
    expect(t.pods).toHaveLength(1);
    expect(t.coverage).toBe(0.5);
  });

  it("ignores memory in the key", () => {
    const t = typicalPods([
      makeGpuPod({ cpuMilli: 1000, memoryMib: 1 }),
      makeGpuPod({ cpuMilli: 1000, memoryMib: 2 }),
    ]);
    expect(t.distinct).toBe(1);
    expect(t.pods[0]?.count).toBe(2);
  });

  it("orders tied tuples by cpu, then gpu milli, then num_gpu, then spec (larger first)", () => {
    const k = (cpuMilli: number, gpuMilli: number, numGpu: number, gpuSpec: string) => ({
      cpuMilli,
      gpuMilli,
      numGpu,
      gpuSpec,
    });
    expect(compareGroupTuples(k(2000, 0, 0, ""), k(1000, 1000, 8, "T4"))).toBeLessThan(0);
    expect(compareGroupTuples(k(1000, 1000, 1, ""), k(1000, 500, 1, ""))).toBeLessThan(0);
    expect(compareGroupTuples(k(1000, 1000, 2, ""), k(1000, 1000, 1, ""))).toBeLessThan(0);
    expect(compareGroupTuples(k(1000, 1000, 1, "T4"), k(1000, 1000, 1, "P100"))).toBeLessThan(0);
    expect(compareGroupTuples(k(1000, 1000, 1, "P100"), k(1000, 1000, 1, ""))).toBeLessThan(0);
    expect(compareGroupTuples(k(1, 1, 1, "x"), k(1, 1, 1, "x"))).toBe(0);
    // One pod each: order is T4 spec, P100 spec, any spec.
    const t = typicalPods(
      ["", "P100", "T4"].map((s) => makeGpuPod({ cpuMilli: 1, numGpu: 1, gpuSpec: s })),
    );
    expect(t.pods.map((p) => p.gpuSpec)).toEqual(["T4", "P100", ""]);
  });
});

describe("node fragmentation F_n (traces.md §3.6)", () => {
  it("frag_test: lack CPU → all idle counts (251.91)", () => {
    // idle = 200+1000+1000+500 = 2700; three GPUs ≥ 465 but 1000 m < 6000 m → f = 2700.
    // F = 0.0933 × 2700 = 251.91
    const typical: TargetShape[] = [
      { cpuMilli: 6000, gpuMilli: 465, numGpu: 1, models: [], p: 0.0933 },
    ];
    expect(fragmentationOf(1000, [200, 1000, 1000, 500], "G2", typical)).toBeCloseTo(251.91, 9);
    expect(nodeFragmentation(nodeWithFree([200, 1000, 1000, 500], 1000), typical)).toBeCloseTo(
      251.91,
      9,
    );
  });

  it("frag_test: no CPU left → F = idle = 4000 for any typical list", () => {
    const free = [1000, 1000, 1000, 1000, 0, 0, 0, 0];
    const lists: TargetShape[][] = [
      [{ cpuMilli: 1000, gpuMilli: 0, numGpu: 0, models: [], p: 1 }],
      [
        { cpuMilli: 3152, gpuMilli: 810, numGpu: 1, models: [], p: 0.5 },
        { cpuMilli: 11300, gpuMilli: 1000, numGpu: 1, models: [], p: 0.25 },
        { cpuMilli: 12500, gpuMilli: 0, numGpu: 0, models: [], p: 0.25 },
      ],
      [
        { cpuMilli: 1000, gpuMilli: 1000, numGpu: 8, models: [], p: 0.3 },
        { cpuMilli: 1000, gpuMilli: 50, numGpu: 1, models: ["P100"], p: 0.7 },
      ],
    ];
    for (const t of lists) expect(fragmentationOf(0, free, "G2", t)).toBeCloseTo(4000, 9);
  });

  // Node: 8000 m left, T4, free [300, 1000] → idle 1300.
  const shapes: TargetShape[] = [
    { cpuMilli: 1000, gpuMilli: 0, numGpu: 0, models: [], p: 0.2 }, // CPU-only → 1300
    { cpuMilli: 2000, gpuMilli: 500, numGpu: 1, models: [], p: 0.3 }, // fits → sliver 300
    { cpuMilli: 2000, gpuMilli: 1000, numGpu: 2, models: [], p: 0.1 }, // 1 free < 2 → 1300
    { cpuMilli: 9000, gpuMilli: 200, numGpu: 1, models: [], p: 0.1 }, // lack CPU → 1300
    { cpuMilli: 1000, gpuMilli: 200, numGpu: 1, models: ["P100"], p: 0.1 }, // no access → 1300
    { cpuMilli: 1000, gpuMilli: 200, numGpu: 1, models: ["P100", "T4"], p: 0.2 }, // fits → 0
  ];

  it("applies each case of f_n(m)", () => {
    // F = 0.2·1300 + 0.3·300 + 0.1·1300 + 0.1·1300 + 0.1·1300 + 0.2·0
    //   = 260 + 90 + 130 + 130 + 130 + 0 = 740
    expect(nodeFragmentation(nodeWithFree([300, 1000], 8000), shapes)).toBeCloseTo(740, 9);
  });

  it("sums nodes into the cluster amount and ratio", () => {
    // Second node: free [1000, 1000], 8000 m left, idle 2000:
    //   CPU-only 0.2·2000 = 400; 500×1 fits, no sliver 0; 2×1000 fits 0; lack CPU 0.1·2000 = 200;
    //   P100-only 0.1·2000 = 200; P100|T4 fits 0 → F = 800.
    // amount = 740 + 800 = 1540; idle = 1300 + 2000 = 3300; ratio = 1540 / 3300 = 0.4666…
    const c = clusterFragmentation(
      [nodeWithFree([300, 1000], 8000), nodeWithFree([1000, 1000], 8000)],
      shapes,
    );
    expect(c.amount).toBeCloseTo(1540, 9);
    expect(c.idle).toBe(3300);
    expect(c.ratio).toBeCloseTo(1540 / 3300, 12);
    expect(clusterFragmentation([nodeWithFree([0, 0], 100)], shapes)).toEqual({
      amount: 0,
      idle: 0,
      ratio: 0,
    });
  });
});
