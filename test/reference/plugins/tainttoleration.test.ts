/**
 * TaintToleration — upstream `tainttoleration/taint_toleration_test.go` TestTaintTolerationScore
 * and TestTaintTolerationFilter (semantics §4.7). Every row runs on both engines
 * (test/reference/engines.ts); on the core the untolerated taint comes from `taintIndex`.
 */
import { describe, it } from "vitest";
import type { Taint, Toleration } from "../../../src/model/types.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectFilter, expectScores } from "../engines.ts";
import { ok, scoresOf } from "../support.ts";

const podWith = (tolerations: Partial<Toleration>[]) => makePod({ tolerations });
const nodeWith = (name: string, taints: Taint[]) => makeNode({ name, taints });
const pns = (key: string, value: string): Taint => ({ key, value, effect: "PreferNoSchedule" });
const ns = (key: string, value: string): Taint => ({ key, value, effect: "NoSchedule" });

describe.each(ENGINES)("TaintToleration Score: TestTaintTolerationScore [%s]", (engine) => {
  it.each([
    [
      "node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
      podWith([{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }]),
      [nodeWith("nodeA", [pns("foo", "bar")]), nodeWith("nodeB", [pns("foo", "blah")])],
      [
        ["nodeA", 100],
        ["nodeB", 0],
      ],
    ],
    [
      "the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has",
      podWith([
        { key: "cpu-type", operator: "Equal", value: "arm64", effect: "PreferNoSchedule" },
        { key: "disk-type", operator: "Equal", value: "ssd", effect: "PreferNoSchedule" },
      ]),
      [
        nodeWith("nodeA", []),
        nodeWith("nodeB", [pns("cpu-type", "arm64")]),
        nodeWith("nodeC", [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]),
      ],
      [
        ["nodeA", 100],
        ["nodeB", 100],
        ["nodeC", 100],
      ],
    ],
    [
      "the more intolerable taints a node has, the lower score it gets.",
      podWith([{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }]),
      [
        nodeWith("nodeA", []),
        nodeWith("nodeB", [pns("cpu-type", "arm64")]),
        nodeWith("nodeC", [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]),
      ],
      [
        ["nodeA", 100],
        ["nodeB", 50],
        ["nodeC", 0],
      ],
    ],
    [
      "only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function",
      podWith([
        { key: "cpu-type", operator: "Equal", value: "arm64", effect: "NoSchedule" },
        { key: "disk-type", operator: "Equal", value: "ssd", effect: "NoSchedule" },
      ]),
      [
        nodeWith("nodeA", []),
        nodeWith("nodeB", [ns("cpu-type", "arm64")]),
        nodeWith("nodeC", [pns("cpu-type", "arm64"), pns("disk-type", "ssd")]),
      ],
      [
        ["nodeA", 100],
        ["nodeB", 100],
        ["nodeC", 0],
      ],
    ],
    [
      "Default behaviour No taints and tolerations, lands on node with no taints",
      podWith([]),
      [nodeWith("nodeA", []), nodeWith("nodeB", [pns("cpu-type", "arm64")])],
      [
        ["nodeA", 100],
        ["nodeB", 0],
      ],
    ],
  ] as [string, ReturnType<typeof podWith>, ReturnType<typeof nodeWith>[], [string, number][]][])(
    "%s",
    async (_n, pod, nodes, want) => {
      await expectScores(engine, { plugin: "TaintToleration", pod, nodes }, scoresOf(...want));
    },
  );
});

describe.each(ENGINES)("TaintToleration Filter: TestTaintTolerationFilter [%s]", (engine) => {
  const unresolvable = (reason: string) => ({
    code: "UnschedulableAndUnresolvable",
    reasons: [reason],
  });
  it.each([
    [
      "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
      podWith([]),
      [ns("dedicated", "user1")],
      unresolvable("node(s) had untolerated taint {dedicated: user1}"),
    ],
    [
      "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
      podWith([{ key: "dedicated", value: "user1", effect: "NoSchedule" }]),
      [ns("dedicated", "user1")],
      ok,
    ],
    [
      "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      podWith([{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }]),
      [ns("dedicated", "user1")],
      unresolvable("node(s) had untolerated taint {dedicated: user1}"),
    ],
    [
      "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
      podWith([{ key: "foo", operator: "Exists", effect: "NoSchedule" }]),
      [ns("foo", "bar")],
      ok,
    ],
    [
      "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node",
      podWith([
        { key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" },
        { key: "foo", operator: "Exists", effect: "NoSchedule" },
      ]),
      [ns("dedicated", "user2"), ns("foo", "bar")],
      ok,
    ],
    [
      "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      podWith([{ key: "foo", operator: "Equal", value: "bar", effect: "PreferNoSchedule" }]),
      [ns("foo", "bar")],
      unresolvable("node(s) had untolerated taint {foo: bar}"),
    ],
    [
      "The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node",
      podWith([{ key: "foo", operator: "Equal", value: "bar" }]),
      [ns("foo", "bar")],
      ok,
    ],
    [
      "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      podWith([{ key: "dedicated", operator: "Equal", value: "user2", effect: "NoSchedule" }]),
      [pns("dedicated", "user1")],
      ok,
    ],
    [
      "The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      podWith([]),
      [pns("dedicated", "user1")],
      ok,
    ],
    [
      "NoExecute taints fail Filter too, first untolerated taint reported",
      podWith([{ key: "a", operator: "Exists" }]),
      [pns("p", "1"), ns("a", "1"), { key: "b", value: "2", effect: "NoExecute" }, ns("c", "3")],
      unresolvable("node(s) had untolerated taint {b: 2}"),
    ],
  ] as [string, ReturnType<typeof podWith>, Taint[], { code: string; reasons: string[] }][])(
    "%s",
    async (_n, pod, taints, want) => {
      const node = nodeWith("nodeA", taints);
      await expectFilter(engine, { plugin: "TaintToleration", node, pod }, want);
    },
  );
});
