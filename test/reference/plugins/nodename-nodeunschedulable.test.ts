/**
 * NodeName and NodeUnschedulable — upstream `nodename/node_name_test.go` TestNodeName and
 * `nodeunschedulable/node_unschedulable_test.go` TestNodeUnschedulable (semantics §3.1, §3.2).
 * Every row runs on both engines (test/reference/engines.ts).
 */
import { describe, it } from "vitest";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectFilter } from "../engines.ts";
import { ok } from "../support.ts";

describe.each(ENGINES)("NodeName: TestNodeName [%s]", (engine) => {
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
  ] as const)("%s", async (_n, pod, nodeName, want) => {
    await expectFilter(
      engine,
      { plugin: "NodeName", node: makeNode({ name: nodeName }), pod },
      want,
    );
  });
});

describe.each(ENGINES)("NodeUnschedulable: TestNodeUnschedulable [%s]", (engine) => {
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
  ] as const)("%s", async (_n, pod, unschedulable, want) => {
    const node = makeNode({ unschedulable });
    await expectFilter(engine, { plugin: "NodeUnschedulable", node, pod }, want);
  });
});
