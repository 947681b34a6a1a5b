/**
 * gantry's strategies in the WASM core with hand-checked numbers (docs/placement-strategies.md):
 * the classic bin-packing raw scores and their min–max normalisation as score plugins, the
 * by-name selection, and GpuShare's filter reasons and device choice.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig, type Profile } from "../../src/config/index.ts";
import { CoreCode, WasmScheduler } from "../../src/core/scheduler.ts";
import { GPU_MILLI_ANNOTATION, GPU_MODEL_KEY } from "../../src/model/gpu.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import { namedPolicyProfile } from "../../src/scenario/named-policies.ts";
import { coreProfile } from "../../src/sim/profile.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const BASE = defaultSchedulerConfig().profiles[0] as Profile;

/** The default profile scoring with `plugins` only. */
function scoring(...plugins: [string, number][]): Profile {
  return coreProfile({
    ...BASE,
    percentageOfNodesToScore: 100,
    plugins: {
      ...BASE.plugins,
      preScore: [],
      score: plugins.map(([name, weight]) => ({ name, weight })),
    },
  }).profile;
}

function named(name: string): Profile {
  return coreProfile(namedPolicyProfile(name, BASE) as Profile).profile;
}

/**
 * n0: 4 cpu / 8Gi with 1 cpu / 2Gi requested; n1: 8 / 16Gi with 6 / 4Gi; n2: 2 / 4Gi, empty.
 * For a 1 cpu / 1Gi pod (10⁶ × (free − req) / alloc per dimension):
 *   n0: cpu 2000/4000 = 500000, memory 5/8 = 625000 → 1,125,000
 *   n1: cpu 1000/8000 = 125000, memory 11/16 = 687500 → 812,500
 *   n2: cpu 1000/2000 = 500000, memory 3/4 = 750000 → 1,250,000
 * DotProduct (10⁶ × req/alloc × free/alloc): n0 187500 + 93750 = 281,250;
 *   n1 31250 + 46875 = 78,125; n2 500000 + 250000 = 750,000.
 */
function cluster(): { nodes: Node[]; bound: Pod[] } {
  const nodes = [
    makeNode({ name: "n0", allocatable: { cpu: "4", memory: "8Gi", pods: "110" } }),
    makeNode({ name: "n1", allocatable: { cpu: "8", memory: "16Gi", pods: "110" } }),
    makeNode({ name: "n2", allocatable: { cpu: "2", memory: "4Gi", pods: "110" } }),
  ];
  const bound = [
    makePod({ name: "b0", nodeName: "n0", requests: { cpu: "1", memory: "2Gi" } }),
    makePod({ name: "b1", nodeName: "n1", requests: { cpu: "6", memory: "4Gi" } }),
  ];
  return { nodes, bound };
}

const POD = makePod({ name: "p", requests: { cpu: "1", memory: "1Gi" } });

async function core(profile: Profile, seed = 0): Promise<WasmScheduler> {
  const { nodes, bound } = cluster();
  return WasmScheduler.create({ nodes, boundPods: bound, profile, seed });
}

describe("classic strategies as score plugins", () => {
  const cases: [string, Record<string, number>][] = [
    // raw −1,125,000 / −812,500 / −1,250,000: lo −1,250,000, range 437,500 → ⌊125,000·100/437,500⌋ = 28.
    ["BestFit", { n0: 28, n1: 100, n2: 0 }],
    // raw 1,125,000 / 812,500 / 1,250,000 → ⌊312,500·100/437,500⌋ = 71.
    ["WorstFit", { n0: 71, n1: 0, n2: 100 }],
    // raw 281,250 / 78,125 / 750,000: range 671,875 → ⌊203,125·100/671,875⌋ = 30.
    ["DotProduct", { n0: 30, n1: 0, n2: 100 }],
    // raw −0 / −1 / −2 → 100, 50, 0.
    ["FirstFit", { n0: 100, n1: 50, n2: 0 }],
  ];
  for (const [plugin, want] of cases) {
    it(`${plugin}: min–max normalised raw scores`, async () => {
      const c = await core(scoring([plugin, 1]));
      const ev = c.evaluate(POD);
      const got: Record<string, number> = {};
      ev.feasible.forEach((i, p) => {
        got[c.nodeNames[i] as string] = ev.scores[p]?.strategies as number;
      });
      expect(got).toEqual(want);
    });
  }

  it("weights multiply the normalised score and add to the in-tree plugins", async () => {
    const c = await core(scoring(["BestFit", 3], ["NodeResourcesFit", 1]));
    const ev = c.evaluate(POD);
    const n1 = ev.feasible.findIndex((i) => c.nodeNames[i] === "n1");
    const s = ev.scores[n1];
    expect(s?.strategies).toBe(300);
    expect(s?.total).toBe(300 + (s?.fit as number));
  });

  it("RandomScore draws one score per node, reproducibly per seed", async () => {
    const a = (await core(scoring(["RandomScore", 1]), 5)).evaluate(POD);
    const b = (await core(scoring(["RandomScore", 1]), 5)).evaluate(POD);
    expect(a.scores.map((s) => s.strategies)).toEqual(b.scores.map((s) => s.strategies));
    // Min–max over three draws: one node at 0, one at 100.
    const v = a.scores.map((s) => s.strategies).sort((x, y) => x - y);
    expect(v[0]).toBe(0);
    expect(v[2]).toBe(100);
  });
});

describe("classic strategies by name", () => {
  const want: Record<string, string> = {
    FirstFit: "n0",
    BestFit: "n1",
    WorstFit: "n2",
    DotProduct: "n2",
    FirstFitDecreasing: "n0",
    BestFitDecreasing: "n1",
  };
  for (const [policy, node] of Object.entries(want)) {
    it(`${policy} places the pod on ${node}`, async () => {
      const c = await core(named(policy));
      expect(c.scheduleName(POD)).toBe(node);
    });
  }

  it("BestFit packs until a node is full, then the next best (exact, no sampling)", async () => {
    const c = await core(named("BestFit"));
    // n1 has 2 cpu left: two 1-cpu pods, then n0 (1,125,000 − … beats n2).
    const placed = [0, 1, 2].map((k) =>
      c.scheduleName({ ...POD, metadata: { ...POD.metadata, name: `p${k}`, uid: `u${k}` } }),
    );
    expect(placed).toEqual(["n1", "n1", "n0"]);
  });

  it("FirstFit skips infeasible nodes", async () => {
    const c = await core(named("FirstFit"));
    const big = makePod({ name: "big", requests: { cpu: "3", memory: "1Gi" } });
    expect(c.scheduleName(big)).toBe("n0");
    expect(c.scheduleName({ ...big, metadata: { ...big.metadata, name: "big2", uid: "u2" } })).toBe(
      null,
    );
  });

  it("Random picks uniformly among feasible nodes, reproducibly per seed", async () => {
    const counts: Record<string, number> = {};
    for (let seed = 0; seed < 150; seed++) {
      const n = (await core(named("Random"), seed)).scheduleName(POD) as string;
      counts[n] = (counts[n] ?? 0) + 1;
    }
    for (const n of ["n0", "n1", "n2"]) expect(counts[n]).toBeGreaterThan(30);
    const again = await core(named("Random"), 17);
    const first = await core(named("Random"), 17);
    expect(again.scheduleName(POD)).toBe(first.scheduleName(POD));
  });
});

/** Two GPU nodes: g0 with 4 × V100, g1 with 2 × T4; c0 without GPUs. */
function gpuCluster(): Node[] {
  return [
    makeNode({
      name: "g0",
      allocatable: { cpu: "32", memory: "128Gi", pods: "110", "nvidia.com/gpu": "4" },
      labels: { [GPU_MODEL_KEY]: "V100" },
    }),
    makeNode({
      name: "g1",
      allocatable: { cpu: "32", memory: "128Gi", pods: "110", "nvidia.com/gpu": "2" },
      labels: { [GPU_MODEL_KEY]: "T4" },
    }),
    makeNode({ name: "c0", allocatable: { cpu: "32", memory: "128Gi", pods: "110" } }),
  ];
}

function sharePod(name: string, milli: number, model?: string): Pod {
  return makePod({
    name,
    requests: { cpu: "1", memory: "1Gi" },
    annotations: {
      [GPU_MILLI_ANNOTATION]: String(milli),
      ...(model === undefined ? {} : { [GPU_MODEL_KEY]: model }),
    },
  });
}

describe("GpuShare", () => {
  it("rejects with its three reasons, in order", async () => {
    const c = await WasmScheduler.create({
      nodes: gpuCluster(),
      profile: coreProfile(BASE).profile,
    });
    const at = (name: string) => c.nodeNames.indexOf(name);
    const ev = c.evaluate(sharePod("p", 500, "T4"));
    expect(ev.codes[at("c0")]).toBe(CoreCode.GpuNone);
    expect(ev.codes[at("g0")]).toBe(CoreCode.GpuModel);
    expect(ev.codes[at("g1")]).toBe(CoreCode.Pass);
    // Whole GPUs: four fully free devices on g0 only.
    const four = makePod({
      name: "four",
      requests: { cpu: "1", "nvidia.com/gpu": "4" },
      limits: { "nvidia.com/gpu": "4" },
    });
    const ev4 = c.evaluate(four);
    expect(ev4.codes[at("g0")]).toBe(CoreCode.Pass);
    // g1 has only two devices: NodeResourcesFit already fails on the nvidia.com/gpu count.
    expect(ev4.codes[at("g1")]).toBe(CoreCode.NodeResourcesFit);
  });

  it("best: a shared pod takes the fullest device that fits; release frees it", async () => {
    const c = await WasmScheduler.create({
      nodes: gpuCluster().slice(0, 1),
      profile: coreProfile(BASE).profile,
    });
    const a = sharePod("a", 600);
    const b = sharePod("b", 300);
    const d = sharePod("d", 500);
    expect(c.schedule(a)).toBe(0);
    expect(c.lastGpuMask).toBe(0b0001); // all free: the lowest index
    expect(c.schedule(b)).toBe(0);
    expect(c.lastGpuMask).toBe(0b0001); // device 0 has 400 free ≥ 300 and is the fullest
    expect(c.schedule(d)).toBe(0);
    expect(c.lastGpuMask).toBe(0b0010); // device 0 has 100 free < 500
    expect(c.gpuDevices(0)).toEqual([900, 500, 0, 0]);
    c.unbind(b, 0);
    expect(c.gpuDevices(0)).toEqual([600, 500, 0, 0]);
    // A 4-GPU pod needs four fully free devices: only two are.
    const four = makePod({
      name: "four",
      requests: { "nvidia.com/gpu": "2" },
      limits: { "nvidia.com/gpu": "2" },
    });
    expect(c.schedule(four)).toBe(0);
    expect(c.lastGpuMask).toBe(0b1100);
  });

  it("bind takes the devices it is given (a rebuilt core keeps running pods' devices)", async () => {
    const c = await WasmScheduler.create({
      nodes: gpuCluster().slice(0, 1),
      profile: coreProfile(BASE).profile,
    });
    c.bind(sharePod("a", 600), 0, undefined, 0b0100);
    expect(c.gpuDevices(0)).toEqual([0, 0, 600, 0]);
    expect(c.lastGpuMask).toBe(0b0100);
    // Without a mask, bind chooses by `best` (here: device 2, the fullest that fits).
    c.bind(sharePod("b", 300), 0);
    expect(c.gpuDevices(0)).toEqual([0, 0, 900, 0]);
  });
});
