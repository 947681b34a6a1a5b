/**
 * The plugin contract: one small interface per extension point (upstream
 * `k8s.io/kube-scheduler/framework/interface.go`). A plugin object implements every interface whose
 * method it has; the framework discovers them by method, not by registration.
 */
import type { Pod } from "../../model/types.ts";
import type { CycleState } from "./cycle-state.ts";
import type { NodeInfo } from "./node-info.ts";
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

/** What a plugin can see of the scheduler (upstream `framework.Handle`). */
export interface Handle {
  /** The snapshot of the cycle being run. */
  snapshot(): Snapshot;
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
