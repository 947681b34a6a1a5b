/**
 * The scoring skeleton shared by NodeResourcesFit strategies and BalancedAllocation (semantics
 * §4.2; upstream `noderesources/resource_allocation.go`).
 */
import type { Pod } from "../../../model/types.ts";
import { isScalarResourceName, podNonZeroScoringRequests, podRequests } from "../../external.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status } from "../../framework/status.ts";
import type { ResourceSpec } from "./args.ts";

const RESOURCE_CPU = "cpu";
const RESOURCE_MEMORY = "memory";
const RESOURCE_EPHEMERAL_STORAGE = "ephemeral-storage";

/** `(requested[], allocatable[]) → score`; entries with allocatable 0 are to be ignored. */
export type ResourceScorer = (
  requested: readonly number[],
  allocatable: readonly number[],
) => number;

/**
 * The pod's request per configured resource. With `useRequested` false (NodeResourcesFit) cpu and
 * memory are the incoming pod's non-zero scoring requests (§2.2, `podNonZeroScoringRequests`); everything else is the real request of §2.1.
 */
export function podRequestList(
  pod: Pod,
  resources: readonly ResourceSpec[],
  useRequested: boolean,
): number[] {
  const real = podRequests(pod);
  const nonZero = useRequested ? undefined : podNonZeroScoringRequests(pod);
  return resources.map((r) => {
    switch (r.name) {
      case RESOURCE_CPU:
        return nonZero ? nonZero.milliCPU : real.milliCPU;
      case RESOURCE_MEMORY:
        return nonZero ? nonZero.memory : real.memory;
      case RESOURCE_EPHEMERAL_STORAGE:
        return real.ephemeralStorage;
      default:
        return real.scalar.get(r.name) ?? 0;
    }
  });
}

/**
 * `(allocatable, node requested + pod request)` for one resource (`calculateResourceAllocatableRequest`):
 * a scalar resource the pod does not request → `(0, 0)`; cpu/memory use the node's non-zero
 * requested (or real requested with `useRequested`); ephemeral-storage and scalars use real
 * requested; a resource missing from the node's allocatable → `(0, 0)`.
 */
export function allocatableAndRequested(
  nodeInfo: NodeInfo,
  resource: string,
  podRequest: number,
  useRequested: boolean,
): [number, number] {
  if (podRequest === 0 && isScalarResourceName(resource)) return [0, 0];
  const alloc = nodeInfo.allocatable;
  const cpuMem = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  switch (resource) {
    case RESOURCE_CPU:
      return [alloc.milliCPU, cpuMem.milliCPU + podRequest];
    case RESOURCE_MEMORY:
      return [alloc.memory, cpuMem.memory + podRequest];
    case RESOURCE_EPHEMERAL_STORAGE:
      return [alloc.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
  }
  const capacity = alloc.scalar.get(resource);
  if (capacity === undefined) return [0, 0];
  return [capacity, (nodeInfo.requested.scalar.get(resource) ?? 0) + podRequest];
}

/** The requested/allocatable vectors, with resources of allocatable 0 zeroed out. */
export function requestedAndAllocatable(
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequestsList: readonly number[],
  useRequested: boolean,
): { requested: number[]; allocatable: number[] } {
  const requested = resources.map(() => 0);
  const allocatable = resources.map(() => 0);
  resources.forEach((r, i) => {
    const [alloc, req] = allocatableAndRequested(
      nodeInfo,
      r.name,
      podRequestsList[i] ?? 0,
      useRequested,
    );
    if (alloc === 0) return;
    allocatable[i] = alloc;
    requested[i] = req;
  });
  return { requested, allocatable };
}

/** Score one node; an empty resource list is an Error (`resources not found`). */
export function resourceAllocationScore(
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequestsList: readonly number[],
  useRequested: boolean,
  scorer: ResourceScorer,
): number | Status {
  if (resources.length === 0) return newStatus("Error", "resources not found");
  const { requested, allocatable } = requestedAndAllocatable(
    nodeInfo,
    resources,
    podRequestsList,
    useRequested,
  );
  return scorer(requested, allocatable);
}
