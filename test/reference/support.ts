/**
 * Helpers for the reference-scheduler tests: run one plugin's extension points the way the
 * framework would, over a snapshot built from nodes and bound pods.
 */
import type { Node, Pod } from "../../src/model/types.ts";
import { CycleState } from "../../src/reference/framework/cycle-state.ts";
import {
  type Handle,
  isFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  type NodeScore,
  type Plugin,
  type PluginFactory,
} from "../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../src/reference/framework/snapshot.ts";
import { isSuccess, type Status } from "../../src/reference/framework/status.ts";

/** A handle over a fixed snapshot. */
export function handleOf(snapshot: Snapshot): Handle {
  return { snapshot: () => snapshot };
}

/** A plain-data view of a status for `toEqual` (plugin attribution dropped). */
export function st(status: Status): { code: string; reasons: readonly string[] } {
  return { code: status.code, reasons: status.reasons };
}

export const ok = { code: "Success", reasons: [] };

/** Runs PreFilter (if the plugin has it) then Filter on the node; returns PreFilter's status on Skip. */
export function runFilter(plugin: Plugin, pod: Pod, nodeInfo: NodeInfo, state = new CycleState()) {
  if (isPreFilterPlugin(plugin)) {
    const pre = plugin.preFilter(state, pod, [nodeInfo]);
    if (pre.status.code === "Skip") return { preFilter: st(pre.status), filter: undefined };
    if (!isSuccess(pre.status)) return { preFilter: st(pre.status), filter: undefined };
  }
  if (!isFilterPlugin(plugin)) throw new Error("not a filter plugin");
  return { preFilter: ok, filter: st(plugin.filter(state, pod, nodeInfo)) };
}

/** The node info of `node` with `pods` bound to it (their nodeName is ignored). */
export function nodeInfoWith(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const bound = pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: node.metadata.name } }));
  return new Snapshot([node], bound).get(node.metadata.name) as NodeInfo;
}

export interface ScoreRun {
  readonly preScore?: { code: string; reasons: readonly string[] };
  /** Node name → final (normalized) score, in node order. */
  readonly scores: { name: string; score: number }[];
  /** Node name → Score's own result before NormalizeScore, in node order. */
  readonly raw: { name: string; score: number }[];
}

/**
 * Builds the plugin over a snapshot of `nodes` + `pods`, runs PreScore (if any), Score on every
 * node in the given order, then NormalizeScore (if any). Stops after a non-success PreScore.
 */
export function runScore(
  factory: PluginFactory,
  args: unknown,
  pod: Pod,
  nodes: readonly Node[],
  pods: readonly Pod[] = [],
): ScoreRun {
  const snapshot = new Snapshot(nodes, pods);
  const plugin = factory(args, handleOf(snapshot));
  if (!isScorePlugin(plugin)) throw new Error("not a score plugin");
  const state = new CycleState();
  const infos = nodes.map((n) => snapshot.get(n.metadata.name) as NodeInfo);
  if (isPreScorePlugin(plugin)) {
    const s = plugin.preScore(state, pod, infos);
    if (!isSuccess(s)) return { preScore: st(s), scores: [], raw: [] };
  }
  const scores: NodeScore[] = infos.map((info) => {
    const s = plugin.score(state, pod, info);
    if (typeof s !== "number") throw new Error(`score failed: ${s.code} ${s.reasons.join(", ")}`);
    return { name: info.name, score: s };
  });
  const raw = scores.map((s) => ({ name: s.name, score: s.score }));
  plugin.normalizeScore?.(state, pod, scores);
  return { preScore: ok, scores: scores.map((s) => ({ name: s.name, score: s.score })), raw };
}

/** `[{name, score}]` from `["node1", 37], ["node2", 50]`. */
export function scoresOf(...pairs: [string, number][]): { name: string; score: number }[] {
  return pairs.map(([name, score]) => ({ name, score }));
}
