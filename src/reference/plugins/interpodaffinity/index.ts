/**
 * InterPodAffinity (semantics §4.10; upstream `plugins/interpodaffinity/{plugin.go,filtering.go,
 * scoring.go}`). PreFilter (with the AddPod / RemovePod extensions), Filter, PreScore, Score,
 * NormalizeScore.
 *
 * The reference scans the snapshot's pods as upstream does, sequentially: PreFilter walks every
 * pod with required anti-affinity (existing pods' rules) and, when the incoming pod has required
 * terms, every pod (its own rules); PreScore walks every pod when the incoming pod has preferred
 * terms, else only pods with pod (anti-)affinity. Terminating pods count (unlike
 * PodTopologySpread, §6).
 */

import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  Handle,
  NodeScore,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { InterPodAffinity } from "../names.ts";
import {
  hasPodAffinity,
  hasRequiredAntiAffinity,
  mergeNamespaces,
  type PodAffinityInfo,
  parseErrorMessage,
  podAffinityInfo,
  termMatches,
} from "./affinity-term.ts";
import {
  defaultInterPodAffinityArgs,
  type InterPodAffinityArgs,
  validateInterPodAffinityArgs,
} from "./args.ts";
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  PreFilterState,
  satisfyExistingPodsAntiAffinity,
  satisfyPodAffinity,
  satisfyPodAntiAffinity,
} from "./filtering.ts";
import { normalizeScores, type PreScoreState, processExistingPod, ScoreMap } from "./scoring.ts";

export {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  PreFilterState,
  TopologyCounts,
} from "./filtering.ts";
export type { PreScoreState } from "./scoring.ts";

/** The plugin name (upstream `names.InterPodAffinity`). */
export { InterPodAffinity };

/** CycleState key of the {@link PreFilterState}. */
export const PRE_FILTER_STATE_KEY = `PreFilter${InterPodAffinity}`;
/** CycleState key of the {@link PreScoreState}. */
export const PRE_SCORE_STATE_KEY = `PreScore${InterPodAffinity}`;

const notFound = (verb: string, key: string) =>
  newStatus("Error", `${verb} ${JSON.stringify(key)} from cycleState: not found`);

export class InterPodAffinityPlugin
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = InterPodAffinity;
  readonly args: InterPodAffinityArgs;
  private readonly handle: Handle;

  /** Throws when the args are invalid (upstream rejects them). */
  constructor(args: InterPodAffinityArgs, handle: Handle) {
    const errs = validateInterPodAffinityArgs(args);
    if (errs.length > 0) throw new Error(errs.join(", "));
    this.args = args;
    this.handle = handle;
  }

  /**
   * Builds the three counters of §4.10 and stores a {@link PreFilterState} under
   * {@link PRE_FILTER_STATE_KEY}. A term that does not parse (any of the pod's four lists) is
   * UnschedulableAndUnresolvable `parsing pod: …`. Skip when no existing pod's anti-affinity
   * matches the pod and the pod has no required affinity or anti-affinity term.
   */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutput {
    const snapshot = this.handle.snapshot();
    const parsed = podAffinityInfo(pod);
    if (parsed.parseErrors.length > 0) {
      return {
        result: null,
        status: newStatus(
          "UnschedulableAndUnresolvable",
          `parsing pod: ${parseErrorMessage(parsed)}`,
        ),
      };
    }
    const namespaces = snapshot.namespaces();
    const podInfo: PodAffinityInfo = {
      ...parsed,
      requiredAffinityTerms: parsed.requiredAffinityTerms.map((t) =>
        mergeNamespaces(t, namespaces),
      ),
      requiredAntiAffinityTerms: parsed.requiredAntiAffinityTerms.map((t) =>
        mergeNamespaces(t, namespaces),
      ),
    };
    const s = new PreFilterState(podInfo, snapshot.namespaceLabels(pod.metadata.namespace));

    // Existing pods' required anti-affinity terms that match the incoming pod (the nodes of the
    // whole snapshot: upstream's HavePodsWithRequiredAntiAffinityList).
    for (const nodeInfo of snapshot.nodeInfoList) {
      for (const existing of nodeInfo.pods) {
        if (!hasRequiredAntiAffinity(existing)) continue;
        for (const t of podAffinityInfo(existing).requiredAntiAffinityTerms) {
          if (termMatches(t, pod, s.namespaceLabels)) {
            s.existingAntiAffinityCounts.update(nodeInfo.node, t.topologyKey, 1);
          }
        }
      }
    }

    // Existing pods that match the incoming pod's required (anti-)affinity terms.
    const affinityTerms = podInfo.requiredAffinityTerms;
    const antiAffinityTerms = podInfo.requiredAntiAffinityTerms;
    if (affinityTerms.length > 0 || antiAffinityTerms.length > 0) {
      for (const nodeInfo of nodes) {
        for (const existing of nodeInfo.pods) {
          s.affinityCounts.updateWithAffinityTerms(affinityTerms, existing, nodeInfo.node, 1);
          s.antiAffinityCounts.updateWithAntiAffinityTerms(
            antiAffinityTerms,
            existing,
            undefined,
            nodeInfo.node,
            1,
          );
        }
      }
    }

    if (
      s.existingAntiAffinityCounts.size === 0 &&
      affinityTerms.length === 0 &&
      antiAffinityTerms.length === 0
    ) {
      return { result: null, status: newStatus("Skip") };
    }
    state.write(PRE_FILTER_STATE_KEY, s);
    return { result: null, status: SUCCESS };
  }

  /**
   * PreFilter extension AddPod (upstream `updateWithPod(…, +1)`): accounts `podToAdd` as placed
   * on `nodeInfo`'s node in this cycle's {@link PreFilterState} — for nominated pods and
   * preemption's what-if evaluation. Error when PreFilter stored no state (it was skipped).
   * `podToSchedule` is the incoming pod, already recorded in the state.
   */
  addPod(state: CycleState, _podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return notFound("error reading", PRE_FILTER_STATE_KEY);
    s.updateWithPod(podToAdd, nodeInfo.node, 1);
    return SUCCESS;
  }

  /** PreFilter extension RemovePod (upstream `updateWithPod(…, −1)`); see {@link addPod}. */
  removePod(state: CycleState, _podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return notFound("error reading", PRE_FILTER_STATE_KEY);
    s.updateWithPod(podToRemove, nodeInfo.node, -1);
    return SUCCESS;
  }

  /**
   * In order: the pod's affinity (UnschedulableAndUnresolvable
   * `node(s) didn't match pod affinity rules`), its anti-affinity (Unschedulable
   * `node(s) didn't match pod anti-affinity rules`), existing pods' anti-affinity (Unschedulable
   * `node(s) didn't satisfy existing pods anti-affinity rules`). Error without PreFilter state.
   */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return notFound("error reading", PRE_FILTER_STATE_KEY);
    if (!satisfyPodAffinity(s, nodeInfo)) {
      return newStatus("UnschedulableAndUnresolvable", ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    }
    if (!satisfyPodAntiAffinity(s, nodeInfo)) {
      return newStatus("Unschedulable", ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    if (!satisfyExistingPodsAntiAffinity(s, nodeInfo)) {
      return newStatus("Unschedulable", ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    return SUCCESS;
  }

  /**
   * Builds the topology scores over the whole snapshot (not only the feasible nodes) and stores a
   * {@link PreScoreState} under {@link PRE_SCORE_STATE_KEY}. Skip when
   * `ignorePreferredTermsOfExistingPods` is set and the pod has no preferred term, or when no
   * entry was produced; Error `failed to parse pod: …` when a term does not parse.
   */
  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status {
    const a = pod.spec.affinity;
    const hasPreferred =
      (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution.length ?? 0) > 0 ||
      (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution.length ?? 0) > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasPreferred) return newStatus("Skip");

    const snapshot = this.handle.snapshot();
    const parsed = podAffinityInfo(pod);
    if (parsed.parseErrors.length > 0) {
      return newStatus("Error", `failed to parse pod: ${parseErrorMessage(parsed)}`);
    }
    const namespaces = snapshot.namespaces();
    const s: PreScoreState = {
      topologyScore: new ScoreMap(),
      podInfo: {
        ...parsed,
        preferredAffinityTerms: parsed.preferredAffinityTerms.map((t) =>
          mergeNamespaces(t, namespaces),
        ),
        preferredAntiAffinityTerms: parsed.preferredAntiAffinityTerms.map((t) =>
          mergeNamespaces(t, namespaces),
        ),
      },
      namespaceLabels: snapshot.namespaceLabels(pod.metadata.namespace),
    };

    // Unless the pod has preferred terms, only pods with pod (anti-)affinity can contribute.
    // Upstream sums per-node maps; summing into one map is the same.
    for (const nodeInfo of snapshot.nodeInfoList) {
      for (const existing of nodeInfo.pods) {
        if (!hasPreferred && !hasPodAffinity(existing)) continue;
        processExistingPod(
          s,
          podAffinityInfo(existing),
          nodeInfo.node,
          pod,
          this.args.hardPodAffinityWeight,
          s.topologyScore,
        );
      }
    }
    if (s.topologyScore.size === 0) return newStatus("Skip");
    state.write(PRE_SCORE_STATE_KEY, s);
    return SUCCESS;
  }

  /** Σ over the node's labels of the topology scores (may be negative). */
  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return notFound("failed to read", PRE_SCORE_STATE_KEY);
    return s.topologyScore.nodeScore(nodeInfo.node);
  }

  /**
   * Unchanged when the topology scores are empty; otherwise min–max scaled to 0..100 with a
   * float64 truncation, all 0 when every raw score is equal (§4.10, §6).
   */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return notFound("failed to read", PRE_SCORE_STATE_KEY);
    if (s.topologyScore.size === 0) return SUCCESS;
    normalizeScores(scores);
    return SUCCESS;
  }
}

export const newInterPodAffinity: PluginFactory = (args, handle) =>
  new InterPodAffinityPlugin(defaultInterPodAffinityArgs(args), handle);
