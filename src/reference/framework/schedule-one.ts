/**
 * One scheduling cycle (semantics §1.1–§1.3; upstream `schedule_one.go`).
 *
 * Deterministic where upstream is not: Filter visits nodes sequentially (upstream: 16 workers),
 * a PreFilterResult keeps snapshot order (upstream: Go map order), and ties are broken by the
 * seeded {@link Pcg32} of the {@link SchedulerState}. When no node is feasible the profile's
 * PostFilter plugins run (DefaultPreemption, semantics §5): the result reports the nominated node
 * and the victims; nothing is bound, deleted or nominated in the snapshot — applying the outcome
 * (deleting the victims, retrying the pod later) is the caller's business, as it is the API
 * server's and the queue's upstream. Reserve plugins (gantry's GpuShare) run on the selected
 * node before the pod is assumed; the GPU devices they record ({@link RESERVED_GPU_DEVICES_KEY})
 * go with the pod into the snapshot. A profile with `selection` (a by-name classic strategy)
 * filters every node and picks with the strategy instead of Score and selectHost
 * (`selection.ts`). Not modelled: nominated pods (Filter runs once), extenders, Permit/Bind.
 */
import type { Pod } from "../../model/types.ts";
import { Pcg32 } from "../rand.ts";
import { CycleState } from "./cycle-state.ts";
import type { Framework } from "./framework.ts";
import { RESERVED_GPU_DEVICES_KEY, type ReservedGpuDevices } from "./gpu.ts";
import type { PostFilterResult } from "./interfaces.ts";
import type { NodeInfo } from "./node-info.ts";
import { NodeToStatus } from "./node-to-status.ts";
import {
  excludedByPreFilterStatus,
  runFilterPlugins,
  runPostFilterPlugins,
  runPreFilterPlugins,
  runPreScorePlugins,
  runReservePlugins,
  runScorePlugins,
} from "./phases.ts";
import { numFeasibleNodesToFind } from "./sampling.ts";
import { selectHost } from "./select-host.ts";
import { selectByStrategy } from "./selection.ts";
import type { Snapshot } from "./snapshot.ts";
import { isRejected, isSuccess, type Status, statusMessage } from "./status.ts";

/** State that outlives a cycle: shared by all profiles of one scheduler. */
export interface SchedulerState {
  /** Where the next cycle's Filter walk starts (semantics §1.2); initially 0. */
  nextStartNodeIndex: number;
  /** Scheduler-wide `percentageOfNodesToScore` (0 = adaptive). */
  readonly percentageOfNodesToScore: number;
  /** Tie-breaking generator (§1.3). */
  readonly rng: Pcg32;
}

export interface SchedulerStateOptions {
  /** PCG32 seed; default 0. */
  readonly seed?: bigint | number;
  /** PCG32 stream; default 0. */
  readonly stream?: bigint | number;
  /** Default 0 (adaptive). */
  readonly percentageOfNodesToScore?: number;
}

export function newSchedulerState(options: SchedulerStateOptions = {}): SchedulerState {
  return {
    nextStartNodeIndex: 0,
    percentageOfNodesToScore: options.percentageOfNodesToScore ?? 0,
    rng: new Pcg32(options.seed ?? 0n, options.stream ?? 0n),
  };
}

/** Why a pod fits no node (upstream `framework.Diagnosis`). */
export interface Diagnosis {
  /** Failure status of each node that was evaluated (or rejected by PreFilter). */
  readonly nodeToStatus: ReadonlyMap<string, Status>;
  /** Status of the nodes absent from `nodeToStatus`, when they were excluded wholesale. */
  readonly absentNodesStatus?: Status;
  /** Set when PreFilter rejected the pod. */
  readonly preFilterMessage?: string;
  /** Plugins that rejected at least one node, sorted. */
  readonly unschedulablePlugins: readonly string[];
  /** The PostFilter status message, when PostFilter ran and returned one (upstream `PostFilterMsg`). */
  readonly postFilterMessage?: string;
}

export type ScheduleResult =
  | {
      readonly kind: "Scheduled";
      readonly node: string;
      /** Nodes that got a Filter verdict (feasible + failed), as upstream reports. */
      readonly evaluatedNodes: number;
      readonly feasibleNodes: number;
    }
  | {
      readonly kind: "Unschedulable";
      readonly diagnosis: Diagnosis;
      /**
       * Upstream's FitError text: `0/N nodes are available: …`, followed by the PostFilter
       * message when there is one (`… preemption: 0/N nodes are available: ….`).
       */
      readonly message: string;
      /**
       * Set when the profile has PostFilter plugins (they ran): the nomination
       * (`nominatedNodeName`: a node, `""` to clear the pod's nomination, absent to leave it),
       * the victims to delete for it, and the status. The pod is not bound in this cycle.
       */
      readonly postFilter?: PostFilterResult;
    }
  | { readonly kind: "Error"; readonly message: string };

interface FindResult {
  readonly feasible: readonly NodeInfo[];
  readonly diagnosis: Diagnosis;
  readonly error?: string;
}

/**
 * Schedules one pod: PreFilter, Filter with sampling, PreScore/Score/Normalize, selectHost, and
 * — on success — assumes the pod onto the chosen node in `snapshot`; when no node is feasible,
 * PostFilter instead (the result carries its nomination and victims; nothing is assumed).
 * `fwk` must be built from a profile containing only implemented plugins. Updates
 * `state.nextStartNodeIndex` and draws from `state.rng` exactly as documented in
 * {@link selectHost} (a feasible cycle) or DefaultPreemption's `preemptionOffset` (an infeasible
 * one); a cycle makes at most one of the two draws. gantry's plugins add draws on the same
 * stream: RandomScore / GpuRandomScore in Score (in score-plugin order), the `Random` selection
 * strategy instead of selectHost's, and GpuShare's `random` device choice at Reserve, after the
 * node was selected.
 */
export function scheduleOne(
  pod: Pod,
  snapshot: Snapshot,
  fwk: Framework,
  state: SchedulerState,
): ScheduleResult {
  fwk.setSnapshot(snapshot);
  fwk.setRng(state.rng);
  if (snapshot.numNodes === 0)
    return { kind: "Error", message: "no nodes available to schedule pods" };
  const cycle = new CycleState();
  const found = findNodesThatFitPod(pod, snapshot, fwk, state, cycle);
  if (found.error !== undefined) return { kind: "Error", message: found.error };
  const { feasible } = found;
  let { diagnosis } = found;
  if (feasible.length === 0) {
    if (fwk.postFilterPlugins.length === 0) {
      return {
        kind: "Unschedulable",
        diagnosis,
        message: fitErrorMessage(snapshot.numNodes, diagnosis),
      };
    }
    const postFilter = runPostFilterPlugins(fwk, cycle, pod, nodeToStatusOf(diagnosis));
    const msg = statusMessage(postFilter.status);
    if (msg !== "") diagnosis = { ...diagnosis, postFilterMessage: msg };
    return {
      kind: "Unschedulable",
      diagnosis,
      message: fitErrorMessage(snapshot.numNodes, diagnosis),
      postFilter,
    };
  }
  const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
  let node: string;
  if (fwk.selection) {
    node = selectByStrategy(fwk.selection.strategy, pod, feasible, snapshot, state.rng);
  } else if (feasible.length === 1) {
    node = (feasible[0] as NodeInfo).name;
  } else {
    const pre = runPreScorePlugins(fwk, cycle, pod, feasible);
    if (!isSuccess(pre)) return { kind: "Error", message: statusMessage(pre) };
    const scored = runScorePlugins(fwk, cycle, pod, feasible);
    if (!scored.ok) return { kind: "Error", message: statusMessage(scored.status) };
    const totals = feasible.map((n, i) => ({ name: n.name, total: scored.totals[i] ?? 0 }));
    node = selectHost(totals, state.rng);
  }
  const reserved = runReservePlugins(fwk, cycle, pod, node);
  if (!isSuccess(reserved)) return { kind: "Error", message: statusMessage(reserved) };
  const gpus = cycle.read<ReservedGpuDevices>(RESERVED_GPU_DEVICES_KEY);
  snapshot.assume(pod, node, gpus?.node === node ? gpus.devices : undefined);
  return { kind: "Scheduled", node, evaluatedNodes, feasibleNodes: feasible.length };
}

function findNodesThatFitPod(
  pod: Pod,
  snapshot: Snapshot,
  fwk: Framework,
  state: SchedulerState,
  cycle: CycleState,
): FindResult {
  const allNodes = snapshot.nodeInfoList;
  const pre = runPreFilterPlugins(fwk, cycle, pod, allNodes);
  if (!isSuccess(pre.status)) {
    if (!isRejected(pre.status)) {
      return { feasible: [], diagnosis: emptyDiagnosis(), error: statusMessage(pre.status) };
    }
    return {
      feasible: [],
      diagnosis: {
        nodeToStatus: new Map(),
        absentNodesStatus: pre.status,
        preFilterMessage: statusMessage(pre.status),
        // A plugin's own rejection names it; an empty intersection of PreFilterResults names
        // the plugins that restricted the nodes (upstream's RunPreFilterPlugins).
        unschedulablePlugins: pre.status.plugin
          ? [pre.status.plugin]
          : [...new Set(pre.pluginsWithNodes)].sort(),
      },
    };
  }
  let nodes = allNodes;
  let absentNodesStatus: Status | undefined;
  if (pre.result) {
    const allowed = pre.result.nodeNames;
    nodes = allNodes.filter((n) => allowed.has(n.name));
    absentNodesStatus = excludedByPreFilterStatus(pre.pluginsWithNodes);
  }
  const numAllNodes = nodes.length;
  // A by-name strategy sees every node (no sampling).
  const numNodesToFind = fwk.selection
    ? numAllNodes
    : numFeasibleNodesToFind(
        fwk.percentageOfNodesToScore,
        state.percentageOfNodesToScore,
        numAllNodes,
      );
  const nodeToStatus = new Map<string, Status>();
  const diagnosisOf = (): Diagnosis => ({
    nodeToStatus,
    absentNodesStatus,
    // Upstream starts from the plugins whose PreFilterResult restricted the nodes, then adds
    // each failing node's plugin (Diagnosis.AddPluginStatus).
    unschedulablePlugins: [
      ...new Set([...pre.pluginsWithNodes, ...[...nodeToStatus.values()].map((s) => s.plugin)]),
    ].sort(),
  });
  if (numAllNodes === 0) return { feasible: [], diagnosis: diagnosisOf() };
  const feasible: NodeInfo[] = [];
  if (fwk.filterPlugins.length === 0) {
    // Upstream returns early here without advancing nextStartNodeIndex.
    for (let i = 0; i < Math.min(numNodesToFind, numAllNodes); i++) {
      feasible.push(nodes[(state.nextStartNodeIndex + i) % numAllNodes] as NodeInfo);
    }
    return { feasible, diagnosis: diagnosisOf() };
  }
  for (let i = 0; i < numAllNodes && feasible.length < numNodesToFind; i++) {
    const nodeInfo = nodes[(state.nextStartNodeIndex + i) % numAllNodes] as NodeInfo;
    const status = runFilterPlugins(fwk, cycle, pod, nodeInfo);
    if (isSuccess(status)) feasible.push(nodeInfo);
    else if (isRejected(status)) nodeToStatus.set(nodeInfo.name, status);
    else return { feasible: [], diagnosis: diagnosisOf(), error: statusMessage(status) };
  }
  const processed = feasible.length + nodeToStatus.size;
  state.nextStartNodeIndex = (state.nextStartNodeIndex + processed) % numAllNodes;
  return { feasible, diagnosis: diagnosisOf() };
}

/**
 * The Filter verdicts as PostFilter reads them: the failed nodes' statuses, and for the rest the
 * diagnosis's absent-nodes status (PreFilter's rejection, or the PreFilterResult exclusion), else
 * UnschedulableAndUnresolvable.
 */
export function nodeToStatusOf(diagnosis: Diagnosis): NodeToStatus {
  return new NodeToStatus(diagnosis.nodeToStatus, diagnosis.absentNodesStatus);
}

function emptyDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: [] };
}

/**
 * Upstream `FitError.Error()`: `0/<N> nodes are available: <PreFilter message>.` or, without one,
 * a histogram `"<count> <reason>"` over all nodes' reasons (absent nodes counted with
 * `absentNodesStatus`), sorted as strings and joined by `", "`, followed by `.`; then, when
 * PostFilter left a message, ` <message>.` (upstream's `SeparatorFormat`, hence the `..` after
 * DefaultPreemption's own sentence).
 */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMessage) {
    msg += ` ${diagnosis.preFilterMessage}.`;
    if (diagnosis.postFilterMessage) msg += ` ${diagnosis.postFilterMessage}.`;
    return msg;
  }
  const histogram = new Map<string, number>();
  for (const status of diagnosis.nodeToStatus.values()) {
    for (const r of status.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  }
  const absent = numAllNodes - diagnosis.nodeToStatus.size;
  if (absent > 0 && diagnosis.absentNodesStatus) {
    for (const r of diagnosis.absentNodesStatus.reasons) {
      histogram.set(r, (histogram.get(r) ?? 0) + absent);
    }
  }
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  if (parts.length > 0) msg += ` ${parts.join(", ")}.`;
  if (diagnosis.postFilterMessage) msg += ` ${diagnosis.postFilterMessage}.`;
  return msg;
}
