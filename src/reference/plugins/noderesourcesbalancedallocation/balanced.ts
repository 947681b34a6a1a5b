/**
 * The BalancedAllocation formulas (semantics §4.5.1, §4.5.2; upstream `balanced_allocation.go`).
 */
import { MAX_NODE_SCORE } from "../../framework/interfaces.ts";
import { intDiv, truncToInt } from "../../helpers/int64.ts";

/**
 * v1.35: fractions `f_i = min(1, requested_i / allocatable_i)` (float64) over resources with
 * allocatable ≠ 0; std = 0 for ≤ 1 resource, `|f_1 − f_2| / 2` for 2, the population standard
 * deviation for more; score `trunc((1 − std) × 100)`.
 */
export function balancedResourceScore(
  requested: readonly number[],
  allocatable: readonly number[],
): number {
  const fractions: number[] = [];
  let totalFraction = 0;
  requested.forEach((req, i) => {
    const alloc = allocatable[i] ?? 0;
    if (alloc === 0) return;
    const fraction = Math.min(req / alloc, 1);
    totalFraction += fraction;
    fractions.push(fraction);
  });
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
  } else if (fractions.length > 2) {
    const mean = totalFraction / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return truncToInt((1 - std) * MAX_NODE_SCORE);
}

/**
 * v1.36: `50 + (50 + B_with − B_without) / 2` (integer division) where `B_with` is the v1.35
 * score with the pod's requests and `B_without` without them (same resources included).
 */
export function balancedResourceScoreV136(
  requestedWith: readonly number[],
  requestedWithout: readonly number[],
  allocatable: readonly number[],
): number {
  const withPod = balancedResourceScore(requestedWith, allocatable);
  const withoutPod = balancedResourceScore(requestedWithout, allocatable);
  return 50 + intDiv(50 + withPod - withoutPod, 2);
}
