/**
 * The simulation's side of gantry's placement strategies (docs/placement-strategies.md): pod
 * sizes for the *Decreasing policies, the workload's typical pods (FGD's target workload), and
 * the packing metrics of a run — stranded capacity and GPU fragmentation.
 */
import type { Profile } from "../config/types.ts";
import { type TypicalPodShape, typicalFromArgs } from "../core/strategies.ts";
import { fragmentationOf, typicalPodsOfCounts } from "../gpu/index.ts";
import { GPU_MILLI } from "../model/gpu.ts";
import { nodeAllocatable, podRequests } from "../model/requests.ts";
import type { Node, Pod } from "../model/types.ts";
import { gpuPodOf } from "../reference/framework/gpu.ts";
import type { PodArrival, SimulationInput } from "./types.ts";

/**
 * The size of a pod for the *Decreasing policies: `cpu / max cpu + memory / max memory` over the
 * largest allocatable among `nodes` (per resource). Cached per Pod object (templates are shared).
 */
export function podSizer(nodes: readonly Node[]): (pod: Pod) => number {
  let cpu = 0;
  let mem = 0;
  for (const n of nodes) {
    const a = nodeAllocatable(n);
    cpu = Math.max(cpu, a.milliCPU);
    mem = Math.max(mem, a.memory);
  }
  const cache = new WeakMap<Pod, number>();
  return (pod) => {
    let s = cache.get(pod);
    if (s === undefined) {
      const r = podRequests(pod);
      s = (cpu > 0 ? r.milliCPU / cpu : 0) + (mem > 0 ? r.memory / mem : 0);
      cache.set(pod, s);
    }
    return s;
  };
}

/**
 * FGD's typical pods (src/gpu `typicalPods`, traces.md §3.6) from pods with multiplicities (a
 * Kubernetes pod counted `n` times).
 */
export function typicalFromCounts(
  pods: Iterable<readonly [Pod, number]>,
  threshold = 95,
): TypicalPodShape[] {
  return [
    ...typicalPodsOfCounts(
      [...pods].map(([pod, n]) => [gpuPodOf(pod), n] as const),
      threshold,
    ).pods,
  ];
}

/**
 * The typical pods of a workload: its arrivals (the first `limit`; templates counted once per
 * arrival) and bound pods, by {@link typicalFromCounts}.
 */
export function typicalPodsOf(
  arrivals: Iterable<PodArrival>,
  threshold = 95,
  limit = 1_000_000,
): TypicalPodShape[] {
  const counts = new Map<Pod, number>();
  let n = 0;
  for (const a of arrivals) {
    if (n++ >= limit) break;
    counts.set(a.template, (counts.get(a.template) ?? 0) + 1);
  }
  return typicalFromCounts(counts, threshold);
}

/** A node's state at the end of a run, as the packing metrics need it. */
export interface NodeState {
  readonly cpuAlloc: number;
  readonly cpuFree: number;
  readonly memAlloc: number;
  readonly memFree: number;
  readonly podsFree: number;
  /** Card model ("" none) and used milli per GPU device. */
  readonly model: string;
  readonly gpuUsed: readonly number[];
}

/** Stranded capacity and GPU fragmentation (RunResult.packing). */
export interface PackingMetrics {
  /** Typical pods the metrics are measured against. */
  readonly typicalPods: number;
  /**
   * Per resource (cpu, memory, gpu): free capacity on nodes where no typical pod fits any more,
   * as a fraction of the cluster's allocatable.
   */
  readonly stranded: Readonly<Record<string, number>>;
  /** Nodes where no typical pod fits although something is free. */
  readonly strandedNodes: number;
  /** GPU devices, their allocation, and FGD's fragmentation (absent without GPUs). */
  readonly gpu?: {
    readonly devices: number;
    readonly allocation: number;
    /** Σ_n F_n in milli-GPU (traces.md §3.6). */
    readonly fragmentationMilli: number;
    /** Fragmentation / idle GPU milli (0 when nothing is idle). */
    readonly fragmentationRatio: number;
    /** Fragmentation / all GPU milli, in percent (the FGD paper's "fragmentation rate"). */
    readonly fragmentationPct: number;
  };
}

/** Whether typical pod `m` fits a node in state `n` (pods, cpu, and FGD's GPU rule). */
function fitsTypical(n: NodeState, m: TypicalPodShape): boolean {
  if (n.podsFree < 1 || n.cpuFree < m.cpuMilli) return false;
  if (m.numGpu === 0) return true;
  if (n.gpuUsed.length === 0) return false;
  if (m.models.length > 0 && !m.models.includes(n.model)) return false;
  let fitting = 0;
  for (const u of n.gpuUsed) if (GPU_MILLI - u >= m.gpuMilli) fitting++;
  return fitting >= m.numGpu;
}

/** The packing metrics of `nodes` against `typical`. */
export function packingMetrics(
  nodes: readonly NodeState[],
  typical: readonly TypicalPodShape[],
): PackingMetrics {
  let cpuAlloc = 0;
  let memAlloc = 0;
  let gpuAlloc = 0;
  let cpuStr = 0;
  let memStr = 0;
  let gpuStr = 0;
  let strandedNodes = 0;
  let devices = 0;
  let used = 0;
  let frag = 0;
  let idle = 0;
  for (const n of nodes) {
    const gpuFree = n.gpuUsed.reduce((s, u) => s + GPU_MILLI - u, 0);
    cpuAlloc += n.cpuAlloc;
    memAlloc += n.memAlloc;
    gpuAlloc += n.gpuUsed.length * GPU_MILLI;
    devices += n.gpuUsed.length;
    used += n.gpuUsed.length * GPU_MILLI - gpuFree;
    idle += gpuFree;
    if (n.gpuUsed.length > 0) {
      frag += fragmentationOf(
        n.cpuFree,
        n.gpuUsed.map((u) => GPU_MILLI - u),
        n.model,
        typical,
      );
    }
    const anyFree = n.cpuFree > 0 || n.memFree > 0 || gpuFree > 0;
    if (typical.length > 0 && anyFree && !typical.some((m) => fitsTypical(n, m))) {
      strandedNodes++;
      cpuStr += Math.max(0, n.cpuFree);
      memStr += Math.max(0, n.memFree);
      gpuStr += gpuFree;
    }
  }
  const frac = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    typicalPods: typical.length,
    stranded: {
      cpu: frac(cpuStr, cpuAlloc),
      memory: frac(memStr, memAlloc),
      ...(devices > 0 ? { gpu: frac(gpuStr, gpuAlloc) } : {}),
    },
    strandedNodes,
    ...(devices > 0
      ? {
          gpu: {
            devices,
            allocation: frac(used, gpuAlloc),
            fragmentationMilli: frag,
            fragmentationRatio: frac(frag, idle),
            fragmentationPct: frac(100 * frag, gpuAlloc),
          },
        }
      : {}),
  };
}

/** Whether `profile` scores with FGDScore without typical pods in its args. */
export function needsTypicalPods(profile: Profile): boolean {
  const scores = profile.plugins.score.some((p) => p.name === "FGDScore");
  return scores && typicalFromArgs(profile) === undefined;
}

/**
 * `input` with FGD's typical pods derived from the whole workload (`arrivals()`, a fresh
 * iteration of the same stream) when its profile needs them; else `input` itself.
 */
export function withTypicalPods(
  input: SimulationInput,
  arrivals: () => Iterable<PodArrival>,
): SimulationInput {
  if (!needsTypicalPods(input.profile) || input.typicalPods !== undefined) return input;
  return { ...input, typicalPods: typicalPodsOf(arrivals()) };
}
