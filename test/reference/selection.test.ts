/**
 * The reference's by-name selection mode (`Profile.selection`, docs/placement-strategies.md "As
 * policies by name") and the Reserve point (GpuShare's device choice carried into the snapshot).
 */
import { describe, expect, it } from "vitest";
import type { ClassicStrategy, Profile } from "../../src/config/types.ts";
import { explain } from "../../src/reference/framework/explain.ts";
import { newFramework } from "../../src/reference/framework/framework.ts";
import {
  newSchedulerState,
  type ScheduleResult,
  scheduleOne,
} from "../../src/reference/framework/schedule-one.ts";
import { Snapshot } from "../../src/reference/framework/snapshot.ts";
import { defaultRegistry } from "../../src/reference/plugins/registry.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import { profileOf, sharePod } from "./gantry-support.ts";

// n0 too small; n1: 4 cpu holding 1 cpu / 200 B; n2: 2 cpu empty; n3: 8 cpu holding 4 cpu / 500 B.
const nodes = [
  makeNode({ name: "n0", allocatable: { cpu: "100m", memory: "1000", pods: "110" } }),
  makeNode({ name: "n1", allocatable: { cpu: "4", memory: "1000", pods: "110" } }),
  makeNode({ name: "n2", allocatable: { cpu: "2", memory: "1000", pods: "110" } }),
  makeNode({ name: "n3", allocatable: { cpu: "8", memory: "1000", pods: "110" } }),
];
const bound = [
  makePod({ name: "b1", nodeName: "n1", requests: { cpu: "1", memory: "200" } }),
  makePod({ name: "b3", nodeName: "n3", requests: { cpu: "4", memory: "500" } }),
];
const pod = makePod({ name: "p", requests: { cpu: "500m", memory: "100" } });

function byName(strategy: ClassicStrategy): Profile {
  return profileOf({
    preFilter: ["NodeResourcesFit"],
    filter: ["NodeResourcesFit"],
    // Score plugins are ignored by a by-name strategy.
    score: [["WorstFit", 5]],
    selection: { strategy, decreasing: false },
  });
}

function schedule(profile: Profile, seed = 0n, ns = nodes, bs = bound, p = pod) {
  const fwk = newFramework(profile, defaultRegistry());
  const state = newSchedulerState({ seed });
  return { result: scheduleOne(p, new Snapshot(ns, bs), fwk, state), state };
}

const nodeOf = (r: ScheduleResult) => (r.kind === "Scheduled" ? r.node : r.kind);

describe("selection mode", () => {
  it("FirstFit: the lowest-index feasible node", () => {
    expect(nodeOf(schedule(byName("FirstFit")).result)).toBe("n1");
  });

  it("BestFit / WorstFit / DotProduct: the highest raw score", () => {
    // raw BestFit: n1 −1325000, n2 −1650000, n3 −837500; DotProduct: 173750, 350000, 81250.
    expect(nodeOf(schedule(byName("BestFit")).result)).toBe("n3");
    expect(nodeOf(schedule(byName("WorstFit")).result)).toBe("n2");
    expect(nodeOf(schedule(byName("DotProduct")).result)).toBe("n2");
  });

  it("ties go to the lowest node index", () => {
    const same = ["a", "b", "c"].map((name) =>
      makeNode({ name, allocatable: { cpu: "2", memory: "1000", pods: "110" } }),
    );
    for (const s of ["BestFit", "WorstFit", "DotProduct"] as const) {
      expect(nodeOf(schedule(byName(s), 0n, same, []).result)).toBe("a");
    }
  });

  it("Random: the r-th feasible node in index order, r = nextBounded(count)", () => {
    for (const seed of [1n, 2n, 3n, 4n, 5n, 6n]) {
      const mirror = new Pcg32(seed);
      const want = ["n1", "n2", "n3"][mirror.nextBounded(3)];
      const { result, state } = schedule(byName("Random"), seed);
      expect(nodeOf(result)).toBe(want);
      expect(state.rng.nextU32()).toBe(mirror.nextU32());
    }
  });

  it("Random with exactly one feasible node makes no draw", () => {
    const big = makePod({ name: "big", requests: { cpu: "3500m" } });
    const { result, state } = schedule(byName("Random"), 3n, nodes, bound, big);
    expect(nodeOf(result)).toBe("n3");
    expect(state.rng.nextU32()).toBe(new Pcg32(3n).nextU32());
  });

  it("filters every node (no sampling) and picks by node index", () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      makeNode({ name: `m${String(i).padStart(3, "0")}`, allocatable: { cpu: "2", pods: "110" } }),
    );
    const fwk = newFramework(byName("FirstFit"), defaultRegistry());
    const state = newSchedulerState({ percentageOfNodesToScore: 10 });
    state.nextStartNodeIndex = 120;
    const r = scheduleOne(makePod({ name: "q" }), new Snapshot(many), fwk, state);
    expect(r).toEqual({ kind: "Scheduled", node: "m000", evaluatedNodes: 150, feasibleNodes: 150 });
    expect(state.nextStartNodeIndex).toBe(120);
  });

  it("explain reports the strategy's choice", () => {
    const fwk = newFramework(byName("BestFit"), defaultRegistry());
    const e = explain(pod, new Snapshot(nodes, bound), fwk);
    expect(e.selected).toBe("n3");
    expect(e.nodes.every((n) => n.scores === undefined)).toBe(true);
  });
});

describe("Reserve in the cycle", () => {
  const gpuNodes = ["ga", "gb"].map((name) =>
    makeNode({
      name,
      allocatable: { cpu: "8", memory: "8Gi", pods: "110", "nvidia.com/gpu": "2" },
    }),
  );
  const gpuProfile = (gpuSelection: "best" | "random") =>
    profileOf({
      preFilter: ["NodeResourcesFit"],
      filter: ["NodeResourcesFit", "GpuShare"],
      reserve: ["GpuShare"],
      pluginConfig: new Map([["GpuShare", { kind: "GpuShareArgs", gpuSelection }]]),
    });

  it("random: selectHost draws first, then GpuShare's device draw; the pod takes that device", () => {
    for (const seed of [1n, 2n, 3n, 4n]) {
      const mirror = new Pcg32(seed);
      const node = ["ga", "gb"][mirror.nextBounded(2)] as string; // selectHost over a 2-way tie
      const device = mirror.nextBounded(2); // both devices fit
      const fwk = newFramework(gpuProfile("random"), defaultRegistry());
      const state = newSchedulerState({ seed });
      const snapshot = new Snapshot(gpuNodes);
      const r = scheduleOne(sharePod("p", 300), snapshot, fwk, state);
      expect(nodeOf(r)).toBe(node);
      expect(snapshot.get(node)?.gpus.used).toEqual(device === 0 ? [300, 0] : [0, 300]);
      expect(snapshot.get(node)?.gpuDevicesOf("uid-default-p")).toEqual([device]);
      expect(state.rng.nextU32()).toBe(mirror.nextU32());
    }
  });

  it("best: successive shared pods pack one device; a pod that fits nowhere is unschedulable", () => {
    const fwk = newFramework(gpuProfile("best"), defaultRegistry());
    const state = newSchedulerState({ seed: 1n });
    const snapshot = new Snapshot([gpuNodes[0] as ReturnType<typeof makeNode>]);
    for (const [i, m] of [600, 300, 700].entries()) {
      expect(nodeOf(scheduleOne(sharePod(`p${i}`, m), snapshot, fwk, state))).toBe("ga");
    }
    // 600 → dev 0; 300 → dev 0 (least free that fits); 700 → dev 1; then 500 fits nowhere.
    expect(snapshot.get("ga")?.gpus.used).toEqual([900, 700]);
    const r = scheduleOne(sharePod("p9", 500), snapshot, fwk, state);
    expect(r.kind).toBe("Unschedulable");
    if (r.kind === "Unschedulable") {
      expect(r.message).toBe("0/1 nodes are available: 1 Insufficient GPU.");
    }
  });
});
