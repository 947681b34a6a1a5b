/**
 * The reference framework: sampling (semantics §1.2), the cycle flow (§1.1), selectHost (§1.3),
 * the registry, profiles and explain mode.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import { EXTENSION_POINTS } from "../../src/config/names.ts";
import type { PluginRef, Profile } from "../../src/config/types.ts";
import type { Pod } from "../../src/model/types.ts";
import {
  defaultRegistry,
  explain,
  type FilterPlugin,
  IMPLEMENTED_PLUGINS,
  newFramework,
  newSchedulerState,
  newStatus,
  numFeasibleNodesToFind,
  Pcg32,
  type PreFilterPlugin,
  Registry,
  type ScorePlugin,
  Snapshot,
  SUCCESS,
  scheduleOne,
  selectHost,
  unimplementedPlugins,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

type Points = Partial<Record<"preFilter" | "filter" | "preScore" | "score", PluginRef[]>>;

function profile(
  points: Points,
  pluginConfig = new Map(),
  percentageOfNodesToScore?: number,
): Profile {
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, []])) as unknown as Record<
    string,
    PluginRef[]
  >;
  Object.assign(plugins, points);
  return {
    schedulerName: "test-scheduler",
    ...(percentageOfNodesToScore === undefined ? {} : { percentageOfNodesToScore }),
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig,
  };
}
const ref = (name: string, weight = 0): PluginRef => ({ name, weight });
const nodes = (n: number) => Array.from({ length: n }, (_, i) => makeNode({ name: `n${i}` }));

/** A filter plugin that records the nodes it saw and rejects those in `reject`. */
function recordingFilter(
  name: string,
  seen: string[],
  reject: ReadonlySet<string> = new Set(),
): FilterPlugin {
  return {
    name,
    filter: (_s, _p, info) => {
      seen.push(info.name);
      return reject.has(info.name) ? newStatus("Unschedulable", `${name} rejects`) : SUCCESS;
    },
  };
}

function registryWith(plugins: Record<string, unknown>): Registry {
  const r = new Registry();
  for (const [name, p] of Object.entries(plugins)) r.register(name, () => p as FilterPlugin);
  return r;
}

describe("numFeasibleNodesToFind (§1.2)", () => {
  it.each([
    [50, 50],
    [100, 100],
    [500, 230],
    [1000, 420],
    [5000, 500],
    [6000, 300],
  ])("adaptive: %i nodes → %i", (n, want) => {
    expect(numFeasibleNodesToFind(undefined, 0, n)).toBe(want);
  });

  it("profile percentage overrides the global one; 0 is adaptive; floor 100", () => {
    expect(numFeasibleNodesToFind(30, 0, 1000)).toBe(300);
    expect(numFeasibleNodesToFind(undefined, 20, 1000)).toBe(200);
    expect(numFeasibleNodesToFind(0, 20, 1000)).toBe(420);
    expect(numFeasibleNodesToFind(5, 0, 1000)).toBe(100);
    expect(numFeasibleNodesToFind(100, 0, 1000)).toBe(1000);
  });
});

describe("Registry", () => {
  it("refuses duplicate registration and unknown unregistration", () => {
    const r = defaultRegistry();
    expect(r.names()).toEqual([...IMPLEMENTED_PLUGINS]);
    expect(() => r.register("NodeName", () => ({ name: "NodeName" }))).toThrow(
      "a plugin named NodeName already exists",
    );
    expect(() => r.unregister("DynamicResources")).toThrow(
      "no plugin named DynamicResources exists",
    );
    expect(() => r.merge(defaultRegistry())).toThrow("already exists");
  });
});

describe("profiles", () => {
  it("lists the default profile's unimplemented plugins and runs the rest", () => {
    const p = defaultSchedulerConfig().profiles[0] as Profile;
    const registry = defaultRegistry();
    const missing = unimplementedPlugins(p, registry).map((u) => u.name);
    expect(missing).toEqual(expect.arrayContaining(["DynamicResources"]));
    for (const name of IMPLEMENTED_PLUGINS) expect(missing).not.toContain(name);
    expect(
      unimplementedPlugins(p, registry).find((u) => u.name === "DynamicResources")?.extensionPoints,
    ).toEqual(["preEnqueue", "preFilter", "filter", "postFilter", "score", "reserve", "preBind"]);

    const fwk = newFramework(withImplementedPlugins(p, registry), registry);
    expect(fwk.filterPlugins.map((f) => f.name)).toEqual([
      "NodeUnschedulable",
      "NodeName",
      "TaintToleration",
      "NodeAffinity",
      "NodePorts",
      "NodeResourcesFit",
      "GpuShare",
      "VolumeRestrictions",
      "NodeVolumeLimits",
      "VolumeBinding",
      "VolumeZone",
      "PodTopologySpread",
      "InterPodAffinity",
    ]);
    expect(fwk.reservePlugins.map((r) => r.name)).toEqual(["GpuShare", "VolumeBinding"]);
    expect(fwk.scorePlugins.map((s) => [s.plugin.name, s.weight])).toEqual([
      ["TaintToleration", 3],
      ["NodeAffinity", 2],
      ["NodeResourcesFit", 1],
      ["VolumeBinding", 1],
      ["PodTopologySpread", 2],
      ["InterPodAffinity", 2],
      ["NodeResourcesBalancedAllocation", 1],
      ["ImageLocality", 1],
    ]);
    expect(fwk.postFilterPlugins.map((f) => f.name)).toEqual(["DefaultPreemption"]);
    expect(() => newFramework(p, registry)).toThrow("is not implemented");
  });

  it("a score weight of 0 counts as 1", () => {
    const scorer: ScorePlugin = { name: "S", score: () => 7 };
    const fwk = newFramework(profile({ score: [ref("S", 0)] }), registryWith({ S: scorer }));
    expect(fwk.scorePlugins[0]?.weight).toBe(1);
  });
});

describe("scheduleOne: sampling and the rotating start index (§1.2)", () => {
  it("looks for numFeasibleNodesToFind nodes starting at nextStartNodeIndex, then advances it", () => {
    const seen: string[] = [];
    const fwk = newFramework(
      profile({ filter: [ref("F")] }),
      registryWith({ F: recordingFilter("F", seen) }),
    );
    const snapshot = new Snapshot(nodes(200));
    const state = newSchedulerState();
    const first = scheduleOne(makePod({ name: "a" }), snapshot, fwk, state);
    expect(first).toMatchObject({ kind: "Scheduled", feasibleNodes: 100, evaluatedNodes: 100 });
    expect(seen.slice(0, 2)).toEqual(["n0", "n1"]);
    expect(seen.length).toBe(100);
    expect(state.nextStartNodeIndex).toBe(100);
    seen.length = 0;
    scheduleOne(makePod({ name: "b" }), snapshot, fwk, state);
    expect(seen[0]).toBe("n100");
    expect(state.nextStartNodeIndex).toBe(0);
  });

  it("counts rejected nodes as processed", () => {
    const seen: string[] = [];
    const reject = new Set(["n0", "n1", "n2"]);
    const fwk = newFramework(
      profile({ filter: [ref("F")] }),
      registryWith({ F: recordingFilter("F", seen, reject) }),
    );
    const state = newSchedulerState();
    const result = scheduleOne(makePod(), new Snapshot(nodes(150)), fwk, state);
    expect(result).toMatchObject({ kind: "Scheduled", feasibleNodes: 100, evaluatedNodes: 103 });
    expect(state.nextStartNodeIndex).toBe(103);
  });

  it("uses the profile's percentageOfNodesToScore", () => {
    const seen: string[] = [];
    const fwk = newFramework(
      profile({ filter: [ref("F")] }, new Map(), 60),
      registryWith({ F: recordingFilter("F", seen) }),
    );
    const result = scheduleOne(makePod(), new Snapshot(nodes(200)), fwk, newSchedulerState());
    expect(result).toMatchObject({ feasibleNodes: 120 });
  });

  it("without filter plugins takes the first nodes in rotated order and does not advance", () => {
    const fwk = newFramework(profile({}), new Registry());
    const state = newSchedulerState();
    state.nextStartNodeIndex = 7;
    const r = scheduleOne(makePod(), new Snapshot(nodes(150)), fwk, state);
    expect(r).toMatchObject({ kind: "Scheduled", feasibleNodes: 100 });
    expect(state.nextStartNodeIndex).toBe(7);
  });

  it("stops Filter at the first failing plugin", () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    const fwk = newFramework(
      profile({ filter: [ref("A"), ref("B")] }),
      registryWith({
        A: recordingFilter("A", seenA, new Set(["n1"])),
        B: recordingFilter("B", seenB),
      }),
    );
    scheduleOne(makePod(), new Snapshot(nodes(3)), fwk, newSchedulerState());
    expect(seenA).toEqual(["n0", "n1", "n2"]);
    expect(seenB).toEqual(["n0", "n2"]);
  });
});

describe("scheduleOne: PreFilter (§1.1 step 2)", () => {
  const pf = (
    name: string,
    names: string[] | null,
    code: "Success" | "Skip" = "Success",
  ): PreFilterPlugin => ({
    name,
    preFilter: () => ({
      result: names ? { nodeNames: new Set(names) } : null,
      status: newStatus(code),
    }),
  });

  it("intersects PreFilterResults and reports excluded nodes", () => {
    const seen: string[] = [];
    const fwk = newFramework(
      profile({ preFilter: [ref("P1"), ref("P2")], filter: [ref("F")] }),
      registryWith({
        P1: pf("P1", ["n1", "n2"]),
        P2: pf("P2", ["n2", "n3"]),
        F: recordingFilter("F", seen),
      }),
    );
    const snapshot = new Snapshot(nodes(5));
    expect(scheduleOne(makePod({ name: "x" }), snapshot, fwk, newSchedulerState())).toMatchObject({
      kind: "Scheduled",
      node: "n2",
      evaluatedNodes: 1,
    });
    expect(seen).toEqual(["n2"]);
    const ex = explain(makePod({ name: "y" }), snapshot, fwk);
    expect(ex.nodes.find((n) => n.name === "n0")).toEqual({
      name: "n0",
      feasible: false,
      filter: {
        plugin: "",
        code: "UnschedulableAndUnresolvable",
        reasons: ["node(s) didn't satisfy plugin(s) [P1 P2]"],
      },
    });
  });

  it("an empty intersection rejects the pod", () => {
    const reg = registryWith({ P1: pf("P1", ["n1"]), P2: pf("P2", ["n2"]) });
    const two = newFramework(profile({ preFilter: [ref("P1"), ref("P2")] }), reg);
    const r = scheduleOne(makePod(), new Snapshot(nodes(3)), two, newSchedulerState());
    expect(r).toMatchObject({
      kind: "Unschedulable",
      message: "0/3 nodes are available: node(s) didn't satisfy plugin(s) [P1 P2] simultaneously.",
    });
    const one = newFramework(
      profile({ preFilter: [ref("P1")] }),
      registryWith({ P1: pf("P1", []) }),
    );
    expect(scheduleOne(makePod(), new Snapshot(nodes(3)), one, newSchedulerState())).toMatchObject({
      message: "0/3 nodes are available: node(s) didn't satisfy plugin P1.",
    });
  });

  it("Skip disables the plugin's Filter", () => {
    const seen: string[] = [];
    const plugin = { ...pf("P", null, "Skip"), ...recordingFilter("P", seen) };
    const fwk = newFramework(
      profile({ preFilter: [ref("P")], filter: [ref("P")] }),
      registryWith({ P: plugin }),
    );
    const ex = explain(makePod(), new Snapshot(nodes(2)), fwk);
    expect(seen).toEqual([]);
    expect(ex.skipped.preFilter).toEqual(["P"]);
  });

  it("NodeAffinity matchFields narrows the candidates to the named node", () => {
    const registry = defaultRegistry();
    const fwk = newFramework(
      profile({ preFilter: [ref("NodeAffinity")], filter: [ref("NodeAffinity")] }),
      registry,
    );
    const pod = makePod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [],
                matchFields: [{ key: "metadata.name", operator: "In", values: ["n3"] }],
              },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [],
        },
      },
    });
    const r = scheduleOne(pod, new Snapshot(nodes(5)), fwk, newSchedulerState());
    expect(r).toMatchObject({ kind: "Scheduled", node: "n3", evaluatedNodes: 1 });
  });
});

describe("scheduleOne: scoring and selectHost (§1.1 steps 6–12, §1.3)", () => {
  it("one feasible node skips PreScore/Score and draws nothing", () => {
    const throwing: ScorePlugin = {
      name: "S",
      score: () => {
        throw new Error("Score must not run");
      },
    };
    const fwk = newFramework(
      profile({ filter: [ref("F")], score: [ref("S", 1)] }),
      registryWith({ F: recordingFilter("F", [], new Set(["n0", "n2"])), S: throwing }),
    );
    const state = newSchedulerState({ seed: 9 });
    expect(scheduleOne(makePod(), new Snapshot(nodes(3)), fwk, state)).toMatchObject({
      kind: "Scheduled",
      node: "n1",
    });
    expect(state.rng.nextU32()).toBe(new Pcg32(9).nextU32());
  });

  it("picks the highest weighted total", () => {
    const s1: ScorePlugin = { name: "S1", score: (_s, _p, n) => (n.name === "n1" ? 10 : 50) };
    const s2: ScorePlugin = { name: "S2", score: (_s, _p, n) => (n.name === "n1" ? 40 : 0) };
    const fwk = newFramework(
      profile({ score: [ref("S1", 1), ref("S2", 2)] }),
      registryWith({ S1: s1, S2: s2 }),
    );
    // n0: 50; n1: 10 + 80 = 90
    expect(scheduleOne(makePod(), new Snapshot(nodes(2)), fwk, newSchedulerState())).toMatchObject({
      node: "n1",
    });
  });

  it("rejects scores outside [0, 100] after normalization", () => {
    const bad: ScorePlugin = { name: "Bad", score: () => 101 };
    const fwk = newFramework(profile({ score: [ref("Bad", 1)] }), registryWith({ Bad: bad }));
    const r = scheduleOne(makePod(), new Snapshot(nodes(2)), fwk, newSchedulerState());
    expect(r).toMatchObject({ kind: "Error" });
    expect(r.kind === "Error" && r.message).toContain(`plugin "Bad" returns an invalid score 101`);
  });

  it("breaks ties with the seeded generator: reproducible, and uniform over seeds", () => {
    const fwk = newFramework(profile({}), new Registry());
    const pick = (seed: number) => {
      const r = scheduleOne(makePod(), new Snapshot(nodes(4)), fwk, newSchedulerState({ seed }));
      return r.kind === "Scheduled" ? r.node : "";
    };
    expect(pick(42)).toBe(pick(42));
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 2000; seed++) {
      const node = pick(seed);
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["n0", "n1", "n2", "n3"]);
    for (const c of counts.values()) expect(Math.abs(c - 500)).toBeLessThan(100);
  });

  it("selectHost makes one draw nextBounded(K) for K ≥ 2 ties and picks that tie in list order", () => {
    const bounds: number[] = [];
    const rng = new Pcg32(3);
    const spy = Object.assign(Object.create(rng), {
      nextBounded: (k: number) => {
        bounds.push(k);
        return k - 2;
      },
    }) as Pcg32;
    const totals = [
      { name: "a", total: 5 },
      { name: "b", total: 9 },
      { name: "c", total: 9 },
      { name: "d", total: 1 },
      { name: "e", total: 9 },
      { name: "f", total: 9 },
    ];
    expect(selectHost(totals, spy)).toBe("e");
    expect(bounds).toEqual([4]);
    bounds.length = 0;
    expect(
      selectHost(
        [
          { name: "a", total: 1 },
          { name: "b", total: 2 },
        ],
        spy,
      ),
    ).toBe("b");
    expect(bounds).toEqual([]);
  });

  it("assumes the placed pod so the next pod sees it", () => {
    const registry = defaultRegistry();
    const fwk = newFramework(
      profile({ preFilter: [ref("NodeResourcesFit")], filter: [ref("NodeResourcesFit")] }),
      registry,
    );
    const small = (name: string) =>
      makeNode({ name, allocatable: { cpu: "1", memory: "1Gi", pods: "1" } });
    const snapshot = new Snapshot([small("a"), small("b")]);
    const state = newSchedulerState();
    const first = scheduleOne(makePod({ name: "p1" }), snapshot, fwk, state);
    const second = scheduleOne(makePod({ name: "p2" }), snapshot, fwk, state);
    expect(
      first.kind === "Scheduled" && second.kind === "Scheduled" && first.node !== second.node,
    ).toBe(true);
    const third = scheduleOne(makePod({ name: "p3" }), snapshot, fwk, state);
    expect(third).toMatchObject({
      kind: "Unschedulable",
      message: "0/2 nodes are available: 2 Too many pods.",
    });
    expect(snapshot.get("a")?.pods[0]?.spec.nodeName).toBe("a");
  });
});

describe("explain", () => {
  const registry = defaultRegistry();
  const config = defaultSchedulerConfig().profiles[0] as Profile;
  const fwk = newFramework(withImplementedPlugins(config, registry), registry);
  const clusterNodes = [
    makeNode({ name: "tainted", taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }),
    makeNode({ name: "big", allocatable: { cpu: "8", memory: "32Gi", pods: "110" } }),
    makeNode({ name: "small", allocatable: { cpu: "2", memory: "4Gi", pods: "110" } }),
  ];
  const pod: Pod = makePod({ name: "web", requests: { cpu: "1", memory: "1Gi" } });

  it("reports filter verdicts, per-plugin raw/normalized/weight scores, totals and the selection", () => {
    const ex = explain(pod, new Snapshot(clusterNodes), fwk);
    expect(ex.pod).toBe("default/web");
    expect(ex.profile).toBe("default-scheduler");
    expect(ex.skipped).toEqual({
      preFilter: [
        "NodeAffinity",
        "NodePorts",
        "VolumeRestrictions",
        "NodeVolumeLimits",
        "VolumeBinding",
        "VolumeZone",
        "PodTopologySpread",
        "InterPodAffinity",
      ],
      preScore: ["NodeAffinity", "VolumeBinding", "PodTopologySpread", "InterPodAffinity"],
    });
    expect(ex.nodes[0]).toEqual({
      name: "tainted",
      feasible: false,
      filter: {
        plugin: "TaintToleration",
        code: "UnschedulableAndUnresolvable",
        reasons: ["node(s) had untolerated taint {k: v}"],
      },
    });
    const big = ex.nodes[1];
    expect(big?.feasible).toBe(true);
    expect(Object.keys(big?.scores ?? {})).toEqual([
      "TaintToleration",
      "NodeResourcesFit",
      "NodeResourcesBalancedAllocation",
      "ImageLocality",
    ]);
    // LeastAllocated: cpu (8000−1000)/8000 → 87, memory (32−1)/32 → 96 → (87 + 96) / 2 = 91
    expect(big?.scores?.["NodeResourcesFit"]).toEqual({ raw: 91, normalized: 91, weight: 1 });
    expect(big?.scores?.["TaintToleration"]).toEqual({ raw: 0, normalized: 100, weight: 3 });
    const total = Object.values(big?.scores ?? {}).reduce((s, x) => s + x.normalized * x.weight, 0);
    expect(big?.total).toBe(total);
    expect(ex.selected).toBe("big");
    expect(JSON.parse(JSON.stringify(ex))).toEqual(ex);
  });

  it("candidates restricts scoring as if the other nodes failed Filter", () => {
    const ex = explain(pod, new Snapshot(clusterNodes), fwk, { candidates: ["small"] });
    expect(ex.nodes[1]).toEqual({
      name: "big",
      feasible: false,
      filter: {
        plugin: "",
        code: "UnschedulableAndUnresolvable",
        reasons: ["node(s) were not among the candidates"],
      },
    });
    expect(ex.selected).toBe("small");
    expect(ex.nodes[2]?.scores?.["NodeResourcesFit"]?.weight).toBe(1);
  });

  it("does not assume the pod or touch scheduler state", () => {
    const snapshot = new Snapshot(clusterNodes);
    explain(pod, snapshot, fwk);
    expect(snapshot.get("big")?.pods).toEqual([]);
  });
});
