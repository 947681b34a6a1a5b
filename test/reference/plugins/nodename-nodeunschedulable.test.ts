/**
 * NodeName and NodeUnschedulable — upstream `nodename/node_name_test.go` TestNodeName and
 * `nodeunschedulable/node_unschedulable_test.go` TestNodeUnschedulable (semantics §3.1, §3.2).
 */
import { describe, expect, it } from "vitest";
import { newNodeName } from "../../../src/reference/plugins/nodename/index.ts";
import { newNodeUnschedulable } from "../../../src/reference/plugins/nodeunschedulable/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { nodeInfoWith, ok, runFilter } from "../support.ts";

const handle = {
  snapshot: () => {
    throw new Error("unused");
  },
};

describe("NodeName: TestNodeName", () => {
  it.each([
    ["no host specified", makePod(), "foo", ok],
    ["host matches", makePod({ nodeName: "foo" }), "foo", ok],
    [
      "host doesn't match",
      makePod({ nodeName: "bar" }),
      "foo",
      {
        code: "UnschedulableAndUnresolvable",
        reasons: ["node(s) didn't match the requested node name"],
      },
    ],
  ] as const)("%s", (_n, pod, nodeName, want) => {
    expect(
      runFilter(newNodeName(undefined, handle), pod, nodeInfoWith(makeNode({ name: nodeName })))
        .filter,
    ).toEqual(want);
  });
});

describe("NodeUnschedulable: TestNodeUnschedulable", () => {
  const tol = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" as const };
  it.each([
    [
      "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
      makePod(),
      true,
      { code: "UnschedulableAndUnresolvable", reasons: ["node(s) were unschedulable"] },
    ],
    ["Schedule pod to normal node", makePod(), false, ok],
    [
      "Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
      makePod({ tolerations: [tol] }),
      true,
      ok,
    ],
    [
      "Schedule pod with Exists toleration to unschedulable node",
      makePod({ tolerations: [{ key: tol.key, operator: "Exists" }] }),
      true,
      ok,
    ],
  ] as const)("%s", (_n, pod, unschedulable, want) => {
    const info = nodeInfoWith(makeNode({ unschedulable }));
    expect(runFilter(newNodeUnschedulable(undefined, handle), pod, info).filter).toEqual(want);
  });
});
