/**
 * Differential tests for PodTopologySpread: the WebAssembly core against the TypeScript
 * reference over random clusters with zones, regions, hostnames and custom topology keys (some
 * missing), taints, bound pods in two namespaces (some terminating), Services / ReplicaSets /
 * StatefulSets, and pods with 0–3 topology spread constraints (test/helpers/random-spread.ts),
 * under System or List defaulting. Same structure as test/core/differential.test.ts:
 *
 * - explain mode (every node filtered, every feasible node scored): each node's verdict and
 *   rejecting plugin (PodTopologySpread's skew and missing-label failures told apart), every
 *   PodTopologySpread raw and normalized score next to the other plugins', every total, the
 *   PreScore skips (PodTopologySpread's included) and the selected node;
 * - sequences of pods from a few templates on 100–400 nodes with node sampling: identical
 *   placements and `nextStartNodeIndex` after every pod, each placement feeding the next pod's
 *   counts (the reference's `scheduleOne` and the core's `scheduleName` both assume the pod).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { PluginArgs, PodTopologySpreadArgs, Profile } from "../../src/config/types.ts";
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
  newSchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
} from "../../src/reference/plugins/podtopologyspread/index.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import {
  renamed,
  type SpreadCluster,
  spreadArgsArb,
  spreadClusterArb,
  spreadPodArb,
} from "../helpers/random-spread.ts";

const registry = defaultRegistry();
const base = defaultSchedulerConfig().profiles[0] as Profile;

/** The default profile as both engines run it, with the given PodTopologySpread args. */
function profileOf(args: PodTopologySpreadArgs): Profile {
  const config = new Map<string, PluginArgs>(base.pluginConfig);
  config.set("PodTopologySpread", args);
  return restrictToCore(withImplementedPlugins({ ...base, pluginConfig: config }, registry));
}

/** What the random cases reached, on the reference's side (checked after the property). */
interface Coverage {
  cases: number;
  /** Cases where PodTopologySpread rejected some node for skew / for a missing key. */
  skew: number;
  missingLabel: number;
  /** Cases where PodTopologySpread scored (not skipped at PreScore) some feasible node. */
  scored: number;
  /** Cases where PodTopologySpread's normalized scores differ between feasible nodes. */
  scoreSpread: number;
  /** Cases whose pod has no constraints of its own yet PodTopologySpread acted (defaults). */
  defaults: number;
  /** Cases where some node lies outside NodeAffinity's PreFilterResult. */
  preFilterResult: number;
}

function objectsOf(c: SpreadCluster) {
  return { namespaces: c.namespaces, kept: c.kept };
}

async function compareExplain(
  c: SpreadCluster,
  pod: Pod,
  args: PodTopologySpreadArgs,
  seed: number,
  cov: Coverage,
) {
  const profile = profileOf(args);
  const fwk = newFramework(profile, registry);
  const ref = explain(pod, new Snapshot(c.nodes, c.bound, objectsOf(c)), fwk, {
    rng: new Pcg32(seed),
  });
  const core = await WasmScheduler.create({
    nodes: c.nodes,
    boundPods: c.bound,
    profile,
    seed,
    objects: objectsOf(c),
    build: "debug",
  });
  const ev = core.evaluate(pod);
  const names = core.nodeNames;
  expect(names).toEqual(ref.nodes.map((n) => n.name));
  expect({ error: ev.error !== undefined }).toEqual({ error: ref.error !== undefined });
  if (ref.error !== undefined) return;

  cov.cases++;
  const spreadFilters = ref.nodes.filter((n) => n.filter?.plugin === "PodTopologySpread");
  if (spreadFilters.some((n) => n.filter?.reasons[0] === ERR_REASON_CONSTRAINTS_NOT_MATCH))
    cov.skew++;
  if (spreadFilters.some((n) => n.filter?.reasons[0] === ERR_REASON_NODE_LABEL_NOT_MATCH))
    cov.missingLabel++;
  const spreadScores = ref.nodes.flatMap((n) => {
    const s = n.scores?.PodTopologySpread;
    return s === undefined ? [] : [s.normalized];
  });
  if (spreadScores.length > 0) cov.scored++;
  if (new Set(spreadScores).size > 1) cov.scoreSpread++;
  if (
    pod.spec.topologySpreadConstraints.length === 0 &&
    (spreadFilters.length > 0 || spreadScores.length > 0)
  )
    cov.defaults++;
  if (ref.nodes.some((n) => n.filter?.reasons[0]?.includes("didn't satisfy plugin(s)")))
    cov.preFilterResult++;

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
        return;
      }
      expect({ node: rn.name, plugin: PLUGIN_OF_CODE[code] ?? `code ${code}` }).toEqual({
        node: rn.name,
        plugin,
      });
      if (code === CoreCode.PodTopologySpreadMissingLabel) {
        expect({ node: rn.name, reasons: rn.filter?.reasons }).toEqual({
          node: rn.name,
          reasons: [ERR_REASON_NODE_LABEL_NOT_MATCH],
        });
        expect(rn.filter?.reasons[0]).toContain("(missing required label)");
      } else if (code === CoreCode.PodTopologySpread) {
        expect({ node: rn.name, reasons: rn.filter?.reasons }).toEqual({
          node: rn.name,
          reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH],
        });
      } else if (code === CoreCode.TaintToleration) {
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
    const want: Record<string, { raw: number; normalized: number }> = {};
    for (const [name, sc] of Object.entries(rn.scores ?? {}))
      want[name] = { raw: sc.raw, normalized: sc.normalized };
    const got: Record<string, { raw: number; normalized: number }> = {};
    got.TaintToleration = { raw: s?.taintRaw ?? -1, normalized: s?.taint ?? -1 };
    if (!ev.skipped.affinity)
      got.NodeAffinity = { raw: s?.affinityRaw ?? -1, normalized: s?.affinity ?? -1 };
    got.NodeResourcesFit = { raw: s?.fit ?? -1, normalized: s?.fit ?? -1 };
    if (!ev.skipped.spread)
      got.PodTopologySpread = { raw: s?.spreadRaw ?? -1, normalized: s?.spread ?? -1 };
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

  // PreScore runs only when some node passed Filter. InterPodAffinity skips for every pod here
  // (no pod affinity terms anywhere); PodTopologySpread's skip must match the reference's.
  if (ref.nodes.some((n) => n.feasible)) {
    expect(ref.skipped.preScore).toContain("InterPodAffinity");
    const skipped = [
      ...(ev.skipped.affinity ? ["NodeAffinity"] : []),
      ...(ev.skipped.balanced ? ["NodeResourcesBalancedAllocation"] : []),
      ...(ev.skipped.spread ? ["PodTopologySpread"] : []),
    ];
    // VolumeBinding's PreScore always skips (storage capacity scoring is off by default).
    const refSkipped = ref.skipped.preScore.filter(
      (p) => p !== "InterPodAffinity" && p !== "VolumeBinding",
    );
    expect(skipped.sort()).toEqual([...refSkipped].sort());
  }
  expect(ev.selected < 0 ? null : names[ev.selected]).toEqual(ref.selected);
}

async function compareSequence(
  c: SpreadCluster,
  pods: readonly Pod[],
  args: PodTopologySpreadArgs,
  seed: number,
  percentage: number,
  stats: { placed: number; unschedulable: number },
) {
  const profile = profileOf(args);
  const fwk = newFramework(profile, registry);
  const snapshot = new Snapshot(c.nodes, c.bound, objectsOf(c));
  const state = newSchedulerState({ seed, percentageOfNodesToScore: percentage });
  const core = await WasmScheduler.create({
    nodes: c.nodes,
    boundPods: c.bound,
    profile,
    seed,
    percentageOfNodesToScore: percentage,
    objects: objectsOf(c),
    build: "debug",
  });
  pods.forEach((pod, k) => {
    const r = scheduleOne(pod, snapshot, fwk, state);
    expect(r.kind).not.toBe("Error");
    const want = r.kind === "Scheduled" ? r.node : null;
    if (want === null) stats.unschedulable++;
    else stats.placed++;
    expect({ pod: k, node: core.scheduleName(pod) }).toEqual({ pod: k, node: want });
    expect({ pod: k, next: core.nextStartNodeIndex }).toEqual({
      pod: k,
      next: state.nextStartNodeIndex,
    });
  });
}

describe("WASM core vs TypeScript reference: PodTopologySpread", () => {
  it("agrees on every verdict, score and selection in explain mode (600 random cases)", async () => {
    const cov: Coverage = {
      cases: 0,
      skew: 0,
      missingLabel: 0,
      scored: 0,
      scoreSpread: 0,
      defaults: 0,
      preFilterResult: 0,
    };
    await fc.assert(
      fc.asyncProperty(
        spreadClusterArb(150, 1, 3).chain((c) =>
          fc.tuple(
            fc.constant(c),
            spreadPodArb(c.nodes.length, "incoming"),
            spreadArgsArb,
            fc.nat(),
          ),
        ),
        async ([c, pod, args, seed]) => {
          await compareExplain(c, pod, args, seed, cov);
        },
      ),
      { numRuns: 600, interruptAfterTimeLimit: 120_000 },
    );
    // The generator reaches every outcome (guards against it silently drifting).
    expect(cov.cases).toBe(600);
    // (Typical counts: skew 100+, missingLabel 240, scored 310, scoreSpread 190, defaults 15,
    // preFilterResult 15.)
    const at = (k: keyof Coverage, min: number) =>
      expect({ [k]: cov[k] >= min }).toEqual({ [k]: true });
    at("skew", 40);
    at("missingLabel", 100);
    at("scored", 150);
    at("scoreSpread", 80);
    at("defaults", 3);
    at("preFilterResult", 3);
  }, 300_000);

  it("agrees on placements and the start index over sequences with sampling (120 sequences)", async () => {
    const stats = { placed: 0, unschedulable: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 100, max: 400 })
          .chain((n) =>
            fc.tuple(
              spreadClusterArb(n, n, 1),
              fc.array(
                fc.oneof(
                  { weight: 4, arbitrary: spreadPodArb(n, "t", { minConstraints: 1 }) },
                  { weight: 1, arbitrary: spreadPodArb(n, "t") },
                ),
                { minLength: 1, maxLength: 3 },
              ),
              fc.array(fc.nat(), { minLength: 10, maxLength: 80, size: "max" }),
              spreadArgsArb,
              fc.nat(),
              fc.constantFrom(0, 30, 100),
            ),
          ),
        async ([c, templates, picks, args, seed, pct]) => {
          const pods = picks.map((k, i) =>
            renamed(templates[k % templates.length] as Pod, `p${i}`),
          );
          await compareSequence(c, pods, args, seed, pct, stats);
        },
      ),
      { numRuns: 120, interruptAfterTimeLimit: 120_000 },
    );
    // Most pods place; some sequences run out of room under hard constraints.
    expect(stats.placed).toBeGreaterThan(stats.unschedulable);
    expect(stats.unschedulable).toBeGreaterThan(0);
  }, 300_000);
});
