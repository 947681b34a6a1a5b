/**
 * The scaffolding the core-vs-reference differential tests share: the default profile as both
 * engines run it, the two engines started on one cluster (explain mode, or a sequence of cycles
 * with a scheduler state), the node-by-node comparison of an explain result with the core's
 * evaluation, and the sequence comparisons — pods scheduled one after another by the TS
 * reference (`scheduleOne`) and by the WASM core from the same seed, the same node (or none) for
 * every pod and the same start index after every cycle.
 */
import { expect } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { PluginArgs, Profile } from "../../src/config/types.ts";
import {
  CoreCode,
  type CoreEvaluation,
  CORE_CODE_PLUGIN as PLUGIN_OF_CODE,
  restrictToCore,
  WasmScheduler,
} from "../../src/core/scheduler.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import type { ClusterObjects } from "../../src/reference/framework/snapshot.ts";
import {
  defaultRegistry,
  type ExplainNode,
  type ExplainResult,
  explain,
  type Framework,
  newFramework,
  newSchedulerState,
  type SchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { Pcg32 } from "../../src/reference/rand.ts";

/** The reference's plugin registry, as the differential tests build their frameworks from it. */
export const registry = defaultRegistry();

/** The default configuration's first profile, as resolved (every plugin upstream enables). */
export const defaultProfile = defaultSchedulerConfig().profiles[0] as Profile;

/**
 * The default profile as both engines run it — the reference's implemented plugins, less those
 * the core does not run — with `args` replacing the args of the plugins it names.
 */
export function defaultCoreProfile(args: Readonly<Record<string, PluginArgs>>): Profile {
  const pluginConfig = new Map<string, PluginArgs>(defaultProfile.pluginConfig);
  for (const [name, a] of Object.entries(args)) pluginConfig.set(name, a);
  return restrictToCore(withImplementedPlugins({ ...defaultProfile, pluginConfig }, registry));
}

/**
 * A cluster both engines start from: nodes, bound pods, and the other API objects where the
 * cluster has them (both engines get none when it has neither namespaces nor kept objects).
 */
export interface DifferentialCluster extends ClusterObjects {
  readonly nodes: readonly Node[];
  readonly bound: readonly Pod[];
}

/** The namespaces and kept objects of `c` that it has, or undefined when it has neither. */
function objectsOf(c: DifferentialCluster): ClusterObjects | undefined {
  const { namespaces, kept } = c;
  if (namespaces === undefined && kept === undefined) return undefined;
  return {
    ...(namespaces === undefined ? {} : { namespaces }),
    ...(kept === undefined ? {} : { kept }),
  };
}

/** The reference's snapshot of `c`. */
function snapshotOf(c: DifferentialCluster): Snapshot {
  return new Snapshot(c.nodes, c.bound, objectsOf(c));
}

/**
 * The WASM core (debug build) on `c` with `profile` and `seed`; `percentage` is the global
 * `percentageOfNodesToScore` (the core's default when undefined).
 */
export function coreOf(
  c: DifferentialCluster,
  profile: Profile,
  seed: number,
  percentage?: number,
): Promise<WasmScheduler> {
  const objects = objectsOf(c);
  return WasmScheduler.create({
    nodes: c.nodes,
    boundPods: c.bound,
    profile,
    seed,
    ...(percentage === undefined ? {} : { percentageOfNodesToScore: percentage }),
    ...(objects === undefined ? {} : { objects }),
    build: "debug",
  });
}

/** Both engines' answers for one pod in explain mode, and the core that gave its answer. */
export interface Explained {
  /** The reference's explain result. */
  readonly ref: ExplainResult;
  readonly core: WasmScheduler;
  /** The core's evaluation of the pod. */
  readonly ev: CoreEvaluation;
  /** The core's node names, in table order (checked equal to the reference's snapshot order). */
  readonly names: readonly string[];
}

/**
 * Explains `pod` on `c` with both engines (`profile`, selectHost's PRNG seeded with `seed`) and
 * checks that they list the same nodes in the same order. `fwk` is the reference's framework
 * (default: a new one for `profile`), for a test that instruments it first.
 */
export async function explainBoth(
  c: DifferentialCluster,
  pod: Pod,
  profile: Profile,
  seed: number,
  fwk: Framework = newFramework(profile, registry),
): Promise<Explained> {
  const ref = explain(pod, snapshotOf(c), fwk, { rng: new Pcg32(seed) });
  const core = await coreOf(c, profile, seed);
  const ev = core.evaluate(pod);
  const names = core.nodeNames;
  expect(names).toEqual(ref.nodes.map((n) => n.name));
  return { ref, core, ev, names };
}

/**
 * Score plugins that skip at PreScore for some pods (PodTopologySpread without constraints,
 * InterPodAffinity without terms): a test compares their scores and skips where its cases
 * reach them.
 */
export type ConditionalScorePlugin = "PodTopologySpread" | "InterPodAffinity";

/** The core's flag in `CoreEvaluation.skipped` for each conditional score plugin. */
const SKIP_FLAG = {
  PodTopologySpread: "spread",
  InterPodAffinity: "interPodAffinity",
} as const satisfies Record<ConditionalScorePlugin, keyof CoreEvaluation["skipped"]>;

/**
 * The plugins the core skipped at PreScore: NodeAffinity, NodeResourcesBalancedAllocation and
 * those of `conditional` (unsorted).
 */
export function coreSkips(
  ev: CoreEvaluation,
  conditional: readonly ConditionalScorePlugin[],
): string[] {
  return [
    ...(ev.skipped.affinity ? ["NodeAffinity"] : []),
    ...(ev.skipped.balanced ? ["NodeResourcesBalancedAllocation"] : []),
    ...conditional.filter((p) => ev.skipped[SKIP_FLAG[p]]),
  ];
}

/** How {@link compareNodes} treats the plugins a test is about. */
export interface NodeComparison {
  /** The conditional score plugins whose scores are compared where the core did not skip them. */
  readonly conditional: readonly ConditionalScorePlugin[];
  /**
   * Checks the reference's verdict on a node the core rejected with `code`, once the rejecting
   * plugins agree: the reasons of the plugin under test (TaintToleration's are checked here).
   */
  readonly reasons?: (node: ExplainNode, code: number) => void;
}

/**
 * Node by node, the reference's explain result `ref` against the core's evaluation `ev` of one
 * pod on `c`: the same verdict; for a rejected node, NodeAffinity's PreFilterResult on both
 * sides or the same rejecting plugin, with TaintToleration's untolerated taint (and `o.reasons`);
 * for a feasible node, every plugin's raw and normalized score and the total.
 */
export function compareNodes(
  c: DifferentialCluster,
  ref: ExplainResult,
  ev: CoreEvaluation,
  o: NodeComparison,
): void {
  const position = new Map(ev.feasible.map((node, p) => [node, p]));
  ref.nodes.forEach((rn, i) => {
    const code = ev.codes[i] as number;
    expect({ node: rn.name, feasible: code === CoreCode.Pass }).toEqual({
      node: rn.name,
      feasible: rn.feasible,
    });
    if (!rn.feasible) {
      if (code === CoreCode.PreFilterResult) {
        expect(rn.filter?.reasons[0]).toMatch(/didn't satisfy plugin\(s\) \[NodeAffinity\]/);
        return;
      }
      expect({ node: rn.name, plugin: PLUGIN_OF_CODE[code] ?? `code ${code}` }).toEqual({
        node: rn.name,
        plugin: rn.filter?.plugin,
      });
      o.reasons?.(rn, code);
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
    const scored = (plugin: ConditionalScorePlugin) =>
      o.conditional.includes(plugin) && !ev.skipped[SKIP_FLAG[plugin]];
    if (scored("PodTopologySpread"))
      got.PodTopologySpread = { raw: s?.spreadRaw ?? -1, normalized: s?.spread ?? -1 };
    if (scored("InterPodAffinity"))
      got.InterPodAffinity = { raw: s?.interPodRaw ?? -1, normalized: s?.interPod ?? -1 };
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
}

/**
 * Each counter of `counts` named in `minimums` reached its minimum (one expectation per counter,
 * in `minimums`' order, naming the counter): the random cases reach every outcome a property
 * checks (guards against a generator silently drifting).
 */
export function expectReached<K extends string>(
  counts: Readonly<Record<K, number>>,
  minimums: Readonly<Partial<Record<K, number>>>,
): void {
  for (const [k, min] of Object.entries(minimums) as [K, number][])
    expect({ [k]: counts[k] >= min }).toEqual({ [k]: true });
}

/** The two engines of a sequence, started on one cluster. */
export interface Engines {
  readonly fwk: Framework;
  /** The reference's snapshot; `scheduleOne` assumes each placed pod into it. */
  readonly snapshot: Snapshot;
  /** The reference's scheduler state (selectHost's PRNG, the start index). */
  readonly state: SchedulerState;
  readonly core: WasmScheduler;
}

/**
 * Both engines on `c` with `profile`, seeded with `seed`, sampling with the global
 * `percentageOfNodesToScore` `percentage`.
 */
export async function enginesOf(
  c: DifferentialCluster,
  profile: Profile,
  seed: number,
  percentage: number,
): Promise<Engines> {
  const fwk = newFramework(profile, registry);
  const snapshot = snapshotOf(c);
  const state = newSchedulerState({ seed, percentageOfNodesToScore: percentage });
  const core = await coreOf(c, profile, seed, percentage);
  return { fwk, snapshot, state, core };
}

/** Schedules `pods` on both engines (profile `profile`, `seed`, sampling `percentage`). */
export async function compareSequence(
  cluster: DifferentialCluster,
  pods: readonly Pod[],
  profile: Profile,
  seed: number,
  percentage: number,
): Promise<void> {
  const { fwk, snapshot, state, core } = await enginesOf(cluster, profile, seed, percentage);
  pods.forEach((pod, k) => {
    const r = scheduleOne(pod, snapshot, fwk, state);
    const want = r.kind === "Scheduled" ? r.node : null;
    expect({ pod: k, node: core.scheduleName(pod) }).toEqual({ pod: k, node: want });
    expect(core.nextStartNodeIndex).toBe(state.nextStartNodeIndex);
  });
}

/**
 * One cycle of the `k`-th pod of a sequence on both engines: the reference's cycle does not
 * fail with an Error, the same node (or none), the same start index after it. Returns the
 * reference's result and the core's node.
 */
export function scheduleBoth(
  pod: Pod,
  k: number,
  e: Engines,
): { readonly result: ReturnType<typeof scheduleOne>; readonly node: string | null } {
  const result = scheduleOne(pod, e.snapshot, e.fwk, e.state);
  expect(result.kind).not.toBe("Error");
  const node = e.core.scheduleName(pod);
  expect({ pod: k, node }).toEqual({
    pod: k,
    node: result.kind === "Scheduled" ? result.node : null,
  });
  expect({ pod: k, next: e.core.nextStartNodeIndex }).toEqual({
    pod: k,
    next: e.state.nextStartNodeIndex,
  });
  return { result, node };
}

/** Placed and unschedulable pods over the sequences of a property. */
export interface PlacementStats {
  placed: number;
  unschedulable: number;
}

/**
 * Schedules `pods` in order on both engines (profile `profile`, `seed`, sampling `percentage`),
 * each cycle checked by {@link scheduleBoth}, and counts the placed and unschedulable pods into
 * `stats`.
 */
export async function compareCountedSequence(
  c: DifferentialCluster,
  pods: readonly Pod[],
  profile: Profile,
  seed: number,
  percentage: number,
  stats: PlacementStats,
): Promise<void> {
  const e = await enginesOf(c, profile, seed, percentage);
  pods.forEach((pod, k) => {
    const { result } = scheduleBoth(pod, k, e);
    if (result.kind === "Scheduled") stats.placed++;
    else stats.unschedulable++;
  });
}
