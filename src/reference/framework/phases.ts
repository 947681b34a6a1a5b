/**
 * The framework's extension-point runners (upstream `framework/runtime/framework.go`), shared by
 * {@link scheduleOne} and {@link explain}.
 */
import type { Pod } from "../../model/types.ts";
import type { CycleState } from "./cycle-state.ts";
import type { Framework } from "./framework.ts";
import {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type NodeScore,
  type PostFilterResult,
  type PreFilterResult,
} from "./interfaces.ts";
import type { NodeInfo } from "./node-info.ts";
import type { NodeToStatusReader } from "./node-to-status.ts";
import {
  isRejected,
  isSkip,
  isSuccess,
  newStatus,
  type Status,
  SUCCESS,
  statusMessage,
  withPlugin,
} from "./status.ts";

export interface PreFilterOutcome {
  /** `null` = all nodes. */
  readonly result: PreFilterResult | null;
  readonly status: Status;
  /** Plugins whose PreFilterResult restricted the nodes, in profile order. */
  readonly pluginsWithNodes: readonly string[];
}

function intersect(a: PreFilterResult | null, b: PreFilterResult | null): PreFilterResult | null {
  if (!a) return b;
  if (!b) return a;
  return { nodeNames: new Set([...a.nodeNames].filter((n) => b.nodeNames.has(n))) };
}

/**
 * RunPreFilterPlugins: plugins run in order; Skip records the plugin in
 * `state.skipFilterPlugins`; a rejection is returned as is (attributed to the plugin); any other
 * failure becomes an Error `running PreFilter plugin "<name>": <message>`. Results are
 * intersected; an empty intersection is UnschedulableAndUnresolvable
 * `node(s) didn't satisfy plugin <name>` (one plugin) or
 * `node(s) didn't satisfy plugin(s) [<a> <b>] simultaneously`.
 */
export function runPreFilterPlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
): PreFilterOutcome {
  let result: PreFilterResult | null = null;
  const pluginsWithNodes: string[] = [];
  for (const pl of fwk.preFilterPlugins) {
    const out = pl.preFilter(state, pod, nodes);
    if (isSkip(out.status)) {
      state.skipFilterPlugins.add(pl.name);
      continue;
    }
    if (!isSuccess(out.status)) {
      const status = isRejected(out.status)
        ? withPlugin(out.status, pl.name)
        : withPlugin(
            newStatus(
              "Error",
              `running PreFilter plugin ${JSON.stringify(pl.name)}: ${statusMessage(out.status)}`,
            ),
            pl.name,
          );
      return { result: null, status, pluginsWithNodes };
    }
    if (out.result) pluginsWithNodes.push(pl.name);
    result = intersect(result, out.result);
    if (result && result.nodeNames.size === 0) {
      const msg =
        pluginsWithNodes.length === 1
          ? `node(s) didn't satisfy plugin ${pluginsWithNodes[0]}`
          : `node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(" ")}] simultaneously`;
      return { result, status: newStatus("UnschedulableAndUnresolvable", msg), pluginsWithNodes };
    }
  }
  return { result, status: SUCCESS, pluginsWithNodes };
}

/**
 * The status given to nodes outside the PreFilterResult (upstream `SetAbsentNodesStatus`):
 * UnschedulableAndUnresolvable `node(s) didn't satisfy plugin(s) [<sorted names>]`.
 */
export function excludedByPreFilterStatus(pluginsWithNodes: readonly string[]): Status {
  const names = [...new Set(pluginsWithNodes)].sort();
  return newStatus(
    "UnschedulableAndUnresolvable",
    `node(s) didn't satisfy plugin(s) [${names.join(" ")}]`,
  );
}

/**
 * RunFilterPlugins for one node: plugins in order (PreFilter-skipped ones left out), stopping at
 * the first non-success. A rejection is returned attributed to the plugin; any other failure
 * becomes an Error `running "<name>" filter plugin: <message>`.
 */
export function runFilterPlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodeInfo: NodeInfo,
): Status {
  for (const pl of fwk.filterPlugins) {
    if (state.skipFilterPlugins.has(pl.name)) continue;
    const status = pl.filter(state, pod, nodeInfo);
    if (isSuccess(status)) continue;
    if (isRejected(status)) return withPlugin(status, pl.name);
    return withPlugin(
      newStatus(
        "Error",
        `running ${JSON.stringify(pl.name)} filter plugin: ${statusMessage(status)}`,
      ),
      pl.name,
    );
  }
  return SUCCESS;
}

/**
 * RunPreFilterExtensionAddPod / RemovePod: every PreFilter plugin that has the hook and did not
 * return Skip, in profile order; the first failure becomes an Error
 * `running AddPod on PreFilter plugin "<name>": <message>` (`RemovePod` likewise).
 */
export function runPreFilterExtension(
  fwk: Framework,
  op: "AddPod" | "RemovePod",
  state: CycleState,
  podToSchedule: Pod,
  pod: Pod,
  nodeInfo: NodeInfo,
): Status {
  for (const pl of fwk.preFilterPlugins) {
    if (state.skipFilterPlugins.has(pl.name)) continue;
    const hook = op === "AddPod" ? pl.addPod : pl.removePod;
    if (!hook) continue;
    const status = hook.call(pl, state, podToSchedule, pod, nodeInfo);
    if (isSuccess(status)) continue;
    const msg = `running ${op} on PreFilter plugin ${JSON.stringify(pl.name)}: ${statusMessage(status)}`;
    return withPlugin(newStatus("Error", msg), pl.name);
  }
  return SUCCESS;
}

/**
 * RunPostFilterPlugins (semantics §1.1 step 5): plugins in profile order. The first Success is
 * returned as is; UnschedulableAndUnresolvable or Error stops the walk (attributed to the plugin);
 * Unschedulable results are collected: the reasons of all of them, attributed to the first, with
 * the last result that set a nomination (`nominatedNodeName` defined). No plugins → an
 * Unschedulable status without reasons and no nomination.
 */
export function runPostFilterPlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  filteredNodeStatusMap: NodeToStatusReader,
): PostFilterResult {
  let nominated: string | undefined;
  const reasons: string[] = [];
  let rejector = "";
  for (const pl of fwk.postFilterPlugins) {
    const r = pl.postFilter(state, pod, filteredNodeStatusMap);
    if (isSuccess(r.status)) return r;
    if (r.status.code === "UnschedulableAndUnresolvable" || !isRejected(r.status)) {
      if (r.status.code === "UnschedulableAndUnresolvable") {
        return { ...r, victims: [], status: withPlugin(r.status, pl.name) };
      }
      // Any other code is an error; upstream drops the result with it.
      return { victims: [], status: withPlugin(newStatus("Error", ...r.status.reasons), pl.name) };
    }
    if (r.nominatedNodeName !== undefined) nominated = r.nominatedNodeName;
    reasons.push(...r.status.reasons);
    if (rejector === "") rejector = pl.name;
  }
  return {
    ...(nominated === undefined ? {} : { nominatedNodeName: nominated }),
    victims: [],
    status: withPlugin(newStatus("Unschedulable", ...reasons), rejector),
  };
}

/**
 * RunPreScorePlugins: Skip records the plugin in `state.skipScorePlugins`; any other non-success
 * is an Error `running PreScore plugin "<name>": <message>`.
 */
export function runPreScorePlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
): Status {
  for (const pl of fwk.preScorePlugins) {
    const status = pl.preScore(state, pod, nodes);
    if (isSkip(status)) {
      state.skipScorePlugins.add(pl.name);
      continue;
    }
    if (!isSuccess(status)) {
      return withPlugin(
        newStatus(
          "Error",
          `running PreScore plugin ${JSON.stringify(pl.name)}: ${statusMessage(status)}`,
        ),
        pl.name,
      );
    }
  }
  return SUCCESS;
}

/** One score plugin's results over the feasible nodes (same order as the nodes). */
export interface PluginScores {
  readonly plugin: string;
  readonly weight: number;
  readonly raw: readonly number[];
  readonly normalized: readonly number[];
}

export type ScoreOutcome =
  | {
      readonly ok: true;
      readonly plugins: readonly PluginScores[];
      readonly totals: readonly number[];
    }
  | { readonly ok: false; readonly status: Status };

/**
 * RunScorePlugins (semantics §1.1 steps 8–11): Score for every non-skipped plugin and node,
 * NormalizeScore per plugin, validation of every (normalized) score against [0, 100], then
 * `total = Σ score × weight`. With no score plugins configured at all, every total is 1.
 */
export function runScorePlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
): ScoreOutcome {
  if (fwk.scorePlugins.length === 0) return { ok: true, plugins: [], totals: nodes.map(() => 1) };
  const active = fwk.scorePlugins.filter((s) => !state.skipScorePlugins.has(s.plugin.name));
  const plugins: PluginScores[] = [];
  for (const { plugin, weight } of active) {
    const scores: NodeScore[] = [];
    for (const nodeInfo of nodes) {
      const s = plugin.score(state, pod, nodeInfo);
      if (typeof s !== "number") {
        const msg = `running Score plugins: plugin ${JSON.stringify(plugin.name)}: ${statusMessage(s)}`;
        return { ok: false, status: withPlugin(newStatus("Error", msg), plugin.name) };
      }
      scores.push({ name: nodeInfo.name, score: s });
    }
    const raw = scores.map((s) => s.score);
    if (plugin.normalizeScore) {
      const status = plugin.normalizeScore(state, pod, scores);
      if (!isSuccess(status)) {
        const msg = `running Normalize on Score plugins: plugin ${JSON.stringify(plugin.name)}: ${statusMessage(status)}`;
        return { ok: false, status: withPlugin(newStatus("Error", msg), plugin.name) };
      }
    }
    plugins.push({ plugin: plugin.name, weight, raw, normalized: scores.map((s) => s.score) });
  }
  const totals = nodes.map(() => 0);
  for (const p of plugins) {
    for (let i = 0; i < nodes.length; i++) {
      const score = p.normalized[i] ?? 0;
      if (score > MAX_NODE_SCORE || score < MIN_NODE_SCORE) {
        const msg = `applying score defaultWeights on Score plugins: plugin ${JSON.stringify(p.plugin)} returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`;
        return { ok: false, status: withPlugin(newStatus("Error", msg), p.plugin) };
      }
      totals[i] = (totals[i] ?? 0) + score * p.weight;
    }
  }
  return { ok: true, plugins, totals };
}

/**
 * RunReservePluginsReserve: plugins in profile order on the selected node; the first failure
 * becomes an Error `running Reserve plugin "<name>": <message>`, after which every Reserve
 * plugin's `unreserve` runs in reverse order (upstream's scheduling cycle does the same).
 */
export function runReservePlugins(
  fwk: Framework,
  state: CycleState,
  pod: Pod,
  nodeName: string,
): Status {
  for (const pl of fwk.reservePlugins) {
    const status = pl.reserve(state, pod, nodeName);
    if (isSuccess(status)) continue;
    for (const u of [...fwk.reservePlugins].reverse()) u.unreserve(state, pod, nodeName);
    const msg = `running Reserve plugin ${JSON.stringify(pl.name)}: ${statusMessage(status)}`;
    return withPlugin(newStatus("Error", msg), pl.name);
  }
  return SUCCESS;
}
