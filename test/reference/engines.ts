/**
 * The plugin tables run on two engines: the TypeScript reference (the plugin called directly, as
 * upstream's `_test.go` tables do) and the WebAssembly core (`WasmScheduler.evaluate` over a
 * profile holding only the plugin under test). Each table is written once and run by
 * `describe.each(ENGINES)`; the helpers here turn one table row into the same comparable shape
 * on either engine.
 *
 * The core produces no reason strings and no Unschedulable / UnschedulableAndUnresolvable codes,
 * so on the WASM engine a Filter verdict is `{ pass, plugin, … }`: the rejecting plugin, the
 * untolerated taint (TaintToleration, from `taintIndex`), whether NodeAffinity rejected on the
 * scheduler-enforced added affinity, or whether the node lay outside NodeAffinity's
 * PreFilterResult. The table's expected status is projected onto that shape
 * ({@link expectedVerdict}). Scores are compared normalized (the table's values) on both engines;
 * on the WASM engine {@link expectScores} also checks the raw scores and the PreScore outcome
 * against the reference, every total against weight × score, and the selected node against the
 * reference framework's `explain` with the same seed.
 */
import { expect } from "vitest";
import { EXTENSION_POINTS } from "../../src/config/names.ts";
import type { PluginArgs, PluginRef, Profile } from "../../src/config/types.ts";
import {
  CORE_CODE_PLUGIN,
  CoreCode,
  type CoreEvaluation,
  WasmScheduler,
} from "../../src/core/scheduler.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import { CycleState } from "../../src/reference/framework/cycle-state.ts";
import { explain } from "../../src/reference/framework/explain.ts";
import { newFramework } from "../../src/reference/framework/framework.ts";
import {
  isFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  type PluginFactory,
} from "../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../src/reference/framework/node-info.ts";
import { type ClusterObjects, Snapshot } from "../../src/reference/framework/snapshot.ts";
import { defaultInterPodAffinityArgs } from "../../src/reference/plugins/interpodaffinity/args.ts";
import { defaultNodeAffinityArgs } from "../../src/reference/plugins/nodeaffinity/args.ts";
import { ERR_REASON_ENFORCED } from "../../src/reference/plugins/nodeaffinity/index.ts";
import { defaultBalancedAllocationArgs } from "../../src/reference/plugins/noderesourcesbalancedallocation/args.ts";
import { defaultNodeResourcesFitArgs } from "../../src/reference/plugins/noderesourcesfit/args.ts";
import { defaultPodTopologySpreadArgs } from "../../src/reference/plugins/podtopologyspread/args.ts";
import { defaultRegistry } from "../../src/reference/plugins/registry.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { handleOf, nodeInfoWith, runFilter, runScore } from "./support.ts";

export const ENGINES = ["reference", "wasm"] as const;
export type Engine = (typeof ENGINES)[number];

export type FilterPluginName =
  | "NodeUnschedulable"
  | "NodeName"
  | "TaintToleration"
  | "NodeAffinity"
  | "NodePorts"
  | "NodeResourcesFit";

export type ScorePluginName =
  | "TaintToleration"
  | "NodeAffinity"
  | "NodeResourcesFit"
  | "NodeResourcesBalancedAllocation"
  | "ImageLocality";

/** A status as the reference tables write it. */
export interface StatusLike {
  readonly code: string;
  readonly reasons: readonly string[];
}

/** A Filter verdict as the WASM core can state it (see the module comment). */
export interface CoreVerdict {
  readonly pass: boolean;
  readonly plugin?: string;
  /** TaintToleration: the untolerated taint, `{key: value}` as in the reference's reason. */
  readonly taint?: string;
  /** NodeAffinity: rejected by the scheduler-enforced addedAffinity (code 4) rather than the pod's. */
  readonly enforced?: boolean;
  /** NodeAffinity: outside the PreFilterResult, so Filter never ran (code 8). */
  readonly outsidePreFilterResult?: boolean;
}

const registry = defaultRegistry();
const SEED = 7;
/** Score weight of the plugin under test on both engines' profiles (totals are checked). */
export const WEIGHT = 3;
/** Plugins with a PreFilter / PreScore entry in the profile. */
const PRE_FILTER = new Set([
  "NodeAffinity",
  "NodePorts",
  "NodeResourcesFit",
  "PodTopologySpread",
  "InterPodAffinity",
]);
const PRE_SCORE = new Set([
  "TaintToleration",
  "NodeAffinity",
  "NodeResourcesFit",
  "NodeResourcesBalancedAllocation",
  "PodTopologySpread",
  "InterPodAffinity",
]);

/** The core's codes as plugin names; nodes outside NodeAffinity's PreFilterResult count as its. */
const PLUGIN_OF_CODE: Readonly<Record<number, string>> = {
  ...CORE_CODE_PLUGIN,
  [CoreCode.PreFilterResult]: "NodeAffinity",
};

function factory(plugin: string): PluginFactory {
  const f = registry.get(plugin);
  if (f === undefined) throw new Error(`no reference plugin ${plugin}`);
  return f;
}

/** The plugin's args in the defaulted form a resolved profile holds, or undefined. */
function defaultedArgs(plugin: string, args: unknown): PluginArgs | undefined {
  switch (plugin) {
    case "NodeAffinity":
      return defaultNodeAffinityArgs(args);
    case "NodeResourcesFit":
      return defaultNodeResourcesFitArgs(args);
    case "NodeResourcesBalancedAllocation":
      return defaultBalancedAllocationArgs(args);
    case "PodTopologySpread":
      return defaultPodTopologySpreadArgs(args);
    case "InterPodAffinity":
      return defaultInterPodAffinityArgs(args);
    default:
      return undefined;
  }
}

export interface ProfileOptions {
  readonly filter?: string;
  readonly score?: string;
  readonly args?: unknown;
  /** Whether the plugin's PreFilter is in the profile (default: when it has one). */
  readonly preFilter?: boolean;
}

/** A profile holding only `plugin` at Filter or Score (with its PreFilter / PreScore). */
export function singlePluginProfile(o: ProfileOptions): Profile {
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, [] as PluginRef[]]));
  const at = (name: string, weight = 0): PluginRef[] => [{ name, weight }];
  if (o.filter !== undefined) {
    plugins.filter = at(o.filter);
    if (o.preFilter ?? PRE_FILTER.has(o.filter)) plugins.preFilter = at(o.filter);
  }
  if (o.score !== undefined) {
    plugins.score = at(o.score, WEIGHT);
    if (PRE_SCORE.has(o.score)) plugins.preScore = at(o.score);
  }
  const name = (o.filter ?? o.score) as string;
  const args = defaultedArgs(name, o.args);
  return {
    schedulerName: "default-scheduler",
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig: new Map(args === undefined ? [] : [[name, args]]),
  };
}

// ---------------------------------------------------------------------------------------------
// Filter

export interface FilterCase {
  readonly plugin: FilterPluginName;
  /** The one node the row is about. */
  readonly node: Node;
  /** Pods on the node (their own nodeName is ignored, as upstream's NodeInfo tables do). */
  readonly existing?: readonly Pod[];
  readonly pod: Pod;
  readonly args?: unknown;
  /** WASM only: whether the profile lists the plugin's PreFilter (default: when it has one). */
  readonly preFilter?: boolean;
}

/** Runs the core in explain mode on one node; returns the evaluation. */
export async function evaluateOne(c: FilterCase): Promise<CoreEvaluation> {
  const name = c.node.metadata.name;
  const s = await WasmScheduler.create({
    nodes: [c.node],
    boundPods: (c.existing ?? []).map((p) => ({ ...p, spec: { ...p.spec, nodeName: name } })),
    profile: singlePluginProfile({
      filter: c.plugin,
      args: c.args,
      ...(c.preFilter === undefined ? {} : { preFilter: c.preFilter }),
    }),
    seed: SEED,
    build: "debug",
  });
  return s.evaluate(c.pod);
}

/** The core's verdict on the row's node (selection checked against it). */
export function coreVerdict(c: FilterCase, ev: CoreEvaluation): CoreVerdict {
  const code = ev.codes[0] as number;
  expect(ev.error).toBeUndefined();
  expect(ev.selected).toBe(code === CoreCode.Pass ? 0 : -1);
  expect(ev.feasible).toEqual(code === CoreCode.Pass ? [0] : []);
  if (code === CoreCode.Pass) return { pass: true };
  const plugin = PLUGIN_OF_CODE[code] ?? `code ${code}`;
  if (code === CoreCode.TaintToleration) {
    const t = c.node.spec.taints[ev.taintIndex[0] as number];
    return { pass: false, plugin, taint: t === undefined ? "?" : `{${t.key}: ${t.value}}` };
  }
  if (code === CoreCode.NodeAffinityAdded || code === CoreCode.NodeAffinity) {
    return { pass: false, plugin, enforced: code === CoreCode.NodeAffinityAdded };
  }
  if (code === CoreCode.PreFilterResult)
    return { pass: false, plugin, outsidePreFilterResult: true };
  return { pass: false, plugin };
}

/** The row's Filter status on `engine`: the reference's status, or the core's verdict. */
export async function filterOn(engine: Engine, c: FilterCase): Promise<StatusLike | CoreVerdict> {
  if (engine === "reference") {
    const plugin = factory(c.plugin)(c.args, {
      snapshot: () => {
        throw new Error("unused");
      },
    });
    const r = runFilter(plugin, c.pod, nodeInfoWith(c.node, c.existing));
    return r.filter ?? r.preFilter;
  }
  return coreVerdict(c, await evaluateOne(c));
}

/** What the table's expected status `want` comes to on `engine`. */
export function expectedVerdict(
  engine: Engine,
  plugin: FilterPluginName,
  want: StatusLike,
): StatusLike | CoreVerdict {
  if (engine === "reference") return want;
  if (want.code === "Success") return { pass: true };
  if (plugin === "TaintToleration") {
    const m = /untolerated taint (\{.*\})$/.exec(want.reasons[0] ?? "");
    return { pass: false, plugin, taint: m?.[1] ?? "?" };
  }
  if (plugin === "NodeAffinity") {
    return { pass: false, plugin, enforced: want.reasons.includes(ERR_REASON_ENFORCED) };
  }
  return { pass: false, plugin };
}

/** Runs the row on `engine` and checks it against the table's expected status. */
export async function expectFilter(engine: Engine, c: FilterCase, want: StatusLike) {
  expect(await filterOn(engine, c)).toEqual(expectedVerdict(engine, c.plugin, want));
}

// ---------------------------------------------------------------------------------------------
// Score

export interface ScoreCase {
  readonly plugin: ScorePluginName;
  readonly args?: unknown;
  readonly pod: Pod;
  readonly nodes: readonly Node[];
  /** Pods bound by their own `spec.nodeName` (unbound ones are ignored by both engines). */
  readonly existing?: readonly Pod[];
}

export interface NodeScore {
  readonly name: string;
  readonly score: number;
}

export interface ScoreOutcome {
  /** PreScore's code: Success, Skip or Error (reasons are the reference's only). */
  readonly preScore: string;
  /** Normalized scores in the rows' node order; empty after a non-success PreScore. */
  readonly scores: NodeScore[];
  /** Scores before NormalizeScore (equal to `scores` for plugins without it). */
  readonly raw: NodeScore[];
  /**
   * The node selected by a whole cycle over a profile of only this plugin (explain mode, no
   * Filter): the reference framework's `explain` or the core's `evaluate`, same seed.
   */
  readonly selected: string | null;
}

function rawOf(plugin: ScorePluginName, s: CoreEvaluation["scores"][number]): number {
  switch (plugin) {
    case "TaintToleration":
      return s.taintRaw;
    case "NodeAffinity":
      return s.affinityRaw;
    case "NodeResourcesFit":
      return s.fit;
    case "NodeResourcesBalancedAllocation":
      return s.balanced;
    case "ImageLocality":
      return s.image;
  }
}

function normalizedOf(plugin: ScorePluginName, s: CoreEvaluation["scores"][number]): number {
  if (plugin === "TaintToleration") return s.taint;
  if (plugin === "NodeAffinity") return s.affinity;
  return rawOf(plugin, s);
}

/** Runs the row's scoring on `engine`. */
export async function scoresOn(engine: Engine, c: ScoreCase): Promise<ScoreOutcome> {
  if (engine === "reference") {
    const run = runScore(factory(c.plugin), c.args, c.pod, c.nodes, c.existing);
    const preScore = run.preScore?.code ?? "Success";
    const profile = singlePluginProfile({ score: c.plugin, args: c.args });
    const { selected } = explain(
      c.pod,
      new Snapshot(c.nodes, c.existing),
      newFramework(profile, registry),
      { rng: new Pcg32(SEED) },
    );
    return { preScore, scores: run.scores, raw: run.raw, selected };
  }
  const s = await WasmScheduler.create({
    nodes: c.nodes,
    boundPods: c.existing ?? [],
    profile: singlePluginProfile({ score: c.plugin, args: c.args }),
    seed: SEED,
    build: "debug",
  });
  const ev = s.evaluate(c.pod);
  const names = s.nodeNames;
  // No Filter plugin: every node is feasible and its code is Pass.
  expect([...ev.codes]).toEqual(names.map(() => CoreCode.Pass));
  expect([...ev.feasible].sort((a, b) => a - b)).toEqual(names.map((_, i) => i));
  const skipped =
    (c.plugin === "NodeAffinity" && ev.skipped.affinity) ||
    (c.plugin === "NodeResourcesBalancedAllocation" && ev.skipped.balanced);
  if (ev.error !== undefined) return { preScore: "Error", scores: [], raw: [], selected: null };
  const byName = new Map<string, CoreEvaluation["scores"][number]>();
  ev.feasible.forEach((node, p) => {
    byName.set(names[node] as string, ev.scores[p] as CoreEvaluation["scores"][number]);
  });
  // Every total is the plugin's weighted score (0 when skipped); the selected node has the top total.
  for (const [name, sc] of byName) {
    expect({ name, total: sc.total }).toEqual({
      name,
      total: skipped ? 0 : WEIGHT * normalizedOf(c.plugin, sc),
    });
  }
  const best = Math.max(...[...byName.values()].map((sc) => sc.total));
  expect(byName.get(names[ev.selected] as string)?.total).toBe(best);
  const selected = ev.selected < 0 ? null : (names[ev.selected] ?? null);
  if (skipped) return { preScore: "Skip", scores: [], raw: [], selected };
  const order = c.nodes.map((n) => n.metadata.name);
  const pick = (f: (sc: CoreEvaluation["scores"][number]) => number) =>
    order.map((name) => ({ name, score: f(byName.get(name) as CoreEvaluation["scores"][number]) }));
  return {
    preScore: "Success",
    scores: pick((sc) => normalizedOf(c.plugin, sc)),
    raw: pick((sc) => rawOf(c.plugin, sc)),
    selected,
  };
}

/**
 * Runs the row on `engine` and checks its normalized scores against the table (`want`: node name
 * → score in the rows' node order). On the WASM engine also: PreScore's outcome and the raw
 * scores and the selected node equal the reference's.
 */
export async function expectScores(
  engine: Engine,
  c: ScoreCase,
  want: readonly NodeScore[],
): Promise<ScoreOutcome> {
  const got = await scoresOn(engine, c);
  expect(got.scores).toEqual(want);
  if (engine === "wasm") {
    const ref = await scoresOn("reference", c);
    expect({ preScore: got.preScore, raw: got.raw, selected: got.selected }).toEqual({
      preScore: ref.preScore,
      raw: ref.raw,
      selected: ref.selected,
    });
  }
  return got;
}

// ---------------------------------------------------------------------------------------------
// PodTopologySpread
//
// Its rows are about a whole cluster, not one node: a Filter row gives every node's status code,
// a Score row the normalized scores of the candidate nodes. On the reference engine the plugin is
// called directly (PreFilter, then Filter on every node; PreScore over the candidates, Score,
// NormalizeScore), as upstream's tables do. On the WASM engine the row runs one explain-mode
// cycle over a profile holding only PodTopologySpread; the core's CoreCode.PodTopologySpread (9)
// stands for Unschedulable (the skew) and CoreCode.PodTopologySpreadMissingLabel (10) for
// UnschedulableAndUnresolvable (a missing topology key; the core gives no reasons). The core also
// checks its selected node against the reference framework's `explain` (same seed), and on Score
// rows its raw scores against the reference's and every total against weight × score.

export interface SpreadCase {
  readonly pod: Pod;
  /** Filter rows: every node. Score rows: the candidate nodes, scored in this order. */
  readonly nodes: readonly Node[];
  /** Score rows: nodes in the snapshot that are not candidates (they "failed" Filter). */
  readonly failed?: readonly Node[];
  /** Pods bound by their own `spec.nodeName`. */
  readonly pods?: readonly Pod[];
  readonly args?: unknown;
  /** Namespaces and kept objects (Services, ReplicaSets, StatefulSets) on both engines. */
  readonly objects?: ClusterObjects;
}

export interface SpreadScoreOutcome {
  /** PreScore's code: Success or Skip (or Error). */
  readonly preScore: string;
  /** Candidate → normalized score, in the candidates' order; empty after a non-success PreScore. */
  readonly scores: Record<string, number>;
  /** Candidate → Score's own result before NormalizeScore. */
  readonly raw: Record<string, number>;
}

const SPREAD_CODE: Readonly<Record<number, string>> = {
  [CoreCode.Pass]: "Success",
  [CoreCode.PodTopologySpread]: "Unschedulable",
  [CoreCode.PodTopologySpreadMissingLabel]: "UnschedulableAndUnresolvable",
};

function spreadAll(c: SpreadCase): Node[] {
  return [...c.nodes, ...(c.failed ?? [])];
}

/** The reference plugin over the row's snapshot. */
function spreadPlugin(c: SpreadCase) {
  const snapshot = new Snapshot(spreadAll(c), c.pods ?? [], c.objects ?? {});
  const plugin = factory("PodTopologySpread")(c.args, handleOf(snapshot));
  return { plugin, info: (name: string) => snapshot.get(name) as NodeInfo };
}

/** The selected node of one reference `explain` cycle over the single-plugin profile. */
function referenceSelected(c: SpreadCase, at: "filter" | "score"): string | null {
  const restrict = at === "score" && (c.failed ?? []).length > 0;
  const profile = singlePluginProfile({ [at]: "PodTopologySpread", args: c.args });
  const res = explain(
    c.pod,
    new Snapshot(spreadAll(c), c.pods ?? [], c.objects ?? {}),
    newFramework(profile, registry),
    {
      rng: new Pcg32(SEED),
      ...(restrict ? { candidates: c.nodes.map((n) => n.metadata.name) } : {}),
    },
  );
  expect(res.error).toBeUndefined();
  return res.selected;
}

/** One core cycle over the single-plugin profile (score rows: only the candidates scored). */
async function spreadCore(c: SpreadCase, at: "filter" | "score") {
  const core = await WasmScheduler.create({
    nodes: spreadAll(c),
    boundPods: c.pods ?? [],
    profile: singlePluginProfile({ [at]: "PodTopologySpread", args: c.args }),
    seed: SEED,
    objects: c.objects ?? {},
    build: "debug",
  });
  const names = core.nodeNames;
  const restrict = at === "score" && (c.failed ?? []).length > 0;
  const ev = core.evaluate(
    c.pod,
    restrict ? new Set(c.nodes.map((n) => names.indexOf(n.metadata.name))) : undefined,
  );
  expect(ev.error).toBeUndefined();
  const selected = ev.selected < 0 ? null : (names[ev.selected] ?? null);
  return { ev, names, selected };
}

/** Every node's PreFilter + Filter status code on `engine` (the reference's PreFilter must succeed). */
export async function spreadFilterOn(
  engine: Engine,
  c: SpreadCase,
): Promise<Record<string, string>> {
  if (engine === "reference") {
    const { plugin, info } = spreadPlugin(c);
    if (!isPreFilterPlugin(plugin) || !isFilterPlugin(plugin)) throw new Error("not a filter");
    const state = new CycleState();
    expect(plugin.preFilter(state, c.pod, []).status.code).toBe("Success");
    return Object.fromEntries(
      c.nodes.map((n) => [
        n.metadata.name,
        plugin.filter(state, c.pod, info(n.metadata.name)).code,
      ]),
    );
  }
  const { ev, names, selected } = await spreadCore(c, "filter");
  expect({ selected }).toEqual({ selected: referenceSelected(c, "filter") });
  return Object.fromEntries(
    names.map((name, i) => {
      const code = ev.codes[i] as number;
      return [name, SPREAD_CODE[code] ?? `code ${code}`];
    }),
  );
}

/** Runs a Filter row on `engine` and checks every node's status code against the table. */
export async function expectSpreadFilter(
  engine: Engine,
  c: SpreadCase,
  want: Record<string, string>,
) {
  expect(await spreadFilterOn(engine, c)).toEqual(want);
}

/** The row's PreScore outcome and candidate scores on `engine`. */
export async function spreadScoresOn(engine: Engine, c: SpreadCase): Promise<SpreadScoreOutcome> {
  if (engine === "reference") {
    const { plugin, info } = spreadPlugin(c);
    if (!isPreScorePlugin(plugin) || !isScorePlugin(plugin)) throw new Error("not a score");
    const state = new CycleState();
    const infos = c.nodes.map((n) => info(n.metadata.name));
    const pre = plugin.preScore(state, c.pod, infos);
    if (pre.code !== "Success") return { preScore: pre.code, scores: {}, raw: {} };
    const list = infos.map((i) => {
      const s = plugin.score(state, c.pod, i);
      if (typeof s !== "number") throw new Error(`score failed: ${s.code} ${s.reasons.join(", ")}`);
      return { name: i.name, score: s };
    });
    const raw = Object.fromEntries(list.map((s) => [s.name, s.score]));
    plugin.normalizeScore?.(state, c.pod, list);
    return {
      preScore: "Success",
      scores: Object.fromEntries(list.map((s) => [s.name, s.score])),
      raw,
    };
  }
  const { ev, names, selected } = await spreadCore(c, "score");
  expect({ selected }).toEqual({ selected: referenceSelected(c, "score") });
  const byName = new Map(ev.feasible.map((node, p) => [names[node] as string, ev.scores[p]]));
  // The only score plugin: every total is its weighted normalized score (0 when skipped).
  for (const [name, sc] of byName) {
    expect({ name, total: sc?.total }).toEqual({
      name,
      total: ev.skipped.spread ? 0 : WEIGHT * (sc?.spread ?? Number.NaN),
    });
  }
  if (ev.skipped.spread) return { preScore: "Skip", scores: {}, raw: {} };
  const scores: Record<string, number> = {};
  const raw: Record<string, number> = {};
  for (const n of c.nodes) {
    const sc = byName.get(n.metadata.name);
    if (sc === undefined) continue;
    scores[n.metadata.name] = sc.spread;
    raw[n.metadata.name] = sc.spreadRaw;
  }
  return { preScore: "Success", scores, raw };
}

/**
 * Runs a Score row on `engine`: `want` is the candidates' normalized scores, or "Skip" for a
 * PreScore Skip. On the WASM engine the raw scores also equal the reference's.
 */
export async function expectSpreadScores(
  engine: Engine,
  c: SpreadCase,
  want: Record<string, number> | "Skip",
): Promise<SpreadScoreOutcome> {
  const got = await spreadScoresOn(engine, c);
  if (want === "Skip") {
    expect({ preScore: got.preScore, scores: got.scores }).toEqual({
      preScore: "Skip",
      scores: {},
    });
  } else {
    expect({ preScore: got.preScore, scores: got.scores }).toEqual({
      preScore: "Success",
      scores: want,
    });
  }
  if (engine === "wasm") {
    const ref = await spreadScoresOn("reference", c);
    expect({ preScore: got.preScore, raw: got.raw }).toEqual({
      preScore: ref.preScore,
      raw: ref.raw,
    });
  }
  return got;
}
