/**
 * Differential tests: the WebAssembly core against the TypeScript reference, over random
 * clusters and pods (fast-check). For the same seed both must agree on every node's filter
 * verdict (and the plugin that rejected it), every plugin's raw and normalized score, every
 * total, the PreScore skips, and the selected node — in explain mode (every node evaluated) and
 * over sequences of cycles with node sampling and the rotating start index.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type {
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  PluginArgs,
  Profile,
  ScoringStrategyType,
} from "../../src/config/types.ts";
import {
  CoreCode,
  CORE_CODE_PLUGIN as PLUGIN_OF_CODE,
  restrictToCore,
  WasmScheduler,
} from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import {
  defaultRegistry,
  explain,
  newFramework,
  Snapshot,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { compareSequence } from "../helpers/differential.ts";
import {
  clusterArb,
  plainCluster,
  plainPod,
  podArb,
  type RandomCluster,
} from "../helpers/random-cluster.ts";

const registry = defaultRegistry();
const base = defaultSchedulerConfig().profiles[0] as Profile;

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

function profileOf(v: Variant): Profile {
  const config = new Map<string, PluginArgs>(base.pluginConfig);
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
  config.set("NodeResourcesFit", fit);
  config.set("NodeResourcesBalancedAllocation", bal);
  // The plugins both engines run: the reference's, less those the core does not run yet.
  return restrictToCore(withImplementedPlugins({ ...base, pluginConfig: config }, registry));
}

async function compareExplain(c: RandomCluster, pod: Pod, v: Variant, seed: number) {
  const profile = profileOf(v);
  const fwk = newFramework(profile, registry);
  const ref = explain(pod, new Snapshot(c.nodes, c.bound), fwk, { rng: new Pcg32(seed) });
  const core = await WasmScheduler.create({
    nodes: c.nodes,
    boundPods: c.bound,
    profile,
    seed,
    build: "debug",
  });
  const ev = core.evaluate(pod);
  const names = core.nodeNames;
  expect(names).toEqual(ref.nodes.map((n) => n.name));
  expect(ev.error !== undefined).toBe(ref.error !== undefined);
  if (ref.error !== undefined) return;

  // Filter verdicts, node by node.
  const position = new Map(ev.feasible.map((node, p) => [node, p]));
  ref.nodes.forEach((rn, i) => {
    const code = ev.codes[i] as number;
    expect({ node: rn.name, feasible: code === CoreCode.Pass }).toEqual({
      node: rn.name,
      feasible: rn.feasible,
    });
    if (!rn.feasible) {
      const plugin = rn.filter?.plugin;
      if (code === CoreCode.PreFilterResult) {
        expect(rn.filter?.reasons[0]).toMatch(/didn't satisfy plugin\(s\) \[NodeAffinity\]/);
      } else {
        expect({ node: rn.name, plugin: PLUGIN_OF_CODE[code] }).toEqual({ node: rn.name, plugin });
      }
      if (code === CoreCode.TaintToleration) {
        const t = c.nodes.find((n) => n.metadata.name === rn.name)?.spec.taints[
          ev.taintIndex[i] as number
        ];
        expect(rn.filter?.reasons).toEqual([
          `node(s) had untolerated taint {${t?.key}: ${t?.value}}`,
        ]);
      }
      return;
    }
    // Scores of a feasible node.
    const p = position.get(i);
    expect(p).toBeDefined();
    const s = ev.scores[p as number];
    const rs = rn.scores ?? {};
    const want: Record<string, { raw: number; normalized: number }> = {};
    for (const [name, sc] of Object.entries(rs))
      want[name] = { raw: sc.raw, normalized: sc.normalized };
    const got: Record<string, { raw: number; normalized: number }> = {};
    got.TaintToleration = { raw: s?.taintRaw ?? -1, normalized: s?.taint ?? -1 };
    if (!ev.skipped.affinity)
      got.NodeAffinity = { raw: s?.affinityRaw ?? -1, normalized: s?.affinity ?? -1 };
    got.NodeResourcesFit = { raw: s?.fit ?? -1, normalized: s?.fit ?? -1 };
    if (!ev.skipped.balanced) {
      got.NodeResourcesBalancedAllocation = {
        raw: s?.balanced ?? -1,
        normalized: s?.balanced ?? -1,
      };
    }
    got.ImageLocality = { raw: s?.image ?? -1, normalized: s?.image ?? -1 };
    expect({ node: rn.name, scores: got, total: s?.total }).toEqual({
      node: rn.name,
      scores: want,
      total: rn.total,
    });
  });
  const skipped = [
    ...(ev.skipped.affinity ? ["NodeAffinity"] : []),
    ...(ev.skipped.balanced ? ["NodeResourcesBalancedAllocation"] : []),
  ];
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
