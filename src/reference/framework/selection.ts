/**
 * By-name classic strategies (docs/placement-strategies.md "As policies by name";
 * `Profile.selection`): the strategy replaces Score and selectHost. Every node was filtered (no
 * sampling); among the feasible nodes the highest *raw* score of the strategy wins (the same raw
 * functions as the FirstFit/BestFit/WorstFit/DotProduct score plugins), the lowest node index
 * (`Snapshot.indexOf`) on ties.
 *
 * `Random`: the feasible nodes in node-index order, `r = rng.nextBounded(count)`, the r-th wins.
 * No draw when exactly one node is feasible (a choice: the single node wins with or without a
 * draw, and skipping it keeps the stream aligned with selectHost, which does not draw for one
 * candidate either); never called with none.
 *
 * `decreasing` is a queue-order matter (the simulation takes the largest pods first); the cycle
 * ignores it.
 */
import type { Pod } from "../../model/types.ts";
import type { ClassicStrategy } from "../external.ts";
import { firstFitRaw, resourceStrategyRaw } from "../plugins/binpacking/raw.ts";
import type { Pcg32 } from "../rand.ts";
import type { NodeInfo } from "./node-info.ts";
import type { Snapshot } from "./snapshot.ts";

/** The node the strategy places `pod` on, among the non-empty `feasible` nodes. */
export function selectByStrategy(
  strategy: ClassicStrategy,
  pod: Pod,
  feasible: readonly NodeInfo[],
  snapshot: Snapshot,
  rng: Pcg32,
): string {
  if (feasible.length === 0) throw new Error("selectByStrategy: no feasible node");
  const byIndex = feasible
    .map((info) => ({ info, index: snapshot.indexOf(info.name) }))
    .sort((a, b) => a.index - b.index);
  if (strategy === "Random") {
    const r = byIndex.length === 1 ? 0 : rng.nextBounded(byIndex.length);
    return (byIndex[r] as { info: NodeInfo }).info.name;
  }
  let best: NodeInfo | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const { info, index } of byIndex) {
    const s =
      strategy === "FirstFit" ? firstFitRaw(index) : resourceStrategyRaw(strategy, pod, info);
    if (best === undefined || s > bestScore) {
      best = info;
      bestScore = s;
    }
  }
  return (best as NodeInfo).name;
}
