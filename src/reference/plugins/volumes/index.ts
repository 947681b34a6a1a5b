/**
 * Shared storage state of the volume plugins (VolumeBinding, VolumeZone, VolumeRestrictions,
 * NodeVolumeLimits): typed views of PV / PVC / StorageClass / CSINode objects, the mutable
 * {@link VolumeState}, and CSI migration helpers.
 */
export * from "./csi.ts";
export * from "./objects.ts";
export * from "./state.ts";

/** What a pure volume-plugin evaluator returns for a pod that does not fit a node. */
export interface VolumeRejection {
  readonly code: "Unschedulable" | "UnschedulableAndUnresolvable" | "Error";
  readonly reasons: readonly string[];
}
