/**
 * The ReplicaSet controller (upstream `pkg/controller/replicaset`), as far as it affects
 * placement.
 *
 * - Keeps `spec.replicas` pods of the template alive: pods are `<set>-<5 random characters>`
 *   (drawn from `api.random("ReplicaSet <ns>/<name>")`), owned by the set (`controller: true`), so
 *   PodTopologySpread's system default constraints follow them to the set's selector.
 * - A pod that ends in any way (Succeeded, Failed, Deleted, Evicted, Preempted, NodeRemoved) is
 *   replaced at once while the set wants it.
 * - Scale-down deletes the pods upstream's `ActivePodsWithRanks` puts first: unassigned before
 *   assigned, pending before running (in a simulation a pod is ready exactly when it runs),
 *   more of the set's pods on the same node first, running for less time first, newer first,
 *   then by name. Restart counts are always 0 and the timestamps are compared exactly (upstream
 *   buckets them logarithmically).
 * - A creation the API server rejects (admission) stops the round and is retried after a backoff
 *   of 1 s doubling to 5 min (the work queue's rate limiter; a weak timer: retries alone do not
 *   keep the run going); each rejection is a `FailedCreate` warning event. A round that creates
 *   everything resets the backoff. Like upstream, where a pod event queues the set without the
 *   rate limiter, an event of the set's own pods (one ended: quota freed) syncs it at once.
 */
import type { Diagnostic, Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import type { KeptObject, LabelSelector, ObjectMeta, Pod } from "../../model/types.ts";
import type { Controller, ControlPlaneApi } from "./api.ts";
import {
  controllerRef,
  createOwnedPod,
  decodeObject,
  decodePodTemplate,
  describe,
  generateName,
  type PodTemplate,
  podKey,
  readWorkloadSelector,
  stampPod,
  type WorkloadOptions,
} from "./workload.ts";

/** Backoff after a rejected creation: 1 s doubling, at most 5 minutes. */
export const CREATE_RETRY_BASE = 1;
export const CREATE_RETRY_MAX = 300;

/** A decoded, validated ReplicaSet. */
export interface ReplicaSetSpec {
  readonly metadata: ObjectMeta;
  readonly replicas: number;
  readonly minReadySeconds: number;
  readonly selector?: LabelSelector;
  readonly template: PodTemplate;
}

/** Reads `spec.replicas` (default 1) and `spec.minReadySeconds` (default 0). */
export function readReplicas(spec: Field): { replicas: number; minReadySeconds: number } {
  return {
    replicas: spec.get("replicas").intInRange(0, 2147483647) ?? 1,
    minReadySeconds: spec.get("minReadySeconds").intInRange(0, 2147483647) ?? 0,
  };
}

/** Decodes the ReplicaSet at `root` (its metadata already decoded as `meta`). */
export function readReplicaSet(
  root: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions,
): ReplicaSetSpec {
  const spec = root.get("spec").object();
  const template = decodePodTemplate(spec.get("template"), meta, diags, options);
  const selector = readWorkloadSelector(spec, template.pod);
  return {
    metadata: meta,
    ...readReplicas(spec),
    ...(selector !== undefined ? { selector } : {}),
    template,
  };
}

/** One live pod of a set. */
interface Member {
  readonly key: string;
  readonly created: number;
  /** Creation order within the set (ties of `created`). */
  readonly seq: number;
  node: string | undefined;
  boundAt: number;
}

/** What a {@link ReplicaSetPods} needs to know about its set. */
export interface ReplicaSetIdentity {
  readonly metadata: ObjectMeta;
  /** The pod template: labels (pod-template-hash included for a Deployment's sets), spec. */
  readonly template: Pod;
  /** Run time of each pod once bound (seconds; +∞: until deleted). */
  readonly duration: number;
  readonly minReadySeconds: number;
}

/**
 * The pods of one ReplicaSet and the replica loop over them; the {@link ReplicaSetController}
 * drives one, a Deployment one per revision. `replicas` is the set's `spec.replicas`.
 */
export class ReplicaSetPods {
  readonly id: ReplicaSetIdentity;
  /** Creation time of the set (Deployments order their old sets by it). */
  readonly created: number;
  replicas: number;
  readonly #api: ControlPlaneApi;
  readonly #owner: string;
  readonly #rng: { next(): number };
  readonly #members = new Map<string, Member>();
  #seq = 0;
  #failures = 0;
  /** When the pending retry timer fires (−∞: none pending). */
  #retryAt = Number.NEGATIVE_INFINITY;
  readonly #onRetry: () => void;

  /** `onRetry` runs when a creation backoff is over (the owner syncs). */
  constructor(api: ControlPlaneApi, id: ReplicaSetIdentity, replicas: number, onRetry: () => void) {
    this.id = id;
    this.replicas = replicas;
    this.created = api.now;
    this.#api = api;
    this.#owner = describe("ReplicaSet", id.metadata);
    this.#rng = api.random(`ReplicaSet ${id.metadata.namespace}/${id.metadata.name}`);
    this.#onRetry = onRetry;
  }

  /** Live pods (pending or running). */
  get size(): number {
    return this.#members.size;
  }

  /** Whether `key` is one of this set's live pods. */
  has(key: string): boolean {
    return this.#members.has(key);
  }

  /** Pods running for at least `minReadySeconds` (`status.availableReplicas`). */
  available(): number {
    const now = this.#api.now;
    let n = 0;
    for (const m of this.#members.values()) {
      if (m.node !== undefined && now - m.boundAt >= this.id.minReadySeconds) n++;
    }
    return n;
  }

  /** Running pods (`status.readyReplicas`). */
  ready(): number {
    let n = 0;
    for (const m of this.#members.values()) if (m.node !== undefined) n++;
    return n;
  }

  /** Records a binding; false when the pod is not this set's. */
  bound(key: string, node: string): boolean {
    const m = this.#members.get(key);
    if (m === undefined) return false;
    m.node = node;
    m.boundAt = this.#api.now;
    return true;
  }

  /** Forgets a pod that ended; false when it is not this set's. */
  ended(key: string): boolean {
    return this.#members.delete(key);
  }

  /** Creates or deletes pods until `replicas` live (creations pause during a backoff). */
  sync(): void {
    const diff = this.replicas - this.#members.size;
    if (diff < 0) {
      for (const m of this.victims(-diff)) {
        this.#members.delete(m);
        this.#api.deletePod(m);
      }
      return;
    }
    if (diff === 0) return;
    for (let i = 0; i < diff; i++) {
      if (!this.#createOne()) return;
    }
    this.#failures = 0;
  }

  /** The `n` pods a scale-down deletes, in upstream's order (see the module comment). */
  victims(n: number): string[] {
    const perNode = new Map<string, number>();
    for (const m of this.#members.values()) {
      if (m.node !== undefined) perNode.set(m.node, (perNode.get(m.node) ?? 0) + 1);
    }
    const rank = (m: Member) => (m.node === undefined ? 0 : (perNode.get(m.node) ?? 0));
    const sorted = [...this.#members.values()].sort((a, b) => {
      const ua = a.node === undefined ? 0 : 1;
      const ub = b.node === undefined ? 0 : 1;
      if (ua !== ub) return ua - ub;
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return rb - ra;
      if (a.node !== undefined && a.boundAt !== b.boundAt) return b.boundAt - a.boundAt;
      if (a.created !== b.created) return b.created - a.created;
      if (a.seq !== b.seq) return b.seq - a.seq;
      return a.key < b.key ? -1 : 1;
    });
    return sorted.slice(0, n).map((m) => m.key);
  }

  /** Creates one pod; false (and a backoff) when admission rejects it. */
  #createOne(): boolean {
    const api = this.#api;
    const meta = this.id.metadata;
    let name = generateName(`${meta.name}-`, this.#rng);
    while (api.podPhase(podKey(meta.namespace, name)) !== undefined) {
      name = generateName(`${meta.name}-`, this.#rng);
    }
    const pod = stampPod(this.id.template, {
      name,
      owner: controllerRef("apps/v1", "ReplicaSet", meta),
    });
    const r = createOwnedPod(api, this.#owner, pod, this.id.duration);
    if (!r.ok) {
      const delay = Math.min(CREATE_RETRY_BASE * 2 ** this.#failures, CREATE_RETRY_MAX);
      this.#failures++;
      if (this.#retryAt < api.now) {
        this.#retryAt = api.now + delay;
        api.timer(
          this.#retryAt,
          () => {
            this.#retryAt = Number.NEGATIVE_INFINITY;
            this.#onRetry();
          },
          { weak: true },
        );
      }
      return false;
    }
    this.#members.set(r.key, {
      key: r.key,
      created: api.now,
      seq: this.#seq++,
      node: undefined,
      boundAt: 0,
    });
    return true;
  }
}

/** Drives one ReplicaSet given in the manifests. */
export class ReplicaSetController implements Controller {
  readonly spec: ReplicaSetSpec;
  #pods: ReplicaSetPods | undefined;

  /** Warnings found while decoding (unmodelled fields). */
  readonly warnings: readonly Diagnostic[];

  /** Decodes `obj` (throws an InputError naming every invalid field). */
  constructor(obj: KeptObject, options: WorkloadOptions = {}) {
    const decoded = decodeObject(obj, (root, diags) =>
      readReplicaSet(root, obj.metadata, diags, options),
    );
    this.spec = decoded.value;
    this.warnings = decoded.warnings;
  }

  /** The set's pods (after start). */
  get pods(): ReplicaSetPods | undefined {
    return this.#pods;
  }

  start(api: ControlPlaneApi): void {
    const { metadata, template, minReadySeconds, replicas } = this.spec;
    this.#pods = new ReplicaSetPods(
      api,
      { metadata, template: template.pod, duration: template.duration, minReadySeconds },
      replicas,
      () => this.#pods?.sync(),
    );
    this.#pods.sync();
  }

  /** Sets `spec.replicas` and syncs. */
  scale(replicas: number): void {
    if (this.#pods === undefined) return;
    this.#pods.replicas = replicas;
    this.#pods.sync();
  }

  podBound(key: string, _pod: Pod, node: string): void {
    this.#pods?.bound(key, node);
  }

  podEnded(key: string): void {
    if (this.#pods?.ended(key)) this.#pods.sync();
  }
}
