/** VolumeZone — rows of upstream `volumezone/volume_zone_test.go` TestSingleZone / TestMultiZone / TestWithBinding. */
import { describe, expect, it } from "vitest";
import { VolumeState } from "../../../src/reference/plugins/volumes/index.ts";
import { ERR_REASON_CONFLICT, filter } from "../../../src/reference/plugins/volumezone/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { claimVolume, kept, pv, pvc, storageClass } from "./volume-support.ts";

const state = VolumeState.fromKept([
  pv("Vol_1", {}, { labels: { "failure-domain.beta.kubernetes.io/zone": "us-west1-a" } }),
  pv(
    "Vol_2",
    {},
    { labels: { "failure-domain.beta.kubernetes.io/region": "us-west1-b", uselessLabel: "none" } },
  ),
  pv("Vol_3", {}, { labels: { "topology.kubernetes.io/zone": "us-west1-c__us-west1-a" } }),
  pv("Vol_Stable_1", {}, { labels: { "topology.kubernetes.io/zone": "us-west1-a" } }),
  kept("PersistentVolumeClaim", "PVC_1", { spec: { volumeName: "Vol_1" } }),
  kept("PersistentVolumeClaim", "PVC_2", { spec: { volumeName: "Vol_2" } }),
  kept("PersistentVolumeClaim", "PVC_3", { spec: { volumeName: "Vol_3" } }),
  kept("PersistentVolumeClaim", "PVC_Stable_1", { spec: { volumeName: "Vol_Stable_1" } }),
  kept("PersistentVolumeClaim", "PVC_4", { spec: { volumeName: "Vol_not_exist" } }),
  pvc("PVC_NoSC", {}),
  pvc("PVC_EmptySC", { storageClassName: "" }),
  pvc("PVC_FakeSC", { storageClassName: "Class_Fake" }),
  pvc("PVC_WaitSC", { storageClassName: "Class_Wait" }),
  pvc("PVC_ImmediateSC", { storageClassName: "Class_Immediate" }),
  storageClass("Class_Wait", "WaitForFirstConsumer"),
  storageClass("Class_Immediate", "Immediate"),
]);
const podWith = (claim: string) => makePod({ name: "p", volumes: [claimVolume(claim)] });
const conflict = { code: "UnschedulableAndUnresolvable", reasons: [ERR_REASON_CONFLICT] };
const unresolvable = (r: string) => ({ code: "UnschedulableAndUnresolvable", reasons: [r] });
const node = (labels: Record<string, string>) => makeNode({ name: "host1", labels });

describe("VolumeZone", () => {
  it.each([
    [
      "pod without volume",
      makePod(),
      node({ "failure-domain.beta.kubernetes.io/zone": "us-west1-a" }),
      null,
    ],
    ["node without labels", podWith("PVC_1"), node({}), null],
    [
      "beta zone label matched",
      podWith("PVC_1"),
      node({ "failure-domain.beta.kubernetes.io/zone": "us-west1-a", uselessLabel: "none" }),
      null,
    ],
    [
      "beta region label matched",
      podWith("PVC_2"),
      node({ "failure-domain.beta.kubernetes.io/region": "us-west1-b" }),
      null,
    ],
    [
      "beta zone label mismatched",
      podWith("PVC_1"),
      node({ "failure-domain.beta.kubernetes.io/zone": "no_us-west1-a" }),
      conflict,
    ],
    [
      "beta PV label matches the GA node label",
      podWith("PVC_1"),
      node({ "topology.kubernetes.io/zone": "us-west1-a" }),
      null,
    ],
    [
      "GA zone label matched",
      podWith("PVC_Stable_1"),
      node({ "topology.kubernetes.io/zone": "us-west1-a" }),
      null,
    ],
    [
      "GA zone label mismatched",
      podWith("PVC_Stable_1"),
      node({ "topology.kubernetes.io/zone": "us-west1-b" }),
      conflict,
    ],
    [
      "multi-zone value",
      podWith("PVC_3"),
      node({ "topology.kubernetes.io/zone": "us-west1-a" }),
      null,
    ],
    [
      "multi-zone value mismatched",
      podWith("PVC_3"),
      node({ "topology.kubernetes.io/zone": "us-west1-b" }),
      conflict,
    ],
    [
      "PV not found",
      podWith("PVC_4"),
      node({}),
      unresolvable(`persistentvolume "Vol_not_exist" not found`),
    ],
    [
      "PVC not found",
      podWith("PVC_X"),
      node({}),
      unresolvable(`persistentvolumeclaim "PVC_X" not found`),
    ],
    [
      "unbound, no class",
      podWith("PVC_NoSC"),
      node({}),
      unresolvable("PersistentVolumeClaim had no pv name and storageClass name"),
    ],
    [
      "unbound, empty class",
      podWith("PVC_EmptySC"),
      node({}),
      unresolvable("PersistentVolumeClaim had no pv name and storageClass name"),
    ],
    [
      "unbound, unknown class",
      podWith("PVC_FakeSC"),
      node({}),
      unresolvable(`storageclass.storage.k8s.io "Class_Fake" not found`),
    ],
    [
      "unbound, WaitForFirstConsumer (skipped)",
      podWith("PVC_WaitSC"),
      node({ "topology.kubernetes.io/zone": "x" }),
      null,
    ],
    [
      "unbound, Immediate",
      podWith("PVC_ImmediateSC"),
      node({}),
      unresolvable("PersistentVolume had no name"),
    ],
  ] as const)("%s", (_n, pod, n, want) => {
    expect(filter(pod, n, [], state)).toEqual(want);
  });
});
