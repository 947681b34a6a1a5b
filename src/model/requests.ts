/**
 * Pod requests and node allocatable as kube-scheduler computes them (semantics §2), converted to
 * the canonical integers the scheduling core works with.
 *
 * Upstream sources restated here: `k8s.io/component-helpers/resource` `PodRequests` /
 * `AggregateContainerRequests` (v0.35), `pkg/scheduler/framework` `Resource.Add` and
 * `PodInfo.CalculateResource` (NodeInfo accounting), `.../noderesources/resource_allocation.go`
 * `calculatePodResourceRequest` (scoring), and the resource-name helpers of
 * `pkg/apis/core/v1/helper`.
 *
 * Rules that matter for exactness:
 * - Quantities are combined **exactly** (as `Quantity` values) and converted only once, on the
 *   final per-resource total: cpu with `milliValue()`, every other resource with `value()`, both
 *   rounding up. Three containers asking for `0.3333` cpu therefore request `ceil(999.9m)` =
 *   1000m, not 3 × 334m.
 * - Names other than cpu, memory, ephemeral-storage and pods are kept only when upstream's
 *   `IsScalarResourceName` accepts them (extended, `hugepages-*`, `*kubernetes.io/*`,
 *   `attachable-volumes-*`); upstream's `Resource.Add` silently drops every other name (such names
 *   are rejected by API validation for pods anyway).
 * - Values beyond `Number.MAX_SAFE_INTEGER` throw an Error. API validation bounds quantities far
 *   below that (an int64 of milli-units cannot exceed 2^63, but real clusters and validated
 *   manifests stay many orders of magnitude lower), so the error signals a bug or an unvalidated
 *   input, never an expected condition.
 */

import { Quantity } from "./quantity.ts";
import type { Container, Node, Pod, ResourceList } from "./types.ts";
import { qualifiedNameErrors } from "./validation.ts";

/** Canonical integer resources: cpu in millicores, everything else in units (bytes for memory/storage). */
export interface Resources {
  readonly milliCPU: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /**
   * Every other resource name accepted by upstream's `IsScalarResourceName` (extended resources,
   * `hugepages-*`, `*kubernetes.io/*`, `attachable-volumes-*`), in integer units. `pods` is never
   * included. Entries appear in first-seen order; zero-valued entries are kept (the fit filter
   * skips them, but their presence is observable: a pod whose only request is `gpu: 0` is not
   * "requesting nothing").
   */
  readonly scalar: ReadonlyMap<string, number>;
}

/** A node's allocatable resources (semantics §2.3); `pods` becomes `allowedPodNumber`. */
export interface NodeAllocatable extends Resources {
  readonly allowedPodNumber: number;
}

/** cpu/memory requests with the §2.2 defaults substituted (NodeResourcesFit scoring only). */
export interface NonZeroRequests {
  /** Millicores. */
  readonly milliCPU: number;
  /** Bytes. */
  readonly memory: number;
}

/** Upstream `schedutil.DefaultMilliCPURequest`: 0.1 core. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Upstream `schedutil.DefaultMemoryRequest`: 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 209715200;

// ---------------------------------------------------------------------------------------------
// Resource names

const HUGEPAGES_PREFIX = "hugepages-";
const ATTACHABLE_VOLUMES_PREFIX = "attachable-volumes-";
const DEFAULT_NAMESPACE_PREFIX = "kubernetes.io/";
const REQUESTS_PREFIX = "requests.";

/** apimachinery `validation.IsQualifiedName`: `[prefix/]name`, prefix a DNS-1123 subdomain. */
function isQualifiedName(value: string): boolean {
  return qualifiedNameErrors(value).length === 0;
}

/** `*kubernetes.io/*` names (upstream `IsPrefixedNativeResource`: a substring test). */
export function isPrefixedNativeResource(name: string): boolean {
  return name.includes(DEFAULT_NAMESPACE_PREFIX);
}

/** `hugepages-<size>` names. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/** `attachable-volumes-*` names. */
export function isAttachableVolumeResourceName(name: string): boolean {
  return name.startsWith(ATTACHABLE_VOLUMES_PREFIX);
}

/**
 * Upstream `IsExtendedResourceName` (the rule of semantics §4.1 step 6): the name contains `/`,
 * does not contain `kubernetes.io/`, does not start with `requests.`, and `requests.<name>` is a
 * valid qualified name. So `hugepages-2Mi`, `cpu` and `example.kubernetes.io/foo` are not
 * extended; `nvidia.com/gpu` is.
 */
export function isExtendedResourceName(name: string): boolean {
  const native = !name.includes("/") || isPrefixedNativeResource(name);
  if (native || name.startsWith(REQUESTS_PREFIX)) return false;
  return isQualifiedName(REQUESTS_PREFIX + name);
}

/** Upstream `IsScalarResourceName`: extended, hugepages, prefixed native or attachable-volumes. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    isHugePageResourceName(name) ||
    isPrefixedNativeResource(name) ||
    isAttachableVolumeResourceName(name)
  );
}

/** Names that pod-level `spec.resources.requests` may set: cpu, memory and `hugepages-*`. */
export function isSupportedPodLevelResource(name: string): boolean {
  return name === "cpu" || name === "memory" || isHugePageResourceName(name);
}

/** True when `spec.resources.requests` names at least one supported pod-level resource. */
export function isPodLevelRequestsSet(pod: Pod): boolean {
  const requests = pod.spec.resources?.requests;
  if (requests === undefined) return false;
  for (const name of requests.keys()) if (isSupportedPodLevelResource(name)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Exact ResourceList arithmetic

type MutableResourceList = Map<string, Quantity>;

/** `list += add`, per name; names missing in `list` are inserted. */
function addInto(list: MutableResourceList, add: ResourceList): void {
  for (const [name, q] of add) {
    const cur = list.get(name);
    list.set(name, cur === undefined ? q : cur.add(q));
  }
}

/** `list = max(list, other)`, per name of `other`. */
function maxInto(list: MutableResourceList, other: ResourceList): void {
  for (const [name, q] of other) {
    const cur = list.get(name);
    if (cur === undefined || q.cmp(cur) > 0) list.set(name, q);
  }
}

/** A container's requests with every `nonMissing` name it lacks filled in (explicit 0 kept). */
function applyNonMissing(
  requests: ResourceList,
  nonMissing: ResourceList | undefined,
): ResourceList {
  if (nonMissing === undefined || nonMissing.size === 0) return requests;
  let out: MutableResourceList | undefined;
  for (const [name, q] of nonMissing) {
    if (requests.has(name)) continue;
    out ??= new Map(requests);
    out.set(name, q);
  }
  return out ?? requests;
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === "Always";
}

/**
 * The exact effective pod request list (semantics §2.1; upstream `PodRequests` with the
 * PodLevelResources gate on): regular containers summed; init containers as a running max where a
 * restartable sidecar is added to the total and to the running sidecar sum; pod-level cpu, memory
 * and `hugepages-*` requests replacing the container totals; `spec.overhead` added.
 *
 * `nonMissing` substitutes a value for every container lacking that name (upstream
 * `NonMissingContainerRequests`, used for the §2.2 non-zero requests).
 */
export function podRequestList(pod: Pod, nonMissing?: ResourceList): Map<string, Quantity> {
  const reqs: MutableResourceList = new Map();
  for (const c of pod.spec.containers) {
    addInto(reqs, applyNonMissing(c.resources.requests, nonMissing));
  }
  const sidecars: MutableResourceList = new Map();
  const initMax: MutableResourceList = new Map();
  for (const c of pod.spec.initContainers) {
    const own = applyNonMissing(c.resources.requests, nonMissing);
    if (isSidecar(c)) {
      addInto(reqs, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const usage: MutableResourceList = new Map();
      addInto(usage, own);
      addInto(usage, sidecars);
      maxInto(initMax, usage);
    }
  }
  maxInto(reqs, initMax);

  if (isPodLevelRequestsSet(pod)) {
    for (const [name, q] of pod.spec.resources?.requests ?? []) {
      if (isSupportedPodLevelResource(name)) reqs.set(name, q);
    }
  }
  addInto(reqs, pod.spec.overhead);
  return reqs;
}

// ---------------------------------------------------------------------------------------------
// Conversion

function toSafe(v: bigint, what: string, owner: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error(
      `${owner}: resource ${what} = ${v} is beyond Number.MAX_SAFE_INTEGER; validated inputs cannot reach this`,
    );
  }
  return Number(v);
}

function convert(list: ResourceList, owner: string): NodeAllocatable {
  let milliCPU = 0;
  let memory = 0;
  let ephemeralStorage = 0;
  let allowedPodNumber = 0;
  const scalar = new Map<string, number>();
  for (const [name, q] of list) {
    switch (name) {
      case "cpu":
        milliCPU = toSafe(q.milliValue(), name, owner);
        break;
      case "memory":
        memory = toSafe(q.value(), name, owner);
        break;
      case "ephemeral-storage":
        ephemeralStorage = toSafe(q.value(), name, owner);
        break;
      case "pods":
        allowedPodNumber = toSafe(q.value(), name, owner);
        break;
      default:
        if (isScalarResourceName(name)) scalar.set(name, toSafe(q.value(), name, owner));
    }
  }
  return { milliCPU, memory, ephemeralStorage, scalar, allowedPodNumber };
}

function podOwner(pod: Pod): string {
  return `Pod ${pod.metadata.namespace}/${pod.metadata.name}`;
}

/**
 * The pod's effective requests (semantics §2.1), used by the NodeResourcesFit filter and for a
 * node's `Requested`. A `pods` entry, if any, is ignored.
 */
export function podRequests(pod: Pod): Resources {
  const { milliCPU, memory, ephemeralStorage, scalar } = convert(
    podRequestList(pod),
    podOwner(pod),
  );
  return { milliCPU, memory, ephemeralStorage, scalar };
}

let defaults: { both: ResourceList; cpu: Quantity; memory: Quantity } | undefined;

/** The default quantities, built on first use (keeps module loading free of parsing). */
function defaultRequests(): { both: ResourceList; cpu: Quantity; memory: Quantity } {
  if (defaults === undefined) {
    const cpu = Quantity.parse(`${DEFAULT_MILLI_CPU_REQUEST}m`);
    const memory = Quantity.parse(`${DEFAULT_MEMORY_REQUEST}`);
    defaults = {
      both: new Map([
        ["cpu", cpu],
        ["memory", memory],
      ]),
      cpu,
      memory,
    };
  }
  return defaults;
}

function nonZeroOf(list: ResourceList, owner: string): NonZeroRequests {
  const cpu = list.get("cpu");
  const mem = list.get("memory");
  return {
    milliCPU: cpu === undefined ? 0 : toSafe(cpu.milliValue(), "cpu", owner),
    memory: mem === undefined ? 0 : toSafe(mem.value(), "memory", owner),
  };
}

/**
 * The pod's "non-zero" cpu/memory requests as a node accounts them in `NonZeroRequested`
 * (semantics §2.2; upstream `PodInfo.CalculateResource`):
 * - without pod-level requests, every container (regular and init) lacking a `cpu` key counts as
 *   100m and every one lacking `memory` as 200Mi (an explicit `0` is kept); a pod without
 *   containers gets 0;
 * - with pod-level requests set, the defaults are applied only for a name absent from the
 *   **whole** effective request list (pod level, every container, and overhead) — a name present
 *   anywhere disables its default for all containers;
 * - overhead is added as usual.
 *
 * The incoming pod's scoring request uses a slightly different rule; see
 * {@link podNonZeroScoringRequests}.
 */
export function podNonZeroRequests(pod: Pod): NonZeroRequests {
  return podResourceSummary(pod).nonZero;
}

/**
 * The incoming pod's cpu/memory request in NodeResourcesFit scoring (semantics §4.2; upstream
 * `resourceAllocationScorer.calculatePodResourceRequest` with `useRequested = false`): every
 * container lacking a `cpu`/`memory` key gets the default regardless of pod-level requests, then
 * pod-level requests replace the totals and overhead is added. Equal to
 * {@link podNonZeroRequests} unless pod-level requests are set while some container lacks a key
 * that another container (or the overhead) has.
 */
export function podNonZeroScoringRequests(pod: Pod): NonZeroRequests {
  return podResourceSummary(pod).scoringNonZero;
}

/** Everything resource-related about a pod, computed with shared intermediate results. */
export interface PodResourceSummary {
  /** §2.1 effective requests. */
  readonly requests: Resources;
  /** §2.2 non-zero requests as accounted on a node. */
  readonly nonZero: NonZeroRequests;
  /** §4.2 non-zero requests of the incoming pod in NodeResourcesFit scoring. */
  readonly scoringNonZero: NonZeroRequests;
}

/** {@link podRequests}, {@link podNonZeroRequests} and {@link podNonZeroScoringRequests} at once. */
export function podResourceSummary(pod: Pod): PodResourceSummary {
  const owner = podOwner(pod);
  const list = podRequestList(pod);
  const { milliCPU, memory, ephemeralStorage, scalar } = convert(list, owner);
  const requests: Resources = { milliCPU, memory, ephemeralStorage, scalar };

  const d = defaultRequests();
  const scoringList = podRequestList(pod, d.both);
  const scoringNonZero = nonZeroOf(scoringList, owner);

  let nonZero: NonZeroRequests;
  if (!isPodLevelRequestsSet(pod)) {
    nonZero = scoringNonZero;
  } else {
    const missing = new Map<string, Quantity>();
    if (!list.has("cpu")) missing.set("cpu", d.cpu);
    if (!list.has("memory")) missing.set("memory", d.memory);
    nonZero = nonZeroOf(missing.size > 0 ? podRequestList(pod, missing) : list, owner);
  }
  return { requests, nonZero, scoringNonZero };
}

/**
 * A node's allocatable resources (semantics §2.3): `status.allocatable` converted like pod
 * requests, `pods` → `allowedPodNumber`; missing entries are 0.
 */
export function nodeAllocatable(node: Node): NodeAllocatable {
  return convert(node.status.allocatable, `Node ${node.metadata.name}`);
}
