/**
 * NodeResourcesBalancedAllocation (semantics §4.5.1/§4.5.2; upstream
 * `plugins/noderesources/balanced_allocation.go`). PreScore, Score (no NormalizeScore).
 * Uses real requests on both sides (no non-zero substitution).
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type { PluginFactory, PreScorePlugin, ScorePlugin } from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { NodeResourcesBalancedAllocation } from "../names.ts";
import {
  podRequestList,
  requestedAndAllocatable,
} from "../noderesourcesfit/resource-allocation.ts";
import { defaultBalancedAllocationArgs, type NodeResourcesBalancedAllocationArgs } from "./args.ts";
import { balancedResourceScore, balancedResourceScoreV136 } from "./balanced.ts";

const PRE_SCORE_STATE_KEY = `PreScore${NodeResourcesBalancedAllocation}`;

export class BalancedAllocationPlugin implements PreScorePlugin, ScorePlugin {
  readonly name = NodeResourcesBalancedAllocation;
  private readonly args: NodeResourcesBalancedAllocationArgs;

  constructor(args: NodeResourcesBalancedAllocationArgs) {
    this.args = args;
  }

  /** Skip when the pod requests none of the configured resources (best-effort, v1.33+). */
  preScore(state: CycleState, pod: Pod): Status {
    const requests = podRequestList(pod, this.args.resources, true);
    if (requests.every((r) => r === 0)) return newStatus("Skip");
    state.write(PRE_SCORE_STATE_KEY, requests);
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    const resources = this.args.resources;
    if (resources.length === 0) return newStatus("Error", "resources not found");
    const requests =
      state.read<number[]>(PRE_SCORE_STATE_KEY) ?? podRequestList(pod, resources, true);
    const { requested, allocatable } = requestedAndAllocatable(nodeInfo, resources, requests, true);
    if (this.args.formula === "v1.35") return balancedResourceScore(requested, allocatable);
    const without = requested.map((r, i) => (allocatable[i] === 0 ? 0 : r - (requests[i] ?? 0)));
    return balancedResourceScoreV136(requested, without, allocatable);
  }
}

export const newBalancedAllocation: PluginFactory = (args) =>
  new BalancedAllocationPlugin(defaultBalancedAllocationArgs(args));
