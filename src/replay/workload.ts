/**
 * The replay workload of the FGD simulator (traces.md §2 "Arrival order", "Workload tuning"):
 * the original pods sorted by name, shuffled, then clones drawn uniformly with replacement and
 * appended until arrived GPU milli would pass `inflate` × cluster capacity. No pod departs.
 */

import { streamRandom } from "../generate/random.ts";
import type { GpuNode, GpuPod } from "../gpu/index.ts";
import { MILLI, podGpuMilliTotal } from "../gpu/index.ts";

/** Cluster GPU capacity in milli: Σ GPUs × 1000. */
export function capacityMilli(nodes: readonly GpuNode[]): number {
  let s = 0;
  for (const n of nodes) s += n.gpuUsed.length * MILLI;
  return s;
}

/** The original pods sorted by name (JavaScript string order; the trace names are zero-padded). */
export function sortByName(pods: readonly GpuPod[]): GpuPod[] {
  return [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The arrival order for one seed, as indices into `sorted` (the pods sorted by name; an index
 * repeats for a clone):
 * 1. shuffle `0 … n−1` with the stream `replay/shuffle` (Fisher–Yates from the end, as Go's
 *    `rand.Shuffle`: for i = n−1 … 1 swap i with `nextBounded(i + 1)`);
 * 2. with `target = inflate × capacity` and `total` = Σ numGpu × gpuMilli of the originals:
 *    - while `total < target`: draw `j = nextBounded(n)` from the stream `replay/tune`; stop if
 *      `total + sorted[j].gpuMilli > target` (the simulator's stop test uses the clone's
 *      **per-GPU** milli), else append `j` and add the clone's **full** numGpu × gpuMilli (so a
 *      multi-GPU clone can overshoot the target a little). A CPU-only clone adds nothing and is
 *      always appended (no tuning at all when no pod asks for a GPU: it would never stop);
 *    - while `total > target` (a trace asking for more than the target): remove the pod at a
 *      uniformly drawn position of the shuffled list (stream `replay/tune`) and subtract its GPU
 *      milli (traces.md §2: "the simulator removes random pods instead"; the exact rule of the
 *      simulator is not reproduced here).
 * The draws do not depend on the policy, so every policy sees the same workload for a seed.
 */
export function arrivalOrder(
  sorted: readonly GpuPod[],
  capacity: number,
  inflate: number,
  seed: number,
): number[] {
  const n = sorted.length;
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const shuffle = streamRandom(seed, "replay/shuffle");
  for (let i = n - 1; i > 0; i--) {
    const j = shuffle.nextBounded(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  if (n === 0) return order;
  const tune = streamRandom(seed, "replay/tune");
  const target = inflate * capacity;
  let total = 0;
  for (const p of sorted) total += podGpuMilliTotal(p);
  if (total < target && sorted.some((p) => p.gpuMilli > 0)) {
    for (;;) {
      const j = tune.nextBounded(n);
      const pod = sorted[j]!;
      if (total + pod.gpuMilli > target) break;
      order.push(j);
      total += podGpuMilliTotal(pod);
    }
  } else {
    while (total > target && order.length > 0) {
      const k = tune.nextBounded(order.length);
      total -= podGpuMilliTotal(sorted[order[k]!]!);
      order.splice(k, 1);
    }
  }
  return order;
}
