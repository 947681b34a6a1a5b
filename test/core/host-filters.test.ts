/**
 * Host-evaluated Filter plugins (src/core/host-filters.ts): the core reads their per-node verdicts
 * at their place in the Filter order, skips the pass for pods they do not apply to, and reports
 * the rejecting plugin with its status.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig, type Profile } from "../../src/config/index.ts";
import type { HostFilter } from "../../src/core/host-filters.ts";
import { CoreCode, WasmScheduler } from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import { coreProfile } from "../../src/sim/profile.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const profile = coreProfile(defaultSchedulerConfig().profiles[0] as Profile).profile;

/** Rejects odd-numbered nodes for pods labelled `zoned`; counts its calls. */
function zoned(calls: { n: number }): HostFilter {
  return {
    name: "VolumeZone",
    applies: (pod: Pod) => pod.metadata.labels.zoned === "yes",
    filter: (_pod, node) => {
      calls.n++;
      return Number(node.metadata.name.slice(1)) % 2 === 1
        ? {
            status: "UnschedulableAndUnresolvable",
            reasons: ["node(s) had no available volume zone"],
          }
        : null;
    },
  };
}

const nodes = [0, 1, 2, 3].map((i) =>
  makeNode({ name: `n${i}`, allocatable: { cpu: "4", memory: "8Gi", pods: "10" } }),
);

describe("host-evaluated filters", () => {
  it("reject their nodes for the pods they apply to, and only those", async () => {
    const calls = { n: 0 };
    const core = await WasmScheduler.create({ nodes, profile, hostFilters: [zoned(calls)] });
    const pod = makePod({ name: "v", labels: { zoned: "yes" }, requests: { cpu: "1" } });
    const ev = core.evaluate(pod);
    expect(Array.from(ev.codes)).toEqual([0, CoreCode.HostFilter, 0, CoreCode.HostFilter]);
    expect(core.hostRejection(1)).toEqual({
      plugin: "VolumeZone",
      status: "UnschedulableAndUnresolvable",
      reasons: ["node(s) had no available volume zone"],
    });
    for (let k = 0; k < 6; k++) {
      const name = core.scheduleName({
        ...pod,
        metadata: { ...pod.metadata, name: `v${k}`, uid: `v${k}` },
      });
      expect(["n0", "n2"]).toContain(name);
    }
    const before = calls.n;
    const plain = makePod({ name: "plain", requests: { cpu: "100m" } });
    expect(core.scheduleName(plain)).not.toBeNull();
    expect(calls.n).toBe(before); // not consulted for a pod it does not apply to
  });

  it("come after NodeResourcesFit in the Filter order", async () => {
    const core = await WasmScheduler.create({ nodes, profile, hostFilters: [zoned({ n: 0 })] });
    const big = makePod({ name: "big", labels: { zoned: "yes" }, requests: { cpu: "8" } });
    const ev = core.evaluate(big);
    expect(Array.from(ev.codes)).toEqual(new Array(4).fill(CoreCode.NodeResourcesFit));
  });
});
