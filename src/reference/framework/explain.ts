/**
 * Explain mode: one cycle with every node evaluated, reported per node and per plugin in a
 * JSON-ready structure. Unlike {@link scheduleOne} it does not sample (Filter runs on every
 * node), scores even a single feasible node, does not assume the pod, and does not touch the
 * scheduler state. `selected` is what selectHost picks over the scored nodes (or, for a profile
 * with a by-name `selection` strategy, what the strategy picks; nothing is scored). When no node is
 * feasible (and the cycle did not fail) the profile's PostFilter plugins run as in
 * {@link scheduleOne}, and `preemption` reports their nomination and victims.
 */
import type { Pod } from "../../model/types.ts";
import { Pcg32 } from "../rand.ts";
import { CycleState } from "./cycle-state.ts";
import type { Framework } from "./framework.ts";
import type { NodeInfo } from "./node-info.ts";
import { NodeToStatus } from "./node-to-status.ts";
import {
  excludedByPreFilterStatus,
  runFilterPlugins,
  runPostFilterPlugins,
  runPreFilterPlugins,
  runPreScorePlugins,
  runScorePlugins,
} from "./phases.ts";
import { selectHost } from "./select-host.ts";
import { selectByStrategy } from "./selection.ts";
import type { Snapshot } from "./snapshot.ts";
import {
  type Code,
  isRejected,
  isSuccess,
  newStatus,
  type Status,
  statusMessage,
} from "./status.ts";

/** Reason given to nodes that pass Filter but are not among `options.candidates`. */
export const NOT_A_CANDIDATE_REASON = "node(s) were not among the candidates";

export interface ExplainFilter {
  readonly plugin: string;
  readonly code: Code;
  readonly reasons: readonly string[];
}

export interface ExplainScore {
  readonly raw: number;
  readonly normalized: number;
  readonly weight: number;
}

export interface ExplainNode {
  readonly name: string;
  readonly feasible: boolean;
  /** Infeasible nodes only. */
  readonly filter?: ExplainFilter;
  /** Scored nodes only; PreScore-skipped plugins are absent. */
  readonly scores?: Readonly<Record<string, ExplainScore>>;
  /** Scored nodes only: Σ normalized × weight (1 when the profile has no score plugins). */
  readonly total?: number;
}

/** What PostFilter (DefaultPreemption, semantics §5) did for an unschedulable pod. */
export interface ExplainPreemption {
  /** The node the pod would be nominated to, or `null` when preemption does not help. */
  readonly node: string | null;
  /** `namespace/name` of the pods to delete for `node`, most important first. */
  readonly victims: readonly string[];
  /**
   * The PostFilter status message (`preemption: …`), or `null` when a node was nominated or the
   * plugins gave no message.
   */
  readonly message: string | null;
}

export interface ExplainResult {
  readonly pod: string;
  readonly profile: string;
  readonly skipped: { readonly preFilter: readonly string[]; readonly preScore: readonly string[] };
  /** Snapshot order. */
  readonly nodes: readonly ExplainNode[];
  readonly selected: string | null;
  /** Set when the cycle failed with an Error status. */
  readonly error?: string;
  /** Set when no node is feasible, the cycle did not fail, and the profile has PostFilter plugins. */
  readonly preemption?: ExplainPreemption;
}

export interface ExplainOptions {
  /** Score only these nodes; other nodes that pass Filter are reported as not candidates. */
  readonly candidates?: Iterable<string>;
  /** Tie-breaking generator; default `new Pcg32(0)`. */
  readonly rng?: Pcg32;
}

function filterOf(status: Status): ExplainFilter {
  return { plugin: status.plugin, code: status.code, reasons: [...status.reasons] };
}

export function explain(
  pod: Pod,
  snapshot: Snapshot,
  fwk: Framework,
  options: ExplainOptions = {},
): ExplainResult {
  fwk.setSnapshot(snapshot);
  const rng = options.rng ?? new Pcg32(0n);
  fwk.setRng(rng);
  const cycle = new CycleState();
  const candidates = options.candidates ? new Set(options.candidates) : undefined;
  const base = {
    pod: `${pod.metadata.namespace}/${pod.metadata.name}`,
    profile: fwk.profileName,
  };
  const skipped = () => ({
    preFilter: [...cycle.skipFilterPlugins],
    preScore: [...cycle.skipScorePlugins],
  });
  /** PostFilter over `statuses`; `{}` when the profile has no PostFilter plugins. */
  const postFilter = (statuses: NodeToStatus): { preemption?: ExplainPreemption } => {
    if (fwk.postFilterPlugins.length === 0) return {};
    const r = runPostFilterPlugins(fwk, cycle, pod, statuses);
    const message = statusMessage(r.status);
    return {
      preemption: {
        node: isSuccess(r.status) && r.nominatedNodeName ? r.nominatedNodeName : null,
        victims: r.victims.map((v) => `${v.metadata.namespace}/${v.metadata.name}`),
        message: message === "" ? null : message,
      },
    };
  };
  const allNodes = snapshot.nodeInfoList;
  const pre = runPreFilterPlugins(fwk, cycle, pod, allNodes);
  if (!isSuccess(pre.status)) {
    const nodes = allNodes.map((n) => ({
      name: n.name,
      feasible: false,
      filter: filterOf(pre.status),
    }));
    if (!isRejected(pre.status)) {
      return {
        ...base,
        skipped: skipped(),
        nodes,
        selected: null,
        error: statusMessage(pre.status),
      };
    }
    const preemption = postFilter(new NodeToStatus(new Map(), pre.status));
    return { ...base, skipped: skipped(), nodes, selected: null, ...preemption };
  }
  const excluded = pre.result ? excludedByPreFilterStatus(pre.pluginsWithNodes) : undefined;
  const verdicts = new Map<string, Status | undefined>();
  const feasible: NodeInfo[] = [];
  for (const nodeInfo of allNodes) {
    let status: Status | undefined;
    if (excluded && !pre.result?.nodeNames.has(nodeInfo.name)) status = excluded;
    else {
      const s = runFilterPlugins(fwk, cycle, pod, nodeInfo);
      if (!isSuccess(s) && !isRejected(s)) {
        return { ...base, skipped: skipped(), nodes: [], selected: null, error: statusMessage(s) };
      }
      if (!isSuccess(s)) status = s;
      else if (candidates && !candidates.has(nodeInfo.name)) {
        status = newStatus("UnschedulableAndUnresolvable", NOT_A_CANDIDATE_REASON);
      }
    }
    verdicts.set(nodeInfo.name, status);
    if (!status) feasible.push(nodeInfo);
  }

  const scoresByNode = new Map<string, { scores: Record<string, ExplainScore>; total: number }>();
  let selected: string | null = null;
  if (feasible.length > 0 && fwk.selection) {
    // A by-name strategy replaces Score and selectHost: nothing is scored.
    selected = selectByStrategy(fwk.selection.strategy, pod, feasible, snapshot, rng);
  } else if (feasible.length > 0) {
    const preScore = runPreScorePlugins(fwk, cycle, pod, feasible);
    const scored = isSuccess(preScore) ? runScorePlugins(fwk, cycle, pod, feasible) : undefined;
    if (!scored?.ok) {
      const failed = scored && !scored.ok ? scored.status : preScore;
      const nodes = allNodes.map((n) => nodeEntry(n.name, verdicts.get(n.name)));
      return { ...base, skipped: skipped(), nodes, selected: null, error: statusMessage(failed) };
    }
    feasible.forEach((n, i) => {
      const scores: Record<string, ExplainScore> = {};
      for (const p of scored.plugins) {
        scores[p.plugin] = {
          raw: p.raw[i] ?? 0,
          normalized: p.normalized[i] ?? 0,
          weight: p.weight,
        };
      }
      scoresByNode.set(n.name, { scores, total: scored.totals[i] ?? 0 });
    });
    selected =
      feasible.length === 1
        ? (feasible[0] as NodeInfo).name
        : selectHost(
            feasible.map((n, i) => ({ name: n.name, total: scored.totals[i] ?? 0 })),
            rng,
          );
  }
  let preemption: { preemption?: ExplainPreemption } = {};
  if (feasible.length === 0) {
    const statuses = new NodeToStatus();
    for (const [name, status] of verdicts) if (status) statuses.set(name, status);
    preemption = postFilter(statuses);
  }
  const nodes = allNodes.map((n) => {
    const s = scoresByNode.get(n.name);
    return s
      ? { name: n.name, feasible: true, scores: s.scores, total: s.total }
      : nodeEntry(n.name, verdicts.get(n.name));
  });
  return { ...base, skipped: skipped(), nodes, selected, ...preemption };
}

function nodeEntry(name: string, status: Status | undefined): ExplainNode {
  return status ? { name, feasible: false, filter: filterOf(status) } : { name, feasible: true };
}
