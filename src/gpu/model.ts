/**
 * The GPU-sharing cluster model of the FGD simulator (traces.md §2, §3).
 *
 * A node has CPU (milli), memory (MiB), a pod limit, and `gpuCount` GPUs of one card model, each
 * worth {@link MILLI} milli-GPU; the node keeps each GPU's used milli. A pod asks for CPU,
 * memory, `numGpu` GPUs and `gpuMilli` per GPU, optionally restricted to a list of card models.
 * Memory is a hard constraint of the filter only; no score and no fragmentation measure uses it
 * (traces.md §2, §6).
 */

/** Milli-GPU of one whole GPU (traces.md §2: "each GPU worth 1000 milli"). */
export const MILLI = 1000;
/** CPU normaliser of DotProd and BestFit (traces.md §3). */
export const MAX_SPEC_CPU = 128000;
/** GPU normaliser of DotProd, GpuClustering and BestFit (traces.md §3). */
export const MAX_SPEC_GPU = 8000;
/** The simulator's node pod limit (traces.md §2: "pods = 1001"). */
export const DEFAULT_MAX_PODS = 1001;

/**
 * A pod's GPU tag (traces.md §3.3): `no-gpu` (CPU-only), `share-gpu` (1 GPU with milli < 1000),
 * or `k-gpu` for k whole GPUs — the k is part of the tag (`1-gpu`, `2-gpu`, `8-gpu`, …), so a
 * 2-GPU pod and a 4-GPU pod carry different tags (the simulator formats the tag as `"%d-gpu"`).
 */
export type GpuTag = "no-gpu" | "share-gpu" | `${number}-gpu`;

/** A pod's request, normalised by {@link makeGpuPod}. */
export interface GpuPod {
  readonly name: string;
  /** Requested CPU in millicores. */
  readonly cpuMilli: number;
  /** Requested memory in MiB. */
  readonly memoryMib: number;
  /** Number of GPUs (0 = CPU-only). */
  readonly numGpu: number;
  /** Milli-GPU per requested GPU: 0 for CPU-only pods, else in [1, 1000]. */
  readonly gpuMilli: number;
  /** Allowed card models (traces.md §1.2 `gpu_spec` split on `|`); empty = any model. */
  readonly gpuSpec: readonly string[];
}

/** Input of {@link makeGpuPod}; absent fields are 0 / empty. */
export interface GpuPodInit {
  readonly name?: string;
  readonly cpuMilli?: number;
  readonly memoryMib?: number;
  readonly numGpu?: number;
  readonly gpuMilli?: number;
  /** A list, or the raw trace string joined with `|` (empty string = any). */
  readonly gpuSpec?: readonly string[] | string;
}

/**
 * Builds a pod the way the simulator's CSV conversion does (traces.md §2 "Pod conversion"):
 * - `numGpu = 0` → CPU-only, `gpuMilli` forced to 0 and `gpuSpec` dropped (the annotations are
 *   only written for GPU pods);
 * - else `gpuMilli` is truncated to an integer and clamped into (0, 1000], i.e. to [1, 1000]
 *   (no row of the v2023 traces needs the clamp);
 * - a multi-GPU pod with `gpuMilli < 1000` is accepted (the traces have none: every k > 1 row
 *   asks for 1000; the simulator's packing unit test uses one). The GPU filter still wants k
 *   fully free GPUs for it (traces.md §2), and {@link gpuTag} tags it `k-gpu`;
 * - `gpuSpec` as a string is split on `|`, empty pieces dropped; duplicates are kept (they do
 *   not change the allowed set).
 */
export function makeGpuPod(init: GpuPodInit): GpuPod {
  const numGpu = Math.max(0, Math.trunc(init.numGpu ?? 0));
  let gpuMilli = 0;
  let gpuSpec: readonly string[] = [];
  if (numGpu > 0) {
    gpuMilli = Math.min(MILLI, Math.max(1, Math.trunc(init.gpuMilli ?? MILLI)));
    const s = init.gpuSpec ?? [];
    gpuSpec = (typeof s === "string" ? s.split("|") : s).filter((m) => m !== "");
  }
  return {
    name: init.name ?? "",
    cpuMilli: init.cpuMilli ?? 0,
    memoryMib: init.memoryMib ?? 0,
    numGpu,
    gpuMilli,
    gpuSpec,
  };
}

/**
 * The pod's tag (traces.md §3.3): numGpu 0 → `no-gpu`; one GPU below 1000 → `share-gpu`; else
 * `${numGpu}-gpu` (the simulator panics for k > 1 below 1000; here such a pod is tagged by k).
 */
export function gpuTag(pod: GpuPod): GpuTag {
  if (pod.numGpu === 0) return "no-gpu";
  if (pod.numGpu === 1 && pod.gpuMilli < MILLI) return "share-gpu";
  return `${pod.numGpu}-gpu`;
}

/** True for a sharing pod: one GPU, less than a whole one (traces.md §1.2, §3). */
export function isSharePod(pod: GpuPod): boolean {
  return pod.numGpu === 1 && pod.gpuMilli < MILLI;
}

/** Total milli-GPU the pod asks for: `numGpu × gpuMilli` (traces.md §2 "arrived GPU milli"). */
export function podGpuMilliTotal(pod: GpuPod): number {
  return pod.numGpu * pod.gpuMilli;
}

/** A GPU node and its mutable allocation state. */
export interface GpuNode {
  readonly name: string;
  /** Card model label (`gpu-card-model`); empty for a node without GPUs. */
  readonly model: string;
  readonly cpuAllocatable: number;
  cpuUsed: number;
  readonly memoryAllocatable: number;
  memoryUsed: number;
  readonly maxPods: number;
  podCount: number;
  /** Used milli per GPU, each in [0, 1000]; the length is the node's GPU count. */
  readonly gpuUsed: number[];
  /** Number of hosted GPU pods per tag (`no-gpu` is never counted; traces.md §3.3). */
  readonly tagCounts: Map<GpuTag, number>;
}

/** Input of {@link makeGpuNode}. */
export interface GpuNodeInit {
  readonly name?: string;
  readonly model?: string;
  readonly cpuMilli: number;
  readonly memoryMib?: number;
  readonly gpuCount?: number;
  readonly maxPods?: number;
}

/** An empty node (traces.md §2 "Which nodes"): nothing used, every GPU fully free. */
export function makeGpuNode(init: GpuNodeInit): GpuNode {
  return {
    name: init.name ?? "",
    model: init.model ?? "",
    cpuAllocatable: init.cpuMilli,
    cpuUsed: 0,
    memoryAllocatable: init.memoryMib ?? 0,
    memoryUsed: 0,
    maxPods: init.maxPods ?? DEFAULT_MAX_PODS,
    podCount: 0,
    gpuUsed: new Array<number>(Math.max(0, init.gpuCount ?? 0)).fill(0),
    tagCounts: new Map(),
  };
}

/** A deep copy (independent GPU array and tag counts). */
export function cloneGpuNode(node: GpuNode): GpuNode {
  return { ...node, gpuUsed: [...node.gpuUsed], tagCounts: new Map(node.tagCounts) };
}

/** Number of GPUs on the node. */
export function gpuCount(node: GpuNode): number {
  return node.gpuUsed.length;
}

/** CPU milli left: allocatable − used. */
export function cpuLeft(node: GpuNode): number {
  return node.cpuAllocatable - node.cpuUsed;
}

/** Memory MiB left: allocatable − used. */
export function memoryLeft(node: GpuNode): number {
  return node.memoryAllocatable - node.memoryUsed;
}

/** Free milli per GPU, `1000 − used`, in index order. */
export function gpuFree(node: GpuNode): number[] {
  return node.gpuUsed.map((u) => MILLI - u);
}

/** "Free GPU milli" of the node: Σ over its GPUs of (1000 − used) (traces.md §3). */
export function freeGpuMilli(node: GpuNode): number {
  let s = 0;
  for (const u of node.gpuUsed) s += MILLI - u;
  return s;
}

/**
 * True when the node's card model is allowed by the pod (traces.md §2): an empty spec accepts
 * any model, else the node's model must be in the list. CPU-only pods accept every node.
 */
export function modelAllowed(pod: GpuPod, model: string): boolean {
  return pod.gpuSpec.length === 0 || pod.gpuSpec.includes(model);
}
