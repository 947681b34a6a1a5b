/**
 * A node and what is placed on it (upstream `framework.NodeInfo`; semantics §2.3).
 */
import type { Node, Pod } from "../../model/types.ts";
import {
  GPU_MILLI,
  type GpuTag,
  gpuTag,
  type NodeAllocatable,
  nodeAllocatable,
  nodeGpus,
  podGpuRequest,
  podNonZeroRequests,
  podRequests,
  selectGpus,
} from "../external.ts";
import { gpuNodeOf, gpuPodOf } from "./gpu.ts";
import { HostPortInfo, podHostPorts } from "./host-ports.ts";

/**
 * The node's GPU devices (docs/placement-strategies.md): `used.length` devices of 1000 milli-GPU
 * each (`nvidia.com/gpu` allocatable), card `model` (label `gantry.dev/gpu-model`, `""` when
 * absent), used milli per device (each capped at 1000), and the number of GPU pods hosted per
 * tag (`src/gpu` `gpuTag`: `share-gpu`, `1-gpu`, `2-gpu`, …; a tag at 0 is deleted).
 */
export interface GpuDevices {
  readonly model: string;
  readonly used: number[];
  readonly tagCounts: Map<GpuTag, number>;
}

/** What one GPU pod took: the devices, the milli actually added to each, and its tag. */
interface GpuHolding {
  readonly devices: readonly number[];
  readonly added: readonly number[];
  readonly tag: GpuTag;
}

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
  /** GPU device state (all zero / empty on a node without GPUs). */
  readonly gpus: GpuDevices;
  /** Pod UID → the devices its GPU request took (GPU pods only). */
  private readonly gpuHoldings: Map<string, GpuHolding>;

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
      this.gpus = {
        model: from.gpus.model,
        used: [...from.gpus.used],
        tagCounts: new Map(from.gpus.tagCounts),
      };
      this.gpuHoldings = new Map(from.gpuHoldings);
    } else {
      this.pods = [];
      this.allocatable = nodeAllocatable(node);
      this.requested = { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
      this.nonZeroRequested = { milliCPU: 0, memory: 0 };
      this.usedPorts = new HostPortInfo();
      const g = nodeGpus(node);
      this.gpus = {
        model: g.model,
        used: new Array<number>(g.count).fill(0),
        tagCounts: new Map(),
      };
      this.gpuHoldings = new Map();
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

  /**
   * Accounts a pod on this node: requests, non-zero requests, host ports, and for a GPU pod its
   * GPU devices — `gpuDevices` when given (what Reserve chose), else chosen by `best` (whole
   * GPUs: the first fully free devices; a shared GPU: the device with the least free milli that
   * fits, lowest index on ties). Each device's used milli grows by the pod's gpuMilli, capped at
   * 1000, and the pod's tag count by one. A GPU pod whose request fits no devices (an
   * over-committed input, or a node without GPUs) takes no devices but is still counted in
   * its tag.
   */
  addPod(pod: Pod, gpuDevices?: readonly number[]): void {
    this.pods.push(pod);
    this.account(pod, 1);
    this.takeGpus(pod, gpuDevices);
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
    this.releaseGpus(found);
  }

  /** The devices the pod with this UID took on this node (`undefined` for a non-GPU pod). */
  gpuDevicesOf(uid: string): readonly number[] | undefined {
    return this.gpuHoldings.get(uid)?.devices;
  }

  private takeGpus(pod: Pod, gpuDevices: readonly number[] | undefined): void {
    if (!podGpuRequest(pod)) return;
    const gpuPod = gpuPodOf(pod);
    const devices = gpuDevices ?? selectGpus(gpuPod, gpuNodeOf(this), "best") ?? [];
    const added: number[] = [];
    for (const d of devices) {
      const u = this.gpus.used[d];
      if (u === undefined) throw new RangeError(`node ${this.name} has no GPU ${d}`);
      const next = Math.min(GPU_MILLI, u + gpuPod.gpuMilli);
      added.push(next - u);
      this.gpus.used[d] = next;
    }
    const tag = gpuTag(gpuPod);
    this.gpus.tagCounts.set(tag, (this.gpus.tagCounts.get(tag) ?? 0) + 1);
    this.gpuHoldings.set(pod.metadata.uid, { devices: [...devices], added, tag });
  }

  private releaseGpus(pod: Pod): void {
    const h = this.gpuHoldings.get(pod.metadata.uid);
    if (!h) return;
    this.gpuHoldings.delete(pod.metadata.uid);
    h.devices.forEach((d, k) => {
      this.gpus.used[d] = (this.gpus.used[d] ?? 0) - (h.added[k] ?? 0);
    });
    const n = (this.gpus.tagCounts.get(h.tag) ?? 0) - 1;
    if (n > 0) this.gpus.tagCounts.set(h.tag, n);
    else this.gpus.tagCounts.delete(h.tag);
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
