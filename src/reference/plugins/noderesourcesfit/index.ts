/**
 * NodeResourcesFit (semantics §4.1–§4.5; upstream `plugins/noderesources/fit.go`).
 * PreFilter, Filter, PreScore, Score (no NormalizeScore).
 */
import type { Pod } from "../../../model/types.ts";
import { podRequests, type Resources } from "../../external.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { NodeResourcesFit } from "../names.ts";
import {
  defaultNodeResourcesFitArgs,
  type NodeResourcesFitArgs,
  type ResourceSpec,
  validateNodeResourcesFitArgs,
} from "./args.ts";
import { fitsRequest } from "./fits.ts";
import { leastResourceScorer } from "./least-allocated.ts";
import { mostResourceScorer } from "./most-allocated.ts";
import { requestedToCapacityRatioScorer } from "./requested-to-capacity-ratio.ts";
import {
  podRequestList,
  type ResourceScorer,
  resourceAllocationScore,
} from "./resource-allocation.ts";

const PRE_FILTER_STATE_KEY = `PreFilter${NodeResourcesFit}`;
const PRE_SCORE_STATE_KEY = `PreScore${NodeResourcesFit}`;

function strategyScorer(args: NodeResourcesFitArgs): ResourceScorer {
  const s = args.scoringStrategy;
  switch (s.type) {
    case "LeastAllocated":
      return leastResourceScorer(s.resources);
    case "MostAllocated":
      return mostResourceScorer(s.resources);
    case "RequestedToCapacityRatio":
      return requestedToCapacityRatioScorer(s.resources, s.requestedToCapacityRatio?.shape ?? []);
  }
}

export class NodeResourcesFitPlugin
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = NodeResourcesFit;
  private readonly ignoredResources: ReadonlySet<string>;
  private readonly ignoredResourceGroups: ReadonlySet<string>;
  private readonly resources: readonly ResourceSpec[];
  private readonly scorer: ResourceScorer;

  /** Throws when the args fail validation. */
  constructor(args: NodeResourcesFitArgs) {
    const errs = validateNodeResourcesFitArgs(args);
    if (errs.length > 0) throw new Error(errs.join("; "));
    this.ignoredResources = new Set(args.ignoredResources);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups);
    this.resources = args.scoringStrategy.resources;
    this.scorer = strategyScorer(args);
  }

  /** Stores the pod's real request (§2.1). */
  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    state.write(PRE_FILTER_STATE_KEY, podRequests(pod));
    return { result: null, status: SUCCESS };
  }

  /**
   * All failed checks' reasons in order; UnschedulableAndUnresolvable when some failing resource's
   * request exceeds the node's allocatable on its own (v1.35), otherwise Unschedulable.
   */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const request = state.read<Resources>(PRE_FILTER_STATE_KEY);
    if (!request) {
      return newStatus(
        "Error",
        `error reading ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState: not found`,
      );
    }
    const failures = fitsRequest(
      request,
      nodeInfo,
      this.ignoredResources,
      this.ignoredResourceGroups,
    );
    if (failures.length === 0) return SUCCESS;
    const code = failures.some((f) => f.unresolvable)
      ? "UnschedulableAndUnresolvable"
      : "Unschedulable";
    return newStatus(code, ...failures.map((f) => f.reason));
  }

  /** Stores the pod's request per scored resource (non-zero cpu/memory, §2.2). */
  preScore(state: CycleState, pod: Pod): Status {
    state.write(PRE_SCORE_STATE_KEY, podRequestList(pod, this.resources, false));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    const requests =
      state.read<number[]>(PRE_SCORE_STATE_KEY) ?? podRequestList(pod, this.resources, false);
    return resourceAllocationScore(nodeInfo, this.resources, requests, false, this.scorer);
  }
}

export const newNodeResourcesFit: PluginFactory = (args) =>
  new NodeResourcesFitPlugin(defaultNodeResourcesFitArgs(args));
