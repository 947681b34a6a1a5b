/**
 * NodeResourcesFit Filter core (semantics §4.1; upstream `fit.go:fitsRequest`).
 */
import type { Resources } from "../../external.ts";
import { isExtendedResourceName } from "../../external.ts";
import type { NodeInfo } from "../../framework/node-info.ts";

export interface InsufficientResource {
  readonly resourceName: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The pod's request alone exceeds the node's allocatable: preemption cannot help (v1.35). */
  readonly unresolvable: boolean;
}

function insufficient(
  resourceName: string,
  requested: number,
  used: number,
  capacity: number,
): InsufficientResource {
  return {
    resourceName,
    reason: `Insufficient ${resourceName}`,
    requested,
    used,
    capacity,
    unresolvable: requested > capacity,
  };
}

/**
 * The failed checks, in order: pod count (`Too many pods`, never unresolvable); then — unless the
 * pod requests no cpu, memory, ephemeral-storage and has no scalar entries — cpu, memory,
 * ephemeral-storage and each non-zero scalar request (in the request's map order), skipping
 * extended resources named in `ignoredResources` or whose prefix before `/` is in
 * `ignoredResourceGroups`. A resource fails when `request > allocatable − requested`.
 */
export function fitsRequest(
  podRequest: Resources,
  nodeInfo: NodeInfo,
  ignoredResources: ReadonlySet<string>,
  ignoredResourceGroups: ReadonlySet<string>,
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowedPodNumber = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPodNumber) {
    out.push({
      resourceName: "pods",
      reason: "Too many pods",
      requested: 1,
      used: nodeInfo.pods.length,
      capacity: allowedPodNumber,
      unresolvable: false,
    });
  }
  if (
    podRequest.milliCPU === 0 &&
    podRequest.memory === 0 &&
    podRequest.ephemeralStorage === 0 &&
    podRequest.scalar.size === 0
  ) {
    return out;
  }
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push(insufficient("cpu", podRequest.milliCPU, used.milliCPU, alloc.milliCPU));
  }
  if (podRequest.memory > 0 && podRequest.memory > alloc.memory - used.memory) {
    out.push(insufficient("memory", podRequest.memory, used.memory, alloc.memory));
  }
  if (
    podRequest.ephemeralStorage > 0 &&
    podRequest.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage
  ) {
    out.push(
      insufficient(
        "ephemeral-storage",
        podRequest.ephemeralStorage,
        used.ephemeralStorage,
        alloc.ephemeralStorage,
      ),
    );
  }
  for (const [name, quantity] of podRequest.scalar) {
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = name.split("/")[0] ?? "";
      if (ignoredResources.has(name) || ignoredResourceGroups.has(group)) continue;
    }
    const capacity = alloc.scalar.get(name) ?? 0;
    const inUse = used.scalar.get(name) ?? 0;
    if (quantity > capacity - inUse) out.push(insufficient(name, quantity, inUse, capacity));
  }
  return out;
}
