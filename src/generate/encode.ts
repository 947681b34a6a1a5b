/**
 * gantry objects → Kubernetes manifests (plain objects ready for YAML or JSON): the inverse of
 * the manifest decoder for every field gantry models, so that decoding an encoded object gives
 * back an equal object (`test/generate/encode.test.ts`).
 *
 * What is written:
 * - Defaults the decoder would restore are left out (empty lists and maps, `schedulerName:
 *   default-scheduler`, port protocol `TCP`, priority 0 without a class), as is a uid equal to
 *   the one the decoder derives from kind, namespace and name.
 * - Priorities are written as admitted: `priorityClassName` with its `priority` and
 *   `preemptionPolicy`, which the API server's Priority admission accepts as long as the class
 *   exists (so write the PriorityClasses too).
 * - Volumes are written as their source kind with an empty body (`configMap: {}`), except
 *   `persistentVolumeClaim`: gantry keeps nothing else of them. Fields gantry does not model
 *   (container commands, env, probes, security contexts) are not written.
 * - Timestamps and a pod's `status` (phase, nominated node, start time — preemption reads them)
 *   are written as read; the API server sets its own on create.
 * - Nodes keep their `status` (capacity, allocatable, images, conditions): KWOK serves fake nodes
 *   with the status they are created with.
 */
import { deriveUid } from "../manifest/meta.ts";
import { DEFAULT_SCHEDULER_NAME } from "../manifest/pod.ts";
import type {
  Affinity,
  Container,
  KeptObject,
  LabelSelector,
  Namespace,
  Node,
  NodeSelectorTerm,
  ObjectMeta,
  Pod,
  PodAffinity,
  PodAffinityTerm,
  ResourceList,
  ResourceRequirements,
  Toleration,
  TopologySpreadConstraint,
  Volume,
} from "../model/types.ts";

/** A manifest as a plain object. */
export type Manifest = Record<string, unknown>;

/** The annotation KWOK's controller selects the nodes it manages by (its default selector). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

function nonEmpty<T>(key: string, list: readonly T[]): Manifest {
  return list.length > 0 ? { [key]: list } : {};
}

function nonEmptyMap(key: string, map: Readonly<Record<string, string>>): Manifest {
  return Object.keys(map).length > 0 ? { [key]: { ...map } } : {};
}

/** A resource list as `{name: "quantity"}`. */
export function encodeResources(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of list) out[name] = q.toString();
  return out;
}

function resourceField(key: string, list: ResourceList | undefined): Manifest {
  return list !== undefined && list.size > 0 ? { [key]: encodeResources(list) } : {};
}

function encodeMeta(kind: string, meta: ObjectMeta, namespaced: boolean): Manifest {
  const derived = deriveUid(kind, meta.namespace, meta.name);
  return {
    name: meta.name,
    ...(namespaced ? { namespace: meta.namespace } : {}),
    ...(meta.uid !== derived ? { uid: meta.uid } : {}),
    ...(meta.creationTimestamp !== undefined ? { creationTimestamp: meta.creationTimestamp } : {}),
    ...(meta.deletionTimestamp !== undefined ? { deletionTimestamp: meta.deletionTimestamp } : {}),
    ...nonEmptyMap("labels", meta.labels),
    ...nonEmptyMap("annotations", meta.annotations),
    ...nonEmpty(
      "ownerReferences",
      meta.ownerReferences.map((r) => ({
        apiVersion: r.apiVersion,
        kind: r.kind,
        name: r.name,
        uid: r.uid,
        ...(r.controller ? { controller: true } : {}),
      })),
    ),
  };
}

function encodeRequirements(r: ResourceRequirements): Manifest {
  return { ...resourceField("requests", r.requests), ...resourceField("limits", r.limits) };
}

function encodeContainer(c: Container, hostNetwork: boolean): Manifest {
  const resources = encodeRequirements(c.resources);
  return {
    name: c.name,
    image: c.image,
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...nonEmpty(
      "ports",
      c.ports.map((p) => ({
        ...(p.name !== undefined ? { name: p.name } : {}),
        containerPort: p.containerPort,
        // hostNetwork pods get hostPort = containerPort by defaulting; writing it is harmless.
        ...(p.hostPort !== 0 && !(hostNetwork && p.hostPort === p.containerPort)
          ? { hostPort: p.hostPort }
          : {}),
        ...(p.protocol !== "TCP" ? { protocol: p.protocol } : {}),
        ...(p.hostIP !== "" ? { hostIP: p.hostIP } : {}),
      })),
    ),
    ...(c.restartPolicy !== undefined ? { restartPolicy: c.restartPolicy } : {}),
  };
}

function encodeToleration(t: Toleration): Manifest {
  return {
    ...(t.key !== "" ? { key: t.key } : {}),
    operator: t.operator,
    ...(t.value !== "" ? { value: t.value } : {}),
    ...(t.effect !== "" ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  };
}

function encodeTerm(t: NodeSelectorTerm): Manifest {
  const req = (r: NodeSelectorTerm["matchExpressions"][number]) => ({
    key: r.key,
    operator: r.operator,
    ...nonEmpty("values", r.values),
  });
  return {
    ...nonEmpty("matchExpressions", t.matchExpressions.map(req)),
    ...nonEmpty("matchFields", t.matchFields.map(req)),
  };
}

function encodeSelector(s: LabelSelector): Manifest {
  return {
    ...nonEmptyMap("matchLabels", s.matchLabels),
    ...nonEmpty(
      "matchExpressions",
      s.matchExpressions.map((r) => ({
        key: r.key,
        operator: r.operator,
        ...nonEmpty("values", r.values),
      })),
    ),
  };
}

function encodePodAffinityTerm(t: PodAffinityTerm): Manifest {
  return {
    ...(t.labelSelector ? { labelSelector: encodeSelector(t.labelSelector) } : {}),
    ...nonEmpty("namespaces", t.namespaces),
    topologyKey: t.topologyKey,
    ...(t.namespaceSelector ? { namespaceSelector: encodeSelector(t.namespaceSelector) } : {}),
    ...nonEmpty("matchLabelKeys", t.matchLabelKeys),
    ...nonEmpty("mismatchLabelKeys", t.mismatchLabelKeys),
  };
}

function encodePodAffinity(a: PodAffinity): Manifest {
  return {
    ...nonEmpty(
      "requiredDuringSchedulingIgnoredDuringExecution",
      a.requiredDuringSchedulingIgnoredDuringExecution.map(encodePodAffinityTerm),
    ),
    ...nonEmpty(
      "preferredDuringSchedulingIgnoredDuringExecution",
      a.preferredDuringSchedulingIgnoredDuringExecution.map((w) => ({
        weight: w.weight,
        podAffinityTerm: encodePodAffinityTerm(w.podAffinityTerm),
      })),
    ),
  };
}

function encodeAffinity(a: Affinity): Manifest {
  const out: Manifest = {};
  const na = a.nodeAffinity;
  if (na) {
    const required = na.requiredDuringSchedulingIgnoredDuringExecution;
    out["nodeAffinity"] = {
      ...(required
        ? {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: required.nodeSelectorTerms.map(encodeTerm),
            },
          }
        : {}),
      ...nonEmpty(
        "preferredDuringSchedulingIgnoredDuringExecution",
        na.preferredDuringSchedulingIgnoredDuringExecution.map((p) => ({
          weight: p.weight,
          preference: encodeTerm(p.preference),
        })),
      ),
    };
  }
  if (a.podAffinity) out["podAffinity"] = encodePodAffinity(a.podAffinity);
  if (a.podAntiAffinity) out["podAntiAffinity"] = encodePodAffinity(a.podAntiAffinity);
  return out;
}

function encodeSpread(c: TopologySpreadConstraint): Manifest {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    whenUnsatisfiable: c.whenUnsatisfiable,
    ...(c.labelSelector ? { labelSelector: encodeSelector(c.labelSelector) } : {}),
    ...(c.minDomains !== undefined ? { minDomains: c.minDomains } : {}),
    ...(c.nodeAffinityPolicy ? { nodeAffinityPolicy: c.nodeAffinityPolicy } : {}),
    ...(c.nodeTaintsPolicy ? { nodeTaintsPolicy: c.nodeTaintsPolicy } : {}),
    ...nonEmpty("matchLabelKeys", c.matchLabelKeys),
  };
}

function encodeVolume(v: Volume): Manifest {
  if (v.persistentVolumeClaim) {
    const { claimName, readOnly } = v.persistentVolumeClaim;
    return {
      name: v.name,
      persistentVolumeClaim: { claimName, ...(readOnly ? { readOnly } : {}) },
    };
  }
  return { name: v.name, [v.source]: {} };
}

/** A Pod manifest; see the module comment for what is written. */
export function encodePod(pod: Pod): Manifest {
  const s = pod.spec;
  const admittedDefault =
    s.priorityClassName === "" &&
    (s.priority ?? 0) === 0 &&
    (s.preemptionPolicy ?? "PreemptLowerPriority") === "PreemptLowerPriority";
  const resources = s.resources ? encodeRequirements(s.resources) : undefined;
  const spec: Manifest = {
    ...(s.nodeName !== "" ? { nodeName: s.nodeName } : {}),
    ...(s.schedulerName !== DEFAULT_SCHEDULER_NAME ? { schedulerName: s.schedulerName } : {}),
    ...(s.hostNetwork ? { hostNetwork: true } : {}),
    ...nonEmptyMap("nodeSelector", s.nodeSelector),
    ...(s.affinity ? { affinity: encodeAffinity(s.affinity) } : {}),
    ...nonEmpty("tolerations", s.tolerations.map(encodeToleration)),
    ...(s.priorityClassName !== "" ? { priorityClassName: s.priorityClassName } : {}),
    ...(!admittedDefault && s.priority !== undefined ? { priority: s.priority } : {}),
    ...(!admittedDefault && s.preemptionPolicy !== undefined
      ? { preemptionPolicy: s.preemptionPolicy }
      : {}),
    ...nonEmpty(
      "initContainers",
      s.initContainers.map((c) => encodeContainer(c, s.hostNetwork)),
    ),
    containers: s.containers.map((c) => encodeContainer(c, s.hostNetwork)),
    ...(resources !== undefined ? { resources } : {}),
    ...resourceField("overhead", s.overhead),
    ...nonEmpty("topologySpreadConstraints", s.topologySpreadConstraints.map(encodeSpread)),
    ...nonEmpty("volumes", s.volumes.map(encodeVolume)),
    ...nonEmpty(
      "schedulingGates",
      s.schedulingGates.map((name) => ({ name })),
    ),
  };
  const st = pod.status;
  const status: Manifest = {
    ...(st.phase !== undefined ? { phase: st.phase } : {}),
    ...(st.nominatedNodeName !== undefined ? { nominatedNodeName: st.nominatedNodeName } : {}),
    ...(st.startTime !== undefined ? { startTime: st.startTime } : {}),
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: encodeMeta("Pod", pod.metadata, true),
    spec,
    ...(Object.keys(status).length > 0 ? { status } : {}),
  };
}

/** Options of {@link encodeNode}. */
export interface EncodeNodeOptions {
  /** Adds `kwok.x-k8s.io/node: fake`, so that KWOK's controller manages the node. */
  readonly kwok?: boolean;
}

/** A Node manifest, status included. */
export function encodeNode(node: Node, options: EncodeNodeOptions = {}): Manifest {
  const metadata = encodeMeta("Node", node.metadata, false);
  if (options.kwok) {
    metadata["annotations"] = {
      ...(metadata["annotations"] as Record<string, string> | undefined),
      [KWOK_NODE_ANNOTATION]: "fake",
    };
  }
  const spec: Manifest = {
    ...(node.spec.unschedulable ? { unschedulable: true } : {}),
    ...nonEmpty(
      "taints",
      node.spec.taints.map((t) => ({
        key: t.key,
        ...(t.value !== "" ? { value: t.value } : {}),
        effect: t.effect,
      })),
    ),
  };
  const st = node.status;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata,
    ...(Object.keys(spec).length > 0 ? { spec } : {}),
    status: {
      capacity: encodeResources(st.capacity),
      allocatable: encodeResources(st.allocatable),
      ...nonEmpty(
        "images",
        st.images.map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes })),
      ),
      ...nonEmpty(
        "conditions",
        st.conditions.map((c) => ({ type: c.type, status: c.status })),
      ),
    },
  };
}

/** A Namespace manifest (without the `kubernetes.io/metadata.name` label the API server adds). */
export function encodeNamespace(ns: Namespace): Manifest {
  const { ["kubernetes.io/metadata.name"]: _own, ...labels } = ns.metadata.labels;
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: encodeMeta("Namespace", { ...ns.metadata, labels }, false),
  };
}

/** A kept object's manifest: its document as read. */
export function encodeKept(obj: KeptObject): Manifest {
  return { ...obj.body };
}
