/**
 * FGD's target workload ("typical pods") and the fragmentation measure (traces.md §3.6).
 */
import {
  freeGpuMilli,
  type GpuNode,
  type GpuPod,
  gpuFree,
  cpuLeft as nodeCpuLeft,
} from "./model.ts";

/** One kept group of the target workload: a pod shape with its renormalised probability. */
export interface TypicalPod {
  readonly cpuMilli: number;
  /** Milli per GPU (0 for CPU-only shapes). */
  readonly gpuMilli: number;
  readonly numGpu: number;
  /** The spec key: the pod's allowed models joined with `|` as given (empty = any). */
  readonly gpuSpec: string;
  /** The allowed models (`gpuSpec` split on `|`); empty = any. */
  readonly models: readonly string[];
  /** Number of trace pods in the group. */
  readonly count: number;
  /** `count / Σ kept counts` (traces.md §3.6 "Renormalise"). */
  readonly p: number;
}

/** Result of {@link typicalPods}. */
export interface TypicalPodSet {
  /** The kept groups, most frequent first (tie order: see {@link compareGroupTuples}). */
  readonly pods: readonly TypicalPod[];
  /** Number of distinct groups in the input. */
  readonly distinct: number;
  /** Number of input pods. */
  readonly totalPods: number;
  /** Number of input pods in the kept groups. */
  readonly keptPods: number;
  /** `keptPods / totalPods` (0 when there are no pods). */
  readonly coverage: number;
}

interface GroupKey {
  readonly cpuMilli: number;
  readonly gpuMilli: number;
  readonly numGpu: number;
  readonly gpuSpec: string;
}

/**
 * The tuple order used to break count ties (traces.md §3.6: "ties go to the larger tuple"):
 * lexicographic over (cpuMilli, gpuMilli, numGpu, gpuSpec), the three numbers compared
 * numerically and `gpuSpec` by UTF-16 code units (JavaScript `<`), so `""` (any model) is the
 * smallest spec. Returns a negative number when `a` should come first, i.e. when `a` is the
 * larger tuple.
 */
export function compareGroupTuples(a: GroupKey, b: GroupKey): number {
  if (a.cpuMilli !== b.cpuMilli) return b.cpuMilli - a.cpuMilli;
  if (a.gpuMilli !== b.gpuMilli) return b.gpuMilli - a.gpuMilli;
  if (a.numGpu !== b.numGpu) return b.numGpu - a.numGpu;
  if (a.gpuSpec === b.gpuSpec) return 0;
  return a.gpuSpec > b.gpuSpec ? -1 : 1;
}

/**
 * The target workload (traces.md §3.6 "Target workload", simulator `GetTypicalPods` with
 * isInvolvedCpuPods = true, podPopularityThreshold = `threshold`):
 * 1. group `pods` by (cpuMilli, gpuMilli, numGpu, gpuSpec) — CPU-only pods included, memory not
 *    part of the key; the spec key is the model list joined with `|` exactly as stored (so a
 *    spec with duplicate models is its own group);
 * 2. sort groups by count descending, ties by {@link compareGroupTuples} (larger tuple first);
 * 3. keep groups one at a time (so at least one when there are pods), stopping as soon as the
 *    kept pods are at least `threshold` % of all pods, tested exactly as
 *    `100 × kept ≥ threshold × total`;
 * 4. set `p = count / kept`.
 * Pass the original trace, before tuning (clones would distort the shares).
 */
export function typicalPods(pods: readonly GpuPod[], threshold = 95): TypicalPodSet {
  return typicalPodsOfCounts(
    pods.map((p) => [p, 1] as const),
    threshold,
  );
}

/** {@link typicalPods} of pods given with their multiplicities (a pod counted `n` times). */
export function typicalPodsOfCounts(
  pods: Iterable<readonly [GpuPod, number]>,
  threshold = 95,
): TypicalPodSet {
  const groups = new Map<string, { key: GroupKey; count: number }>();
  let total = 0;
  for (const [pod, n] of pods) {
    total += n;
    const key: GroupKey = {
      cpuMilli: pod.cpuMilli,
      gpuMilli: pod.gpuMilli,
      numGpu: pod.numGpu,
      gpuSpec: pod.gpuSpec.join("|"),
    };
    const id = `${key.cpuMilli},${key.gpuMilli},${key.numGpu},${key.gpuSpec}`;
    const g = groups.get(id);
    if (g) g.count += n;
    else groups.set(id, { key, count: n });
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.count - a.count || compareGroupTuples(a.key, b.key),
  );
  const kept: { key: GroupKey; count: number }[] = [];
  let keptPods = 0;
  for (const g of sorted) {
    kept.push(g);
    keptPods += g.count;
    if (100 * keptPods >= threshold * total) break;
  }
  return {
    pods: kept.map(({ key, count }) => ({
      ...key,
      models: key.gpuSpec === "" ? [] : key.gpuSpec.split("|"),
      count,
      p: count / keptPods,
    })),
    distinct: groups.size,
    totalPods: total,
    keptPods,
    coverage: total === 0 ? 0 : keptPods / total,
  };
}

/** The minimal shape a fragmentation term needs from a target pod. */
export interface TargetShape {
  readonly cpuMilli: number;
  readonly gpuMilli: number;
  readonly numGpu: number;
  /** Allowed models; empty = any. */
  readonly models: readonly string[];
  readonly p: number;
}

/**
 * f_n(m) of traces.md §3.6 for one target shape `m`, in milli-GPU, given the node's CPU left
 * `cpuLeft`, free milli per GPU `free` and card `model`; `idle = Σ free`:
 * 1. `m` CPU-only → idle (whether or not the CPU fits);
 * 2. the node's model is not in `m`'s non-empty model list → idle;
 * 3. fewer than `m.numGpu` GPUs have `free ≥ m.gpuMilli` → idle (lack GPU / lack both);
 * 4. `cpuLeft < m.cpuMilli` → idle (lack CPU);
 * 5. else Σ of `free[i]` over GPUs with `free[i] < m.gpuMilli`.
 */
export function shapeFragmentation(
  cpuLeft: number,
  free: readonly number[],
  model: string,
  m: TargetShape,
): number {
  let idle = 0;
  for (const g of free) idle += g;
  if (m.numGpu === 0) return idle;
  if (m.models.length > 0 && !m.models.includes(model)) return idle;
  let fitting = 0;
  let slivers = 0;
  for (const g of free) {
    if (g >= m.gpuMilli) fitting++;
    else slivers += g;
  }
  if (fitting < m.numGpu) return idle;
  if (cpuLeft < m.cpuMilli) return idle;
  return slivers;
}

/**
 * Node fragmentation F_n = Σ_m p_m · f_n(m) (traces.md §3.6), in milli-GPU, from the raw state
 * (CPU left, free milli per GPU, card model). The terms are summed in `typical` order.
 */
export function fragmentationOf(
  cpuLeft: number,
  free: readonly number[],
  model: string,
  typical: readonly TargetShape[],
): number {
  let f = 0;
  for (const m of typical) f += m.p * shapeFragmentation(cpuLeft, free, model, m);
  return f;
}

/** F_n of a node in its current state (traces.md §3.6). */
export function nodeFragmentation(node: GpuNode, typical: readonly TargetShape[]): number {
  return fragmentationOf(nodeCpuLeft(node), gpuFree(node), node.model, typical);
}

/** Cluster-level fragmentation (traces.md §3.6, §2 "Metrics"). */
export interface ClusterFragmentation {
  /** Σ_n F_n, milli-GPU. */
  readonly amount: number;
  /** Σ_n idle milli (free GPU milli of every node). */
  readonly idle: number;
  /** `amount / idle`; 0 when nothing is idle. */
  readonly ratio: number;
}

/** Fragmentation amount and ratio of a set of nodes (traces.md §3.6). */
export function clusterFragmentation(
  nodes: readonly GpuNode[],
  typical: readonly TargetShape[],
): ClusterFragmentation {
  let amount = 0;
  let idle = 0;
  for (const n of nodes) {
    amount += nodeFragmentation(n, typical);
    idle += freeGpuMilli(n);
  }
  return { amount, idle, ratio: idle === 0 ? 0 : amount / idle };
}
