/**
 * How many feasible nodes a cycle looks for (semantics §1.2; upstream
 * `schedule_one.go:numFeasibleNodesToFind`).
 */
import { intDiv } from "../helpers/int64.ts";

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * - `numAllNodes < 100` → `numAllNodes` (no sampling);
 * - percentage `p` = the profile's value if set, else the scheduler-wide one; `p == 0` means
 *   adaptive: `p = 50 − numAllNodes/125` (integer division), at least 5;
 * - `numAllNodes × p / 100` (integer division), at least 100.
 */
export function numFeasibleNodesToFind(
  profilePercentage: number | undefined,
  globalPercentage: number,
  numAllNodes: number,
): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = profilePercentage ?? globalPercentage;
  if (percentage === 0) {
    percentage = 50 - intDiv(numAllNodes, 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
      percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
    }
  }
  const numNodes = intDiv(numAllNodes * percentage, 100);
  return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
}
