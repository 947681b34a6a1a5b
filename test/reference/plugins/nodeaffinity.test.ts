/**
 * NodeAffinity — upstream `nodeaffinity/node_affinity_test.go` TestNodeAffinity and
 * TestNodeAffinityPriority (semantics §4.8). Every row runs on both engines
 * (test/reference/engines.ts). On the core, a Filter row runs twice: with NodeAffinity's PreFilter
 * in the profile (a node outside the PreFilterResult, or every node after a PreFilter conflict,
 * is CoreCode.PreFilterResult; otherwise Filter's verdict), and without it (Filter's verdict
 * alone, as upstream checks Filter after a PreFilter Skip or without PreFilter).
 */
import { describe, expect, it } from "vitest";
import type {
  Labels,
  NodeAffinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
} from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import type { FilterPlugin, PreFilterPlugin } from "../../../src/reference/framework/interfaces.ts";
import {
  ERR_REASON_CONFLICT,
  ERR_REASON_ENFORCED,
  ERR_REASON_POD,
  newNodeAffinity,
} from "../../../src/reference/plugins/nodeaffinity/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import {
  type CoreVerdict,
  coreVerdict,
  ENGINES,
  type Engine,
  evaluateOne,
  expectedVerdict,
  expectScores,
  type StatusLike,
} from "../engines.ts";
import { nodeInfoWith, runScore, scoresOf, st } from "../support.ts";

const expr = (
  key: string,
  operator: NodeSelectorRequirement["operator"],
  values: string[] = [],
) => ({ key, operator, values });
const field = (values: string[], operator: NodeSelectorRequirement["operator"] = "In") => ({
  key: "metadata.name",
  operator,
  values,
});
const term = (
  matchExpressions: NodeSelectorRequirement[] = [],
  matchFields: NodeSelectorRequirement[] = [],
): NodeSelectorTerm => ({ matchExpressions, matchFields });
const required = (...terms: NodeSelectorTerm[]): NodeAffinity => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
  preferredDuringSchedulingIgnoredDuringExecution: [],
});
const withAffinity = (nodeAffinity: NodeAffinity, nodeSelector?: Labels) =>
  makePod({ affinity: { nodeAffinity }, ...(nodeSelector ? { nodeSelector } : {}) });

const unresolvable = (reason: string) => ({
  code: "UnschedulableAndUnresolvable",
  reasons: [reason],
});
const ok = { code: "Success", reasons: [] };
const skip = { code: "Skip", reasons: [] };

interface Row {
  name: string;
  pod: Pod;
  labels?: Labels;
  nodeName?: string;
  wantStatus?: StatusLike;
  wantPreFilterStatus?: StatusLike;
  wantPreFilterResult?: string[];
  args?: { addedAffinity: NodeAffinity };
  runPreFilter?: boolean;
}

const rows: Row[] = [
  {
    name: "missing labels",
    pod: makePod({ nodeSelector: { foo: "bar" } }),
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  { name: "same labels", pod: makePod({ nodeSelector: { foo: "bar" } }), labels: { foo: "bar" } },
  {
    name: "node labels are superset",
    pod: makePod({ nodeSelector: { foo: "bar" } }),
    labels: { foo: "bar", baz: "blah" },
  },
  {
    name: "node labels are subset",
    pod: makePod({ nodeSelector: { foo: "bar", baz: "blah" } }),
    labels: { foo: "bar" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with matchExpressions using In operator that matches the existing node",
    pod: withAffinity(required(term([expr("foo", "In", ["bar", "value2"])]))),
    labels: { foo: "bar" },
  },
  {
    name: "Pod with matchExpressions using Gt operator that matches the existing node",
    pod: withAffinity(required(term([expr("kernel-version", "Gt", ["0204"])]))),
    labels: { "kernel-version": "0206" },
  },
  {
    name: "Pod with matchExpressions using NotIn operator that matches the existing node",
    pod: withAffinity(required(term([expr("mem-type", "NotIn", ["DDR", "DDR2"])]))),
    labels: { "mem-type": "DDR3" },
  },
  {
    name: "Pod with matchExpressions using Exists operator that matches the existing node",
    pod: withAffinity(required(term([expr("GPU", "Exists")]))),
    labels: { GPU: "NVIDIA-GRID-K1" },
  },
  {
    name: "Pod with affinity that don't match node's labels won't schedule onto the node",
    pod: withAffinity(required(term([expr("foo", "In", ["value1", "value2"])]))),
    labels: { foo: "bar" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
    pod: withAffinity(required(term())),
    labels: { foo: "bar" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with no Affinity will schedule onto a node",
    pod: makePod(),
    labels: { foo: "bar" },
    wantPreFilterStatus: skip,
  },
  {
    name: "Pod with Affinity but nil NodeSelector will schedule onto a node",
    pod: withAffinity({ preferredDuringSchedulingIgnoredDuringExecution: [] }),
    labels: { foo: "bar" },
    wantPreFilterStatus: skip,
  },
  {
    name: "Pod with multiple matchExpressions ANDed that matches the existing node",
    pod: withAffinity(
      required(term([expr("GPU", "Exists"), expr("GPU", "NotIn", ["AMD", "INTER"])])),
    ),
    labels: { GPU: "NVIDIA-GRID-K1" },
  },
  {
    name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
    pod: withAffinity(required(term([expr("GPU", "Exists"), expr("GPU", "In", ["AMD", "INTER"])]))),
    labels: { GPU: "NVIDIA-GRID-K1" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
    pod: withAffinity(
      required(
        term([expr("foo", "In", ["bar", "value2"])]),
        term([expr("diffkey", "In", ["wrong", "value2"])]),
      ),
    ),
    labels: { foo: "bar" },
  },
  {
    name: "Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node",
    pod: withAffinity(required(term([expr("foo", "Exists")])), { foo: "bar" }),
    labels: { foo: "bar" },
  },
  {
    name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
    pod: withAffinity(required(term([expr("foo", "Exists")])), { foo: "bar" }),
    labels: { foo: "barrrrrr" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
    pod: withAffinity(required(term([expr("foo", "NotIn", ["invalid value: ___@#$%^"])]))),
    labels: { foo: "bar" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with matchFields using In operator that matches the existing node",
    pod: withAffinity(required(term([], [field(["node1"])]))),
    nodeName: "node1",
    wantPreFilterResult: ["node1"],
  },
  {
    name: "Pod with matchFields using In operator that does not match the existing node",
    pod: withAffinity(required(term([], [field(["node1"])]))),
    nodeName: "node2",
    wantStatus: unresolvable(ERR_REASON_POD),
    wantPreFilterResult: ["node1"],
  },
  {
    name: "Pod with two terms: matchFields does not match, but matchExpressions matches",
    pod: withAffinity(required(term([], [field(["node1"])]), term([expr("foo", "In", ["bar"])]))),
    nodeName: "node2",
    labels: { foo: "bar" },
  },
  {
    name: "Pod with one term: matchFields does not match, but matchExpressions matches",
    pod: withAffinity(required(term([expr("foo", "In", ["bar"])], [field(["node1"])]))),
    nodeName: "node2",
    labels: { foo: "bar" },
    wantPreFilterResult: ["node1"],
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with one term: both matchFields and matchExpressions match",
    pod: withAffinity(required(term([expr("foo", "In", ["bar"])], [field(["node1"])]))),
    nodeName: "node1",
    labels: { foo: "bar" },
    wantPreFilterResult: ["node1"],
  },
  {
    name: "Pod with two terms: both matchFields and matchExpressions do not match",
    pod: withAffinity(
      required(term([], [field(["node1"])]), term([expr("foo", "In", ["not-match-to-bar"])])),
    ),
    nodeName: "node2",
    labels: { foo: "bar" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Pod with two terms of node.Name affinity",
    pod: withAffinity(required(term([], [field(["node1"])]), term([], [field(["node2"])]))),
    nodeName: "node2",
    wantPreFilterResult: ["node1", "node2"],
  },
  {
    name: "Pod with two conflicting mach field requirements",
    pod: withAffinity(required(term([], [field(["node1"]), field(["node2"])]))),
    nodeName: "node2",
    labels: { foo: "bar" },
    wantPreFilterStatus: unresolvable(ERR_REASON_CONFLICT),
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Matches added affinity and Pod's node affinity",
    pod: withAffinity(required(term([expr("zone", "In", ["foo"])]))),
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: required(term([], [field(["node2"])])) },
  },
  {
    name: "Matches added affinity but not Pod's node affinity",
    pod: withAffinity(required(term([expr("zone", "In", ["bar"])]))),
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: required(term([], [field(["node2"])])) },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Doesn't match added affinity",
    pod: makePod(),
    nodeName: "node2",
    labels: { zone: "foo" },
    args: { addedAffinity: required(term([expr("zone", "In", ["bar"])])) },
    wantStatus: unresolvable(ERR_REASON_ENFORCED),
  },
  {
    name: "Matches node selector correctly even if PreFilter is not called",
    pod: makePod({ nodeSelector: { foo: "bar" } }),
    labels: { foo: "bar", baz: "blah" },
    runPreFilter: false,
  },
  {
    name: "Matches node affinity correctly even if PreFilter is not called",
    pod: withAffinity(
      required(term([expr("GPU", "Exists"), expr("GPU", "NotIn", ["AMD", "INTER"])])),
    ),
    labels: { GPU: "NVIDIA-GRID-K1" },
    runPreFilter: false,
  },
  // Beyond upstream's table: operators and parse rules of §4.8.
  {
    name: "Lt matches numerically",
    pod: withAffinity(required(term([expr("v", "Lt", ["10"])]))),
    labels: { v: "9" },
  },
  {
    name: "Gt with a non-integer label does not match",
    pod: withAffinity(required(term([expr("v", "Gt", ["1"])]))),
    labels: { v: "abc" },
    wantStatus: unresolvable(ERR_REASON_POD),
  },
  {
    name: "Gt with two values is a parse error: that term never matches, the other term still counts",
    pod: withAffinity(
      required(term([expr("v", "Gt", ["1", "2"])]), term([expr("w", "DoesNotExist")])),
    ),
    labels: { v: "5" },
  },
  {
    name: "NotIn matches a node without the label",
    pod: withAffinity(required(term([expr("foo", "NotIn", ["x"])]))),
    labels: {},
  },
  {
    name: "matchFields NotIn excludes the named node",
    pod: withAffinity(required(term([], [field(["node1"], "NotIn")]))),
    nodeName: "node1",
    wantStatus: unresolvable(ERR_REASON_POD),
  },
];

function referenceRow(row: Row) {
  const node = makeNode({ name: row.nodeName ?? "node", labels: row.labels ?? {} });
  const plugin = newNodeAffinity(row.args, {
    snapshot: () => {
      throw new Error("unused");
    },
  });
  const state = new CycleState();
  if (row.runPreFilter !== false) {
    const pre = (plugin as PreFilterPlugin).preFilter(state, row.pod, []);
    expect(st(pre.status)).toEqual(row.wantPreFilterStatus ?? ok);
    expect(pre.result ? [...pre.result.nodeNames].sort() : undefined).toEqual(
      row.wantPreFilterResult,
    );
  }
  // Upstream runs Filter even after a PreFilter Skip; the plugin must still answer correctly.
  const status = (plugin as FilterPlugin).filter(state, row.pod, nodeInfoWith(node));
  expect(st(status)).toEqual(row.wantStatus ?? ok);
}

async function wasmRow(row: Row) {
  const node = makeNode({ name: row.nodeName ?? "node", labels: row.labels ?? {} });
  const filterWant = expectedVerdict("wasm", "NodeAffinity", row.wantStatus ?? ok);
  const run = async (preFilter: boolean) => {
    const c = { plugin: "NodeAffinity" as const, node, pod: row.pod, args: row.args, preFilter };
    return coreVerdict(c, await evaluateOne(c));
  };
  if (row.runPreFilter !== false) {
    const outside =
      (row.wantPreFilterStatus !== undefined && row.wantPreFilterStatus.code !== "Skip") ||
      (row.wantPreFilterResult !== undefined &&
        !row.wantPreFilterResult.includes(node.metadata.name));
    const want: CoreVerdict = outside
      ? { pass: false, plugin: "NodeAffinity", outsidePreFilterResult: true }
      : (filterWant as CoreVerdict);
    expect({ preFilter: true, verdict: await run(true) }).toEqual({
      preFilter: true,
      verdict: want,
    });
  }
  expect({ preFilter: false, verdict: await run(false) }).toEqual({
    preFilter: false,
    verdict: filterWant,
  });
}

describe.each(ENGINES)("NodeAffinity Filter: TestNodeAffinity [%s]", (engine: Engine) => {
  it.each(rows)("$name", async (row) => {
    if (engine === "reference") referenceRow(row);
    else await wasmRow(row);
  });
});

describe.each(ENGINES)("NodeAffinity Score: TestNodeAffinityPriority [%s]", (engine) => {
  const label1 = { foo: "bar" };
  const label2 = { key: "value" };
  const label3 = { az: "az1" };
  const label4 = { abc: "az11", def: "az22" };
  const label5 = { foo: "bar", key: "value", az: "az1" };
  const preferred = (...terms: [number, NodeSelectorRequirement[]][]): NodeAffinity => ({
    preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, exprs]) => ({
      weight,
      preference: term(exprs),
    })),
  });
  const affinity1 = preferred([2, [expr("foo", "In", ["bar"])]]);
  const affinity2 = preferred(
    [2, [expr("foo", "In", ["bar"])]],
    [4, [expr("key", "In", ["value"])]],
    [5, [expr("foo", "In", ["bar"]), expr("key", "In", ["value"]), expr("az", "In", ["az1"])]],
  );
  const n = (name: string, labels: Labels) => makeNode({ name, labels });

  it.each([
    [
      "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
      withAffinity(affinity1),
      [n("node1", label4), n("node2", label2), n("node3", label3)],
      undefined,
      [
        ["node1", 0],
        ["node2", 0],
        ["node3", 0],
      ],
    ],
    [
      "only node1 matches the preferred scheduling requirements of pod",
      withAffinity(affinity1),
      [n("node1", label1), n("node2", label2), n("node3", label3)],
      undefined,
      [
        ["node1", 100],
        ["node2", 0],
        ["node3", 0],
      ],
    ],
    [
      "all nodes matches the preferred scheduling requirements of pod but with different priorities ",
      withAffinity(affinity2),
      [n("node1", label1), n("node5", label5), n("node2", label2)],
      undefined,
      [
        ["node1", 18],
        ["node5", 100],
        ["node2", 36],
      ],
    ],
    [
      "added affinity",
      makePod(),
      [n("node1", label1), n("node2", label2)],
      { addedAffinity: affinity1 },
      [
        ["node1", 100],
        ["node2", 0],
      ],
    ],
    [
      "added affinity and pod has default affinity",
      withAffinity(affinity1),
      [n("node1", label1), n("node2", label2), n("node3", label5)],
      { addedAffinity: preferred([3, [expr("key", "In", ["value"])]]) },
      [
        ["node1", 40],
        ["node2", 60],
        ["node3", 100],
      ],
    ],
  ] as [string, Pod, ReturnType<typeof n>[], object | undefined, [string, number][]][])(
    "%s",
    async (_name, pod, nodes, args, want) => {
      await expectScores(engine, { plugin: "NodeAffinity", args, pod, nodes }, scoresOf(...want));
    },
  );

  it("Skip is returned in PreScore when NodeAffinity is nil", async () => {
    const c = { plugin: "NodeAffinity" as const, pod: makePod(), nodes: [n("node1", label1)] };
    expect((await expectScores(engine, c, [])).preScore).toBe("Skip");
  });

  it("PreScore returns error when an incoming Pod has a broken affinity", async () => {
    const pod = withAffinity(preferred([2, [expr("invalid key", "In", ["bar"])]]));
    const c = { plugin: "NodeAffinity" as const, pod, nodes: [n("node1", label1)] };
    expect((await expectScores(engine, c, [])).preScore).toBe("Error");
    // The reason is the reference's alone (the core reports no reason strings).
    if (engine === "reference") {
      const run = runScore(newNodeAffinity, undefined, pod, c.nodes);
      expect(run.preScore?.reasons[0]).toMatch(
        /^\[0\]\.matchExpressions\[0\]\.key: Invalid value: "invalid key": name part must consist of/,
      );
    }
  });
});
