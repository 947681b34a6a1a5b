/**
 * A plain implementation of the replay loop on src/gpu's reference functions (`fits`,
 * `scoreNodes`, `selectGpus`, `place`, `clusterFragmentation`), slow but obviously faithful to
 * traces.md §2–§3; the tests check src/replay/engine.ts against it.
 */
import {
  type BoundedRandom,
  cloneGpuNode,
  clusterFragmentation,
  fits,
  freeGpuMilli,
  type GpuNode,
  type GpuPod,
  MILLI,
  POLICY_GPU_SEL,
  type PolicyName,
  place,
  podGpuMilliTotal,
  scoreNodes,
  selectGpus,
  type TargetShape,
} from "../../src/gpu/index.ts";
import type { ReplaySeries } from "../../src/replay/engine.ts";

export function referenceReplay(input: {
  nodes: readonly GpuNode[];
  pods: readonly GpuPod[];
  order: readonly number[];
  typical: readonly TargetShape[];
  policy: PolicyName;
  rng: BoundedRandom;
  tieBreak?: "random" | "first";
}): ReplaySeries {
  const nodes = input.nodes.map(cloneGpuNode);
  const { rng, typical, policy } = input;
  const E = input.order.length;
  const arrived = new Float64Array(E);
  const used = new Float64Array(E);
  const frag = new Float64Array(E);
  let a = 0;
  let placed = 0;
  let failed = 0;
  input.order.forEach((pi, e) => {
    const pod = input.pods[pi]!;
    a += podGpuMilliTotal(pod);
    const feasible = nodes.filter((n) => fits(pod, n));
    const scores = scoreNodes(policy, pod, feasible, { rng, typical });
    const top = Math.max(-1, ...scores);
    const ties = feasible.filter((_, i) => scores[i] === top);
    let node: GpuNode | undefined;
    if (ties.length === 1 || (input.tieBreak === "first" && policy !== "Random")) node = ties[0];
    else if (ties.length > 1) node = ties[rng.nextBounded(ties.length)];
    if (node) {
      const gpus = selectGpus(pod, node, POLICY_GPU_SEL[policy], { rng, typical });
      if (gpus === null) throw new Error("reference: feasible node without GPUs");
      place(node, pod, gpus);
      placed++;
    } else failed++;
    arrived[e] = a;
    let u = 0;
    for (const n of nodes) u += n.gpuUsed.length * MILLI - freeGpuMilli(n);
    used[e] = u;
    frag[e] = clusterFragmentation(nodes, typical).amount;
  });
  return { arrived, used, frag, placed, failed };
}
