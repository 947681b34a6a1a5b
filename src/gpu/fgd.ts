/**
 * The FGD score ("fragmentation gradient", traces.md §3.6 "Score"), shared by the FGD policy
 * and the `fgd` GPU-selection method (traces.md §3 "Which GPU a pod gets").
 */
import { fragmentationOf, type TargetShape } from "./fragmentation.ts";
import { cpuLeft, type GpuNode, type GpuPod, gpuFree, isSharePod } from "./model.ts";

/** The logistic function 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** `ln(k / (100 − k))` for k = 1..99 (index k − 1), increasing: where `100 · sigmoid(x)` reaches k. */
export const SIGMOID_THRESHOLDS: readonly number[] = Array.from({ length: 99 }, (_, j) =>
  Math.log((j + 1) / (99 - j)),
);

/**
 * `⌊100 · sigmoid(x)⌋` without `Math.exp`: the number of k in 1..99 with `x ≥ ln(k / (100 − k))`,
 * and 100 for `x ≥ 40` (where the float64 sigmoid rounds to 1). The WASM core compares with the
 * same thresholds, so both engines agree to the bit (`Math.exp` differs between engines by an ulp
 * at times); against `Math.floor(100 · sigmoid(x))` it differs only where x is within an ulp or
 * so of a threshold (test/gpu/fgd-sigmoid.test.ts).
 */
export function sigmoidPercent(x: number): number {
  if (x >= 40) return 100;
  let k = 0;
  while (k < 99 && x >= (SIGMOID_THRESHOLDS[k] as number)) k++;
  return k;
}

/**
 * `⌊100 · sigmoid(Δ / 1000)⌋` with `Δ = before − after` (milli-GPU), by {@link sigmoidPercent}:
 * an integer in 0..100, 50 at Δ = 0, higher when the placement increases fragmentation less.
 */
export function fgdScoreFromDelta(delta: number): number {
  return sigmoidPercent(delta / 1000);
}

/** FGD score and the GPU it was reached on (`null` for non-sharing pods or when nothing fits). */
export interface FgdResult {
  readonly score: number;
  readonly gpu: number | null;
}

/**
 * The FGD score of placing `pod` on `node` (traces.md §3.6), with F_n from
 * {@link fragmentationOf} over `typical`:
 * - a pod requesting nothing (cpu 0, memory 0, no GPU) scores 100 (the simulator's early exit);
 * - a sharing pod: for each GPU `i` in index order with free ≥ gpuMilli, the hypothetical state
 *   has CPU left − cpuMilli and free[i] − gpuMilli; its score is {@link fgdScoreFromDelta}; the
 *   result is the highest **integer** score, ties to the lowest index (this is also the
 *   `FGDScore` GPU choice). No fitting GPU → score 0, gpu `null`;
 * - any other pod (CPU-only or whole GPUs): CPU left − cpuMilli, and the GPUs are filled in
 *   ascending order of free milli (ties by index), taking the first `numGpu` with
 *   free ≥ gpuMilli and subtracting gpuMilli from each.
 */
export function fgdScore(node: GpuNode, pod: GpuPod, typical: readonly TargetShape[]): FgdResult {
  if (pod.cpuMilli === 0 && pod.memoryMib === 0 && pod.numGpu === 0) {
    return { score: 100, gpu: null };
  }
  const free = gpuFree(node);
  const c = cpuLeft(node);
  const before = fragmentationOf(c, free, node.model, typical);
  if (isSharePod(pod)) {
    let best: FgdResult = { score: 0, gpu: null };
    for (let i = 0; i < free.length; i++) {
      const g = free[i]!;
      if (g < pod.gpuMilli) continue;
      const after = free.slice();
      after[i] = g - pod.gpuMilli;
      const s = fgdScoreFromDelta(
        before - fragmentationOf(c - pod.cpuMilli, after, node.model, typical),
      );
      if (best.gpu === null || s > best.score) best = { score: s, gpu: i };
    }
    return best;
  }
  const after = free.slice();
  const order = free.map((_, i) => i).sort((a, b) => free[a]! - free[b]! || a - b);
  let need = pod.numGpu;
  for (const i of order) {
    if (need === 0) break;
    if (after[i]! >= pod.gpuMilli) {
      after[i] = after[i]! - pod.gpuMilli;
      need--;
    }
  }
  const delta = before - fragmentationOf(c - pod.cpuMilli, after, node.model, typical);
  return { score: fgdScoreFromDelta(delta), gpu: null };
}
