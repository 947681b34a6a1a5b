/**
 * The six placement policies of the FGD paper as the simulator scores them (traces.md §3.1–3.6).
 *
 * Every score is an integer in 0..100 for one feasible node; the caller runs `fits` (fit.ts) first
 * and scores only feasible nodes, picks the highest score and breaks ties at random (traces.md
 * §3). All divisions marked ⌊·⌋ below are computed exactly on integers (no float rounding).
 */
import { fgdScore } from "./fgd.ts";
import type { BoundedRandom, GpuSelMethod } from "./fit.ts";
import type { TargetShape } from "./fragmentation.ts";
import {
  cpuLeft,
  freeGpuMilli,
  type GpuNode,
  type GpuPod,
  gpuFree,
  gpuTag,
  MAX_SPEC_CPU,
  MAX_SPEC_GPU,
  MILLI,
  podGpuMilliTotal,
} from "./model.ts";

export type PolicyName = "Random" | "DotProd" | "GpuClustering" | "GpuPacking" | "BestFit" | "FGD";

export const POLICIES: readonly PolicyName[] = [
  "Random",
  "DotProd",
  "GpuClustering",
  "GpuPacking",
  "BestFit",
  "FGD",
];

/**
 * The GPU-selection method each policy runs with (traces.md §3): Random → `random`; FGD →
 * `fgd` (dimext=share swaps in the max-weight plugin's method); the others → `best` (DotProd
 * runs with dimext=merge, which keeps `best`).
 */
export const POLICY_GPU_SEL: Readonly<Record<PolicyName, GpuSelMethod>> = {
  Random: "random",
  DotProd: "best",
  GpuClustering: "best",
  GpuPacking: "best",
  BestFit: "best",
  FGD: "fgd",
};

/** ⌊a / b⌋ for integers, b > 0, exact for |a| < 2^53. */
export function floorDiv(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}

/**
 * Random (traces.md §3.1): one feasible node, `rng.nextBounded(n)` over the `n` feasible nodes
 * in the caller's order, scores 100 and the others 0. Returns the scores in that order (empty
 * when `n = 0`, and no draw is made).
 */
export function randomScores(n: number, rng: BoundedRandom): number[] {
  const out = new Array<number>(n).fill(0);
  if (n > 0) out[rng.nextBounded(n)] = 100;
  return out;
}

/**
 * DotProd (traces.md §3.2, dimext=merge, norm=max). With c = CPU left, f = free GPU milli of the
 * node, r = cpuMilli, q = numGpu × gpuMilli:
 * dot = (c/128000)(r/128000) + (f/8000)(q/8000) and score = ⌊100 (1 − dot/2)⌋.
 * Since 128000 = 16 × 8000, dot = N / 128000² with N = c·r + 256·f·q, so
 * score = ⌊100 (2·128000² − N) / (2·128000²)⌋ in exact integer arithmetic.
 * A node whose CPU left is below the request scores 0.
 */
export function dotProdScore(node: GpuNode, pod: GpuPod): number {
  const c = cpuLeft(node);
  if (c < pod.cpuMilli) return 0;
  const ratio = MAX_SPEC_CPU / MAX_SPEC_GPU; // 16
  const n = c * pod.cpuMilli + ratio * ratio * freeGpuMilli(node) * podGpuMilliTotal(pod);
  const d2 = 2 * MAX_SPEC_CPU * MAX_SPEC_CPU;
  return clampScore(floorDiv(100 * (d2 - n), d2));
}

/**
 * GpuClustering (traces.md §3.3). CPU-only pods score 0. For a GPU pod with tag T
 * ({@link gpuTag}; `k-gpu` keeps its k) and the node's hosted-tag counts:
 * base = 75 if T is the only tag present, 50 if T is present with others, 25 if no GPU pod is
 * hosted, 0 if only other tags are present; score = base + ⌊25 × (8000 − free GPU milli) / 8000⌋
 * (25 multiplied first). Note the fixed 8000: an idle 2-GPU node gets ⌊25 × 6000 / 8000⌋ = 18.
 */
export function gpuClusteringScore(node: GpuNode, pod: GpuPod): number {
  if (pod.numGpu === 0) return 0;
  const t = gpuTag(pod);
  let present = 0;
  for (const c of node.tagCounts.values()) if (c > 0) present++;
  const mine = (node.tagCounts.get(t) ?? 0) > 0;
  let base: number;
  if (mine) base = present === 1 ? 75 : 50;
  else base = present === 0 ? 25 : 0;
  return clampScore(base + floorDiv(25 * (MAX_SPEC_GPU - freeGpuMilli(node)), MAX_SPEC_GPU));
}

/**
 * GpuPacking (traces.md §3.4). CPU-only pods score 0. For a GPU pod on a node with n GPUs:
 * 1. every GPU fully free → max(33 − n, n);
 * 2. else walk the GPUs in ascending free milli (ties by index) and take the first numGpu with
 *    free ≥ gpuMilli; if any taken GPU is fully free → max(50 − (number taken fully free), 33);
 * 3. else → max(100 − ⌊Σ_i ⌊free_i × 100 / 1000⌋ / 10⌋, 50) over the taken GPUs (each term is
 *    integer-divided on its own, as the simulator's int64 loop does).
 * If the GPUs cannot be taken (infeasible node) the score is 0.
 */
export function gpuPackingScore(node: GpuNode, pod: GpuPod): number {
  if (pod.numGpu === 0) return 0;
  const free = gpuFree(node);
  const n = free.length;
  if (free.every((g) => g === MILLI)) return Math.max(33 - n, n);
  const order = free.map((_, i) => i).sort((a, b) => free[a]! - free[b]! || a - b);
  const taken: number[] = [];
  for (const i of order) {
    if (taken.length === pod.numGpu) break;
    if (free[i]! >= pod.gpuMilli) taken.push(i);
  }
  if (taken.length < pod.numGpu) return 0;
  const fullyFree = taken.filter((i) => free[i] === MILLI).length;
  if (fullyFree > 0) return Math.max(50 - fullyFree, 33);
  let ratio = 0;
  for (const i of taken) ratio += floorDiv(free[i]! * 100, MILLI);
  return Math.max(100 - floorDiv(ratio, 10), 50);
}

/**
 * BestFit's raw score (traces.md §3.5), before normalisation. With c, f, r, q as in
 * {@link dotProdScore}: raw = 0.5 (c − r)/128000 + 0.5 (f − q)/8000 and score = ⌊100 (1 − raw)⌋.
 * With M = (c − r) + 16 (f − q), raw = M / 256000, so score = ⌊(25 600 000 − 100 M) / 256 000⌋
 * exactly. Memory is ignored; for CPU-only pods q = 0 but f still counts.
 */
export function bestFitRawScore(node: GpuNode, pod: GpuPod): number {
  const ratio = MAX_SPEC_CPU / MAX_SPEC_GPU; // 16
  const m = cpuLeft(node) - pod.cpuMilli + ratio * (freeGpuMilli(node) - podGpuMilliTotal(pod));
  const d2 = 2 * MAX_SPEC_CPU; // 256000
  return floorDiv(100 * (d2 - m), d2);
}

/**
 * Min–max normalisation over the feasible nodes (traces.md §3.5, the simulator's shared
 * `NormalizeScore`): with lo/hi the lowest/highest raw score, each score becomes
 * ⌊(s − lo) × 100 / (hi − lo)⌋ (multiply first, integer division); when hi = lo every node gets
 * 0. Returns a new array.
 */
export function normalizeMinMax(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  if (hi === lo) return scores.map(() => 0);
  return scores.map((s) => floorDiv((s - lo) * 100, hi - lo));
}

/** BestFit over the feasible nodes: raw scores, then {@link normalizeMinMax}. */
export function bestFitScores(nodes: readonly GpuNode[], pod: GpuPod): number[] {
  return normalizeMinMax(nodes.map((n) => bestFitRawScore(n, pod)));
}

/** FGD (traces.md §3.6): {@link fgdScore}'s integer score over `typical`. */
export function fgdPolicyScore(
  node: GpuNode,
  pod: GpuPod,
  typical: readonly TargetShape[],
): number {
  return fgdScore(node, pod, typical).score;
}

/** What {@link scoreNodes} may need: Random needs `rng`, FGD needs `typical`. */
export interface ScoreContext {
  readonly rng?: BoundedRandom;
  readonly typical?: readonly TargetShape[];
}

/**
 * The policy's final scores (0..100) of the feasible `nodes`, in order; the caller filtered them
 * with `fits` (fit.ts). Random draws once from `ctx.rng`; BestFit normalises across the list.
 */
export function scoreNodes(
  policy: PolicyName,
  pod: GpuPod,
  nodes: readonly GpuNode[],
  ctx: ScoreContext = {},
): number[] {
  switch (policy) {
    case "Random":
      if (!ctx.rng) throw new Error("scoreNodes: Random needs ctx.rng");
      return randomScores(nodes.length, ctx.rng);
    case "DotProd":
      return nodes.map((n) => dotProdScore(n, pod));
    case "GpuClustering":
      return nodes.map((n) => gpuClusteringScore(n, pod));
    case "GpuPacking":
      return nodes.map((n) => gpuPackingScore(n, pod));
    case "BestFit":
      return bestFitScores(nodes, pod);
    case "FGD": {
      const typical = ctx.typical;
      if (!typical) throw new Error("scoreNodes: FGD needs ctx.typical");
      return nodes.map((n) => fgdPolicyScore(n, pod, typical));
    }
  }
}

function clampScore(s: number): number {
  return Math.min(100, Math.max(0, s));
}
