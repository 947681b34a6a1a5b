/**
 * The WASM core's GPU sharing (GpuShare and the FGD paper's six score plugins, by-name GPU
 * policies) against a plain loop over src/gpu's reference functions with kube-scheduler's cycle:
 * filter every node, a single feasible node taken without scoring, the highest score, ties by one
 * `nextBounded(ties)` draw, devices by the policy's selection method. Placements (node and
 * devices) must agree pod by pod.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig, type Profile } from "../../src/config/index.ts";
import { WasmScheduler } from "../../src/core/scheduler.ts";
import {
  type BoundedRandom,
  fits,
  type GpuNode,
  type GpuPod,
  makeGpuNode,
  makeGpuPod,
  POLICY_GPU_SEL,
  type PolicyName,
  place,
  scoreNodes,
  selectGpus,
  type TargetShape,
  typicalPods,
} from "../../src/gpu/index.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { traceNode, tracePod } from "../../src/replay/core-engine.ts";
import { namedPolicyProfile, PAPER_NAME } from "../../src/scenario/named-policies.ts";
import { coreProfile } from "../../src/sim/profile.ts";

const MODELS = ["A100", "T4", "V100"];

interface Case {
  readonly nodes: { cpu: number; mem: number; gpus: number; model: string }[];
  readonly pods: { cpu: number; mem: number; num: number; milli: number; spec: string[] }[];
  readonly seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  nodes: fc.array(
    fc.record({
      cpu: fc.integer({ min: 4, max: 96 }).map((c) => c * 1000),
      mem: fc.integer({ min: 8, max: 256 }).map((m) => m * 1024),
      gpus: fc.constantFrom(0, 1, 2, 4, 8),
      model: fc.constantFrom(...MODELS),
    }),
    { minLength: 1, maxLength: 12, size: "medium" },
  ),
  pods: fc.array(
    fc.record({
      cpu: fc.integer({ min: 0, max: 32 }).map((c) => c * 500),
      mem: fc.integer({ min: 0, max: 64 }).map((m) => m * 512),
      num: fc.constantFrom(0, 1, 1, 1, 2, 4),
      milli: fc.constantFrom(100, 250, 500, 700, 1000),
      spec: fc.subarray(MODELS, { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 50, size: "medium" },
  ),
  seed: fc.integer({ min: 0, max: 1000 }),
});

function gpuNodes(c: Case): GpuNode[] {
  return c.nodes.map((n, i) =>
    makeGpuNode({
      name: `n${i}`,
      model: n.gpus > 0 ? n.model : "",
      cpuMilli: n.cpu,
      memoryMib: n.mem,
      gpuCount: n.gpus,
      maxPods: 110,
    }),
  );
}

function gpuPods(c: Case): GpuPod[] {
  return c.pods.map((p, i) =>
    makeGpuPod({
      name: `p${i}`,
      cpuMilli: p.cpu,
      memoryMib: p.mem,
      numGpu: p.num,
      gpuMilli: p.num > 1 ? 1000 : p.milli,
      gpuSpec: p.spec,
    }),
  );
}

/** kube-scheduler's cycle over src/gpu: [node index, devices] per pod, or null. */
function reference(
  nodes: GpuNode[],
  pods: readonly GpuPod[],
  policy: PolicyName,
  typical: readonly TargetShape[],
  rng: BoundedRandom,
): ([number, number[]] | null)[] {
  return pods.map((pod) => {
    const feasible = nodes.filter((n) => n.podCount < n.maxPods && fits(pod, n));
    if (feasible.length === 0) return null;
    let node = feasible[0] as GpuNode;
    if (feasible.length > 1) {
      const scores = scoreNodes(policy, pod, feasible, { rng, typical });
      const top = Math.max(...scores);
      const ties = feasible.filter((_, i) => scores[i] === top);
      node = (ties.length === 1 ? ties[0] : ties[rng.nextBounded(ties.length)]) as GpuNode;
    }
    const gpus = selectGpus(pod, node, POLICY_GPU_SEL[policy], { rng, typical }) ?? [];
    place(node, pod, gpus);
    return [nodes.indexOf(node), [...gpus].sort((a, b) => a - b)];
  });
}

const BASE = defaultSchedulerConfig().profiles[0] as Profile;

describe("GPU sharing in the core vs src/gpu", () => {
  for (const name of [
    "GpuRandom",
    "GpuDotProd",
    "GpuClustering",
    "GpuPacking",
    "GpuBestFit",
    "FGD",
  ]) {
    it(`${name}: same node and devices for every pod (150 random clusters)`, async () => {
      const profile = coreProfile(namedPolicyProfile(name, BASE) as Profile).profile;
      let placedTotal = 0;
      let podsTotal = 0;
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const gp = gpuPods(c);
          const typical = typicalPods(gp).pods;
          const expected = reference(
            gpuNodes(c),
            gp,
            PAPER_NAME[name] as PolicyName,
            typical,
            new Pcg32(c.seed),
          );
          const core = await WasmScheduler.create({
            nodes: gpuNodes(c).map(traceNode),
            profile,
            seed: c.seed,
            typicalPods: typical,
          });
          const names = core.nodeNames;
          const actual = gp
            .map((p) => tracePod(p, p.name))
            .map((pod) => {
              const i = core.schedule(pod);
              if (i < 0) return null;
              const mask = core.lastGpuMask;
              const gpus: number[] = [];
              for (let g = 0; g < 16; g++) if (mask & (1 << g)) gpus.push(g);
              return [Number((names[i] as string).slice(1)), gpus] as [number, number[]];
            });
          placedTotal += actual.filter((a) => a !== null).length;
          podsTotal += actual.length;
          expect(actual).toEqual(expected);
        }),
        { numRuns: 150, seed: 42 },
      );
      // The cases place pods, not only reject them.
      expect(placedTotal).toBeGreaterThan(podsTotal / 3);
    }, 60_000);
  }
});
