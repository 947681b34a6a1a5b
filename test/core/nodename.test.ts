/**
 * NodeName is checked per pod: pods of one class (same spec and labels) may name different
 * nodes — a bound pod names its node, a pending one none — and each must be judged by its own.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { CoreCode, restrictToCore, WasmScheduler } from "../../src/core/scheduler.ts";
import { defaultRegistry, withImplementedPlugins } from "../../src/reference/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const profile = restrictToCore(
  withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, defaultRegistry()),
);
const nodes = ["a", "b", "c"].map((name) => makeNode({ name }));
const pod = (name: string, nodeName = "") =>
  makePod({ name, nodeName, requests: { cpu: "100m" }, labels: { app: "x" } });

describe("NodeName per pod", () => {
  it("a bound pod of the same class does not pin pending pods to its node", async () => {
    const s = await WasmScheduler.create({ nodes, profile, boundPods: [pod("bound", "b")] });
    const ev = s.evaluate(pod("pending"));
    expect([...ev.codes]).toEqual([CoreCode.Pass, CoreCode.Pass, CoreCode.Pass]);
  });

  it("a pod naming a node fits only there, whatever its class saw before", async () => {
    const s = await WasmScheduler.create({ nodes, profile });
    expect(s.scheduleName(pod("free"))).not.toBeNull();
    const ev = s.evaluate(pod("pinned", "c"));
    const names = s.nodeNames;
    expect(names.map((n, i) => [n, ev.codes[i]])).toEqual([
      ["a", CoreCode.NodeName],
      ["b", CoreCode.NodeName],
      ["c", CoreCode.Pass],
    ]);
    expect(s.scheduleName(pod("pinned", "c"))).toBe("c");
  });
});

describe("start index with a PreFilterResult", () => {
  it("wraps the start index into the PreFilterResult subset", async () => {
    // 150 nodes: sampling visits 100 per cycle, so the start index moves past 1 — the length of
    // the subset the next pod's matchFields leave (regression: it was used unwrapped).
    const many = Array.from({ length: 150 }, (_, i) => makeNode({ name: `n${i}` }));
    const s = await WasmScheduler.create({ nodes: many, profile });
    expect(s.scheduleName(pod("first"))).not.toBeNull();
    expect(s.nextStartNodeIndex).toBe(100);
    const pinned = makePod({
      name: "pinned",
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [],
                matchFields: [{ key: "metadata.name", operator: "In", values: ["n5"] }],
              },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [],
        },
      },
    });
    expect(s.scheduleName(pinned)).toBe("n5");
    // Upstream: (100 + 1 processed) mod 1 node in the subset.
    expect(s.nextStartNodeIndex).toBe(0);
  });
});
