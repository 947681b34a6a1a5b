/**
 * The CronJob controller (upstream `pkg/controller/cronjob`, `syncCronJob`), in simulated time.
 *
 * - **Clock**: simulated t = 0 is `options.epoch` (default `2026-01-01T00:00:00Z`); schedules are
 *   evaluated in UTC ({@link CronSchedule}). The CronJob exists from just before t = 0, so a
 *   schedule time at t = 0 fires (`*\/5 * * * *` fires at 0, 300, 600 … s).
 * - **Sync** (at every schedule time and whenever one of its Jobs finishes): the most recent
 *   unmet schedule time after the last scheduled one (or the creation) and at or before now;
 *   with `startingDeadlineSeconds`, only times after `now − deadline` count (older ones are
 *   missed). With a time to run: **Forbid** does nothing while a Job is active — the time stays
 *   unmet, so it runs when the active Job finishes if still within the starting deadline, as
 *   upstream; **Replace** deletes the active Jobs (and their pods) first; **Allow** runs
 *   alongside. The Job is `<cronjob>-<scheduled time in Unix minutes>`, built from
 *   `spec.jobTemplate` and driven by a {@link JobController} through the same API: the CronJob
 *   forwards `podBound`/`podEnded` to its Jobs.
 * - **History**: finished Jobs beyond `successfulJobsHistoryLimit` (default 3) and
 *   `failedJobsHistoryLimit` (default 1) are deleted, oldest first (their pods have already
 *   ended or been deleted when the Job finished).
 * - **suspend**: no Jobs are started.
 * - `timeZone` must be UTC (or `Etc/UTC`): other zones are not modelled.
 */
import type { Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import { deriveUid } from "../../manifest/meta.ts";
import { INT32_MAX } from "../../manifest/scheduling.ts";
import type { KeptObject, ObjectMeta, Pod } from "../../model/types.ts";
import type { Controller, ControlPlaneApi, PodEnd } from "./api.ts";
import { CronSchedule } from "./cron.ts";
import { JobController, type JobSpec, readJobSpec } from "./job.ts";
import { controllerRef, decodeObject, SyncLoop, type WorkloadOptions } from "./workload.ts";

/** Simulated t = 0 unless a scenario sets otherwise. */
export const DEFAULT_EPOCH = "2026-01-01T00:00:00Z";

export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** A decoded, validated CronJob. */
export interface CronJobSpec {
  readonly metadata: ObjectMeta;
  readonly schedule: CronSchedule;
  readonly concurrencyPolicy: "Allow" | "Forbid" | "Replace";
  readonly startingDeadlineSeconds?: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly suspend: boolean;
  readonly jobLabels: Readonly<Record<string, string>>;
  readonly jobAnnotations: Readonly<Record<string, string>>;
  /** The job template's spec (metadata: the CronJob's, replaced per Job). */
  readonly job: JobSpec;
}

/** Options of {@link CronJobController}. */
export interface CronJobOptions extends WorkloadOptions {
  /** The wall-clock time of simulated t = 0: a Date, RFC 3339 text or Unix milliseconds. */
  readonly epoch?: Date | string | number;
}

/** Decodes the CronJob at `root` (its metadata already decoded as `meta`). */
export function readCronJob(
  root: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions = {},
): CronJobSpec {
  const spec = root.get("spec").object();
  if (!spec.present) spec.error("required");
  const scheduleField = spec.get("schedule");
  const text = scheduleField.requiredString();
  let schedule = CronSchedule.parse("* * * * *");
  if (text) {
    try {
      schedule = CronSchedule.parse(text);
    } catch (e) {
      scheduleField.error(
        `${JSON.stringify(text)} is not a valid cron schedule: ${(e as Error).message}`,
      );
    }
  }
  const tzField = spec.get("timeZone");
  const tz = tzField.optString();
  if (tz !== undefined && tz !== "UTC" && tz !== "Etc/UTC") {
    tzField.error(`${JSON.stringify(tz)} is not modelled: only UTC (or Etc/UTC) is supported`);
  }
  const concurrencyPolicy =
    spec.get("concurrencyPolicy").oneOf(["Allow", "Forbid", "Replace"] as const) ?? "Allow";
  const startingDeadlineSeconds = spec
    .get("startingDeadlineSeconds")
    .intInRange(0, Number.MAX_SAFE_INTEGER);
  const successfulJobsHistoryLimit =
    spec.get("successfulJobsHistoryLimit").intInRange(0, INT32_MAX) ?? 3;
  const failedJobsHistoryLimit = spec.get("failedJobsHistoryLimit").intInRange(0, INT32_MAX) ?? 1;
  const suspend = spec.get("suspend").bool(false);
  const jt = spec.get("jobTemplate").object();
  if (!jt.present) jt.error("required");
  const jtMeta = jt.get("metadata").object();
  const job = readJobSpec(jt.get("spec"), meta, diags, options);
  return {
    metadata: meta,
    schedule,
    concurrencyPolicy,
    ...(startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds } : {}),
    successfulJobsHistoryLimit,
    failedJobsHistoryLimit,
    suspend,
    jobLabels: jtMeta.get("labels").stringMap(),
    jobAnnotations: jtMeta.get("annotations").stringMap(),
    job,
  };
}

function epochMs(epoch: CronJobOptions["epoch"]): number {
  const ms =
    epoch === undefined
      ? Date.parse(DEFAULT_EPOCH)
      : typeof epoch === "number"
        ? epoch
        : typeof epoch === "string"
          ? Date.parse(epoch)
          : epoch.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid epoch: ${String(epoch)}`);
  return ms;
}

/** Drives one CronJob and the Jobs it starts. */
export class CronJobController implements Controller {
  readonly spec: CronJobSpec;
  private readonly epoch: number;
  private readonly options: WorkloadOptions;
  private readonly loop = new SyncLoop(() => this.sync());
  private api!: ControlPlaneApi;
  /** Unix ms just before the CronJob's creation (t = 0). */
  private created = 0;
  private lastSchedule: number | undefined;
  /** Jobs not deleted, in creation order. */
  private readonly jobList: JobController[] = [];
  /** Unix ms of the timer already set for the next schedule time. */
  private timerAt = Number.NaN;

  /** Decodes `obj` (throws an InputError naming every invalid field). */
  constructor(obj: KeptObject, options: CronJobOptions = {}) {
    this.spec = decodeObject(obj, (root, diags) =>
      readCronJob(root, obj.metadata, diags, options),
    ).value;
    this.epoch = epochMs(options.epoch);
    const { epoch: _epoch, ...rest } = options;
    this.options = rest;
  }

  /** The Jobs kept (active and history), oldest first. */
  get jobs(): readonly JobController[] {
    return this.jobList;
  }

  /** The Jobs still running. */
  get activeJobs(): readonly JobController[] {
    return this.jobList.filter((j) => !j.finished);
  }

  /** The last schedule time a Job was started for, in simulated seconds. */
  get lastScheduleTime(): number | undefined {
    return this.lastSchedule === undefined ? undefined : this.toSim(this.lastSchedule);
  }

  start(api: ControlPlaneApi): void {
    this.api = api;
    this.created = this.nowMs() - 1;
    this.loop.start(api);
    this.loop.request();
  }

  podBound(key: string): void {
    for (const j of this.jobList) if (j.owns(key)) j.podBound(key);
  }

  podEnded(key: string, pod: Pod, end: PodEnd): void {
    for (const j of this.jobList) if (j.owns(key)) j.podEnded(key, pod, end);
  }

  private nowMs(): number {
    return this.epoch + Math.round(this.api.now * 1000);
  }

  private toSim(ms: number): number {
    return (ms - this.epoch) / 1000;
  }

  private sync(): void {
    this.cleanupHistory();
    if (this.spec.suspend) return;
    const now = this.nowMs();
    const { schedule, startingDeadlineSeconds: deadline } = this.spec;
    let earliest = this.lastSchedule ?? this.created;
    if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
    let recent: number | undefined;
    let t = schedule.next(earliest);
    while (t !== undefined && t <= now) {
      recent = t;
      t = schedule.next(t);
    }
    if (t !== undefined && t !== this.timerAt) {
      this.timerAt = t;
      this.api.timer(this.toSim(t), () => this.loop.request());
    }
    if (recent === undefined) return;
    const active = this.activeJobs;
    if (active.length > 0 && this.spec.concurrencyPolicy === "Forbid") return;
    if (active.length > 0 && this.spec.concurrencyPolicy === "Replace") {
      for (const j of active) this.deleteJob(j);
    }
    this.lastSchedule = recent;
    this.startJob(recent);
  }

  private startJob(scheduled: number): void {
    const { metadata: cj } = this.spec;
    const name = `${cj.name}-${Math.floor(scheduled / 60_000)}`;
    const metadata: ObjectMeta = {
      name,
      namespace: cj.namespace,
      uid: deriveUid("Job", cj.namespace, name),
      labels: this.spec.jobLabels,
      annotations: {
        ...this.spec.jobAnnotations,
        [SCHEDULED_TIMESTAMP_ANNOTATION]: new Date(scheduled).toISOString().replace(".000Z", "Z"),
      },
      ownerReferences: [controllerRef("batch/v1", "CronJob", cj)],
    };
    const job = new JobController(
      { ...this.spec.job, metadata },
      { ...this.options, onFinished: () => this.loop.request() },
    );
    this.jobList.push(job);
    job.start(this.api);
  }

  private deleteJob(job: JobController): void {
    job.delete();
    const i = this.jobList.indexOf(job);
    if (i >= 0) this.jobList.splice(i, 1);
  }

  /** Deletes finished Jobs beyond the history limits, oldest first. */
  private cleanupHistory(): void {
    const prune = (condition: "Complete" | "Failed", limit: number): void => {
      const done = this.jobList.filter((j) => j.status.condition === condition);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) this.deleteJob(j);
    };
    prune("Complete", this.spec.successfulJobsHistoryLimit);
    prune("Failed", this.spec.failedJobsHistoryLimit);
  }
}
