/**
 * Where controllers hand the PersistentVolumeClaims they create: the StatefulSet controller's
 * `volumeClaimTemplates` claims (`<template>-<set>-<ordinal>`). The volume model (PV binding,
 * provisioning, the VolumeBinding plugin) implements {@link ClaimSink}; the controllers only
 * create and, where the retention policy says so, delete claims.
 */
import type { KeptObject } from "../../model/types.ts";

/** Receives the claims controllers create. */
export interface ClaimSink {
  /**
   * Makes sure the claim exists: creates it when no claim of that `namespace/name` exists, and
   * leaves an existing one alone (a StatefulSet pod re-created with the same name reuses its
   * claim, as upstream). Called before the pod that references it is created. `pvc` is a
   * PersistentVolumeClaim (`apiVersion: v1`): `metadata` decoded, `body` the full document
   * (`metadata` and the template's `spec`), `source` the template it came from.
   */
  ensureClaim(pvc: KeptObject): void;
  /**
   * Deletes claim `namespace/name` (`persistentVolumeClaimRetentionPolicy` Delete, on scale-down
   * or never in a simulation for whenDeleted). Optional: without it claims are retained.
   */
  deleteClaim?(namespace: string, name: string): void;
}

/** A {@link ClaimSink} that keeps the claims in a map (for tests and simple runs). */
export class ClaimRegistry implements ClaimSink {
  /** `namespace/name` → claim, in creation order. */
  readonly claims = new Map<string, KeptObject>();

  ensureClaim(pvc: KeptObject): void {
    const key = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
    if (!this.claims.has(key)) this.claims.set(key, pvc);
  }

  deleteClaim(namespace: string, name: string): void {
    this.claims.delete(`${namespace}/${name}`);
  }
}
