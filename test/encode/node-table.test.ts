import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { Interner } from "../../src/encode/intern.ts";
import {
  NODE_FLAG_PADDING,
  NODE_FLAG_UNSCHEDULABLE,
  NodeTable,
  TAINT_EFFECT,
  zoneRoundRobinOrder,
} from "../../src/encode/node-table.ts";
import type { Resources } from "../../src/model/requests.ts";
import { podNonZeroRequests, podRequests } from "../../src/model/requests.ts";
import type { Node } from "../../src/model/types.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const Gi = 1024 ** 3;

function res(
  milliCPU: number,
  memory: number,
  ephemeralStorage = 0,
  scalar: Record<string, number> = {},
): Resources {
  return { milliCPU, memory, ephemeralStorage, scalar: new Map(Object.entries(scalar)) };
}

function cluster(): Node[] {
  return [
    makeNode({
      name: "n0",
      zone: "a",
      allocatable: {
        cpu: "4",
        memory: "16Gi",
        "ephemeral-storage": "100Gi",
        pods: "110",
        "nvidia.com/gpu": "2",
      },
      taints: [
        { key: "dedicated", value: "gpu", effect: "NoSchedule" },
        { key: "spot", value: "", effect: "PreferNoSchedule" },
      ],
      images: [
        { names: ["nginx:1.25", "docker.io/library/nginx:1.25"], sizeBytes: 100 },
        { names: ["nginx:1.25"], sizeBytes: 999 },
      ],
    }),
    makeNode({
      name: "n1",
      zone: "b",
      allocatable: { cpu: "2500m", memory: "8Gi", pods: "10" },
      unschedulable: true,
    }),
    makeNode({
      name: "n2",
      labels: { tier: "db" },
      allocatable: {
        cpu: "8",
        memory: "32Gi",
        pods: "110",
        "hugepages-2Mi": "1Gi",
        "nvidia.com/gpu": "4",
      },
      taints: [{ key: "db", value: "true", effect: "NoExecute" }],
      images: [
        { names: ["nginx:1.25"], sizeBytes: 200 },
        { names: ["redis:7"], sizeBytes: 50 },
      ],
    }),
    makeNode({ name: "n3" }),
    makeNode({ name: "n4", images: [{ names: ["redis:7"], sizeBytes: 60 }] }),
  ];
}

describe("NodeTable.build", () => {
  const interner = new Interner();
  const nodes = cluster();
  const t = NodeTable.build(nodes, { interner });

  it("pads to a multiple of 4 with nodes that never fit", () => {
    expect(t.count).toBe(5);
    expect(t.capacity).toBe(8);
    expect(t.allowedPods).toHaveLength(8);
    expect([...t.allowedPods]).toEqual([110, 10, 110, 110, 110, 0, 0, 0]);
    expect([...t.flags]).toEqual([
      0,
      NODE_FLAG_UNSCHEDULABLE,
      0,
      0,
      0,
      NODE_FLAG_PADDING,
      NODE_FLAG_PADDING,
      NODE_FLAG_PADDING,
    ]);
    expect([...t.allocMilliCPU.subarray(5)]).toEqual([0, 0, 0]);
  });

  it("fills allocatable columns in canonical units", () => {
    expect([...t.allocMilliCPU]).toEqual([4000, 2500, 8000, 4000, 4000, 0, 0, 0]);
    expect([...t.allocMemory.subarray(0, 5)]).toEqual([16 * Gi, 8 * Gi, 32 * Gi, 16 * Gi, 16 * Gi]);
    expect([...t.allocEphemeralStorage.subarray(0, 5)]).toEqual([
      100 * Gi,
      0,
      0,
      100 * Gi,
      100 * Gi,
    ]);
    expect([...t.reqMilliCPU, ...t.podCount, ...t.reqMemory]).toEqual(new Array(24).fill(0));
  });

  it("has one allocatable and one requested column per scalar resource", () => {
    expect(t.scalarNames).toEqual(["nvidia.com/gpu", "hugepages-2Mi"]);
    expect([...t.scalarNameIds].map((id) => interner.str(id))).toEqual(t.scalarNames);
    expect(t.scalarIndex("hugepages-2Mi")).toBe(1);
    expect(t.scalarIndex("example.com/none")).toBe(-1);
    expect([...t.allocScalar[0]!]).toEqual([2, 0, 4, 0, 0, 0, 0, 0]);
    expect([...t.allocScalar[1]!]).toEqual([0, 0, Gi, 0, 0, 0, 0, 0]);
    expect(t.reqScalar).toHaveLength(2);
  });

  it("aligns every column to 16 bytes", () => {
    const offsets = t.offsets();
    expect(Object.keys(offsets)).toContain("allocScalar[nvidia.com/gpu]");
    for (const off of Object.values(offsets)) expect(off % 16).toBe(0);
    expect(t.scalarOffsets().alloc).toEqual([
      offsets["allocScalar[nvidia.com/gpu]"],
      offsets["allocScalar[hugepages-2Mi]"],
    ]);
    expect(t.allocMemory.byteOffset).toBe(offsets["allocMemory"]);
  });

  it("encodes labels as CSR sorted by key id", () => {
    expect(t.labelOffsets).toHaveLength(9);
    for (let i = 0; i < t.capacity; i++) {
      const from = t.labelOffsets[i]!;
      const to = t.labelOffsets[i + 1]!;
      const keys = [...t.labelKeys.subarray(from, to)];
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
      const decoded = Object.fromEntries(
        keys.map((k, j) => [interner.str(k), interner.str(t.labelValues[from + j]!)]),
      );
      expect(decoded).toEqual(i < t.count ? nodes[i]!.metadata.labels : {});
    }
    expect(t.labelOffsets[8]).toBe(t.labelKeys.length);
  });

  it("encodes taints as CSR in node order", () => {
    expect([...t.taintOffsets]).toEqual([0, 2, 2, 3, 3, 3, 3, 3, 3]);
    expect([...t.taintKeys].map((id) => interner.str(id))).toEqual(["dedicated", "spot", "db"]);
    expect([...t.taintValues].map((id) => interner.str(id))).toEqual(["gpu", "", "true"]);
    expect([...t.taintEffects]).toEqual([
      TAINT_EFFECT.NoSchedule,
      TAINT_EFFECT.PreferNoSchedule,
      TAINT_EFFECT.NoExecute,
    ]);
  });

  it("encodes images like the scheduler's image state cache", () => {
    const rows: Record<string, [number, number]>[] = [];
    for (let i = 0; i < t.count; i++) {
      const row: Record<string, [number, number]> = {};
      const from = t.imageOffsets[i]!;
      const to = t.imageOffsets[i + 1]!;
      const ids = [...t.imageIds.subarray(from, to)];
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (let e = from; e < to; e++)
        row[interner.str(t.imageIds[e]!)] = [t.imageSizes[e]!, t.imageNodeCounts[e]!];
      rows.push(row);
    }
    expect(rows).toEqual([
      // the first image carrying a name sets its size; a name is listed once per node
      { "nginx:1.25": [100, 2], "docker.io/library/nginx:1.25": [100, 1] },
      {},
      { "nginx:1.25": [100, 2], "redis:7": [50, 2] },
      {},
      { "redis:7": [50, 2] },
    ]);
    expect(t.imageOffsets[8]).toBe(t.imageIds.length);
  });

  it("finds nodes by name", () => {
    expect(t.indexOf("n2")).toBe(2);
    expect(t.indexOf("nope")).toBe(-1);
  });

  it("handles an empty cluster", () => {
    const e = NodeTable.build([], { interner: new Interner() });
    expect(e.capacity).toBe(0);
    expect([...e.labelOffsets]).toEqual([0]);
  });

  it("rejects allocatable cpu beyond i32 and unknown extra scalar names", () => {
    expect(() =>
      NodeTable.build([makeNode({ allocatable: { cpu: "3000000" } })], {
        interner: new Interner(),
      }),
    ).toThrow(/does not fit an i32 column/);
    expect(() =>
      NodeTable.build([], { interner: new Interner(), scalarResources: ["foo"] }),
    ).toThrow(/not a scalar/);
  });

  it("adds columns for extra scalar resources", () => {
    const x = NodeTable.build([makeNode()], {
      interner: new Interner(),
      scalarResources: ["example.com/foo"],
    });
    expect(x.scalarNames).toEqual(["example.com/foo"]);
    expect([...x.allocScalar[0]!]).toEqual([0, 0, 0, 0]);
  });
});

describe("NodeTable in WebAssembly memory", () => {
  it("lays out at the given base and grows the memory once", () => {
    const memory = new WebAssembly.Memory({ initial: 0 });
    const grow = vi.spyOn(memory, "grow");
    const nodes = Array.from({ length: 1000 }, (_, i) =>
      makeNode({ name: `n${i}`, zone: `z${i % 3}` }),
    );
    const t = NodeTable.build(nodes, { interner: new Interner(), memory, base: 1000 });
    expect(grow).toHaveBeenCalledTimes(1);
    expect(t.allocMilliCPU.buffer).toBe(memory.buffer);
    expect(t.allocMilliCPU.byteOffset).toBe(1008);
    expect(new Int32Array(memory.buffer, t.offsets()["allocMilliCPU"], 1)[0]).toBe(4000);
    expect(t.arena.end).toBeLessThanOrEqual(memory.buffer.byteLength);
    expect(t.arena.detached).toBe(false);
  });
});

describe("NodeTable.assume / forget", () => {
  it("accounts requests, non-zero requests, pod count and scalar columns", () => {
    const t = NodeTable.build(cluster(), { interner: new Interner() });
    const pod = makePod({
      requests: { cpu: "500m", "nvidia.com/gpu": "1", "example.com/none": "1" },
    });
    t.assume(2, podRequests(pod), podNonZeroRequests(pod));
    t.assume(2, podRequests(pod), podNonZeroRequests(pod));
    expect(t.reqMilliCPU[2]).toBe(1000);
    expect(t.reqMemory[2]).toBe(0);
    expect(t.nonZeroMilliCPU[2]).toBe(1000);
    expect(t.nonZeroMemory[2]).toBe(2 * 209715200);
    expect(t.podCount[2]).toBe(2);
    expect(t.reqScalar[0]![2]).toBe(2);
    t.forget(2, podRequests(pod), podNonZeroRequests(pod));
    expect(t.podCount[2]).toBe(1);
    expect(t.reqScalar[0]![2]).toBe(1);
    t.clearRequested();
    expect(t.podCount[2]).toBe(0);
    expect(t.reqScalar[0]![2]).toBe(0);
  });

  it("rejects bad indices, forgetting from an empty node and i32 overflow (leaving the table unchanged)", () => {
    const t = NodeTable.build(cluster(), { interner: new Interner() });
    const r = res(1, 1);
    expect(() => t.assume(5, r, r)).toThrow(RangeError); // a padding node
    expect(() => t.assume(-1, r, r)).toThrow(RangeError);
    expect(() => t.assume(1.5, r, r)).toThrow(RangeError);
    expect(() => t.forget(0, r, r)).toThrow(/has no pods/);
    t.assume(0, res(2_000_000_000, 5), res(1, 5));
    expect(() => t.assume(0, res(2_000_000_000, 5), res(1, 5))).toThrow(/i32/);
    expect(t.reqMilliCPU[0]).toBe(2_000_000_000);
    expect(t.reqMemory[0]).toBe(5);
    expect(t.podCount[0]).toBe(1);
    expect(() => t.assume(0, res(0, 2 ** 53), res(0, 0))).toThrow(/not exact/);
  });

  it("assume then forget (in any order) restores the table", () => {
    const resources = fc.record({
      node: fc.nat(4),
      cpu: fc.nat(64_000),
      mem: fc.nat(2 ** 40),
      eph: fc.nat(2 ** 40),
      gpu: fc.nat(8),
      hp: fc.nat(2 ** 30),
      nzCpu: fc.nat(64_000),
      nzMem: fc.nat(2 ** 40),
    });
    fc.assert(
      fc.property(
        fc.array(resources, { maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (ops, rnd) => {
          const t = NodeTable.build(cluster(), { interner: new Interner() });
          const before = snapshot(t);
          const applied = ops.map((o) => ({
            node: o.node,
            req: res(o.cpu, o.mem, o.eph, { "nvidia.com/gpu": o.gpu, "hugepages-2Mi": o.hp }),
            nz: { milliCPU: o.nzCpu, memory: o.nzMem },
          }));
          for (const a of applied) t.assume(a.node, a.req, a.nz);
          for (let i = 0; i < t.count; i++) {
            const mine = applied.filter((a) => a.node === i);
            expect(t.podCount[i]).toBe(mine.length);
            expect(t.reqMilliCPU[i]).toBe(mine.reduce((s, a) => s + a.req.milliCPU, 0));
            expect(t.nonZeroMemory[i]).toBe(mine.reduce((s, a) => s + a.nz.memory, 0));
          }
          const order = [...applied];
          const it = rnd[Symbol.iterator]();
          while (order.length > 0) {
            const [a] = order.splice((it.next().value as number) % order.length, 1);
            t.forget(a!.node, a!.req, a!.nz);
          }
          expect(snapshot(t)).toEqual(before);
        },
      ),
      { numRuns: 50 },
    );
  });
});

function snapshot(t: NodeTable): number[][] {
  return [
    t.reqMilliCPU,
    t.reqMemory,
    t.reqEphemeralStorage,
    t.nonZeroMilliCPU,
    t.nonZeroMemory,
    t.podCount,
    ...t.reqScalar,
  ].map((c) => [...c]);
}

describe("zoneRoundRobinOrder (§1.2)", () => {
  const names = (nodes: Node[]) => zoneRoundRobinOrder(nodes).map((i) => nodes[i]!.metadata.name);

  it("takes one node per zone in turn, zones in order of first appearance", () => {
    const nodes = [
      makeNode({ name: "a1", zone: "a" }),
      makeNode({ name: "a2", zone: "a" }),
      makeNode({ name: "b1", zone: "b" }),
      makeNode({ name: "c1", zone: "c" }),
      makeNode({ name: "a3", zone: "a" }),
      makeNode({ name: "c2", zone: "c" }),
    ];
    expect(names(nodes)).toEqual(["a1", "b1", "c1", "a2", "c2", "a3"]);
  });

  it("keeps input order without zone labels, and for an empty list", () => {
    expect(
      names([makeNode({ name: "x" }), makeNode({ name: "y" }), makeNode({ name: "z" })]),
    ).toEqual(["x", "y", "z"]);
    expect(zoneRoundRobinOrder([])).toEqual([]);
  });

  it("keys zones by region and zone; unlabelled nodes form their own zone", () => {
    const nodes = [
      makeNode({ name: "r1a-1", region: "r1", zone: "a" }),
      makeNode({ name: "r1a-2", region: "r1", zone: "a" }),
      makeNode({ name: "none-1" }),
      makeNode({ name: "r2a-1", region: "r2", zone: "a" }),
      makeNode({ name: "r1-only", region: "r1" }),
      makeNode({ name: "none-2" }),
    ];
    expect(names(nodes)).toEqual(["r1a-1", "none-1", "r2a-1", "r1-only", "r1a-2", "none-2"]);
  });

  it("prefers the deprecated failure-domain labels when present", () => {
    const nodes = [
      makeNode({
        name: "x1",
        zone: "a",
        labels: { "failure-domain.beta.kubernetes.io/zone": "b" },
      }),
      makeNode({ name: "x2", zone: "a" }),
      makeNode({ name: "x3", zone: "b" }),
    ];
    // x1 is in zone "b" (beta label wins), x3 is in "b" too: zones [b: x1, x3], [a: x2]
    expect(names(nodes)).toEqual(["x1", "x2", "x3"]);
  });

  it("is a permutation", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: undefined })),
        (zones) => {
          const nodes = zones.map((zone, i) =>
            makeNode({ name: `n${i}`, ...(zone === undefined ? {} : { zone }) }),
          );
          expect([...zoneRoundRobinOrder(nodes)].sort((x, y) => x - y)).toEqual(
            nodes.map((_, i) => i),
          );
        },
      ),
    );
  });
});
