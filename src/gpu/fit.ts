/**
 * Feasibility, GPU selection and allocation of the FGD simulator (traces.md §2 "Feasibility",
 * §3 "Which GPU a pod gets").
 */
import { fgdScore } from "./fgd.ts";
import type { TargetShape } from "./fragmentation.ts";
import {
  cpuLeft,
  type GpuNode,
  type GpuPod,
  gpuTag,
  isSharePod,
  MILLI,
  memoryLeft,
  modelAllowed,
} from "./model.ts";

/** Why a node is infeasible for a pod, in the order the checks run. */
export type FitFailure =
  | "too-many-pods"
  | "insufficient-cpu"
  | "insufficient-memory"
  | "no-gpu"
  | "model-not-allowed"
  | "insufficient-gpu";

/**
 * The first failed check, or `null` when `node` is feasible for `pod` (traces.md §2):
 * 1. pod count: `podCount + 1 > maxPods`;
 * 2. cpu: `cpuMilli > cpuLeft`; 3. memory: `memoryMib > memoryLeft` (kube-scheduler's
 *    NodeResourcesFit; a zero request always fits);
 * then, for GPU pods only (the GPU filter):
 * 4. the node has no GPUs;
 * 5. the node's model is not in the pod's non-empty spec;
 * 6. a 1-GPU pod: no GPU has free ≥ gpuMilli; a k-GPU pod (k > 1): fewer than k GPUs fully free.
 */
export function fitFailure(pod: GpuPod, node: GpuNode): FitFailure | null {
  if (node.podCount + 1 > node.maxPods) return "too-many-pods";
  if (pod.cpuMilli > cpuLeft(node)) return "insufficient-cpu";
  if (pod.memoryMib > memoryLeft(node)) return "insufficient-memory";
  if (pod.numGpu === 0) return null;
  if (node.gpuUsed.length === 0) return "no-gpu";
  if (!modelAllowed(pod, node.model)) return "model-not-allowed";
  if (pod.numGpu === 1) {
    return node.gpuUsed.some((u) => MILLI - u >= pod.gpuMilli) ? null : "insufficient-gpu";
  }
  const fullyFree = node.gpuUsed.filter((u) => u === 0).length;
  return fullyFree >= pod.numGpu ? null : "insufficient-gpu";
}

/** True when {@link fitFailure} finds nothing. */
export function fits(pod: GpuPod, node: GpuNode): boolean {
  return fitFailure(pod, node) === null;
}

/**
 * GPU-selection methods (traces.md §3): `best` (DotProd, GpuClustering, GpuPacking, BestFit),
 * `random` (Random), `fgd` (= the simulator's `FGDScore`, used by FGD).
 */
export type GpuSelMethod = "best" | "random" | "fgd";

/** An injected uniform integer source: `nextBounded(n)` ∈ [0, n) (e.g. `Pcg32`). */
export interface BoundedRandom {
  nextBounded(n: number): number;
}

/** What the selection methods may need: `random` needs `rng`, `fgd` needs `typical`. */
export interface SelectContext {
  readonly rng?: BoundedRandom;
  readonly typical?: readonly TargetShape[];
}

/**
 * The GPU indices the pod would get on `node` (traces.md §3 "Which GPU a pod gets"), or `null`
 * when the GPUs do not fit (CPU and memory are not checked here):
 * - CPU-only pod → `[]`;
 * - any other GPU pod (k whole GPUs; also a k > 1 pod below 1000 milli, absent from the traces)
 *   → the first k fully free GPUs in index order, for every method;
 * - sharing pod, candidates = GPUs with free ≥ gpuMilli, in index order:
 *   - `best`: least free milli, strict `<`, so the lowest index wins ties;
 *   - `random`: `candidates[rng.nextBounded(candidates.length)]` (one draw, even for one
 *     candidate);
 *   - `fgd`: the highest integer FGD score, ties to the lowest index ({@link fgdScore}).
 */
export function selectGpus(
  pod: GpuPod,
  node: GpuNode,
  method: GpuSelMethod,
  ctx: SelectContext = {},
): number[] | null {
  if (pod.numGpu === 0) return [];
  if (!isSharePod(pod)) {
    const out: number[] = [];
    for (let i = 0; i < node.gpuUsed.length && out.length < pod.numGpu; i++) {
      if (node.gpuUsed[i] === 0) out.push(i);
    }
    return out.length === pod.numGpu ? out : null;
  }
  const candidates: number[] = [];
  node.gpuUsed.forEach((u, i) => {
    if (MILLI - u >= pod.gpuMilli) candidates.push(i);
  });
  if (candidates.length === 0) return null;
  switch (method) {
    case "best": {
      let best = candidates[0]!;
      for (const i of candidates) {
        if (node.gpuUsed[i]! > node.gpuUsed[best]!) best = i; // less free = more used
      }
      return [best];
    }
    case "random": {
      if (!ctx.rng) throw new Error("selectGpus: method 'random' needs ctx.rng");
      return [candidates[ctx.rng.nextBounded(candidates.length)]!];
    }
    case "fgd": {
      if (!ctx.typical) throw new Error("selectGpus: method 'fgd' needs ctx.typical");
      const gpu = fgdScore(node, pod, ctx.typical).gpu;
      return gpu === null ? null : [gpu];
    }
  }
}

/** A pod bound to a node: what {@link remove} needs to undo {@link place}. */
export interface Placement {
  readonly pod: GpuPod;
  /** GPU indices taken, in selection order. */
  readonly gpus: readonly number[];
  /** Milli actually added to each of `gpus` (gpuMilli, less if the 1000 cap bit). */
  readonly added: readonly number[];
}

/**
 * Binds `pod` to `node` on `gpus` (no feasibility check): CPU, memory and pod count grow by the
 * request; each listed GPU's used milli grows by gpuMilli, capped at 1000 (traces.md §3); a GPU
 * pod's tag count grows by one (traces.md §3.3).
 */
export function place(node: GpuNode, pod: GpuPod, gpus: readonly number[]): Placement {
  node.cpuUsed += pod.cpuMilli;
  node.memoryUsed += pod.memoryMib;
  node.podCount++;
  const added: number[] = [];
  for (const i of gpus) {
    const u = node.gpuUsed[i];
    if (u === undefined) throw new RangeError(`place: node ${node.name} has no GPU ${i}`);
    const next = Math.min(MILLI, u + pod.gpuMilli);
    added.push(next - u);
    node.gpuUsed[i] = next;
  }
  if (pod.numGpu > 0) {
    const tag = gpuTag(pod);
    node.tagCounts.set(tag, (node.tagCounts.get(tag) ?? 0) + 1);
  }
  return { pod, gpus: [...gpus], added };
}

/** Undoes {@link place} exactly; a tag whose count reaches 0 is deleted. */
export function remove(node: GpuNode, placement: Placement): void {
  const { pod, gpus, added } = placement;
  node.cpuUsed -= pod.cpuMilli;
  node.memoryUsed -= pod.memoryMib;
  node.podCount--;
  gpus.forEach((i, k) => {
    node.gpuUsed[i] = node.gpuUsed[i]! - added[k]!;
  });
  if (pod.numGpu > 0) {
    const tag = gpuTag(pod);
    const n = (node.tagCounts.get(tag) ?? 0) - 1;
    if (n > 0) node.tagCounts.set(tag, n);
    else node.tagCounts.delete(tag);
  }
}

/**
 * Filter, select and place in one step: `null` (node unchanged) when the node is infeasible,
 * else the {@link Placement}.
 */
export function allocate(
  node: GpuNode,
  pod: GpuPod,
  method: GpuSelMethod,
  ctx: SelectContext = {},
): Placement | null {
  if (!fits(pod, node)) return null;
  const gpus = selectGpus(pod, node, method, ctx);
  return gpus === null ? null : place(node, pod, gpus);
}
