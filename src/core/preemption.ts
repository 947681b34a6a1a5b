/**
 * DefaultPreemption (PostFilter) for the WebAssembly core (semantics §5; the reference
 * src/reference/plugins/defaultpreemption/ is the oracle and documents every deterministic
 * choice — the offset draw, the dry run's visiting order, the final tie).
 *
 * The dry run works on the core's live state instead of cloned node infos: on each visited node
 * the lower-priority pods are taken off (forget), the preemptor is filtered on that node alone,
 * the victims are reprieved one by one (assume, filter, forget again), and finally every pod is
 * put back, so the node ends as it began. The core's counters are linear in the placed pods, so
 * this equals upstream's PreFilter state updated through the AddPod / RemovePod extensions — with
 * one upstream quirk kept on purpose: PodTopologySpread's RemovePod / AddPod count terminating
 * pods and `{}` selectors, which its PreFilter does not (`DryRunOps.adjust`).
 *
 * The selection helpers (importance order, PDB split, candidate count, pickOneNodeForPreemption)
 * are the reference's own pure functions.
 */
import type { DefaultPreemptionArgs } from "../config/types.ts";
import type { Pod } from "../model/types.ts";
import {
  type Candidate,
  calculateNumCandidates,
  compareImportance,
  filterPodsWithPDBViolation,
  type PodDisruptionBudget,
  pickOneNodeForPreemption,
  podPriority,
  podTerminatingByPreemption,
} from "../reference/plugins/defaultpreemption/index.ts";

/** A node's Filter status as preemption reads it (the core's codes mapped, see statusOfCode). */
export type NodeStatus = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable";

/** What the dry run needs from the scheduler (WasmScheduler provides it). */
export interface DryRunOps {
  readonly nodeCount: number;
  nodeName(node: number): string;
  /** The pods on `node`, in the order the reference's NodeInfo keeps them. */
  podsOn(node: number): readonly Pod[];
  /** Takes `pod` off `node` / puts it back (the core's state and the host's bookkeeping). */
  remove(pod: Pod, node: number): void;
  add(pod: Pod, node: number): void;
  /** Puts the node's pod list back in `pods`' order (the pods themselves are back already). */
  restoreOrder(node: number, pods: readonly Pod[]): void;
  /** The preemptor's Filter status on `node` in the current state. */
  filterOn(node: number): NodeStatus;
  /** Whether any placed pod has a priority below `priority` (else no node has a victim). */
  anyBelow(priority: number): boolean;
  /** The PodDisruptionBudgets, read against the pods bound now. */
  pdbs(): PodDisruptionBudget[];
  /** The scheduler's PRNG (selectHost's): a uniform integer in [0, bound). */
  nextBounded(bound: number): number;
}

/** The outcome: the nominated node (null when preemption does not help) and its victims. */
export interface CorePreemption {
  readonly node: string | null;
  /** `<namespace>/<name>` of each victim, most important first. */
  readonly victims: readonly string[];
  /** Set when the pod may not preempt (`preemptionPolicy: Never`, …): nothing was tried. */
  readonly notEligible?: string;
}

/**
 * Upstream `Evaluator.Preempt` over the core. `statuses` is every node's Filter status of the
 * failed cycle (table order).
 */
export function preempt(
  pod: Pod,
  statuses: readonly NodeStatus[],
  ops: DryRunOps,
  args: DefaultPreemptionArgs,
): CorePreemption {
  const notEligible = eligibility(pod, statuses, ops);
  if (notEligible !== undefined) return { node: null, victims: [], notEligible };
  const potential: number[] = [];
  statuses.forEach((s, i) => {
    if (s === "Unschedulable") potential.push(i);
  });
  if (potential.length === 0) return { node: null, victims: [] };
  const n = potential.length;
  const offset = n >= 2 ? ops.nextBounded(n) : 0;
  // Without a lower-priority pod anywhere the dry run finds no victim on any node: skip it
  // (the offset is still drawn, as it would be).
  if (!ops.anyBelow(podPriority(pod))) return { node: null, victims: [] };
  const numCandidates = calculateNumCandidates(args, n);
  const candidates = dryRunPreemption(pod, potential, ops, ops.pdbs(), offset, numCandidates);
  if (candidates.length === 0) return { node: null, victims: [] };
  const best =
    candidates.length === 1
      ? candidates[0]
      : candidates.find((c) => c.name === pickOneNodeForPreemption(candidates));
  const chosen = best ?? (candidates[0] as Candidate);
  return {
    node: chosen.name,
    victims: chosen.victims.map((v) => `${v.metadata.namespace}/${v.metadata.name}`),
  };
}

/**
 * DryRunPreemption (semantics §5.3): visits `potential[(offset + i) mod N]` and stops once a
 * non-violating candidate is found and non-violating + violating ≥ `numCandidates`; each kind
 * keeps at most `numCandidates`. Non-violating candidates first, then violating ones.
 */
export function dryRunPreemption(
  pod: Pod,
  potential: readonly number[],
  ops: DryRunOps,
  pdbs: readonly PodDisruptionBudget[],
  offset: number,
  numCandidates: number,
): Candidate[] {
  const n = potential.length;
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  for (let k = 0; k < n; k++) {
    const node = potential[(offset + k) % n] as number;
    const c = selectVictimsOnNode(pod, node, ops, pdbs);
    if (c === undefined) continue;
    const list = c.numPDBViolations === 0 ? nonViolating : violating;
    if (list.length < numCandidates) list.push(c);
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
  }
  return [...nonViolating, ...violating];
}

/** The reason a pod with `preemptionPolicy: Never` is not eligible (upstream's wording). */
export const PREEMPT_NEVER = "not eligible due to preemptionPolicy=Never.";

/** PodEligibleToPreemptOthers (semantics §5.1): the reason it may not, or undefined. */
function eligibility(
  pod: Pod,
  statuses: readonly NodeStatus[],
  ops: DryRunOps,
): string | undefined {
  if (pod.spec.preemptionPolicy === "Never") return PREEMPT_NEVER;
  const nominated = pod.status.nominatedNodeName ?? "";
  if (nominated === "") return undefined;
  let node = -1;
  for (let i = 0; i < ops.nodeCount; i++) if (ops.nodeName(i) === nominated) node = i;
  // A nominated node that is not in the cluster has the absent-nodes status (Unresolvable).
  if (node < 0 || statuses[node] === "UnschedulableAndUnresolvable") return undefined;
  const priority = podPriority(pod);
  for (const p of ops.podsOn(node)) {
    if (podPriority(p) < priority && podTerminatingByPreemption(p)) {
      return "not eligible due to a terminating pod on the nominated node.";
    }
  }
  return undefined;
}

/**
 * SelectVictimsOnNode (semantics §5.4) on the live state, restored before returning: the
 * candidate, or undefined when the node is not one.
 */
function selectVictimsOnNode(
  pod: Pod,
  node: number,
  ops: DryRunOps,
  pdbs: readonly PodDisruptionBudget[],
): Candidate | undefined {
  const priority = podPriority(pod);
  const before = ops.podsOn(node);
  const potential = before.filter((p) => podPriority(p) < priority);
  if (potential.length === 0) return undefined;
  for (const p of potential) ops.remove(p, node);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const fits = ops.filterOn(node) === "Success";
  if (fits) {
    potential.sort(compareImportance);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const reprieve = (p: Pod): boolean => {
      ops.add(p, node);
      if (ops.filterOn(node) === "Success") return true;
      ops.remove(p, node);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(compareImportance);
  }
  // Put back what is still off the node, in the node's original pod order.
  for (const p of fits ? victims : potential) ops.add(p, node);
  ops.restoreOrder(node, before);
  // A Success without victims is an Error upstream: not a candidate either way.
  if (!fits || victims.length === 0) return undefined;
  return { name: ops.nodeName(node), victims, numPDBViolations };
}
