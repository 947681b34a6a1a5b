/**
 * MostAllocated (semantics §4.4; upstream `noderesources/most_allocated.go`).
 */
import { MAX_NODE_SCORE } from "../../framework/interfaces.ts";
import { intDiv, mulDiv } from "../../helpers/int64.ts";
import type { ResourceSpec } from "./args.ts";
import type { ResourceScorer } from "./resource-allocation.ts";

/** `min(requested, capacity) × 100 / capacity`; 0 when capacity is 0. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) return MAX_NODE_SCORE;
  return mulDiv(requested, MAX_NODE_SCORE, capacity);
}

/** `Σ s_i × w_i / Σ w_i` over resources with allocatable ≠ 0 (integer division); 0 if none. */
export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    requested.forEach((req, i) => {
      const alloc = allocatable[i] ?? 0;
      if (alloc === 0) return;
      const weight = resources[i]?.weight ?? 0;
      nodeScore += mostRequestedScore(req, alloc) * weight;
      weightSum += weight;
    });
    return weightSum === 0 ? 0 : intDiv(nodeScore, weightSum);
  };
}
