/**
 * Pod classes: pods stamped from one template share one encoded spec.
 *
 * A simulation may schedule millions of pods, but they come from a handful of templates
 * (Deployments, Jobs, …). {@link PodClassTable.classOf} maps every pod to a dense class id by a
 * canonical key of everything that can influence its placement; per class it stores the encoded
 * data once: requests (§2.1), non-zero requests (§2.2, §4.2), interned labels, node selector and
 * tolerations, wanted host ports, image ids, priority, scheduler name and one exemplar `Pod` for
 * the rules not encoded here (affinity, topology spread, volumes).
 *
 * ## The key
 *
 * Included: namespace, labels, and from the spec: the converted requests and non-zero requests
 * (not the raw quantities: two pods whose exact sums convert to the same integers place
 * identically), scheduler name, node selector, affinity, tolerations, topology spread constraints,
 * priority, priority class name, preemption policy, wanted host ports, container images, the
 * volumes' names and kinds (not their claims or disks: the volume plugins read each pod itself,
 * src/core/host-filters.ts), scheduling gates and hostNetwork.
 *
 * Also included: the controller owner reference (PodTopologySpread's default constraints follow
 * it to the pod's ReplicaSet or StatefulSet), and the GPU sharing annotations (src/model/gpu.ts).
 * Excluded: name, uid, other annotations, the other owner
 * references, timestamps, `spec.nodeName` and `status` — per-pod state, not template.
 *
 * Cost: the spec part is one canonical JSON string (object keys sorted, arrays in order) plus the
 * §2.1/§2.2 resource computation, O(size of the spec). It is cached per `PodSpec` object in a
 * WeakMap, so generators that share one spec object across replicas pay it once per template; a
 * pod with its own spec object pays it once. The per-pod part is O(labels · log labels). Each
 * `classOf` call then costs one string concatenation and one Map lookup. Pods and their specs are
 * treated as immutable: a spec mutated after its first `classOf` keeps its cached key.
 */
import { GPU_COUNT_ANNOTATION, GPU_MILLI_ANNOTATION, GPU_MODEL_KEY } from "../model/gpu.ts";
import { type NonZeroRequests, podResourceSummary, type Resources } from "../model/requests.ts";
import type { Pod, PodSpec, Protocol, Toleration } from "../model/types.ts";
import type { Interner } from "./intern.ts";
import { TAINT_EFFECT } from "./node-table.ts";

/** Encoding of toleration operators in {@link PodClass.tolerationOperators}. */
export const TOLERATION_OPERATOR = { Equal: 0, Exists: 1 } as const;

/** Toleration effect code for `""` (matches every effect); other effects use `TAINT_EFFECT`. */
export const TOLERATION_EFFECT_ANY = 3;

/** A host port a pod wants, normalized like NodePorts does (`""` IP → `0.0.0.0`). */
export interface HostPort {
  readonly hostIP: string;
  readonly protocol: Protocol;
  readonly hostPort: number;
}

/** The encoded, shared part of every pod of one class. */
export interface PodClass {
  /** Dense class id, from 0 in first-seen order. */
  readonly id: number;
  /** The canonical key (see module comment). */
  readonly key: string;
  /** The first pod seen with this key. */
  readonly exemplar: Pod;
  /** §2.1 effective requests. */
  readonly requests: Resources;
  /** §2.2 non-zero requests, as accounted on a node (`NodeTable.assume`). */
  readonly nonZero: NonZeroRequests;
  /** §4.2 non-zero requests of the pod as the incoming pod in NodeResourcesFit scoring. */
  readonly scoringNonZero: NonZeroRequests;
  /** `spec.priority`, 0 when unset. */
  readonly priority: number;
  readonly schedulerName: string;
  /** Interned namespace. */
  readonly namespaceId: number;
  /** Interned label keys, ascending; `labelValues` parallel. */
  readonly labelKeys: Int32Array;
  readonly labelValues: Int32Array;
  /** Interned `spec.nodeSelector` keys, ascending; `nodeSelectorValues` parallel. */
  readonly nodeSelectorKeys: Int32Array;
  readonly nodeSelectorValues: Int32Array;
  /** Interned toleration keys (`""` interned too), in spec order; the other toleration columns parallel. */
  readonly tolerationKeys: Int32Array;
  readonly tolerationValues: Int32Array;
  /** {@link TOLERATION_OPERATOR} codes. */
  readonly tolerationOperators: Uint8Array;
  /** `TAINT_EFFECT` codes, or {@link TOLERATION_EFFECT_ANY}. */
  readonly tolerationEffects: Uint8Array;
  /** Host ports with `hostPort > 0` of regular and sidecar init containers (semantics §3.3). */
  readonly hostPorts: readonly HostPort[];
  /**
   * Interned normalized image names (see {@link normalizedImageName}) of init containers then
   * regular containers, one per container, duplicates kept — ImageLocality sums per container.
   */
  readonly imageIds: Int32Array;
}

/** ImageLocality's image name normalization: append `:latest` when the name has no tag. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** Deterministic JSON: object keys sorted, `undefined` members dropped, Maps as sorted entries. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return `"${value}n"`;
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      const parts: string[] = [];
      for (const [k, v] of entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        if (v !== undefined) parts.push(`${JSON.stringify(String(k))}:${canonical(v)}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new Error(`pod class key: cannot encode a ${typeof value}`);
  }
}

function wantedHostPorts(spec: PodSpec): HostPort[] {
  const out: HostPort[] = [];
  const containers = [
    ...spec.containers,
    ...spec.initContainers.filter((c) => c.restartPolicy === "Always"),
  ];
  for (const c of containers) {
    for (const p of c.ports) {
      if (p.hostPort > 0) {
        out.push({
          hostIP: p.hostIP === "" ? "0.0.0.0" : p.hostIP,
          protocol: p.protocol,
          hostPort: p.hostPort,
        });
      }
    }
  }
  return out;
}

function images(spec: PodSpec): string[] {
  return [...spec.initContainers, ...spec.containers].map((c) => normalizedImageName(c.image));
}

interface SpecInfo {
  readonly key: string;
  readonly summary: ReturnType<typeof podResourceSummary>;
}

const specCache = new WeakMap<PodSpec, SpecInfo>();

function specInfo(pod: Pod): SpecInfo {
  const spec = pod.spec;
  let info = specCache.get(spec);
  if (info === undefined) {
    const summary = podResourceSummary(pod);
    const r = summary.requests;
    const key = canonical({
      req: [r.milliCPU, r.memory, r.ephemeralStorage, r.scalar],
      nz: [summary.nonZero.milliCPU, summary.nonZero.memory],
      snz: [summary.scoringNonZero.milliCPU, summary.scoringNonZero.memory],
      schedulerName: spec.schedulerName,
      nodeSelector: spec.nodeSelector,
      affinity: spec.affinity,
      tolerations: spec.tolerations,
      topologySpreadConstraints: spec.topologySpreadConstraints,
      priority: spec.priority,
      priorityClassName: spec.priorityClassName,
      preemptionPolicy: spec.preemptionPolicy,
      hostPorts: wantedHostPorts(spec),
      images: images(spec),
      // Which claims and disks a pod uses is per pod: the volume plugins read the pod itself
      // (src/core/host-filters.ts), so only the volumes' kinds are part of the class.
      volumes: spec.volumes.map((v) => [v.name, v.source]),
      schedulingGates: spec.schedulingGates,
      hostNetwork: spec.hostNetwork,
    });
    info = { key, summary };
    specCache.set(spec, info);
  }
  return info;
}

/** The canonical placement key of a pod (see module comment). */
export function podClassKey(pod: Pod): string {
  const { metadata } = pod;
  // The controller owner reference selects PodTopologySpread's default constraints (upstream
  // DefaultSelector follows it to the ReplicaSet / StatefulSet); pods of one controller share it.
  const controller = metadata.ownerReferences.find((r) => r.controller);
  const perPod = canonical([
    metadata.namespace,
    metadata.labels,
    controller === undefined ? null : [controller.apiVersion, controller.kind, controller.name],
    // Terminating pods do not count for PodTopologySpread.
    metadata.deletionTimestamp !== undefined,
    // GPU sharing annotations (src/model/gpu.ts) shape the GPU request.
    gpuAnnotations(metadata.annotations),
  ]);
  return `${specInfo(pod).key}\n${perPod}`;
}

function gpuAnnotations(a: Readonly<Record<string, string>>): (string | null)[] | null {
  const milli = a[GPU_MILLI_ANNOTATION];
  const count = a[GPU_COUNT_ANNOTATION];
  const model = a[GPU_MODEL_KEY];
  if (milli === undefined && count === undefined && model === undefined) return null;
  return [milli ?? null, count ?? null, model ?? null];
}

function internPairs(
  interner: Interner,
  record: Readonly<Record<string, string>>,
): [Int32Array, Int32Array] {
  const pairs = Object.entries(record)
    .map(([k, v]) => [interner.id(k), interner.id(v)] as const)
    .sort((a, b) => a[0] - b[0]);
  return [Int32Array.from(pairs, (p) => p[0]), Int32Array.from(pairs, (p) => p[1])];
}

function tolerationEffect(t: Toleration): number {
  return t.effect === "" ? TOLERATION_EFFECT_ANY : TAINT_EFFECT[t.effect];
}

/** Deduplicates pods into {@link PodClass}es; see the module comment. */
export class PodClassTable {
  readonly interner: Interner;
  readonly #classes: PodClass[] = [];
  readonly #byKey = new Map<string, number>();

  constructor(interner: Interner) {
    this.interner = interner;
  }

  /** The class id of `pod`, creating the class (with `pod` as exemplar) when it is new. */
  classOf(pod: Pod): number {
    const key = podClassKey(pod);
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const id = this.#classes.length;
    this.#classes.push(this.#encode(id, key, pod));
    this.#byKey.set(key, id);
    return id;
  }

  /** The class with id `id`; throws a RangeError for an unknown id. */
  get(id: number): PodClass {
    const c = this.#classes[id];
    if (c === undefined)
      throw new RangeError(`PodClassTable: unknown class ${id} (size ${this.size})`);
    return c;
  }

  /** Number of classes; ids are `0 … size-1`. */
  get size(): number {
    return this.#classes.length;
  }

  /** All classes, by id. */
  get classes(): readonly PodClass[] {
    return this.#classes;
  }

  #encode(id: number, key: string, pod: Pod): PodClass {
    const interner = this.interner;
    const { spec, metadata } = pod;
    const { summary } = specInfo(pod);
    const [labelKeys, labelValues] = internPairs(interner, metadata.labels);
    const [nodeSelectorKeys, nodeSelectorValues] = internPairs(interner, spec.nodeSelector);
    const tol = spec.tolerations;
    return {
      id,
      key,
      exemplar: pod,
      requests: summary.requests,
      nonZero: summary.nonZero,
      scoringNonZero: summary.scoringNonZero,
      priority: spec.priority ?? 0,
      schedulerName: spec.schedulerName,
      namespaceId: interner.id(metadata.namespace),
      labelKeys,
      labelValues,
      nodeSelectorKeys,
      nodeSelectorValues,
      tolerationKeys: Int32Array.from(tol, (t) => interner.id(t.key)),
      tolerationValues: Int32Array.from(tol, (t) => interner.id(t.value)),
      tolerationOperators: Uint8Array.from(tol, (t) => TOLERATION_OPERATOR[t.operator]),
      tolerationEffects: Uint8Array.from(tol, tolerationEffect),
      hostPorts: wantedHostPorts(spec),
      imageIds: Int32Array.from(images(spec), (name) => interner.id(name)),
    };
  }
}
