/**
 * The PV controller's part (src/sim/controlplane/volumes.ts): Immediate claims bind at once to the
 * smallest fitting Available PV of their class, else are provisioned when the class has a
 * provisioner, else stay Pending; WaitForFirstConsumer claims wait; StatefulSet claims arrive
 * through the claim sink.
 */
import { describe, expect, it } from "vitest";
import { VolumeState } from "../../../src/reference/plugins/volumes/index.ts";
import { bindImmediateClaims, volumeClaimSink } from "../../../src/sim/controlplane/volumes.ts";
import { pv, pvc, storageClass } from "../../reference/plugins/volume-support.ts";

const claim = (name: string, cls: string, size: string) =>
  pvc(name, {
    storageClassName: cls,
    accessModes: ["ReadWriteOnce"],
    resources: { requests: { storage: size } },
  });
const volume = (name: string, cls: string, size: string) =>
  pv(name, { storageClassName: cls, capacity: { storage: size }, accessModes: ["ReadWriteOnce"] });

describe("PV controller", () => {
  it("binds Immediate claims to the smallest fitting PV, provisions, or leaves them pending", () => {
    const state = VolumeState.fromKept([
      storageClass("static", "Immediate"),
      storageClass("dynamic", "Immediate", "ebs.csi.aws.com"),
      storageClass("late", "WaitForFirstConsumer", "ebs.csi.aws.com"),
      volume("big", "static", "10Gi"),
      volume("small", "static", "2Gi"),
      claim("a", "static", "1Gi"),
      claim("b", "static", "20Gi"),
      claim("c", "dynamic", "5Gi"),
      claim("d", "late", "5Gi"),
    ]);
    bindImmediateClaims(state);
    expect(state.pvc("default", "a")?.volumeName).toBe("small");
    // Nothing fits 20Gi and `static` has no provisioner: Pending.
    expect(state.pvc("default", "b")?.volumeName).toBe("");
    const c = state.pvc("default", "c");
    expect(c?.volumeName).toBe(`pvc-${c?.uid}`);
    expect(state.pv(c?.volumeName ?? "")?.claimRef?.name).toBe("c");
    // WaitForFirstConsumer: bound when its pod is placed, not now.
    expect(state.pvc("default", "d")?.volumeName).toBe("");
  });

  it("adds StatefulSet claims through the sink and binds Immediate ones", () => {
    const state = VolumeState.fromKept([
      storageClass("static", "Immediate"),
      volume("v", "static", "5Gi"),
    ]);
    const sink = volumeClaimSink(state);
    sink.ensureClaim(claim("data-db-0", "static", "1Gi"));
    sink.ensureClaim(claim("data-db-0", "static", "1Gi")); // idempotent
    expect(state.pvc("default", "data-db-0")?.volumeName).toBe("v");
    expect(state.persistentVolumeClaims()).toHaveLength(1);
  });
});
