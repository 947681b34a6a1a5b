/**
 * RequestedToCapacityRatio (semantics §4.5; upstream `noderesources/requested_to_capacity_ratio.go`
 * and `plugins/helper/shape_score.go`).
 */
import { MAX_NODE_SCORE } from "../../framework/interfaces.ts";
import { goRound, intDiv, mulDiv } from "../../helpers/int64.ts";
import type { ResourceSpec, UtilizationShapePoint } from "./args.ts";
import type { ResourceScorer } from "./resource-allocation.ts";

/** Highest score of a shape point in the args (`config.MaxCustomPriorityScore`). */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

export interface FunctionShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/**
 * Broken-linear function over ascending points: `s_0` up to `u_0`; on `(u_{k−1}, u_k]`
 * `s_{k−1} + (s_k − s_{k−1}) × (p − u_{k−1}) / (u_k − u_{k−1})` (integer, truncating toward 0);
 * `s_last` beyond the last point.
 */
export function brokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      const point = shape[i] as FunctionShapePoint;
      if (p <= point.utilization) {
        if (i === 0) return point.score;
        const prev = shape[i - 1] as FunctionShapePoint;
        return (
          prev.score +
          intDiv(
            (point.score - prev.score) * (p - prev.utilization),
            point.utilization - prev.utilization,
          )
        );
      }
    }
    return shape[shape.length - 1]?.score ?? 0;
  };
}

/**
 * Per resource: `g(100)` when over-committed, else `g(requested × 100 / capacity)`; resources
 * scoring 0 are dropped from numerator and denominator; result `round(Σ s_i w_i / Σ w_i)` in
 * float64 with Go `math.Round`, 0 if nothing is kept.
 */
export function requestedToCapacityRatioScorer(
  resources: readonly ResourceSpec[],
  shape: readonly UtilizationShapePoint[],
): ResourceScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const g = brokenLinearFunction(
    shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })),
  );
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return g(MAX_UTILIZATION);
    return g(mulDiv(requested, MAX_UTILIZATION, capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    requested.forEach((req, i) => {
      const alloc = allocatable[i] ?? 0;
      if (alloc === 0) return;
      const weight = resources[i]?.weight ?? 0;
      const score = resourceScore(req, alloc);
      if (score > 0) {
        nodeScore += score * weight;
        weightSum += weight;
      }
    });
    return weightSum === 0 ? 0 : goRound(nodeScore / weightSum);
  };
}
