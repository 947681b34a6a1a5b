/**
 * Test builders for the object model: `makePod({...})` and `makeNode({...})` return fully formed,
 * API-defaulted `Pod`/`Node` objects (as the manifest decoder would produce them) from a few
 * fields, so tests state only what they are about.
 *
 * Quantities are written as strings (`{ cpu: "100m", memory: "1Gi" }`) and parsed with
 * `Quantity.parse`. Like the API server, a container limit without a request also becomes its
 * request, and a hostNetwork pod's ports get `hostPort = containerPort`. Pod-level
 * `spec.resources` is taken as given (the API server's pod-level request defaulting is not
 * applied).
 *
 * Defaults:
 * - pod: namespace `default`, uid `uid-<namespace>-<name>`, scheduler `default-scheduler`, one
 *   container `app` (image `registry.k8s.io/pause:3.10`) with no requests — unless `containers`
 *   is given, or `requests`/`limits` (shorthand for that single container's resources);
 * - node: allocatable `cpu: 4, memory: 16Gi, ephemeral-storage: 100Gi, pods: 110`, capacity =
 *   allocatable, label `kubernetes.io/hostname: <name>`, plus `topology.kubernetes.io/zone` /
 *   `region` labels when `zone` / `region` are given.
 */
import type { Location } from "../../src/diagnostics.ts";
import { Quantity } from "../../src/model/quantity.ts";
import type {
  Affinity,
  Container,
  ContainerImage,
  ContainerPort,
  Labels,
  Node,
  Pod,
  PodSpec,
  ResourceList,
  Taint,
  Toleration,
  TopologySpreadConstraint,
  Volume,
} from "../../src/model/types.ts";

/** Quantities as strings, e.g. `{ cpu: "250m", memory: "64Mi" }`. */
export type QuantityMap = Readonly<Record<string, string>>;

const TEST_SOURCE: Location = { file: "<test>" };

/** Parses a `QuantityMap` into a `ResourceList` (insertion order kept). */
export function rl(map: QuantityMap = {}): ResourceList {
  return new Map(Object.entries(map).map(([name, q]) => [name, Quantity.parse(q)]));
}

/** Options of {@link makeContainer}. */
export interface ContainerOptions {
  name?: string;
  image?: string;
  requests?: QuantityMap;
  limits?: QuantityMap;
  ports?: readonly Partial<ContainerPort>[];
  /** Makes an init container a restartable sidecar. */
  restartPolicy?: "Always";
}

/** A container; limits without requests default the requests (API defaulting). */
export function makeContainer(o: ContainerOptions = {}, hostNetwork = false): Container {
  const limits = rl(o.limits);
  const requests = new Map(rl(o.requests));
  for (const [name, q] of limits) if (!requests.has(name)) requests.set(name, q);
  const ports: ContainerPort[] = (o.ports ?? []).map((p) => {
    const containerPort = p.containerPort ?? p.hostPort ?? 80;
    return {
      ...(p.name === undefined ? {} : { name: p.name }),
      containerPort,
      hostPort: p.hostPort ?? (hostNetwork ? containerPort : 0),
      protocol: p.protocol ?? "TCP",
      hostIP: p.hostIP ?? "",
    };
  });
  return {
    name: o.name ?? "app",
    image: o.image ?? "registry.k8s.io/pause:3.10",
    resources: { requests, limits },
    ports,
    ...(o.restartPolicy === undefined ? {} : { restartPolicy: o.restartPolicy }),
  };
}

/** Options of {@link makePod}. Every field is optional. */
export interface PodOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  annotations?: Labels;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Shorthand: requests of the single default container (ignored when `containers` is given). */
  requests?: QuantityMap;
  /** Shorthand: limits of the single default container (ignored when `containers` is given). */
  limits?: QuantityMap;
  /** Regular containers; `[]` gives a pod without containers. Names default to `c0`, `c1`, …. */
  containers?: readonly ContainerOptions[];
  /** Init containers (`restartPolicy: "Always"` for sidecars). Names default to `init0`, …. */
  initContainers?: readonly ContainerOptions[];
  /** Pod-level `spec.resources.requests`. */
  podRequests?: QuantityMap;
  /** Pod-level `spec.resources.limits`. */
  podLimits?: QuantityMap;
  overhead?: QuantityMap;
  nodeName?: string;
  schedulerName?: string;
  nodeSelector?: Labels;
  affinity?: Affinity;
  tolerations?: readonly Partial<Toleration>[];
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: "PreemptLowerPriority" | "Never";
  topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  volumes?: readonly Volume[];
  schedulingGates?: readonly string[];
  hostNetwork?: boolean;
  phase?: Pod["status"]["phase"];
  nominatedNodeName?: string;
}

/** A Pod with sensible defaults; see the module comment. */
export function makePod(o: PodOptions = {}): Pod {
  const name = o.name ?? "pod";
  const namespace = o.namespace ?? "default";
  const hostNetwork = o.hostNetwork ?? false;
  const containers =
    o.containers === undefined
      ? [
          makeContainer(
            {
              ...(o.requests === undefined ? {} : { requests: o.requests }),
              ...(o.limits === undefined ? {} : { limits: o.limits }),
            },
            hostNetwork,
          ),
        ]
      : o.containers.map((c, i) => makeContainer({ name: `c${i}`, ...c }, hostNetwork));
  const initContainers = (o.initContainers ?? []).map((c, i) =>
    makeContainer({ name: `init${i}`, ...c }, hostNetwork),
  );
  let resources: PodSpec["resources"];
  if (o.podRequests !== undefined || o.podLimits !== undefined) {
    const limits = rl(o.podLimits);
    const requests = new Map(rl(o.podRequests));
    resources = { requests, limits };
  }
  const tolerations: Toleration[] = (o.tolerations ?? []).map((t) => ({
    key: t.key ?? "",
    operator: t.operator ?? "Equal",
    value: t.value ?? "",
    effect: t.effect ?? "",
    ...(t.tolerationSeconds === undefined ? {} : { tolerationSeconds: t.tolerationSeconds }),
  }));
  const spec: PodSpec = {
    nodeName: o.nodeName ?? "",
    schedulerName: o.schedulerName ?? "default-scheduler",
    nodeSelector: o.nodeSelector ?? {},
    ...(o.affinity === undefined ? {} : { affinity: o.affinity }),
    tolerations,
    containers,
    initContainers,
    overhead: rl(o.overhead),
    ...(resources === undefined ? {} : { resources }),
    ...(o.priority === undefined ? {} : { priority: o.priority }),
    priorityClassName: o.priorityClassName ?? "",
    ...(o.preemptionPolicy === undefined ? {} : { preemptionPolicy: o.preemptionPolicy }),
    topologySpreadConstraints: o.topologySpreadConstraints ?? [],
    volumes: o.volumes ?? [],
    schedulingGates: o.schedulingGates ?? [],
    hostNetwork,
  };
  return {
    kind: "Pod",
    metadata: {
      name,
      namespace,
      uid: o.uid ?? `uid-${namespace}-${name}`,
      labels: o.labels ?? {},
      annotations: o.annotations ?? {},
      ...(o.creationTimestamp === undefined ? {} : { creationTimestamp: o.creationTimestamp }),
      ...(o.deletionTimestamp === undefined ? {} : { deletionTimestamp: o.deletionTimestamp }),
      ownerReferences: [],
    },
    spec,
    status: {
      ...(o.phase === undefined ? {} : { phase: o.phase }),
      ...(o.nominatedNodeName === undefined ? {} : { nominatedNodeName: o.nominatedNodeName }),
    },
    source: { ...TEST_SOURCE, object: `Pod ${namespace}/${name}` },
  };
}

/** Default allocatable of {@link makeNode}. */
export const DEFAULT_NODE_ALLOCATABLE: QuantityMap = {
  cpu: "4",
  memory: "16Gi",
  "ephemeral-storage": "100Gi",
  pods: "110",
};

/** Options of {@link makeNode}. Every field is optional. */
export interface NodeOptions {
  name?: string;
  /** Extra labels (merged over the hostname/zone/region defaults). */
  labels?: Labels;
  /** Adds `topology.kubernetes.io/zone`. */
  zone?: string;
  /** Adds `topology.kubernetes.io/region`. */
  region?: string;
  /** Replaces {@link DEFAULT_NODE_ALLOCATABLE} entirely. */
  allocatable?: QuantityMap;
  /** Defaults to the allocatable. */
  capacity?: QuantityMap;
  unschedulable?: boolean;
  taints?: readonly Partial<Taint>[];
  images?: readonly ContainerImage[];
}

/** A Node with sensible defaults; see the module comment. */
export function makeNode(o: NodeOptions = {}): Node {
  const name = o.name ?? "node";
  const labels: Record<string, string> = { "kubernetes.io/hostname": name };
  if (o.region !== undefined) labels["topology.kubernetes.io/region"] = o.region;
  if (o.zone !== undefined) labels["topology.kubernetes.io/zone"] = o.zone;
  Object.assign(labels, o.labels);
  const allocatable = o.allocatable ?? DEFAULT_NODE_ALLOCATABLE;
  return {
    kind: "Node",
    metadata: {
      name,
      namespace: "",
      uid: `uid-node-${name}`,
      labels,
      annotations: {},
      ownerReferences: [],
    },
    spec: {
      unschedulable: o.unschedulable ?? false,
      taints: (o.taints ?? []).map((t) => ({
        key: t.key ?? "",
        value: t.value ?? "",
        effect: t.effect ?? "NoSchedule",
      })),
    },
    status: {
      capacity: rl(o.capacity ?? allocatable),
      allocatable: rl(allocatable),
      images: o.images ?? [],
      conditions: [{ type: "Ready", status: "True" }],
    },
    source: { ...TEST_SOURCE, object: `Node ${name}` },
  };
}
