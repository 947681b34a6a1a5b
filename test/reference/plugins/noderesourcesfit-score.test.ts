/**
 * NodeResourcesFit scoring — upstream TestLeastAllocatedScoringStrategy,
 * TestMostAllocatedScoringStrategy, TestRequestedToCapacityRatioScoringStrategy,
 * TestBrokenLinearFunction, TestResourceBinPackingSingleExtended (semantics §4.2–§4.5).
 * Quantities as upstream wrote them (`cpu: "4000"` is 4000 cores). The strategy tables, the
 * single-extended bin-packing table and the rounding row run on both engines
 * (test/reference/engines.ts). Reference only: "args and errors" (the reference plugin's
 * Score Error on empty resources and its args validation — the core takes validated profiles)
 * and TestBrokenLinearFunction (a reference-internal helper).
 */
import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import type { ScorePlugin } from "../../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import { newNodeResourcesFit } from "../../../src/reference/plugins/noderesourcesfit/index.ts";
import { brokenLinearFunction } from "../../../src/reference/plugins/noderesourcesfit/requested-to-capacity-ratio.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectScores } from "../engines.ts";
import { handleOf, scoresOf } from "../support.ts";

const XR = "abc.com/xyz";
const defaultResources = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];
const extendedResourceSet = [...defaultResources, { name: XR, weight: 1 }];

type Req = Record<string, string>;
/** `st.MakePod().Req(a).Req(b)…`: one container per request map; no Req = no containers. */
const podReq = (...reqs: Req[]) => makePod({ containers: reqs.map((requests) => ({ requests })) });
const onNode = (nodeName: string, ...reqs: Req[]) =>
  makePod({
    name: `p-${Math.random()}`,
    nodeName,
    containers: reqs.map((requests) => ({ requests })),
  });
const node = (name: string, allocatable: Req = {}) => makeNode({ name, allocatable });

type Row = [
  name: string,
  pod: Pod,
  nodes: Node[],
  existing: Pod[],
  resources: { name: string; weight: number }[],
  want: [string, number][],
];

function strategy(type: string, resources: { name: string; weight: number }[]) {
  return { scoringStrategy: { type, resources } };
}

const least: Row[] = [
  [
    "nothing scheduled, nothing requested",
    podReq(),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "4000", memory: "10000" }),
    ],
    [],
    defaultResources,
    [
      ["node1", 100],
      ["node2", 100],
    ],
  ],
  [
    "nothing scheduled, resources requested, differently sized nodes",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000" }),
    ],
    [],
    defaultResources,
    [
      ["node1", 37],
      ["node2", 50],
    ],
  ],
  [
    "no resources requested, pods scheduled",
    podReq(),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "4000", memory: "10000" }),
    ],
    [onNode("node1"), onNode("node1"), onNode("node2"), onNode("node2")],
    defaultResources,
    [
      ["node1", 100],
      ["node2", 100],
    ],
  ],
  [
    "no resources requested, pods scheduled with resources",
    podReq(),
    [
      node("node1", { cpu: "10000", memory: "20000" }),
      node("node2", { cpu: "10000", memory: "20000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 70],
      ["node2", 57],
    ],
  ],
  [
    "resources requested, pods scheduled with resources",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "10000", memory: "20000" }),
      node("node2", { cpu: "10000", memory: "20000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 57],
      ["node2", 45],
    ],
  ],
  [
    "resources requested, pods scheduled with resources, differently sized nodes",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "10000", memory: "20000" }),
      node("node2", { cpu: "10000", memory: "50000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 57],
      ["node2", 60],
    ],
  ],
  [
    "requested resources exceed node capacity",
    podReq({ cpu: "3000", memory: "0" }),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "4000", memory: "10000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 50],
      ["node2", 25],
    ],
  ],
  [
    "zero node resources, pods scheduled with resources",
    podReq(),
    [node("node1"), node("node2")],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 0],
      ["node2", 0],
    ],
  ],
  [
    "nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000" }),
    ],
    [],
    [
      { name: "memory", weight: 2 },
      { name: "cpu", weight: 1 },
    ],
    [
      ["node1", 41],
      ["node2", 50],
    ],
  ],
  [
    "bypass extended resource if the pod does not request",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "6000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "4" }),
    ],
    [],
    extendedResourceSet,
    [
      ["node1", 50],
      ["node2", 50],
    ],
  ],
  [
    "honor extended resource if the pod requests",
    podReq({ cpu: "3000", memory: "5000", [XR]: "2" }),
    [
      node("node1", { cpu: "6000", memory: "10000", [XR]: "4" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "10" }),
    ],
    [],
    extendedResourceSet,
    [
      ["node1", 50],
      ["node2", 60],
    ],
  ],
  [
    "if the node doesn't have a resource",
    podReq({ cpu: "3000", memory: "4000" }),
    [
      node("node1", { cpu: "6000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "4" }),
    ],
    [],
    [
      { name: XR, weight: 2 },
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ],
    [
      ["node1", 55],
      ["node2", 55],
    ],
  ],
];

const most: Row[] = [
  [
    "nothing scheduled, nothing requested",
    podReq(),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "4000", memory: "10000" }),
    ],
    [],
    defaultResources,
    [
      ["node1", 0],
      ["node2", 0],
    ],
  ],
  [
    "nothing scheduled, resources requested, differently sized nodes",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000" }),
    ],
    [],
    defaultResources,
    [
      ["node1", 62],
      ["node2", 50],
    ],
  ],
  [
    "no resources requested, pods scheduled with resources",
    podReq(),
    [
      node("node1", { cpu: "10000", memory: "20000" }),
      node("node2", { cpu: "10000", memory: "20000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 30],
      ["node2", 42],
    ],
  ],
  [
    "resources requested, pods scheduled with resources",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "10000", memory: "20000" }),
      node("node2", { cpu: "10000", memory: "20000" }),
    ],
    [
      onNode("node1", { cpu: "3000", memory: "0" }),
      onNode("node2", { cpu: "3000", memory: "5000" }),
    ],
    defaultResources,
    [
      ["node1", 42],
      ["node2", 55],
    ],
  ],
  [
    "resources requested equal node capacity",
    podReq({ cpu: "2000", memory: "4000" }, { cpu: "3000", memory: "5000" }),
    [
      node("node1", { cpu: "5000", memory: "10000" }),
      node("node2", { cpu: "10000", memory: "9000" }),
    ],
    [],
    defaultResources,
    [
      ["node1", 95],
      ["node2", 75],
    ],
  ],
  [
    "nothing scheduled, resources requested, differently sized nodes (weights)",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "4000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000" }),
    ],
    [],
    [
      { name: "memory", weight: 2 },
      { name: "cpu", weight: 1 },
    ],
    [
      ["node1", 58],
      ["node2", 50],
    ],
  ],
  [
    "no resources requested, pods scheduled, nonzero request for resource",
    makePod({ containers: [{}] }),
    [
      node("node1", { cpu: "250m", memory: "1000Mi" }),
      node("node2", { cpu: "250m", memory: "1000Mi" }),
    ],
    [makePod({ name: "e1", nodeName: "node1" }), makePod({ name: "e2", nodeName: "node1" })],
    defaultResources,
    [
      ["node1", 80],
      ["node2", 30],
    ],
  ],
  [
    "bypass extended resource if the pod does not request",
    podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
    [
      node("node1", { cpu: "6000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "4" }),
    ],
    [],
    extendedResourceSet,
    [
      ["node1", 50],
      ["node2", 50],
    ],
  ],
  [
    "honor extended resource if the pod request",
    podReq({ cpu: "3000", memory: "5000", [XR]: "2" }),
    [
      node("node1", { cpu: "6000", memory: "10000", [XR]: "4" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "10" }),
    ],
    [],
    extendedResourceSet,
    [
      ["node1", 50],
      ["node2", 40],
    ],
  ],
  [
    "if the node doesn't have a resource",
    podReq({ cpu: "3000", memory: "4000" }),
    [
      node("node1", { cpu: "6000", memory: "10000" }),
      node("node2", { cpu: "6000", memory: "10000", [XR]: "4" }),
    ],
    [],
    [
      { name: XR, weight: 2 },
      { name: "cpu", weight: 1 },
      { name: "memory", weight: 1 },
    ],
    [
      ["node1", 45],
      ["node2", 45],
    ],
  ],
];

const fit = "NodeResourcesFit" as const;

describe.each(ENGINES)(
  "NodeResourcesFit LeastAllocated: TestLeastAllocatedScoringStrategy [%s]",
  (engine) => {
    it.each(least)("%s", async (_n, pod, nodes, existing, resources, want) => {
      const args = strategy("LeastAllocated", resources);
      await expectScores(engine, { plugin: fit, args, pod, nodes, existing }, scoresOf(...want));
    });
  },
);

describe.each(ENGINES)(
  "NodeResourcesFit MostAllocated: TestMostAllocatedScoringStrategy [%s]",
  (engine) => {
    it.each(most)("%s", async (_n, pod, nodes, existing, resources, want) => {
      const args = strategy("MostAllocated", resources);
      await expectScores(engine, { plugin: fit, args, pod, nodes, existing }, scoresOf(...want));
    });
  },
);

describe("NodeResourcesFit scoring: args and errors (reference only)", () => {
  it.each(["LeastAllocated", "MostAllocated"])(
    "%s: resources not set → Score returns Error",
    (type) => {
      const nodes = [node("node1", { cpu: "4000", memory: "10000" })];
      const snapshot = new Snapshot(nodes);
      const plugin = newNodeResourcesFit(strategy(type, []), handleOf(snapshot)) as ScorePlugin;
      const s = plugin.score(
        new CycleState(),
        podReq({ cpu: "1000" }),
        snapshot.get("node1") as NodeInfo,
      );
      expect(s).toMatchObject({ code: "Error", reasons: ["resources not found"] });
    },
  );

  it.each([
    [
      "resource with negative weight",
      [
        { name: "memory", weight: -1 },
        { name: "cpu", weight: 1 },
      ],
      "scoringStrategy.resources[0].weight",
    ],
    [
      "resource with zero weight",
      [
        { name: "memory", weight: 1 },
        { name: "cpu", weight: 0 },
      ],
      "scoringStrategy.resources[1].weight",
    ],
    [
      "resource weight larger than MaxNodeScore",
      [
        { name: "memory", weight: 1 },
        { name: "cpu", weight: 101 },
      ],
      "scoringStrategy.resources[1].weight",
    ],
  ])("%s is rejected", (_n, resources, field) => {
    expect(() =>
      newNodeResourcesFit(strategy("LeastAllocated", resources), {
        snapshot: () => new Snapshot([]),
      }),
    ).toThrow(field);
  });
});

const shape = [
  { utilization: 0, score: 10 },
  { utilization: 100, score: 0 },
];
const rtcr = (resources: { name: string; weight: number }[], s = shape) => ({
  scoringStrategy: {
    type: "RequestedToCapacityRatio",
    resources,
    requestedToCapacityRatio: { shape: s },
  },
});

describe.each(ENGINES)(
  "NodeResourcesFit RequestedToCapacityRatio: TestRequestedToCapacityRatioScoringStrategy [%s]",
  (engine) => {
    const rows: Row[] = [
      [
        "nothing scheduled, nothing requested (default - least requested nodes have priority)",
        podReq(),
        [
          node("node1", { cpu: "4000", memory: "10000" }),
          node("node2", { cpu: "4000", memory: "10000" }),
        ],
        [onNode("node1"), onNode("node1")],
        defaultResources,
        [
          ["node1", 100],
          ["node2", 100],
        ],
      ],
      [
        "nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)",
        podReq({ cpu: "1000", memory: "2000" }, { cpu: "2000", memory: "3000" }),
        [
          node("node1", { cpu: "4000", memory: "10000" }),
          node("node2", { cpu: "6000", memory: "10000" }),
        ],
        [onNode("node1"), onNode("node1")],
        defaultResources,
        [
          ["node1", 38],
          ["node2", 50],
        ],
      ],
      [
        "no resources requested, pods scheduled with resources (default - least requested nodes have priority)",
        podReq(),
        [
          node("node1", { cpu: "4000", memory: "10000" }),
          node("node2", { cpu: "6000", memory: "10000" }),
        ],
        [
          onNode("node1", { cpu: "3000", memory: "5000" }),
          onNode("node2", { cpu: "3000", memory: "5000" }),
        ],
        defaultResources,
        [
          ["node1", 38],
          ["node2", 50],
        ],
      ],
    ];
    it.each(rows)("%s", async (_n, pod, nodes, existing, resources, want) => {
      const args = rtcr(resources);
      await expectScores(engine, { plugin: fit, args, pod, nodes, existing }, scoresOf(...want));
    });
  },
);

describe("TestBrokenLinearFunction (reference only: a reference-internal helper)", () => {
  const cases: [{ utilization: number; score: number }[], [number, number][]][] = [
    [
      [
        { utilization: 10, score: 1 },
        { utilization: 90, score: 9 },
      ],
      [
        [-10, 1],
        [0, 1],
        [9, 1],
        [10, 1],
        [15, 1],
        [19, 1],
        [20, 2],
        [89, 8],
        [90, 9],
        [99, 9],
        [100, 9],
        [110, 9],
      ],
    ],
    [
      [
        { utilization: 0, score: 2 },
        { utilization: 40, score: 10 },
        { utilization: 100, score: 0 },
      ],
      [
        [-10, 2],
        [0, 2],
        [20, 6],
        [30, 8],
        [40, 10],
        [70, 5],
        [100, 0],
        [110, 0],
      ],
    ],
    [
      [
        { utilization: 0, score: 2 },
        { utilization: 40, score: 2 },
        { utilization: 100, score: 2 },
      ],
      [
        [-10, 2],
        [0, 2],
        [20, 2],
        [30, 2],
        [40, 2],
        [70, 2],
        [100, 2],
        [110, 2],
      ],
    ],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))("case_%i", (_i, points, assertions) => {
    const f = brokenLinearFunction(points);
    for (const [p, expected] of assertions) expect(f(p)).toBe(expected);
  });

  it("negative slopes truncate toward zero", () => {
    // 100 + (0 − 100) × 33 / 100 = 100 − 33 (not −34 as floor division would give)
    expect(
      brokenLinearFunction([
        { utilization: 0, score: 100 },
        { utilization: 100, score: 0 },
      ])(33),
    ).toBe(67);
  });
});

describe.each(ENGINES)("TestResourceBinPackingSingleExtended [%s]", (engine) => {
  const GI = 10000 * 1024 * 1024;
  const extNode = (name: string, foo: string) =>
    makeNode({ name, allocatable: { cpu: "4", memory: `${GI}`, "intel.com/foo": foo } });
  const args = rtcr(
    [{ name: "intel.com/foo", weight: 1 }],
    [
      { utilization: 0, score: 0 },
      { utilization: 100, score: 1 },
    ],
  );
  const nodes = [extNode("node1", "8"), extNode("node2", "4")];
  it.each([
    [
      "nothing scheduled, nothing requested",
      podReq(),
      [] as Pod[],
      [
        ["node1", 0],
        ["node2", 0],
      ],
    ],
    [
      "resources requested, pods scheduled with less resources",
      podReq({ "intel.com/foo": "2" }),
      [podReq()],
      [
        ["node1", 2],
        ["node2", 5],
      ],
    ],
    [
      "resources requested, pods scheduled with resources, on node with existing pod running",
      podReq({ "intel.com/foo": "2" }),
      [onNode("node2", { "intel.com/foo": "2" })],
      [
        ["node1", 2],
        ["node2", 10],
      ],
    ],
    [
      "resources requested, pods scheduled with more resources",
      podReq({ "intel.com/foo": "4" }),
      [podReq()],
      [
        ["node1", 5],
        ["node2", 10],
      ],
    ],
  ] as [string, Pod, Pod[], [string, number][]][])("%s", async (_n, pod, existing, want) => {
    await expectScores(engine, { plugin: fit, args, pod, nodes, existing }, scoresOf(...want));
  });

  it("rounds the weighted average half away from zero (§4.5)", async () => {
    // cpu 75 % → 25, memory 50 % → 50: (25 + 50) / 2 = 37.5 → 38 (row 2 above relies on it too).
    const pod = podReq({ cpu: "3", memory: "5" });
    const n = [node("n", { cpu: "4", memory: "10" })];
    await expectScores(
      engine,
      { plugin: fit, args: rtcr(defaultResources), pod, nodes: n },
      scoresOf(["n", 38]),
    );
  });
});
