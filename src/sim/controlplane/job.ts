/**
 * The Job controller (upstream `pkg/controller/job`), NonIndexed completion mode, in simulated
 * time.
 *
 * - **Pods**: `<job>-<5 random characters>` from `api.random("Job <ns>/<name>")`, labelled
 *   `batch.kubernetes.io/job-name`, `batch.kubernetes.io/controller-uid` (and the legacy
 *   `job-name`, `controller-uid`), owned by the Job. A pod runs for the template's
 *   `gantry.dev/duration`; whether it ends Succeeded or Failed is the engine's draw from
 *   `gantry.dev/failure-probability`.
 * - **Active pods wanted** (upstream `manageJob`): with `completions` set,
 *   `min(parallelism, completions − succeeded)`; the Job is Complete once `succeeded ≥
 *   completions`. With `completions` unset (**work queue**): `parallelism` pods until one
 *   succeeds; after a success no pod is created and the Job is Complete once every active pod
 *   has ended (the modelled subset: no pod-level "done" signal, a success simply ends the queue).
 *   Defaults as upstream: both unset → 1 and 1; `parallelism` unset → 1.
 * - **Failures**: every end but Succeeded counts as a failed pod — Failed, and also Deleted,
 *   Evicted, Preempted, NodeRemoved (upstream counts a pod removed before it finished as failed;
 *   evicted and preempted pods end in phase Failed) — except pods the Job deleted itself. When
 *   `failed > backoffLimit` (default 6) the Job fails (`BackoffLimitExceeded`) and deletes its
 *   active pods. Replacement pods wait out the pod-failure backoff: 10 s after the last failure,
 *   doubling per failure since the last success, at most 6 minutes.
 * - **activeDeadlineSeconds**: counted from the Job's start; when it passes, the Job fails
 *   (`DeadlineExceeded`) and deletes its active pods.
 * - **suspend**: a suspended Job creates no pods.
 * - Job failures are recorded as warning events; admission rejections are retried with the work
 *   queue's backoff (and recorded as `FailedCreate` events).
 * - Not modelled: Indexed completion mode (read as NonIndexed, with a warning), podFailurePolicy,
 *   successPolicy, backoffLimitPerIndex, podReplacementPolicy, `restartPolicy: OnFailure`
 *   in-place restarts (a failed pod is replaced as with Never), ttlSecondsAfterFinished.
 */
import type { Diagnostic, Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import { INT32_MAX } from "../../manifest/scheduling.ts";
import type { KeptObject, ObjectMeta, OwnerReference, Pod } from "../../model/types.ts";
import type { Controller, ControlPlaneApi, PodEnd } from "./api.ts";
import {
  controllerRef,
  createOwnedPod,
  decodeObject,
  decodePodTemplate,
  describe,
  generateName,
  type PodTemplate,
  SyncLoop,
  stampPod,
  type WorkloadOptions,
} from "./workload.ts";

/** Upstream `DefaultJobPodFailureBackOff` and the documented cap. */
export const JOB_BACKOFF_BASE = 10;
export const JOB_BACKOFF_MAX = 360;
export const DEFAULT_BACKOFF_LIMIT = 6;

export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

/** Spec fields read with a "not modelled" warning. */
const UNMODELLED = [
  "podFailurePolicy",
  "successPolicy",
  "backoffLimitPerIndex",
  "maxFailedIndexes",
] as const;

/** A decoded, validated Job. */
export interface JobSpec {
  readonly metadata: ObjectMeta;
  /** `undefined`: work queue (any success completes). */
  readonly completions: number | undefined;
  readonly parallelism: number;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds?: number;
  readonly suspend: boolean;
  readonly template: PodTemplate;
}

/**
 * Decodes a JobSpec at `spec` (`spec` of a Job, `spec.jobTemplate.spec` of a CronJob) for a Job
 * with metadata `meta`.
 */
export function readJobSpec(
  spec: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions = {},
): JobSpec {
  const s = spec.object();
  if (!s.present) s.error("required");
  let completions = s.get("completions").intInRange(0, INT32_MAX);
  let parallelism = s.get("parallelism").intInRange(0, INT32_MAX);
  if (!s.get("completions").present && !s.get("parallelism").present) completions = 1;
  parallelism ??= 1;
  if (s.get("completions").present && completions === undefined) completions = 1;
  const backoffLimit = s.get("backoffLimit").intInRange(0, INT32_MAX) ?? DEFAULT_BACKOFF_LIMIT;
  const deadlineField = s.get("activeDeadlineSeconds");
  const activeDeadlineSeconds = deadlineField.intInRange(1, Number.MAX_SAFE_INTEGER);
  const suspend = s.get("suspend").bool(false);
  const mode = s.get("completionMode").oneOf(["NonIndexed", "Indexed"] as const);
  if (mode === "Indexed") {
    if (!s.get("completions").present) s.get("completions").error("required for Indexed Jobs");
    s.get("completionMode").warn("Indexed is modelled as NonIndexed (no completion indexes)");
  }
  for (const f of UNMODELLED) {
    if (s.get(f).present) s.get(f).warn("not modelled; ignored");
  }
  const templateField = s.get("template");
  const template = decodePodTemplate(templateField, meta, diags, options);
  templateField
    .get("spec")
    .get("restartPolicy")
    .requiredOneOf(["OnFailure", "Never"] as const);
  return {
    metadata: meta,
    completions,
    parallelism,
    backoffLimit,
    ...(activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds } : {}),
    suspend,
    template,
  };
}

/** A Job's observable state (its `status`, in simulated seconds). */
export interface JobStatus {
  readonly active: number;
  /** Active pods that are Running. */
  readonly ready: number;
  readonly succeeded: number;
  readonly failed: number;
  /** When the Job started (its controller's first sync). */
  readonly startTime?: number;
  /** When the Job completed (Complete only, as upstream). */
  readonly completionTime?: number;
  /** When the Job finished, Complete or Failed. */
  readonly finishedTime?: number;
  readonly condition?: "Complete" | "Failed";
  /** `BackoffLimitExceeded` or `DeadlineExceeded` for a Failed Job. */
  readonly reason?: string;
}

/** Options of {@link JobController}. */
export interface JobOptions extends WorkloadOptions {
  /** Called once when the Job becomes Complete or Failed. */
  readonly onFinished?: (job: JobController) => void;
}

/** Drives one Job. */
export class JobController implements Controller {
  readonly spec: JobSpec;
  /** Warnings found while decoding (unmodelled fields). */
  readonly warnings: readonly Diagnostic[];
  private readonly owner: string;
  private readonly ownerRef: OwnerReference;
  private readonly onFinished: JobOptions["onFinished"];
  private readonly loop = new SyncLoop(() => this.sync());
  private api!: ControlPlaneApi;
  private rng!: { next(): number };
  /** Active pod key → whether it is Running. */
  private readonly active = new Map<string, boolean>();
  /** Pods this Job deleted: their ends are not failures. */
  private readonly deleting = new Set<string>();
  private succeeded = 0;
  private failed = 0;
  private failuresSinceSuccess = 0;
  private lastFailure = 0;
  private startTime: number | undefined;
  private finishedTime: number | undefined;
  private condition: JobStatus["condition"];
  private reason: string | undefined;
  private deleted = false;

  /**
   * From a Job object (decoded here; throws an InputError naming every invalid field) or from an
   * already decoded {@link JobSpec} (a CronJob's job template).
   */
  constructor(job: KeptObject | JobSpec, options: JobOptions = {}) {
    if ("body" in job) {
      const { value, warnings } = decodeObject(job, (root, diags) =>
        readJobSpec(root.get("spec"), job.metadata, diags, options),
      );
      this.spec = value;
      this.warnings = warnings;
    } else {
      this.spec = job;
      this.warnings = [];
    }
    this.owner = describe("Job", this.spec.metadata);
    this.ownerRef = controllerRef("batch/v1", "Job", this.spec.metadata);
    this.onFinished = options.onFinished;
  }

  get name(): string {
    return this.spec.metadata.name;
  }

  /** Whether the Job is Complete or Failed. */
  get finished(): boolean {
    return this.condition !== undefined;
  }

  get status(): JobStatus {
    let ready = 0;
    for (const running of this.active.values()) if (running) ready++;
    return {
      active: this.active.size,
      ready,
      succeeded: this.succeeded,
      failed: this.failed,
      ...(this.startTime !== undefined ? { startTime: this.startTime } : {}),
      ...(this.condition === "Complete" ? { completionTime: this.finishedTime } : {}),
      ...(this.finishedTime !== undefined ? { finishedTime: this.finishedTime } : {}),
      ...(this.condition ? { condition: this.condition } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }

  /** Whether `key` is one of this Job's active pods. */
  owns(key: string): boolean {
    return this.active.has(key);
  }

  start(api: ControlPlaneApi): void {
    this.api = api;
    const { namespace, name } = this.spec.metadata;
    this.rng = api.random(`Job ${namespace}/${name}`);
    this.startTime = api.now;
    this.loop.start(api);
    const deadline = this.spec.activeDeadlineSeconds;
    if (deadline !== undefined) this.loop.requestAt(api.now + deadline);
    this.loop.request();
  }

  podBound(key: string): void {
    if (this.active.has(key)) this.active.set(key, true);
  }

  podEnded(key: string, _pod: Pod, end: PodEnd): void {
    if (!this.active.delete(key)) return;
    if (this.deleting.delete(key)) {
      // Deleted by this Job (finished, deleted, or over parallelism): not a failure.
    } else if (end === "Succeeded") {
      this.succeeded++;
      this.failuresSinceSuccess = 0;
    } else {
      this.failed++;
      this.failuresSinceSuccess++;
      this.lastFailure = this.api.now;
    }
    this.loop.request();
  }

  /**
   * Deletes the Job's active pods and stops it (`kubectl delete job`, background propagation);
   * a CronJob uses it for Replace and history limits. A deleted Job that had not finished stays
   * unfinished and is never synced again.
   */
  delete(): void {
    this.deleteActive();
    this.deleted = true;
  }

  private sync(): void {
    if (this.finished || this.deleted) return;
    const { completions, parallelism, backoffLimit, activeDeadlineSeconds } = this.spec;
    const now = this.api.now;
    if (this.failed > backoffLimit) {
      this.finish("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
      return;
    }
    if (activeDeadlineSeconds !== undefined && now >= this.startTime! + activeDeadlineSeconds) {
      this.finish("Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
      return;
    }
    const complete =
      completions === undefined
        ? this.succeeded > 0 && this.active.size === 0
        : this.succeeded >= completions;
    if (complete) {
      this.finish("Complete");
      return;
    }
    let want: number;
    if (this.spec.suspend) want = 0;
    else if (completions === undefined) want = this.succeeded > 0 ? this.active.size : parallelism;
    else want = Math.min(parallelism, completions - this.succeeded);
    if (this.active.size > want) this.deleteExtra(this.active.size - want);
    if (this.active.size >= want) return;
    if (this.failuresSinceSuccess > 0) {
      const until = this.lastFailure + this.backoff();
      if (now < until) {
        this.loop.requestAt(until);
        return;
      }
    }
    for (let n = want - this.active.size; n > 0; n--) {
      if (!this.create()) {
        this.loop.failed();
        return;
      }
    }
    this.loop.succeeded();
  }

  /** The pod-failure backoff for the current failure count. */
  private backoff(): number {
    return Math.min(JOB_BACKOFF_BASE * 2 ** (this.failuresSinceSuccess - 1), JOB_BACKOFF_MAX);
  }

  private finish(condition: "Complete" | "Failed", reason?: string, message?: string): void {
    this.condition = condition;
    this.finishedTime = this.api.now;
    if (reason) this.reason = reason;
    if (condition === "Failed") this.api.event(reason!, `${this.owner}: ${message}`);
    this.deleteActive();
    this.onFinished?.(this);
  }

  private deleteActive(): void {
    for (const key of [...this.active.keys()]) this.deletePod(key);
  }

  /** Deletes `n` active pods, those not yet Running first. */
  private deleteExtra(n: number): void {
    const keys = [...this.active.entries()]
      .filter(([key]) => !this.deleting.has(key))
      .sort(([, a], [, b]) => Number(a) - Number(b))
      .map(([key]) => key);
    for (const key of keys.slice(0, n)) this.deletePod(key);
  }

  private deletePod(key: string): void {
    if (this.deleting.has(key)) return;
    this.deleting.add(key);
    if (!this.api.deletePod(key) && this.active.delete(key)) this.deleting.delete(key);
  }

  /** Creates one pod; false when admission rejected it. */
  private create(): boolean {
    const { metadata: meta, template } = this.spec;
    let name: string;
    do name = generateName(`${meta.name}-`, this.rng);
    while (this.active.has(`${meta.namespace}/${name}`));
    const pod = stampPod(template.pod, {
      name,
      labels: {
        [CONTROLLER_UID_LABEL]: meta.uid,
        [JOB_NAME_LABEL]: meta.name,
        "controller-uid": meta.uid,
        "job-name": meta.name,
      },
      owner: this.ownerRef,
    });
    const result = createOwnedPod(this.api, this.owner, pod, template.duration);
    if (!result.ok) return false;
    this.active.set(result.key, false);
    return true;
  }
}
