/**
 * InterPodAffinity PreScore / Score / NormalizeScore helpers (semantics §4.10 "PreScore",
 * "Score", "NormalizeScore"; upstream `plugins/interpodaffinity/scoring.go`).
 */
import type { Labels, Node, Pod } from "../../../model/types.ts";
import { MAX_NODE_SCORE, type NodeScore } from "../../framework/interfaces.ts";
import {
  type AffinityTerm,
  type PodAffinityInfo,
  termMatches,
  type WeightedAffinityTerm,
} from "./affinity-term.ts";

/** topologyKey → topology value → summed weight (upstream `scoreMap`). */
export class ScoreMap {
  readonly scores = new Map<string, Map<string, number>>();

  /** Number of topology keys with an entry (Go `len(m)`). */
  get size(): number {
    return this.scores.size;
  }

  /**
   * `processTerm`: when `pod` matches `term` and `node` has the term's key, adds
   * `weight × multiplier` at (key, node's value) — creating the entry even when that adds 0.
   */
  processTerm(
    term: AffinityTerm,
    weight: number,
    pod: Pod,
    nsLabels: Labels | undefined,
    node: Node,
    multiplier: number,
  ): void {
    if (!termMatches(term, pod, nsLabels)) return;
    const labels = node.metadata.labels;
    if (!Object.hasOwn(labels, term.topologyKey)) return;
    const value = labels[term.topologyKey] ?? "";
    let values = this.scores.get(term.topologyKey);
    if (!values) {
      values = new Map();
      this.scores.set(term.topologyKey, values);
    }
    values.set(value, (values.get(value) ?? 0) + weight * multiplier);
  }

  processTerms(
    terms: readonly WeightedAffinityTerm[],
    pod: Pod,
    nsLabels: Labels | undefined,
    node: Node,
    multiplier: number,
  ): void {
    for (const t of terms) this.processTerm(t, t.weight, pod, nsLabels, node, multiplier);
  }

  /** `Score`: Σ over the topology keys the node has of `scores[key][node's value]` (0 if none). */
  nodeScore(node: Node): number {
    const labels = node.metadata.labels;
    let score = 0;
    for (const [key, values] of this.scores) {
      if (Object.hasOwn(labels, key)) score += values.get(labels[key] ?? "") ?? 0;
    }
    return score;
  }
}

/** What PreScore computes (upstream `preScoreState`). */
export interface PreScoreState {
  readonly topologyScore: ScoreMap;
  /** The incoming pod's terms, preferred namespaceSelectors merged into `namespaces`. */
  readonly podInfo: PodAffinityInfo;
  readonly namespaceLabels: Labels | undefined;
}

/**
 * `processExistingPod`: the contributions of one existing pod on `node` (none when the node has no
 * labels at all). The incoming pod's preferred terms are matched against the existing pod (no
 * namespace labels: their selectors are merged); the existing pod's terms are matched against the
 * incoming pod with the incoming pod's namespace labels.
 */
export function processExistingPod(
  state: PreScoreState,
  existing: PodAffinityInfo,
  node: Node,
  incomingPod: Pod,
  hardPodAffinityWeight: number,
  topoScore: ScoreMap,
): void {
  if (Object.keys(node.metadata.labels).length === 0) return;
  const ns = state.namespaceLabels;
  topoScore.processTerms(state.podInfo.preferredAffinityTerms, existing.pod, undefined, node, 1);
  topoScore.processTerms(
    state.podInfo.preferredAntiAffinityTerms,
    existing.pod,
    undefined,
    node,
    -1,
  );
  if (hardPodAffinityWeight > 0) {
    for (const t of existing.requiredAffinityTerms) {
      topoScore.processTerm(t, hardPodAffinityWeight, incomingPod, ns, node, 1);
    }
  }
  topoScore.processTerms(existing.preferredAffinityTerms, incomingPod, ns, node, 1);
  topoScore.processTerms(existing.preferredAntiAffinityTerms, incomingPod, ns, node, -1);
}

/**
 * NormalizeScore over non-empty topology scores: with `min`/`max` the true extremes of the raw
 * scores, each becomes `trunc(100 × ((raw − min) / (max − min)))` in float64, or 0 when
 * `max == min`.
 */
export function normalizeScores(scores: NodeScore[]): void {
  if (scores.length === 0) return;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s.score > max) max = s.score;
    if (s.score < min) min = s.score;
  }
  const diff = max - min;
  for (const s of scores) {
    s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
  }
}
