/**
 * LeastAllocated (semantics §4.3; upstream `noderesources/least_allocated.go`).
 */
import { MAX_NODE_SCORE } from "../../framework/interfaces.ts";
import { intDiv, mulDiv } from "../../helpers/int64.ts";
import type { ResourceSpec } from "./args.ts";
import type { ResourceScorer } from "./resource-allocation.ts";

/** `(capacity − requested) × 100 / capacity`; 0 when over-committed or capacity is 0. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** `Σ s_i × w_i / Σ w_i` over resources with allocatable ≠ 0 (integer division); 0 if none. */
export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    requested.forEach((req, i) => {
      const alloc = allocatable[i] ?? 0;
      if (alloc === 0) return;
      const weight = resources[i]?.weight ?? 0;
      nodeScore += leastRequestedScore(req, alloc) * weight;
      weightSum += weight;
    });
    return weightSum === 0 ? 0 : intDiv(nodeScore, weightSum);
  };
}
