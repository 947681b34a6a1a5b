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
  readonly pods: Pod[] = [];
  readonly allocatable: NodeAllocatable;
  /** Sum of the pods' real requests (§2.1). */
  readonly requested: RequestedResources = {
    milliCPU: 0,
    memory: 0,
    ephemeralStorage: 0,
    scalar: new Map(),
  };
  /** Sum of the pods' "non-zero" cpu/memory requests (§2.2), used only by resource scoring. */
  readonly nonZeroRequested = { milliCPU: 0, memory: 0 };
  readonly usedPorts = new HostPortInfo();
  /** Image name → state; filled by the {@link Snapshot} (needs all nodes for `numNodes`). */
  imageStates: ReadonlyMap<string, ImageStateSummary> = new Map();

  constructor(node: Node) {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  get name(): string {
    return this.node.metadata.name;
  }

  /** Accounts a pod on this node: requests, non-zero requests, host ports. */
  addPod(pod: Pod): void {
    this.pods.push(pod);
    const req = podRequests(pod);
    this.requested.milliCPU += req.milliCPU;
    this.requested.memory += req.memory;
    this.requested.ephemeralStorage += req.ephemeralStorage;
    for (const [name, value] of req.scalar) {
      this.requested.scalar.set(name, (this.requested.scalar.get(name) ?? 0) + value);
    }
    const nonZero = podNonZeroRequests(pod);
    this.nonZeroRequested.milliCPU += nonZero.milliCPU;
    this.nonZeroRequested.memory += nonZero.memory;
    for (const p of podHostPorts(pod)) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
  }
}
