/**
 * The StatefulSet controller (upstream `pkg/controller/statefulset`), as far as it affects
 * placement, in simulated time.
 *
 * - Pods are `<set>-<ordinal>` for ordinals `[ordinals.start, ordinals.start + replicas)`, with
 *   the labels `controller-revision-hash` (`<set>-<template hash>`),
 *   `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`, and a controller
 *   owner reference (kind StatefulSet).
 * - **OrderedReady** (default): ordinal i+1 is created only once every lower ordinal is Running
 *   (Running counts as Ready: probes and `minReadySeconds` are not modelled); scale-down waits
 *   until every kept ordinal is Running, then deletes the highest ordinal and waits for it to be
 *   gone before deleting the next. **Parallel**: every missing ordinal is created and every
 *   condemned one deleted at once.
 * - A pod that ends — Succeeded, Failed (the kubelet would restart a StatefulSet pod's containers;
 *   here the pod is re-created), Deleted, Evicted, Preempted, NodeRemoved — is re-created with the
 *   same name (same claims).
 * - `volumeClaimTemplates`: before creating pod `<set>-<i>`, each template's claim
 *   `<template>-<set>-<i>` is handed to the {@link ClaimSink} (labels: the template's plus the
 *   selector's matchLabels), and the pod's volume of the template's name references it
 *   (replacing a template volume of that name, as upstream's `updateStorage`).
 *   `persistentVolumeClaimRetentionPolicy.whenScaled: Delete` deletes a condemned ordinal's claims
 *   once its pod is gone.
 * - Admission rejections (quota) are retried with the work queue's backoff.
 * - Not modelled: updateStrategy (the template never changes), minReadySeconds, serviceName
 *   (hostname/subdomain do not affect placement).
 */
import type { Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import { deriveUid } from "../../manifest/meta.ts";
import { INT32_MAX } from "../../manifest/scheduling.ts";
import { checkFormat, dns1123SubdomainErrors } from "../../manifest/validation.ts";
import type { KeptObject, LabelSelector, ObjectMeta, Pod, Volume } from "../../model/types.ts";
import type { Controller, ControlPlaneApi, PodEnd } from "./api.ts";
import type { ClaimSink } from "./claims.ts";
import {
  controllerRef,
  createOwnedPod,
  decodeObject,
  decodePodTemplate,
  describe,
  type PodTemplate,
  readWorkloadSelector,
  SyncLoop,
  stampPod,
  type WorkloadOptions,
} from "./workload.ts";

export const REVISION_HASH_LABEL = "controller-revision-hash";
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** One `volumeClaimTemplates` entry. */
export interface ClaimTemplate {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The template's `spec`, as written. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Field path of the template, e.g. `spec.volumeClaimTemplates[0]`. */
  readonly path: string;
}

/** A decoded, validated StatefulSet. */
export interface StatefulSetSpec {
  readonly metadata: ObjectMeta;
  readonly replicas: number;
  readonly podManagementPolicy: "OrderedReady" | "Parallel";
  readonly ordinalsStart: number;
  readonly selector?: LabelSelector;
  readonly template: PodTemplate;
  readonly claimTemplates: readonly ClaimTemplate[];
  readonly deleteClaimsWhenScaled: boolean;
}

/** Options of {@link StatefulSetController}. */
export interface StatefulSetOptions extends WorkloadOptions {
  /** Receives the `volumeClaimTemplates` claims; without it they are not created anywhere. */
  readonly claims?: ClaimSink;
}

function readClaimTemplates(field: Field): ClaimTemplate[] {
  const out: ClaimTemplate[] = [];
  const seen = new Set<string>();
  for (const item of field.list()) {
    const t = item.object();
    const meta = t.get("metadata").object();
    const nameField = meta.get("name");
    const name = nameField.requiredString();
    if (name) {
      checkFormat(nameField, name, "name", dns1123SubdomainErrors);
      if (seen.has(name))
        nameField.error(`duplicate volume claim template ${JSON.stringify(name)}`);
      seen.add(name);
    }
    const specField = t.get("spec").object();
    const spec = (specField.value ?? {}) as Record<string, unknown>;
    out.push({
      name,
      labels: meta.get("labels").stringMap(),
      annotations: meta.get("annotations").stringMap(),
      spec,
      path: item.path,
    });
  }
  return out;
}

/** Decodes the StatefulSet at `root` (its metadata already decoded as `meta`). */
export function readStatefulSet(
  root: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions = {},
): StatefulSetSpec {
  const spec = root.get("spec").object();
  if (!spec.present) spec.error("required");
  const replicas = spec.get("replicas").intInRange(0, INT32_MAX) ?? 1;
  const podManagementPolicy =
    spec.get("podManagementPolicy").oneOf(["OrderedReady", "Parallel"] as const) ?? "OrderedReady";
  const ordinalsStart = spec.get("ordinals").object().get("start").intInRange(0, INT32_MAX) ?? 0;
  const templateField = spec.get("template");
  const template = decodePodTemplate(templateField, meta, diags, options);
  templateField
    .get("spec")
    .get("restartPolicy")
    .oneOf(["Always"] as const);
  const selector = readWorkloadSelector(spec, template.pod);
  const claimTemplates = readClaimTemplates(spec.get("volumeClaimTemplates"));
  const retention = spec.get("persistentVolumeClaimRetentionPolicy").object();
  retention.get("whenDeleted").oneOf(["Retain", "Delete"] as const);
  const whenScaled = retention.get("whenScaled").oneOf(["Retain", "Delete"] as const) ?? "Retain";
  return {
    metadata: meta,
    replicas,
    podManagementPolicy,
    ordinalsStart,
    ...(selector ? { selector } : {}),
    template,
    claimTemplates,
    deleteClaimsWhenScaled: whenScaled === "Delete",
  };
}

/** One ordinal's live pod. */
interface Member {
  readonly key: string;
  running: boolean;
  terminating: boolean;
}

/** Drives one StatefulSet. */
export class StatefulSetController implements Controller {
  readonly spec: StatefulSetSpec;
  private replicas: number;
  private readonly claims: ClaimSink | undefined;
  private readonly owner: string;
  private readonly loop = new SyncLoop(() => this.sync());
  private api!: ControlPlaneApi;
  /** Ordinal → its live pod. */
  private readonly members = new Map<number, Member>();
  private readonly ordinalOf = new Map<string, number>();
  /** Ordinal → how many pods of that name were created (for distinct uids). */
  private readonly incarnations = new Map<number, number>();

  /** Decodes `obj` (throws an InputError naming every invalid field). */
  constructor(obj: KeptObject, options: StatefulSetOptions = {}) {
    this.spec = decodeObject(obj, (root, diags) =>
      readStatefulSet(root, obj.metadata, diags, options),
    ).value;
    this.replicas = this.spec.replicas;
    this.claims = options.claims;
    this.owner = describe("StatefulSet", obj.metadata);
  }

  /** The desired replica count (changed by {@link scale}). */
  get desiredReplicas(): number {
    return this.replicas;
  }

  /** Live pods and how many of them are Running. */
  get status(): { readonly replicas: number; readonly readyReplicas: number } {
    let ready = 0;
    for (const m of this.members.values()) if (m.running) ready++;
    return { replicas: this.members.size, readyReplicas: ready };
  }

  /** Changes `spec.replicas` (a `kubectl scale`). */
  scale(replicas: number): void {
    if (!Number.isSafeInteger(replicas) || replicas < 0) {
      throw new RangeError(`${this.owner}: replicas ${replicas} must be an integer ≥ 0`);
    }
    this.replicas = replicas;
    this.loop.request();
  }

  start(api: ControlPlaneApi): void {
    this.api = api;
    this.loop.start(api);
    this.loop.request();
  }

  podBound(key: string): void {
    const ord = this.ordinalOf.get(key);
    if (ord === undefined) return;
    const m = this.members.get(ord);
    if (m && m.key === key) m.running = true;
    this.loop.request();
  }

  podEnded(key: string, _pod: Pod, _end: PodEnd): void {
    const ord = this.ordinalOf.get(key);
    if (ord === undefined) return;
    this.ordinalOf.delete(key);
    const m = this.members.get(ord);
    if (m && m.key === key) this.members.delete(ord);
    if (!this.wanted(ord) && this.spec.deleteClaimsWhenScaled && this.claims?.deleteClaim) {
      for (const t of this.spec.claimTemplates) {
        this.claims.deleteClaim(this.spec.metadata.namespace, this.claimName(t, ord));
      }
    }
    this.loop.request();
  }

  private wanted(ord: number): boolean {
    return ord >= this.spec.ordinalsStart && ord < this.spec.ordinalsStart + this.replicas;
  }

  private sync(): void {
    const ordered = this.spec.podManagementPolicy === "OrderedReady";
    const first = this.spec.ordinalsStart;
    for (let ord = first; ord < first + this.replicas; ord++) {
      const m = this.members.get(ord);
      if (m === undefined) {
        if (!this.create(ord)) {
          this.loop.failed();
          return;
        }
        if (ordered) return;
      } else if (ordered && (!m.running || m.terminating)) return;
    }
    this.loop.succeeded();
    const condemned = [...this.members.keys()].filter((o) => !this.wanted(o)).sort((a, b) => b - a);
    for (const ord of condemned) {
      const m = this.members.get(ord)!;
      if (ordered && m.terminating) return;
      if (!m.terminating) this.remove(ord, m);
      if (ordered) return;
    }
  }

  private remove(ord: number, m: Member): void {
    m.terminating = true;
    if (!this.api.deletePod(m.key) && this.members.get(ord) === m) {
      this.members.delete(ord);
      this.ordinalOf.delete(m.key);
      this.loop.request();
    }
  }

  private claimName(t: ClaimTemplate, ord: number): string {
    return `${t.name}-${this.spec.metadata.name}-${ord}`;
  }

  /** Ensures the claims and creates pod `ord`; false when admission rejected it. */
  private create(ord: number): boolean {
    const { metadata: meta, template } = this.spec;
    const name = `${meta.name}-${ord}`;
    const volumes: Volume[] = [...template.pod.spec.volumes];
    for (const t of this.spec.claimTemplates) {
      const claimName = this.claimName(t, ord);
      this.claims?.ensureClaim(this.claim(t, claimName));
      const v: Volume = {
        name: t.name,
        persistentVolumeClaim: { claimName, readOnly: false },
        ephemeral: false,
        source: "persistentVolumeClaim",
      };
      const i = volumes.findIndex((x) => x.name === t.name);
      if (i >= 0) volumes[i] = v;
      else volumes.push(v);
    }
    const incarnation = this.incarnations.get(ord) ?? 0;
    this.incarnations.set(ord, incarnation + 1);
    const pod = stampPod(template.pod, {
      name,
      incarnation,
      labels: {
        [REVISION_HASH_LABEL]: `${meta.name}-${template.hash}`,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ord),
      },
      owner: controllerRef("apps/v1", "StatefulSet", meta),
      ...(this.spec.claimTemplates.length > 0 ? { spec: { volumes } } : {}),
    });
    const result = createOwnedPod(this.api, this.owner, pod, template.duration);
    if (!result.ok) return false;
    this.members.set(ord, { key: result.key, running: false, terminating: false });
    this.ordinalOf.set(result.key, ord);
    return true;
  }

  /** The PersistentVolumeClaim of template `t` for one ordinal. */
  private claim(t: ClaimTemplate, name: string): KeptObject {
    const { namespace } = this.spec.metadata;
    const labels = { ...t.labels, ...(this.spec.selector?.matchLabels ?? {}) };
    const metadata: ObjectMeta = {
      name,
      namespace,
      uid: deriveUid("PersistentVolumeClaim", namespace, name),
      labels,
      annotations: t.annotations,
      ownerReferences: [],
    };
    return {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata,
      body: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name, namespace, labels, annotations: t.annotations },
        spec: t.spec,
      },
      source: { ...this.spec.template.pod.source, path: t.path },
    };
  }
}
