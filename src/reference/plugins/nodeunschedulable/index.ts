/**
 * NodeUnschedulable (semantics §3.2; upstream `plugins/nodeunschedulable/node_unschedulable.go`).
 * Filter only.
 */
import type { Pod, Taint } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type { FilterPlugin, PluginFactory } from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { tolerationsTolerateTaint } from "../../helpers/tolerations.ts";
import { NodeUnschedulable } from "../names.ts";

export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";

/** The synthetic taint an unschedulable node carries for toleration purposes. */
export const UNSCHEDULABLE_TAINT: Taint = {
  key: "node.kubernetes.io/unschedulable",
  value: "",
  effect: "NoSchedule",
};

/**
 * Fails a node with `spec.unschedulable: true` (UnschedulableAndUnresolvable) unless the pod
 * tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
 */
export class NodeUnschedulablePlugin implements FilterPlugin {
  readonly name = NodeUnschedulable;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!nodeInfo.node.spec.unschedulable) return SUCCESS;
    if (tolerationsTolerateTaint(pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return SUCCESS;
    return newStatus("UnschedulableAndUnresolvable", ERR_REASON_UNSCHEDULABLE);
  }
}

export const newNodeUnschedulable: PluginFactory = () => new NodeUnschedulablePlugin();
