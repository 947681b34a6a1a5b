/**
 * The Deployment controller (upstream `pkg/controller/deployment`), as far as it affects
 * placement.
 *
 * - Each template revision is a ReplicaSet `<deployment>-<hash>` (hash: {@link templateHash} of
 *   the template, also the `pod-template-hash` label of the set's selector, template and pods),
 *   created through `api.putObject` so the scheduler's PodTopologySpread default constraints
 *   find it; its pods are kept by a {@link ReplicaSetPods}.
 * - **RollingUpdate** (default, `maxSurge` / `maxUnavailable` 25 %): upstream's
 *   `reconcileNewReplicaSet` and `reconcileOldReplicaSets` — the new set grows while all sets'
 *   replicas stay within `replicas + maxSurge`; old sets shrink (unavailable pods first, then the
 *   oldest sets) while the available pods stay at least `replicas − maxUnavailable`. Percentages
 *   resolve against `replicas`, surge rounding up and unavailability down; both 0 makes
 *   unavailability 1. A pod is available once Running for `minReadySeconds`.
 * - **Recreate**: every old set scales to 0 before the new one is created at full size.
 * - Scenario events: `scale` sets `replicas`; `rollout` changes the template — a new image for
 *   every container, or without one the `kubectl.kubernetes.io/restartedAt` annotation as
 *   `kubectl rollout restart` does — which makes a new revision.
 * - Simplified: a scale during a rollout is not proportional across sets (the new set takes the
 *   new size, old ones shrink as the rollout goes); old sets stay at 0 replicas (no history
 *   limit); `paused`, `progressDeadlineSeconds` and hash collisions are not modelled.
 */
import type { Diagnostic, Diagnostics } from "../../diagnostics.ts";
import { type Field, isObject, quote, type RawObject } from "../../manifest/field.ts";
import { deriveUid } from "../../manifest/meta.ts";
import type { Container, KeptObject, LabelSelector, ObjectMeta, Pod } from "../../model/types.ts";
import type { Controller, ControlPlaneApi } from "./api.ts";
import { ReplicaSetPods, readReplicas } from "./replicaset.ts";
import {
  controllerRef,
  decodeObject,
  decodePodTemplate,
  type PodTemplate,
  readWorkloadSelector,
  templateHash,
  type WorkloadOptions,
} from "./workload.ts";

/** The label (and selector term) that tells a Deployment's ReplicaSets apart. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
/** The template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

/** An int or a percentage (`"25%"`), as `intstr.IntOrString`. */
export type IntOrPercent = { readonly value: number; readonly percent: boolean };

/** The update strategy. */
export type DeploymentStrategy =
  | {
      readonly type: "RollingUpdate";
      readonly maxSurge: IntOrPercent;
      readonly maxUnavailable: IntOrPercent;
    }
  | { readonly type: "Recreate" };

/** A change to a Deployment at a time (scenario events). */
export type DeploymentEvent =
  | { readonly at: number; readonly kind: "scale"; readonly replicas: number }
  | { readonly at: number; readonly kind: "rollout"; readonly image?: string };

/** A decoded, validated Deployment. */
export interface DeploymentSpec {
  readonly metadata: ObjectMeta;
  readonly replicas: number;
  readonly minReadySeconds: number;
  readonly strategy: DeploymentStrategy;
  readonly selector?: LabelSelector;
  /** `spec.selector` as written (copied into each ReplicaSet object). */
  readonly rawSelector: RawObject;
  /** `spec.template` as written. */
  readonly rawTemplate: RawObject;
  readonly template: PodTemplate;
}

/** Options of {@link DeploymentController}. */
export interface DeploymentOptions extends WorkloadOptions {
  /** Scale and rollout events for this Deployment. */
  readonly events?: readonly DeploymentEvent[];
}

const PERCENT = /^(\d+)%$/;

function readIntOrPercent(field: Field, fallback: IntOrPercent): IntOrPercent {
  const v = field.value;
  if (v === undefined) return fallback;
  if (typeof v === "number") {
    if (Number.isSafeInteger(v) && v >= 0) return { value: v, percent: false };
    field.error("must be greater than or equal to 0");
    return fallback;
  }
  if (typeof v === "string") {
    const m = PERCENT.exec(v);
    if (m) return { value: Number(m[1]), percent: true };
    field.error(`${quote(v)} is not an integer or a percentage (e.g. 25%)`);
    return fallback;
  }
  field.error("must be an integer or a percentage string");
  return fallback;
}

const DEFAULT_25: IntOrPercent = { value: 25, percent: true };

function readStrategy(spec: Field): DeploymentStrategy {
  const s = spec.get("strategy").object();
  const type = s.get("type").oneOf(["RollingUpdate", "Recreate"] as const) ?? "RollingUpdate";
  const ru = s.get("rollingUpdate").object();
  if (type === "Recreate") {
    if (ru.present) ru.error("may not be specified when strategy `type` is 'Recreate'");
    return { type };
  }
  const maxSurge = readIntOrPercent(ru.get("maxSurge"), DEFAULT_25);
  const maxUnavailable = readIntOrPercent(ru.get("maxUnavailable"), DEFAULT_25);
  if (maxUnavailable.percent && maxUnavailable.value > 100) {
    ru.get("maxUnavailable").error("must not be greater than 100%");
  }
  if (maxSurge.value === 0 && maxUnavailable.value === 0) {
    ru.get("maxUnavailable").error("may not be 0 when `maxSurge` is 0");
  }
  return { type, maxSurge, maxUnavailable };
}

/** Decodes the Deployment at `root` (its metadata already decoded as `meta`). */
export function readDeployment(
  root: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions,
): DeploymentSpec {
  const spec = root.get("spec").object();
  const template = decodePodTemplate(spec.get("template"), meta, diags, options);
  const selector = readWorkloadSelector(spec, template.pod);
  const paused = spec.get("paused");
  if (paused.bool(false)) paused.warn("not modelled: the Deployment rolls out anyway");
  const raw = (f: Field): RawObject => (isObject(f.value) ? f.value : {});
  return {
    metadata: meta,
    ...readReplicas(spec),
    strategy: readStrategy(spec),
    ...(selector !== undefined ? { selector } : {}),
    rawSelector: raw(spec.get("selector")),
    rawTemplate: raw(spec.get("template")),
    template,
  };
}

/** `intstr.GetScaledValueFromIntOrPercent`. */
export function scaled(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (!v.percent) return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** `ResolveFenceposts`: maxSurge rounded up, maxUnavailable down; both 0 → unavailable 1. */
export function resolveFenceposts(
  surge: IntOrPercent,
  unavailable: IntOrPercent,
  desired: number,
): { surge: number; unavailable: number } {
  const s = scaled(surge, desired, true);
  const u = scaled(unavailable, desired, false);
  return s === 0 && u === 0 ? { surge: 0, unavailable: 1 } : { surge: s, unavailable: u };
}

/** One template revision: the raw template, its decoded pod and hash. */
interface Revision {
  readonly raw: RawObject;
  readonly pod: Pod;
  readonly hash: string;
}

/** Drives one Deployment. */
export class DeploymentController implements Controller {
  readonly spec: DeploymentSpec;
  readonly #events: readonly DeploymentEvent[];
  #api!: ControlPlaneApi;
  #replicas: number;
  #revision: Revision;
  /** Every ReplicaSet of the Deployment, by name, in creation order. */
  readonly #sets = new Map<string, ReplicaSetPods>();

  /** Warnings found while decoding (unmodelled fields). */
  readonly warnings: readonly Diagnostic[];

  /** Decodes `obj` (throws an InputError naming every invalid field). */
  constructor(obj: KeptObject, options: DeploymentOptions = {}) {
    const decoded = decodeObject(obj, (root, diags) =>
      readDeployment(root, obj.metadata, diags, options),
    );
    this.spec = decoded.value;
    this.warnings = decoded.warnings;
    this.#events = options.events ?? [];
    this.#replicas = this.spec.replicas;
    this.#revision = {
      raw: this.spec.rawTemplate,
      pod: this.spec.template.pod,
      hash: this.spec.template.hash,
    };
  }

  /** `spec.replicas` now. */
  get replicas(): number {
    return this.#replicas;
  }

  /** The ReplicaSets, oldest first. */
  get sets(): readonly ReplicaSetPods[] {
    return [...this.#sets.values()];
  }

  /** The current revision's ReplicaSet, once created. */
  get newSet(): ReplicaSetPods | undefined {
    return this.#sets.get(this.#setName(this.#revision.hash));
  }

  start(api: ControlPlaneApi): void {
    this.#api = api;
    for (const e of this.#events) {
      api.timer(e.at, () => (e.kind === "scale" ? this.scale(e.replicas) : this.rollout(e.image)));
    }
    this.sync();
  }

  /** Sets `spec.replicas`. */
  scale(replicas: number): void {
    this.#replicas = replicas;
    this.sync();
  }

  /**
   * Changes the template: `image` for every container, or (without one) the restartedAt
   * annotation set to the current simulated time — a new revision either way.
   */
  rollout(image?: string): void {
    const cur = this.#revision;
    const raw = structuredClone(cur.raw);
    let pod: Pod;
    if (image !== undefined) {
      const spec = isObject(raw["spec"]) ? raw["spec"] : {};
      const list = spec["containers"];
      if (Array.isArray(list)) for (const c of list) if (isObject(c)) c["image"] = image;
      raw["spec"] = spec;
      const containers: Container[] = cur.pod.spec.containers.map((c) => ({ ...c, image }));
      pod = { ...cur.pod, spec: { ...cur.pod.spec, containers } };
    } else {
      const at = `${this.#api.now}s`;
      const meta = isObject(raw["metadata"]) ? raw["metadata"] : {};
      const annotations = isObject(meta["annotations"]) ? meta["annotations"] : {};
      annotations[RESTARTED_AT_ANNOTATION] = at;
      meta["annotations"] = annotations;
      raw["metadata"] = meta;
      pod = {
        ...cur.pod,
        metadata: {
          ...cur.pod.metadata,
          annotations: { ...cur.pod.metadata.annotations, [RESTARTED_AT_ANNOTATION]: at },
        },
      };
    }
    this.#revision = { raw, pod, hash: templateHash(raw) };
    this.sync();
  }

  podBound(key: string, _pod: Pod, node: string): void {
    for (const s of this.#sets.values()) {
      if (s.bound(key, node)) {
        const wait = this.spec.minReadySeconds;
        if (wait > 0) this.#api.timer(this.#api.now + wait, () => this.sync());
        this.sync();
        return;
      }
    }
  }

  podEnded(key: string): void {
    for (const s of this.#sets.values()) {
      if (s.ended(key)) {
        this.sync();
        return;
      }
    }
  }

  #setName(hash: string): string {
    return `${this.spec.metadata.name}-${hash}`;
  }

  /** One reconciliation: the strategy's step, then every set's replica loop. */
  sync(): void {
    if (this.spec.strategy.type === "Recreate") this.#recreate();
    else this.#rolling(this.spec.strategy);
    for (const s of this.#sets.values()) s.sync();
  }

  #olds(): ReplicaSetPods[] {
    const current = this.#setName(this.#revision.hash);
    return [...this.#sets.values()].filter((s) => s.id.metadata.name !== current);
  }

  #recreate(): void {
    const olds = this.#olds();
    for (const s of olds) s.replicas = 0;
    if (olds.some((s) => s.size > 0)) {
      for (const s of olds) s.sync();
      if (olds.some((s) => s.size > 0)) return;
    }
    const cur = this.newSet ?? this.#createSet(0);
    cur.replicas = this.#replicas;
  }

  #rolling(strategy: Extract<DeploymentStrategy, { type: "RollingUpdate" }>): void {
    const d = this.#replicas;
    const { surge, unavailable } = resolveFenceposts(strategy.maxSurge, strategy.maxUnavailable, d);
    const total = () => {
      let n = 0;
      for (const s of this.#sets.values()) n += s.replicas;
      return n;
    };
    // reconcileNewReplicaSet (NewRSNewReplicas).
    const cur = this.newSet ?? this.#createSet(0);
    if (cur.replicas > d) cur.replicas = d;
    else if (cur.replicas < d) {
      const room = d + surge - total();
      if (room > 0) cur.replicas += Math.min(room, d - cur.replicas);
    }
    // reconcileOldReplicaSets.
    const olds = this.#olds().filter((s) => s.replicas > 0);
    if (olds.length === 0) return;
    const minAvailable = d - unavailable;
    const newUnavailable = cur.replicas - cur.available();
    let maxScaledDown = total() - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: unavailable pods of old sets first, oldest sets first.
    for (const s of olds) {
      if (maxScaledDown <= 0) break;
      const unhealthy = s.replicas - s.available();
      if (unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown, unhealthy);
      s.replicas -= down;
      maxScaledDown -= down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: what is available beyond minAvailable.
    let availableNow = 0;
    for (const s of this.#sets.values()) availableNow += s.available();
    let excess = availableNow - minAvailable;
    for (const s of olds) {
      if (excess <= 0) break;
      if (s.replicas === 0) continue;
      const down = Math.min(s.replicas, excess);
      s.replicas -= down;
      excess -= down;
    }
  }

  /** Creates the current revision's ReplicaSet (object and pods) with `replicas`. */
  #createSet(replicas: number): ReplicaSetPods {
    const { hash, pod: tmpl, raw } = this.#revision;
    const d = this.spec.metadata;
    const name = this.#setName(hash);
    const labels = { ...tmpl.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const metadata: ObjectMeta = {
      name,
      namespace: d.namespace,
      uid: deriveUid("ReplicaSet", d.namespace, name),
      labels,
      annotations: {},
      ownerReferences: [controllerRef("apps/v1", "Deployment", d)],
    };
    const sel = this.spec.rawSelector;
    const matchLabels = isObject(sel["matchLabels"]) ? sel["matchLabels"] : {};
    const rawMeta = isObject(raw["metadata"]) ? raw["metadata"] : {};
    const rawLabels = isObject(rawMeta["labels"]) ? rawMeta["labels"] : {};
    const body: RawObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name, namespace: d.namespace, labels },
      spec: {
        replicas,
        minReadySeconds: this.spec.minReadySeconds,
        selector: { ...sel, matchLabels: { ...matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        template: {
          ...raw,
          metadata: { ...rawMeta, labels: { ...rawLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        },
      },
    };
    const object: KeptObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata,
      body,
      source: this.spec.template.pod.source,
    };
    this.#api.putObject?.(object);
    const template: Pod = { ...tmpl, metadata: { ...tmpl.metadata, labels } };
    const set = new ReplicaSetPods(
      this.#api,
      {
        metadata,
        template,
        duration: this.spec.template.duration,
        minReadySeconds: this.spec.minReadySeconds,
      },
      replicas,
      () => this.sync(),
    );
    this.#sets.set(name, set);
    return set;
  }
}
