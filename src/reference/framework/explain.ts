/**
 * Explain mode: one cycle with every node evaluated, reported per node and per plugin in a
 * JSON-ready structure. Unlike {@link scheduleOne} it does not sample (Filter runs on every
 * node), scores even a single feasible node, does not assume the pod, and does not touch the
 * scheduler state. `selected` is what selectHost picks over the scored nodes.
 */
import type { Pod } from "../../model/types.ts";
import { Pcg32 } from "../rand.ts";
import { CycleState } from "./cycle-state.ts";
import type { Framework } from "./framework.ts";
import type { NodeInfo } from "./node-info.ts";
import {
  excludedByPreFilterStatus,
  runFilterPlugins,
  runPreFilterPlugins,
  runPreScorePlugins,
  runScorePlugins,
} from "./phases.ts";
import { selectHost } from "./select-host.ts";
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

export interface ExplainResult {
  readonly pod: string;
  readonly profile: string;
  readonly skipped: { readonly preFilter: readonly string[]; readonly preScore: readonly string[] };
  /** Snapshot order. */
  readonly nodes: readonly ExplainNode[];
  readonly selected: string | null;
  /** Set when the cycle failed with an Error status. */
  readonly error?: string;
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
  const allNodes = snapshot.nodeInfoList;
  const pre = runPreFilterPlugins(fwk, cycle, pod, allNodes);
  if (!isSuccess(pre.status)) {
    const nodes = allNodes.map((n) => ({
      name: n.name,
      feasible: false,
      filter: filterOf(pre.status),
    }));
    const error = isRejected(pre.status) ? {} : { error: statusMessage(pre.status) };
    return { ...base, skipped: skipped(), nodes, selected: null, ...error };
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
  if (feasible.length > 0) {
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
            options.rng ?? new Pcg32(0n),
          );
  }
  const nodes = allNodes.map((n) => {
    const s = scoresByNode.get(n.name);
    return s
      ? { name: n.name, feasible: true, scores: s.scores, total: s.total }
      : nodeEntry(n.name, verdicts.get(n.name));
  });
  return { ...base, skipped: skipped(), nodes, selected };
}

function nodeEntry(name: string, status: Status | undefined): ExplainNode {
  return status ? { name, feasible: false, filter: filterOf(status) } : { name, feasible: true };
}
