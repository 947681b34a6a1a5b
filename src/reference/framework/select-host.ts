/**
 * selectHost (semantics §1.3; upstream `schedule_one.go:selectHost`): the node with the highest
 * total score, ties broken uniformly at random.
 */
import type { Pcg32 } from "../rand.ts";

export interface NodeTotal {
  readonly name: string;
  readonly total: number;
}

/**
 * Exactly specified draws (the WebAssembly core makes the same ones):
 * 1. `max` = the highest total; the K tied nodes are those with total `max`, **in the order of
 *    `totals`** (the feasible-node order of the cycle).
 * 2. K = 1: that node, and no draw. K ≥ 2: one draw `r = rng.nextBounded(K)`; the r-th tied node
 *    (0-based) is selected.
 * Upstream draws once per tie (reservoir sampling with Go's unseeded global source); a single
 * draw gives the same uniform distribution and a reproducible, cheaper stream.
 * Throws on an empty list.
 */
export function selectHost(totals: readonly NodeTotal[], rng: Pcg32): string {
  const first = totals[0];
  if (!first) throw new Error("empty priorityList");
  let max = first.total;
  let ties = 0;
  for (const t of totals) {
    if (t.total > max) {
      max = t.total;
      ties = 1;
    } else if (t.total === max) {
      ties++;
    }
  }
  let r = ties === 1 ? 0 : rng.nextBounded(ties);
  for (const t of totals) {
    if (t.total !== max) continue;
    if (r === 0) return t.name;
    r--;
  }
  throw new Error("selectHost: unreachable");
}
