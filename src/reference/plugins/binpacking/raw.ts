/**
 * Raw scores of the classic bin-packing strategies (docs/placement-strategies.md "Classic bin
 * packing"), shared by the score plugins of this folder and the by-name selection mode of the
 * framework (`framework/selection.ts`).
 *
 * Dimensions D of a (pod, node): cpu (millicores), memory (bytes), then ephemeral-storage when the
 * pod requests it (> 0), then every scalar resource the pod requests (> 0) in string order of the
 * name — each only when the node's allocatable of it is > 0 (cpu and memory included: a node with
 * 0 allocatable cpu has no cpu dimension; a choice, the doc leaves it open). `alloc` = the node's
 * allocatable, `used` = its NodeResourcesFit `Requested` (not the non-zero sums), `req` = the
 * pod's NodeResourcesFit request (`podRequests`), `free = alloc − used`. Every term is computed in
 * float64 in the order written and truncated toward zero; the terms are summed as integers.
 */
import type { Pod } from "../../../model/types.ts";
import { podRequests, type Resources } from "../../external.ts";
import type { NodeInfo } from "../../framework/node-info.ts";

/** One dimension of {@link classicDimensions}. */
export interface Dimension {
  readonly name: string;
  readonly alloc: number;
  readonly used: number;
  readonly req: number;
}

/** The dimensions D of the pod's request `req` on the node, in the module comment's order. */
export function classicDimensions(req: Resources, nodeInfo: NodeInfo): Dimension[] {
  const a = nodeInfo.allocatable;
  const u = nodeInfo.requested;
  const dims: Dimension[] = [];
  const push = (name: string, alloc: number, used: number, r: number) => {
    if (alloc > 0) dims.push({ name, alloc, used, req: r });
  };
  push("cpu", a.milliCPU, u.milliCPU, req.milliCPU);
  push("memory", a.memory, u.memory, req.memory);
  if (req.ephemeralStorage > 0) {
    push("ephemeral-storage", a.ephemeralStorage, u.ephemeralStorage, req.ephemeralStorage);
  }
  const scalars = [...req.scalar].filter(([, v]) => v > 0).map(([n]) => n);
  scalars.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const name of scalars) {
    push(name, a.scalar.get(name) ?? 0, u.scalar.get(name) ?? 0, req.scalar.get(name) ?? 0);
  }
  return dims;
}

/** Σ_d trunc((free_d − req_d) × 10⁶ / alloc_d): capacity left after placing, per mille-mille. */
export function leftoverSum(dims: readonly Dimension[]): number {
  let sum = 0;
  for (const d of dims) {
    const free = d.alloc - d.used;
    sum += Math.trunc(((free - d.req) * 1e6) / d.alloc);
  }
  return sum + 0; // no −0
}

/** FirstFit: `−index` (the node's position in the snapshot's node list). */
export function firstFitRaw(index: number): number {
  return 0 - index;
}

/** BestFit: `−Σ_d trunc((free_d − req_d) × 10⁶ / alloc_d)` (least capacity left wins). */
export function bestFitRaw(dims: readonly Dimension[]): number {
  return 0 - leftoverSum(dims);
}

/** WorstFit: `+Σ_d trunc((free_d − req_d) × 10⁶ / alloc_d)` (most capacity left wins). */
export function worstFitRaw(dims: readonly Dimension[]): number {
  return leftoverSum(dims);
}

/** DotProduct (Tetris): `Σ_d trunc((req_d / alloc_d) × (free_d / alloc_d) × 10⁶)`. */
export function dotProductRaw(dims: readonly Dimension[]): number {
  let sum = 0;
  for (const d of dims) {
    const free = d.alloc - d.used;
    sum += Math.trunc((d.req / d.alloc) * (free / d.alloc) * 1e6);
  }
  return sum + 0;
}

/** The raw score of a resource strategy for `pod` on the node. */
export function resourceStrategyRaw(
  strategy: "BestFit" | "WorstFit" | "DotProduct",
  pod: Pod,
  nodeInfo: NodeInfo,
): number {
  const dims = classicDimensions(podRequests(pod), nodeInfo);
  switch (strategy) {
    case "BestFit":
      return bestFitRaw(dims);
    case "WorstFit":
      return worstFitRaw(dims);
    case "DotProduct":
      return dotProductRaw(dims);
  }
}
