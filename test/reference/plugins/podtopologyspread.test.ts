/**
 * PodTopologySpread — upstream `podtopologyspread/filtering_test.go` (TestPreFilterState,
 * TestPreFilterStateAddPod / RemovePod, TestSingleConstraint, TestMultipleConstraints) and
 * `scoring_test.go` (TestPreScoreSkip, TestPreScoreStateEmptyNodes, TestPodTopologySpreadScore),
 * semantics §4.9 and §6. Upstream's feature-gate-off rows are left out (the gates are on in
 * v1.35); expected counts are per constraint (v1.35 keeps one map per constraint).
 *
 * The TestSingleConstraint and TestMultipleConstraints rows, the TestPodTopologySpreadScore rows
 * and the PreScore Skip rows run on both engines (test/reference/engines.ts): on the core a
 * node's Unschedulable is CoreCode.PodTopologySpread, UnschedulableAndUnresolvable
 * CoreCode.PodTopologySpreadMissingLabel, and scores are `spreadRaw` / `spread`. The tests of the
 * reference's internals (PreFilter / PreScore state contents, addPod / removePod, clone, reasons)
 * run on the reference only.
 */
import { describe, expect, it } from "vitest";
import type {
  KeptObject,
  LabelSelector,
  Labels,
  Node,
  Pod,
  TopologySpreadConstraint,
} from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import type { PodTopologySpreadArgs } from "../../../src/reference/plugins/podtopologyspread/args.ts";
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  newPodTopologySpread,
  type PodTopologySpreadPlugin,
  PRE_FILTER_STATE_KEY,
  PRE_SCORE_STATE_KEY,
  type PreFilterState,
  type PreScoreState,
  topologyNormalizingWeight,
} from "../../../src/reference/plugins/podtopologyspread/index.ts";
import { makeNode, makePod, type PodOptions } from "../../helpers/builders.ts";
import { ENGINES, expectSpreadFilter, expectSpreadScores } from "../engines.ts";
import { handleOf, st } from "../support.ts";

const HOST = "kubernetes.io/hostname";
const ZONE = "topology.kubernetes.io/zone";
const LIST: PodTopologySpreadArgs = {
  kind: "PodTopologySpreadArgs",
  defaultingType: "List",
  defaultConstraints: [],
};
const SYSTEM: PodTopologySpreadArgs = { ...LIST, defaultingType: "System" };

const exists = (key: string): LabelSelector => ({
  matchLabels: {},
  matchExpressions: [{ key, operator: "Exists", values: [] }],
});
const fooSelector = exists("foo");
const barSelector = exists("bar");
const labelSel = (matchLabels: Labels): LabelSelector => ({ matchLabels, matchExpressions: [] });
const taints = [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" as const }];

type When = TopologySpreadConstraint["whenUnsatisfiable"];
function tsc(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: When,
  labelSelector?: LabelSelector,
  extra: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint {
  return {
    maxSkew,
    topologyKey,
    whenUnsatisfiable,
    ...(labelSelector ? { labelSelector } : {}),
    matchLabelKeys: [],
    ...extra,
  };
}
const hard = (
  maxSkew: number,
  key: string,
  sel?: LabelSelector,
  e?: Partial<TopologySpreadConstraint>,
) => tsc(maxSkew, key, "DoNotSchedule", sel, e);
const soft = (
  maxSkew: number,
  key: string,
  sel?: LabelSelector,
  e?: Partial<TopologySpreadConstraint>,
) => tsc(maxSkew, key, "ScheduleAnyway", sel, e);

/** The incoming pod `p`. */
const pod = (labels: Labels, constraints: TopologySpreadConstraint[], o: PodOptions = {}) =>
  makePod({ name: "p", labels, topologySpreadConstraints: constraints, ...o });
/** An existing pod bound to `node`. */
const on = (name: string, node: string, labels: Labels, o: PodOptions = {}) =>
  makePod({ name, nodeName: node, labels, ...o });
/** A node with exactly these labels (no default hostname label unless given). */
function node(name: string, labels: Labels, o: { taints?: typeof taints } = {}): Node {
  const n = makeNode({ name, ...(o.taints ? { taints: o.taints } : {}) });
  return { ...n, metadata: { ...n.metadata, labels } };
}
const zn = (name: string, zone: string) => node(name, { zone, node: name });
const abxy = () => [
  zn("node-a", "zone1"),
  zn("node-b", "zone1"),
  zn("node-x", "zone2"),
  zn("node-y", "zone2"),
];
const foos = (...spec: [string, string][]) => spec.map(([n, nd]) => on(n, nd, { foo: "" }));

function kept(
  kind: "Service" | "ReplicaSet",
  name: string,
  selector: unknown,
  ns = "default",
): KeptObject {
  const n = makeNode({ name });
  return {
    apiVersion: kind === "Service" ? "v1" : "apps/v1",
    kind,
    metadata: { ...n.metadata, name, namespace: ns },
    body: { spec: { selector } },
    source: { file: "<test>" },
  };
}
function withOwner(p: Pod, kind: string, name: string, apiVersion = "apps/v1"): Pod {
  return {
    ...p,
    metadata: {
      ...p.metadata,
      ownerReferences: [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true }],
    },
  };
}

interface Env {
  plugin: PodTopologySpreadPlugin;
  snapshot: Snapshot;
  info: (name: string) => NodeInfo;
}
function setup(
  nodes: Node[],
  pods: Pod[] = [],
  args: unknown = LIST,
  objs: KeptObject[] = [],
): Env {
  const snapshot = new Snapshot(nodes, pods, { kept: objs });
  const plugin = newPodTopologySpread(args, handleOf(snapshot)) as PodTopologySpreadPlugin;
  return { plugin, snapshot, info: (n) => snapshot.get(n) as NodeInfo };
}

/** Runs PreFilter; returns its status and the state's per-constraint counts. */
function preFilter(
  p: Pod,
  nodes: Node[],
  pods: Pod[] = [],
  args: unknown = LIST,
  objs: KeptObject[] = [],
) {
  const env = setup(nodes, pods, args, objs);
  const state = new CycleState();
  const out = env.plugin.preFilter(state, p);
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  return {
    status: st(out.status),
    state: s,
    counts: s?.tpValueToMatchNum.map((m) => Object.fromEntries(m)),
    keys: s?.constraints.map((c) => c.topologyKey),
    env,
    cycle: state,
  };
}

const S = "Success";
const U = "Unschedulable";
const UU = "UnschedulableAndUnresolvable";

/** PreScore over `candidates`, Score, NormalizeScore; the snapshot holds candidates + failed. */
function scores(
  p: Pod,
  candidates: Node[],
  failed: Node[] = [],
  pods: Pod[] = [],
  args: unknown = SYSTEM,
  objs: KeptObject[] = [],
) {
  const env = setup([...candidates, ...failed], pods, args, objs);
  const state = new CycleState();
  const infos = candidates.map((n) => env.info(n.metadata.name));
  const pre = env.plugin.preScore(state, p, infos);
  if (pre.code !== "Success") return { preScore: st(pre) };
  const list = infos.map((i) => ({ name: i.name, score: env.plugin.score(state, p, i) as number }));
  const raw = list.map((s) => s.score);
  env.plugin.normalizeScore(state, p, list);
  return {
    preScore: st(pre),
    raw,
    scores: Object.fromEntries(list.map((s) => [s.name, s.score])),
    state: state.read<PreScoreState>(PRE_SCORE_STATE_KEY),
  };
}

// PreFilter state contents: reference-internal, reference only.
describe("TestPreFilterState", () => {
  it("clean cluster with one spreadConstraint", () => {
    const r = preFilter(pod({ foo: "" }, [hard(5, "zone", labelSel({ foo: "bar" }))]), abxy());
    expect(r.counts).toEqual([{ zone1: 0, zone2: 0 }]);
    expect(r.state?.constraints[0]).toEqual({
      maxSkew: 5,
      topologyKey: "zone",
      selector: { nothing: false, requirements: [{ key: "foo", operator: "In", values: ["bar"] }] },
      minDomains: 1,
      nodeAffinityPolicy: "Honor",
      nodeTaintsPolicy: "Ignore",
    });
  });
  const fivePods = () =>
    foos(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-b1", "node-b"],
      ["p-y1", "node-y"],
      ["p-y2", "node-y"],
    );
  it("normal case with one spreadConstraint", () => {
    const r = preFilter(pod({ foo: "" }, [hard(1, "zone", fooSelector)]), abxy(), fivePods());
    expect(r.counts).toEqual([{ zone1: 3, zone2: 2 }]);
    expect(r.state?.minMatchNum(0)).toBe(2);
  });
  it("normal case with null label selector: Nothing, counts 0", () => {
    const r = preFilter(pod({ foo: "" }, [hard(1, "zone")]), abxy(), fivePods());
    expect(r.state?.constraints[0]?.selector).toEqual({ nothing: true });
    expect(r.counts).toEqual([{ zone1: 0, zone2: 0 }]);
  });
  it("normal case with one spreadConstraint, on a 3-zone cluster", () => {
    const nodes = [...abxy(), zn("node-o", "zone3"), zn("node-p", "zone3")];
    const r = preFilter(pod({ foo: "" }, [hard(1, "zone", fooSelector)]), nodes, fivePods());
    expect(r.counts).toEqual([{ zone1: 3, zone2: 2, zone3: 0 }]);
    expect(r.state?.minMatchNum(0)).toBe(0);
  });
  it("namespace mismatch doesn't count", () => {
    const pods = [
      on("p-a1", "node-a", { foo: "" }),
      on("p-a2", "node-a", { foo: "" }, { namespace: "ns1" }),
      on("p-b1", "node-b", { foo: "" }),
      on("p-y1", "node-y", { foo: "" }, { namespace: "ns2" }),
      on("p-y2", "node-y", { foo: "" }),
    ];
    const r = preFilter(pod({ foo: "" }, [hard(1, "zone", fooSelector)]), abxy(), pods);
    expect(r.counts).toEqual([{ zone1: 2, zone2: 1 }]);
  });
  const sevenPods = () => [...fivePods(), ...foos(["p-y3", "node-y"], ["p-y4", "node-y"])];
  it("normal case with two spreadConstraints", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector), hard(1, "node", fooSelector)]);
    const r = preFilter(p, abxy(), sevenPods());
    expect(r.counts).toEqual([
      { zone1: 3, zone2: 4 },
      { "node-a": 2, "node-b": 1, "node-x": 0, "node-y": 4 },
    ]);
    expect([r.state?.minMatchNum(0), r.state?.minMatchNum(1)]).toEqual([3, 0]);
  });
  it("soft spreadConstraints should be bypassed", () => {
    const p = pod({ foo: "" }, [
      soft(1, "zone", fooSelector),
      hard(1, "zone", fooSelector),
      soft(1, "node", fooSelector),
      hard(1, "node", fooSelector),
    ]);
    const nodes = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-y", "zone2")];
    const r = preFilter(p, nodes, sevenPods());
    expect(r.keys).toEqual(["zone", "node"]);
    expect(r.counts).toEqual([
      { zone1: 3, zone2: 4 },
      { "node-a": 2, "node-b": 1, "node-y": 4 },
    ]);
  });
  it("different labelSelectors - simple version", () => {
    const p = pod({ foo: "", bar: "" }, [
      hard(1, "zone", fooSelector),
      hard(1, "node", barSelector),
    ]);
    const nodes = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-y", "zone2")];
    const r = preFilter(p, nodes, [
      on("p-a", "node-a", { foo: "" }),
      on("p-b", "node-b", { bar: "" }),
    ]);
    expect(r.counts).toEqual([
      { zone1: 1, zone2: 0 },
      { "node-a": 0, "node-b": 1, "node-y": 0 },
    ]);
  });
  it("different labelSelectors - complex pods", () => {
    const p = pod({ foo: "", bar: "" }, [
      hard(1, "zone", fooSelector),
      hard(1, "node", barSelector),
    ]);
    const nodes = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-y", "zone2")];
    const pods = [
      on("p-a1", "node-a", { foo: "" }),
      on("p-a2", "node-a", { foo: "", bar: "" }),
      on("p-b1", "node-b", { foo: "" }),
      on("p-y1", "node-y", { foo: "" }),
      on("p-y2", "node-y", { foo: "", bar: "" }),
      on("p-y3", "node-y", { foo: "" }),
      on("p-y4", "node-y", { foo: "", bar: "" }),
    ];
    const r = preFilter(p, nodes, pods);
    expect(r.counts).toEqual([
      { zone1: 3, zone2: 4 },
      { "node-a": 1, "node-b": 0, "node-y": 2 },
    ]);
  });
  it("two spreadConstraints, and with podAffinity (node affinity NotIn node-x)", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector), hard(1, "node", fooSelector)], {
      affinity: notIn("node", ["node-x"]),
    });
    const r = preFilter(p, abxy(), sevenPods());
    expect(r.counts).toEqual([
      { zone1: 3, zone2: 4 },
      { "node-a": 2, "node-b": 1, "node-y": 4 },
    ]);
  });
  const rackArgs: PodTopologySpreadArgs = {
    ...LIST,
    defaultConstraints: [hard(3, "node"), soft(2, "node"), hard(5, "rack")],
  };
  it("default constraints and a service", () => {
    const p = pod({ foo: "bar", baz: "kar" }, []);
    const r = preFilter(p, [], [], rackArgs, [kept("Service", "svc", { foo: "bar" })]);
    expect(r.status).toEqual({ code: S, reasons: [] });
    expect(r.keys).toEqual(["node", "rack"]);
    expect(r.state?.constraints.map((c) => [c.maxSkew, c.selector])).toEqual([
      [3, { nothing: false, requirements: [{ key: "foo", operator: "In", values: ["bar"] }] }],
      [5, { nothing: false, requirements: [{ key: "foo", operator: "In", values: ["bar"] }] }],
    ]);
    expect(r.counts).toEqual([{}, {}]);
  });
  it("default constraints and a service that doesn't match → Skip", () => {
    const args = { ...LIST, defaultConstraints: [hard(3, "node")] };
    const r = preFilter(pod({ foo: "bar" }, []), [], [], args, [
      kept("Service", "s", { baz: "kep" }),
    ]);
    expect(r.status).toEqual({ code: "Skip", reasons: [] });
  });
  it("default constraints and a service, but pod has constraints", () => {
    const p = pod({ foo: "bar", baz: "tar" }, [
      hard(1, "zone", labelSel({ baz: "tar" })),
      soft(2, "planet", labelSel({ fot: "rok" })),
    ]);
    const args = { ...LIST, defaultConstraints: [hard(2, "node")] };
    const r = preFilter(p, [], [], args, [kept("Service", "s", { foo: "bar" })]);
    expect(r.keys).toEqual(["zone"]);
    expect(r.counts).toEqual([{}]);
  });
  it("default soft constraints and a service → Skip", () => {
    const args = { ...LIST, defaultConstraints: [soft(2, "node")] };
    const r = preFilter(pod({ foo: "bar" }, []), [], [], args, [
      kept("Service", "s", { foo: "bar" }),
    ]);
    expect(r.status.code).toBe("Skip");
  });
  it("a Service in another namespace does not select the pod → Skip", () => {
    const args = { ...LIST, defaultConstraints: [hard(2, "node")] };
    const svc = kept("Service", "s", { foo: "bar" }, "other");
    expect(preFilter(pod({ foo: "bar" }, []), [], [], args, [svc]).status.code).toBe("Skip");
  });
  it("TpKeyToDomainsNum: domains per constraint", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector), hard(1, "node", fooSelector)]);
    const r = preFilter(p, abxy(), sevenPods());
    expect(r.counts?.map((c) => Object.keys(c ?? {}).length)).toEqual([2, 4]);
  });

  const abc = () => [
    node("node-a", { node: "node-a", foo: "" }),
    node("node-b", { node: "node-b", foo: "" }),
    node("node-c", { node: "node-c", bar: "" }),
  ];
  const abcPods = () => [
    on("p-a", "node-a", { bar: "" }),
    on("p-b", "node-b", { bar: "" }),
    on("p-c", "node-b", { bar: "" }),
    on("p-d", "node-c", {}),
  ];
  it("NodeAffinityPolicy honored with labelSelectors (nodeSelector)", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector)], { nodeSelector: { foo: "" } });
    expect(preFilter(p, abc(), abcPods()).counts).toEqual([{ "node-a": 1, "node-b": 2 }]);
  });
  it("NodeAffinityPolicy ignored with labelSelectors", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector, { nodeAffinityPolicy: "Ignore" })], {
      nodeSelector: { foo: "" },
    });
    expect(preFilter(p, abc(), abcPods()).counts).toEqual([
      { "node-a": 1, "node-b": 2, "node-c": 0 },
    ]);
  });
  it("NodeAffinityPolicy honored with nodeAffinity", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector)], { affinity: inAff("foo", [""]) });
    expect(preFilter(p, abc(), abcPods()).counts).toEqual([{ "node-a": 1, "node-b": 2 }]);
  });
  it("NodeAffinityPolicy ignored with nodeAffinity", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector, { nodeAffinityPolicy: "Ignore" })], {
      affinity: inAff("foo", [""]),
    });
    expect(preFilter(p, abc(), abcPods()).counts).toEqual([
      { "node-a": 1, "node-b": 2, "node-c": 0 },
    ]);
  });
  const tainted = () => [
    node("node-a", { node: "node-a" }),
    node("node-b", { node: "node-b" }),
    node("node-c", { node: "node-c", bar: "" }, { taints }),
  ];
  it("NodeTaintsPolicy ignored (default)", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector)]);
    expect(preFilter(p, tainted(), abcPods()).counts).toEqual([
      { "node-a": 1, "node-b": 2, "node-c": 0 },
    ]);
  });
  it("NodeTaintsPolicy honored", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector, { nodeTaintsPolicy: "Honor" })]);
    expect(preFilter(p, tainted(), abcPods()).counts).toEqual([{ "node-a": 1, "node-b": 2 }]);
  });
  it("NodeTaintsPolicy honored with tolerated taints", () => {
    const p = pod({ foo: "" }, [hard(1, "node", barSelector, { nodeTaintsPolicy: "Honor" })], {
      tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }],
    });
    expect(preFilter(p, tainted(), abcPods()).counts).toEqual([
      { "node-a": 1, "node-b": 2, "node-c": 0 },
    ]);
  });
  it("two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore", () => {
    const p = pod(
      { foo: "" },
      [
        hard(1, "zone", fooSelector),
        hard(1, "node", fooSelector, { nodeAffinityPolicy: "Ignore" }),
      ],
      {
        nodeSelector: { foo: "" },
      },
    );
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
      node("node-b", { zone: "zone1", node: "node-b" }),
      node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
    ];
    const pods = foos(["p-b1", "node-b"], ["p-b2", "node-b"], ["p-x1", "node-x"]);
    expect(preFilter(p, nodes, pods).counts).toEqual([
      { zone1: 0, zone2: 1 },
      { "node-a": 0, "node-b": 2, "node-x": 1 },
    ]);
  });
  it("two node inclusion Constraints, zone: honor/honor, node: honor/ignore", () => {
    const p = pod({ foo: "" }, [
      hard(1, "zone", fooSelector, { nodeTaintsPolicy: "Honor" }),
      hard(1, "node", fooSelector),
    ]);
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
      node("node-b", { zone: "zone1", node: "node-b" }, { taints }),
      node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
    ];
    const pods = foos(["p-b1", "node-b"], ["p-b2", "node-b"], ["p-x1", "node-x"]);
    expect(preFilter(p, nodes, pods).counts).toEqual([
      { zone1: 0, zone2: 1 },
      { "node-a": 0, "node-b": 2, "node-x": 1 },
    ]);
  });
  it("two node inclusion Constraints, zone: honor/ignore, node: honor/ignore", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector), hard(1, "node", fooSelector)], {
      nodeSelector: { foo: "" },
    });
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a" }),
      node("node-b", { zone: "zone1", node: "node-b", foo: "" }, { taints }),
      node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
      node("node-y", { zone: "zone2", node: "node-y" }),
    ];
    const pods = foos(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-x1", "node-x"],
      ["p-y1", "node-y"],
    );
    expect(preFilter(p, nodes, pods).counts).toEqual([
      { zone1: 0, zone2: 1 },
      { "node-b": 0, "node-x": 1 },
    ]);
  });
  it("two node inclusion Constraints, zone: ignore/ignore, node: honor/honor", () => {
    const p = pod(
      { foo: "" },
      [
        hard(1, "zone", fooSelector, { nodeAffinityPolicy: "Ignore" }),
        hard(1, "node", fooSelector, { nodeTaintsPolicy: "Honor" }),
      ],
      { nodeSelector: { foo: "" } },
    );
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a" }),
      node("node-b", { zone: "zone1", node: "node-b", foo: "" }, { taints }),
      node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
      node("node-y", { zone: "zone2", node: "node-y", foo: "" }),
    ];
    const pods = foos(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-x1", "node-x"],
      ["p-x2", "node-x"],
      ["p-y1", "node-y"],
    );
    expect(preFilter(p, nodes, pods).counts).toEqual([
      { zone1: 2, zone2: 3 },
      { "node-x": 2, "node-y": 1 },
    ]);
  });
  it("matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty", () => {
    const p = pod({ foo: "", bar: "a" }, [
      hard(1, "zone", fooSelector, { matchLabelKeys: ["bar"] }),
    ]);
    const pods = [
      on("p-a1", "node-a", { foo: "" }),
      on("p-a2", "node-a", { foo: "", bar: "a" }),
      on("p-b1", "node-b", { foo: "" }),
      on("p-y1", "node-y", { foo: "", bar: "a" }),
      on("p-y2", "node-y", { bar: "" }),
    ];
    const r = preFilter(p, abxy(), pods);
    expect(r.state?.constraints[0]?.selector).toEqual({
      nothing: false,
      requirements: [
        { key: "bar", operator: "In", values: ["a"] },
        { key: "foo", operator: "Exists", values: [] },
      ],
    });
    expect(r.counts).toEqual([{ zone1: 1, zone2: 1 }]);
  });
  const fooA = () =>
    [
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-b1", "node-b"],
      ["p-y1", "node-y"],
      ["p-y2", "node-y"],
    ].map(([n, nd]) => on(n as string, nd as string, { foo: "a" }));
  it("matchLabelKeys ANDed with LabelSelector when LabelSelector is empty", () => {
    const p = pod({ foo: "a" }, [hard(1, "zone", labelSel({}), { matchLabelKeys: ["foo"] })]);
    expect(preFilter(p, abxy(), fooA()).counts).toEqual([{ zone1: 3, zone2: 2 }]);
  });
  it("key in matchLabelKeys is ignored when LabelSelector is nil", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", undefined, { matchLabelKeys: ["bar"] })]);
    const r = preFilter(p, abxy(), fooA());
    expect(r.state?.constraints[0]?.selector).toEqual({ nothing: true });
    expect(r.counts).toEqual([{ zone1: 0, zone2: 0 }]);
  });
  it("key in matchLabelKeys is ignored when it isn't exist in pod.labels", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector, { matchLabelKeys: ["bar"] })]);
    expect(preFilter(p, abxy(), fooA()).counts).toEqual([{ zone1: 3, zone2: 2 }]);
  });
  it("skip if not specified", () => {
    expect(preFilter(pod({ foo: "" }, []), [zn("node-a", "zone1")]).status.code).toBe("Skip");
  });
  it("§6: an empty {} selector counts 0 pods (labels.Everything())", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", labelSel({}))]);
    expect(preFilter(p, abxy(), fivePods()).counts).toEqual([{ zone1: 0, zone2: 0 }]);
  });
  it("an invalid selector is an Error", () => {
    const bad: LabelSelector = {
      matchLabels: {},
      matchExpressions: [{ key: "foo", operator: "In", values: [] }],
    };
    const r = preFilter(pod({}, [hard(1, "zone", bad)]), abxy());
    expect(r.status.code).toBe("Error");
    expect(r.status.reasons[0]).toMatch(
      /^get constraints from pod: obtaining pod's hard topology spread constraints: /,
    );
  });
});

function notIn(key: string, values: string[]) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key, operator: "NotIn" as const, values }], matchFields: [] },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
  };
}
function inAff(key: string, values: string[]) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key, operator: "In" as const, values }], matchFields: [] },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
  };
}

// addPod / removePod on the PreFilter state and its clone: reference-internal, reference only.
describe("TestPreFilterStateAddPod / RemovePod (updateWithPod)", () => {
  const nodeC = (sel = fooSelector) => hard(1, "node", sel);
  const zoneC = (sel = fooSelector) => hard(1, "zone", sel);
  function add(
    p: Pod,
    added: Pod,
    nodeName: string,
    nodes: Node[],
    pods: Pod[] = [],
    delta: 1 | -1 = 1,
  ) {
    const r = preFilter(p, nodes, pods);
    const info = r.env.info(nodeName);
    const status =
      delta === 1
        ? r.env.plugin.addPod(r.cycle, p, added, info)
        : r.env.plugin.removePod(r.cycle, p, added, info);
    expect(status.code).toBe(S);
    return { counts: r.state?.tpValueToMatchNum.map((m) => Object.fromEntries(m)), state: r.state };
  }
  const ab = () => [zn("node-a", "zone1"), zn("node-b", "zone1")];
  it("node a and b both impact current min match", () => {
    const r = add(pod({ foo: "" }, [nodeC()]), on("p-a1", "node-a", { foo: "" }), "node-a", ab());
    expect(r.counts).toEqual([{ "node-a": 1, "node-b": 0 }]);
    expect(r.state?.minMatchNum(0)).toBe(0);
  });
  it("only node a impacts current min match", () => {
    const r = add(
      pod({ foo: "" }, [nodeC()]),
      on("p-a1", "node-a", { foo: "" }),
      "node-a",
      ab(),
      foos(["p-b1", "node-b"]),
    );
    expect(r.counts).toEqual([{ "node-a": 1, "node-b": 1 }]);
    expect(r.state?.minMatchNum(0)).toBe(1);
  });
  it("add a pod in a different namespace doesn't change topologyKeyToMinPodsMap", () => {
    const added = on("p-a1", "node-a", { foo: "" }, { namespace: "ns1" });
    const r = add(pod({ foo: "" }, [nodeC()]), added, "node-a", ab(), foos(["p-b1", "node-b"]));
    expect(r.counts).toEqual([{ "node-a": 0, "node-b": 1 }]);
  });
  it("add pod on non-critical node won't trigger re-calculation", () => {
    const r = add(
      pod({ foo: "" }, [nodeC()]),
      on("p-b2", "node-b", { foo: "" }),
      "node-b",
      ab(),
      foos(["p-b1", "node-b"]),
    );
    expect(r.counts).toEqual([{ "node-a": 0, "node-b": 2 }]);
    expect(r.state?.minMatchNum(0)).toBe(0);
  });
  it("node a and x both impact topologyKeyToMinPodsMap on zone and node", () => {
    const nodes = [zn("node-a", "zone1"), zn("node-x", "zone2")];
    const r = add(
      pod({ foo: "" }, [zoneC(), nodeC()]),
      on("p-a1", "node-a", { foo: "" }),
      "node-a",
      nodes,
    );
    expect(r.counts).toEqual([
      { zone1: 1, zone2: 0 },
      { "node-a": 1, "node-x": 0 },
    ]);
  });
  it("Constraints hold different labelSelectors, node a impacts topologyKeyToMinPodsMap on zone", () => {
    const nodes = [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-x", "zone2")];
    const pods = [
      on("p-b1", "node-b", { foo: "", bar: "" }),
      on("p-x1", "node-x", { foo: "", bar: "" }),
      on("p-x2", "node-x", { bar: "" }),
    ];
    const p = pod({ foo: "", bar: "" }, [zoneC(), nodeC(barSelector)]);
    const r = add(p, on("p-a1", "node-a", { foo: "" }), "node-a", nodes, pods);
    expect(r.counts).toEqual([
      { zone1: 2, zone2: 1 },
      { "node-a": 0, "node-b": 1, "node-x": 2 },
    ]);
    expect([r.state?.minMatchNum(0), r.state?.minMatchNum(1)]).toEqual([1, 0]);
  });
  it("add a pod when scheduling node affinity unmatched pod (inclusion policy Honor)", () => {
    const p = pod({ foo: "" }, [zoneC()], { affinity: notIn("foo", ["bar"]) });
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a", foo: "bar" }),
      node("node-b", { zone: "zone2", node: "node-b", foo: "" }),
    ];
    const pods = [
      on("p-a2", "node-a", { foo: "", zone: "zone1" }),
      on("p-b1", "node-b", { foo: "", zone: "zone2" }),
    ];
    const r = add(p, on("p-a1", "node-a", { foo: "", zone: "zone1" }), "node-a", nodes, pods);
    expect(r.counts).toEqual([{ zone2: 1 }]);
  });
  it("add a label selector not matched pod", () => {
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a", foo: "bar" }),
      node("node-b", { zone: "zone2", node: "node-b", foo: "" }),
    ];
    const pods = [
      on("p-a1", "node-a", { foo: "", zone: "zone1" }),
      on("p-b2", "node-b", { foo: "", zone: "zone2" }),
    ];
    const r = add(
      pod({ foo: "" }, [zoneC()]),
      on("p-b1", "node-b", { zone: "zone2" }),
      "node-b",
      nodes,
      pods,
    );
    expect(r.counts).toEqual([{ zone1: 1, zone2: 1 }]);
  });
  it("add a pod when scheduling taint tolerated pod", () => {
    const p = pod({ foo: "" }, [zoneC()], {
      tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }],
    });
    const nodes = [
      node("node-a", { zone: "zone1", node: "node-a" }, { taints }),
      node("node-b", { zone: "zone2", node: "node-b" }),
    ];
    const pods = [on("p-a1", "node-a", { foo: "" }), on("p-b2", "node-b", { foo: "" })];
    const r = add(p, on("p-b1", "node-b", { foo: "" }), "node-b", nodes, pods);
    expect(r.counts).toEqual([{ zone1: 1, zone2: 2 }]);
  });
  const abx = () => [zn("node-a", "zone1"), zn("node-b", "zone1"), zn("node-x", "zone2")];
  it("RemovePod: one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged", () => {
    const pods = foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-x1", "node-x"]);
    const r = add(pod({ foo: "" }, [zoneC()]), pods[0] as Pod, "node-a", abx(), pods, -1);
    expect(r.counts).toEqual([{ zone1: 1, zone2: 1 }]);
  });
  it("RemovePod: one spreadConstraint on node, topologyKeyToMinPodsMap changed", () => {
    const pods = foos(
      ["p-a1", "node-a"],
      ["p-b1", "node-b"],
      ["p-x1", "node-x"],
      ["p-y1", "node-y"],
    );
    const r = add(pod({ foo: "" }, [zoneC()]), pods[0] as Pod, "node-a", abxy(), pods, -1);
    expect(r.counts).toEqual([{ zone1: 1, zone2: 2 }]);
    expect(r.state?.minMatchNum(0)).toBe(1);
  });
  it("RemovePod: delete an irrelevant pod won't help", () => {
    const pods = [
      on("p-a0", "node-a", { bar: "" }),
      ...foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-x1", "node-x"], ["p-y1", "node-y"]),
    ];
    const r = add(pod({ foo: "" }, [zoneC()]), pods[0] as Pod, "node-a", abxy(), pods, -1);
    expect(r.counts).toEqual([{ zone1: 2, zone2: 2 }]);
  });
  it("RemovePod: two spreadConstraints", () => {
    const pods = foos(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-b1", "node-b"],
      ["p-x1", "node-x"],
      ["p-x2", "node-x"],
    );
    const r = add(pod({ foo: "" }, [zoneC(), nodeC()]), pods[3] as Pod, "node-x", abx(), pods, -1);
    expect(r.counts).toEqual([
      { zone1: 3, zone2: 1 },
      { "node-a": 2, "node-b": 1, "node-x": 1 },
    ]);
    expect([r.state?.minMatchNum(0), r.state?.minMatchNum(1)]).toEqual([1, 1]);
  });
  it("upstream quirk: updateWithPod uses the selector directly ({} matches, terminating pods count)", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", labelSel({}))]);
    const r = add(
      p,
      on("t", "node-a", { foo: "" }, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
      "node-a",
      abxy(),
    );
    expect(r.counts).toEqual([{ zone1: 1, zone2: 0 }]);
  });
  it("without a PreFilter state: Error", () => {
    const env = setup(abxy());
    const s = env.plugin.addPod(
      new CycleState(),
      pod({}, []),
      on("q", "node-a", {}),
      env.info("node-a"),
    );
    expect(s.code).toBe("Error");
  });
  it("clone() is independent", () => {
    const r = preFilter(pod({ foo: "" }, [zoneC()]), abxy());
    const c = r.state?.clone() as PreFilterState;
    c.tpValueToMatchNum[0]?.set("zone1", 7);
    expect(r.counts).toEqual([{ zone1: 0, zone2: 0 }]);
    expect(r.state?.tpValueToMatchNum[0]?.get("zone1")).toBe(0);
  });
});

describe("TestSingleConstraint", () => {
  const fz = (...pods: [string, string][]) => foos(...pods);
  const cases: [string, Pod, Node[], Pod[], Record<string, string>][] = [
    [
      "no existing pods",
      pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      abxy(),
      [],
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
    [
      "no existing pods, incoming pod doesn't match itself",
      pod({ foo: "" }, [hard(1, "zone", barSelector)]),
      abxy(),
      [],
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
    [
      "existing pods in a different namespace do not count",
      pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      abxy(),
      [
        on("p-a1", "node-a", { foo: "" }, { namespace: "ns1" }),
        on("p-b1", "node-a", { foo: "" }, { namespace: "ns2" }),
        ...fz(["p-x1", "node-x"], ["p-y1", "node-y"]),
      ],
      { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
    ],
    [
      "existing pods do not match null selector",
      pod({ foo: "" }, [hard(1, "zone")]),
      abxy(),
      fz(["p-x1", "node-x"], ["p-y1", "node-y"]),
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
    [
      "pods spread across zones as 3/3, all nodes fit",
      pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      abxy(),
      fz(
        ["p-a1", "node-a"],
        ["p-a2", "node-a"],
        ["p-b1", "node-b"],
        ["p-y1", "node-y"],
        ["p-y2", "node-y"],
        ["p-y3", "node-y"],
      ),
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
    [
      "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
      pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      [
        zn("node-a", "zone1"),
        node("node-b", { zon: "zone1", node: "node-b" }),
        zn("node-x", "zone2"),
        zn("node-y", "zone2"),
      ],
      fz(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-x1", "node-x"], ["p-y1", "node-y"]),
      { "node-a": S, "node-b": UU, "node-x": U, "node-y": U },
    ],
    [
      "pod cannot be scheduled as all nodes don't have label 'rack'",
      pod({ foo: "" }, [hard(1, "rack", fooSelector)]),
      [zn("node-a", "zone1"), zn("node-x", "zone2")],
      [],
      { "node-a": UU, "node-x": UU },
    ],
  ];
  const twoOneZeroThree = () =>
    fz(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-b1", "node-b"],
      ["p-y1", "node-y"],
      ["p-y2", "node-y"],
      ["p-y3", "node-y"],
    );
  cases.push(
    [
      "pods spread across nodes as 2/1/0/3, only node-x fits",
      pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      abxy(),
      twoOneZeroThree(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
      pod({ foo: "" }, [hard(2, "node", fooSelector)]),
      abxy(),
      twoOneZeroThree(),
      { "node-a": U, "node-b": S, "node-x": S, "node-y": U },
    ],
    [
      "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
      pod({ bar: "" }, [hard(1, "node", fooSelector)]),
      abxy(),
      twoOneZeroThree(),
      { "node-a": U, "node-b": S, "node-x": S, "node-y": U },
    ],
    [
      "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
      pod({ foo: "" }, [hard(1, "node", fooSelector)], {
        affinity: inAff("node", ["node-a", "node-y"]),
      }),
      abxy(),
      twoOneZeroThree(),
      { "node-a": S, "node-b": S, "node-x": S, "node-y": U },
    ],
    [
      "terminating Pods should be excluded",
      pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" })],
      [
        on("p-a", "node-a", { foo: "" }, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
        on("p-b", "node-b", { foo: "" }),
      ],
      { "node-a": S, "node-b": U },
    ],
    [
      "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits",
      pod({ foo: "" }, [hard(1, "zone", fooSelector)], { affinity: notIn("node", ["node-b"]) }),
      abxy(),
      fz(["p-b1", "node-b"], ["p-b2", "node-b"], ["p-y1", "node-y"]),
      { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
    ],
  );
  const abcN = () => [
    node("node-a", { node: "node-a" }),
    node("node-b", { node: "node-b" }),
    node("node-c", { node: "node-c" }),
  ];
  const twoTwoOne = () =>
    fz(
      ["p-a1", "node-a"],
      ["p-a2", "node-a"],
      ["p-b1", "node-b"],
      ["p-b2", "node-b"],
      ["p-c1", "node-c"],
    );
  const zoneTwoOne = () => fz(["p-b1", "node-a"], ["p-b2", "node-b"], ["p-y1", "node-y"]);
  cases.push(
    [
      "2/2/1, maxSkew 2, domains < minDomains (4): the third node fits",
      pod({ foo: "" }, [hard(2, "node", fooSelector, { minDomains: 4 })]),
      abcN(),
      twoTwoOne(),
      { "node-a": U, "node-b": U, "node-c": S },
    ],
    [
      "2/2/1, maxSkew 2, domains > minDomains (2): all nodes fit",
      pod({ foo: "" }, [hard(2, "node", fooSelector, { minDomains: 2 })]),
      abcN(),
      twoTwoOne(),
      { "node-a": S, "node-b": S, "node-c": S },
    ],
    [
      "zone 2/1, maxSkew 2, domains < minDomains (3): the third and fourth nodes fit",
      pod({ foo: "" }, [hard(2, "zone", fooSelector, { minDomains: 3 })]),
      abxy(),
      zoneTwoOne(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
    ],
    [
      "zone 2/1, maxSkew 2, domains > minDomains (1): all nodes fit",
      pod({ foo: "" }, [hard(2, "zone", fooSelector, { minDomains: 1 })]),
      abxy(),
      zoneTwoOne(),
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
  );
  const fooNodes = (o: { taintY?: boolean } = {}) => [
    node("node-a", { node: "node-a", foo: "" }),
    node("node-b", { node: "node-b", foo: "" }),
    node("node-x", { node: "node-x", foo: "" }),
    node("node-y", { node: "node-y" }, o.taintY ? { taints } : {}),
  ];
  const incl = () => fz(["p-b1", "node-a"], ["p-b2", "node-b"], ["p-y1", "node-y"]);
  cases.push(
    [
      "NodeAffinityPolicy honored with labelSelectors",
      pod({ foo: "" }, [hard(1, "node", fooSelector)], { nodeSelector: { foo: "" } }),
      fooNodes(),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
    ],
    [
      "NodeAffinityPolicy ignored with labelSelectors",
      pod({ foo: "" }, [hard(1, "node", fooSelector, { nodeAffinityPolicy: "Ignore" })], {
        nodeSelector: { foo: "" },
      }),
      fooNodes(),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "NodeAffinityPolicy honored with nodeAffinity",
      pod({ foo: "" }, [hard(1, "node", fooSelector)], { affinity: inAff("foo", [""]) }),
      fooNodes(),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
    ],
    [
      "NodeAffinityPolicy ignored with nodeAffinity",
      pod({ foo: "" }, [hard(1, "node", fooSelector, { nodeAffinityPolicy: "Ignore" })], {
        affinity: inAff("foo", [""]),
      }),
      fooNodes(),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "NodeTaintsPolicy honored",
      pod({ foo: "" }, [hard(1, "node", fooSelector, { nodeTaintsPolicy: "Honor" })]),
      fooNodes({ taintY: true }),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
    ],
    [
      "NodeTaintsPolicy ignored",
      pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      fooNodes({ taintY: true }),
      incl(),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "§6: an empty {} selector counts 0 but the pod matches itself (skew 1 everywhere)",
      pod({ foo: "" }, [hard(1, "zone", labelSel({}))]),
      abxy(),
      twoOneZeroThree(),
      { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
    ],
  );
  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(cases)("%s", async (_name, p, nodes, pods, want) => {
      await expectSpreadFilter(engine, { pod: p, nodes, pods, args: LIST }, want);
    });
  });
  // Reason strings: the core gives none, so reference only.
  it("reasons: missing label → UnschedulableAndUnresolvable, skew → Unschedulable", () => {
    const p = pod({ foo: "" }, [hard(1, "zone", fooSelector)]);
    const nodes = [
      zn("node-a", "zone1"),
      node("node-b", { zon: "zone1", node: "node-b" }),
      zn("node-x", "zone2"),
    ];
    const { env, cycle } = preFilter(p, nodes, foos(["p-x1", "node-x"]));
    expect(st(env.plugin.filter(cycle, p, env.info("node-b")))).toEqual({
      code: UU,
      reasons: [ERR_REASON_NODE_LABEL_NOT_MATCH],
    });
    expect(st(env.plugin.filter(cycle, p, env.info("node-x")))).toEqual({
      code: U,
      reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH],
    });
    expect(ERR_REASON_NODE_LABEL_NOT_MATCH).toBe(
      "node(s) didn't match pod topology spread constraints (missing required label)",
    );
  });
});

describe("TestMultipleConstraints", () => {
  const zoneNode = (sz = fooSelector, sn = fooSelector) => [
    hard(1, "zone", sz),
    hard(1, "node", sn),
  ];
  const cases: [string, Pod, Node[], Pod[], Record<string, string>][] = [
    [
      "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
      pod({ foo: "" }, zoneNode()),
      abxy(),
      foos(
        ["p-a1", "node-a"],
        ["p-a2", "node-a"],
        ["p-b1", "node-b"],
        ["p-y1", "node-y"],
        ["p-y2", "node-y"],
        ["p-y3", "node-y"],
      ),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
      pod({ foo: "" }, zoneNode()),
      abxy(),
      foos(
        ["p-a1", "node-a"],
        ["p-a2", "node-a"],
        ["p-b1", "node-b"],
        ["p-y1", "node-y"],
        ["p-y2", "node-y"],
        ["p-y3", "node-y"],
        ["p-y4", "node-y"],
      ),
      { "node-a": U, "node-b": U, "node-x": U, "node-y": U },
    ],
    [
      "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
      pod({ foo: "", bar: "" }, zoneNode(fooSelector, barSelector)),
      abxy(),
      [on("p-a1", "node-a", { foo: "" }), on("p-y1", "node-y", { bar: "" })],
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "Constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]",
      pod({ foo: "", bar: "" }, zoneNode(fooSelector, barSelector)),
      abxy(),
      [
        on("p-a1", "node-a", { foo: "" }),
        on("p-x1", "node-x", { bar: "" }),
        on("p-y1", "node-y", { bar: "" }),
      ],
      { "node-a": U, "node-b": U, "node-x": U, "node-y": U },
    ],
    [
      "Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]",
      pod({ foo: "", bar: "" }, zoneNode(fooSelector, barSelector)),
      abxy(),
      [
        on("p-a1", "node-a", { foo: "" }),
        on("p-a2", "node-a", { foo: "", bar: "" }),
        on("p-y1", "node-y", { foo: "" }),
        on("p-y2", "node-y", { foo: "", bar: "" }),
        on("p-y3", "node-y", { foo: "" }),
      ],
      { "node-a": U, "node-b": S, "node-x": U, "node-y": U },
    ],
    [
      "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
      pod({ bar: "" }, zoneNode(fooSelector, barSelector)),
      abxy(),
      [
        on("p-a1", "node-a", { foo: "" }),
        on("p-x1", "node-x", { bar: "" }),
        on("p-y1", "node-y", { bar: "" }),
      ],
      { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
    ],
    [
      "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
      pod({ foo: "" }, zoneNode()),
      [
        zn("node-a", "zone1"),
        zn("node-b", "zone1"),
        node("node-x", { zone: "zone2" }),
        zn("node-y", "zone2"),
      ],
      foos(["p-a1", "node-a"], ["p-y3", "node-y"]),
      { "node-a": U, "node-b": S, "node-x": UU, "node-y": U },
    ],
    [
      "two node inclusion Constraints, zone: honor/ignore, node: ignore/ignore",
      pod(
        { foo: "" },
        [
          hard(1, "zone", fooSelector),
          hard(1, "node", fooSelector, { nodeAffinityPolicy: "Ignore" }),
        ],
        { nodeSelector: { foo: "" } },
      ),
      [
        node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
        node("node-b", { zone: "zone1", node: "node-b", foo: "" }),
        node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
        node("node-y", { zone: "zone2", node: "node-y" }),
      ],
      foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-y1", "node-y"]),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "two node inclusion Constraints, zone: honor/honor, node: honor/ignore",
      pod({ foo: "" }, [
        hard(1, "zone", fooSelector, { nodeTaintsPolicy: "Honor" }),
        hard(1, "node", fooSelector),
      ]),
      [
        node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
        node("node-b", { zone: "zone1", node: "node-b", foo: "" }),
        node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
        node("node-y", { zone: "zone2", node: "node-y" }, { taints }),
      ],
      foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-y1", "node-y"]),
      { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
    ],
    [
      "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore",
      pod({ foo: "" }, zoneNode(), { nodeSelector: { foo: "" } }),
      [
        node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
        node("node-b", { zone: "zone1", node: "node-b" }),
        node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
        node("node-y", { zone: "zone2", node: "node-y", foo: "" }, { taints }),
      ],
      foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-y1", "node-y"]),
      { "node-a": U, "node-b": S, "node-x": S, "node-y": U },
    ],
  ];
  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(cases)("%s", async (_name, p, nodes, pods, want) => {
      await expectSpreadFilter(engine, { pod: p, nodes, pods, args: LIST }, want);
    });
  });
});

describe("TestPreScoreSkip / TestPreScoreStateEmptyNodes", () => {
  const hn = (name: string, extra: Labels = {}) => node(name, { [HOST]: name, ...extra });
  // PreScore Skip rows: on both engines.
  describe.each(ENGINES)("[%s]", (engine) => {
    it("the pod doesn't have soft topology spread Constraints → Skip", async () => {
      const c = { pod: makePod({ name: "p" }), nodes: [hn("node-a"), hn("node-b")], args: LIST };
      await expectSpreadScores(engine, c, "Skip");
    });
    it("default constraints and a replicaset that doesn't match → Skip", async () => {
      const p = withOwner(pod({ foo: "bar", baz: "sup" }, []), "ReplicaSet", "rs2");
      const args = { ...LIST, defaultConstraints: [soft(2, "planet")] };
      const objs = [
        kept("ReplicaSet", "rs1", { matchExpressions: [{ key: "tar", operator: "Exists" }] }),
      ];
      const c = {
        pod: p,
        nodes: [node("node-a", { planet: "mars" })],
        args,
        objects: { kept: objs },
      };
      await expectSpreadScores(engine, c, "Skip");
    });
    it("a ReplicaSet owner with apiVersion other than apps/v1 is not a controller → Skip", async () => {
      const p = withOwner(pod({ foo: "tar" }, []), "ReplicaSet", "rs1", "extensions/v1beta1");
      const args = { ...LIST, defaultConstraints: [soft(2, "planet")] };
      const objs = [kept("ReplicaSet", "rs1", { matchLabels: { foo: "tar" } })];
      const c = {
        pod: p,
        nodes: [node("node-a", { planet: "mars" })],
        args,
        objects: { kept: objs },
      };
      await expectSpreadScores(engine, c, "Skip");
    });
  });
  // PreScore state contents (upstream TestPreScoreStateEmptyNodes): reference-internal, reference only.
  it("normal case: zone values registered, hostname weight from #feasible", () => {
    const p = pod({ foo: "" }, [soft(1, "zone", fooSelector), soft(1, HOST, fooSelector)]);
    const nodes = [
      hn("node-a", { zone: "zone1" }),
      hn("node-b", { zone: "zone1" }),
      hn("node-x", { zone: "zone2" }),
    ];
    const s = scores(p, nodes, [], [], LIST).state;
    expect(s?.topologyValueToPodCounts.map((m) => Object.fromEntries(m))).toEqual([
      { zone1: 0, zone2: 0 },
      {},
    ]);
    expect(s?.topologyNormalizingWeight).toEqual([
      topologyNormalizingWeight(2),
      topologyNormalizingWeight(3),
    ]);
    expect([...(s?.ignoredNodes ?? [])]).toEqual([]);
  });
  it("node-x doesn't have label zone: ignored", () => {
    const p = pod({ foo: "" }, [soft(1, "zone", fooSelector), soft(1, HOST, barSelector)]);
    const nodes = [hn("node-a", { zone: "zone1" }), hn("node-b", { zone: "zone1" }), hn("node-x")];
    const s = scores(p, nodes, [], [], LIST).state;
    expect([...(s?.ignoredNodes ?? [])]).toEqual(["node-x"]);
    expect(s?.topologyValueToPodCounts.map((m) => Object.fromEntries(m))).toEqual([
      { zone1: 0 },
      {},
    ]);
    expect(s?.topologyNormalizingWeight).toEqual([
      topologyNormalizingWeight(1),
      topologyNormalizingWeight(2),
    ]);
  });
  it("system default constraints and a replicaset: nodes without zone are one more zone", () => {
    const p = withOwner(pod({ foo: "tar", baz: "sup" }, []), "ReplicaSet", "rs1");
    const nodes = [
      hn("node-a", { [ZONE]: "mars" }),
      hn("node-b", { [ZONE]: "mars" }),
      hn("node-c"),
      hn("node-d"),
    ];
    const s = scores(p, nodes, [], [], SYSTEM, [
      kept("ReplicaSet", "rs1", { matchExpressions: [{ key: "foo", operator: "Exists" }] }),
    ]).state;
    expect(s?.constraints.map((c) => [c.topologyKey, c.maxSkew, c.selector])).toEqual([
      [HOST, 3, { nothing: false, requirements: [{ key: "foo", operator: "Exists", values: [] }] }],
      [ZONE, 5, { nothing: false, requirements: [{ key: "foo", operator: "Exists", values: [] }] }],
    ]);
    expect(s?.topologyValueToPodCounts.map((m) => Object.fromEntries(m))).toEqual([
      {},
      { mars: 0, "": 0 },
    ]);
    expect(s?.topologyNormalizingWeight).toEqual([
      topologyNormalizingWeight(4),
      topologyNormalizingWeight(2),
    ]);
  });
  it("default constraints and a replicaset (List)", () => {
    const p = withOwner(pod({ foo: "tar", baz: "sup" }, []), "ReplicaSet", "rs1");
    const args = {
      ...LIST,
      defaultConstraints: [soft(1, HOST), hard(2, "rack"), soft(2, "planet")],
    };
    const n = node("node-a", { rack: "rack1", [HOST]: "node-a", planet: "mars" });
    const s = scores(p, [n], [], [], args, [
      kept("ReplicaSet", "rs1", { matchExpressions: [{ key: "foo", operator: "Exists" }] }),
    ]).state;
    expect(s?.constraints.map((c) => c.topologyKey)).toEqual([HOST, "planet"]);
    expect(s?.topologyNormalizingWeight).toEqual([
      topologyNormalizingWeight(1),
      topologyNormalizingWeight(1),
    ]);
  });
  it("default constraints and a replicaset, but pod has constraints", () => {
    const p = withOwner(
      pod({ foo: "bar", baz: "sup" }, [
        hard(1, "zone", barSelector),
        soft(2, "planet", labelSel({ baz: "sup" })),
      ]),
      "ReplicaSet",
      "rs1",
    );
    const args = { ...LIST, defaultConstraints: [soft(2, "galaxy")] };
    const s = scores(p, [node("node-a", { planet: "mars", galaxy: "andromeda" })], [], [], args, [
      kept("ReplicaSet", "rs1", { matchExpressions: [{ key: "foo", operator: "Exists" }] }),
    ]).state;
    expect(s?.constraints.map((c) => c.topologyKey)).toEqual(["planet"]);
    expect(s?.topologyValueToPodCounts.map((m) => Object.fromEntries(m))).toEqual([{ mars: 0 }]);
  });
});

describe("TestPodTopologySpreadScore", () => {
  const hn = (name: string, extra: Labels = {}) => node(name, { [HOST]: name, ...extra });
  const hosts = (...names: string[]) => names.map((n) => hn(n));
  const spread = (...spec: [string, number][]) =>
    spec.flatMap(([nd, k]) =>
      Array.from({ length: k }, (_, i) => on(`p-${nd}-${i}`, nd, { foo: "" })),
    );
  const one = (maxSkew = 1, sel: LabelSelector | undefined = fooSelector) =>
    pod({ foo: "" }, [soft(maxSkew, HOST, sel)]);
  const cases: [string, Pod, Node[], Node[], Pod[], Record<string, number>, KeptObject[]?][] = [
    [
      "one constraint on node, no existing pods",
      one(),
      hosts("node-a", "node-b"),
      [],
      [],
      { "node-a": 100, "node-b": 100 },
    ],
    [
      "one constraint on node, only one node is candidate",
      one(),
      hosts("node-a"),
      hosts("node-b"),
      spread(["node-a", 2], ["node-b", 1]),
      { "node-a": 100 },
    ],
    [
      "one constraint on node, all nodes have the same number of matching pods",
      one(),
      hosts("node-a", "node-b"),
      [],
      spread(["node-a", 1], ["node-b", 1]),
      { "node-a": 100, "node-b": 100 },
    ],
    [
      "one constraint on node, all 4 nodes are candidates",
      one(),
      hosts("node-a", "node-b", "node-c", "node-d"),
      [],
      spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
      { "node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0 },
    ],
    [
      "one constraint on node, null selector",
      pod({ foo: "" }, [soft(1, HOST)]),
      hosts("node-a", "node-b", "node-c", "node-d"),
      [],
      spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
      { "node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100 },
    ],
    [
      "one constraint on node, all 4 nodes are candidates, maxSkew=2",
      one(2),
      hosts("node-a", "node-b", "node-c", "node-d"),
      [],
      spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
      { "node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16 },
    ],
    [
      "one constraint on node, all 4 nodes are candidates, maxSkew=3",
      one(3),
      hosts("node-a", "node-b", "node-c", "node-d"),
      [],
      spread(["node-a", 4], ["node-b", 3], ["node-c", 2], ["node-d", 1]),
      { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
    ],
    [
      "system defaulting, nodes don't have zone, pods match service",
      pod({ foo: "" }, []),
      hosts("node-a", "node-b", "node-c", "node-d"),
      [],
      spread(["node-a", 4], ["node-b", 3], ["node-c", 2], ["node-d", 1]),
      { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
      [kept("Service", "svc", { foo: "" })],
    ],
    [
      "one constraint on node, 3 out of 4 nodes are candidates",
      one(),
      hosts("node-a", "node-b", "node-x"),
      hosts("node-y"),
      spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      { "node-a": 33, "node-b": 83, "node-x": 100 },
    ],
    [
      "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
      one(),
      [hn("node-a"), node("node-b", { n: "node-b" }), hn("node-x")],
      hosts("node-y"),
      spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      { "node-a": 16, "node-b": 0, "node-x": 100 },
    ],
    [
      "one constraint on zone, 3 out of 4 nodes are candidates",
      pod({ foo: "" }, [soft(1, "zone", fooSelector)]),
      [
        hn("node-a", { zone: "zone1" }),
        hn("node-b", { zone: "zone1" }),
        hn("node-x", { zone: "zone2" }),
      ],
      [hn("node-y", { zone: "zone2" })],
      spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      { "node-a": 75, "node-b": 75, "node-x": 100 },
    ],
  ];
  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(cases)("%s", async (_name, p, candidates, failed, pods, want, objs = []) => {
      const c = { pod: p, nodes: candidates, failed, pods, args: SYSTEM, objects: { kept: objs } };
      await expectSpreadScores(engine, c, want);
    });
    it("raw scores: round(Σ cnt × ln(size+2) + maxSkew − 1)", async () => {
      // 2/1/0/3 on 4 hostnames, maxSkew 2: cnt × ln 6 + 1 → 4.58, 2.79, 1, 6.38.
      const c = {
        pod: one(2),
        nodes: hosts("node-a", "node-b", "node-c", "node-d"),
        pods: spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
        args: SYSTEM,
      };
      const r = await expectSpreadScores(engine, c, {
        "node-a": 33,
        "node-b": 66,
        "node-c": 100,
        "node-d": 16,
      });
      expect(Object.values(r.raw)).toEqual([5, 3, 1, 6]);
    });
    it("system defaulting without a selecting Service/ReplicaSet/StatefulSet → Skip", async () => {
      const c = { pod: pod({ foo: "" }, []), nodes: hosts("node-a", "node-b"), args: SYSTEM };
      await expectSpreadScores(engine, c, "Skip");
    });
    it("system defaulting with a StatefulSet owner", async () => {
      const p = withOwner(pod({ app: "db" }, []), "StatefulSet", "db");
      const ss = {
        ...kept("ReplicaSet", "db", { matchLabels: { app: "db" } }),
        kind: "StatefulSet" as const,
      };
      const pods = [on("d0", "node-a", { app: "db" }), on("d1", "node-a", { app: "db" })];
      const c = {
        pod: p,
        nodes: hosts("node-a", "node-b"),
        pods,
        args: SYSTEM,
        objects: { kept: [ss] },
      };
      // hostname: ln 4 × 2 + 2 = 4.77 → 5 vs 2 → 100×(5+2−5)/5 = 40, 100.
      await expectSpreadScores(engine, c, { "node-a": 40, "node-b": 100 });
    });
  });
  // Reference only: with no nodes the core's cycle never reaches PreScore.
  it("no nodes in the snapshot → Skip", () => {
    expect(scores(one(), []).preScore?.code).toBe("Skip");
  });
});
