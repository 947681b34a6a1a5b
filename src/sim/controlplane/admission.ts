/**
 * The API server's admission of pods, as far as it affects placement: the NamespaceLifecycle,
 * LimitRanger and ResourceQuota admission plugins, in that order.
 *
 * - **Namespaces**: a pod in a namespace that does not exist is rejected with upstream's
 *   `namespaces "x" not found`. `default`, `kube-system`, `kube-public` and `kube-node-lease`
 *   always exist; the others are the Namespace objects given (a scenario's streams create theirs).
 * - **LimitRange** (type `Container`): `default` (limits) and `defaultRequest` (requests) fill in
 *   what a container — init containers included — does not set, after the API's own defaulting
 *   of the LimitRange (`default` from `max`, `defaultRequest` from `default`, then from `min`);
 *   then every container's requests and limits must lie within `min` / `max` (upstream's
 *   messages, e.g. `maximum cpu usage per Container is 1, but limit is 2`). Other types (`Pod`,
 *   `PersistentVolumeClaim`) and `maxLimitRequestRatio` are ignored with a warning at load.
 * - **ResourceQuota** (`spec.hard`): `pods`, `count/pods`, `cpu` / `requests.cpu`, `memory` /
 *   `requests.memory`, `limits.cpu`, `limits.memory`, the same for `ephemeral-storage`, and
 *   `requests.<extended resource>` — charged as upstream's pod evaluator computes a pod's usage
 *   (effective requests and limits, init containers and overhead included), when the pod is
 *   created, and released when it ends or is deleted. A creation beyond any quota of its
 *   namespace is rejected with `exceeded quota: <name>, requested: …, used: …, limited: …`; a
 *   quota on cpu or memory requires every container to state that resource (`failed quota:
 *   <name>: must specify limits.cpu for: app`). Quota scopes and other resources (services,
 *   claims) are ignored with a warning at load.
 *
 * Results are cached per pod spec object, so pods stamped from one template cost one map lookup
 * each beyond the quota arithmetic.
 */
import type { Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import { quote } from "../../manifest/field.ts";
import { readQuantity } from "../../manifest/resources.ts";
import { Quantity } from "../../model/quantity.ts";
import { podRequestList } from "../../model/requests.ts";
import type { Container, KeptObject, Pod, PodSpec, ResourceList } from "../../model/types.ts";
import { decodeObject } from "./workload.ts";

/** Namespaces every cluster has. */
export const BUILT_IN_NAMESPACES: readonly string[] = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
];

/** A decoded ResourceQuota: its hard limits on the tracked resources. */
export interface ResourceQuotaSpec {
  readonly name: string;
  readonly namespace: string;
  readonly hard: ReadonlyMap<string, Quantity>;
}

/** A decoded LimitRange: its `Container` item, defaulted as the API server does. */
export interface LimitRangeSpec {
  readonly name: string;
  readonly namespace: string;
  readonly default: ResourceList;
  readonly defaultRequest: ResourceList;
  readonly min: ResourceList;
  readonly max: ResourceList;
}

/** What admission checks pods against. */
export interface AdmissionConfig {
  /** Namespaces that exist besides {@link BUILT_IN_NAMESPACES}. */
  readonly namespaces: readonly string[];
  readonly quotas?: readonly ResourceQuotaSpec[];
  readonly limitRanges?: readonly LimitRangeSpec[];
}

const COMPUTE = ["cpu", "memory", "ephemeral-storage"] as const;

/** Whether a quota resource name is one gantry tracks (see the module comment). */
export function isTrackedQuotaResource(name: string): boolean {
  if (name === "pods" || name === "count/pods") return true;
  for (const r of COMPUTE) {
    if (name === r || name === `requests.${r}` || name === `limits.${r}`) return true;
  }
  return name.startsWith("requests.") && name.includes("/");
}

/** Decodes a ResourceQuota's `spec.hard` (untracked resources and scopes: warnings). */
export function readResourceQuota(obj: KeptObject): {
  spec: ResourceQuotaSpec;
  warnings: Diagnostics["items"];
} {
  const { value, warnings } = decodeObject(obj, (root) => {
    const spec = root.get("spec").object();
    const hard = new Map<string, Quantity>();
    for (const [name, f] of spec.get("hard").entries()) {
      const q = readQuantity(f);
      if (q === undefined) continue;
      if (q.sign() < 0) {
        f.error("must be greater than or equal to 0");
        continue;
      }
      if (isTrackedQuotaResource(name)) hard.set(name, q);
      else f.warn("not tracked: gantry's quota counts pods and their compute resources only");
    }
    for (const key of ["scopes", "scopeSelector"]) {
      const f = spec.get(key);
      if (f.present) f.warn("quota scopes are not modelled: the quota applies to every pod");
    }
    return { name: obj.metadata.name, namespace: obj.metadata.namespace, hard };
  });
  return { spec: value, warnings };
}

function readList(field: Field): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, f] of field.entries()) {
    const q = readQuantity(f);
    if (q !== undefined) out.set(name, q);
  }
  return out;
}

/** Decodes a LimitRange's `Container` limits, defaulted (`SetDefaults_LimitRangeItem`). */
export function readLimitRange(obj: KeptObject): {
  spec: LimitRangeSpec;
  warnings: Diagnostics["items"];
} {
  const { value, warnings } = decodeObject(obj, (root) => {
    const def = new Map<string, Quantity>();
    const defReq = new Map<string, Quantity>();
    const min = new Map<string, Quantity>();
    const max = new Map<string, Quantity>();
    for (const item of root.get("spec").object().get("limits").list()) {
      const it = item.object();
      const type = it.get("type").requiredOneOf(["Container", "Pod", "PersistentVolumeClaim"]);
      if (type === undefined) continue;
      if (type !== "Container") {
        it.get("type").warn(`limits of type ${type} are not modelled: ignored`);
        continue;
      }
      const ratio = it.get("maxLimitRequestRatio");
      if (ratio.present) ratio.warn("not modelled: ignored");
      const merge = (into: Map<string, Quantity>, from: Map<string, Quantity>) => {
        for (const [k, q] of from) into.set(k, q);
      };
      merge(def, readList(it.get("default")));
      merge(defReq, readList(it.get("defaultRequest")));
      const mn = readList(it.get("min"));
      const mx = readList(it.get("max"));
      merge(min, mn);
      merge(max, mx);
      for (const [k, lo] of mn) {
        const hi = mx.get(k);
        if (hi !== undefined && lo.cmp(hi) > 0) {
          it.get("min").error(
            `min value ${lo.toString()} is greater than max value ${hi.toString()}`,
            k,
          );
        }
      }
    }
    // SetDefaults_LimitRangeItem for type Container.
    for (const [k, q] of max) if (!def.has(k)) def.set(k, q);
    for (const [k, q] of def) if (!defReq.has(k)) defReq.set(k, q);
    for (const [k, q] of min) if (!defReq.has(k)) defReq.set(k, q);
    return {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      default: def,
      defaultRequest: defReq,
      min,
      max,
    };
  });
  return { spec: value, warnings };
}

/** A pod's quota usage (upstream `podComputeUsageHelper`), per tracked resource name. */
export function podQuotaUsage(pod: Pod): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  const one = Quantity.fromInt(1);
  out.set("pods", one);
  out.set("count/pods", one);
  const requests = podRequestList(pod);
  const limits = podLimitList(pod);
  for (const r of COMPUTE) {
    const req = requests.get(r);
    if (req !== undefined) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim !== undefined) out.set(`limits.${r}`, lim);
  }
  for (const [name, q] of requests) {
    if (name.includes("/") || name.startsWith("hugepages-")) out.set(`requests.${name}`, q);
  }
  return out;
}

/** Upstream `PodLimits`: containers summed, init containers as a running max, overhead added. */
function podLimitList(pod: Pod): Map<string, Quantity> {
  const sum = new Map<string, Quantity>();
  const add = (into: Map<string, Quantity>, list: ResourceList) => {
    for (const [k, q] of list) {
      const cur = into.get(k);
      into.set(k, cur === undefined ? q : cur.add(q));
    }
  };
  for (const c of pod.spec.containers) add(sum, c.resources.limits);
  const sidecars = new Map<string, Quantity>();
  for (const c of pod.spec.initContainers) {
    if (c.restartPolicy === "Always") {
      add(sum, c.resources.limits);
      add(sidecars, c.resources.limits);
      continue;
    }
    const usage = new Map(c.resources.limits);
    add(usage, sidecars);
    for (const [k, q] of usage) {
      const cur = sum.get(k);
      if (cur === undefined || q.cmp(cur) > 0) sum.set(k, q);
    }
  }
  if (sum.size > 0) add(sum, pod.spec.overhead);
  return sum;
}

/** Quota resources that every container must state when a quota tracks them (`validationSet`). */
const VALIDATED: readonly [string, "requests" | "limits", string][] = [
  ["cpu", "requests", "cpu"],
  ["requests.cpu", "requests", "cpu"],
  ["memory", "requests", "memory"],
  ["requests.memory", "requests", "memory"],
  ["limits.cpu", "limits", "cpu"],
  ["limits.memory", "limits", "memory"],
];

/** `podEvaluator.Constraints`: containers missing a request or limit a quota requires. */
function quotaConstraints(hard: ReadonlyMap<string, Quantity>, spec: PodSpec): string | undefined {
  const missing = new Map<string, Set<string>>();
  for (const [quotaName, kind, resource] of VALIDATED) {
    if (!hard.has(quotaName)) continue;
    for (const c of [...spec.containers, ...spec.initContainers]) {
      if (!c.resources[kind].has(resource)) {
        let names = missing.get(quotaName);
        if (names === undefined) {
          names = new Set();
          missing.set(quotaName, names);
        }
        names.add(c.name);
      }
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, names]) => `${r} for: ${[...names].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

/** Upstream `prettyPrint` of a resource list: `k=v` sorted by name, comma-joined. */
function prettyPrint(list: ReadonlyMap<string, Quantity>, keys: readonly string[]): string {
  return keys.map((k) => `${k}=${(list.get(k) ?? Quantity.ZERO).toString()}`).join(",");
}

interface QuotaState {
  readonly spec: ResourceQuotaSpec;
  readonly keys: readonly string[];
  readonly used: Map<string, Quantity>;
}

/** The outcome of {@link Admission.admit}: the admitted pod, or the API server's message. */
export type AdmitResult =
  | { readonly ok: true; readonly pod: Pod }
  | { readonly ok: false; readonly reason: string };

/** The admission chain over one run's namespaces, quotas and limit ranges. */
export class Admission {
  readonly #namespaces: ReadonlySet<string>;
  readonly #quotas = new Map<string, QuotaState[]>();
  readonly #limits = new Map<string, LimitRangeSpec[]>();
  /** Per namespace with limit ranges: spec → defaulted spec, or the LimitRanger's message. */
  readonly #limited = new Map<string, WeakMap<PodSpec, PodSpec | string>>();
  /** Per pod object admitted with a changed spec: the admitted copy (templates shared by streams). */
  readonly #admittedTemplate = new WeakMap<Pod, Pod>();
  readonly #usage = new WeakMap<PodSpec, Map<string, Quantity>>();

  constructor(config: AdmissionConfig) {
    this.#namespaces = new Set([...BUILT_IN_NAMESPACES, ...config.namespaces]);
    for (const q of [...(config.quotas ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const keys = [...q.hard.keys()].sort();
      const used = new Map(keys.map((k) => [k, Quantity.ZERO] as const));
      const list = this.#quotas.get(q.namespace) ?? [];
      list.push({ spec: q, keys, used });
      this.#quotas.set(q.namespace, list);
    }
    for (const l of config.limitRanges ?? []) {
      const list = this.#limits.get(l.namespace) ?? [];
      list.push(l);
      this.#limits.set(l.namespace, list);
    }
  }

  /**
   * Admits `pod`: the namespace must exist, LimitRange defaults are applied (a new pod object,
   * the same one for every call with the same object) and checked, and the pod is charged to its
   * namespace's quotas — or the message of the first plugin that rejects it.
   */
  admit(pod: Pod): AdmitResult {
    const ns = pod.metadata.namespace;
    if (!this.#namespaces.has(ns))
      return { ok: false, reason: `namespaces ${quote(ns)} not found` };
    let admitted = pod;
    if (this.#limits.has(ns)) {
      const spec = this.#limitRange(ns, pod.spec);
      if (typeof spec === "string") return { ok: false, reason: spec };
      if (spec !== pod.spec) {
        let copy = this.#admittedTemplate.get(pod);
        if (copy === undefined) {
          copy = { ...pod, spec };
          this.#admittedTemplate.set(pod, copy);
        }
        admitted = copy;
      }
    }
    const quotas = this.#quotas.get(ns);
    if (quotas !== undefined) {
      const reason = this.#checkQuotas(quotas, admitted.spec, this.#usageOf(admitted));
      if (reason !== undefined) return { ok: false, reason };
      this.#charge(quotas, this.#usageOf(admitted), 1);
    }
    return { ok: true, pod: admitted };
  }

  /** Charges an existing pod (bound at the start) to its quotas without checking them. */
  charge(pod: Pod): void {
    const quotas = this.#quotas.get(pod.metadata.namespace);
    if (quotas !== undefined) this.#charge(quotas, this.#usageOf(pod), 1);
  }

  /** Releases an admitted pod's quota charge (it ended or was deleted). */
  release(pod: Pod): void {
    const quotas = this.#quotas.get(pod.metadata.namespace);
    if (quotas !== undefined) this.#charge(quotas, this.#usageOf(pod), -1);
  }

  /** A quota's current usage of its hard resources (tests, reports). */
  used(namespace: string, name: string): ReadonlyMap<string, Quantity> | undefined {
    return this.#quotas.get(namespace)?.find((q) => q.spec.name === name)?.used;
  }

  #usageOf(pod: Pod): Map<string, Quantity> {
    let u = this.#usage.get(pod.spec);
    if (u === undefined) {
      u = podQuotaUsage(pod);
      this.#usage.set(pod.spec, u);
    }
    return u;
  }

  #checkQuotas(
    quotas: readonly QuotaState[],
    spec: PodSpec,
    usage: ReadonlyMap<string, Quantity>,
  ): string | undefined {
    for (const q of quotas) {
      const failed = quotaConstraints(q.spec.hard, spec);
      if (failed !== undefined) return `failed quota: ${q.spec.name}: ${failed}`;
    }
    for (const q of quotas) {
      const exceeded: string[] = [];
      for (const k of q.keys) {
        const req = usage.get(k);
        if (req === undefined) continue;
        const next = (q.used.get(k) ?? Quantity.ZERO).add(req);
        if (next.cmp(q.spec.hard.get(k) as Quantity) > 0) exceeded.push(k);
      }
      if (exceeded.length > 0) {
        return `exceeded quota: ${q.spec.name}, requested: ${prettyPrint(usage, exceeded)}, used: ${prettyPrint(q.used, exceeded)}, limited: ${prettyPrint(q.spec.hard, exceeded)}`;
      }
    }
    return undefined;
  }

  #charge(quotas: readonly QuotaState[], usage: ReadonlyMap<string, Quantity>, sign: 1 | -1) {
    for (const q of quotas) {
      for (const k of q.keys) {
        const u = usage.get(k);
        if (u === undefined) continue;
        const cur = q.used.get(k) ?? Quantity.ZERO;
        q.used.set(k, sign > 0 ? cur.add(u) : cur.sub(u));
      }
    }
  }

  /** LimitRanger: defaults applied to `spec` and checked (cached per spec object). */
  #limitRange(ns: string, spec: PodSpec): PodSpec | string {
    let cache = this.#limited.get(ns);
    if (cache === undefined) {
      cache = new WeakMap();
      this.#limited.set(ns, cache);
    }
    let out = cache.get(spec);
    if (out === undefined) {
      out = applyLimitRanges(this.#limits.get(ns) ?? [], spec);
      cache.set(spec, out);
    }
    return out;
  }
}

function withDefaults(c: Container, ranges: readonly LimitRangeSpec[]): Container {
  let requests: Map<string, Quantity> | undefined;
  let limits: Map<string, Quantity> | undefined;
  for (const r of ranges) {
    for (const [k, q] of r.default) {
      if (!(limits ?? c.resources.limits).has(k)) {
        limits ??= new Map(c.resources.limits);
        limits.set(k, q);
      }
    }
    for (const [k, q] of r.defaultRequest) {
      if (!(requests ?? c.resources.requests).has(k)) {
        requests ??= new Map(c.resources.requests);
        requests.set(k, q);
      }
    }
  }
  if (requests === undefined && limits === undefined) return c;
  return {
    ...c,
    resources: { requests: requests ?? c.resources.requests, limits: limits ?? c.resources.limits },
  };
}

/** Upstream `minConstraint` / `maxConstraint` for one container; messages appended to `errs`. */
function checkContainer(c: Container, r: LimitRangeSpec, errs: string[]): void {
  const { requests, limits } = c.resources;
  for (const [k, min] of r.min) {
    const req = requests.get(k);
    const lim = limits.get(k);
    if (req === undefined) {
      errs.push(`minimum ${k} usage per Container is ${min.toString()}.  No request is specified`);
    } else if (req.cmp(min) < 0) {
      errs.push(
        `minimum ${k} usage per Container is ${min.toString()}, but request is ${req.toString()}`,
      );
    } else if (lim !== undefined && lim.cmp(min) < 0) {
      errs.push(
        `minimum ${k} usage per Container is ${min.toString()}, but limit is ${lim.toString()}`,
      );
    }
  }
  for (const [k, max] of r.max) {
    const req = requests.get(k);
    const lim = limits.get(k);
    if (lim === undefined) {
      errs.push(`maximum ${k} usage per Container is ${max.toString()}.  No limit is specified`);
    } else if (lim.cmp(max) > 0) {
      errs.push(
        `maximum ${k} usage per Container is ${max.toString()}, but limit is ${lim.toString()}`,
      );
    } else if (req !== undefined && req.cmp(max) > 0) {
      errs.push(
        `maximum ${k} usage per Container is ${max.toString()}, but request is ${req.toString()}`,
      );
    }
  }
}

/**
 * The LimitRanger on one pod spec: defaults, then min/max; the same spec object when nothing
 * changed, or the rejection message (several joined as upstream's aggregate: `[a, b]`).
 */
export function applyLimitRanges(
  ranges: readonly LimitRangeSpec[],
  spec: PodSpec,
): PodSpec | string {
  const containers = spec.containers.map((c) => withDefaults(c, ranges));
  const initContainers = spec.initContainers.map((c) => withDefaults(c, ranges));
  const errs: string[] = [];
  for (const r of ranges) {
    for (const c of [...containers, ...initContainers]) checkContainer(c, r, errs);
  }
  if (errs.length === 1) return errs[0] as string;
  if (errs.length > 1) return `[${errs.join(", ")}]`;
  const same =
    containers.every((c, i) => c === spec.containers[i]) &&
    initContainers.every((c, i) => c === spec.initContainers[i]);
  return same ? spec : { ...spec, containers, initContainers };
}

/** The key a rejection is counted under in the run result: the message before its figures. */
export function rejectionReason(message: string): string {
  const i = message.indexOf(", requested:");
  return i < 0 ? message : message.slice(0, i);
}
