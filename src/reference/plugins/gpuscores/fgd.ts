/**
 * The FGD score (docs/placement-strategies.md; traces.md §3.6) with `⌊100 σ(x)⌋` computed
 * without `Math.exp`, so the TypeScript reference and the WebAssembly core agree to the bit:
 * x is compared with the thresholds `ln(k / (100 − k))`, k = 1..99 (computed once with
 * `Math.log`), and the score is the number of thresholds x reaches — 100 when x ≥ 40.
 *
 * Everything else mirrors `src/gpu/fgd.ts` `fgdScore` (which uses `Math.exp` and is left as is):
 * fragmentation F_n from `fragmentationOf`, the same hypothetical placements and the same
 * GPU choice rule.
 */
import {
  fragmentationOf,
  type GpuNode,
  type GpuPod,
  gpuFree,
  isSharePod,
  type TargetShape,
} from "../../external.ts";

/** `ln(k / (100 − k))` for k = 1..99 (index k − 1), increasing. */
export const SIGMOID_THRESHOLDS: readonly number[] = Array.from({ length: 99 }, (_, i) =>
  Math.log((i + 1) / (99 - i)),
);

/** Above this x the score is 100. */
export const SIGMOID_SATURATION = 40;

/**
 * `⌊100 σ(x)⌋` = `⌊100 / (1 + e^−x)⌋` by threshold counting: the number of k in 1..99 with
 * `x ≥ ln(k / (100 − k))`, or 100 when `x ≥ 40`. NaN scores 0.
 */
export function sigmoidPercent(x: number): number {
  if (x >= SIGMOID_SATURATION) return 100;
  let n = 0;
  while (n < SIGMOID_THRESHOLDS.length && x >= (SIGMOID_THRESHOLDS[n] as number)) n++;
  return n;
}

/** `⌊100 σ(Δ / 1000)⌋` with Δ = F_before − F_after (milli-GPU), by {@link sigmoidPercent}. */
export function fgdScoreFromDeltaExact(delta: number): number {
  return sigmoidPercent(delta / 1000);
}

/** FGD score and, for a shared-GPU pod, the device it was reached on. */
export interface FgdChoice {
  readonly score: number;
  readonly gpu: number | null;
}

/**
 * `src/gpu` `fgdScore` with {@link fgdScoreFromDeltaExact}:
 * - a pod requesting nothing (cpu 0, memory 0, no GPU) scores 100;
 * - a shared-GPU pod: each device i in index order with free ≥ gpuMilli is tried (CPU left −
 *   cpuMilli, free[i] − gpuMilli); the highest integer score wins, the lowest index on ties
 *   (this is also `GpuShare`'s `fgd` device choice); no fitting device → score 0, gpu `null`;
 * - any other pod: CPU left − cpuMilli and the devices filled in ascending free milli (ties by
 *   index), the first `numGpu` with free ≥ gpuMilli losing gpuMilli each.
 */
export function fgdChoice(node: GpuNode, pod: GpuPod, typical: readonly TargetShape[]): FgdChoice {
  if (pod.cpuMilli === 0 && pod.memoryMib === 0 && pod.numGpu === 0)
    return { score: 100, gpu: null };
  const free = gpuFree(node);
  const c = node.cpuAllocatable - node.cpuUsed;
  const before = fragmentationOf(c, free, node.model, typical);
  if (isSharePod(pod)) {
    let best: FgdChoice = { score: 0, gpu: null };
    for (let i = 0; i < free.length; i++) {
      const g = free[i] as number;
      if (g < pod.gpuMilli) continue;
      const after = free.slice();
      after[i] = g - pod.gpuMilli;
      const s = fgdScoreFromDeltaExact(
        before - fragmentationOf(c - pod.cpuMilli, after, node.model, typical),
      );
      if (best.gpu === null || s > best.score) best = { score: s, gpu: i };
    }
    return best;
  }
  const after = free.slice();
  const order = free
    .map((_, i) => i)
    .sort((a, b) => (free[a] as number) - (free[b] as number) || a - b);
  let need = pod.numGpu;
  for (const i of order) {
    if (need === 0) break;
    if ((after[i] as number) >= pod.gpuMilli) {
      after[i] = (after[i] as number) - pod.gpuMilli;
      need--;
    }
  }
  const delta = before - fragmentationOf(c - pod.cpuMilli, after, node.model, typical);
  return { score: fgdScoreFromDeltaExact(delta), gpu: null };
}
