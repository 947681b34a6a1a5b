/**
 * The sequence comparison the differential tests share: one cluster, pods scheduled one after
 * another by the TS reference (`scheduleOne`) and by the WASM core from the same seed; the same
 * node (or none) for every pod and the same start index after every cycle.
 */
import { expect } from "vitest";
import type { Profile } from "../../src/config/types.ts";
import { WasmScheduler } from "../../src/core/scheduler.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
} from "../../src/reference/index.ts";

const registry = defaultRegistry();

/** Schedules `pods` on both engines (profile `profile`, `seed`, sampling `percentage`). */
export async function compareSequence(
  cluster: { readonly nodes: readonly Node[]; readonly bound: readonly Pod[] },
  pods: readonly Pod[],
  profile: Profile,
  seed: number,
  percentage: number,
): Promise<void> {
  const fwk = newFramework(profile, registry);
  const snapshot = new Snapshot(cluster.nodes, cluster.bound);
  const state = newSchedulerState({ seed, percentageOfNodesToScore: percentage });
  const core = await WasmScheduler.create({
    nodes: cluster.nodes,
    boundPods: cluster.bound,
    profile,
    seed,
    percentageOfNodesToScore: percentage,
    build: "debug",
  });
  pods.forEach((pod, k) => {
    const r = scheduleOne(pod, snapshot, fwk, state);
    const want = r.kind === "Scheduled" ? r.node : null;
    expect({ pod: k, node: core.scheduleName(pod) }).toEqual({ pod: k, node: want });
    expect(core.nextStartNodeIndex).toBe(state.nextStartNodeIndex);
  });
}
