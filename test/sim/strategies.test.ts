/**
 * The simulation's side of the placement strategies: the *Decreasing queue order, the packing
 * metrics on hand-made nodes, the typical pods from counts (= src/gpu's from a pod list), and GPU
 * policies end to end.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig, type Profile } from "../../src/config/index.ts";
import { makeGpuPod, typicalPods, typicalPodsOfCounts } from "../../src/gpu/index.ts";
import type { Pod } from "../../src/model/types.ts";
import { namedPolicyProfile } from "../../src/scenario/named-policies.ts";
import { simulate } from "../../src/sim/engine.ts";
import { coreProfile } from "../../src/sim/profile.ts";
import { packingMetrics, typicalFromCounts } from "../../src/sim/strategies.ts";
import type { PodArrival } from "../../src/sim/types.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const BASE = defaultSchedulerConfig().profiles[0] as Profile;
const named = (name: string) => coreProfile(namedPolicyProfile(name, BASE) as Profile).profile;
const now = (template: Pod): PodArrival => ({
  time: 0,
  template,
  duration: Number.POSITIVE_INFINITY,
});

describe("FirstFitDecreasing", () => {
  // Two nodes of 10 cpu; pods of 5, 6, 4, 5 cpu arriving together. FirstFit in arrival order:
  // 5 → n0, 6 → n1, 4 → n0 (9), 5 fits nowhere. Largest first: 6 → n0, 5 → n1, 5 → n1, 4 → n0.
  const nodes = ["n0", "n1"].map((name) =>
    makeNode({ name, allocatable: { cpu: "10", memory: "10Gi", pods: "10" } }),
  );
  const arrivals = [5, 6, 4, 5].map((cpu, k) =>
    now(makePod({ name: `p${k}`, requests: { cpu: String(cpu), memory: "1Mi" } })),
  );
  for (const [policy, scheduled] of [
    ["FirstFit", 3],
    ["FirstFitDecreasing", 4],
    ["BestFitDecreasing", 4],
  ] as const) {
    it(`${policy} schedules ${scheduled} of 4`, async () => {
      const r = await simulate({
        name: "ffd",
        nodes,
        profile: named(policy),
        arrivals,
        seed: 0,
        endTime: 1,
      });
      expect(r.pods.scheduled).toBe(scheduled);
    });
  }
});

describe("packing metrics", () => {
  it("stranded capacity and FGD fragmentation on two hand-made nodes", () => {
    const typical = [
      { cpuMilli: 1000, gpuMilli: 500, numGpu: 1, models: [], p: 0.5 },
      { cpuMilli: 1000, gpuMilli: 0, numGpu: 0, models: [], p: 0.5 },
    ];
    const m = packingMetrics(
      [
        // 500m cpu left: no typical pod fits → its 500m, 8Gi and 300 milli-GPU are stranded.
        // F = 0.5 · 300 (no device has 500 free) + 0.5 · 300 (CPU-only shape: all idle) = 300.
        {
          cpuAlloc: 8000,
          cpuFree: 500,
          memAlloc: 16 * 2 ** 30,
          memFree: 8 * 2 ** 30,
          podsFree: 10,
          model: "V100",
          gpuUsed: [1000, 700],
        },
        // Empty: the GPU shape fits with no slivers (0), the CPU-only shape sees 2000 idle.
        // F = 0.5 · 0 + 0.5 · 2000 = 1000.
        {
          cpuAlloc: 8000,
          cpuFree: 8000,
          memAlloc: 16 * 2 ** 30,
          memFree: 16 * 2 ** 30,
          podsFree: 10,
          model: "V100",
          gpuUsed: [0, 0],
        },
      ],
      typical,
    );
    expect(m.strandedNodes).toBe(1);
    expect(m.stranded).toEqual({ cpu: 500 / 16000, memory: 0.25, gpu: 300 / 4000 });
    expect(m.gpu).toEqual({
      devices: 4,
      allocation: 1700 / 4000,
      fragmentationMilli: 1300,
      fragmentationRatio: 1300 / 2300,
      fragmentationPct: 32.5,
    });
  });

  it("typicalPodsOfCounts equals src/gpu's typicalPods over the expanded pods", () => {
    const shape = fc.record({
      cpuMilli: fc.constantFrom(0, 1000, 2000, 4000),
      numGpu: fc.constantFrom(0, 1, 2),
      gpuMilli: fc.constantFrom(250, 500, 1000),
      gpuSpec: fc.constantFrom("", "T4", "V100|T4"),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(shape, fc.integer({ min: 1, max: 20 })), { minLength: 1 }),
        fc.integer({ min: 50, max: 100 }),
        (entries, threshold) => {
          const pods = entries.map(([s, c]) => [makeGpuPod(s), c] as const);
          const expanded = pods.flatMap(([p, c]) => Array.from({ length: c }, () => p));
          expect(typicalPodsOfCounts(pods, threshold)).toEqual(typicalPods(expanded, threshold));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("typicalFromCounts reads Kubernetes pods: cpu request, GPU share, multiplicity", () => {
    const cpu = makePod({ name: "etl", requests: { cpu: "1" } });
    const share = makePod({
      name: "infer",
      requests: { cpu: "2" },
      annotations: { "gantry.dev/gpu-milli": "500", "gantry.dev/gpu-model": "T4" },
    });
    // 3 of 4 pods are CPU-only: 75 % < 95 %, so both shapes are kept.
    expect(
      typicalFromCounts([
        [cpu, 3],
        [share, 1],
      ]),
    ).toMatchObject([
      { cpuMilli: 1000, numGpu: 0, gpuMilli: 0, models: [], p: 0.75 },
      { cpuMilli: 2000, numGpu: 1, gpuMilli: 500, models: ["T4"], p: 0.25 },
    ]);
  });
});

describe("GPU policies in a simulation", () => {
  it("every policy keeps GPU use within the devices and reports fragmentation", async () => {
    const nodes = [0, 1, 2].map((i) =>
      makeNode({
        name: `g${i}`,
        allocatable: { cpu: "32", memory: "64Gi", pods: "50", "nvidia.com/gpu": "2" },
        labels: { "gantry.dev/gpu-model": "T4" },
      }),
    );
    const share = (name: string, milli: number) =>
      makePod({
        name,
        requests: { cpu: "1", memory: "1Gi" },
        annotations: { "gantry.dev/gpu-milli": String(milli) },
      });
    const arrivals = Array.from({ length: 14 }, (_, k) =>
      now(share(`p${k}`, [700, 400, 300][k % 3] as number)),
    );
    // 14 pods, Σ milli = 5 × 700 + 5 × 400 + 4 × 300 = 6700 > 6000 available.
    for (const policy of [
      "GpuRandom",
      "GpuDotProd",
      "GpuClustering",
      "GpuPacking",
      "GpuBestFit",
      "FGD",
    ]) {
      const r = await simulate({
        name: "g",
        nodes,
        profile: named(policy),
        arrivals,
        seed: 3,
        endTime: 1,
      });
      const gpu = r.packing.gpu;
      expect(gpu?.devices, policy).toBe(6);
      expect(gpu?.allocation, policy).toBeLessThanOrEqual(1);
      expect(r.pods.scheduled + r.pods.unschedulable, policy).toBe(14);
      expect(r.pods.unschedulable, policy).toBeGreaterThan(0);
      expect(gpu?.fragmentationMilli, policy).toBeGreaterThanOrEqual(0);
    }
  });
});
