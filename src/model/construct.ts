/**
 * Plain objects built in code rather than read from manifests (benchmark shapes, trace replays,
 * node stand-ins): every field the model requires, at the API's defaults.
 */
import type { Location } from "../diagnostics.ts";
import type { Labels, Node, ObjectMeta, Pod, ResourceList } from "./types.ts";

/** Metadata with no owner references; `namespace` "" for a cluster-scoped object. */
export function objectMeta(
  name: string,
  o: { namespace?: string; uid?: string; labels?: Labels; annotations?: Labels } = {},
): ObjectMeta {
  return {
    name,
    namespace: o.namespace ?? "",
    uid: o.uid ?? `uid-${name}`,
    labels: o.labels ?? {},
    annotations: o.annotations ?? {},
    ownerReferences: [],
  };
}

/** A schedulable, untainted Node whose capacity is its `allocatable`. */
export function simpleNode(
  metadata: ObjectMeta,
  allocatable: ResourceList,
  source: Location,
): Node {
  return {
    kind: "Node",
    metadata,
    spec: { unschedulable: false, taints: [] },
    status: { capacity: allocatable, allocatable, images: [], conditions: [] },
    source,
  };
}

/** A pending Pod of one container (`name`, `image`) requesting `requests`, without limits. */
export function simplePod(
  metadata: ObjectMeta,
  container: { readonly name: string; readonly image: string },
  requests: ResourceList,
  source: Location,
): Pod {
  return {
    kind: "Pod",
    metadata,
    spec: {
      nodeName: "",
      schedulerName: "default-scheduler",
      nodeSelector: {},
      tolerations: [],
      containers: [{ ...container, resources: { requests, limits: new Map() }, ports: [] }],
      initContainers: [],
      overhead: new Map(),
      priorityClassName: "",
      topologySpreadConstraints: [],
      volumes: [],
      schedulingGates: [],
      hostNetwork: false,
    },
    status: {},
    source,
  };
}
