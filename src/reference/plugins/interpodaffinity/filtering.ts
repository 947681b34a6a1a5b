/**
 * InterPodAffinity PreFilter state and Filter checks (semantics §4.10 "PreFilter", "Filter";
 * upstream `plugins/interpodaffinity/filtering.go`).
 */
import type { Labels, Node, Pod } from "../../../model/types.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import {
  type AffinityTerm,
  type PodAffinityInfo,
  podAffinityInfo,
  podMatchesAllAffinityTerms,
  termMatches,
} from "./affinity-term.ts";

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH =
  "node(s) didn't match pod anti-affinity rules";

/**
 * Counts keyed by topology pair (topologyKey, value) (upstream `topologyToMatchedTermCount`).
 * An entry that drops to 0 is deleted, so `size` is the number of non-zero pairs.
 */
export class TopologyCounts {
  private readonly counts = new Map<string, Map<string, number>>();
  private pairs = 0;

  /** Number of (key, value) pairs with a non-zero count (Go `len(m)`). */
  get size(): number {
    return this.pairs;
  }

  get(key: string, value: string): number {
    return this.counts.get(key)?.get(value) ?? 0;
  }

  /** Adds `delta` at (key, node's value of key) when the node has label `key` (`update`). */
  update(node: Node, key: string, delta: number): void {
    if (!Object.hasOwn(node.metadata.labels, key)) return;
    const value = node.metadata.labels[key] ?? "";
    let values = this.counts.get(key);
    if (!values) {
      values = new Map();
      this.counts.set(key, values);
    }
    const before = values.get(value);
    const after = (before ?? 0) + delta;
    if (after === 0) {
      if (before !== undefined) {
        values.delete(value);
        this.pairs--;
        if (values.size === 0) this.counts.delete(key);
      }
      return;
    }
    if (before === undefined) this.pairs++;
    values.set(value, after);
  }

  /** `updateWithAffinityTerms`: when `pod` matches ALL terms, `delta` for each term's key. */
  updateWithAffinityTerms(
    terms: readonly AffinityTerm[],
    pod: Pod,
    node: Node,
    delta: number,
  ): void {
    if (!podMatchesAllAffinityTerms(terms, pod)) return;
    for (const t of terms) this.update(node, t.topologyKey, delta);
  }

  /** `updateWithAntiAffinityTerms`: `delta` for each term `pod` matches. */
  updateWithAntiAffinityTerms(
    terms: readonly AffinityTerm[],
    pod: Pod,
    nsLabels: Labels | undefined,
    node: Node,
    delta: number,
  ): void {
    for (const t of terms)
      if (termMatches(t, pod, nsLabels)) this.update(node, t.topologyKey, delta);
  }

  clone(): TopologyCounts {
    const copy = new TopologyCounts();
    for (const [key, values] of this.counts) copy.counts.set(key, new Map(values));
    copy.pairs = this.pairs;
    return copy;
  }

  /** `{ "key=value": count }`, sorted by pair: for tests and debugging. */
  toRecord(): Record<string, number> {
    const out: [string, number][] = [];
    for (const [key, values] of this.counts) {
      for (const [value, count] of values) out.push([`${key}=${value}`, count]);
    }
    out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(out);
  }
}

/**
 * What PreFilter computes (upstream `preFilterState`). `podInfo` holds the incoming pod's terms
 * with their namespaceSelector merged into `namespaces` (§4.10).
 */
export class PreFilterState {
  /** Per pair: existing pods' required anti-affinity terms that match the incoming pod. */
  readonly existingAntiAffinityCounts: TopologyCounts;
  /** Per pair: existing pods that match ALL the incoming pod's required affinity terms (×terms). */
  readonly affinityCounts: TopologyCounts;
  /** Per pair: (existing pod, incoming required anti-affinity term) matches. */
  readonly antiAffinityCounts: TopologyCounts;
  readonly podInfo: PodAffinityInfo;
  /** Labels of the incoming pod's Namespace object (`undefined` when there is none). */
  readonly namespaceLabels: Labels | undefined;

  constructor(
    podInfo: PodAffinityInfo,
    namespaceLabels: Labels | undefined,
    existingAntiAffinityCounts = new TopologyCounts(),
    affinityCounts = new TopologyCounts(),
    antiAffinityCounts = new TopologyCounts(),
  ) {
    this.podInfo = podInfo;
    this.namespaceLabels = namespaceLabels;
    this.existingAntiAffinityCounts = existingAntiAffinityCounts;
    this.affinityCounts = affinityCounts;
    this.antiAffinityCounts = antiAffinityCounts;
  }

  /** A copy whose counters can be updated independently (upstream `Clone`; for preemption). */
  clone(): PreFilterState {
    return new PreFilterState(
      this.podInfo,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /**
   * `updateWithPod`: accounts `pod` placed on `node` with `multiplier` (+1 added, −1 removed):
   * its required anti-affinity terms against the incoming pod (with the incoming pod's namespace
   * labels), and the incoming pod's required affinity / anti-affinity terms against it.
   */
  updateWithPod(pod: Pod, node: Node, multiplier: number): void {
    const incoming = this.podInfo;
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(
      podAffinityInfo(pod).requiredAntiAffinityTerms,
      incoming.pod,
      this.namespaceLabels,
      node,
      multiplier,
    );
    this.affinityCounts.updateWithAffinityTerms(
      incoming.requiredAffinityTerms,
      pod,
      node,
      multiplier,
    );
    this.antiAffinityCounts.updateWithAntiAffinityTerms(
      incoming.requiredAntiAffinityTerms,
      pod,
      undefined,
      node,
      multiplier,
    );
  }
}

/** Check 3: no label (k, v) of the node has `existingAntiAffinityCounts[(k, v)] > 0`. */
export function satisfyExistingPodsAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(nodeInfo.node.metadata.labels)) {
    if (s.existingAntiAffinityCounts.get(key, value) > 0) return false;
  }
  return true;
}

/** Check 2: for each incoming anti-affinity term whose key the node has, no matching pod there. */
export function satisfyPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = nodeInfo.node.metadata.labels;
  for (const term of s.podInfo.requiredAntiAffinityTerms) {
    if (!Object.hasOwn(labels, term.topologyKey)) continue;
    if (s.antiAffinityCounts.get(term.topologyKey, labels[term.topologyKey] ?? "") > 0) {
      return false;
    }
  }
  return true;
}

/**
 * Check 1: the node has every affinity term's topology key, and each term's pair has a matching
 * pod — unless no pod anywhere matches (`affinityCounts` empty) and the incoming pod matches all
 * of its own terms (the first pod of a self-affine group).
 */
export function satisfyPodAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  const labels = nodeInfo.node.metadata.labels;
  let podsExist = true;
  for (const term of s.podInfo.requiredAffinityTerms) {
    if (!Object.hasOwn(labels, term.topologyKey)) return false;
    if (s.affinityCounts.get(term.topologyKey, labels[term.topologyKey] ?? "") <= 0) {
      podsExist = false;
    }
  }
  if (podsExist) return true;
  return (
    s.affinityCounts.size === 0 &&
    podMatchesAllAffinityTerms(s.podInfo.requiredAffinityTerms, s.podInfo.pod)
  );
}
