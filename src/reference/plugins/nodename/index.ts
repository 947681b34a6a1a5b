/**
 * NodeName (semantics §3.1; upstream `plugins/nodename/node_name.go`). Filter only.
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type { FilterPlugin, PluginFactory } from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { NodeName } from "../names.ts";

export const ERR_REASON = "node(s) didn't match the requested node name";

/** Passes when `spec.nodeName` is empty or names this node; else UnschedulableAndUnresolvable. */
export class NodeNamePlugin implements FilterPlugin {
  readonly name = NodeName;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (pod.spec.nodeName === "" || pod.spec.nodeName === nodeInfo.name) return SUCCESS;
    return newStatus("UnschedulableAndUnresolvable", ERR_REASON);
  }
}

export const newNodeName: PluginFactory = () => new NodeNamePlugin();
