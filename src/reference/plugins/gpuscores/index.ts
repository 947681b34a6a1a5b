/**
 * The FGD paper's GPU score plugins (docs/placement-strategies.md "The FGD paper's GPU
 * policies"): GpuRandomScore, GpuDotProdScore, GpuClusteringScore, GpuPackingScore,
 * GpuBestFitScore and FGDScore. Each computes the `src/gpu` score from the node's GPU view
 * (`gpuNodeOf`: CPU left = allocatable − requested millicores, free GPU milli from the devices,
 * per-tag GPU pod counts) and the pod's (`gpuPodOf`: its cpu request and GPU request). They are
 * meant to run with `GpuShare`, which filters the GPU fit.
 */
import type { Pod } from "../../../model/types.ts";
import {
  bestFitRawScore,
  dotProdScore,
  fgdScore,
  gpuClusteringScore,
  gpuPackingScore,
  type TargetShape,
} from "../../external.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import { gpuNodeOf, gpuPodOf } from "../../framework/gpu.ts";
import {
  type Handle,
  handleRng,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type NodeScore,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { type Status, SUCCESS } from "../../framework/status.ts";
import { normalizeMinMaxInPlace } from "../binpacking/index.ts";
import {
  FGDScore,
  GpuBestFitScore,
  GpuClusteringScore,
  GpuDotProdScore,
  GpuPackingScore,
  GpuRandomScore,
} from "../names.ts";
import { defaultFGDScoreArgs, requireTypicalPods } from "./args.ts";

const GPU_RANDOM_STATE_KEY = `PreScore${GpuRandomScore}`;

interface GpuRandomState {
  /** The scored (feasible) nodes, in order. */
  readonly names: readonly string[];
  /** The drawn node, once Score has run on the first node. */
  chosen?: string;
}

/**
 * GpuRandomScore (paper: Random): one draw `nextBounded(n)` over the n scored nodes, in their
 * (feasible) order, made by the first Score call of the cycle; that node scores 100, the others 0.
 * PreScore records the scored nodes.
 */
export class GpuRandomScorePlugin implements PreScorePlugin, ScorePlugin {
  readonly name = GpuRandomScore;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  preScore(state: CycleState, _pod: Pod, nodes: readonly NodeInfo[]): Status {
    const s: GpuRandomState = { names: nodes.map((n) => n.name) };
    state.write(GPU_RANDOM_STATE_KEY, s);
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<GpuRandomState>(GPU_RANDOM_STATE_KEY);
    if (!s || s.names.length === 0) return MIN_NODE_SCORE;
    if (s.chosen === undefined) {
      s.chosen = s.names[handleRng(this.handle).nextBounded(s.names.length)];
    }
    return nodeInfo.name === s.chosen ? MAX_NODE_SCORE : MIN_NODE_SCORE;
  }
}

type GpuScoreFn = (pod: Pod, nodeInfo: NodeInfo) => number;

/** A GPU score plugin whose score is one `src/gpu` function of (node, pod), 0..100. */
export class GpuScorePlugin implements ScorePlugin {
  readonly name: string;
  private readonly fn: GpuScoreFn;

  constructor(name: string, fn: GpuScoreFn) {
    this.name = name;
    this.fn = fn;
  }

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return this.fn(pod, nodeInfo);
  }
}

/** GpuBestFitScore (paper: BestFit): `src/gpu` `bestFitRawScore`, then min–max normalisation. */
export class GpuBestFitScorePlugin implements ScorePlugin {
  readonly name = GpuBestFitScore;

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return bestFitRawScore(gpuNodeOf(nodeInfo), gpuPodOf(pod));
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    normalizeMinMaxInPlace(scores);
    return SUCCESS;
  }
}

/**
 * FGDScore: `⌊100 σ(ΔF / 1000)⌋` over the typical pods of its args (src/gpu `fgdScore`, threshold
 * counting instead of `Math.exp`). Throws at construction when the args carry no typical pods
 * (derive them first: `profileWithTypicalPods`).
 */
export class FGDScorePlugin implements ScorePlugin {
  readonly name = FGDScore;
  readonly typical: readonly TargetShape[];

  constructor(args: unknown) {
    this.typical = requireTypicalPods(defaultFGDScoreArgs(args));
  }

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return fgdScore(gpuNodeOf(nodeInfo), gpuPodOf(pod), this.typical).score;
  }
}

export const newGpuRandomScore: PluginFactory = (_args, handle) => new GpuRandomScorePlugin(handle);
export const newGpuDotProdScore: PluginFactory = () =>
  new GpuScorePlugin(GpuDotProdScore, (pod, n) => dotProdScore(gpuNodeOf(n), gpuPodOf(pod)));
export const newGpuClusteringScore: PluginFactory = () =>
  new GpuScorePlugin(GpuClusteringScore, (pod, n) =>
    gpuClusteringScore(gpuNodeOf(n), gpuPodOf(pod)),
  );
export const newGpuPackingScore: PluginFactory = () =>
  new GpuScorePlugin(GpuPackingScore, (pod, n) => gpuPackingScore(gpuNodeOf(n), gpuPodOf(pod)));
export const newGpuBestFitScore: PluginFactory = () => new GpuBestFitScorePlugin();
export const newFGDScore: PluginFactory = (args) => new FGDScorePlugin(args);
