/**
 * NodeResourcesBalancedAllocation — the rows of upstream TestNodeResourcesBalancedAllocation,
 * re-computed by hand with the v1.35 formula (semantics §4.5.1): std of the capped fractions,
 * `trunc((1 − std) × 100)`, best-effort pods Skip (v1.33+). Older upstream tables used
 * `100 − |Δ| × 100` and no Skip; the expected values here are the v1.35 ones. Every row runs on
 * both engines (test/reference/engines.ts).
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/model/types.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectScores } from "../engines.ts";
import { scoresOf } from "../support.ts";

const machine = (name: string, milliCPU: number, memory: number) =>
  makeNode({ name, allocatable: { cpu: `${milliCPU}m`, memory: `${memory}`, pods: "110" } });
const cpuOnly = (nodeName = "") =>
  makePod({
    name: `cpuOnly-${nodeName}-${Math.random()}`,
    nodeName,
    containers: [
      { requests: { cpu: "1000m", memory: "0" } },
      { requests: { cpu: "2000m", memory: "0" } },
    ],
  });
const cpuAndMemory = (nodeName = "") =>
  makePod({
    name: `cpuMem-${nodeName}-${Math.random()}`,
    nodeName,
    containers: [
      { requests: { cpu: "1000m", memory: "2000" } },
      { requests: { cpu: "2000m", memory: "3000" } },
    ],
  });
const noResources = makePod({ containers: [] });

const plugin = "NodeResourcesBalancedAllocation" as const;

describe.each(ENGINES)("NodeResourcesBalancedAllocation (v1.35) [%s]", (engine) => {
  it.each([
    // fractions node1 .75/.5 → std .125 → 87; node2 .5/.5 → 100
    [
      "nothing scheduled, resources requested, differently sized machines",
      cpuAndMemory(),
      [machine("machine1", 4000, 10000), machine("machine2", 6000, 10000)],
      [],
      [
        ["machine1", 87],
        ["machine2", 100],
      ],
    ],
    // node1 .6/.25 → std .175 → 82; node2 .6/.5 → .05 → 95
    [
      "resources requested, pods scheduled with resources",
      cpuAndMemory(),
      [machine("machine1", 10000, 20000), machine("machine2", 10000, 20000)],
      [cpuOnly("machine1"), cpuAndMemory("machine2")],
      [
        ["machine1", 82],
        ["machine2", 95],
      ],
    ],
    // node2 .6/.2 → std .2 → 80
    [
      "resources requested, pods scheduled with resources, differently sized machines",
      cpuAndMemory(),
      [machine("machine1", 10000, 20000), machine("machine2", 10000, 50000)],
      [cpuOnly("machine1"), cpuAndMemory("machine2")],
      [
        ["machine1", 82],
        ["machine2", 80],
      ],
    ],
    // cpu 6000/4000 capped at 1; node1 1/0 → .5 → 50; node2 1/.5 → .25 → 75
    [
      "requested resources exceed node capacity",
      cpuOnly(),
      [machine("machine1", 4000, 10000), machine("machine2", 4000, 10000)],
      [cpuOnly("machine1"), cpuAndMemory("machine2")],
      [
        ["machine1", 50],
        ["machine2", 75],
      ],
    ],
    // both resources have allocatable 0 → excluded → std 0 → 100
    [
      "zero node resources, pods scheduled with resources",
      cpuAndMemory(),
      [machine("machine1", 0, 0), machine("machine2", 0, 0)],
      [cpuOnly("machine1"), cpuAndMemory("machine2")],
      [
        ["machine1", 100],
        ["machine2", 100],
      ],
    ],
  ] as [string, Pod, ReturnType<typeof machine>[], Pod[], [string, number][]][])(
    "%s",
    async (_n, pod, nodes, existing, want) => {
      await expectScores(engine, { plugin, pod, nodes, existing }, scoresOf(...want));
    },
  );

  it.each([
    ["nothing scheduled, nothing requested", [] as Pod[]],
    ["no resources requested, pods scheduled", [cpuOnly("machine1"), cpuAndMemory("machine2")]],
  ])("best-effort pod: PreScore returns Skip (%s)", async (_n, existing) => {
    const nodes = [machine("machine1", 4000, 10000), machine("machine2", 4000, 10000)];
    const run = await expectScores(engine, { plugin, pod: noResources, nodes, existing }, []);
    expect(run.preScore).toBe("Skip");
  });

  it("more than two resources use the population standard deviation", async () => {
    const args = {
      resources: [
        { name: "cpu", weight: 1 },
        { name: "memory", weight: 1 },
        { name: "example.com/gpu", weight: 1 },
      ],
    };
    const node = makeNode({
      name: "n",
      allocatable: { cpu: "4", memory: "4Gi", "example.com/gpu": "4" },
    });
    const pod = makePod({ requests: { cpu: "1", memory: "1Gi", "example.com/gpu": "2" } });
    // fractions .25, .25, .5 → mean 1/3 → variance 1/72 → std 0.1179 → 88
    await expectScores(engine, { plugin, args, pod, nodes: [node] }, scoresOf(["n", 88]));
  });

  it("v1.36 formula scores the change of balance (§4.5.2)", async () => {
    const nodes = [machine("machine1", 4000, 10000), machine("machine2", 6000, 10000)];
    // node1: B_with 87, B_without 100 → 50 + (50 + 87 − 100) / 2 = 68; node2: 100 vs 100 → 75
    await expectScores(
      engine,
      { plugin, args: { formula: "v1.36" }, pod: cpuAndMemory(), nodes },
      scoresOf(["machine1", 68], ["machine2", 75]),
    );
  });
});
