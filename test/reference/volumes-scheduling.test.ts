/** The reference scheduler with the volume plugins: WaitForFirstConsumer binding through the default profile. */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { volumeStateOf } from "../../src/reference/plugins/volumes/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import { claimVolume, pv, pvc, storageClass } from "./plugins/volume-support.ts";

describe("reference scheduler with volumes", () => {
  it("a pod with a WaitForFirstConsumer claim lands in the zone of the available PV, which it binds", () => {
    const nodes = ["a", "b", "c"].map((z) => makeNode({ name: `node-${z}`, zone: `zone-${z}` }));
    const zoneAffinity = (zone: string) => ({
      required: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: "topology.kubernetes.io/zone", operator: "In", values: [zone] },
            ],
          },
        ],
      },
    });
    const snapshot = new Snapshot(nodes, [], {
      kept: [
        storageClass("local", "WaitForFirstConsumer"),
        pvc("data", { storageClassName: "local", resources: { requests: { storage: "1Gi" } } }),
        pv("pv-b", {
          storageClassName: "local",
          capacity: { storage: "2Gi" },
          nodeAffinity: zoneAffinity("zone-b"),
        }),
      ],
    });
    const registry = defaultRegistry();
    const profile = defaultSchedulerConfig().profiles[0] as Profile;
    const fwk = newFramework(withImplementedPlugins(profile, registry), registry);
    const state = newSchedulerState({ seed: 1n });
    const pod = makePod({ name: "web", volumes: [claimVolume("data")] });
    const r = scheduleOne(pod, snapshot, fwk, state);
    expect(r).toMatchObject({ kind: "Scheduled", node: "node-b" });
    expect(volumeStateOf(snapshot).pvc("default", "data")?.volumeName).toBe("pv-b");
    // A second pod on the claim follows it; a third claim has nothing left to bind.
    expect(
      scheduleOne(makePod({ name: "web-2", volumes: [claimVolume("data")] }), snapshot, fwk, state),
    ).toMatchObject({ kind: "Scheduled", node: "node-b" });
  });

  it("reports the volume reasons in the fit error", () => {
    const nodes = [makeNode({ name: "n1", zone: "z1" })];
    const snapshot = new Snapshot(nodes, [], {
      kept: [
        storageClass("local", "WaitForFirstConsumer"),
        pvc("data", { storageClassName: "local" }),
      ],
    });
    const registry = defaultRegistry();
    const profile = defaultSchedulerConfig().profiles[0] as Profile;
    const fwk = newFramework(withImplementedPlugins(profile, registry), registry);
    const r = scheduleOne(
      makePod({ name: "p", volumes: [claimVolume("data")] }),
      snapshot,
      fwk,
      newSchedulerState(),
    );
    expect(r.kind).toBe("Unschedulable");
    if (r.kind === "Unschedulable") {
      expect(r.message).toContain("1 node(s) didn't find available persistent volumes to bind");
    }
  });
});
