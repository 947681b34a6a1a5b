/**
 * NodePorts (semantics §3.3; upstream `plugins/nodeports/node_ports.go`). PreFilter + Filter.
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import { type HostPort, podHostPorts } from "../../framework/host-ports.ts";
import type {
  FilterPlugin,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { NodePorts } from "../names.ts";

export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const PRE_FILTER_STATE_KEY = `PreFilter${NodePorts}`;

/**
 * PreFilter records the pod's host ports (regular + sidecar containers, `hostPort > 0`) and
 * returns Skip when there are none. Filter fails (Unschedulable) when any of them conflicts with
 * a port already used on the node.
 */
export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin {
  readonly name = NodePorts;

  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { result: null, status: newStatus("Skip") };
    state.write(PRE_FILTER_STATE_KEY, ports);
    return { result: null, status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const wanted = state.read<HostPort[]>(PRE_FILTER_STATE_KEY);
    if (!wanted) {
      return newStatus(
        "Error",
        `reading ${JSON.stringify(PRE_FILTER_STATE_KEY)} from cycleState: not found`,
      );
    }
    for (const p of wanted) {
      if (nodeInfo.usedPorts.checkConflict(p.hostIP, p.protocol, p.hostPort)) {
        return newStatus("Unschedulable", ERR_REASON);
      }
    }
    return SUCCESS;
  }
}

export const newNodePorts: PluginFactory = () => new NodePortsPlugin();
