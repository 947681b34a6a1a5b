/**
 * NodePorts — upstream `nodeports/node_ports_test.go` TestNodePorts (semantics §3.3). The table
 * runs on both engines (test/reference/engines.ts); "skip filter" (PreFilter's Skip status) and
 * TestPreFilterDisabled (Filter called without PreFilter) test the reference plugin's own
 * extension-point protocol, which the core has no counterpart for: reference only.
 */
import { describe, expect, it } from "vitest";
import type { Protocol } from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import type { FilterPlugin } from "../../../src/reference/framework/interfaces.ts";
import { ERR_REASON, newNodePorts } from "../../../src/reference/plugins/nodeports/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectFilter } from "../engines.ts";
import { nodeInfoWith, ok, runFilter } from "../support.ts";

/** Upstream `newPod(host, "PROTO/IP/PORT"...)`. */
function newPod(...hostPortInfos: string[]) {
  const ports = hostPortInfos.map((info) => {
    const [protocol, hostIP, port] = info.split("/") as [Protocol, string, string];
    return { protocol, hostIP, hostPort: Number(port), containerPort: Number(port) };
  });
  return makePod({ name: `p-${hostPortInfos.join("-")}`, containers: [{ ports }] });
}

const conflict = { code: "Unschedulable", reasons: [ERR_REASON] };
const plugin = () =>
  newNodePorts(undefined, {
    snapshot: () => {
      throw new Error("unused");
    },
  });

describe("NodePorts: TestNodePorts (reference only)", () => {
  it("skip filter", () => {
    const r = runFilter(plugin(), makePod(), nodeInfoWith(makeNode()));
    expect(r.preFilter).toEqual({ code: "Skip", reasons: [] });
  });

  it("Filter without PreFilter is an Error (TestPreFilterDisabled)", () => {
    const status = (plugin() as FilterPlugin).filter(
      new CycleState(),
      makePod(),
      nodeInfoWith(makeNode()),
    );
    expect(status.code).toBe("Error");
  });
});

describe.each(ENGINES)("NodePorts: TestNodePorts [%s]", (engine) => {
  it.each([
    ["other port", newPod("UDP/127.0.0.1/8080"), [newPod("UDP/127.0.0.1/9090")], ok],
    ["same udp port", newPod("UDP/127.0.0.1/8080"), [newPod("UDP/127.0.0.1/8080")], conflict],
    ["same tcp port", newPod("TCP/127.0.0.1/8080"), [newPod("TCP/127.0.0.1/8080")], conflict],
    ["different host ip", newPod("TCP/127.0.0.1/8080"), [newPod("TCP/127.0.0.2/8080")], ok],
    ["different protocol", newPod("UDP/127.0.0.1/8080"), [newPod("TCP/127.0.0.1/8080")], ok],
    [
      "second udp port conflict",
      newPod("UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"),
      [newPod("UDP/127.0.0.1/8080")],
      conflict,
    ],
    [
      "first tcp port conflict",
      newPod("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"),
      [newPod("TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081")],
      conflict,
    ],
    [
      "first tcp port conflict due to 0.0.0.0 hostIP",
      newPod("TCP/0.0.0.0/8001"),
      [newPod("TCP/127.0.0.1/8001")],
      conflict,
    ],
    [
      "TCP hostPort conflict due to 0.0.0.0 hostIP",
      newPod("TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"),
      [newPod("TCP/127.0.0.1/8001")],
      conflict,
    ],
    [
      "second tcp port conflict to 0.0.0.0 hostIP",
      newPod("TCP/127.0.0.1/8001"),
      [newPod("TCP/0.0.0.0/8001")],
      conflict,
    ],
    ["second different protocol", newPod("UDP/127.0.0.1/8001"), [newPod("TCP/0.0.0.0/8001")], ok],
    [
      "UDP hostPort conflict due to 0.0.0.0 hostIP",
      newPod("UDP/127.0.0.1/8001"),
      [newPod("TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001")],
      conflict,
    ],
    ["empty hostIP means 0.0.0.0", newPod("TCP//8001"), [newPod("TCP/127.0.0.1/8001")], conflict],
    [
      "sidecar init container ports are used ports",
      newPod("TCP/127.0.0.1/8001"),
      [
        makePod({
          name: "sidecar",
          initContainers: [
            { restartPolicy: "Always", ports: [{ hostPort: 8001, protocol: "TCP" }] },
          ],
        }),
      ],
      conflict,
    ],
    [
      "plain init container ports are not",
      newPod("TCP/127.0.0.1/8001"),
      [
        makePod({
          name: "init",
          initContainers: [{ ports: [{ hostPort: 8001, protocol: "TCP" }] }],
        }),
      ],
      ok,
    ],
  ] as [
    string,
    ReturnType<typeof makePod>,
    ReturnType<typeof makePod>[],
    { code: string; reasons: string[] },
  ][])("%s", async (_n, pod, existing, want) => {
    const node = makeNode({ name: "m1" });
    await expectFilter(engine, { plugin: "NodePorts", node, existing, pod }, want);
  });
});
