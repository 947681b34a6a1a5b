/**
 * DefaultPreemption (semantics §5): upstream `default_preemption_test.go` tables (TestPostFilter,
 * TestDryRunPreemption, TestSelectBestCandidate, TestPodEligibleToPreemptOthers) translated onto
 * the node-local plugins (NodeResourcesFit and test filters), each expectation hand-checked;
 * plus the PDB helpers and pickOneNodeForPreemption's criteria one by one.
 *
 * On the WebAssembly core too (`[wasm]` rows): every TestPostFilter row whose statuses are the
 * ones NodeResourcesFit gives (a whole core cycle, cross-checked against the reference's
 * `explain`), every TestDryRunPreemption row without fake filters (`WasmScheduler.dryRunPreemption`
 * with the row's offset), and TestSelectBestCandidate. Rows built on fake filter plugins, hand-given
 * statuses or the plugin's internal state run on the reference only;
 * test/core/preemption-differential.test.ts compares the engines over random clusters.
 *
 * Upstream fixtures: nodes `st.MakeNode().Capacity(res)` (pods default 32), resources
 * small/medium/large/veryLarge = 100m/200m/300m/500m CPU with 100/200/300/500 bytes of memory,
 * priorities neg −100, low 0, mid 100, high 1000, veryHigh 10000, start times epochTimeN =
 * N ns after the epoch. Cases needing extenders, custom eligibility/ordering hooks, pod groups,
 * PodTopologySpread or InterPodAffinity are left out.
 */
import { describe, expect, it } from "vitest";
import { EXTENSION_POINTS } from "../../../src/config/names.ts";
import type { PluginArgs, PluginRef, Profile } from "../../../src/config/types.ts";
import { WasmScheduler } from "../../../src/core/scheduler.ts";
import type { KeptObject, Labels, Node, Pod } from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import { explain } from "../../../src/reference/framework/explain.ts";
import { newFramework } from "../../../src/reference/framework/framework.ts";
import type { FilterPlugin, PreFilterPlugin } from "../../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { NodeToStatus } from "../../../src/reference/framework/node-to-status.ts";
import { runPreFilterPlugins } from "../../../src/reference/framework/phases.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import {
  type Code,
  newStatus,
  type Status,
  SUCCESS,
} from "../../../src/reference/framework/status.ts";
import {
  type Candidate,
  calculateNumCandidates,
  computeDisruptionsAllowed,
  type DefaultPreemptionPlugin,
  defaultDefaultPreemptionArgs,
  filterPodsWithPDBViolation,
  NOW_NANOS,
  newDefaultPreemption,
  pickOneNodeForPreemption,
  podStartTime,
  readPodDisruptionBudgets,
} from "../../../src/reference/plugins/defaultpreemption/index.ts";
import { defaultRegistry } from "../../../src/reference/plugins/registry.ts";
import { Pcg32 } from "../../../src/reference/rand.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { handleOf } from "../support.ts";

const NEG = -100;
const LOW = 0;
const MID = 100;
const HIGH = 1000;
const VERY_HIGH = 10000;

type Res = Readonly<Record<string, string>>;
const SMALL: Res = { cpu: "100m", memory: "100" };
const MEDIUM: Res = { cpu: "200m", memory: "200" };
const LARGE: Res = { cpu: "300m", memory: "300" };
const VERY_LARGE: Res = { cpu: "500m", memory: "500" };
const ONE_POD: Res = { pods: "1" };
const NODE_RES: Res = { cpu: "200m", memory: "400" };

/** `epochTimeN`: N nanoseconds after the Unix epoch. */
const epoch = (n: number) => `1970-01-01T00:00:00.${String(n).padStart(9, "0")}Z`;

/** `st.MakeNode().Name(name).Capacity(res)`: pods default to 32 unless `res` sets them. */
function node(name: string, res: Res = VERY_LARGE, labels: Labels = {}): Node {
  return makeNode({ name, allocatable: { pods: "32", ...res }, labels });
}

interface P {
  node?: string;
  priority?: number;
  req?: Res;
  start?: string;
  labels?: Labels;
  preemptionPolicy?: "Never" | "PreemptLowerPriority";
  nominatedNodeName?: string;
  deletionTimestamp?: string;
}

function pod(name: string, o: P = {}): Pod {
  const p = makePod({
    name,
    uid: name,
    ...(o.node === undefined ? {} : { nodeName: o.node }),
    ...(o.priority === undefined ? {} : { priority: o.priority }),
    ...(o.req === undefined ? {} : { requests: o.req }),
    ...(o.labels === undefined ? {} : { labels: o.labels }),
    ...(o.preemptionPolicy === undefined ? {} : { preemptionPolicy: o.preemptionPolicy }),
    ...(o.nominatedNodeName === undefined ? {} : { nominatedNodeName: o.nominatedNodeName }),
    ...(o.deletionTimestamp === undefined ? {} : { deletionTimestamp: o.deletionTimestamp }),
  });
  return o.start === undefined ? p : { ...p, status: { ...p.status, startTime: o.start } };
}

/** A policy/v1 PodDisruptionBudget as the manifest loader keeps it. */
function pdb(
  name: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
  namespace = "default",
): KeptObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: {
      name,
      namespace,
      uid: `uid-pdb-${name}`,
      labels: {},
      annotations: {},
      ownerReferences: [],
    },
    body: { spec, ...(status === undefined ? {} : { status }) },
    source: { file: "<test>" },
  };
}
const matchLabels = (labels: Labels) => ({ selector: { matchLabels: labels } });

/** `tf.FakeFilterPlugin`: the given code on every node (Success by default), counting calls. */
function countingFilter(code: Code = "Success"): FilterPlugin & { calls: number } {
  const f = {
    name: "FakeFilter",
    calls: 0,
    filter(): Status {
      f.calls++;
      return code === "Success" ? SUCCESS : newStatus(code);
    },
  };
  return f;
}

/** Upstream's `TestPlugin`: a PreFilter whose AddPod/RemovePod fail on nodes labelled error=true. */
const testPlugin: PreFilterPlugin = {
  name: "test-plugin",
  preFilter: () => ({ result: null, status: SUCCESS }),
  addPod: (_s, podToSchedule, _p, info) =>
    info.node.metadata.labels["error"] === "true"
      ? newStatus("Error", `failed to add pod: ${podToSchedule.metadata.name}`)
      : SUCCESS,
  removePod: (_s, podToSchedule, _p, info) =>
    info.node.metadata.labels["error"] === "true"
      ? newStatus("Error", `failed to remove pod: ${podToSchedule.metadata.name}`)
      : SUCCESS,
};

interface Setup {
  nodes: readonly Node[];
  pods: readonly Pod[];
  pdbs?: readonly KeptObject[];
  args?: { minCandidateNodesPercentage: number; minCandidateNodesAbsolute: number };
  /** Extra plugins: filters run before NodeResourcesFit, PreFilter-only ones after it. */
  filters?: readonly FilterPlugin[];
  preFilters?: readonly PreFilterPlugin[];
  /** Without NodeResourcesFit (TestDryRunPreemption's filter-only cases). */
  noFit?: boolean;
  seed?: number;
}

const ref = (name: string): PluginRef => ({ name, weight: 0 });

/**
 * A framework with NodeResourcesFit (PreFilter + Filter), the extra plugins and DefaultPreemption
 * at PostFilter, pointed at a snapshot of `nodes` + `pods` + `pdbs`, and the cycle state after
 * PreFilter for the preemptor.
 */
function setup(s: Setup, preemptor: Pod) {
  const registry = defaultRegistry();
  for (const p of [...(s.filters ?? []), ...(s.preFilters ?? [])]) {
    registry.register(p.name, () => p);
  }
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, []])) as unknown as Record<
    string,
    PluginRef[]
  >;
  const fit = s.noFit ? [] : [ref("NodeResourcesFit")];
  plugins["preFilter"] = [...fit, ...(s.preFilters ?? []).map((p) => ref(p.name))];
  plugins["filter"] = [...(s.filters ?? []).map((p) => ref(p.name)), ...fit];
  plugins["postFilter"] = [ref("DefaultPreemption")];
  const pluginConfig = new Map<string, PluginArgs>();
  if (s.args) pluginConfig.set("DefaultPreemption", { kind: "DefaultPreemptionArgs", ...s.args });
  const profile: Profile = {
    schedulerName: "default-scheduler",
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig,
  };
  const fwk = newFramework(profile, registry);
  const snapshot = new Snapshot(s.nodes, s.pods, { kept: s.pdbs ?? [] });
  const rng = new Pcg32(BigInt(s.seed ?? 0));
  fwk.setSnapshot(snapshot);
  fwk.setRng(rng);
  const state = new CycleState();
  const pre = runPreFilterPlugins(fwk, state, preemptor, snapshot.nodeInfoList);
  expect(pre.status.code).toBe("Success");
  const plugin = fwk.postFilterPlugins[0] as DefaultPreemptionPlugin;
  return { fwk, snapshot, state, plugin, rng };
}

/** `framework.NewNodeToStatus(map, UnschedulableAndUnresolvable)`. */
function statuses(entries: Record<string, Code>): NodeToStatus {
  return new NodeToStatus(new Map(Object.entries(entries).map(([n, c]) => [n, newStatus(c)])));
}

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);

/** A profile of NodeResourcesFit (PreFilter, Filter) and DefaultPreemption (PostFilter). */
function fitAndPreemption(): Profile {
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, []])) as unknown as Record<
    string,
    PluginRef[]
  >;
  plugins["preFilter"] = [ref("NodeResourcesFit")];
  plugins["filter"] = [ref("NodeResourcesFit")];
  plugins["postFilter"] = [ref("DefaultPreemption")];
  return {
    schedulerName: "default-scheduler",
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig: new Map(),
  };
}

/**
 * One core cycle (`WasmScheduler.evaluate`) over a profile of NodeResourcesFit and
 * DefaultPreemption: the preemption outcome. Cross-checked against the reference framework's
 * `explain` on the same profile and seed (nominated node and victims).
 */
async function corePreemption(
  nodes: readonly Node[],
  pods: readonly Pod[],
  preemptor: Pod,
  pdbs: readonly KeptObject[] = [],
  seed = 3,
): Promise<{ node: string | null; victims: readonly string[] }> {
  const profile = fitAndPreemption();
  const core = await WasmScheduler.create({
    nodes,
    boundPods: pods,
    profile,
    seed,
    objects: { kept: pdbs },
    build: "debug",
  });
  const ev = core.evaluate(preemptor);
  expect(ev.preemption).toBeDefined();
  const got = { node: ev.preemption?.node ?? null, victims: ev.preemption?.victims ?? [] };
  const reference = explain(
    preemptor,
    new Snapshot(nodes, pods, { kept: pdbs }),
    newFramework(profile, defaultRegistry()),
    { rng: new Pcg32(BigInt(seed)) },
  );
  expect(got).toEqual({
    node: reference.preemption?.node ?? null,
    victims: reference.preemption?.victims ?? [],
  });
  return got;
}

describe("DefaultPreemption PostFilter (upstream TestPostFilter)", () => {
  interface Row {
    name: string;
    pod: Pod;
    pods: Pod[];
    nodes: Node[];
    pdbs?: KeptObject[];
    filtered: NodeToStatus;
    /** `filtered` is not what NodeResourcesFit gives (the row is about the statuses given). */
    givenStatuses?: true;
    preFilters?: PreFilterPlugin[];
    want: { nominatedNodeName?: string; code: Code; message: string; victims?: string[] };
  }
  const rows: Row[] = [
    {
      name: "pod with higher priority can be made schedulable",
      pod: pod("p", { priority: HIGH }),
      pods: [pod("p1", { node: "node1" })],
      nodes: [node("node1", ONE_POD)],
      filtered: statuses({ node1: "Unschedulable" }),
      want: { nominatedNodeName: "node1", code: "Success", message: "", victims: ["p1"] },
    },
    {
      name: "pod with tied priority is still unschedulable",
      pod: pod("p"),
      pods: [pod("p1", { node: "node1" })],
      nodes: [node("node1", ONE_POD)],
      filtered: statuses({ node1: "Unschedulable" }),
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message:
          "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      },
    },
    {
      name: "preemption should respect filteredNodesStatuses",
      pod: pod("p", { priority: HIGH }),
      pods: [pod("p1", { node: "node1" })],
      nodes: [node("node1", ONE_POD)],
      filtered: statuses({ node1: "UnschedulableAndUnresolvable" }),
      givenStatuses: true,
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message: "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
      },
    },
    {
      name: "preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable",
      pod: pod("p", { priority: HIGH }),
      pods: [pod("p1", { node: "node1" })],
      nodes: [node("node1", ONE_POD)],
      filtered: new NodeToStatus(),
      givenStatuses: true,
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message: "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
      },
    },
    {
      name: "pod can be made schedulable on one node",
      pod: pod("p", { priority: MID }),
      pods: [
        pod("p1", { priority: HIGH, node: "node1" }),
        pod("p2", { priority: LOW, node: "node2" }),
      ],
      nodes: [node("node1", ONE_POD), node("node2", ONE_POD)],
      filtered: statuses({ node1: "Unschedulable", node2: "Unschedulable" }),
      want: { nominatedNodeName: "node2", code: "Success", message: "", victims: ["p2"] },
    },
    {
      // node1: p1 (high, non-violating PDB) and p2 (low, violating): both victims, 1 violation;
      // node2: p3 (mid, violating): 1 violation. Tie on violations → lower highest priority.
      name: "pod can be made schedulable on minHighestPriority node",
      pod: pod("p", { priority: VERY_HIGH }),
      pods: [
        pod("p1", { priority: HIGH, node: "node1", labels: { pdb: "non-violating" } }),
        pod("p2", { priority: LOW, node: "node1", labels: { pdb: "violating" } }),
        pod("p3", { priority: MID, node: "node2", labels: { pdb: "violating" } }),
      ],
      pdbs: [
        pdb(
          "violating-pdb",
          { ...matchLabels({ pdb: "violating" }), minAvailable: "100%" },
          { disruptionsAllowed: 0 },
        ),
        pdb(
          "non-violating-pdb",
          { ...matchLabels({ pdb: "non-violating" }), minAvailable: "0" },
          { disruptionsAllowed: 2147483647 },
        ),
      ],
      nodes: [node("node1", ONE_POD), node("node2", ONE_POD)],
      filtered: statuses({ node1: "Unschedulable", node2: "Unschedulable" }),
      want: { nominatedNodeName: "node2", code: "Success", message: "", victims: ["p3"] },
    },
    {
      name: "no candidate nodes found, no enough resource after removing low priority pods",
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [pod("p1", { node: "node1" }), pod("p2", { node: "node2" })],
      nodes: [node("node1", NODE_RES), node("node2", NODE_RES)],
      filtered: statuses({ node1: "Unschedulable", node2: "Unschedulable" }),
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message: "preemption: 0/2 nodes are available: 2 Insufficient cpu.",
      },
    },
    {
      name: "no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource",
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [
        pod("p1", { node: "node1", priority: HIGH }),
        pod("p2", { node: "node2" }),
        pod("p3", { node: "node3", priority: HIGH }),
      ],
      nodes: [node("node1", ONE_POD), node("node2", NODE_RES), node("node3", ONE_POD)],
      filtered: statuses({
        node1: "Unschedulable",
        node2: "Unschedulable",
        node3: "Unschedulable",
      }),
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message:
          "preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.",
      },
    },
    {
      name: "no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [pod("p1", { node: "node1" }), pod("p2", { node: "node2" })],
      nodes: ["node1", "node2", "node3", "node4"].map((n) => node(n, NODE_RES)),
      filtered: statuses({
        node1: "Unschedulable",
        node2: "Unschedulable",
        node4: "UnschedulableAndUnresolvable",
      }),
      want: {
        nominatedNodeName: "",
        code: "Unschedulable",
        message:
          "preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.",
      },
    },
    {
      name: "only one node but failed with TestPlugin",
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [pod("p1", { node: "node1" })],
      nodes: [node("node1", LARGE, { error: "true" })],
      filtered: statuses({ node1: "Unschedulable" }),
      preFilters: [testPlugin],
      want: {
        code: "Error",
        message:
          'preemption: running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p',
      },
    },
    {
      name: "one failed with TestPlugin and the other pass",
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [pod("p1", { node: "node1" }), pod("p2", { node: "node2", req: MEDIUM })],
      nodes: [node("node1", LARGE, { error: "true" }), node("node2", LARGE)],
      filtered: statuses({ node1: "Unschedulable", node2: "Unschedulable" }),
      preFilters: [testPlugin],
      want: { nominatedNodeName: "node2", code: "Success", message: "", victims: ["p2"] },
    },
  ];

  it.each(rows)("$name", (row) => {
    const { plugin, state } = setup(
      {
        nodes: row.nodes,
        pods: row.pods,
        ...(row.pdbs ? { pdbs: row.pdbs } : {}),
        ...(row.preFilters ? { preFilters: row.preFilters } : {}),
      },
      row.pod,
    );
    const r = plugin.postFilter(state, row.pod, row.filtered);
    expect(r.status.code).toBe(row.want.code);
    expect(r.status.reasons.join(", ")).toBe(row.want.message);
    expect(r.nominatedNodeName).toBe(row.want.nominatedNodeName);
    expect(names(r.victims)).toEqual(row.want.victims ?? []);
  });

  // On the core: one whole cycle (NodeResourcesFit, then DefaultPreemption at PostFilter), the
  // statuses its own. Rows with fake plugins or hand-given statuses stay on the reference.
  it.each(rows.filter((r) => r.preFilters === undefined && r.givenStatuses === undefined))(
    "[wasm] $name",
    async (row) => {
      const got = await corePreemption(row.nodes, row.pods, row.pod, row.pdbs);
      expect(got).toEqual({
        node: row.want.code === "Success" ? (row.want.nominatedNodeName ?? null) : null,
        victims: (row.want.victims ?? []).map((v) => `default/${v}`),
      });
    },
  );

  it("a pod with preemptionPolicy Never is not eligible: no nomination change, no victims", () => {
    const p = pod("p", { priority: HIGH, preemptionPolicy: "Never", req: VERY_LARGE });
    const { plugin, state, rng } = setup(
      { nodes: [node("node1"), node("node2")], pods: [pod("p1", { node: "node1", req: SMALL })] },
      p,
    );
    const before = new Pcg32(0n);
    const r = plugin.postFilter(state, p, statuses({ node1: "Unschedulable" }));
    expect(r).toEqual({
      victims: [],
      status: newStatus("Unschedulable", "preemption: not eligible due to preemptionPolicy=Never."),
    });
    expect(rng.nextU32()).toBe(before.nextU32()); // no draw
  });

  it("computes a PDB's disruptionsAllowed when the object has no status", () => {
    // Two app=web pods, minAvailable 1, no status → 2 healthy − 1 desired = 1 allowed: the first
    // (more important) victim is within budget, the second violates it.
    const p = pod("p", { priority: HIGH, req: VERY_LARGE });
    const web = { app: "web" };
    const pods = [
      pod("w1", { node: "node1", req: MEDIUM, labels: web, start: epoch(1) }),
      pod("w2", { node: "node1", req: MEDIUM, labels: web, start: epoch(2) }),
    ];
    const budget = pdb("web", { ...matchLabels(web), minAvailable: 1 });
    const { plugin, state } = setup({ nodes: [node("node1")], pods, pdbs: [budget] }, p);
    const [parsed] = plugin.podDisruptionBudgets();
    expect(parsed).toMatchObject({ disruptionsAllowed: 1, computed: true });
    const info = plugin["handle"].snapshot().get("node1") as NodeInfo;
    const r = plugin.selectVictimsOnNode(state.clone(), p, info.clone(), [parsed!]);
    expect(names(r.victims)).toEqual(["w1", "w2"]);
    expect(r.numPDBViolations).toBe(1);
  });
});

describe("DefaultPreemption dry run (upstream TestDryRunPreemption)", () => {
  interface Row {
    name: string;
    nodeNames: string[];
    testPods: Pod[];
    initPods: Pod[];
    pdbs?: KeptObject[];
    args?: { minCandidateNodesPercentage: number; minCandidateNodesAbsolute: number };
    /** Extra filter plugin before NodeResourcesFit ("FalseFilter" etc.); `noFit` drops the latter. */
    extraFilter?: FilterPlugin;
    noFit?: boolean;
    fakeFilterRC?: Code;
    /** Upstream's `rand.New(rand.NewSource(4)).Int31n(len)` draws, one per test pod. */
    offsets?: number[];
    /** Per cycle: candidates sorted by name, victims sorted by name. */
    expected: { name: string; victims: string[]; numPDBViolations?: number }[][];
    expectedNumFilterCalled: number[];
  }
  const always = (name: string, code: Code): FilterPlugin => ({
    name,
    filter: (_s, p, info) =>
      name === "MatchFilter"
        ? p.metadata.name === info.name
          ? SUCCESS
          : newStatus("Unschedulable")
        : code === "Success"
          ? SUCCESS
          : newStatus(code),
  });
  const fits = (node: string, prio: number, req: Res, extra: P = {}) => ({
    node,
    priority: prio,
    req,
    ...extra,
  });
  const rows: Row[] = [
    {
      name: "a pod that does not fit on any node",
      extraFilter: always("FalseFilter", "Unschedulable"),
      noFit: true,
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH })],
      initPods: [
        pod("p1", { node: "node1", priority: MID }),
        pod("p2", { node: "node2", priority: MID }),
      ],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: "a pod that fits with no preemption",
      extraFilter: always("TrueFilter", "Success"),
      noFit: true,
      fakeFilterRC: "Unschedulable",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH })],
      initPods: [
        pod("p1", { node: "node1", priority: MID }),
        pod("p2", { node: "node2", priority: MID }),
      ],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: "a pod that fits on one node with no preemption",
      extraFilter: always("MatchFilter", "Success"),
      noFit: true,
      fakeFilterRC: "Unschedulable",
      nodeNames: ["node1", "node2"],
      testPods: [pod("node1", { priority: HIGH })],
      initPods: [
        pod("p1", { node: "node1", priority: MID }),
        pod("p2", { node: "node2", priority: MID }),
      ],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      name: "a pod that fits on both nodes when lower priority pods are preempted",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [pod("p1", fits("node1", MID, LARGE)), pod("p2", fits("node2", MID, LARGE))],
      expected: [
        [
          { name: "node1", victims: ["p1"] },
          { name: "node2", victims: ["p2"] },
        ],
      ],
      expectedNumFilterCalled: [4],
    },
    {
      name: "a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: LOW, req: LARGE })],
      initPods: [pod("p1", fits("node1", MID, LARGE)), pod("p2", fits("node2", MID, LARGE))],
      expected: [[]],
      expectedNumFilterCalled: [0],
    },
    {
      // node1: 300m + 300m > 500m → p1.2 goes; 100m + 300m fits → p1.1 stays. 1+2 and 1+1 calls.
      name: "medium priority pod is preempted, but lower priority one stays as it is small",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [
        pod("p1.1", fits("node1", LOW, SMALL)),
        pod("p1.2", fits("node1", MID, LARGE)),
        pod("p2", fits("node2", MID, LARGE)),
      ],
      expected: [
        [
          { name: "node1", victims: ["p1.2"] },
          { name: "node2", victims: ["p2"] },
        ],
      ],
      expectedNumFilterCalled: [5],
    },
    {
      // node1 keeps p1.4 (high = the pod's priority): 100m + 300m. Reprieve order p1.1, p1.3
      // (mid, node order), p1.2 (low): p1.1 fits (500m), p1.3 and p1.2 do not.
      name: "mixed priority pods are preempted",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [
        pod("p1.1", fits("node1", MID, SMALL)),
        pod("p1.2", fits("node1", LOW, SMALL)),
        pod("p1.3", fits("node1", MID, MEDIUM)),
        pod("p1.4", fits("node1", HIGH, SMALL)),
        pod("p2", fits("node2", HIGH, LARGE)),
      ],
      expected: [[{ name: "node1", victims: ["p1.2", "p1.3"] }]],
      expectedNumFilterCalled: [4],
    },
    {
      // Reprieve order p1.3 (mid), p1.2 (low, t4), p1.1 (low, t5): p1.3 does not fit back
      // (100 + 300 + 200), p1.2 does (500m), p1.1 does not.
      name: "mixed priority pods are preempted, pick later StartTime one when priorities are equal",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [
        pod("p1.1", fits("node1", LOW, SMALL, { start: epoch(5) })),
        pod("p1.2", fits("node1", LOW, SMALL, { start: epoch(4) })),
        pod("p1.3", fits("node1", MID, MEDIUM, { start: epoch(3) })),
        pod("p1.4", fits("node1", HIGH, SMALL, { start: epoch(2) })),
        pod("p2", fits("node2", HIGH, LARGE, { start: epoch(1) })),
      ],
      expected: [[{ name: "node1", victims: ["p1.1", "p1.3"] }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: "get Unschedulable in the preemption phase when the filter plugins filtering the nodes",
      fakeFilterRC: "Unschedulable",
      nodeNames: ["node1", "node2"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [pod("p1", fits("node1", MID, LARGE)), pod("p2", fits("node2", MID, LARGE))],
      expected: [[]],
      expectedNumFilterCalled: [2],
    },
    {
      // Budget 1: p1.1 takes it, p1.2 violates; both must go for 500m.
      name: "preemption with violation of same pdb",
      nodeNames: ["node1"],
      testPods: [pod("p", { priority: HIGH, req: VERY_LARGE })],
      initPods: [
        pod("p1.1", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
        pod("p1.2", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
      ],
      pdbs: [pdb("pdb", matchLabels({ app: "foo" }), { disruptionsAllowed: 1 })],
      expected: [[{ name: "node1", victims: ["p1.1", "p1.2"], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods",
      nodeNames: ["node1"],
      testPods: [pod("p", { priority: HIGH, req: VERY_LARGE })],
      initPods: [
        pod("p1.1", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
        pod("p1.2", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
      ],
      pdbs: [
        pdb("pdb", matchLabels({ app: "foo" }), {
          disruptionsAllowed: 1,
          disruptedPods: { p2: "2024-01-01T00:00:00Z" },
        }),
      ],
      expected: [[{ name: "node1", victims: ["p1.1", "p1.2"], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods",
      nodeNames: ["node1"],
      testPods: [pod("p", { priority: HIGH, req: VERY_LARGE })],
      initPods: [
        pod("p1.1", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
        pod("p1.2", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
      ],
      pdbs: [
        pdb("pdb", matchLabels({ app: "foo" }), {
          disruptionsAllowed: 1,
          disruptedPods: { "p1.2": "2024-01-01T00:00:00Z" },
        }),
      ],
      expected: [[{ name: "node1", victims: ["p1.1", "p1.2"], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [3],
    },
    {
      name: "preemption with violation of the pdb with pod whose eviction was processed, the victim which belongs to DisruptedPods is treated as 'nonViolating'",
      nodeNames: ["node1"],
      testPods: [pod("p", { priority: HIGH, req: VERY_LARGE })],
      initPods: [
        pod("p1.1", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
        pod("p1.2", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
        pod("p1.3", fits("node1", MID, MEDIUM, { labels: { app: "foo" } })),
      ],
      pdbs: [
        pdb("pdb", matchLabels({ app: "foo" }), {
          disruptionsAllowed: 1,
          disruptedPods: { "p1.3": "2024-01-01T00:00:00Z" },
        }),
      ],
      expected: [[{ name: "node1", victims: ["p1.1", "p1.2", "p1.3"], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [4],
    },
    {
      name: "all nodes are possible candidates, but DefaultPreemptionArgs limits to 2",
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      nodeNames: ["node1", "node2", "node3", "node4", "node5"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [1, 2, 3, 4, 5].map((i) => pod(`p${i}`, fits(`node${i}`, MID, LARGE))),
      offsets: [4], // node5 (yes), node1 (yes)
      expected: [
        [
          { name: "node1", victims: ["p1"] },
          { name: "node5", victims: ["p5"] },
        ],
      ],
      expectedNumFilterCalled: [4],
    },
    {
      name: "some nodes are not possible candidates, DefaultPreemptionArgs limits to 2",
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      nodeNames: ["node1", "node2", "node3", "node4", "node5"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [MID, VERY_HIGH, MID, MID, VERY_HIGH].map((prio, i) =>
        pod(`p${i + 1}`, fits(`node${i + 1}`, prio, LARGE)),
      ),
      offsets: [4], // node5 (no), node1 (yes), node2 (no), node3 (yes)
      expected: [
        [
          { name: "node1", victims: ["p1"] },
          { name: "node3", victims: ["p3"] },
        ],
      ],
      expectedNumFilterCalled: [4],
    },
    {
      name: "preemption offset across multiple scheduling cycles and wrap around",
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 },
      nodeNames: ["node1", "node2", "node3", "node4", "node5"],
      testPods: ["tp1", "tp2", "tp3"].map((n) => pod(n, { priority: HIGH, req: LARGE })),
      initPods: [1, 2, 3, 4, 5].map((i) => pod(`p${i}`, fits(`node${i}`, MID, LARGE))),
      offsets: [4, 1, 3],
      expected: [
        [
          { name: "node1", victims: ["p1"] },
          { name: "node5", victims: ["p5"] },
        ],
        [
          { name: "node2", victims: ["p2"] },
          { name: "node3", victims: ["p3"] },
        ],
        [
          { name: "node4", victims: ["p4"] },
          { name: "node5", victims: ["p5"] },
        ],
      ],
      expectedNumFilterCalled: [4, 4, 4],
    },
    {
      // node5 (PDB), node1 (PDB), node2 (PDB: dropped, the violating list is full), node3 (no
      // PDB) → stop: 1 non-violating + 2 violating ≥ 2.
      name: "preemption looks past numCandidates until a non-PDB violating node is found",
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2 },
      nodeNames: ["node1", "node2", "node3", "node4", "node5"],
      testPods: [pod("p", { priority: HIGH, req: LARGE })],
      initPods: [
        pod("p1", fits("node1", MID, LARGE, { labels: { app: "foo" } })),
        pod("p2", fits("node2", MID, LARGE, { labels: { app: "foo" } })),
        pod("p3", fits("node3", MID, LARGE)),
        pod("p4", fits("node4", MID, LARGE)),
        pod("p5", fits("node5", MID, LARGE, { labels: { app: "foo" } })),
      ],
      pdbs: [pdb("pdb", matchLabels({ app: "foo" }), { disruptionsAllowed: 0 })],
      offsets: [4],
      expected: [
        [
          { name: "node1", victims: ["p1"], numPDBViolations: 1 },
          { name: "node3", victims: ["p3"] },
          { name: "node5", victims: ["p5"], numPDBViolations: 1 },
        ],
      ],
      expectedNumFilterCalled: [8],
    },
  ];

  it.each(rows)("$name", (row) => {
    const counter = countingFilter(row.fakeFilterRC);
    const nodes = row.nodeNames.map((n) => node(n));
    let prev = 0;
    row.testPods.forEach((p, cycle) => {
      const { plugin, state, snapshot } = setup(
        {
          nodes,
          pods: row.initPods,
          filters: [counter, ...(row.extraFilter ? [row.extraFilter] : [])],
          ...(row.noFit ? { noFit: true } : {}),
          ...(row.args ? { args: row.args } : {}),
        },
        p,
      );
      const infos = [...snapshot.nodeInfoList].sort((a, b) => a.name.localeCompare(b.name));
      const pdbs = readPodDisruptionBudgets(row.pdbs ?? [], () => []);
      const numCandidates = plugin.calculateNumCandidates(infos.length);
      const offset = row.offsets?.[cycle] ?? 0;
      const got = plugin.dryRunPreemption(state, p, infos, pdbs, offset, numCandidates);
      const candidates = got.candidates
        .map((c) => ({
          name: c.name,
          victims: names(c.victims).sort(),
          ...(c.numPDBViolations ? { numPDBViolations: c.numPDBViolations } : {}),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const want = (row.expected[cycle] ?? []).map((c) => ({
        name: c.name,
        victims: c.victims,
        ...(c.numPDBViolations ? { numPDBViolations: c.numPDBViolations } : {}),
      }));
      expect(candidates).toEqual(want);
      expect(counter.calls - prev).toBe(row.expectedNumFilterCalled[cycle]);
      prev = counter.calls;
    });
  });

  // On the core: the rows without fake filter plugins, through WasmScheduler.dryRunPreemption
  // (NodeResourcesFit the only filter), each test pod on a fresh core with the row's offset.
  it.each(
    rows.filter((r) => r.extraFilter === undefined && !r.noFit && r.fakeFilterRC === undefined),
  )("[wasm] $name", async (row) => {
    const nodes = row.nodeNames.map((n) => node(n));
    const sorted = [...row.nodeNames].sort((a, b) => a.localeCompare(b));
    for (const [cycle, p] of row.testPods.entries()) {
      const core = await WasmScheduler.create({
        nodes,
        boundPods: row.initPods,
        profile: fitAndPreemption(),
        objects: { kept: row.pdbs ?? [] },
        build: "debug",
      });
      const args = defaultDefaultPreemptionArgs(row.args);
      const got = core
        .dryRunPreemption(
          p,
          sorted,
          row.offsets?.[cycle] ?? 0,
          calculateNumCandidates(args, sorted.length),
        )
        .map((c) => ({
          name: c.name,
          victims: c.victims.map((v) => v.replace(/^default\//, "")).sort(),
          ...(c.numPDBViolations ? { numPDBViolations: c.numPDBViolations } : {}),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const want = (row.expected[cycle] ?? []).map((c) => ({
        name: c.name,
        victims: c.victims,
        ...(c.numPDBViolations ? { numPDBViolations: c.numPDBViolations } : {}),
      }));
      expect(got).toEqual(want);
    }
  });

  it("victims come back most important first; the snapshot's node info is not touched", () => {
    const p = pod("p", { priority: HIGH, req: LARGE });
    const initPods = [
      pod("p1.1", fits("node1", LOW, SMALL, { start: epoch(5) })),
      pod("p1.2", fits("node1", LOW, SMALL, { start: epoch(4) })),
      pod("p1.3", fits("node1", MID, MEDIUM, { start: epoch(3) })),
      pod("p1.4", fits("node1", HIGH, SMALL, { start: epoch(2) })),
    ];
    const { plugin, state, snapshot } = setup({ nodes: [node("node1")], pods: initPods }, p);
    const info = snapshot.get("node1") as NodeInfo;
    const got = plugin.dryRunPreemption(state, p, [info], [], 0, 1);
    expect(names(got.candidates[0]?.victims ?? [])).toEqual(["p1.3", "p1.1"]);
    expect(names(info.pods)).toEqual(["p1.1", "p1.2", "p1.3", "p1.4"]);
    expect(info.requested.milliCPU).toBe(500);
  });

  it("the offset is one PCG32 draw nextBounded(N) for N ≥ 2 potential nodes, none for N = 1", () => {
    const p = pod("p", { priority: HIGH });
    for (const seed of [0, 1, 7, 42]) {
      const { plugin, rng } = setup({ nodes: [node("node1")], pods: [], seed }, p);
      const twin = new Pcg32(BigInt(seed));
      expect(plugin.getOffsetAndNumCandidates(5)).toEqual({
        offset: twin.nextBounded(5),
        numCandidates: 5,
      });
      expect(plugin.getOffsetAndNumCandidates(1)).toEqual({ offset: 0, numCandidates: 1 });
      expect(rng.nextU32()).toBe(twin.nextU32());
    }
  });

  it("calculateNumCandidates: max(N × pct / 100, abs), at most N", () => {
    const p = pod("p");
    const at = (args: Setup["args"], n: number) =>
      setup(
        { nodes: [node("n")], pods: [], ...(args ? { args } : {}) },
        p,
      ).plugin.calculateNumCandidates(n);
    expect(at(undefined, 50)).toBe(50);
    expect(at(undefined, 5000)).toBe(500);
    expect(at({ minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, 5)).toBe(2);
    expect(at({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 3 }, 10)).toBe(3);
    expect(at({ minCandidateNodesPercentage: 100, minCandidateNodesAbsolute: 0 }, 7)).toBe(7);
  });
});

describe("DefaultPreemption node choice (upstream TestSelectBestCandidate)", () => {
  const rows: { name: string; nodeNames: string[]; pod: Pod; pods: Pod[]; expected: string }[] = [
    {
      // Upstream accepts either; the reference takes the first candidate in visiting order.
      name: "a pod that fits on both nodes when lower priority pods are preempted",
      nodeNames: ["node1", "node2"],
      pod: pod("p", { priority: HIGH, req: LARGE }),
      pods: [
        pod("p1", { node: "node1", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2", { node: "node2", priority: MID, req: LARGE, start: epoch(0) }),
      ],
      expected: "node1",
    },
    {
      name: "node with min highest priority pod is picked",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p1.2", { node: "node1", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2.1", { node: "node2", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p2.2", { node: "node2", priority: LOW, req: MEDIUM, start: epoch(0) }),
        pod("p3.1", { node: "node3", priority: LOW, req: MEDIUM, start: epoch(0) }),
        pod("p3.2", { node: "node3", priority: LOW, req: MEDIUM, start: epoch(0) }),
      ],
      expected: "node3",
    },
    {
      name: "when highest priorities are the same, minimum sum of priorities is picked",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p1.2", { node: "node1", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2.1", { node: "node2", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2.2", { node: "node2", priority: LOW, req: MEDIUM, start: epoch(0) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p3.2", { node: "node3", priority: MID, req: MEDIUM, start: epoch(0) }),
      ],
      expected: "node2",
    },
    {
      // Σ(priority + 2^31): node1 4×2^31, node2 2×2^31, node3 3×2^31.
      name: "when highest priority and sum are the same, minimum number of pods is picked",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p1.2", { node: "node1", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p1.3", { node: "node1", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p1.4", { node: "node1", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p2.1", { node: "node2", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2.2", { node: "node2", priority: NEG, req: MEDIUM, start: epoch(0) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p3.2", { node: "node3", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p3.3", { node: "node3", priority: LOW, req: SMALL, start: epoch(0) }),
      ],
      expected: "node2",
    },
    {
      name: "sum of adjusted priorities is considered",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p1.2", { node: "node1", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p1.3", { node: "node1", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p2.1", { node: "node2", priority: MID, req: LARGE, start: epoch(0) }),
        pod("p2.2", { node: "node2", priority: NEG, req: MEDIUM, start: epoch(0) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p3.2", { node: "node3", priority: NEG, req: SMALL, start: epoch(0) }),
        pod("p3.3", { node: "node3", priority: LOW, req: SMALL, start: epoch(0) }),
      ],
      expected: "node2",
    },
    {
      name: "non-overlapping lowest high priority, sum priorities, and number of pods",
      nodeNames: ["node1", "node2", "node3", "node4"],
      pod: pod("p", { priority: VERY_HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p1.2", { node: "node1", priority: LOW, req: SMALL, start: epoch(0) }),
        pod("p1.3", { node: "node1", priority: LOW, req: SMALL, start: epoch(0) }),
        pod("p2.1", { node: "node2", priority: HIGH, req: LARGE, start: epoch(0) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p3.2", { node: "node3", priority: LOW, req: SMALL, start: epoch(0) }),
        pod("p3.3", { node: "node3", priority: LOW, req: SMALL, start: epoch(0) }),
        pod("p3.4", { node: "node3", priority: LOW, req: MEDIUM, start: epoch(0) }),
        pod("p4.1", { node: "node4", priority: MID, req: MEDIUM, start: epoch(0) }),
        pod("p4.2", { node: "node4", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p4.3", { node: "node4", priority: MID, req: SMALL, start: epoch(0) }),
        pod("p4.4", { node: "node4", priority: NEG, req: SMALL, start: epoch(0) }),
      ],
      expected: "node1",
    },
    {
      name: "same priority, same number of victims, different start time for each node's pod",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: MEDIUM, start: epoch(2) }),
        pod("p1.2", { node: "node1", priority: MID, req: MEDIUM, start: epoch(2) }),
        pod("p2.1", { node: "node2", priority: MID, req: MEDIUM, start: epoch(3) }),
        pod("p2.2", { node: "node2", priority: MID, req: MEDIUM, start: epoch(3) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(1) }),
        pod("p3.2", { node: "node3", priority: MID, req: MEDIUM, start: epoch(1) }),
      ],
      expected: "node2",
    },
    {
      name: "same priority, same number of victims, different start time for all pods",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: MID, req: MEDIUM, start: epoch(4) }),
        pod("p1.2", { node: "node1", priority: MID, req: MEDIUM, start: epoch(2) }),
        pod("p2.1", { node: "node2", priority: MID, req: MEDIUM, start: epoch(5) }),
        pod("p2.2", { node: "node2", priority: MID, req: MEDIUM, start: epoch(1) }),
        pod("p3.1", { node: "node3", priority: MID, req: MEDIUM, start: epoch(3) }),
        pod("p3.2", { node: "node3", priority: MID, req: MEDIUM, start: epoch(6) }),
      ],
      expected: "node3",
    },
    {
      name: "different priority, same number of victims, different start time for all pods",
      nodeNames: ["node1", "node2", "node3"],
      pod: pod("p", { priority: HIGH, req: VERY_LARGE }),
      pods: [
        pod("p1.1", { node: "node1", priority: LOW, req: MEDIUM, start: epoch(4) }),
        pod("p1.2", { node: "node1", priority: MID, req: MEDIUM, start: epoch(2) }),
        pod("p2.1", { node: "node2", priority: MID, req: MEDIUM, start: epoch(6) }),
        pod("p2.2", { node: "node2", priority: LOW, req: MEDIUM, start: epoch(1) }),
        pod("p3.1", { node: "node3", priority: LOW, req: MEDIUM, start: epoch(3) }),
        pod("p3.2", { node: "node3", priority: MID, req: MEDIUM, start: epoch(5) }),
      ],
      expected: "node2",
    },
  ];

  // On the core, a whole cycle whose PRNG draws the dry run's offset: with every node a candidate
  // the choice does not depend on it, except for the final tie (the first row: either node).
  it.each(rows)("[wasm] $name", async (row) => {
    const got = await corePreemption(
      row.nodeNames.map((n) => node(n)),
      row.pods,
      row.pod,
    );
    if (row.name.startsWith("a pod that fits on both nodes")) {
      expect(["node1", "node2"]).toContain(got.node);
    } else {
      expect(got.node).toBe(row.expected);
    }
  });

  it.each(rows)("$name", (row) => {
    const { plugin, state, snapshot } = setup(
      { nodes: row.nodeNames.map((n) => node(n)), pods: row.pods },
      row.pod,
    );
    const infos = snapshot.nodeInfoList;
    const got = plugin.dryRunPreemption(
      state,
      row.pod,
      infos,
      [],
      0,
      plugin.calculateNumCandidates(infos.length),
    );
    expect(plugin.selectCandidate(got.candidates)?.name).toBe(row.expected);
  });

  it("pickOneNodeForPreemption: fewest PDB violations first, then the criteria in order, then the first", () => {
    const v = (name: string, priority: number, start?: number) =>
      pod(name, { priority, ...(start === undefined ? {} : { start: epoch(start) }) });
    const c = (name: string, victims: Pod[], numPDBViolations = 0): Candidate => ({
      name,
      victims,
      numPDBViolations,
    });
    // 1. PDB violations beat everything else.
    expect(
      pickOneNodeForPreemption([c("a", [v("x", LOW)], 1), c("b", [v("y", HIGH), v("z", HIGH)])]),
    ).toBe("b");
    // 2. lowest highest-victim priority.
    expect(
      pickOneNodeForPreemption([c("a", [v("x", MID)]), c("b", [v("y", LOW), v("z", LOW)])]),
    ).toBe("b");
    // 3. smallest Σ(priority + 2^31): two negative victims cost more than one.
    expect(
      pickOneNodeForPreemption([c("a", [v("x", MID), v("y", NEG)]), c("b", [v("z", MID)])]),
    ).toBe("b");
    // 5. latest earliest start among the highest-priority victims; no start time = "now".
    expect(
      pickOneNodeForPreemption([
        c("a", [v("x", MID, 3)]),
        c("b", [v("y", MID)]),
        c("c", [v("z", MID, 9)]),
      ]),
    ).toBe("b");
    // 6. all equal: the first.
    expect(pickOneNodeForPreemption([c("b", [v("x", MID, 1)]), c("a", [v("y", MID, 1)])])).toBe(
      "b",
    );
    expect(pickOneNodeForPreemption([])).toBe("");
  });
});

describe("DefaultPreemption eligibility (upstream TestPodEligibleToPreemptOthers)", () => {
  const terminatingByPreemption = (p: Pod): Pod => ({
    ...p,
    status: {
      ...p.status,
      conditions: [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" }],
    } as Pod["status"],
  });
  const deleting = "2024-01-01T00:00:00Z";
  const rows: {
    name: string;
    pod: Pod;
    pods: Pod[];
    nodes: string[];
    nominatedNodeStatus: Status;
    expected: boolean;
  }[] = [
    {
      name: "Pod with nominated node",
      pod: pod("p_with_nominated_node", { priority: HIGH, nominatedNodeName: "node1" }),
      pods: [pod("p1", { priority: LOW, node: "node1", deletionTimestamp: deleting })],
      nodes: ["node1"],
      nominatedNodeStatus: newStatus(
        "UnschedulableAndUnresolvable",
        "node(s) had untolerated taint(s)",
      ),
      expected: true,
    },
    {
      name: "Pod without nominated node",
      pod: pod("p_without_nominated_node", { priority: HIGH }),
      pods: [],
      nodes: [],
      nominatedNodeStatus: SUCCESS,
      expected: true,
    },
    {
      name: "Pod with 'PreemptNever' preemption policy",
      pod: pod("p_with_preempt_never_policy", { priority: HIGH, preemptionPolicy: "Never" }),
      pods: [],
      nodes: [],
      nominatedNodeStatus: SUCCESS,
      expected: false,
    },
    {
      name: "preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition",
      pod: pod("p_with_nominated_node", { priority: HIGH, nominatedNodeName: "node1" }),
      pods: [
        terminatingByPreemption(
          pod("p1", { priority: LOW, node: "node1", deletionTimestamp: deleting }),
        ),
      ],
      nodes: ["node1"],
      nominatedNodeStatus: SUCCESS,
      expected: false,
    },
    {
      name: "non-victim Pods terminating",
      pod: pod("p_with_nominated_node", { priority: HIGH, nominatedNodeName: "node1" }),
      pods: [pod("p1", { priority: LOW, node: "node1", deletionTimestamp: deleting })],
      nodes: ["node1"],
      nominatedNodeStatus: SUCCESS,
      expected: true,
    },
  ];

  it.each(rows)("$name", (row) => {
    const { plugin } = setup(
      { nodes: row.nodes.map((n) => makeNode({ name: n })), pods: row.pods, noFit: true },
      row.pod,
    );
    expect(plugin.podEligibleToPreemptOthers(row.pod, row.nominatedNodeStatus).eligible).toBe(
      row.expected,
    );
  });

  it("the factory needs the framework's handle and valid args", () => {
    const snapshot = new Snapshot([], []);
    expect(() => newDefaultPreemption({}, handleOf(snapshot))).toThrow("framework handle");
    expect(() =>
      setup(
        {
          nodes: [],
          pods: [],
          args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 },
        },
        pod("p"),
      ),
    ).toThrow("cannot be zero at the same time");
  });
});

describe("PodDisruptionBudgets (semantics §5.4)", () => {
  const labelled = (name: string, labels: Labels, extra: P = {}) =>
    pod(name, { node: "n", labels, ...extra });

  it("filterPodsWithPDBViolation walks the pods in order, decrementing every matching budget", () => {
    const pods = [
      labelled("a1", { app: "a" }),
      labelled("a2", { app: "a" }),
      labelled("b1", { app: "b", tier: "x" }),
      pod("bare", { node: "n" }),
      {
        ...labelled("other-ns", { app: "a" }),
        metadata: {
          ...labelled("x", { app: "a" }).metadata,
          name: "other-ns",
          namespace: "elsewhere",
        },
      },
    ];
    const pdbs = readPodDisruptionBudgets(
      [
        pdb("a", matchLabels({ app: "a" }), { disruptionsAllowed: 1 }),
        pdb(
          "bx",
          { selector: { matchExpressions: [{ key: "tier", operator: "In", values: ["x"] }] } },
          {
            disruptionsAllowed: 0,
          },
        ),
        pdb("empty", { selector: {} }, { disruptionsAllowed: 0 }),
        pdb("nil", {}, { disruptionsAllowed: 0 }),
        pdb(
          "invalid",
          { selector: { matchExpressions: [{ key: "app", operator: "Bogus" }] } },
          {
            disruptionsAllowed: 0,
          },
        ),
      ],
      () => [],
    );
    const { violating, nonViolating } = filterPodsWithPDBViolation(pods, pdbs);
    expect(names(violating)).toEqual(["a2", "b1"]);
    expect(names(nonViolating)).toEqual(["a1", "bare", "other-ns"]);
  });

  it.each([
    ["minAvailable integer", { minAvailable: 2 }, 3, 1],
    ["minAvailable above the healthy pods", { minAvailable: 5 }, 3, 0],
    ["minAvailable percentage (rounded up)", { minAvailable: "50%" }, 3, 1],
    ["maxUnavailable integer", { maxUnavailable: 1 }, 3, 1],
    ["maxUnavailable percentage (rounded up)", { maxUnavailable: "34%" }, 3, 2],
    ["maxUnavailable wins over minAvailable", { maxUnavailable: 2, minAvailable: 3 }, 3, 2],
    ["neither: expected count 0", {}, 3, 0],
    ["invalid value", { minAvailable: "five" }, 3, 0],
    ["no pods", { maxUnavailable: 1 }, 0, 0],
  ])("computeDisruptionsAllowed: %s", (_name, spec, n, want) => {
    const pods = Array.from({ length: n }, (_, i) => labelled(`p${i}`, { app: "a" }));
    expect(computeDisruptionsAllowed(spec, pods)).toBe(want);
  });

  it("counts only healthy pods (not terminating, Running or no phase) but expects them all", () => {
    const pods = [
      labelled("ok", { app: "a" }, {}),
      labelled("gone", { app: "a" }, { deletionTimestamp: "2024-01-01T00:00:00Z" }),
      { ...labelled("pending", { app: "a" }), status: { phase: "Pending" as const } },
    ];
    expect(computeDisruptionsAllowed({ minAvailable: 0 }, pods)).toBe(1);
    expect(computeDisruptionsAllowed({ maxUnavailable: 2 }, pods)).toBe(0); // desired 1, healthy 1
  });

  it("readPodDisruptionBudgets uses status.disruptionsAllowed when present, else computes it", () => {
    const pods = [
      labelled("w1", { app: "w" }),
      labelled("w2", { app: "w" }),
      labelled("z", { app: "z" }),
    ];
    const [given, computed] = readPodDisruptionBudgets(
      [
        pdb("given", { ...matchLabels({ app: "w" }), minAvailable: 2 }, { disruptionsAllowed: 7 }),
        pdb("computed", { ...matchLabels({ app: "w" }), minAvailable: 1 }),
      ],
      () => pods,
    );
    expect(given).toMatchObject({ disruptionsAllowed: 7, computed: false });
    expect(computed).toMatchObject({ disruptionsAllowed: 1, computed: true });
  });

  it("start times parse to nanoseconds; absent or malformed ones are 'now'", () => {
    expect(podStartTime(pod("a", { start: epoch(1) }))).toBe(1n);
    expect(podStartTime(pod("b", { start: "2024-01-01T00:00:01Z" }))).toBe(1704067201000000000n);
    expect(podStartTime(pod("c", { start: "2024-01-01T01:00:00+01:00" }))).toBe(
      1704067200000000000n,
    );
    expect(podStartTime(pod("d"))).toBe(NOW_NANOS);
    expect(podStartTime(pod("e", { start: "yesterday" }))).toBe(NOW_NANOS);
  });
});
