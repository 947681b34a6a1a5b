/**
 * Builders for the volume-plugin tests: kept PersistentVolume / PersistentVolumeClaim /
 * StorageClass / CSINode objects (as the manifest loader keeps them) and pod volumes.
 */
import type { KeptKind, KeptObject, Volume } from "../../../src/model/types.ts";
import type { VolumeWithSpec } from "../../../src/reference/plugins/volumes/index.ts";

export function kept(
  kind: KeptKind,
  name: string,
  body: Record<string, unknown>,
  meta: {
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
  } = {},
): KeptObject {
  const namespace = kind === "PersistentVolumeClaim" ? (meta.namespace ?? "default") : "";
  return {
    apiVersion: "v1",
    kind,
    metadata: {
      name,
      namespace,
      uid: meta.uid ?? `uid-${name}`,
      labels: meta.labels ?? {},
      annotations: meta.annotations ?? {},
      ownerReferences: [],
    },
    body: { kind, metadata: { name }, ...body },
    source: { file: "<test>" },
  };
}

export function pv(
  name: string,
  spec: Record<string, unknown>,
  meta: { labels?: Record<string, string> } = {},
  status?: Record<string, unknown>,
): KeptObject {
  return kept("PersistentVolume", name, { spec, ...(status ? { status } : {}) }, meta);
}

export function pvc(
  name: string,
  spec: Record<string, unknown>,
  meta: { annotations?: Record<string, string> } = {},
): KeptObject {
  return kept("PersistentVolumeClaim", name, { spec }, meta);
}

/** A claim bound to `volumeName` with the bind-completed annotation. */
export function boundPVC(
  name: string,
  volumeName: string,
  extra: Record<string, unknown> = {},
): KeptObject {
  return pvc(
    name,
    { volumeName, ...extra },
    { annotations: { "pv.kubernetes.io/bind-completed": "yes" } },
  );
}

export function storageClass(
  name: string,
  mode: "Immediate" | "WaitForFirstConsumer",
  provisioner = "kubernetes.io/no-provisioner",
  extra: Record<string, unknown> = {},
): KeptObject {
  return kept("StorageClass", name, { provisioner, volumeBindingMode: mode, ...extra });
}

export function csiNode(
  name: string,
  drivers: { name: string; count?: number }[],
  annotations: Record<string, string> = {},
): KeptObject {
  return kept(
    "CSINode",
    name,
    {
      spec: {
        drivers: drivers.map((d) => ({
          name: d.name,
          nodeID: name,
          ...(d.count === undefined ? {} : { allocatable: { count: d.count } }),
        })),
      },
    },
    { annotations },
  );
}

export function claimVolume(claimName: string, name = claimName, readOnly = false): Volume {
  return {
    name,
    persistentVolumeClaim: { claimName, readOnly },
    ephemeral: false,
    source: "persistentVolumeClaim",
  };
}

export function inlineVolume(
  name: string,
  source: string,
  sourceSpec: Record<string, unknown>,
): VolumeWithSpec {
  return { name, ephemeral: false, source, sourceSpec };
}
