/**
 * scheduler_perf's storage setup (upstream `test/utils` CreatePodWithPersistentVolume and
 * `NodeAllocatableStrategy`):
 * - createPods with PV and PVC templates: pod i of an op in namespace `ns` gets PersistentVolume
 *   `<ns>-vol-<i>` (its CSI volumeHandle, or in-tree volume id, set to that name so every volume
 *   is distinct) bound to claim `pvc-<i>` in `ns` (claimRef ↔ volumeName, both Bound), and one
 *   volume `vol` using the claim;
 * - createNodes with `nodeAllocatableStrategy`: each node's allocatable (and capacity) gain the
 *   listed entries, and a CSINode named after the node lists each driver with its attach limit and
 *   the migrated in-tree plugins (annotation `storage.alpha.kubernetes.io/migrated-plugins`).
 */
import type { RawObject } from "../manifest/field.ts";
import { parseQuantity } from "../model/quantity.ts";
import type { KeptObject, Node, Pod } from "../model/types.ts";
import type { NodeAllocatableStrategy } from "./config.ts";
import { decodeAny } from "./objects.ts";

const MIGRATED_PLUGINS_ANNOTATION = "storage.alpha.kubernetes.io/migrated-plugins";

function kept(raw: RawObject, file: string, name: string, namespace: string): KeptObject {
  const o = decodeAny(raw, file, name, namespace);
  if (o.kind !== "kept") throw new Error(`gantry bug: ${file} did not decode as a kept object`);
  return o.object;
}

function object(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? { ...(v as Record<string, unknown>) }
    : {};
}

/** Pod `i`'s PersistentVolume and claim (see the module comment), and the claim's name. */
export function podVolumeObjects(
  pvTemplate: RawObject,
  pvcTemplate: RawObject,
  files: { readonly pv: string; readonly pvc: string },
  namespace: string,
  i: number,
): { readonly pv: KeptObject; readonly pvc: KeptObject; readonly claimName: string } {
  const pvName = `${namespace}-vol-${i}`;
  const claimName = `pvc-${i}`;
  const spec = object(pvTemplate["spec"]);
  if (spec["csi"] !== undefined) spec["csi"] = { ...object(spec["csi"]), volumeHandle: pvName };
  if (spec["awsElasticBlockStore"] !== undefined) {
    spec["awsElasticBlockStore"] = { ...object(spec["awsElasticBlockStore"]), volumeID: pvName };
  }
  if (spec["gcePersistentDisk"] !== undefined) {
    spec["gcePersistentDisk"] = { ...object(spec["gcePersistentDisk"]), pdName: pvName };
  }
  spec["claimRef"] = {
    kind: "PersistentVolumeClaim",
    apiVersion: "v1",
    namespace,
    name: claimName,
  };
  const pv: RawObject = { ...pvTemplate, spec, status: { phase: "Bound" } };
  const pvc: RawObject = {
    ...pvcTemplate,
    spec: { ...object(pvcTemplate["spec"]), volumeName: pvName },
    status: { phase: "Bound" },
  };
  return {
    pv: kept(pv, files.pv, pvName, ""),
    pvc: kept(pvc, files.pvc, claimName, namespace),
    claimName,
  };
}

/** `pod` with its volumes replaced by one volume `vol` using claim `claimName`. */
export function withClaim(pod: Pod, claimName: string): Pod {
  return {
    ...pod,
    spec: {
      ...pod.spec,
      volumes: [
        {
          name: "vol",
          persistentVolumeClaim: { claimName, readOnly: false },
          ephemeral: false,
          source: "persistentVolumeClaim",
        },
      ],
    },
  };
}

/** `node` with the strategy's allocatable entries added to its allocatable and capacity. */
export function withAllocatable(node: Node, s: NodeAllocatableStrategy): Node {
  const entries = Object.entries(s.nodeAllocatable);
  if (entries.length === 0) return node;
  const allocatable = new Map(node.status.allocatable);
  const capacity = new Map(node.status.capacity);
  for (const [name, value] of entries) {
    allocatable.set(name, parseQuantity(value));
    capacity.set(name, parseQuantity(value));
  }
  return { ...node, status: { ...node.status, allocatable, capacity } };
}

/** The CSINode of node `name` under strategy `s`, or undefined when it lists no driver. */
export function csiNodeOf(
  name: string,
  s: NodeAllocatableStrategy,
  file: string,
): KeptObject | undefined {
  const drivers = Object.entries(s.csiNodeAllocatable).map(([driver, a]) => ({
    name: driver,
    nodeID: name,
    allocatable: { count: a.count },
  }));
  if (drivers.length === 0 && s.migratedPlugins.length === 0) return undefined;
  const raw: RawObject = {
    apiVersion: "storage.k8s.io/v1",
    kind: "CSINode",
    metadata: {
      name,
      ...(s.migratedPlugins.length > 0
        ? { annotations: { [MIGRATED_PLUGINS_ANNOTATION]: s.migratedPlugins.join(",") } }
        : {}),
    },
    spec: { drivers },
  };
  return kept(raw, file, name, "");
}
