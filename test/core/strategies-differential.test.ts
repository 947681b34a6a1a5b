/**
 * gantry's strategies: the WASM core against the TypeScript reference over random clusters
 * (fast-check). Classic bin-packing score plugins mixed with in-tree ones, and the by-name
 * selection: every verdict, each plugin's normalised contribution, totals and the selected node
 * in explain mode, placements over sequences. GPU sharing inside the default profile (GpuShare
 * with the FGD paper's score plugins weighted beside the in-tree ones): placements and devices
 * over sequences.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClassicStrategy, PluginArgs, Profile } from "../../src/config/types.ts";
import { WasmScheduler } from "../../src/core/scheduler.ts";
import { STRATEGY_SCORE_KINDS } from "../../src/core/strategies.ts";
import { GPU_MILLI_ANNOTATION, GPU_MODEL_KEY } from "../../src/model/gpu.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import {
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { profileWithTypicalPods } from "../../src/reference/plugins/gpuscores/args.ts";
import { coreProfile } from "../../src/sim/profile.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import {
  defaultProfile as base,
  compareSequence,
  explainBoth,
  registry,
} from "../helpers/differential.ts";
import { clusterArb, podArb, type RandomCluster } from "../helpers/random-cluster.ts";

const CLASSIC = ["FirstFit", "BestFit", "WorstFit", "DotProduct", "RandomScore"];

/** Score plugins (gantry's, maybe beside NodeResourcesFit) or a by-name selection. */
type Variant =
  | { readonly kind: "score"; readonly plugins: readonly [string, number][] }
  | { readonly kind: "select"; readonly strategy: ClassicStrategy };

const variantArb: fc.Arbitrary<Variant> = fc.oneof(
  fc.record({
    kind: fc.constant("score" as const),
    plugins: fc.uniqueArray(
      fc.tuple(
        fc.constantFrom(...CLASSIC, "NodeResourcesFit", "NodeResourcesBalancedAllocation"),
        fc.integer({ min: 1, max: 5 }),
      ),
      { minLength: 1, maxLength: 3, selector: (p) => p[0] },
    ),
  }),
  fc.record({
    kind: fc.constant("select" as const),
    strategy: fc.constantFrom<ClassicStrategy>(
      "FirstFit",
      "BestFit",
      "WorstFit",
      "Random",
      "DotProduct",
    ),
  }),
);

function profileOf(v: Variant, percentage?: number): Profile {
  const p = withImplementedPlugins(base, registry);
  if (v.kind === "select")
    return coreProfile({ ...p, selection: { strategy: v.strategy, decreasing: false } }).profile;
  return coreProfile({
    ...p,
    ...(percentage === undefined ? {} : { percentageOfNodesToScore: percentage }),
    plugins: {
      ...p.plugins,
      preScore: p.plugins.preScore.filter((r) => v.plugins.some(([n]) => n === r.name)),
      score: v.plugins.map(([name, weight]) => ({ name, weight })),
    },
  }).profile;
}

async function compareExplain(c: RandomCluster, pod: Pod, v: Variant, seed: number) {
  const { ref, ev, names } = await explainBoth(c, pod, profileOf(v), seed);
  const position = new Map(ev.feasible.map((node, p) => [node, p]));
  ref.nodes.forEach((rn, i) => {
    expect({ node: rn.name, feasible: position.has(i) }).toEqual({
      node: rn.name,
      feasible: rn.feasible,
    });
    if (!rn.feasible || v.kind === "select") return;
    const s = ev.scores[position.get(i) as number];
    let gantry = 0;
    for (const [name, weight] of v.plugins) {
      if (name in STRATEGY_SCORE_KINDS) gantry += (rn.scores?.[name]?.normalized ?? -1) * weight;
    }
    expect({ node: rn.name, strategies: s?.strategies, total: s?.total }).toEqual({
      node: rn.name,
      strategies: gantry,
      total: rn.total,
    });
  });
  expect(ev.selected < 0 ? null : names[ev.selected]).toEqual(ref.selected);
}

describe("classic strategies: core vs reference", () => {
  it("agree in explain mode (400 random cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        clusterArb(60).chain((c) =>
          fc.tuple(fc.constant(c), podArb(c.nodes.length, "incoming"), variantArb, fc.nat()),
        ),
        async ([c, pod, v, seed]) => compareExplain(c, pod, v, seed),
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  it("agree on placements over sequences (100 sequences, with sampling)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 5, max: 150 })
          .chain((n) =>
            fc.tuple(
              clusterArb(n),
              fc.array(podArb(n, "p"), { minLength: 1, maxLength: 25 }),
              variantArb,
              fc.nat(),
              fc.constantFrom(0, 10, 100),
            ),
          ),
        async ([c, pods, v, seed, pct]) => compareSequence(c, pods, profileOf(v, pct), seed, pct),
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});

// ---- GPU sharing in the default profile ----------------------------------------------------

const MODELS = ["A100", "T4"];

const gpuNodesArb: fc.Arbitrary<Node[]> = fc
  .array(
    fc.record({
      cpu: fc.integer({ min: 4, max: 64 }),
      gpus: fc.constantFrom(0, 1, 2, 4, 8),
      model: fc.constantFrom(...MODELS),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((ns) =>
    ns.map((n, i) =>
      makeNode({
        name: `n${i}`,
        allocatable: {
          cpu: String(n.cpu),
          memory: "64Gi",
          pods: "110",
          ...(n.gpus > 0 ? { "nvidia.com/gpu": String(n.gpus) } : {}),
        },
        labels: n.gpus > 0 ? { [GPU_MODEL_KEY]: n.model } : {},
      }),
    ),
  );

const gpuPodArb = (name: string): fc.Arbitrary<Pod> =>
  fc
    .record({
      cpu: fc.integer({ min: 0, max: 8 }),
      kind: fc.constantFrom("cpu", "share", "share", "whole"),
      milli: fc.constantFrom(100, 250, 500, 800),
      whole: fc.constantFrom(1, 2, 4),
      model: fc.constantFrom("", "", "T4", "A100|T4"),
    })
    .map((p) =>
      makePod({
        name,
        requests: {
          cpu: String(p.cpu),
          memory: "1Gi",
          ...(p.kind === "whole" ? { "nvidia.com/gpu": String(p.whole) } : {}),
        },
        ...(p.kind === "whole" ? { limits: { "nvidia.com/gpu": String(p.whole) } } : {}),
        annotations: {
          ...(p.kind === "share" ? { [GPU_MILLI_ANNOTATION]: String(p.milli) } : {}),
          ...(p.kind !== "cpu" && p.model !== "" ? { [GPU_MODEL_KEY]: p.model } : {}),
        },
      }),
    );

const GPU_SCORES = [
  "GpuDotProdScore",
  "GpuClusteringScore",
  "GpuPackingScore",
  "GpuBestFitScore",
  "FGDScore",
  "GpuRandomScore",
];

function gpuProfile(
  plugin: string,
  weight: number,
  selection: string,
  pods: readonly Pod[],
): Profile {
  const p = withImplementedPlugins(base, registry);
  const pluginConfig = new Map<string, PluginArgs>(p.pluginConfig);
  pluginConfig.set("GpuShare", {
    kind: "GpuShareArgs",
    gpuSelection: selection,
  } as unknown as PluginArgs);
  if (plugin === "FGDScore") {
    pluginConfig.set("FGDScore", {
      kind: "FGDScoreArgs",
      popularityThreshold: 95,
    } as unknown as PluginArgs);
  }
  const profile: Profile = {
    ...p,
    plugins: {
      ...p.plugins,
      preScore:
        plugin === "GpuRandomScore"
          ? [...p.plugins.preScore, { name: plugin, weight: 0 }]
          : p.plugins.preScore,
      score: [...p.plugins.score, { name: plugin, weight }],
    },
    pluginConfig,
  };
  return coreProfile(profileWithTypicalPods(profile, pods)).profile;
}

describe("GPU sharing in the default profile: core vs reference", () => {
  it("agree on placements and devices over sequences (120 sequences)", async () => {
    await fc.assert(
      fc.asyncProperty(
        gpuNodesArb,
        fc
          .array(fc.nat(), { minLength: 1, maxLength: 30 })
          .chain((ks) => fc.tuple(...ks.map((_, k) => gpuPodArb(`p${k}`)))),
        fc.constantFrom(...GPU_SCORES),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("best", "random", "fgd"),
        fc.nat(),
        async (nodes, pods, plugin, weight, selection, seed) => {
          const sel = selection === "fgd" && plugin !== "FGDScore" ? "best" : selection;
          const profile = gpuProfile(plugin, weight, sel, pods);
          const fwk = newFramework(profile, registry);
          const snapshot = new Snapshot(nodes, []);
          const state = newSchedulerState({ seed, percentageOfNodesToScore: 100 });
          const typical = (profile.pluginConfig.get("FGDScore") as { typicalPods?: [] } | undefined)
            ?.typicalPods;
          const core = await WasmScheduler.create({
            nodes,
            profile,
            seed,
            percentageOfNodesToScore: 100,
            build: "debug",
            typicalPods: typical,
          });
          pods.forEach((pod, k) => {
            const r = scheduleOne(pod, snapshot, fwk, state);
            const want = r.kind === "Scheduled" ? r.node : null;
            const got = core.scheduleName(pod);
            expect({ pod: k, node: got }).toEqual({ pod: k, node: want });
            if (want === null) return;
            const info = snapshot.nodeInfoList[snapshot.indexOf(want)];
            const devices = [...(info?.gpuDevicesOf(pod.metadata.uid) ?? [])].sort((a, b) => a - b);
            const mask = core.lastGpuMask;
            const coreDevices: number[] = [];
            for (let g = 0; g < 16; g++) if (mask & (1 << g)) coreDevices.push(g);
            expect({ pod: k, devices: coreDevices }).toEqual({ pod: k, devices });
          });
        },
      ),
      { numRuns: 120 },
    );
  }, 120_000);
});
