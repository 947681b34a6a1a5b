/**
 * DefaultNormalizeScore (semantics §1.4; upstream `plugins/helper/normalize_score.go`).
 */
import { MAX_NODE_SCORE, type NodeScore } from "../framework/interfaces.ts";
import { mulDiv } from "./int64.ts";

/**
 * Rewrites `scores` in place:
 * - `max = max(0, max_i s_i)`;
 * - if `max == 0`: every score becomes `maxPriority` when `reverse`, otherwise nothing changes;
 * - else `s_i = maxPriority × s_i / max` (integer division), then `maxPriority − s_i` when `reverse`.
 */
export function defaultNormalizeScore(
  scores: NodeScore[],
  reverse: boolean,
  maxPriority: number = MAX_NODE_SCORE,
): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = mulDiv(maxPriority, s.score, max);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}
