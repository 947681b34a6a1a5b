/**
 * Typed views of the storage objects the volume plugins read (upstream core/v1
 * `PersistentVolume`, `PersistentVolumeClaim`, storage/v1 `StorageClass`, `CSINode`), decoded
 * from the manifest loader's kept objects (`KeptObject`: metadata decoded, `body` = the parsed
 * document). Only the fields the scheduler plugins use are decoded; each one is validated and a
 * malformed value throws a {@link VolumeObjectError} naming the object and the field path
 * (`PersistentVolume "pv-1": spec.capacity.storage: …`).
 *
 * API defaulting applied here, as the API server would have: `volumeMode` Filesystem,
 * `volumeBindingMode` Immediate, an RBD `pool` of `rbd`. A PV without `status.phase` is taken as
 * `Available` (`Bound` when it has a `claimRef`): the PV controller's steady state for a
 * hand-written volume.
 */
import { Quantity, QuantityError } from "../../../model/quantity.ts";
import type {
  KeptObject,
  Labels,
  NodeSelector,
  NodeSelectorOperator,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  ObjectMeta,
  OwnerReference,
} from "../../../model/types.ts";
import { parseSelector } from "../defaultpreemption/pdb.ts";

export type AccessMode = "ReadWriteOnce" | "ReadOnlyMany" | "ReadWriteMany" | "ReadWriteOncePod";
const ACCESS_MODES: readonly AccessMode[] = [
  "ReadWriteOnce",
  "ReadOnlyMany",
  "ReadWriteMany",
  "ReadWriteOncePod",
];
export type VolumeMode = "Filesystem" | "Block";
export type VolumeBindingMode = "Immediate" | "WaitForFirstConsumer";

/** Annotation the PV controller sets on a claim once binding is complete (`AnnBindCompleted`). */
export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** Annotation the scheduler sets on a claim to provision on a node (`AnnSelectedNode`). */
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** Deprecated class annotation that wins over `storageClassName` (`v1.BetaStorageClassAnnotation`). */
export const ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
/** CSINode annotation listing the in-tree plugins migrated to CSI on the node. */
export const ANN_MIGRATED_PLUGINS = "storage.alpha.kubernetes.io/migrated-plugins";
export const ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
export const ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
/** `volume.NotSupportedProvisioner`: a class that cannot provision. */
export const NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner";

export const LABEL_ZONE = "topology.kubernetes.io/zone";
export const LABEL_REGION = "topology.kubernetes.io/region";
export const LABEL_BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
export const LABEL_BETA_REGION = "failure-domain.beta.kubernetes.io/region";
export const LABEL_HOSTNAME = "kubernetes.io/hostname";

/** A malformed storage object (the message names the object and the field path). */
export class VolumeObjectError extends Error {
  override readonly name = "VolumeObjectError";
}

/**
 * The volume source of a PV or an inline pod volume, as far as the plugins need it: the source
 * kind (`csi`, `awsElasticBlockStore`, `gcePersistentDisk`, `local`, …) and its identity.
 */
export interface VolumeSource {
  /** The source field's name as written (`""` when the object has none). */
  readonly kind: string;
  readonly readOnly: boolean;
  /** `csi.driver` / `csi.volumeHandle`. */
  readonly csi?: { readonly driver: string; readonly volumeHandle: string };
  /** `awsElasticBlockStore.volumeID`. */
  readonly volumeID?: string;
  /** `gcePersistentDisk.pdName`. */
  readonly pdName?: string;
  /** `azureDisk.diskURI`. */
  readonly diskURI?: string;
  /** `iscsi.iqn`. */
  readonly iqn?: string;
  /** `rbd.monitors`, `rbd.pool` (default `rbd`), `rbd.image`. */
  readonly rbd?: {
    readonly monitors: readonly string[];
    readonly pool: string;
    readonly image: string;
  };
  /** Other sources' identity (cinder `volumeID`, azureFile `shareName`, vsphere `volumePath`, portworx `volumeID`). */
  readonly handle?: string;
}

export interface ClaimRef {
  readonly namespace: string;
  readonly name: string;
  /** `""` when not given. */
  readonly uid: string;
}

export type PersistentVolumePhase = "Pending" | "Available" | "Bound" | "Released" | "Failed";

export interface PersistentVolume {
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  /** `spec.capacity.storage`; zero when absent. */
  readonly capacity: Quantity;
  readonly accessModes: readonly AccessMode[];
  /** `GetPersistentVolumeClass`: the beta annotation, else `spec.storageClassName`, else `""`. */
  readonly storageClassName: string;
  readonly volumeMode: VolumeMode;
  readonly volumeAttributesClassName: string;
  /** `spec.nodeAffinity.required`. */
  readonly nodeAffinity?: NodeSelector;
  readonly claimRef?: ClaimRef;
  readonly phase: PersistentVolumePhase;
  readonly source: VolumeSource;
}

export type ClaimPhase = "Pending" | "Bound" | "Lost";

export interface PersistentVolumeClaim {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly deletionTimestamp?: string;
  readonly ownerReferences: readonly OwnerReference[];
  /** `GetPersistentVolumeClaimClass`: the beta annotation, else `spec.storageClassName`, else `""`. */
  readonly storageClassName: string;
  /** Whether the claim names a class at all (nil `storageClassName` and no annotation → false). */
  readonly storageClassNameSet: boolean;
  /** `spec.volumeName`; `""` when unbound. */
  readonly volumeName: string;
  readonly accessModes: readonly AccessMode[];
  /** `spec.resources.requests.storage`; zero when absent. */
  readonly request: Quantity;
  readonly hasRequest: boolean;
  readonly volumeMode: VolumeMode;
  readonly volumeAttributesClassName: string;
  /** `spec.selector` as written (`undefined` = nil). */
  readonly selector?: unknown;
  readonly phase: ClaimPhase;
}

export interface TopologySelectorTerm {
  readonly matchLabelExpressions: readonly {
    readonly key: string;
    readonly values: readonly string[];
  }[];
}

export interface StorageClass {
  readonly name: string;
  readonly provisioner: string;
  readonly volumeBindingMode: VolumeBindingMode;
  readonly allowedTopologies: readonly TopologySelectorTerm[];
  /** Annotated as the default class (GA or beta annotation `"true"`). */
  readonly isDefault: boolean;
  readonly creationTimestamp?: string;
}

export interface CSINodeDriver {
  readonly name: string;
  /** `allocatable.count`; `undefined` = no limit. */
  readonly allocatableCount?: number;
  readonly topologyKeys: readonly string[];
}

export interface CSINode {
  /** The node's name. */
  readonly name: string;
  readonly annotations: Labels;
  readonly drivers: readonly CSINodeDriver[];
}

/** `namespace/name`, the key of a claim. */
export function claimKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Field access with paths

type Rec = Readonly<Record<string, unknown>>;

function isRecord(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Reader {
  private readonly owner: string;
  readonly value: unknown;
  readonly path: string;

  constructor(owner: string, value: unknown, path: string) {
    this.owner = owner;
    this.value = value;
    this.path = path;
  }

  fail(message: string): never {
    throw new VolumeObjectError(`${this.owner}: ${this.path}: ${message}`);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  get(key: string): Reader {
    const v = isRecord(this.value) ? this.value[key] : undefined;
    return new Reader(this.owner, v, this.path ? `${this.path}.${key}` : key);
  }

  object(): Reader {
    if (this.present && !isRecord(this.value)) this.fail("must be an object");
    return this;
  }

  string(dflt = ""): string {
    if (!this.present) return dflt;
    if (typeof this.value !== "string")
      this.fail(`must be a string, got ${JSON.stringify(this.value)}`);
    return this.value;
  }

  bool(dflt = false): boolean {
    if (!this.present) return dflt;
    if (typeof this.value !== "boolean")
      this.fail(`must be a boolean, got ${JSON.stringify(this.value)}`);
    return this.value;
  }

  list(): Reader[] {
    if (!this.present) return [];
    if (!Array.isArray(this.value)) this.fail("must be a list");
    return this.value.map((v, i) => new Reader(this.owner, v, `${this.path}[${i}]`));
  }

  strings(): string[] {
    return this.list().map((r) => r.string());
  }

  quantity(): Quantity | undefined {
    if (!this.present) return undefined;
    const v = this.value;
    if (typeof v !== "string" && typeof v !== "number") this.fail("must be a quantity");
    try {
      return Quantity.parse(String(v));
    } catch (e) {
      if (e instanceof QuantityError)
        this.fail(`invalid quantity ${JSON.stringify(v)}: ${e.message}`);
      throw e;
    }
  }

  int(): number | undefined {
    if (!this.present) return undefined;
    const v = this.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      this.fail(`must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  oneOf<T extends string>(allowed: readonly T[], dflt: T): T {
    const s = this.string(dflt);
    if (!(allowed as readonly string[]).includes(s)) {
      this.fail(
        `Unsupported value: ${JSON.stringify(s)}: supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
      );
    }
    return s as T;
  }
}

function rootOf(o: KeptObject): Reader {
  const owner = o.metadata.namespace
    ? `${o.kind} "${o.metadata.namespace}/${o.metadata.name}"`
    : `${o.kind} "${o.metadata.name}"`;
  return new Reader(owner, o.body, "");
}

function accessModes(r: Reader): AccessMode[] {
  return r.list().map((m) => m.oneOf(ACCESS_MODES, "ReadWriteOnce"));
}

const NODE_SELECTOR_OPERATORS: readonly NodeSelectorOperator[] = [
  "In",
  "NotIn",
  "Exists",
  "DoesNotExist",
  "Gt",
  "Lt",
];

function requirements(r: Reader): NodeSelectorRequirement[] {
  return r.list().map((e) => ({
    key: e.object().get("key").string(),
    operator: e.get("operator").oneOf(NODE_SELECTOR_OPERATORS, "In"),
    values: e.get("values").strings(),
  }));
}

function nodeSelector(r: Reader): NodeSelector | undefined {
  if (!r.object().present) return undefined;
  const terms: NodeSelectorTerm[] = r
    .get("nodeSelectorTerms")
    .list()
    .map((t) => ({
      matchExpressions: requirements(t.object().get("matchExpressions")),
      matchFields: requirements(t.get("matchFields")),
    }));
  return { nodeSelectorTerms: terms };
}

/** The source fields a PV or a pod volume may carry (everything else in `spec` is ignored). */
const PV_SPEC_NON_SOURCE = new Set([
  "capacity",
  "accessModes",
  "claimRef",
  "persistentVolumeReclaimPolicy",
  "storageClassName",
  "mountOptions",
  "volumeMode",
  "nodeAffinity",
  "volumeAttributesClassName",
]);

/**
 * Decodes the volume source of a PV `spec` (or of a pod volume object: pass `name` among
 * `ignore`). The first present key that is not in `ignore` is the source.
 */
function decodeVolumeSource(r: Reader, ignore: ReadonlySet<string>): VolumeSource {
  const raw = isRecord(r.value) ? r.value : {};
  const kind =
    Object.keys(raw).find((k) => !ignore.has(k) && raw[k] !== null && raw[k] !== undefined) ?? "";
  if (kind === "") return { kind, readOnly: false };
  const s = r.get(kind).object();
  const readOnly = s.get("readOnly").bool(false);
  switch (kind) {
    case "csi":
      return {
        kind,
        readOnly,
        csi: { driver: s.get("driver").string(), volumeHandle: s.get("volumeHandle").string() },
      };
    case "awsElasticBlockStore":
      return { kind, readOnly, volumeID: s.get("volumeID").string() };
    case "gcePersistentDisk":
      return { kind, readOnly, pdName: s.get("pdName").string() };
    case "azureDisk":
      return { kind, readOnly, diskURI: s.get("diskURI").string() };
    case "iscsi":
      return { kind, readOnly, iqn: s.get("iqn").string() };
    case "rbd":
      return {
        kind,
        readOnly,
        rbd: {
          monitors: s.get("monitors").strings(),
          pool: s.get("pool").string("rbd") || "rbd",
          image: s.get("image").string(),
        },
      };
    case "cinder":
    case "portworxVolume":
      return { kind, readOnly, handle: s.get("volumeID").string() };
    case "azureFile":
      return { kind, readOnly, handle: s.get("shareName").string() };
    case "vsphereVolume":
      return { kind, readOnly, handle: s.get("volumePath").string() };
    default:
      return { kind, readOnly };
  }
}

/** The inline source of a raw pod volume object (`{name, <source>: {...}}`). */
export function decodeInlineVolumeSource(raw: unknown, owner: string, path: string): VolumeSource {
  return decodeVolumeSource(new Reader(owner, raw, path), new Set(["name"]));
}

function storageClassOf(meta: ObjectMeta, spec: Reader): { name: string; set: boolean } {
  const ann = meta.annotations[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return { name: ann, set: true };
  const r = spec.get("storageClassName");
  return { name: r.string(""), set: r.present };
}

// ---------------------------------------------------------------------------------------------
// Decoders

export function decodePersistentVolume(o: KeptObject): PersistentVolume {
  const root = rootOf(o);
  const spec = root.get("spec").object();
  const claim = spec.get("claimRef").object();
  const claimRef: ClaimRef | undefined = claim.present
    ? {
        namespace: claim.get("namespace").string(),
        name: claim.get("name").string(),
        uid: claim.get("uid").string(),
      }
    : undefined;
  const phaseR = root.get("status").object().get("phase");
  const phase = phaseR.oneOf<PersistentVolumePhase>(
    ["Pending", "Available", "Bound", "Released", "Failed"],
    claimRef ? "Bound" : "Available",
  );
  const affinity = spec.get("nodeAffinity").object();
  const nodeAffinity = nodeSelector(affinity.get("required"));
  return {
    name: o.metadata.name,
    labels: o.metadata.labels,
    annotations: o.metadata.annotations,
    ...(o.metadata.creationTimestamp ? { creationTimestamp: o.metadata.creationTimestamp } : {}),
    ...(o.metadata.deletionTimestamp ? { deletionTimestamp: o.metadata.deletionTimestamp } : {}),
    capacity: spec.get("capacity").object().get("storage").quantity() ?? Quantity.ZERO,
    accessModes: accessModes(spec.get("accessModes")),
    storageClassName: storageClassOf(o.metadata, spec).name,
    volumeMode: spec.get("volumeMode").oneOf<VolumeMode>(["Filesystem", "Block"], "Filesystem"),
    volumeAttributesClassName: spec.get("volumeAttributesClassName").string(),
    ...(nodeAffinity ? { nodeAffinity } : {}),
    ...(claimRef ? { claimRef } : {}),
    phase,
    source: decodeVolumeSource(spec, PV_SPEC_NON_SOURCE),
  };
}

export function decodePersistentVolumeClaim(o: KeptObject): PersistentVolumeClaim {
  const root = rootOf(o);
  const spec = root.get("spec").object();
  const cls = storageClassOf(o.metadata, spec);
  const requestR = spec.get("resources").object().get("requests").object().get("storage");
  const request = requestR.quantity();
  const selectorR = spec.get("selector");
  if (selectorR.present && parseSelector(selectorR.value) === undefined) {
    selectorR.fail("invalid label selector");
  }
  return {
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    uid: o.metadata.uid,
    labels: o.metadata.labels,
    annotations: o.metadata.annotations,
    ...(o.metadata.deletionTimestamp ? { deletionTimestamp: o.metadata.deletionTimestamp } : {}),
    ownerReferences: o.metadata.ownerReferences,
    storageClassName: cls.name,
    storageClassNameSet: cls.set,
    volumeName: spec.get("volumeName").string(),
    accessModes: accessModes(spec.get("accessModes")),
    request: request ?? Quantity.ZERO,
    hasRequest: request !== undefined,
    volumeMode: spec.get("volumeMode").oneOf<VolumeMode>(["Filesystem", "Block"], "Filesystem"),
    volumeAttributesClassName: spec.get("volumeAttributesClassName").string(),
    ...(selectorR.present ? { selector: selectorR.value } : {}),
    phase: root
      .get("status")
      .object()
      .get("phase")
      .oneOf<ClaimPhase>(["Pending", "Bound", "Lost"], "Pending"),
  };
}

export function decodeStorageClass(o: KeptObject): StorageClass {
  const root = rootOf(o).object();
  const ann = o.metadata.annotations;
  return {
    name: o.metadata.name,
    provisioner: root.get("provisioner").string(),
    volumeBindingMode: root
      .get("volumeBindingMode")
      .oneOf<VolumeBindingMode>(["Immediate", "WaitForFirstConsumer"], "Immediate"),
    allowedTopologies: root
      .get("allowedTopologies")
      .list()
      .map((t) => ({
        matchLabelExpressions: t
          .object()
          .get("matchLabelExpressions")
          .list()
          .map((e) => ({ key: e.object().get("key").string(), values: e.get("values").strings() })),
      })),
    isDefault: ann[ANN_DEFAULT_CLASS] === "true" || ann[ANN_BETA_DEFAULT_CLASS] === "true",
    ...(o.metadata.creationTimestamp ? { creationTimestamp: o.metadata.creationTimestamp } : {}),
  };
}

export function decodeCSINode(o: KeptObject): CSINode {
  const spec = rootOf(o).get("spec").object();
  return {
    name: o.metadata.name,
    annotations: o.metadata.annotations,
    drivers: spec
      .get("drivers")
      .list()
      .map((d) => {
        const count = d.object().get("allocatable").object().get("count").int();
        return {
          name: d.get("name").string(),
          ...(count === undefined ? {} : { allocatableCount: count }),
          topologyKeys: d.get("topologyKeys").strings(),
        };
      }),
  };
}

/** `v1helper.MatchTopologySelectorTerms`: no terms match everything; terms are ORed. */
export function matchTopologySelectorTerms(
  terms: readonly TopologySelectorTerm[],
  labels: Labels,
): boolean {
  if (terms.length === 0) return true;
  return terms.some(
    (t) =>
      t.matchLabelExpressions.length > 0 &&
      t.matchLabelExpressions.every(
        (e) => Object.hasOwn(labels, e.key) && e.values.includes(labels[e.key] as string),
      ),
  );
}
