/**
 * A node and what is placed on it (upstream `framework.NodeInfo`; semantics §2.3).
 */
import type { Node, Pod } from "../../model/types.ts";
import {
  type NodeAllocatable,
  nodeAllocatable,
  podNonZeroRequests,
  podRequests,
} from "../external.ts";
import { HostPortInfo, podHostPorts } from "./host-ports.ts";

/** Mutable sum of pod requests (§2.1). */
export interface RequestedResources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  readonly scalar: Map<string, number>;
}

/** An image on this node and on how many snapshot nodes an image of that exact name exists. */
export interface ImageStateSummary {
  readonly size: number;
  readonly numNodes: number;
}

export class NodeInfo {
  readonly node: Node;
  /** Assigned pods, in the order they were added. */
  readonly pods: Pod[];
  readonly allocatable: NodeAllocatable;
  /** Sum of the pods' real requests (§2.1). */
  readonly requested: RequestedResources;
  /** Sum of the pods' "non-zero" cpu/memory requests (§2.2), used only by resource scoring. */
  readonly nonZeroRequested: { milliCPU: number; memory: number };
  readonly usedPorts: HostPortInfo;
  /** Image name → state; filled by the {@link Snapshot} (needs all nodes for `numNodes`). */
  imageStates: ReadonlyMap<string, ImageStateSummary> = new Map();

  /** An empty node info; `from` is internal to {@link NodeInfo.clone}. */
  constructor(node: Node, from?: NodeInfo) {
    this.node = node;
    if (from) {
      this.pods = [...from.pods];
      this.allocatable = from.allocatable;
      this.requested = { ...from.requested, scalar: new Map(from.requested.scalar) };
      this.nonZeroRequested = { ...from.nonZeroRequested };
      this.usedPorts = from.usedPorts.clone();
      this.imageStates = from.imageStates;
    } else {
      this.pods = [];
      this.allocatable = nodeAllocatable(node);
      this.requested = { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
      this.nonZeroRequested = { milliCPU: 0, memory: 0 };
      this.usedPorts = new HostPortInfo();
    }
  }

  get name(): string {
    return this.node.metadata.name;
  }

  /**
   * A copy whose pod list, sums and ports can change without affecting this one (upstream
   * `NodeInfo.Snapshot`), for preemption dry runs (semantics §5.4). The node, the allocatable,
   * the image states and the pod objects themselves are shared (they are never mutated).
   */
  clone(): NodeInfo {
    return new NodeInfo(this.node, this);
  }

  /** Accounts a pod on this node: requests, non-zero requests, host ports. */
  addPod(pod: Pod): void {
    this.pods.push(pod);
    this.account(pod, 1);
  }

  /**
   * Removes the pod with `pod`'s UID and subtracts its requests, non-zero requests and host ports
   * (upstream `NodeInfo.RemovePod`; scalar entries that drop to 0 stay, as upstream). Throws when
   * the node holds no such pod.
   */
  removePod(pod: Pod): void {
    const i = this.pods.findIndex((p) => p.metadata.uid === pod.metadata.uid);
    const found = this.pods[i];
    if (i < 0 || !found) {
      throw new Error(`no corresponding pod ${pod.metadata.name} in pods of node ${this.name}`);
    }
    this.pods.splice(i, 1);
    this.account(found, -1);
  }

  private account(pod: Pod, sign: 1 | -1): void {
    const req = podRequests(pod);
    this.requested.milliCPU += sign * req.milliCPU;
    this.requested.memory += sign * req.memory;
    this.requested.ephemeralStorage += sign * req.ephemeralStorage;
    for (const [name, value] of req.scalar) {
      this.requested.scalar.set(name, (this.requested.scalar.get(name) ?? 0) + sign * value);
    }
    const nonZero = podNonZeroRequests(pod);
    this.nonZeroRequested.milliCPU += sign * nonZero.milliCPU;
    this.nonZeroRequested.memory += sign * nonZero.memory;
    for (const p of podHostPorts(pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort);
    }
  }
}
