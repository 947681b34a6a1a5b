/**
 * gantry's Kubernetes object model: the decoded, validated and API-defaulted form of the
 * manifests gantry reads. Field names follow the Kubernetes API (core/v1) verbatim; only the
 * fields that affect placement are modelled. Decoders live in `src/manifest/`.
 *
 * Conventions:
 * - Absent lists and maps decode to empty ones; absent optional scalars stay `undefined`.
 *   Where Kubernetes distinguishes nil from empty (label selectors), the field is optional and
 *   `undefined` means nil.
 * - Quantities stay exact (`Quantity`) until a consumer converts them (CPU to millicores, the
 *   rest to integer units, rounding up — `src/model/requests.ts`).
 * - The API server's defaulting is applied while decoding, because kube-scheduler sees defaulted
 *   objects: container requests default to limits, hostNetwork pods get hostPort = containerPort,
 *   a node's allocatable defaults to its capacity, namespace defaults to `default`,
 *   schedulerName to `default-scheduler`, port protocol to `TCP`, toleration operator to `Equal`.
 */
import type { Location } from "../diagnostics.ts";
import type { Quantity } from "./quantity.ts";

/** Resource name → exact quantity (`cpu`, `memory`, `ephemeral-storage`, `pods`, `nvidia.com/gpu`, `hugepages-2Mi`, …). */
export type ResourceList = ReadonlyMap<string, Quantity>;

export type Labels = Readonly<Record<string, string>>;

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  /** `""` for cluster-scoped objects; `default` when a namespaced object omits it. */
  readonly namespace: string;
  /** `metadata.uid` if given, else a deterministic one derived from kind, namespace and name. */
  readonly uid: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** RFC 3339 timestamp as written. */
  readonly creationTimestamp?: string;
  /** Set on terminating objects (PodTopologySpread skips such pods). */
  readonly deletionTimestamp?: string;
  readonly ownerReferences: readonly OwnerReference[];
}

// ---------------------------------------------------------------------------------------------
// Scheduling primitives

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

export interface Toleration {
  /** Empty key with operator Exists tolerates everything. */
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value: string;
  /** `""` matches every effect. */
  readonly effect: "" | TaintEffect;
  readonly tolerationSeconds?: number;
}

export type NodeSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: NodeSelectorOperator;
  readonly values: readonly string[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly NodeSelectorRequirement[];
  readonly matchFields: readonly NodeSelectorRequirement[];
}

export interface NodeSelector {
  readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  readonly preferredDuringSchedulingIgnoredDuringExecution: readonly PreferredSchedulingTerm[];
}

export type LabelSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  readonly values: readonly string[];
}

/** A metav1.LabelSelector. Where nil and `{}` differ, fields hold `LabelSelector | undefined`. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelSelectorRequirement[];
}

export interface PodAffinityTerm {
  readonly labelSelector?: LabelSelector;
  readonly namespaces: readonly string[];
  readonly topologyKey: string;
  readonly namespaceSelector?: LabelSelector;
  readonly matchLabelKeys: readonly string[];
  readonly mismatchLabelKeys: readonly string[];
}

export interface WeightedPodAffinityTerm {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution: readonly PodAffinityTerm[];
  readonly preferredDuringSchedulingIgnoredDuringExecution: readonly WeightedPodAffinityTerm[];
}

export interface Affinity {
  readonly nodeAffinity?: NodeAffinity;
  readonly podAffinity?: PodAffinity;
  readonly podAntiAffinity?: PodAffinity;
}

export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  readonly labelSelector?: LabelSelector;
  readonly minDomains?: number;
  readonly nodeAffinityPolicy?: "Honor" | "Ignore";
  readonly nodeTaintsPolicy?: "Honor" | "Ignore";
  readonly matchLabelKeys: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Pod

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** 0 when the container does not bind a host port. */
  readonly hostPort: number;
  readonly protocol: Protocol;
  /** `""` when unset. */
  readonly hostIP: string;
}

export interface ResourceRequirements {
  /** After defaulting: every limit without a request is also a request. */
  readonly requests: ResourceList;
  readonly limits: ResourceList;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly resources: ResourceRequirements;
  readonly ports: readonly ContainerPort[];
  /** Only init containers may set it; `Always` makes an init container a restartable sidecar. */
  readonly restartPolicy?: "Always";
}

/** The volume sources that affect placement; everything else is `other`. */
export interface Volume {
  readonly name: string;
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly: boolean };
  /** Generic ephemeral volume: its PVC is `<pod>-<volume>`. */
  readonly ephemeral: boolean;
  /** The source kind as written (`emptyDir`, `configMap`, `hostPath`, `csi`, …). */
  readonly source: string;
  /**
   * The source object as written for inline disk sources the volume plugins identify
   * (awsElasticBlockStore, gcePersistentDisk, azureDisk, cinder, csi, rbd, iscsi, …): their
   * volume ids decide disk conflicts and attach counts. Absent for other sources.
   */
  readonly sourceSpec?: Readonly<Record<string, unknown>>;
}

export interface PodSpec {
  readonly nodeName: string;
  readonly schedulerName: string;
  readonly nodeSelector: Labels;
  readonly affinity?: Affinity;
  readonly tolerations: readonly Toleration[];
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  readonly overhead: ResourceList;
  /** Pod-level resources (`spec.resources`). */
  readonly resources?: ResourceRequirements;
  readonly priority?: number;
  readonly priorityClassName: string;
  readonly preemptionPolicy?: "PreemptLowerPriority" | "Never";
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
  readonly volumes: readonly Volume[];
  /** Names of `spec.schedulingGates`. */
  readonly schedulingGates: readonly string[];
  readonly hostNetwork: boolean;
}

export interface PodStatus {
  readonly phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  readonly nominatedNodeName?: string;
  readonly startTime?: string;
}

export interface Pod {
  readonly kind: "Pod";
  readonly metadata: ObjectMeta;
  readonly spec: PodSpec;
  readonly status: PodStatus;
  readonly source: Location;
}

// ---------------------------------------------------------------------------------------------
// Node

export interface ContainerImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

export interface NodeCondition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
}

export interface NodeSpec {
  readonly unschedulable: boolean;
  readonly taints: readonly Taint[];
}

export interface NodeStatus {
  readonly capacity: ResourceList;
  /** Defaults to `capacity` when absent. */
  readonly allocatable: ResourceList;
  readonly images: readonly ContainerImage[];
  readonly conditions: readonly NodeCondition[];
}

export interface Node {
  readonly kind: "Node";
  readonly metadata: ObjectMeta;
  readonly spec: NodeSpec;
  readonly status: NodeStatus;
  readonly source: Location;
}

// ---------------------------------------------------------------------------------------------
// Namespace and the kinds kept for later modelling

export interface Namespace {
  readonly kind: "Namespace";
  readonly metadata: ObjectMeta;
  readonly source: Location;
}

/** Kinds that are parsed (apiVersion, kind, metadata checked) and kept whole for later issues. */
export const KEPT_KINDS = [
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "Service",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "StorageClass",
  "CSINode",
  "PriorityClass",
  "PodDisruptionBudget",
  "ResourceQuota",
  "LimitRange",
] as const;

export type KeptKind = (typeof KEPT_KINDS)[number];

/** An object of a kept kind: metadata decoded, the rest as the parsed document. */
export interface KeptObject {
  readonly apiVersion: string;
  readonly kind: KeptKind;
  readonly metadata: ObjectMeta;
  readonly body: Readonly<Record<string, unknown>>;
  readonly source: Location;
}

export type KubeObject = Node | Pod | Namespace | KeptObject;
