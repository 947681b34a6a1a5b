/**
 * The plugin contract: one small interface per extension point (upstream
 * `k8s.io/kube-scheduler/framework/interface.go`). A plugin object implements every interface whose
 * method it has; the framework discovers them by method, not by registration.
 */
import type { Pod } from "../../model/types.ts";
import type { Pcg32 } from "../rand.ts";
import type { CycleState } from "./cycle-state.ts";
import type { NodeInfo } from "./node-info.ts";
import type { NodeToStatusReader } from "./node-to-status.ts";
import type { Snapshot } from "./snapshot.ts";
import type { Status } from "./status.ts";

/** Highest score a Score plugin may return after normalization. */
export const MAX_NODE_SCORE = 100;
/** Lowest score a Score plugin may return after normalization. */
export const MIN_NODE_SCORE = 0;

/** One node's score from one plugin; NormalizeScore rewrites `score` in place. */
export interface NodeScore {
  readonly name: string;
  score: number;
}

/**
 * A PreFilter's restriction of the candidate nodes. `null` means "all nodes"; results of several
 * plugins are intersected (semantics §1.1 step 2).
 */
export interface PreFilterResult {
  readonly nodeNames: ReadonlySet<string>;
}

export interface PreFilterOutput {
  readonly result: PreFilterResult | null;
  readonly status: Status;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  /** Skip → this plugin's Filter is not run; a rejection fails the pod on every node. */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutput;
  /**
   * PreFilterExtensions `AddPod` (optional; upstream plugins implement both hooks or neither):
   * update this plugin's PreFilter state in `state` as if `podToAdd` were running on `nodeInfo`
   * (whose pod list already includes it). Used by preemption's dry run (semantics §5.4) on a
   * cloned `state` and a cloned `nodeInfo`; a plugin whose Filter reads only `nodeInfo`
   * (NodeResourcesFit, NodePorts) needs no hook. Not called when the plugin's PreFilter
   * returned Skip. A non-success status is an error.
   */
  addPod?(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status;
  /** PreFilterExtensions `RemovePod`: the inverse of {@link PreFilterPlugin.addPod}. */
  removePod?(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status;
}

export interface FilterPlugin extends Plugin {
  /** Success when the pod fits the node as far as this plugin is concerned. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

export interface PreScorePlugin extends Plugin {
  /** Runs once over the feasible nodes; Skip → this plugin's Score is not run for the pod. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  /** The node's raw score, or a non-success Status (an error for the cycle). */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  /** Optional score extension: rewrites all feasible nodes' raw scores in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
}

/**
 * What a PostFilter plugin returns (upstream `PostFilterResult` + `Status`).
 * - `nominatedNodeName`: `undefined` leaves the pod's nomination unchanged (upstream's nil
 *   result), `""` clears it, a node name nominates the pod to that node.
 * - `victims`: the pods to delete for the nomination, most important first (empty unless a node
 *   was nominated).
 * - `status`: Success when a node was nominated; otherwise Unschedulable / Error with the reason.
 */
export interface PostFilterResult {
  readonly nominatedNodeName?: string;
  readonly victims: readonly Pod[];
  readonly status: Status;
}

export interface PostFilterPlugin extends Plugin {
  /**
   * Runs when no node is feasible (semantics §1.1 step 5), with every node's Filter verdict.
   * The pod is not bound in this cycle whatever the result.
   */
  postFilter(
    state: CycleState,
    pod: Pod,
    filteredNodeStatusMap: NodeToStatusReader,
  ): PostFilterResult;
}

export interface ReservePlugin extends Plugin {
  /**
   * Runs after selectHost on the chosen node, before the pod is assumed (upstream
   * `ReservePlugin.Reserve`). A non-success status fails the cycle (every Reserve plugin's
   * `unreserve` then runs, in reverse order).
   */
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  /** Undoes `reserve` (upstream `Unreserve`); must be idempotent. */
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

/** What a plugin can see of the scheduler (upstream `framework.Handle`). */
export interface Handle {
  /** The snapshot of the cycle being run. */
  snapshot(): Snapshot;
}

/**
 * The handle {@link newFramework} gives its plugins: {@link Handle} plus the framework runners
 * PostFilter plugins need (upstream `fwk.Handle`'s `RunFilterPluginsWithNominatedPods`,
 * `RunPreFilterExtensionAddPod` / `RemovePod`) and the scheduler's PRNG.
 */
export interface FrameworkHandle extends Handle {
  /**
   * The profile's Filter plugins on `nodeInfo` (PreFilter-skipped ones left out), stopping at the
   * first non-success (upstream `RunFilterPluginsWithNominatedPods`; the reference models no
   * nominated pods, so Filter runs once).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  /** Every non-skipped PreFilter plugin's `addPod`; the first failure as an Error status. */
  runPreFilterExtensionAddPod(
    state: CycleState,
    podToSchedule: Pod,
    podToAdd: Pod,
    nodeInfo: NodeInfo,
  ): Status;
  /** Every non-skipped PreFilter plugin's `removePod`; the first failure as an Error status. */
  runPreFilterExtensionRemovePod(
    state: CycleState,
    podToSchedule: Pod,
    podToRemove: Pod,
    nodeInfo: NodeInfo,
  ): Status;
  /** The generator of the scheduler running the cycle (see `SchedulerState.rng`). */
  rng(): Pcg32;
  /**
   * The profile's args of another plugin (`pluginConfig`), e.g. `GpuShare` reading `FGDScore`'s
   * typical pods; `undefined` when the profile has none.
   */
  pluginArgs(name: string): unknown;
}

export function isFrameworkHandle(h: Handle): h is FrameworkHandle {
  return typeof (h as Partial<FrameworkHandle>).runFilterPluginsWithNominatedPods === "function";
}

/** Builds a plugin from its (possibly partial, undefaulted) args. Throws on invalid args. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

export function isPreFilterPlugin(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === "function";
}

export function isFilterPlugin(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === "function";
}

export function isPreScorePlugin(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === "function";
}

export function isScorePlugin(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === "function";
}

export function isReservePlugin(p: Plugin): p is ReservePlugin {
  return typeof (p as Partial<ReservePlugin>).reserve === "function";
}

/** The handle's random generator; throws for a handle that has none (a bare test handle). */
export function handleRng(h: Handle): Pcg32 {
  const rng = (h as Partial<FrameworkHandle>).rng;
  if (typeof rng !== "function") throw new Error("this handle has no random generator");
  return rng.call(h);
}

export function isPostFilterPlugin(p: Plugin): p is PostFilterPlugin {
  return typeof (p as Partial<PostFilterPlugin>).postFilter === "function";
}
