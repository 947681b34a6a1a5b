/**
 * gantry's GpuShare (docs/placement-strategies.md "GpuShare"): the Filter's three rejections,
 * Reserve's device choice per method, and the NodeInfo GPU accounting behind them.
 */
import { describe, expect, it } from "vitest";
import type { FGDScoreArgs } from "../../../src/config/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import { RESERVED_GPU_DEVICES_KEY } from "../../../src/reference/framework/gpu.ts";
import type { FilterPlugin, ReservePlugin } from "../../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import {
  ERR_REASON_GPU_MODEL,
  ERR_REASON_INSUFFICIENT_GPU,
  ERR_REASON_NO_GPU,
  type GpuSharePlugin,
  newGpuShare,
} from "../../../src/reference/plugins/gpushare/index.ts";
import { Pcg32 } from "../../../src/reference/rand.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { build, sharePod, wholePod } from "../gantry-support.ts";
import { st } from "../support.ts";

function gpuNode(name: string, gpus: number, model?: string) {
  return makeNode({
    name,
    allocatable: { cpu: "32", memory: "64Gi", pods: "110", "nvidia.com/gpu": String(gpus) },
    ...(model === undefined ? {} : { labels: { "gantry.dev/gpu-model": model } }),
  });
}

const ok = { code: "Success", reasons: [] };

describe("GpuShare Filter", () => {
  const snapshot = new Snapshot(
    [gpuNode("none", 0), gpuNode("v100", 2, "V100M16"), gpuNode("busy", 2)],
    [sharePod("s800", 800, { nodeName: "busy" }), wholePod("w1", 1, { nodeName: "busy" })],
  );
  const plugin = build(newGpuShare, snapshot) as FilterPlugin;
  const filter = (podArg: ReturnType<typeof makePod>, node: string) =>
    st(plugin.filter(new CycleState(), podArg, snapshot.get(node) as NodeInfo));

  it("is a no-op for pods without a GPU request", () => {
    expect(filter(makePod({ requests: { cpu: "1" } }), "none")).toEqual(ok);
  });

  it("rejects a node without GPUs (UnschedulableAndUnresolvable)", () => {
    expect(filter(sharePod("p", 100), "none")).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [ERR_REASON_NO_GPU],
    });
    expect(ERR_REASON_NO_GPU).toBe("node(s) had no GPU");
  });

  it("rejects an unwanted model (UnschedulableAndUnresolvable); empty list = any", () => {
    expect(filter(sharePod("p", 100, { models: "A100|T4" }), "v100")).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: ["node(s) had an unwanted GPU model"],
    });
    expect(ERR_REASON_GPU_MODEL).toBe("node(s) had an unwanted GPU model");
    expect(filter(sharePod("p", 100, { models: "A100|V100M16" }), "v100")).toEqual(ok);
    expect(filter(sharePod("p", 100), "v100")).toEqual(ok);
    // An unlabelled node has model "": a pod with a model list rejects it.
    expect(filter(sharePod("p", 100, { models: "V100M16" }), "busy").reasons).toEqual([
      ERR_REASON_GPU_MODEL,
    ]);
  });

  it("insufficient GPU (Unschedulable): one GPU needs a device with enough free milli", () => {
    // busy: device 0 holds 800 (s800), device 1 the whole GPU.
    expect(snapshot.get("busy")?.gpus.used).toEqual([800, 1000]);
    expect(filter(sharePod("p", 200), "busy")).toEqual(ok);
    expect(filter(sharePod("p", 201), "busy")).toEqual({
      code: "Unschedulable",
      reasons: [ERR_REASON_INSUFFICIENT_GPU],
    });
    expect(filter(wholePod("p", 1), "busy").code).toBe("Unschedulable");
  });

  it("k > 1 GPUs need k fully free devices", () => {
    expect(filter(wholePod("p", 2), "v100")).toEqual(ok);
    expect(filter(wholePod("p", 3), "v100").reasons).toEqual(["Insufficient GPU"]);
    const s2 = new Snapshot([gpuNode("g", 2)], [sharePod("s1", 1, { nodeName: "g" })]);
    const p2 = build(newGpuShare, s2) as FilterPlugin;
    expect(st(p2.filter(new CycleState(), wholePod("p", 2), s2.get("g") as NodeInfo)).code).toBe(
      "Unschedulable",
    );
  });
});

describe("NodeInfo GPU accounting", () => {
  it("bound pods take devices by best, in the order added; removal frees exactly", () => {
    const s = new Snapshot(
      [gpuNode("g", 4)],
      [
        sharePod("a", 300, { nodeName: "g" }), // dev 0 (all free, lowest index)
        sharePod("b", 500, { nodeName: "g" }), // dev 0 (least free that fits: 700)
        wholePod("c", 2, { nodeName: "g" }), // first two fully free: 1, 2
        sharePod("d", 600, { nodeName: "g" }), // dev 0 has 200 free → dev 3
      ],
    );
    const info = s.get("g") as NodeInfo;
    expect(info.gpus.used).toEqual([800, 1000, 1000, 600]);
    expect(Object.fromEntries(info.gpus.tagCounts)).toEqual({ "share-gpu": 3, "2-gpu": 1 });
    expect(info.gpuDevicesOf("uid-default-c")).toEqual([1, 2]);

    const clone = info.clone();
    info.removePod(sharePod("b", 500));
    expect(info.gpus.used).toEqual([300, 1000, 1000, 600]);
    info.removePod(wholePod("c", 2));
    expect(info.gpus.used).toEqual([300, 0, 0, 600]);
    expect(Object.fromEntries(info.gpus.tagCounts)).toEqual({ "share-gpu": 2 });
    // The clone is independent.
    expect(clone.gpus.used).toEqual([800, 1000, 1000, 600]);
  });

  it("an assumed pod takes the given devices; used milli is capped at 1000", () => {
    const s = new Snapshot([gpuNode("g", 2)], [sharePod("a", 300, { nodeName: "g" })]);
    s.assume(sharePod("e", 800), "g", [0]);
    const info = s.get("g") as NodeInfo;
    expect(info.gpus.used).toEqual([1000, 0]);
    info.removePod(sharePod("e", 800));
    expect(info.gpus.used).toEqual([300, 0]); // only the 700 actually added is freed
  });

  it("a GPU pod that fits no device takes none (still counted in its tag)", () => {
    const s = new Snapshot(
      [gpuNode("g", 1), gpuNode("cpu", 0)],
      [wholePod("w", 2, { nodeName: "g" }), sharePod("s", 100, { nodeName: "cpu" })],
    );
    expect(s.get("g")?.gpus.used).toEqual([0]);
    expect(s.get("g")?.gpuDevicesOf("uid-default-w")).toEqual([]);
    expect(Object.fromEntries(s.get("g")?.gpus.tagCounts ?? [])).toEqual({ "2-gpu": 1 });
    expect(s.get("cpu")?.gpus.used).toEqual([]);
  });
});

describe("GpuShare Reserve", () => {
  // Devices used [300, 600, 0]: a 300-milli pod fits all three (free 700, 400, 1000).
  function setup(gpuSelection: string, rng?: Pcg32) {
    const s = new Snapshot([gpuNode("g", 3)]);
    s.assume(sharePod("a", 300), "g", [0]);
    s.assume(sharePod("b", 600), "g", [1]);
    const fgd: FGDScoreArgs = {
      kind: "FGDScoreArgs",
      popularityThreshold: 95,
      typicalPods: [{ cpuMilli: 0, gpuMilli: 400, numGpu: 1, models: [], weight: 1, p: 1 }],
    };
    const plugin = build(newGpuShare, s, { gpuSelection }, rng, new Map([["FGDScore", fgd]]));
    return plugin as GpuSharePlugin & ReservePlugin;
  }
  const reserve = (plugin: ReservePlugin, podArg: ReturnType<typeof makePod>) => {
    const state = new CycleState();
    const status = plugin.reserve(state, podArg, "g");
    return { status: st(status), reserved: state.read(RESERVED_GPU_DEVICES_KEY) };
  };

  it("best: the least free device that fits", () => {
    expect(reserve(setup("best"), sharePod("p", 300))).toEqual({
      status: ok,
      reserved: { node: "g", devices: [1] },
    });
  });

  it("random: one draw over the candidates from the scheduler's stream", () => {
    for (const seed of [1n, 2n, 3n, 4n, 5n]) {
      const rng = new Pcg32(seed);
      const mirror = new Pcg32(seed);
      const want = [0, 1, 2][mirror.nextBounded(3)];
      expect(reserve(setup("random", rng), sharePod("p", 300)).reserved).toEqual({
        node: "g",
        devices: [want],
      });
      expect(rng.nextU32()).toBe(mirror.nextU32()); // exactly one draw
    }
    // Candidates are only the devices that fit (500 fits devices 0 and 2).
    const rng = new Pcg32(11n);
    const mirror = new Pcg32(11n);
    expect(reserve(setup("random", rng), sharePod("p", 500)).reserved).toEqual({
      node: "g",
      devices: [[0, 2][mirror.nextBounded(2)]],
    });
  });

  it("fgd: the highest FGD score, lowest index on ties", () => {
    // Typical pod: 400 milli. Before: every device fits 400 → F = 0. After 300 on dev 0:
    // [400, 400, 1000] → 0 → Δ 0 → 50; dev 1: [700, 100, 1000] → 100 → σ(−0.1) → 47;
    // dev 2: [700, 400, 700] → 0 → 50. Tie 50/50 → dev 0 (best would take dev 1).
    expect(reserve(setup("fgd"), sharePod("p", 300)).reserved).toEqual({
      node: "g",
      devices: [0],
    });
  });

  it("whole GPUs take the first fully free devices, with no draw", () => {
    const rng = new Pcg32(5n);
    const mirror = new Pcg32(5n);
    for (const method of ["best", "fgd"]) {
      expect(reserve(setup(method), wholePod("w", 1)).reserved).toEqual({
        node: "g",
        devices: [2],
      });
    }
    expect(reserve(setup("random", rng), wholePod("w", 1)).reserved).toEqual({
      node: "g",
      devices: [2],
    });
    expect(rng.nextU32()).toBe(mirror.nextU32());
  });

  it("does nothing for a pod without a GPU request; unreserve clears the choice", () => {
    const plugin = setup("best");
    expect(reserve(plugin, makePod())).toEqual({ status: ok, reserved: undefined });
    const state = new CycleState();
    plugin.reserve(state, sharePod("p", 300), "g");
    plugin.unreserve(state, sharePod("p", 300), "g");
    expect(state.read(RESERVED_GPU_DEVICES_KEY)).toBeUndefined();
  });

  it("fgd without FGDScore's typical pods fails at construction", () => {
    const s = new Snapshot([gpuNode("g", 1)]);
    expect(() => build(newGpuShare, s, { gpuSelection: "fgd" })).toThrow("FGDScore");
    expect(() =>
      build(
        newGpuShare,
        s,
        { gpuSelection: "fgd" },
        undefined,
        new Map([["FGDScore", { kind: "FGDScoreArgs", popularityThreshold: 95 }]]),
      ),
    ).toThrow("no typical pods");
    expect(() => build(newGpuShare, s, { gpuSelection: "worst" })).toThrow("Unsupported");
  });
});
