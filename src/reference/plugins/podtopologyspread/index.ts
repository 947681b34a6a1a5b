/**
 * PodTopologySpread (semantics §4.9; upstream `plugins/podtopologyspread/{plugin.go,common.go,
 * filtering.go,scoring.go}`, v1.35). PreFilter (+ the AddPod/RemovePod PreFilter extensions, as
 * {@link PodTopologySpreadPlugin.addPod} / {@link PodTopologySpreadPlugin.removePod}), Filter,
 * PreScore, Score, NormalizeScore.
 *
 * The reference is the readable oracle: PreFilter and PreScore scan every node's pods, Filter
 * takes the global minimum by scanning the recorded domains (upstream keeps two "critical paths"
 * or a histogram to answer that in O(1); the result is the same).
 */

import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import {
  type FilterPlugin,
  type Handle,
  MAX_NODE_SCORE,
  type NodeScore,
  type PluginFactory,
  type PreFilterOutput,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { goRound, mulDiv } from "../../helpers/int64.ts";
import { RequiredNodeAffinity } from "../../helpers/node-selector.ts";
import * as names from "../names.ts";
import {
  defaultPodTopologySpreadArgs,
  type PodTopologySpreadArgs,
  SYSTEM_DEFAULT_CONSTRAINTS,
} from "./args.ts";
import {
  buildDefaultConstraints,
  countPodsMatchSelector,
  filterConstraints,
  LABEL_HOSTNAME,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConstraint,
  type WhenUnsatisfiable,
} from "./common.ts";
import { selectorMatches } from "./label-selector.ts";

/** The plugin name (upstream `names.PodTopologySpread`). */
export const NAME = names.PodTopologySpread;

/** Filter reason when the skew would exceed maxSkew (Unschedulable). */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH =
  "node(s) didn't match pod topology spread constraints";
/** Filter reason when the node lacks a constraint's topology key (UnschedulableAndUnresolvable). */
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export const PRE_FILTER_STATE_KEY = `PreFilter${NAME}`;
export const PRE_SCORE_STATE_KEY = `PreScore${NAME}`;

/** Upstream's initial "minimum" when a constraint has no domain at all (`math.MaxInt32`). */
const MAX_INT32 = 2 ** 31 - 1;

/**
 * What PreFilter computed (upstream `preFilterState`): the hard (DoNotSchedule) constraints and,
 * per constraint (same index), topology value → number of matching pods over every snapshot node
 * that carries all the constraints' keys and passes the constraint's inclusion policies. A value
 * is recorded (possibly with 0) for every such node; the number of recorded values is the
 * constraint's domain count.
 */
export class PreFilterState {
  readonly constraints: readonly SpreadConstraint[];
  readonly tpValueToMatchNum: readonly Map<string, number>[];

  constructor(
    constraints: readonly SpreadConstraint[],
    tpValueToMatchNum: readonly Map<string, number>[],
  ) {
    this.constraints = constraints;
    this.tpValueToMatchNum = tpValueToMatchNum;
  }

  /** A deep copy (the constraints are shared: they never change), for preemption's dry runs. */
  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }

  /**
   * The global minimum for constraint `i` (§4.9 PreFilter): the smallest recorded count, or 0
   * when fewer than `minDomains` domains were recorded.
   */
  minMatchNum(i: number): number {
    const counts = this.tpValueToMatchNum[i] ?? new Map<string, number>();
    const c = this.constraints[i];
    if (c && counts.size < c.minDomains) return 0;
    let min = MAX_INT32;
    for (const n of counts.values()) if (n < min) min = n;
    return min;
  }
}

/**
 * What PreScore computed (upstream `preScoreState`): the soft (ScheduleAnyway) constraints, the
 * feasible nodes ignored for lacking a key, per constraint the registered topology values with
 * their pod totals (not for hostname constraints), and per constraint the weight `ln(size + 2)`.
 */
export interface PreScoreState {
  readonly constraints: readonly SpreadConstraint[];
  readonly ignoredNodes: ReadonlySet<string>;
  readonly topologyValueToPodCounts: readonly Map<string, number>[];
  readonly topologyNormalizingWeight: readonly number[];
}

export class PodTopologySpreadPlugin
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = NAME;
  /** The constraints for pods without their own: the System ones or the args' list. */
  private readonly defaultConstraints: PodTopologySpreadArgs["defaultConstraints"];
  /** `defaultingType: System`. */
  private readonly systemDefaulted: boolean;
  private readonly handle: Handle;

  constructor(args: PodTopologySpreadArgs, handle: Handle) {
    this.handle = handle;
    this.systemDefaulted = args.defaultingType === "System";
    this.defaultConstraints = this.systemDefaulted
      ? SYSTEM_DEFAULT_CONSTRAINTS
      : args.defaultConstraints;
  }

  /**
   * `getConstraints` (§4.9 "Constraint preparation"): the pod's own constraints with the given
   * `whenUnsatisfiable` when it has any constraint at all, otherwise the default constraints
   * (only for pods selected by a Service/ReplicaSet/StatefulSet). Throws on an invalid selector.
   */
  private constraintsFor(pod: Pod, action: WhenUnsatisfiable): SpreadConstraint[] {
    if (pod.spec.topologySpreadConstraints.length > 0) {
      return filterConstraints(pod.spec.topologySpreadConstraints, pod.metadata.labels, action);
    }
    return buildDefaultConstraints(this.defaultConstraints, pod, this.handle.snapshot(), action);
  }

  /**
   * §4.9 PreFilter: Skip when the pod has no DoNotSchedule constraint (own or default). Otherwise,
   * over **every snapshot node** carrying all the constraints' topology keys, for each constraint
   * the node passes the inclusion policies of: `matchNum[c][node's value] += count of the node's
   * matching pods` (§4.9 "Counting"). Error on an invalid label selector.
   */
  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, "DoNotSchedule");
    } catch (e) {
      const what =
        pod.spec.topologySpreadConstraints.length > 0
          ? "obtaining pod's hard topology spread constraints"
          : "setting default hard topology spread constraints";
      const msg = `get constraints from pod: ${what}: ${(e as Error).message}`;
      return { result: null, status: newStatus("Error", msg) };
    }
    if (constraints.length === 0) return { result: null, status: newStatus("Skip") };

    const counts = constraints.map(() => new Map<string, number>());
    const required = new RequiredNodeAffinity(pod);
    for (const nodeInfo of this.handle.snapshot().nodeInfoList) {
      const node = nodeInfo.node;
      if (!nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!matchNodeInclusionPolicies(c, pod, node, required)) return;
        const value = node.metadata.labels[c.topologyKey] ?? "";
        const count = countPodsMatchSelector(nodeInfo.pods, c.selector, pod.metadata.namespace);
        const m = counts[i] as Map<string, number>;
        m.set(value, (m.get(value) ?? 0) + count);
      });
    }
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(constraints, counts));
    return { result: null, status: SUCCESS };
  }

  /**
   * The PreFilter extension `AddPod` (used by preemption and for nominated pods, §1.1 step 3):
   * accounts `podToAdd`, placed on `nodeInfo`'s node, in the PreFilter state — see
   * {@link updateWithPod}. Error when PreFilter did not write a state (it was skipped or not run;
   * the framework does not call extensions of a skipped plugin).
   */
  addPod(state: CycleState, podToSchedule: Pod, podToAdd: Pod, nodeInfo: NodeInfo): Status {
    return this.updateWithPod(state, podToSchedule, podToAdd, nodeInfo, 1);
  }

  /** The PreFilter extension `RemovePod`: the inverse of {@link addPod} (`delta = −1`). */
  removePod(state: CycleState, podToSchedule: Pod, podToRemove: Pod, nodeInfo: NodeInfo): Status {
    return this.updateWithPod(state, podToSchedule, podToRemove, nodeInfo, -1);
  }

  /**
   * Upstream `updateWithPod`: nothing when the pod is in another namespace than the pod being
   * scheduled, or the node lacks one of the constraints' keys; otherwise, for each constraint whose
   * selector matches the pod's labels and whose inclusion policies the node passes,
   * `matchNum[c][node's value] += delta`. As upstream, this uses the selector directly: unlike
   * PreFilter's counting it does not skip terminating pods and an empty (`{}`) selector matches.
   */
  private updateWithPod(
    state: CycleState,
    preemptor: Pod,
    updated: Pod,
    nodeInfo: NodeInfo,
    delta: number,
  ): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) {
      return newStatus(
        "Error",
        `reading ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState: not found`,
      );
    }
    if (updated.metadata.namespace !== preemptor.metadata.namespace) return SUCCESS;
    const node = nodeInfo.node;
    if (!nodeLabelsMatchSpreadConstraints(node.metadata.labels, s.constraints)) return SUCCESS;
    const required = new RequiredNodeAffinity(preemptor);
    s.constraints.forEach((c, i) => {
      if (!selectorMatches(c.selector, updated.metadata.labels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node, required)) return;
      const value = node.metadata.labels[c.topologyKey] ?? "";
      const m = s.tpValueToMatchNum[i] as Map<string, number>;
      m.set(value, (m.get(value) ?? 0) + delta);
    });
    return SUCCESS;
  }

  /**
   * §4.9 Filter, constraints in order, the first failure decides: a node lacking the key is
   * UnschedulableAndUnresolvable `…(missing required label)`; `skew = matchNum + selfMatch −
   * globalMin > maxSkew` is Unschedulable `node(s) didn't match pod topology spread constraints`,
   * where `selfMatch` is 1 when the pod's own labels match the selector and `matchNum` is 0 for an
   * unrecorded value. Passes every node when PreFilter recorded no constraints.
   */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) {
      return newStatus(
        "Error",
        `reading ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState: not found`,
      );
    }
    const labels = nodeInfo.node.metadata.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as SpreadConstraint;
      if (!Object.hasOwn(labels, c.topologyKey)) {
        return newStatus("UnschedulableAndUnresolvable", ERR_REASON_NODE_LABEL_NOT_MATCH);
      }
      const tpVal = labels[c.topologyKey] ?? "";
      const minMatchNum = s.minMatchNum(i);
      const selfMatchNum = selectorMatches(c.selector, pod.metadata.labels) ? 1 : 0;
      const matchNum = s.tpValueToMatchNum[i]?.get(tpVal) ?? 0;
      const skew = matchNum + selfMatchNum - minMatchNum;
      if (skew > c.maxSkew) return newStatus("Unschedulable", ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return SUCCESS;
  }

  /**
   * §4.9 PreScore: Skip when the snapshot has no nodes or the pod has no ScheduleAnyway constraint
   * (own or default). `requireAllTopologies` = the pod has its own constraints or defaulting is not
   * System. Over the feasible `nodes`: with requireAllTopologies a node lacking a key is ignored;
   * otherwise every non-hostname constraint registers the node's value (`""` when the node lacks
   * the key) and `size_c` counts distinct values; hostname constraints use `size = #feasible −
   * #ignored`. Weight `w_c = ln(size_c + 2)`. Then over **every snapshot node** (those lacking a
   * key skipped when requireAllTopologies), for each constraint it passes the inclusion policies
   * of, the node's matching pods are added to its value's total if that value was registered.
   */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    const allNodes = this.handle.snapshot().nodeInfoList;
    if (allNodes.length === 0) return newStatus("Skip");
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, "ScheduleAnyway");
    } catch (e) {
      const what =
        pod.spec.topologySpreadConstraints.length > 0
          ? "obtaining pod's soft topology spread constraints"
          : "setting default soft topology spread constraints";
      return newStatus("Error", `calculating preScoreState: ${what}: ${(e as Error).message}`);
    }
    if (constraints.length === 0) return newStatus("Skip");
    const requireAllTopologies =
      pod.spec.topologySpreadConstraints.length > 0 || !this.systemDefaulted;

    const ignoredNodes = new Set<string>();
    const podCounts = constraints.map(() => new Map<string, number>());
    for (const nodeInfo of nodes) {
      const labels = nodeInfo.node.metadata.labels;
      if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
        ignoredNodes.add(nodeInfo.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return; // counted per node in Score
        const m = podCounts[i] as Map<string, number>;
        const value = labels[c.topologyKey] ?? "";
        if (!m.has(value)) m.set(value, 0);
      });
    }
    const weights = constraints.map((c, i) => {
      const size =
        c.topologyKey === LABEL_HOSTNAME
          ? nodes.length - ignoredNodes.size
          : (podCounts[i] as Map<string, number>).size;
      return topologyNormalizingWeight(size);
    });

    const required = new RequiredNodeAffinity(pod);
    for (const nodeInfo of allNodes) {
      const node = nodeInfo.node;
      if (
        requireAllTopologies &&
        !nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)
      ) {
        continue;
      }
      constraints.forEach((c, i) => {
        if (!matchNodeInclusionPolicies(c, pod, node, required)) return;
        const m = podCounts[i] as Map<string, number>;
        const value = node.metadata.labels[c.topologyKey] ?? "";
        const total = m.get(value);
        if (total === undefined) return;
        m.set(
          value,
          total + countPodsMatchSelector(nodeInfo.pods, c.selector, pod.metadata.namespace),
        );
      });
    }
    const s: PreScoreState = {
      constraints,
      ignoredNodes,
      topologyValueToPodCounts: podCounts,
      topologyNormalizingWeight: weights,
    };
    state.write(PRE_SCORE_STATE_KEY, s);
    return SUCCESS;
  }

  /**
   * §4.9 Score: 0 for an ignored node; otherwise `round(Σ_c cnt_c × w_c + (maxSkew_c − 1))` over
   * the constraints whose key the node has, summed in float64 in constraint order, rounded half
   * away from zero. `cnt_c` is the node's own matching pods for hostname constraints, else the
   * total registered for the node's value.
   */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) {
      return newStatus(
        "Error",
        `error reading ${JSON.stringify(PRE_SCORE_STATE_KEY)} from cycleState: not found`,
      );
    }
    if (s.ignoredNodes.has(nodeInfo.name)) return 0;
    const labels = nodeInfo.node.metadata.labels;
    let score = 0;
    s.constraints.forEach((c, i) => {
      if (!Object.hasOwn(labels, c.topologyKey)) return;
      const tpVal = labels[c.topologyKey] ?? "";
      const cnt =
        c.topologyKey === LABEL_HOSTNAME
          ? countPodsMatchSelector(nodeInfo.pods, c.selector, pod.metadata.namespace)
          : (s.topologyValueToPodCounts[i]?.get(tpVal) ?? 0);
      score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i] ?? 0);
    });
    return goRound(score);
  }

  /**
   * §4.9 NormalizeScore: ignored nodes → 0; over the others `min` and `max` raw scores; every
   * node → 100 when `max == 0`, else `100 × (max + min − raw) / max` (integer division).
   */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) {
      return newStatus(
        "Error",
        `error reading ${JSON.stringify(PRE_SCORE_STATE_KEY)} from cycleState: not found`,
      );
    }
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) continue;
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    }
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = mulDiv(MAX_NODE_SCORE, max + min - sc.score, max);
    }
    return SUCCESS;
  }
}

/** `topologyNormalizingWeight`: `ln(size + 2)` (§4.9 PreScore). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** `scoreForCount`: `cnt × w + (maxSkew − 1)` in float64 (§4.9 Score). */
export function scoreForCount(cnt: number, maxSkew: number, weight: number): number {
  return cnt * weight + (maxSkew - 1);
}

export const newPodTopologySpread: PluginFactory = (args, handle) =>
  new PodTopologySpreadPlugin(defaultPodTopologySpreadArgs(args), handle);
