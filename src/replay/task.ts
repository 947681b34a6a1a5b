/**
 * One replay task = one (policy, seed) run of a trace (traces.md §2): load the node and pod
 * lists, build the target workload from the original pods (before inflation), build the seed's
 * arrival order, replay, bin. Self-contained (paths in, plain data out) so it can run on a
 * piscina worker thread.
 */
import { readFileSync } from "node:fs";
import { streamRandom } from "../generate/random.ts";
import {
  type GpuNode,
  type GpuPod,
  type PolicyName,
  parseNodeCsv,
  parsePodCsv,
  typicalPods,
} from "../gpu/index.ts";
import { simulateReplayCore } from "./core-engine.ts";
import { type ReplaySeries, simulateReplay, type TieBreak } from "./engine.ts";
import { binSeries } from "./stats.ts";
import { arrivalOrder, capacityMilli, sortByName } from "./workload.ts";

export interface ReplayTask {
  readonly nodesPath: string;
  readonly podsPath: string;
  readonly policy: PolicyName;
  readonly seed: number;
  /** Target arrived GPU as a multiple of capacity (the simulator's `-tune`). */
  readonly inflate: number;
  /** Tie-break rule (default `random`); see {@link replayTrace}. */
  readonly tieBreak?: TieBreak;
  /**
   * `replay` (default): the FGD simulator's loop on typed arrays (src/replay/engine.ts);
   * `core`: kube-scheduler cycles in gantry's WASM core (src/replay/core-engine.ts), ties by
   * selectHost's draw (`tieBreak` must be `random`).
   */
  readonly engine?: ReplayEngine;
}

/** Which engine replays the trace; see {@link ReplayTask.engine}. */
export type ReplayEngine = "replay" | "core";

export interface ReplayTaskResult {
  readonly policy: PolicyName;
  readonly seed: number;
  /** Pods submitted (originals + clones − removed). */
  readonly pods: number;
  readonly placed: number;
  readonly failed: number;
  /** Binned curves, index = whole arrive%. */
  readonly unallocatedGpuPct: (number | null)[];
  readonly fragGpuPct: (number | null)[];
  /** Wall time of the replay itself (engine + binning), ms; not part of any deterministic output. */
  readonly wallMs: number;
}

/** A trace loaded and prepared once (shared by every policy of a seed in-process). */
export interface LoadedTrace {
  readonly nodes: GpuNode[];
  /** Original pods sorted by name. */
  readonly sorted: GpuPod[];
  readonly capacity: number;
}

export function loadTrace(nodesPath: string, podsPath: string): LoadedTrace {
  const nodes = parseNodeCsv(readFileSync(nodesPath, "utf8"));
  const sorted = sortByName(parsePodCsv(readFileSync(podsPath, "utf8")));
  return { nodes, sorted, capacity: capacityMilli(nodes) };
}

/**
 * Replays `trace` for one policy and seed. Streams of the seed: `replay/shuffle` and `replay/tune`
 * (the workload, the same for every policy), `replay/schedule` (tie-breaks, Random). With
 * `tieBreak: "first"` (the default, as the paper's simulator: its vendored selectHost keeps the
 * lexicographically smallest tied node name, and the names carry a random 4-digit prefix per seed,
 * traces.md §2 "Node order") the nodes are first put in a random order (stream `replay/nodes`,
 * Fisher–Yates) and a tie goes to the first tied node in that order; `"random"` draws uniformly
 * among the tied nodes, as kube-scheduler does.
 */
export function replayTrace(
  trace: LoadedTrace,
  policy: PolicyName,
  seed: number,
  inflate: number,
  tieBreak: TieBreak = "first",
): ReplayTaskResult {
  const typical = typicalPods(trace.sorted).pods;
  const order = arrivalOrder(trace.sorted, trace.capacity, inflate, seed);
  const nodes = [...trace.nodes];
  if (tieBreak === "first") {
    const r = streamRandom(seed, "replay/nodes");
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = r.nextBounded(i + 1);
      const t = nodes[i]!;
      nodes[i] = nodes[j]!;
      nodes[j] = t;
    }
  }
  const t0 = performance.now();
  const series = simulateReplay({
    tieBreak,
    nodes,
    pods: trace.sorted,
    order,
    typical,
    policy,
    rng: streamRandom(seed, "replay/schedule"),
  });
  return taskResult(trace, policy, seed, order.length, series, t0);
}

/** A run's result: its series binned by arrived-GPU %, the wall time since `t0`. */
function taskResult(
  trace: LoadedTrace,
  policy: PolicyName,
  seed: number,
  pods: number,
  series: ReplaySeries,
  t0: number,
): ReplayTaskResult {
  const binned = binSeries(series, trace.capacity);
  return {
    policy,
    seed,
    pods,
    placed: series.placed,
    failed: series.failed,
    unallocatedGpuPct: binned.unallocatedGpuPct,
    fragGpuPct: binned.fragGpuPct,
    wallMs: performance.now() - t0,
  };
}

export function runReplayTask(task: ReplayTask): ReplayTaskResult | Promise<ReplayTaskResult> {
  const trace = loadTrace(task.nodesPath, task.podsPath);
  if (task.engine === "core") return replayTraceCore(trace, task.policy, task.seed, task.inflate);
  return replayTrace(trace, task.policy, task.seed, task.inflate, task.tieBreak);
}

/**
 * {@link replayTrace} through the WASM core: the same workload (streams `replay/shuffle` and
 * `replay/tune`), the nodes in trace order, ties and random draws from the core's PRNG seeded
 * with `seed`.
 */
export async function replayTraceCore(
  trace: LoadedTrace,
  policy: PolicyName,
  seed: number,
  inflate: number,
): Promise<ReplayTaskResult> {
  const typical = typicalPods(trace.sorted).pods;
  const order = arrivalOrder(trace.sorted, trace.capacity, inflate, seed);
  const t0 = performance.now();
  const series = await simulateReplayCore({
    nodes: trace.nodes,
    pods: trace.sorted,
    order,
    typical,
    policy,
    seed,
  });
  return taskResult(trace, policy, seed, order.length, series, t0);
}
