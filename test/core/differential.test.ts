/**
 * Differential tests: the WebAssembly core against the TypeScript reference, over random
 * clusters and pods (fast-check). For the same seed both must agree on every node's filter
 * verdict (and the plugin that rejected it), every plugin's raw and normalized score, every
 * total, the PreScore skips, and the selected node — in explain mode (every node evaluated) and
 * over sequences of cycles with node sampling and the rotating start index.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  Profile,
  ScoringStrategyType,
} from "../../src/config/types.ts";
import type { Pod } from "../../src/model/types.ts";
import {
  compareNodes,
  compareSequence,
  coreSkips,
  defaultCoreProfile,
  explainBoth,
} from "../helpers/differential.ts";
import {
  clusterArb,
  plainCluster,
  plainPod,
  podArb,
  type RandomCluster,
} from "../helpers/random-cluster.ts";

interface Variant {
  readonly strategy: ScoringStrategyType;
  readonly fitResources: readonly { name: string; weight: number }[];
  readonly formula: "v1.35" | "v1.36";
  readonly balancedResources: readonly { name: string; weight: number }[];
  readonly ignoreGpu: boolean;
}

const variantArb: fc.Arbitrary<Variant> = fc.record({
  strategy: fc.constantFrom<ScoringStrategyType>(
    "LeastAllocated",
    "MostAllocated",
    "RequestedToCapacityRatio",
  ),
  fitResources: fc.oneof(
    fc.constant([
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ]),
    fc.constant([
      { name: "cpu", weight: 3 },
      { name: "memory", weight: 1 },
      { name: "example.com/gpu", weight: 2 },
      { name: "ephemeral-storage", weight: 1 },
    ]),
  ),
  formula: fc.constantFrom<"v1.35" | "v1.36">("v1.35", "v1.36"),
  balancedResources: fc.oneof(
    fc.constant([
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ]),
    fc.constant([
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
      { name: "example.com/gpu", weight: 1 },
    ]),
  ),
  ignoreGpu: fc.boolean(),
});

/**
 * The default profile as both engines run it (the reference's plugins, less those the core does
 * not run yet), with the variant's NodeResourcesFit and NodeResourcesBalancedAllocation args.
 */
function profileOf(v: Variant): Profile {
  const fit: NodeResourcesFitArgs = {
    kind: "NodeResourcesFitArgs",
    ignoredResources: v.ignoreGpu ? ["example.com/gpu"] : [],
    ignoredResourceGroups: [],
    scoringStrategy: {
      type: v.strategy,
      resources: v.fitResources,
      ...(v.strategy === "RequestedToCapacityRatio"
        ? {
            requestedToCapacityRatio: {
              shape: [
                { utilization: 0, score: 10 },
                { utilization: 40, score: 3 },
                { utilization: 100, score: 0 },
              ],
            },
          }
        : {}),
    },
  };
  const bal: NodeResourcesBalancedAllocationArgs = {
    kind: "NodeResourcesBalancedAllocationArgs",
    resources: v.balancedResources,
    formula: v.formula,
  };
  return defaultCoreProfile({ NodeResourcesFit: fit, NodeResourcesBalancedAllocation: bal });
}

async function compareExplain(c: RandomCluster, pod: Pod, v: Variant, seed: number) {
  const { ref, ev, names } = await explainBoth(c, pod, profileOf(v), seed);
  expect(ev.error !== undefined).toBe(ref.error !== undefined);
  if (ref.error !== undefined) return;

  // Filter verdicts and the scores of feasible nodes, node by node.
  compareNodes(c, ref, ev, { conditional: [] });
  const skipped = coreSkips(ev, []);
  // PreScore runs only when some node passed Filter. PodTopologySpread and InterPodAffinity
  // skip for every pod the core accepts (no constraints, no pod affinity terms anywhere).
  if (ref.nodes.some((n) => n.feasible)) {
    // VolumeBinding's PreScore always skips (storage capacity scoring is off by default).
    const conditional = ["PodTopologySpread", "InterPodAffinity", "VolumeBinding"];
    expect(ref.skipped.preScore).toEqual(expect.arrayContaining(conditional));
    const refSkipped = ref.skipped.preScore.filter((p) => !conditional.includes(p));
    expect(skipped.sort()).toEqual(refSkipped.sort());
  }
  expect(ev.selected < 0 ? null : names[ev.selected]).toEqual(ref.selected);
}

describe("WASM core vs TypeScript reference", () => {
  it("agrees on every verdict, score and selection in explain mode (1,000 random cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        clusterArb(200).chain((c) =>
          fc.tuple(fc.constant(c), podArb(c.nodes.length, "incoming"), variantArb, fc.nat()),
        ),
        async ([c, pod, v, seed]) => {
          await compareExplain(c, pod, v, seed);
        },
      ),
      { numRuns: 1000 },
    );
  }, 300_000);

  it("agrees on placements and the start index over cycles with sampling (200 sequences)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 90, max: 400 })
          .chain((n) =>
            fc.tuple(
              clusterArb(n),
              fc.array(podArb(n, "p"), { minLength: 1, maxLength: 30 }),
              variantArb,
              fc.nat(),
              fc.constantFrom(0, 0, 10, 50, 100),
            ),
          ),
        async ([c, pods, v, seed, pct]) => {
          await compareSequence(
            c,
            pods.map((p, k) => ({
              ...p,
              metadata: { ...p.metadata, name: `p${k}`, uid: `uid-p${k}` },
            })),
            profileOf(v),
            seed,
            pct,
          );
        },
      ),
      { numRuns: 200 },
    );
  }, 300_000);

  it("agrees over many pods of a few templates (score cache reuse, 100 sequences)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 20, max: 300 })
          .chain((n) =>
            fc.tuple(
              clusterArb(n),
              fc.array(podArb(n, "t"), { minLength: 1, maxLength: 3 }),
              fc.array(fc.nat(), { minLength: 10, maxLength: 120 }),
              variantArb,
              fc.nat(),
              fc.constantFrom(0, 30, 100),
            ),
          ),
        async ([c, templates, picks, v, seed, pct]) => {
          const pods = picks.map((k, i) => {
            const t = templates[k % templates.length] as Pod;
            return { ...t, metadata: { ...t.metadata, name: `p${i}`, uid: `uid-p${i}` } };
          });
          await compareSequence(c, pods, profileOf(v), seed, pct);
        },
      ),
      { numRuns: 100 },
    );
  }, 300_000);

  it("agrees when the core selects through its incremental tree (100 sequences)", async () => {
    // No PreferNoSchedule taints, host ports or preferred terms: the conditions under which the
    // core answers each cycle from its per-class segment tree; 100…600 nodes, so sampling,
    // the visited window and its wrap-around all matter.
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 100, max: 600 })
          .chain((n) =>
            fc.tuple(
              clusterArb(n, 100),
              fc.array(podArb(n, "t"), { minLength: 1, maxLength: 3 }),
              fc.array(fc.nat(), { minLength: 20, maxLength: 150 }),
              variantArb,
              fc.nat(),
              fc.constantFrom(0, 5, 30, 100),
            ),
          ),
        async ([c, templates, picks, v, seed, pct]) => {
          const pods = picks.map((k, i) => {
            const t = plainPod(templates[k % templates.length] as Pod);
            return { ...t, metadata: { ...t.metadata, name: `p${i}`, uid: `uid-p${i}` } };
          });
          await compareSequence(plainCluster(c), pods, profileOf(v), seed, pct);
        },
      ),
      { numRuns: 100 },
    );
  }, 300_000);
});
