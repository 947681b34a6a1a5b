/**
 * The DaemonSet controller (upstream `pkg/controller/daemon`), as far as it affects placement.
 *
 * - One pod per eligible node, as upstream's `NodeShouldRunDaemonPod`: the template's
 *   `nodeSelector` and required node affinity (and `spec.nodeName`, when set) match the node, and
 *   the pod — with the DaemonSet tolerations added — tolerates the node's NoSchedule and NoExecute
 *   taints. A node the pod should not run on but whose taints it tolerates for NoExecute keeps an
 *   existing pod (`shouldContinueRunning`); otherwise the pod is deleted.
 * - Each pod goes through the scheduler with required node affinity `matchFields metadata.name In
 *   [node]` replacing the template's required terms (`ReplaceDaemonSetPodNodeNameNodeAffinity`),
 *   and the tolerations of `AddOrUpdateDaemonPodTolerations`: not-ready and unreachable
 *   (NoExecute), disk-pressure, memory-pressure, pid-pressure, unschedulable (NoSchedule), and
 *   network-unavailable (NoSchedule) for hostNetwork pods, each Exists without tolerationSeconds.
 * - Pods are `<set>-<5 random characters>` from `api.random("DaemonSet <ns>/<name>")`, labelled
 *   `controller-revision-hash` and `pod-template-generation: "1"`, owned by the DaemonSet.
 * - Follows nodes: added, removed, changed (labels, taints) — at the instant of the change. A pod
 *   that ended (any {@link PodEnd}) is re-created while its node is still eligible; upstream's
 *   failed-pod backoff is not modelled. Admission rejections are retried with the work queue's
 *   backoff.
 * - Not modelled: updateStrategy (the template never changes), minReadySeconds.
 */
import type { Diagnostics } from "../../diagnostics.ts";
import type { Field } from "../../manifest/field.ts";
import type {
  Affinity,
  KeptObject,
  LabelSelector,
  Node,
  ObjectMeta,
  Pod,
  Toleration,
} from "../../model/types.ts";
import { OBJECT_NAME_FIELD, RequiredNodeAffinity } from "../../reference/helpers/node-selector.ts";
import { findMatchingUntoleratedTaint } from "../../reference/helpers/tolerations.ts";
import type { Controller, ControlPlaneApi, PodEnd } from "./api.ts";
import { REVISION_HASH_LABEL } from "./statefulset.ts";
import {
  controllerRef,
  createOwnedPod,
  decodeObject,
  decodePodTemplate,
  describe,
  generateName,
  type PodTemplate,
  readWorkloadSelector,
  SyncLoop,
  stampPod,
  type WorkloadOptions,
} from "./workload.ts";

export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";

/** A decoded, validated DaemonSet. */
export interface DaemonSetSpec {
  readonly metadata: ObjectMeta;
  readonly selector?: LabelSelector;
  readonly template: PodTemplate;
}

/** Decodes the DaemonSet at `root` (its metadata already decoded as `meta`). */
export function readDaemonSet(
  root: Field,
  meta: ObjectMeta,
  diags: Diagnostics,
  options: WorkloadOptions = {},
): DaemonSetSpec {
  const spec = root.get("spec").object();
  if (!spec.present) spec.error("required");
  const templateField = spec.get("template");
  const template = decodePodTemplate(templateField, meta, diags, options);
  templateField
    .get("spec")
    .get("restartPolicy")
    .oneOf(["Always"] as const);
  const selector = readWorkloadSelector(spec, template.pod);
  return { metadata: meta, ...(selector ? { selector } : {}), template };
}

function exists(key: string, effect: Toleration["effect"]): Toleration {
  return { key, operator: "Exists", value: "", effect };
}

/** `AddOrUpdateTolerationInPodSpec`: replaces a toleration matching on key, operator, value and effect, else appends. */
function addOrUpdate(tolerations: Toleration[], t: Toleration): void {
  const i = tolerations.findIndex(
    (x) =>
      x.key === t.key && x.operator === t.operator && x.value === t.value && x.effect === t.effect,
  );
  if (i >= 0) tolerations[i] = t;
  else tolerations.push(t);
}

/** The template's tolerations plus upstream's `AddOrUpdateDaemonPodTolerations`. */
export function daemonPodTolerations(pod: Pod): Toleration[] {
  const out = [...pod.spec.tolerations];
  addOrUpdate(out, exists("node.kubernetes.io/not-ready", "NoExecute"));
  addOrUpdate(out, exists("node.kubernetes.io/unreachable", "NoExecute"));
  addOrUpdate(out, exists("node.kubernetes.io/disk-pressure", "NoSchedule"));
  addOrUpdate(out, exists("node.kubernetes.io/memory-pressure", "NoSchedule"));
  addOrUpdate(out, exists("node.kubernetes.io/pid-pressure", "NoSchedule"));
  addOrUpdate(out, exists("node.kubernetes.io/unschedulable", "NoSchedule"));
  if (pod.spec.hostNetwork) {
    addOrUpdate(out, exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
  }
  return out;
}

/** `ReplaceDaemonSetPodNodeNameNodeAffinity`: required node affinity = exactly `metadata.name In [node]`. */
export function daemonPodAffinity(affinity: Affinity | undefined, node: string): Affinity {
  const required = {
    nodeSelectorTerms: [
      {
        matchExpressions: [],
        matchFields: [{ key: OBJECT_NAME_FIELD, operator: "In" as const, values: [node] }],
      },
    ],
  };
  return {
    ...affinity,
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution:
        affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
      requiredDuringSchedulingIgnoredDuringExecution: required,
    },
  };
}

/** One node's daemon pod. */
interface Member {
  readonly key: string;
  readonly node: string;
  running: boolean;
  terminating: boolean;
}

/** Drives one DaemonSet. */
export class DaemonSetController implements Controller {
  readonly spec: DaemonSetSpec;
  private readonly owner: string;
  private readonly tolerations: readonly Toleration[];
  private readonly affinity: RequiredNodeAffinity;
  private readonly loop = new SyncLoop(() => this.sync());
  private api!: ControlPlaneApi;
  private rng!: { next(): number };
  /** Node name → its daemon pod. */
  private readonly members = new Map<string, Member>();
  private readonly byKey = new Map<string, Member>();

  /** Decodes `obj` (throws an InputError naming every invalid field). */
  constructor(obj: KeptObject, options: WorkloadOptions = {}) {
    this.spec = decodeObject(obj, (root, diags) =>
      readDaemonSet(root, obj.metadata, diags, options),
    ).value;
    this.owner = describe("DaemonSet", obj.metadata);
    this.tolerations = daemonPodTolerations(this.spec.template.pod);
    this.affinity = new RequiredNodeAffinity(this.spec.template.pod);
  }

  /** Nodes with a daemon pod, and how many of those pods are Running. */
  get status(): { readonly currentNumberScheduled: number; readonly numberReady: number } {
    let ready = 0;
    for (const m of this.members.values()) if (m.running) ready++;
    return { currentNumberScheduled: this.members.size, numberReady: ready };
  }

  /**
   * `NodeShouldRunDaemonPod`: whether a daemon pod should be created on `node`, and whether an
   * existing one may keep running there.
   */
  shouldRun(node: Node): { readonly run: boolean; readonly continueRunning: boolean } {
    const nodeName = this.spec.template.pod.spec.nodeName;
    if ((nodeName !== "" && nodeName !== node.metadata.name) || !this.affinity.matches(node)) {
      return { run: false, continueRunning: false };
    }
    const taints = node.spec.taints;
    const blocking = findMatchingUntoleratedTaint(
      taints,
      this.tolerations,
      (t) => t.effect === "NoSchedule" || t.effect === "NoExecute",
    );
    if (blocking === undefined) return { run: true, continueRunning: true };
    const evicting = findMatchingUntoleratedTaint(
      taints,
      this.tolerations,
      (t) => t.effect === "NoExecute",
    );
    return { run: false, continueRunning: evicting === undefined };
  }

  start(api: ControlPlaneApi): void {
    this.api = api;
    const { namespace, name } = this.spec.metadata;
    this.rng = api.random(`DaemonSet ${namespace}/${name}`);
    this.loop.start(api);
    this.loop.request();
  }

  podBound(key: string): void {
    const m = this.byKey.get(key);
    if (m) m.running = true;
  }

  podEnded(key: string, _pod: Pod, _end: PodEnd): void {
    const m = this.byKey.get(key);
    if (m === undefined) return;
    this.byKey.delete(key);
    if (this.members.get(m.node) === m) this.members.delete(m.node);
    this.loop.request();
  }

  nodeAdded(): void {
    this.loop.request();
  }

  nodeRemoved(): void {
    this.loop.request();
  }

  nodeChanged(): void {
    this.loop.request();
  }

  private sync(): void {
    const present = new Set<string>();
    for (const node of this.api.nodes()) {
      const name = node.metadata.name;
      present.add(name);
      const { run, continueRunning } = this.shouldRun(node);
      const m = this.members.get(name);
      if (m !== undefined) {
        if (!continueRunning && !m.terminating) this.remove(m);
      } else if (run && !this.create(name)) {
        this.loop.failed();
        return;
      }
    }
    this.loop.succeeded();
    for (const m of [...this.members.values()]) {
      if (!present.has(m.node) && !m.terminating) this.remove(m);
    }
  }

  private remove(m: Member): void {
    m.terminating = true;
    if (!this.api.deletePod(m.key) && this.byKey.get(m.key) === m) {
      this.byKey.delete(m.key);
      this.members.delete(m.node);
      this.loop.request();
    }
  }

  /** Creates the daemon pod for `node`; false when admission rejected it. */
  private create(node: string): boolean {
    const { metadata: meta, template } = this.spec;
    const base = template.pod;
    let name: string;
    do name = generateName(`${meta.name}-`, this.rng);
    while (this.byKey.has(`${meta.namespace}/${name}`));
    const pod = stampPod(base, {
      name,
      labels: { [REVISION_HASH_LABEL]: template.hash, [TEMPLATE_GENERATION_LABEL]: "1" },
      owner: controllerRef("apps/v1", "DaemonSet", meta),
      spec: {
        affinity: daemonPodAffinity(base.spec.affinity, node),
        tolerations: this.tolerations,
      },
    });
    const result = createOwnedPod(this.api, this.owner, pod, template.duration);
    if (!result.ok) return false;
    const m: Member = { key: result.key, node, running: false, terminating: false };
    this.members.set(node, m);
    this.byKey.set(result.key, m);
    return true;
  }
}
