/**
 * VolumeBinding — rows of upstream `volumebinding/volume_binding_test.go` TestVolumeBinding
 * (filter statuses) and `FindMatchingVolume` cases, plus bindVolumes (PreBind) on the state.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/model/types.ts";
import {
  bindVolumes,
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_REASON_UNBOUND_IMMEDIATE,
  eligibleNodes,
  filter,
  preFilter,
} from "../../../src/reference/plugins/volumebinding/index.ts";
import { VolumeState } from "../../../src/reference/plugins/volumes/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { boundPVC, claimVolume, pv, pvc, storageClass } from "./volume-support.ts";

const nodeA = makeNode({ name: "node-a", zone: "zone-a", labels: { foo: "bar" } });
const nodeB = makeNode({ name: "node-b", zone: "zone-b" });
const podWith = (...claims: string[]): Pod =>
  makePod({ name: "pod-a", volumes: claims.map((c) => claimVolume(c)) });
const affinity = (key: string, ...values: string[]) => ({
  required: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: "In", values }] }] },
});
const unresolvable = (...reasons: string[]) => ({ code: "UnschedulableAndUnresolvable", reasons });

const immediateSC = storageClass("immediate-sc", "Immediate");
const waitSC = storageClass("wait-sc", "WaitForFirstConsumer");
const provSC = storageClass("wait-prov", "WaitForFirstConsumer", "csi.example.com");

describe("VolumeBinding: TestVolumeBinding filter rows", () => {
  it.each([
    ["pod has no PVCs", makePod(), [], null],
    [
      "all bound",
      podWith("pvc-a"),
      [
        boundPVC("pvc-a", "pv-a", { storageClassName: "wait-sc" }),
        pv("pv-a", { storageClassName: "wait-sc" }),
      ],
      null,
    ],
    [
      "PVC does not exist",
      podWith("pvc-a"),
      [],
      unresolvable(`persistentvolumeclaim "pvc-a" not found`),
    ],
    [
      "Part of PVCs do not exist",
      podWith("pvc-a", "pvc-b"),
      [boundPVC("pvc-a", "pv-a"), pv("pv-a", {})],
      unresolvable(`persistentvolumeclaim "pvc-b" not found`),
    ],
    [
      "immediate claims not bound",
      podWith("pvc-a"),
      [pvc("pvc-a", { storageClassName: "immediate-sc" })],
      unresolvable(ERR_REASON_UNBOUND_IMMEDIATE),
    ],
    [
      "prebound claim without bind-completed is immediate",
      podWith("pvc-a"),
      [pvc("pvc-a", { storageClassName: "wait-sc", volumeName: "pv-a" }), pv("pv-a", {})],
      unresolvable(ERR_REASON_UNBOUND_IMMEDIATE),
    ],
    [
      "unbound claims no matches",
      podWith("pvc-a"),
      [pvc("pvc-a", { storageClassName: "wait-sc" })],
      unresolvable(ERR_REASON_BIND_CONFLICT),
    ],
    [
      "bound and unbound unsatisfied",
      podWith("pvc-a", "pvc-b"),
      [
        boundPVC("pvc-a", "pv-a"),
        pv("pv-a", { storageClassName: "wait-sc", nodeAffinity: affinity("foo", "barbar") }),
        pvc("pvc-b", { storageClassName: "wait-sc" }),
        pv("pv-b", { storageClassName: "wait-sc", nodeAffinity: affinity("foo", "barbar") }),
      ],
      unresolvable(ERR_REASON_NODE_CONFLICT, ERR_REASON_BIND_CONFLICT),
    ],
    [
      "pv not found",
      podWith("pvc-a"),
      [boundPVC("pvc-a", "pv-a")],
      unresolvable(ERR_REASON_PV_NOT_EXIST),
    ],
    [
      "claim lost",
      podWith("pvc-a"),
      [kLost()],
      unresolvable(`persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"`),
    ],
    [
      "unbound claim matched by an available PV",
      podWith("pvc-a"),
      [
        pvc("pvc-a", { storageClassName: "wait-sc", resources: { requests: { storage: "50Gi" } } }),
        pv("pv-a", {
          storageClassName: "wait-sc",
          capacity: { storage: "100Gi" },
          nodeAffinity: affinity("foo", "bar"),
        }),
      ],
      null,
    ],
    [
      "PV too small",
      podWith("pvc-a"),
      [
        pvc("pvc-a", {
          storageClassName: "wait-sc",
          resources: { requests: { storage: "200Gi" } },
        }),
        pv("pv-a", { storageClassName: "wait-sc", capacity: { storage: "100Gi" } }),
      ],
      unresolvable(ERR_REASON_BIND_CONFLICT),
    ],
    [
      "access modes must be offered by the PV",
      podWith("pvc-a"),
      [
        pvc("pvc-a", { storageClassName: "wait-sc", accessModes: ["ReadWriteMany"] }),
        pv("pv-a", { storageClassName: "wait-sc", accessModes: ["ReadWriteOnce"] }),
      ],
      unresolvable(ERR_REASON_BIND_CONFLICT),
    ],
    [
      "dynamic provisioning",
      podWith("pvc-a"),
      [pvc("pvc-a", { storageClassName: "wait-prov" })],
      null,
    ],
    [
      "provisioning outside the allowed topologies",
      podWith("pvc-a"),
      [
        pvc("pvc-a", { storageClassName: "zoned" }),
        storageClass("zoned", "WaitForFirstConsumer", "csi.example.com", {
          allowedTopologies: [
            { matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["zone-b"] }] },
          ],
        }),
      ],
      unresolvable(ERR_REASON_BIND_CONFLICT),
    ],
    [
      "selected node is another node",
      podWith("pvc-a"),
      [
        pvc(
          "pvc-a",
          { storageClassName: "wait-prov" },
          { annotations: { "volume.kubernetes.io/selected-node": "node-b" } },
        ),
      ],
      unresolvable(ERR_REASON_BIND_CONFLICT),
    ],
  ] as const)("%s", (_n, pod, objects, want) => {
    const state = VolumeState.fromKept([immediateSC, waitSC, provSC, ...objects]);
    expect(filter(pod, nodeA, [], state)).toEqual(want);
  });

  it("an ephemeral volume's claim must exist and be owned by the pod", () => {
    const pod = makePod({
      name: "p",
      volumes: [{ name: "scratch", ephemeral: true, source: "ephemeral" }],
    });
    expect(filter(pod, nodeA, [], new VolumeState())).toEqual(
      unresolvable(
        `waiting for ephemeral volume controller to create the persistentvolumeclaim "p-scratch"`,
      ),
    );
    const state = VolumeState.fromKept([
      pvc("p-scratch", { storageClassName: "wait-prov" }),
      provSC,
    ]);
    expect(filter(pod, nodeA, [], state)).toEqual(
      unresolvable("PVC default/p-scratch was not created for pod default/p (pod is not owner)"),
    );
  });
});

function kLost() {
  const o = pvc("pvc-a", { volumeName: "pv-a" });
  return { ...o, body: { ...o.body, status: { phase: "Lost" } } };
}

describe("VolumeBinding: binding", () => {
  it("binds to the smallest matching PV, and claims by increasing request", () => {
    const state = VolumeState.fromKept([
      waitSC,
      pvc("small", { storageClassName: "wait-sc", resources: { requests: { storage: "1Gi" } } }),
      pvc("big", { storageClassName: "wait-sc", resources: { requests: { storage: "5Gi" } } }),
      pv("pv-10", { storageClassName: "wait-sc", capacity: { storage: "10Gi" } }),
      pv("pv-5", { storageClassName: "wait-sc", capacity: { storage: "5Gi" } }),
      pv("pv-2", { storageClassName: "wait-sc", capacity: { storage: "2Gi" } }),
      pv("pv-other-zone", {
        storageClassName: "wait-sc",
        capacity: { storage: "1Gi" },
        nodeAffinity: affinity("topology.kubernetes.io/zone", "zone-b"),
      }),
    ]);
    const pod = podWith("big", "small");
    const r = bindVolumes(pod, nodeA, state);
    expect(r.bound).toEqual([
      ["default/small", "pv-2"],
      ["default/big", "pv-5"],
    ]);
    expect(state.pvc("default", "small")?.volumeName).toBe("pv-2");
    expect(state.pv("pv-2")?.claimRef).toEqual({
      namespace: "default",
      name: "small",
      uid: "uid-small",
    });
    // Now bound: Filter checks the bound PVs' affinity only.
    expect(preFilter(pod, state).kind).toBe("ok");
    expect(filter(pod, nodeA, [], state)).toBeNull();
    state.revert(r.changes);
    expect(state.pvc("default", "small")?.volumeName).toBe("");
    expect(state.pv("pv-2")?.claimRef).toBeUndefined();
  });

  it("provisions pvc-<uid> with the provisioner as CSI driver and zone affinity (WaitForFirstConsumer)", () => {
    const state = VolumeState.fromKept([
      provSC,
      pvc("data", { storageClassName: "wait-prov", resources: { requests: { storage: "3Gi" } } }),
    ]);
    const r = bindVolumes(podWith("data"), nodeB, state);
    expect(r.provisioned).toEqual([["default/data", "pvc-uid-data"]]);
    const created = state.pv("pvc-uid-data");
    expect(created?.source.csi).toEqual({
      driver: "csi.example.com",
      volumeHandle: "pvc-uid-data",
    });
    expect(created?.capacity.value()).toBe(3n * 1024n ** 3n);
    expect(created?.nodeAffinity?.nodeSelectorTerms[0]?.matchExpressions).toEqual([
      { key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-b"] },
    ]);
    // A second pod using the claim is now pinned to zone-b.
    expect(filter(podWith("data"), nodeA, [], state)).toEqual(
      unresolvable(ERR_REASON_NODE_CONFLICT),
    );
    expect(filter(podWith("data"), nodeB, [], state)).toBeNull();
  });

  it("eligible nodes from local PVs' hostname affinity", () => {
    const state = VolumeState.fromKept([
      boundPVC("a", "pv-a"),
      pv("pv-a", {
        local: { path: "/mnt" },
        nodeAffinity: affinity("kubernetes.io/hostname", "node-a", "node-b"),
      }),
      boundPVC("b", "pv-b"),
      pv("pv-b", {
        local: { path: "/mnt" },
        nodeAffinity: affinity("kubernetes.io/hostname", "node-b"),
      }),
    ]);
    const pre = preFilter(podWith("a", "b"), state);
    if (pre.kind !== "ok") throw new Error("expected ok");
    expect(eligibleNodes(pre.claims, state)).toEqual(new Set(["node-b"]));
  });
});
