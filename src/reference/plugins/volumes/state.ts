/**
 * The storage state the volume plugins read and VolumeBinding's PreBind writes: PersistentVolumes,
 * PersistentVolumeClaims, StorageClasses and CSINodes by name (upstream: the PV/PVC assume caches
 * and the listers). Mutable: {@link VolumeState.bind} and {@link VolumeState.provision} are what
 * the scheduler's PreBind plus the PV controller and the external provisioner do to the API
 * objects; {@link VolumeState.revert} undoes a recorded set of changes (Unreserve).
 */
import { objectMeta, simpleNode } from "../../../model/construct.ts";
import type { KeptObject, Labels, Node, Pod, Volume } from "../../../model/types.ts";
import type { Snapshot } from "../../framework/snapshot.ts";
import {
  ANN_BIND_COMPLETED,
  type CSINode,
  claimKey,
  decodeCSINode,
  decodeInlineVolumeSource,
  decodePersistentVolume,
  decodePersistentVolumeClaim,
  decodeStorageClass,
  LABEL_ZONE,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  type VolumeSource,
} from "./objects.ts";

/**
 * A pod volume as the model decodes it, plus (optionally) the raw source object — e.g.
 * `{pdName: "disk", readOnly: true}` for a `gcePersistentDisk` volume — which the disk-conflict
 * and attach-limit checks need. The model's `Volume` does not carry it yet; volumes without it
 * are known only by their source kind.
 */
export type VolumeWithSpec = Volume & { readonly sourceSpec?: Readonly<Record<string, unknown>> };

/** The inline source of a pod volume (kind from the model, identity from `sourceSpec`). */
export function podVolumeSource(pod: Pod, v: Volume): VolumeSource {
  const spec = (v as VolumeWithSpec).sourceSpec;
  if (spec === undefined) return { kind: v.source, readOnly: false };
  return decodeInlineVolumeSource(
    { [v.source]: spec },
    `Pod "${pod.metadata.namespace}/${pod.metadata.name}"`,
    `spec.volumes[${v.name}]`,
  );
}

/** The claim a pod volume uses: `claimName`, or `<pod>-<volume>` for a generic ephemeral volume. */
export function podVolumeClaimName(pod: Pod, v: Volume): string | undefined {
  if (v.persistentVolumeClaim) return v.persistentVolumeClaim.claimName;
  if (v.ephemeral) return `${pod.metadata.name}-${v.name}`;
  return undefined;
}

/** `ephemeral.VolumeIsForPod`: the claim must be controlled by the pod; the error text otherwise. */
export function ephemeralClaimError(pod: Pod, pvc: PersistentVolumeClaim): string | undefined {
  const owned = pvc.ownerReferences.some((r) => r.controller && r.uid === pod.metadata.uid);
  if (owned) return undefined;
  return `PVC ${pvc.namespace}/${pvc.name} was not created for pod ${pod.metadata.namespace}/${pod.metadata.name} (pod is not owner)`;
}

/** One recorded change: the object before it (`undefined` = it did not exist). */
type Change =
  | { readonly kind: "pv"; readonly name: string; readonly before?: PersistentVolume }
  | { readonly kind: "pvc"; readonly key: string; readonly before?: PersistentVolumeClaim };

/** Changes made by {@link VolumeState.bind} / {@link VolumeState.provision}, for {@link VolumeState.revert}. */
export interface VolumeChanges {
  readonly changes: readonly Change[];
}

export interface VolumeStateOptions {
  /**
   * Apply the DefaultStorageClass admission plugin to claims that name no class: they get the
   * default class (the newest one annotated `storageclass.kubernetes.io/is-default-class:
   * "true"`, ties by name). Default true.
   */
  readonly defaultStorageClass?: boolean;
}

export class VolumeState {
  private readonly pvs = new Map<string, PersistentVolume>();
  private readonly pvcs = new Map<string, PersistentVolumeClaim>();
  private readonly classes = new Map<string, StorageClass>();
  private readonly csiNodes = new Map<string, CSINode>();
  private log: Change[] | undefined;

  constructor(
    objects: {
      readonly persistentVolumes?: readonly PersistentVolume[];
      readonly persistentVolumeClaims?: readonly PersistentVolumeClaim[];
      readonly storageClasses?: readonly StorageClass[];
      readonly csiNodes?: readonly CSINode[];
    } = {},
    options: VolumeStateOptions = {},
  ) {
    for (const c of objects.storageClasses ?? []) this.classes.set(c.name, c);
    for (const pv of objects.persistentVolumes ?? []) this.pvs.set(pv.name, pv);
    for (const n of objects.csiNodes ?? []) this.csiNodes.set(n.name, n);
    const dflt = options.defaultStorageClass === false ? undefined : this.defaultClass();
    for (const pvc of objects.persistentVolumeClaims ?? []) {
      const withClass =
        dflt && !pvc.storageClassNameSet
          ? { ...pvc, storageClassName: dflt.name, storageClassNameSet: true }
          : pvc;
      this.pvcs.set(claimKey(pvc.namespace, pvc.name), withClass);
    }
  }

  /**
   * The state of the PersistentVolume, PersistentVolumeClaim, StorageClass and CSINode objects
   * among `kept` (other kinds ignored). Throws a `VolumeObjectError` on a malformed object.
   */
  static fromKept(kept: readonly KeptObject[], options: VolumeStateOptions = {}): VolumeState {
    const of = (kind: string) => kept.filter((o) => (o.kind as string) === kind);
    return new VolumeState(
      {
        persistentVolumes: of("PersistentVolume").map(decodePersistentVolume),
        persistentVolumeClaims: of("PersistentVolumeClaim").map(decodePersistentVolumeClaim),
        storageClasses: of("StorageClass").map(decodeStorageClass),
        csiNodes: of("CSINode").map(decodeCSINode),
      },
      options,
    );
  }

  /** `GetDefaultClass`: the newest default class (creationTimestamp), ties by name ascending. */
  private defaultClass(): StorageClass | undefined {
    const defaults = [...this.classes.values()].filter((c) => c.isDefault);
    defaults.sort((a, b) => {
      const ta = a.creationTimestamp ?? "";
      const tb = b.creationTimestamp ?? "";
      if (ta !== tb) return ta < tb ? 1 : -1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    return defaults[0];
  }

  /** A deep-enough copy (the maps; the objects are immutable). */
  clone(): VolumeState {
    const c = new VolumeState();
    for (const [k, v] of this.pvs) c.pvs.set(k, v);
    for (const [k, v] of this.pvcs) c.pvcs.set(k, v);
    for (const [k, v] of this.classes) c.classes.set(k, v);
    for (const [k, v] of this.csiNodes) c.csiNodes.set(k, v);
    return c;
  }

  pv(name: string): PersistentVolume | undefined {
    return this.pvs.get(name);
  }

  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.pvcs.get(claimKey(namespace, name));
  }

  storageClass(name: string): StorageClass | undefined {
    return this.classes.get(name);
  }

  csiNode(nodeName: string): CSINode | undefined {
    return this.csiNodes.get(nodeName);
  }

  /** Every PV, by name ascending. */
  persistentVolumes(): PersistentVolume[] {
    return [...this.pvs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every claim, by key ascending. */
  persistentVolumeClaims(): PersistentVolumeClaim[] {
    return [...this.pvcs.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
  }

  /** `pvCache.ListPVs(class)`: the PVs of one class (`GetPersistentVolumeClass`), by name. */
  listPVs(storageClassName: string): PersistentVolume[] {
    return this.persistentVolumes().filter((pv) => pv.storageClassName === storageClassName);
  }

  /** Adds or replaces objects (the API's create / update). */
  putPV(pv: PersistentVolume): void {
    this.record({ kind: "pv", name: pv.name, before: this.pvs.get(pv.name) });
    this.pvs.set(pv.name, pv);
  }

  putPVC(pvc: PersistentVolumeClaim): void {
    const key = claimKey(pvc.namespace, pvc.name);
    this.record({ kind: "pvc", key, before: this.pvcs.get(key) });
    this.pvcs.set(key, pvc);
  }

  putStorageClass(c: StorageClass): void {
    this.#version++;
    this.classes.set(c.name, c);
  }

  putCSINode(n: CSINode): void {
    this.#version++;
    this.csiNodes.set(n.name, n);
  }

  #version = 0;

  /** Bumped by every change (put, bind, provision, revert): caches derived from the state key on it. */
  get version(): number {
    return this.#version;
  }

  /**
   * Binds claim `pvcKey` (`namespace/name`) to PV `pvName`, as the scheduler's PreBind and then
   * the PV controller do: the PV gets `claimRef` (with the claim's uid) and phase Bound; the
   * claim gets `volumeName`, the `pv.kubernetes.io/bind-completed` annotation and phase Bound.
   * Throws when either object is missing.
   */
  bind(pvcKey: string, pvName: string): void {
    const pvc = this.pvcs.get(pvcKey);
    if (!pvc) throw new Error(`persistentvolumeclaim ${JSON.stringify(pvcKey)} not found`);
    const pv = this.pvs.get(pvName);
    if (!pv) throw new Error(`persistentvolume ${JSON.stringify(pvName)} not found`);
    this.putPV({
      ...pv,
      claimRef: { namespace: pvc.namespace, name: pvc.name, uid: pvc.uid },
      phase: "Bound",
    });
    this.putPVC({
      ...pvc,
      volumeName: pvName,
      annotations: { ...pvc.annotations, [ANN_BIND_COMPLETED]: "yes" },
      phase: "Bound",
    });
  }

  /**
   * Dynamic provisioning of `pvc` for `node` (the external provisioner, then the PV
   * controller's binding): a new PV `pvc-<claim uid>` of the claim's class, capacity = the
   * claim's request, its access and volume modes, a `csi` source whose driver is the class's
   * provisioner (an in-tree provisioner such as `kubernetes.io/aws-ebs` gives the in-tree source
   * instead), bound to the claim. Node affinity: with a WaitForFirstConsumer class, to the
   * node's `topology.kubernetes.io/zone` when the node has that label; otherwise the class's
   * `allowedTopologies` (none = reachable from every node). Returns the PV's name.
   */
  provision(pvc: PersistentVolumeClaim, node: Node | undefined): string {
    const cls = this.classes.get(pvc.storageClassName);
    if (!cls) {
      throw new Error(
        `storageclass.storage.k8s.io ${JSON.stringify(pvc.storageClassName)} not found`,
      );
    }
    const name = `pvc-${pvc.uid}`;
    const zone = node?.metadata.labels[LABEL_ZONE];
    let nodeAffinity: PersistentVolume["nodeAffinity"];
    if (cls.volumeBindingMode === "WaitForFirstConsumer" && zone !== undefined) {
      nodeAffinity = {
        nodeSelectorTerms: [
          {
            matchExpressions: [{ key: LABEL_ZONE, operator: "In", values: [zone] }],
            matchFields: [],
          },
        ],
      };
    } else if (cls.allowedTopologies.length > 0) {
      nodeAffinity = {
        nodeSelectorTerms: cls.allowedTopologies.map((t) => ({
          matchExpressions: t.matchLabelExpressions.map((e) => ({
            key: e.key,
            operator: "In" as const,
            values: e.values,
          })),
          matchFields: [],
        })),
      };
    }
    const inTree = IN_TREE_SOURCE_BY_PROVISIONER[cls.provisioner];
    const source: VolumeSource = inTree
      ? { kind: inTree.kind, readOnly: false, [inTree.field]: name }
      : { kind: "csi", readOnly: false, csi: { driver: cls.provisioner, volumeHandle: name } };
    this.putPV({
      name,
      labels: {},
      annotations: { "pv.kubernetes.io/provisioned-by": cls.provisioner },
      capacity: pvc.request,
      accessModes: pvc.accessModes,
      storageClassName: cls.name,
      volumeMode: pvc.volumeMode,
      volumeAttributesClassName: pvc.volumeAttributesClassName,
      ...(nodeAffinity ? { nodeAffinity } : {}),
      phase: "Available",
      source,
    });
    this.bind(claimKey(pvc.namespace, pvc.name), name);
    return name;
  }

  /** Runs `f` recording every change it makes; returns them for {@link VolumeState.revert}. */
  recording(f: () => void): VolumeChanges {
    const outer = this.log;
    const log: Change[] = [];
    this.log = log;
    try {
      f();
    } finally {
      this.log = outer;
      outer?.push(...log);
    }
    return { changes: log };
  }

  /** Undoes recorded changes, newest first. */
  revert(changes: VolumeChanges): void {
    this.#version++;
    for (const c of [...changes.changes].reverse()) {
      if (c.kind === "pv") {
        if (c.before) this.pvs.set(c.name, c.before);
        else this.pvs.delete(c.name);
      } else if (c.before) {
        this.pvcs.set(c.key, c.before);
      } else {
        this.pvcs.delete(c.key);
      }
    }
  }

  private record(c: Change): void {
    this.#version++;
    this.log?.push(c);
  }
}

/** In-tree provisioner names and the PV source their provisioned volumes carry. */
const IN_TREE_SOURCE_BY_PROVISIONER: Readonly<
  Record<string, { kind: string; field: "volumeID" | "pdName" | "diskURI" | "handle" }>
> = {
  "kubernetes.io/aws-ebs": { kind: "awsElasticBlockStore", field: "volumeID" },
  "kubernetes.io/gce-pd": { kind: "gcePersistentDisk", field: "pdName" },
  "kubernetes.io/azure-disk": { kind: "azureDisk", field: "diskURI" },
  "kubernetes.io/cinder": { kind: "cinder", field: "handle" },
};

/** Labels of a node as `CheckNodeAffinity` sees it (labels only, no name). */
export function nodeLabelsOnly(labels: Labels): Node {
  return simpleNode(objectMeta("", { uid: "", labels }), new Map(), { file: "" });
}

// ---------------------------------------------------------------------------------------------
// The state of a reference snapshot

const BY_SNAPSHOT = new WeakMap<Snapshot, VolumeState>();

/**
 * The volume state of a reference-scheduler snapshot: the one attached with
 * {@link attachVolumeState}, else built once from the snapshot's kept objects. VolumeBinding's
 * Reserve binds into it, so later cycles on the same snapshot see the bindings.
 */
export function volumeStateOf(snapshot: Snapshot): VolumeState {
  let s = BY_SNAPSHOT.get(snapshot);
  if (!s) {
    s = VolumeState.fromKept([
      ...snapshot.objectsOf("PersistentVolume"),
      ...snapshot.objectsOf("PersistentVolumeClaim"),
      ...snapshot.objectsOf("StorageClass"),
      ...snapshot.objectsOf("CSINode"),
    ]);
    BY_SNAPSHOT.set(snapshot, s);
  }
  return s;
}

/** Makes `snapshot`'s plugins read (and VolumeBinding write) `state`. */
export function attachVolumeState(snapshot: Snapshot, state: VolumeState): void {
  BY_SNAPSHOT.set(snapshot, state);
}
