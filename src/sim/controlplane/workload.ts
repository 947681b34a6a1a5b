/**
 * Shared pieces of the workload controllers (StatefulSet, DaemonSet, Job, CronJob): decoding a
 * kept object with field-path diagnostics, the pod template (decoded by the manifest Pod decoder,
 * so templates get the API server's defaulting and the same messages), stamping pods out of it,
 * generated names, template hashes, and the controllers' sync and retry plumbing.
 */
import { Diagnostics, InputError, type Location } from "../../diagnostics.ts";
import { Field, isObject, keySegment, type RawObject } from "../../manifest/field.ts";
import { deriveUid } from "../../manifest/meta.ts";
import { decodePod } from "../../manifest/pod.ts";
import { admitPriorities } from "../../manifest/priority.ts";
import { readLabelSelector } from "../../manifest/scheduling.ts";
import type {
  KeptObject,
  LabelSelector,
  ObjectMeta,
  OwnerReference,
  Pod,
} from "../../model/types.ts";
import {
  labelSelectorAsSelector,
  selectorMatches,
} from "../../reference/plugins/podtopologyspread/label-selector.ts";
import { parseRunTime } from "../../scenario/duration.ts";
import { DURATION_ANNOTATION } from "../types.ts";
import { type ControlPlaneApi, type CreateResult, FAILURE_PROBABILITY_ANNOTATION } from "./api.ts";

/** Options every workload controller accepts. */
export interface WorkloadOptions {
  /**
   * The scenario's PriorityClasses (kept objects of kind PriorityClass): the template's
   * `priorityClassName` is admitted against them as the Priority admission plugin would.
   * Omitted: only the built-in system classes exist.
   */
  readonly priorityClasses?: readonly KeptObject[];
}

/**
 * Decodes `obj.body` with `decode`, which reports to the field it is given (rooted at the
 * object's own path, e.g. `items[2]` in a List). Throws an {@link InputError} with every error
 * (`app.yaml: doc 2 (StatefulSet default/db): spec.replicas: must be greater than or equal to 0`);
 * returns the value and the warnings otherwise.
 */
export function decodeObject<T>(
  obj: KeptObject,
  decode: (root: Field, diags: Diagnostics) => T,
): { value: T; warnings: Diagnostics["items"] } {
  const diags = new Diagnostics();
  const { path, ...loc } = obj.source;
  const root = new Field({ diags, loc }, path ?? "", obj.body);
  const value = decode(root, diags);
  if (diags.hasErrors) throw new InputError(diags.errors());
  return { value, warnings: diags.warnings() };
}

/** A decoded pod template with the run time from its `gantry.dev/duration` annotation. */
export interface PodTemplate {
  /** The template as a Pod (name and namespace are the owner's; replaced per pod). */
  readonly pod: Pod;
  /** Seconds a pod runs once bound; +∞ without the annotation. */
  readonly duration: number;
  /** {@link templateHash} of the raw template. */
  readonly hash: string;
}

/**
 * Decodes the pod template at `field` (e.g. `spec.template`) for an owner named by `meta`:
 * `decodePod` over the template with the owner's name and namespace filled in, Priority admission
 * against `options.priorityClasses`, and the `gantry.dev/duration` annotation (a non-negative Go
 * duration or `never`); `gantry.dev/failure-probability`, when set, must be a number in [0, 1]
 * (the engine draws the outcome). Problems are reported at the template's own paths.
 */
export function decodePodTemplate(
  field: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions,
): PodTemplate {
  const t = field.object();
  if (!t.present) t.error("required");
  const raw: RawObject = isObject(t.value) ? t.value : {};
  const metaField = t.get("metadata").object();
  const rawMeta: RawObject = isObject(metaField.value) ? metaField.value : {};
  const value = { ...raw, metadata: { ...rawMeta, name: meta.name, namespace: meta.namespace } };
  const root = new Field(field.scope, field.path, value);
  const source: Location = { ...field.scope.loc, path: field.path };
  const decoded = decodePod(root, source);
  const pod = admitPriorities([decoded], options.priorityClasses ?? [], diags)[0]!;
  let duration = Number.POSITIVE_INFINITY;
  const text = pod.metadata.annotations[DURATION_ANNOTATION];
  if (text !== undefined) {
    const s = parseRunTime(text);
    if (s === undefined) {
      metaField
        .get("annotations")
        .get(DURATION_ANNOTATION)
        .error(
          `${JSON.stringify(text)} is not a valid duration (a non-negative Go duration such as "90s" or "1h30m", or never)`,
        );
    } else duration = s;
  }
  const probability = pod.metadata.annotations[FAILURE_PROBABILITY_ANNOTATION];
  if (probability !== undefined) {
    const p = probability.trim() === "" ? Number.NaN : Number(probability);
    if (!(p >= 0 && p <= 1)) {
      metaField
        .get("annotations")
        .get(FAILURE_PROBABILITY_ANNOTATION)
        .error(`${JSON.stringify(probability)} is not a probability (a number from 0 to 1)`);
    }
  }
  return { pod, duration, hash: templateHash(t.value) };
}

/**
 * Reads a required `spec.selector` and checks that it selects the template's labels, as the API
 * server validates apps/v1 workloads (`selector does not match template labels`).
 */
export function readWorkloadSelector(spec: Field, template: Pod): LabelSelector | undefined {
  const field = spec.get("selector");
  if (!field.present) {
    field.error("required");
    return undefined;
  }
  const selector = readLabelSelector(field);
  if (selector === undefined) return undefined;
  if (Object.keys(selector.matchLabels).length + selector.matchExpressions.length === 0) {
    field.error("empty selector is invalid for a workload");
    return selector;
  }
  const parsed = labelSelectorAsSelector(selector);
  if (typeof parsed !== "string" && !selectorMatches(parsed, template.metadata.labels)) {
    spec
      .get("template")
      .get("metadata")
      .get("labels")
      .error("`selector` does not match template `labels`");
  }
  return selector;
}

/** The controller owner reference (`controller: true`) pods of a workload carry. */
export function controllerRef(apiVersion: string, kind: string, meta: ObjectMeta): OwnerReference {
  return { apiVersion, kind, name: meta.name, uid: meta.uid, controller: true };
}

/** What {@link stampPod} changes in the template for one pod. */
export interface PodStamp {
  readonly name: string;
  /** Labels added to (and overriding) the template's. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly owner: OwnerReference;
  /** Distinguishes incarnations of one name (a re-created StatefulSet pod): part of the uid. */
  readonly incarnation?: number;
  /** Replaces fields of the template's spec. */
  readonly spec?: Partial<Pod["spec"]>;
}

/** A pod of `template` with its own name, uid, labels and owner reference. */
export function stampPod(template: Pod, stamp: PodStamp): Pod {
  const { namespace } = template.metadata;
  const idName = stamp.incarnation ? `${stamp.name}#${stamp.incarnation}` : stamp.name;
  return {
    ...template,
    metadata: {
      ...template.metadata,
      name: stamp.name,
      uid: deriveUid("Pod", namespace, idName),
      labels: { ...template.metadata.labels, ...stamp.labels },
      annotations: { ...template.metadata.annotations, ...stamp.annotations },
      ownerReferences: [stamp.owner],
    },
    spec: stamp.spec ? { ...template.spec, ...stamp.spec } : template.spec,
  };
}

/** `utilrand.String`'s alphabet (no vowels, no confusable digits). */
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/**
 * A `generateName` suffix: 5 characters from `utilrand.String`'s alphabet drawn from `rng`. The
 * base is truncated to 58 characters first, as the API server's name generator does.
 */
export function generateName(base: string, rng: { next(): number }): string {
  let s = base.length > 58 ? base.slice(0, 58) : base;
  for (let i = 0; i < 5; i++) s += ALPHANUMS[Math.floor(rng.next() * ALPHANUMS.length)]!;
  return s;
}

/**
 * A deterministic short hash of a template (FNV-1a 32 over its canonical JSON, encoded with the
 * same alphabet as `rand.SafeEncodeString`), for `controller-revision-hash`. Upstream hashes the
 * Go object; the values differ but play the same role (equal templates, equal hashes).
 */
export function templateHash(value: unknown): string {
  const text = canonicalJson(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = "";
  for (const ch of String(h)) out += ALPHANUMS[Number(ch) % ALPHANUMS.length];
  return out;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** `Kind namespace/name`, for event messages. */
export function describe(kind: string, meta: ObjectMeta): string {
  return `${kind} ${meta.namespace}/${meta.name}`;
}

/** The path of an annotation below `metadata.annotations`. */
export function annotationPath(key: string): string {
  return `metadata.annotations${keySegment(key)}`;
}

/** Per-item exponential backoff of `workqueue.DefaultControllerRateLimiter`: 5 ms doubling, at most 1000 s. */
export const RETRY_BASE = 0.005;
export const RETRY_MAX = 1000;

/**
 * The sync loop of one controller: `request()` coalesces sync requests into one call of `sync`
 * at the current instant, after the events already queued for it (the controller's work queue);
 * so callbacks never re-enter `sync`, and a node removed right after its pods ended is seen gone.
 * A sync that hit an admission rejection calls `failed()`, which retries with the work queue's
 * per-item backoff (a weak timer: retries alone do not keep a run going); `succeeded()` resets
 * the backoff.
 */
export class SyncLoop {
  private api: ControlPlaneApi | undefined;
  private pending = false;
  private retryAt = Number.POSITIVE_INFINITY;
  private failures = 0;
  private readonly sync: () => void;

  constructor(sync: () => void) {
    this.sync = sync;
  }

  /** Binds the API (from the controller's `start`). */
  start(api: ControlPlaneApi): void {
    this.api = api;
  }

  /** Schedules one sync at the current instant (no-op when one is already pending). */
  request(): void {
    const api = this.api;
    if (api === undefined || this.pending) return;
    this.pending = true;
    api.timer(api.now, () => {
      this.pending = false;
      this.sync();
    });
  }

  /** Schedules one sync at `at` (a deadline, a backoff expiry). */
  requestAt(at: number): void {
    const api = this.api;
    if (api === undefined) return;
    if (at <= api.now) this.request();
    else api.timer(at, () => this.request());
  }

  /** A creation was rejected: retry after the rate limiter's backoff. */
  failed(): void {
    const api = this.api;
    if (api === undefined) return;
    const delay = Math.min(RETRY_BASE * 2 ** this.failures, RETRY_MAX);
    this.failures++;
    const at = api.now + delay;
    if (at >= this.retryAt) return;
    this.retryAt = at;
    // Weak: retries alone do not keep a run going (api.ts `timer`).
    api.timer(
      at,
      () => {
        this.retryAt = Number.POSITIVE_INFINITY;
        this.request();
      },
      { weak: true },
    );
  }

  /** A sync created everything it wanted: forget the backoff. */
  succeeded(): void {
    this.failures = 0;
  }
}

/**
 * Creates `pod` and reports a rejection as a `FailedCreate` warning event (as upstream
 * controllers record one), returning the result.
 */
export function createOwnedPod(
  api: ControlPlaneApi,
  owner: string,
  pod: Pod,
  duration: number,
): CreateResult {
  const result = api.createPod(pod, duration);
  if (!result.ok) {
    api.event(
      "FailedCreate",
      `${owner}: Error creating: pods "${pod.metadata.name}" is forbidden: ${result.reason}`,
    );
  }
  return result;
}

/** The `namespace/name` key of a pod. */
export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
