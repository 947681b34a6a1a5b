/**
 * The PersistentVolume controller, as far as it affects placement: claims of an `Immediate`
 * StorageClass (and claims naming no class, which bind to a class-less PV) are bound as soon as
 * they exist — to the PV VolumeBinding's `findMatchingVolume` picks without a node (the smallest
 * Available one of their class that fits), else to a PV provisioned for them when the class has a
 * provisioner. `WaitForFirstConsumer` claims wait for the
 * scheduler (VolumeBinding binds them when their pod is placed, src/core/volumes.ts).
 *
 * Also the {@link ClaimSink} StatefulSets put their volumeClaimTemplates' claims into.
 */
import type { KeptObject } from "../../model/types.ts";
import { findMatchingVolume } from "../../reference/plugins/volumebinding/index.ts";
import {
  claimKey,
  decodePersistentVolumeClaim,
  NOT_SUPPORTED_PROVISIONER,
  type PersistentVolumeClaim,
  type VolumeState,
} from "../../reference/plugins/volumes/index.ts";
import type { ClaimSink } from "./claims.ts";

/** Whether `pvc` binds without waiting for a pod (its class's mode is Immediate, or no class). */
function immediate(pvc: PersistentVolumeClaim, state: VolumeState): boolean {
  if (pvc.volumeName !== "") return false;
  if (pvc.storageClassName === "") return true;
  const cls = state.storageClass(pvc.storageClassName);
  return cls !== undefined && cls.volumeBindingMode === "Immediate";
}

/** Binds (or provisions for) one Immediate claim; returns false when it must stay Pending. */
export function bindImmediateClaim(pvc: PersistentVolumeClaim, state: VolumeState): boolean {
  if (!immediate(pvc, state)) return false;
  const pv = findMatchingVolume(pvc, state.persistentVolumes(), undefined, new Set());
  if (pv !== null) {
    state.bind(claimKey(pvc.namespace, pvc.name), pv.name);
    return true;
  }
  const cls = state.storageClass(pvc.storageClassName);
  if (
    cls === undefined ||
    cls.provisioner === "" ||
    cls.provisioner === NOT_SUPPORTED_PROVISIONER
  ) {
    return false;
  }
  state.provision(pvc, undefined); // creates the PV and binds the claim to it
  return true;
}

/** Binds every unbound Immediate claim of `state` (claims in name order). */
export function bindImmediateClaims(state: VolumeState): void {
  const claims = state
    .persistentVolumeClaims()
    .sort((a, b) => claimKey(a.namespace, a.name).localeCompare(claimKey(b.namespace, b.name)));
  for (const pvc of claims) bindImmediateClaim(pvc, state);
}

/**
 * A claim sink adding StatefulSet claims to `state` (binding Immediate ones at once); `added` hears
 * each new claim (the scheduling queue's PersistentVolumeClaim/Add event).
 */
export function volumeClaimSink(
  state: VolumeState,
  added: (obj: KeptObject) => void = () => {},
): ClaimSink {
  return {
    ensureClaim(obj: KeptObject): void {
      if (state.pvc(obj.metadata.namespace, obj.metadata.name) !== undefined) return;
      const pvc = decodePersistentVolumeClaim(obj);
      state.putPVC(pvc);
      bindImmediateClaim(pvc, state);
      added(obj);
    },
  };
}
