/**
 * GPU sharing views (docs/placement-strategies.md): a pod's GPU request as the FGD model's
 * {@link GpuPod}, a {@link NodeInfo} as a {@link GpuNode}, so the GPU plugins reuse the pure
 * functions of `src/gpu/` instead of re-deriving their formulas.
 */
import type { Pod } from "../../model/types.ts";
import { type GpuNode, type GpuPod, makeGpuPod, podGpuRequest, podRequests } from "../external.ts";
import type { NodeInfo } from "./node-info.ts";

const MIB = 1024 * 1024;

/**
 * CycleState key under which a Reserve plugin (`GpuShare`) records the GPU devices it chose for
 * the pod; {@link scheduleOne} passes them to `Snapshot.assume`.
 */
export const RESERVED_GPU_DEVICES_KEY = "ReserveGpuDevices";

/** What {@link RESERVED_GPU_DEVICES_KEY} holds. */
export interface ReservedGpuDevices {
  readonly node: string;
  /** Device indices, in selection order. */
  readonly devices: readonly number[];
}

/**
 * The pod as the FGD model sees it: cpu = NodeResourcesFit's cpu request (millicores), memory in
 * MiB (only FGD's "requests nothing" early exit reads it), and the GPU request from
 * `src/model/gpu.ts` (`numGpu` 0 for a pod without one).
 */
export function gpuPodOf(pod: Pod): GpuPod {
  const req = podRequests(pod);
  const gpu = podGpuRequest(pod);
  return makeGpuPod({
    name: pod.metadata.name,
    cpuMilli: req.milliCPU,
    memoryMib: req.memory / MIB,
    numGpu: gpu?.numGpu ?? 0,
    gpuMilli: gpu?.gpuMilli ?? 0,
    gpuSpec: gpu?.models ?? [],
  });
}

/**
 * A fresh {@link GpuNode} copy of the node's state: cpu allocatable/used = allocatable and
 * NodeResourcesFit's requested millicores (so "CPU left" = allocatable − requested), memory in
 * MiB, pod limit and count, used milli per device and the per-tag GPU pod counts.
 */
export function gpuNodeOf(info: NodeInfo): GpuNode {
  return {
    name: info.name,
    model: info.gpus.model,
    cpuAllocatable: info.allocatable.milliCPU,
    cpuUsed: info.requested.milliCPU,
    memoryAllocatable: info.allocatable.memory / MIB,
    memoryUsed: info.requested.memory / MIB,
    maxPods: info.allocatable.allowedPodNumber,
    podCount: info.pods.length,
    gpuUsed: [...info.gpus.used],
    tagCounts: new Map(info.gpus.tagCounts),
  };
}
