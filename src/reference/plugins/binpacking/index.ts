/**
 * gantry's classic bin-packing score plugins (docs/placement-strategies.md "Classic bin
 * packing"): FirstFit, BestFit, WorstFit, DotProduct and RandomScore. Score returns the raw score
 * (`raw.ts`); NormalizeScore maps the scored nodes min–max onto 0..100:
 * `⌊(raw − lo) × 100 / (hi − lo)⌋` in integer arithmetic, every node 0 when `hi = lo`.
 */
import type { Pod } from "../../../model/types.ts";
import { normalizeMinMax } from "../../external.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import {
  type Handle,
  handleRng,
  type NodeScore,
  type PluginFactory,
  type ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { type Status, SUCCESS } from "../../framework/status.ts";
import { BestFit, DotProduct, FirstFit, RandomScore, WorstFit } from "../names.ts";
import { firstFitRaw, resourceStrategyRaw } from "./raw.ts";

/** RandomScore's draw bound: one `nextBounded(10⁶)` per scored node. */
export const RANDOM_SCORE_BOUND = 1_000_000;

/** Rewrites `scores` in place with {@link normalizeMinMax} (src/gpu, the doc's formula). */
export function normalizeMinMaxInPlace(scores: NodeScore[]): void {
  const normalized = normalizeMinMax(scores.map((s) => s.score));
  scores.forEach((s, i) => {
    s.score = normalized[i] ?? 0;
  });
}

abstract class MinMaxScorePlugin implements ScorePlugin {
  abstract readonly name: string;
  abstract score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    normalizeMinMaxInPlace(scores);
    return SUCCESS;
  }
}

/** FirstFit: raw `−index`, the node's position in the snapshot's node list. */
export class FirstFitPlugin extends MinMaxScorePlugin {
  readonly name = FirstFit;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    super();
    this.handle = handle;
  }

  score(_state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    return firstFitRaw(this.handle.snapshot().indexOf(nodeInfo.name));
  }
}

/** BestFit, WorstFit, DotProduct: the resource strategies of `raw.ts`. */
export class ResourceStrategyPlugin extends MinMaxScorePlugin {
  readonly name: "BestFit" | "WorstFit" | "DotProduct";

  constructor(name: "BestFit" | "WorstFit" | "DotProduct") {
    super();
    this.name = name;
  }

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return resourceStrategyRaw(this.name, pod, nodeInfo);
  }
}

/**
 * RandomScore: one draw `nextBounded(10⁶)` from the scheduler's random stream per scored node,
 * in the order Score visits them (the feasible order).
 */
export class RandomScorePlugin extends MinMaxScorePlugin {
  readonly name = RandomScore;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    super();
    this.handle = handle;
  }

  score(): number {
    return handleRng(this.handle).nextBounded(RANDOM_SCORE_BOUND);
  }
}

export const newFirstFit: PluginFactory = (_args, handle) => new FirstFitPlugin(handle);
export const newBestFit: PluginFactory = () => new ResourceStrategyPlugin(BestFit);
export const newWorstFit: PluginFactory = () => new ResourceStrategyPlugin(WorstFit);
export const newDotProduct: PluginFactory = () => new ResourceStrategyPlugin(DotProduct);
export const newRandomScore: PluginFactory = (_args, handle) => new RandomScorePlugin(handle);
