/**
 * gantry's classic bin-packing score plugins (docs/placement-strategies.md "Classic bin
 * packing"): raw scores per the doc's table, min–max NormalizeScore. Numbers checked by hand.
 */
import { describe, expect, it } from "vitest";
import { podRequests } from "../../../src/model/requests.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import {
  newBestFit,
  newDotProduct,
  newFirstFit,
  newRandomScore,
  newWorstFit,
} from "../../../src/reference/plugins/binpacking/index.ts";
import { classicDimensions } from "../../../src/reference/plugins/binpacking/raw.ts";
import { Pcg32 } from "../../../src/reference/rand.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { build, scoreAll } from "../gantry-support.ts";

// n1: 4 cpu / 1000 B, holds 1 cpu / 200 B; n2: 2 cpu / 1000 B, empty; n3: 8 cpu / 1000 B,
// holds 4 cpu / 500 B. The pod asks for 500m / 100 B.
const nodes = [
  makeNode({ name: "n1", allocatable: { cpu: "4", memory: "1000", pods: "110" } }),
  makeNode({ name: "n2", allocatable: { cpu: "2", memory: "1000", pods: "110" } }),
  makeNode({ name: "n3", allocatable: { cpu: "8", memory: "1000", pods: "110" } }),
];
const bound = [
  makePod({ name: "b1", nodeName: "n1", requests: { cpu: "1", memory: "200" } }),
  makePod({ name: "b3", nodeName: "n3", requests: { cpu: "4", memory: "500" } }),
];
const pod = makePod({ name: "p", requests: { cpu: "500m", memory: "100" } });

function run(factory: Parameters<typeof build>[0], rng?: Pcg32) {
  const snapshot = new Snapshot(nodes, bound);
  const infos = snapshot.nodeInfoList;
  return scoreAll(build(factory, snapshot, undefined, rng), pod, infos);
}

describe("classic bin-packing score plugins", () => {
  it("FirstFit: −index, normalized min–max", () => {
    expect(run(newFirstFit)).toEqual({ raw: [0, -1, -2], normalized: [100, 50, 0] });
  });

  it("BestFit: −Σ trunc((free − req) × 10⁶ / alloc)", () => {
    // n1: (3000−500)/4000 → 625000, (800−100)/1000 → 700000; n2: 750000 + 900000;
    // n3: (4000−500)/8000 → 437500, (500−100)/1000 → 400000.
    expect(run(newBestFit)).toEqual({
      raw: [-1325000, -1650000, -837500],
      normalized: [40, 0, 100],
    });
  });

  it("WorstFit: +Σ trunc((free − req) × 10⁶ / alloc)", () => {
    expect(run(newWorstFit)).toEqual({ raw: [1325000, 1650000, 837500], normalized: [60, 100, 0] });
  });

  it("DotProduct: Σ trunc(req/alloc × free/alloc × 10⁶)", () => {
    // n1: 0.125 × 0.75 → 93750, 0.1 × 0.8 → 80000 (0.08000000000000002 truncated);
    // n2: 0.25 × 1 → 250000, 0.1 × 1 → 100000; n3: 0.0625 × 0.5 → 31250, 0.1 × 0.5 → 50000.
    // normalized n1: ⌊92500 × 100 / 268750⌋ = 34.
    expect(run(newDotProduct)).toEqual({ raw: [173750, 350000, 81250], normalized: [34, 100, 0] });
  });

  it("RandomScore: one nextBounded(10⁶) per scored node, in order", () => {
    const mirror = new Pcg32(9n, 3n);
    const want = [0, 1, 2].map(() => mirror.nextBounded(1_000_000));
    const got = run(newRandomScore, new Pcg32(9n, 3n));
    expect(got.raw).toEqual(want);
    const lo = Math.min(...want);
    const hi = Math.max(...want);
    expect(got.normalized).toEqual(want.map((w) => Math.floor(((w - lo) * 100) / (hi - lo))));
  });

  it("all nodes 0 when every raw score is equal", () => {
    const same = [
      makeNode({ name: "a", allocatable: { cpu: "2", memory: "1000", pods: "110" } }),
      makeNode({ name: "b", allocatable: { cpu: "2", memory: "1000", pods: "110" } }),
    ];
    const snapshot = new Snapshot(same);
    const r = scoreAll(build(newBestFit, snapshot), pod, snapshot.nodeInfoList);
    expect(r).toEqual({ raw: [-1650000, -1650000], normalized: [0, 0] });
  });

  it("dimensions: cpu, memory, ephemeral-storage, then requested scalars by name, alloc > 0", () => {
    const node = makeNode({
      name: "x",
      allocatable: {
        cpu: "2",
        memory: "1000",
        "ephemeral-storage": "100",
        "example.com/b": "4",
        "example.com/a": "2",
        pods: "110",
      },
    });
    const p = makePod({
      requests: {
        cpu: "1",
        "example.com/b": "1",
        "example.com/a": "1",
        "example.com/c": "1",
        "ephemeral-storage": "10",
      },
    });
    const info = new Snapshot([node]).get("x") as NodeInfo;
    expect(classicDimensions(podRequests(p), info).map((d) => [d.name, d.alloc, d.req])).toEqual([
      ["cpu", 2000, 1000],
      ["memory", 1000, 0],
      ["ephemeral-storage", 100, 10],
      ["example.com/a", 2, 1],
      ["example.com/b", 4, 1],
    ]);
    // No ephemeral-storage request → no such dimension.
    expect(classicDimensions(podRequests(pod), info).map((d) => d.name)).toEqual(["cpu", "memory"]);
  });
});
