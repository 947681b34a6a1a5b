/**
 * DefaultPreemption, the PostFilter plugin (semantics §5; upstream
 * `plugins/defaultpreemption/default_preemption.go` and `framework/preemption/preemption.go`):
 * when no node fits a pod, find nodes where deleting lower-priority pods would let it fit, pick
 * one, and nominate the pod to it with the pods to delete (the victims).
 *
 * Deterministic where upstream is not:
 * - **Sampling offset**: upstream draws the dry run's starting offset from Go's global
 *   `rand.Int31n`; the reference draws from the scheduler's seeded PCG32 — see
 *   {@link DefaultPreemptionPlugin.getOffsetAndNumCandidates} for the exact draw.
 * - **Dry run**: upstream checks the potential nodes with 16 workers and stops "about" when
 *   enough candidates are found; the reference visits them one at a time in the rotated order and
 *   stops exactly at the upstream condition (§5.3), so which candidates are found is fixed.
 * - **Potential nodes** keep the snapshot order (upstream: Go map order unless every node's
 *   status is the absent-nodes one).
 * - **Final tie** of `pickOneNodeForPreemption` (§5.5.6): the first remaining candidate in the
 *   dry run's order (non-violating candidates first, then violating ones, each in the rotated
 *   visiting order); upstream takes the first in Go map order.
 * - **Start times**: a pod without `status.startTime` counts as starting at a fixed "now" later
 *   than every recorded start (upstream calls `time.Now()` at each comparison).
 *
 * Not modelled: extenders (none are configured), async preemption's PreEnqueue gate, the API
 * calls that delete the victims and clear lower-priority nominations (§5.6; `scheduleOne`
 * reports the victims instead), nominated pods in the dry run's Filter (the reference has no
 * nominator), and workload-aware / pod-group preemption (alpha).
 */

import type { Pod } from "../../../model/types.ts";
import type { DefaultPreemptionArgs } from "../../external.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import {
  type FrameworkHandle,
  isFrameworkHandle,
  type PluginFactory,
  type PostFilterPlugin,
  type PostFilterResult,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { NodeToStatus, type NodeToStatusReader } from "../../framework/node-to-status.ts";
import { fitErrorMessage } from "../../framework/schedule-one.ts";
import {
  isSuccess,
  newStatus,
  type Status,
  SUCCESS,
  statusMessage,
} from "../../framework/status.ts";
import { intDiv } from "../../helpers/int64.ts";
import { DefaultPreemption } from "../names.ts";
import { compareImportance, earliestStartOfHighestPriority, podPriority } from "./importance.ts";
import {
  filterPodsWithPDBViolation,
  type PodDisruptionBudget,
  readPodDisruptionBudgets,
} from "./pdb.ts";

export type { DefaultPreemptionArgs } from "../../external.ts";
export {
  compareImportance,
  earliestStartOfHighestPriority,
  NOW_NANOS,
  podPriority,
  podStartTime,
} from "./importance.ts";
export {
  computeDisruptionsAllowed,
  filterPodsWithPDBViolation,
  type PodDisruptionBudget,
  readPodDisruptionBudgets,
} from "./pdb.ts";

/** The plugin's name (upstream `names.DefaultPreemption`). */
export { DefaultPreemption };

/** Reason of a node with no lower-priority pod (UnschedulableAndUnresolvable). */
export const ERR_NO_VICTIMS = "No preemption victims found for incoming pod";
/** Absent-nodes reason of the FitError when no candidate is found. */
export const ERR_NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const ERR_PREEMPT_NEVER = "not eligible due to preemptionPolicy=Never.";
export const ERR_TERMINATING_ON_NOMINATED =
  "not eligible due to a terminating pod on the nominated node.";

/** Fills absent fields with the v1 defaults (`minCandidateNodesPercentage: 10`, `…Absolute: 100`). */
export function defaultDefaultPreemptionArgs(args: unknown): DefaultPreemptionArgs {
  const a = (args ?? {}) as Partial<DefaultPreemptionArgs>;
  return {
    kind: "DefaultPreemptionArgs",
    minCandidateNodesPercentage: a.minCandidateNodesPercentage ?? 10,
    minCandidateNodesAbsolute: a.minCandidateNodesAbsolute ?? 100,
  };
}

/** Upstream `ValidateDefaultPreemptionArgs`; returns error messages (empty = valid). */
export function validateDefaultPreemptionArgs(a: DefaultPreemptionArgs): string[] {
  const errs: string[] = [];
  const pct = a.minCandidateNodesPercentage;
  const abs = a.minCandidateNodesAbsolute;
  if (!Number.isInteger(pct) || pct < 0 || pct > 100) {
    errs.push(`minCandidateNodesPercentage: Invalid value: ${pct}: not in valid range [0, 100]`);
  }
  if (!Number.isInteger(abs) || abs < 0) {
    errs.push(`minCandidateNodesAbsolute: Invalid value: ${abs}: not in valid range [0, inf)`);
  }
  if (pct === 0 && abs === 0) {
    errs.push(
      "minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute",
    );
  }
  return errs;
}

/**
 * `max(numNodes × minCandidateNodesPercentage / 100, minCandidateNodesAbsolute)` (integer
 * division), at most `numNodes` (semantics §5.3).
 */
export function calculateNumCandidates(args: DefaultPreemptionArgs, numNodes: number): number {
  let n = intDiv(numNodes * args.minCandidateNodesPercentage, 100);
  if (n < args.minCandidateNodesAbsolute) n = args.minCandidateNodesAbsolute;
  if (n > numNodes) n = numNodes;
  return n;
}

/** A node where preemption makes the pod fit, and what it costs. */
export interface Candidate {
  readonly name: string;
  /** Most important first (semantics §5.4). */
  readonly victims: readonly Pod[];
  readonly numPDBViolations: number;
}

/** SelectVictimsOnNode's outcome. */
export interface NodeVictims {
  /** Most important first; empty unless `status` is Success. */
  readonly victims: readonly Pod[];
  readonly numPDBViolations: number;
  readonly status: Status;
}

/** DryRunPreemption's outcome. */
export interface DryRunResult {
  /** Non-violating candidates, then violating ones, each in visiting order. */
  readonly candidates: readonly Candidate[];
  /** Why each visited node that is not a candidate is not one. */
  readonly nodeStatuses: NodeToStatus;
  /** Messages of the Error statuses met on the way. */
  readonly errors: readonly string[];
}

/**
 * Whether the victim of a past preemption is terminating (upstream `podTerminatingByPreemption`):
 * it has a `deletionTimestamp` and a `DisruptionTarget` condition with status True and reason
 * `PreemptionByScheduler`. gantry's object model does not decode `status.conditions` yet, so a
 * pod read from a manifest never qualifies; pods built in code may carry the conditions.
 */
export function podTerminatingByPreemption(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp === undefined) return false;
  const conditions = (pod.status as { readonly conditions?: readonly PodCondition[] }).conditions;
  const c = conditions?.find((x) => x.type === "DisruptionTarget");
  return c !== undefined && c.status === "True" && c.reason === "PreemptionByScheduler";
}

/** A pod condition as {@link podTerminatingByPreemption} reads it. */
export interface PodCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
}

/**
 * pickOneNodeForPreemption (semantics §5.5): successively keep the candidates with the fewest
 * PDB violations; the lowest highest-victim priority; the smallest Σ (priority + 2^31); the
 * fewest victims; the latest earliest-start-time of the highest-priority victims; stop as soon
 * as one remains; finally the first remaining candidate (in the given order). `""` when empty.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): string {
  const scores: ((c: Candidate) => bigint)[] = [
    (c) => -BigInt(c.numPDBViolations),
    (c) => -BigInt(podPriority(c.victims[0] as Pod)),
    (c) => -c.victims.reduce((sum, p) => sum + BigInt(podPriority(p)) + 2n ** 31n, 0n),
    (c) => -BigInt(c.victims.length),
    (c) => earliestStartOfHighestPriority(c.victims),
  ];
  let remaining = [...candidates];
  for (const score of scores) {
    if (remaining.length <= 1) break;
    let max: bigint | undefined;
    let best: Candidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (max === undefined || s > max) {
        max = s;
        best = [c];
      } else if (s === max) {
        best.push(c);
      }
    }
    remaining = best;
  }
  return remaining[0]?.name ?? "";
}

export class DefaultPreemptionPlugin implements PostFilterPlugin {
  readonly name = DefaultPreemption;
  readonly args: DefaultPreemptionArgs;
  private readonly handle: FrameworkHandle;

  /** Throws when the args fail validation. */
  constructor(args: DefaultPreemptionArgs, handle: FrameworkHandle) {
    const errs = validateDefaultPreemptionArgs(args);
    if (errs.length > 0) throw new Error(`invalid DefaultPreemptionArgs: ${errs.join("; ")}`);
    this.args = args;
    this.handle = handle;
  }

  /** Upstream `PostFilter`: {@link preempt}, its message prefixed with `preemption: `. */
  postFilter(state: CycleState, pod: Pod, m: NodeToStatusReader): PostFilterResult {
    const r = this.preempt(state, pod, m);
    const msg = statusMessage(r.status);
    if (msg === "") return r;
    return { ...r, status: newStatus(r.status.code, `preemption: ${msg}`) };
  }

  /**
   * Upstream `Evaluator.Preempt`:
   * 1. not eligible (§5.1) → Unschedulable with the reason, nomination unchanged;
   * 2. candidates: the nodes whose Filter status is Unschedulable (§5.2), dry-run from a random
   *    offset (§5.3, §5.4);
   * 3. none → Unschedulable with upstream's FitError text over the dry run's statuses (nodes
   *    not dry-run: `Preemption is not helpful for scheduling`), nomination cleared (`""`) —
   *    or an Error when the dry run met errors;
   * 4. else the best candidate (§5.5): Success, nominated to it, with its victims.
   */
  preempt(state: CycleState, pod: Pod, m: NodeToStatusReader): PostFilterResult {
    const nominated = pod.status.nominatedNodeName ?? "";
    const eligible = this.podEligibleToPreemptOthers(pod, m.get(nominated));
    if (!eligible.eligible) {
      return { victims: [], status: newStatus("Unschedulable", eligible.reason) };
    }
    const allNodes = this.handle.snapshot().nodeInfoList;
    if (allNodes.length === 0) {
      return { victims: [], status: newStatus("Error", "no nodes available") };
    }
    const potentialNodes = m.nodesForStatusCode(allNodes, "Unschedulable");
    let dry: DryRunResult = { candidates: [], nodeStatuses: new NodeToStatus(), errors: [] };
    if (potentialNodes.length > 0) {
      const pdbs = this.podDisruptionBudgets();
      const { offset, numCandidates } = this.getOffsetAndNumCandidates(potentialNodes.length);
      dry = this.dryRunPreemption(state, pod, potentialNodes, pdbs, offset, numCandidates);
    }
    if (dry.errors.length > 0 && dry.candidates.length === 0) {
      const msg =
        dry.errors.length === 1 ? (dry.errors[0] as string) : `[${dry.errors.join(", ")}]`;
      return { victims: [], status: newStatus("Error", msg) };
    }
    if (dry.candidates.length === 0) {
      const message = fitErrorMessage(allNodes.length, {
        nodeToStatus: new Map(dry.nodeStatuses.entries()),
        absentNodesStatus: newStatus("UnschedulableAndUnresolvable", ERR_NOT_HELPFUL),
        unschedulablePlugins: [],
      });
      return { nominatedNodeName: "", victims: [], status: newStatus("Unschedulable", message) };
    }
    const best = this.selectCandidate(dry.candidates);
    if (!best) {
      return {
        victims: [],
        status: newStatus("Unschedulable", "no candidate node for preemption"),
      };
    }
    return { nominatedNodeName: best.name, victims: best.victims, status: SUCCESS };
  }

  /**
   * PodEligibleToPreemptOthers (semantics §5.1): not with `preemptionPolicy: Never`; with a
   * `status.nominatedNodeName`, eligible when that node's Filter status is
   * UnschedulableAndUnresolvable, else not while the node holds a lower-priority pod terminating
   * by preemption ({@link podTerminatingByPreemption}).
   */
  podEligibleToPreemptOthers(
    pod: Pod,
    nominatedNodeStatus: Status,
  ): { eligible: boolean; reason: string } {
    if (pod.spec.preemptionPolicy === "Never")
      return { eligible: false, reason: ERR_PREEMPT_NEVER };
    const nominated = pod.status.nominatedNodeName ?? "";
    if (nominated !== "") {
      if (nominatedNodeStatus.code === "UnschedulableAndUnresolvable") {
        return { eligible: true, reason: "" };
      }
      const nodeInfo = this.handle.snapshot().get(nominated);
      const priority = podPriority(pod);
      for (const p of nodeInfo?.pods ?? []) {
        if (podPriority(p) < priority && podTerminatingByPreemption(p)) {
          return { eligible: false, reason: ERR_TERMINATING_ON_NOMINATED };
        }
      }
    }
    return { eligible: true, reason: "" };
  }

  /**
   * `max(numNodes × minCandidateNodesPercentage / 100, minCandidateNodesAbsolute)` (integer
   * division), at most `numNodes` (semantics §5.3).
   */
  calculateNumCandidates(numNodes: number): number {
    return calculateNumCandidates(this.args, numNodes);
  }

  /**
   * GetOffsetAndNumCandidates. **The draw** (`preemptionOffset`): with `N` potential nodes,
   * `N ≥ 2` → exactly one draw `offset = rng.nextBounded(N)` from the handle's generator (the
   * scheduler's `SchedulerState.rng` in `scheduleOne`, `ExplainOptions.rng` in `explain`);
   * `N = 1` → offset 0 and no draw. Nothing is drawn when the pod is not eligible or no node is a
   * potential candidate. A cycle that reaches PostFilter found no feasible node, so selectHost
   * drew nothing in it: the offset draw is the cycle's only draw. (Upstream calls Go's
   * `rand.Int31n(N)`, unseeded, for every `N ≥ 1`.)
   */
  getOffsetAndNumCandidates(numNodes: number): { offset: number; numCandidates: number } {
    const offset = numNodes >= 2 ? this.handle.rng().nextBounded(numNodes) : 0;
    return { offset, numCandidates: this.calculateNumCandidates(numNodes) };
  }

  /**
   * The snapshot's PodDisruptionBudgets (see `readPodDisruptionBudgets` for PDBs without a
   * status).
   */
  podDisruptionBudgets(): PodDisruptionBudget[] {
    const snapshot = this.handle.snapshot();
    return readPodDisruptionBudgets(snapshot.objectsOf("PodDisruptionBudget"), () =>
      snapshot.nodeInfoList.flatMap((n) => n.pods),
    );
  }

  /**
   * DryRunPreemption (semantics §5.3): visits `potentialNodes[(offset + i) mod N]` for
   * i = 0, 1, …, each on a clone of the node info and of `state`, and stops once at least one
   * non-violating candidate is found and non-violating + violating ≥ `numCandidates`. Each kind
   * keeps at most `numCandidates` candidates (upstream's fixed-size lists); later ones are
   * dropped. A Success without victims counts as an Error
   * (`expected at least one victim pod on node "<name>"`).
   */
  dryRunPreemption(
    state: CycleState,
    pod: Pod,
    potentialNodes: readonly NodeInfo[],
    pdbs: readonly PodDisruptionBudget[],
    offset: number,
    numCandidates: number,
  ): DryRunResult {
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const nodeStatuses = new NodeToStatus();
    const errors: string[] = [];
    const n = potentialNodes.length;
    for (let i = 0; i < n; i++) {
      const nodeInfo = (potentialNodes[(offset + i) % n] as NodeInfo).clone();
      const r = this.selectVictimsOnNode(state.clone(), pod, nodeInfo, pdbs);
      let status = r.status;
      if (isSuccess(status) && r.victims.length > 0) {
        const c = { name: nodeInfo.name, victims: r.victims, numPDBViolations: r.numPDBViolations };
        const list = r.numPDBViolations === 0 ? nonViolating : violating;
        if (list.length < numCandidates) list.push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) {
          break;
        }
        continue;
      }
      if (isSuccess(status)) {
        status = newStatus("Error", `expected at least one victim pod on node "${nodeInfo.name}"`);
      }
      if (status.code === "Error") errors.push(statusMessage(status));
      nodeStatuses.set(nodeInfo.name, status);
    }
    return { candidates: [...nonViolating, ...violating], nodeStatuses, errors };
  }

  /**
   * SelectVictimsOnNode (semantics §5.4), on `nodeInfo` and `state` — both copies it mutates:
   * remove every pod of strictly lower priority (RemovePod hooks); none → UnschedulableAndUnresolvable
   * `No preemption victims found for incoming pod`; run Filter — a failure is returned as is;
   * then reprieve in importance order, PDB-violating pods first: add each back (AddPod hooks) and
   * keep it if Filter still passes, else remove it again and make it a victim. Victims come back
   * most important first; `numPDBViolations` counts the violating pods that stayed victims.
   */
  selectVictimsOnNode(
    state: CycleState,
    pod: Pod,
    nodeInfo: NodeInfo,
    pdbs: readonly PodDisruptionBudget[],
  ): NodeVictims {
    const fail = (status: Status): NodeVictims => ({ victims: [], numPDBViolations: 0, status });
    const remove = (p: Pod): Status => {
      nodeInfo.removePod(p);
      return this.handle.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
    };
    const add = (p: Pod): Status => {
      nodeInfo.addPod(p);
      return this.handle.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
    };
    const priority = podPriority(pod);
    const potential = nodeInfo.pods.filter((p) => podPriority(p) < priority);
    for (const p of potential) {
      const s = remove(p);
      if (!isSuccess(s)) return fail(asError(s));
    }
    if (potential.length === 0) {
      return fail(newStatus("UnschedulableAndUnresolvable", ERR_NO_VICTIMS));
    }
    const fits = this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!isSuccess(fits)) return fail(fits);
    potential.sort(compareImportance);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: Pod[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: Pod): Status | boolean => {
      const s = add(p);
      if (!isSuccess(s)) return asError(s);
      if (isSuccess(this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) {
        return true;
      }
      const r = remove(p);
      if (!isSuccess(r)) return asError(r);
      victims.push(p);
      return false;
    };
    for (const p of violating) {
      const r = reprieve(p);
      if (typeof r !== "boolean") return fail(r);
      if (!r) numPDBViolations++;
    }
    for (const p of nonViolating) {
      const r = reprieve(p);
      if (typeof r !== "boolean") return fail(r);
    }
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(compareImportance);
    return { victims, numPDBViolations, status: SUCCESS };
  }

  /** SelectCandidate: the only candidate, or {@link pickOneNodeForPreemption}'s. */
  selectCandidate(candidates: readonly Candidate[]): Candidate | undefined {
    if (candidates.length <= 1) return candidates[0];
    const name = pickOneNodeForPreemption(candidates);
    return candidates.find((c) => c.name === name) ?? candidates[0];
  }
}

/** A failure as an Error status (upstream `fwk.AsStatus(status.AsError())`). */
function asError(status: Status): Status {
  return status.code === "Error" ? status : newStatus("Error", statusMessage(status));
}

/**
 * Builds the plugin from (possibly partial) DefaultPreemptionArgs. Needs the framework's handle
 * (`newFramework` provides it): throws on a bare {@link Handle} or invalid args.
 */
export const newDefaultPreemption: PluginFactory = (args, handle) => {
  if (!isFrameworkHandle(handle)) {
    throw new Error("DefaultPreemption needs the framework handle built by newFramework");
  }
  return new DefaultPreemptionPlugin(defaultDefaultPreemptionArgs(args), handle);
};
