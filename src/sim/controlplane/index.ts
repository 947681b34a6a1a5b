/**
 * The control plane around the scheduler (issue 8): from the kept objects of a scenario or of
 * plain manifests to the engine's controllers and admission.
 *
 * - Workload objects of a kind in {@link CONTROLLER_KINDS} (Deployment, ReplicaSet,
 *   StatefulSet, DaemonSet, Job, CronJob) each become a controller, decoded and validated at load
 *   (every invalid field reported with its path) and built afresh for every run. An object with a
 *   controller owner reference (a ReplicaSet of a Deployment, a Job of a CronJob, from a cluster
 *   dump) is left to its owner, with a warning.
 * - Namespaces, ResourceQuotas and LimitRanges become the {@link AdmissionConfig}.
 * - A workload in a namespace that does not exist gets a warning at load: its creations will be
 *   rejected (`namespaces "x" not found`).
 */
import { type Diagnostic, Diagnostics, InputError } from "../../diagnostics.ts";
import type { KeptObject } from "../../model/types.ts";
import {
  type AdmissionConfig,
  BUILT_IN_NAMESPACES,
  type LimitRangeSpec,
  type ResourceQuotaSpec,
  readLimitRange,
  readResourceQuota,
} from "./admission.ts";
import type { Controller } from "./api.ts";
import type { ClaimSink } from "./claims.ts";
import { CronJobController } from "./cronjob.ts";
import { DaemonSetController } from "./daemonset.ts";
import { DeploymentController, type DeploymentEvent } from "./deployment.ts";
import { JobController } from "./job.ts";
import { ReplicaSetController } from "./replicaset.ts";
import { StatefulSetController } from "./statefulset.ts";
import type { WorkloadOptions } from "./workload.ts";

export type { AdmissionConfig } from "./admission.ts";
export type { Controller, ControlPlaneApi, CreateResult, PodEnd } from "./api.ts";
export type { DeploymentEvent } from "./deployment.ts";

/** What every controller factory is given. */
export interface ControllerOptions extends WorkloadOptions {
  /** Scale and rollout events, by Deployment `namespace/name`. */
  readonly deploymentEvents?: ReadonlyMap<string, readonly DeploymentEvent[]>;
  /** Where StatefulSets put the claims of their volumeClaimTemplates. */
  readonly claims?: ClaimSink;
}

/** Builds the controller of one object (decoding it; throws an InputError when invalid). */
export type ControllerFactory = (obj: KeptObject, options: ControllerOptions) => Controller;

const key = (o: KeptObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** The kinds that are simulated by a controller, and how each is built. */
export const CONTROLLER_KINDS: ReadonlyMap<string, ControllerFactory> = new Map<
  string,
  ControllerFactory
>([
  [
    "Deployment",
    (o, opts) =>
      new DeploymentController(o, {
        ...opts,
        events: opts.deploymentEvents?.get(key(o)) ?? [],
      }),
  ],
  ["ReplicaSet", (o, opts) => new ReplicaSetController(o, opts)],
  ["StatefulSet", (o, opts) => new StatefulSetController(o, opts)],
  ["DaemonSet", (o, opts) => new DaemonSetController(o, opts)],
  ["Job", (o, opts) => new JobController(o, opts)],
  ["CronJob", (o, opts) => new CronJobController(o, opts)],
]);

/** A run's control plane: fresh controllers per run, and admission. */
export interface ControlPlaneSpec {
  /** Fresh controllers for one run; StatefulSets put their claims into `claims`. */
  readonly controllers: (claims?: ClaimSink) => Controller[];
  readonly admission: AdmissionConfig;
}

/** What {@link buildControlPlane} reads. */
export interface ControlPlaneInput {
  readonly kept: readonly KeptObject[];
  /** Namespaces that exist (declared, or created by the scenario's streams). */
  readonly namespaces: readonly string[];
  readonly deploymentEvents?: ReadonlyMap<string, readonly DeploymentEvent[]>;
}

/**
 * Decodes the control plane of `input` (see the module comment); problems go to `diags` with
 * their files and field paths.
 */
export function buildControlPlane(input: ControlPlaneInput, diags: Diagnostics): ControlPlaneSpec {
  const options: ControllerOptions = {
    priorityClasses: input.kept.filter((o) => o.kind === "PriorityClass"),
    ...(input.deploymentEvents !== undefined ? { deploymentEvents: input.deploymentEvents } : {}),
  };
  const existing = new Set([...BUILT_IN_NAMESPACES, ...input.namespaces]);
  const makers: ((claims?: ClaimSink) => Controller)[] = [];
  const quotas: ResourceQuotaSpec[] = [];
  const limitRanges: LimitRangeSpec[] = [];
  const collect = (f: () => { warnings: readonly Diagnostic[] }): boolean => {
    try {
      for (const w of f().warnings) diags.add(w);
      return true;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const d of e.diagnostics) diags.add(d);
      return false;
    }
  };
  for (const obj of input.kept) {
    if (obj.kind === "ResourceQuota") {
      collect(() => {
        const r = readResourceQuota(obj);
        quotas.push(r.spec);
        return r;
      });
      continue;
    }
    if (obj.kind === "LimitRange") {
      collect(() => {
        const r = readLimitRange(obj);
        limitRanges.push(r.spec);
        return r;
      });
      continue;
    }
    const factory = CONTROLLER_KINDS.get(obj.kind);
    if (factory === undefined) continue;
    const owner = obj.metadata.ownerReferences.find((r) => r.controller);
    if (owner !== undefined) {
      diags.add({
        ...obj.source,
        path: joinMeta(obj.source.path, "ownerReferences"),
        severity: "warning",
        message: `controlled by ${owner.kind} ${owner.name}: not simulated on its own`,
      });
      continue;
    }
    const ok = collect(() => {
      const c = factory(obj, options);
      const warnings = (c as { warnings?: readonly Diagnostic[] }).warnings ?? [];
      return { warnings };
    });
    if (!ok) continue;
    makers.push((claims) => factory(obj, claims === undefined ? options : { ...options, claims }));
    if (!existing.has(obj.metadata.namespace)) {
      diags.add({
        ...obj.source,
        path: joinMeta(obj.source.path, "namespace"),
        severity: "warning",
        message: `namespace ${JSON.stringify(obj.metadata.namespace)} does not exist: its pods will be rejected (give a Namespace object)`,
      });
    }
  }
  return {
    controllers: (claims) => makers.map((m) => m(claims)),
    admission: { namespaces: [...input.namespaces], quotas, limitRanges },
  };
}

function joinMeta(path: string | undefined, field: string): string {
  return path ? `${path}.metadata.${field}` : `metadata.${field}`;
}

/** Decodes the control plane of `input`, throwing an InputError with every error. */
export function controlPlaneOf(input: ControlPlaneInput): ControlPlaneSpec {
  const diags = new Diagnostics();
  const spec = buildControlPlane(input, diags);
  if (diags.hasErrors) throw new InputError(diags.errors());
  return spec;
}
