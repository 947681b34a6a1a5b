/**
 * GPU sharing in Kubernetes objects (docs/placement-strategies.md): a node's GPUs are devices of
 * 1000 milli-GPU; a pod asks for whole GPUs through the `nvidia.com/gpu` request, or for
 * `gpu-milli` of `gpu-count` GPUs through annotations, optionally restricted to card models.
 */
import type { Labels, Node, Pod } from "./types.ts";

/** The extended resource counting a node's GPU devices and a pod's whole GPUs. */
export const GPU_RESOURCE = "nvidia.com/gpu";
/** Pod annotation: milli-GPU per GPU, 1..1000. */
export const GPU_MILLI_ANNOTATION = "gantry.dev/gpu-milli";
/** Pod annotation: number of GPUs of `gpu-milli` each (default 1). */
export const GPU_COUNT_ANNOTATION = "gantry.dev/gpu-count";
/** Pod annotation: allowed card models joined with `|`; node label: the node's card model. */
export const GPU_MODEL_KEY = "gantry.dev/gpu-model";
/** Milli-GPU of one device. */
export const GPU_MILLI = 1000;
/** Most GPU devices one node may have. */
export const MAX_NODE_GPUS = 16;

/** A pod's GPU request: `numGpu` GPUs of `gpuMilli` each, on one of `models` (empty = any). */
export interface GpuRequest {
  readonly numGpu: number;
  readonly gpuMilli: number;
  readonly models: readonly string[];
}

/** A node's GPU devices: `count` devices of card `model` ("" when unlabelled). */
export interface NodeGpus {
  readonly count: number;
  readonly model: string;
}

/** Why a GPU field is invalid: the field path and the message. */
export interface GpuFieldError {
  readonly path: string;
  readonly message: string;
}

const INT = /^[0-9]+$/;

function annotationPath(key: string): string {
  return `metadata.annotations[${JSON.stringify(key)}]`;
}

/**
 * The errors of a pod's GPU annotations (empty when valid): `gpu-milli` an integer in 1..1000,
 * `gpu-count` an integer in 1..16 and only with `gpu-milli`, `gpu-model` only on a GPU pod, and
 * `gpu-milli` not combined with an `nvidia.com/gpu` request (`wholeGpus > 0`).
 */
export function gpuAnnotationErrors(annotations: Labels, wholeGpus: number): GpuFieldError[] {
  const get = (k: string): string | undefined => annotations[k];
  const errs: GpuFieldError[] = [];
  const milli = get(GPU_MILLI_ANNOTATION);
  const count = get(GPU_COUNT_ANNOTATION);
  const model = get(GPU_MODEL_KEY);
  if (milli !== undefined) {
    if (!INT.test(milli) || Number(milli) < 1 || Number(milli) > GPU_MILLI) {
      errs.push({
        path: annotationPath(GPU_MILLI_ANNOTATION),
        message: `${JSON.stringify(milli)} is not an integer in 1..${GPU_MILLI}`,
      });
    }
    if (wholeGpus > 0) {
      errs.push({
        path: annotationPath(GPU_MILLI_ANNOTATION),
        message: `cannot be combined with a ${GPU_RESOURCE} request`,
      });
    }
  }
  if (count !== undefined) {
    if (milli === undefined) {
      errs.push({
        path: annotationPath(GPU_COUNT_ANNOTATION),
        message: `needs ${GPU_MILLI_ANNOTATION}`,
      });
    } else if (!INT.test(count) || Number(count) < 1 || Number(count) > MAX_NODE_GPUS) {
      errs.push({
        path: annotationPath(GPU_COUNT_ANNOTATION),
        message: `${JSON.stringify(count)} is not an integer in 1..${MAX_NODE_GPUS}`,
      });
    }
  }
  if (model !== undefined && milli === undefined && wholeGpus === 0) {
    errs.push({
      path: annotationPath(GPU_MODEL_KEY),
      message: `only applies to a GPU pod (${GPU_RESOURCE} request or ${GPU_MILLI_ANNOTATION})`,
    });
  }
  return errs;
}

/** The pod's `nvidia.com/gpu` request (whole GPUs) over its containers, as a number. */
export function wholeGpuRequest(pod: Pod): number {
  let sum = 0;
  for (const c of pod.spec.containers) {
    const q = c.resources.requests.get(GPU_RESOURCE);
    if (q !== undefined) sum += Number(q.value());
  }
  let init = 0;
  for (const c of pod.spec.initContainers) {
    const q = c.resources.requests.get(GPU_RESOURCE);
    if (q !== undefined) init = Math.max(init, Number(q.value()));
  }
  return Math.max(sum, init);
}

/**
 * The pod's GPU request, or `null` for a pod without one. Assumes the manifest was validated
 * ({@link gpuAnnotationErrors}).
 */
export function podGpuRequest(pod: Pod): GpuRequest | null {
  const a = pod.metadata.annotations;
  const milli = a[GPU_MILLI_ANNOTATION];
  const modelText = a[GPU_MODEL_KEY] ?? "";
  const models = modelText.split("|").filter((m) => m !== "");
  if (milli !== undefined) {
    const count = a[GPU_COUNT_ANNOTATION];
    return {
      numGpu: count === undefined ? 1 : Number(count),
      gpuMilli: Number(milli),
      models,
    };
  }
  const whole = wholeGpuRequest(pod);
  if (whole <= 0) return null;
  return { numGpu: whole, gpuMilli: GPU_MILLI, models };
}

/** The node's GPU devices (`count` 0 for a node without GPUs). */
export function nodeGpus(node: Node): NodeGpus {
  const q = node.status.allocatable.get(GPU_RESOURCE);
  const count = q === undefined ? 0 : Math.max(0, Number(q.value()));
  return { count, model: node.metadata.labels[GPU_MODEL_KEY] ?? "" };
}

/** True for a shared GPU request: one GPU, less than a whole one (the FGD paper's `share-gpu`). */
export function isSharedGpu(r: GpuRequest): boolean {
  return r.numGpu === 1 && r.gpuMilli < GPU_MILLI;
}
