/**
 * kube-scheduler v1.35's queueing hints: which cluster events move a pod out of the
 * unschedulable pods, decided by the plugins that rejected it (its "rejectors", upstream's
 * `UnschedulablePlugins`). The SchedulerQueueingHints feature gate is GA and locked on since
 * v1.34, so this is the only behaviour.
 *
 * - **Events** ({@link QueueEvent}): an assigned pod added (bound) or deleted, a node added,
 *   deleted or updated — one event per changed aspect, as upstream's
 *   `NodeSchedulingPropertiesChange` (spec.unschedulable true→false and taint changes are
 *   `UpdateNodeTaint`, allocatable `UpdateNodeAllocatable`, labels `UpdateNodeLabel`; cordoning
 *   emits nothing) — and storage objects added or updated (PersistentVolumeClaim,
 *   PersistentVolume, StorageClass, CSINode).
 * - **Registrations** ({@link REGISTRATIONS}): each plugin's `EventsToRegister` with its
 *   `QueueingHintFn`, as v1.35 has them (sources: pkg/scheduler/framework/plugins/…; the notes
 *   in docs/control-plane.md). As `buildQueueingHintMap` does, a plugin that registers Node/Add
 *   but not UpdateNodeTaint also gets Node/UpdateNodeTaint → Queue.
 * - **Decision** ({@link isPodWorthRequeuing}): a pod without rejectors (its cycle failed with
 *   an Error) moves on any event; otherwise it moves when some rejector has a registration
 *   matching the event whose hint says Queue (an OR over rejectors and events); else it stays
 *   until an event helps or the 5-minute flush.
 *
 * Approximations (documented in docs/control-plane.md): a node blocked only by nominated pods is
 * reported by the core as the pseudo-rejector `NominatedPods` (upstream names the plugin that
 * failed with them added), which moves on any assigned-pod event and node add/update; gantry's
 * GpuShare moves on assigned-pod deletions of GPU pods and on GPU nodes added or changed; a
 * rejector without registrations here (a plugin upstream would give the default extension)
 * moves on every event.
 */
import { NOMINATED_PODS_REJECTOR } from "../core/scheduler.ts";
import { nodeGpus, podGpuRequest } from "../model/gpu.ts";
import { nodeAllocatable, podRequests } from "../model/requests.ts";
import type { Labels, Node, Pod, Taint } from "../model/types.ts";
import { HostPortInfo, podHostPorts } from "../reference/framework/host-ports.ts";
import { NodeInfo } from "../reference/framework/node-info.ts";
import { RequiredNodeAffinity } from "../reference/helpers/node-selector.ts";
import { findMatchingUntoleratedTaint } from "../reference/helpers/tolerations.ts";
import {
  podAffinityInfo,
  podMatchesAllAffinityTerms,
} from "../reference/plugins/interpodaffinity/affinity-term.ts";
import { fitsRequest } from "../reference/plugins/noderesourcesfit/fits.ts";
import { filterConstraints } from "../reference/plugins/podtopologyspread/common.ts";
import { selectorMatches } from "../reference/plugins/podtopologyspread/label-selector.ts";
import { satisfiesVolumeConflicts } from "../reference/plugins/volumerestrictions/index.ts";
import { migratablePlugin, podVolumeClaimName } from "../reference/plugins/volumes/index.ts";

/** Upstream's ActionType bits (a node update carries exactly one of the Update* bits). */
export const Action = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  UpdateNodeTaint: 16,
  UpdatePodLabel: 128,
  /** A storage object's update (upstream's generic Update: every Update* bit). */
  Update: 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048,
} as const;

/** A storage object as the events carry it (the kept object's name, namespace and body). */
export interface StorageObject {
  readonly namespace: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A cluster event the scheduling queue hears. */
export type QueueEvent =
  | { readonly resource: "Pod"; readonly action: 1 | 2; readonly pod: Pod }
  | {
      readonly resource: "Node";
      readonly action: number;
      readonly node: Node;
      /** The node before an update (undefined for Add / Delete). */
      readonly old?: Node;
    }
  | {
      readonly resource: "PersistentVolumeClaim" | "PersistentVolume" | "StorageClass" | "CSINode";
      readonly action: number;
      readonly obj: StorageObject;
      readonly old?: StorageObject;
    };

/** A hint: whether `ev` may make `pod` schedulable (Queue) or not (QueueSkip). */
type Hint = (pod: Pod, ev: QueueEvent) => boolean;

interface Registration {
  readonly resource: QueueEvent["resource"];
  readonly actions: number;
  /** Absent: always Queue (upstream's defaultQueueingHintFn). */
  readonly hint?: Hint;
}

/**
 * The events of a node update (upstream `NodeSchedulingPropertiesChange`): one action per changed
 * aspect, in upstream's order. A node cordoned (unschedulable false→true) gives none from that
 * aspect.
 */
export function nodeUpdateActions(old: Node, node: Node): number[] {
  const out: number[] = [];
  if (old.spec.unschedulable && !node.spec.unschedulable) out.push(Action.UpdateNodeTaint);
  if (!sameResources(old, node)) out.push(Action.UpdateNodeAllocatable);
  if (!sameLabels(old.metadata.labels, node.metadata.labels)) out.push(Action.UpdateNodeLabel);
  if (!sameTaints(old.spec.taints, node.spec.taints)) out.push(Action.UpdateNodeTaint);
  return out;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return (
    a.length === b.length &&
    a.every((t, i) => t.key === b[i]?.key && t.value === b[i]?.value && t.effect === b[i]?.effect)
  );
}

function sameResources(a: Node, b: Node): boolean {
  const ra = a.status.allocatable;
  const rb = b.status.allocatable;
  if (ra.size !== rb.size) return false;
  for (const [k, q] of ra) {
    const o = rb.get(k);
    if (o === undefined || o.cmp(q) !== 0) return false;
  }
  return true;
}

// ---- per-plugin hints ---------------------------------------------------------------------

const assignedOrNominated = (p: Pod) =>
  p.spec.nodeName !== "" || (p.status.nominatedNodeName ?? "") !== "";

const NONE: ReadonlySet<string> = new Set();

/** NodeResourcesFit `isFit`: the pod fits the node with nothing on it (`fitsRequest`). */
function fitsEmptyNode(pod: Pod, node: Node): boolean {
  return fitsRequest(podRequests(pod), new NodeInfo(node), NONE, NONE).length === 0;
}

/** `haveAnyRequestedResourcesIncreased`. */
function requestedResourcesIncreased(pod: Pod, old: Node, node: Node): boolean {
  const o = nodeAllocatable(old);
  const n = nodeAllocatable(node);
  if (n.allowedPodNumber > o.allowedPodNumber) return true;
  const r = podRequests(pod);
  if (r.milliCPU > 0 && n.milliCPU > o.milliCPU) return true;
  if (r.memory > 0 && n.memory > o.memory) return true;
  if (r.ephemeralStorage > 0 && n.ephemeralStorage > o.ephemeralStorage) return true;
  for (const [name, v] of r.scalar) {
    if (v > 0 && (n.scalar.get(name) ?? 0) > (o.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

const fitPodDeleted: Hint = (_pod, ev) => ev.resource === "Pod" && assignedOrNominated(ev.pod);

const fitNodeChange: Hint = (pod, ev) => {
  if (ev.resource !== "Node" || !fitsEmptyNode(pod, ev.node)) return false;
  return ev.old === undefined || requestedResourcesIncreased(pod, ev.old, ev.node);
};

/** NodeAffinity (the scheduler's addedAffinity aside: gantry's default profile has none). */
const affinityNodeChange: Hint = (pod, ev) => {
  if (ev.resource !== "Node") return false;
  const required = new RequiredNodeAffinity(pod);
  if (!required.matches(ev.node)) return false;
  return ev.old === undefined || !required.matches(ev.old);
};

const nodeAdded: Hint = () => true;

const portsPodDeleted: Hint = (pod, ev) => {
  if (ev.resource !== "Pod" || !assignedOrNominated(ev.pod)) return false;
  const held = podHostPorts(ev.pod);
  if (held.length === 0) return false;
  const used = new HostPortInfo();
  for (const hp of held) used.add(hp.hostIP, hp.protocol, hp.hostPort);
  return podHostPorts(pod).some((want) =>
    used.checkConflict(want.hostIP, want.protocol, want.hostPort),
  );
};

const unschedulableNodeChange: Hint = (_pod, ev) => {
  if (ev.resource !== "Node") return false;
  if (ev.old === undefined) return !ev.node.spec.unschedulable;
  return ev.old.spec.unschedulable && !ev.node.spec.unschedulable;
};

const doNotSchedule = (t: Taint) => t.effect === "NoSchedule" || t.effect === "NoExecute";

const taintNodeChange: Hint = (pod, ev) => {
  if (ev.resource !== "Node") return false;
  const tol = pod.spec.tolerations;
  const was =
    ev.old === undefined ||
    findMatchingUntoleratedTaint(ev.old.spec.taints, tol, doNotSchedule) !== undefined;
  const is = findMatchingUntoleratedTaint(ev.node.spec.taints, tol, doNotSchedule) !== undefined;
  return was && !is;
};

/** PodTopologySpread's DoNotSchedule constraints (the system defaults never filter). */
function hardConstraints(pod: Pod) {
  try {
    return filterConstraints(
      pod.spec.topologySpreadConstraints,
      pod.metadata.labels,
      "DoNotSchedule",
    );
  } catch {
    return undefined;
  }
}

const spreadPodChange: Hint = (pod, ev) => {
  if (ev.resource !== "Pod") return false;
  const p = ev.pod;
  if (p.spec.nodeName === "" || p.metadata.namespace !== pod.metadata.namespace) return false;
  const cs = hardConstraints(pod);
  if (cs === undefined) return true; // an error is Queue upstream
  return cs.some((c) => selectorMatches(c.selector, p.metadata.labels));
};

const spreadNodeChange: Hint = (pod, ev) => {
  if (ev.resource !== "Node") return false;
  const cs = hardConstraints(pod);
  if (cs === undefined) return true;
  const matching = (n: Node) => cs.every((c) => Object.hasOwn(n.metadata.labels, c.topologyKey));
  // Add and Delete carry no old node.
  if (ev.old === undefined) return matching(ev.node);
  const was = matching(ev.old);
  const is = matching(ev.node);
  if (was !== is) return true;
  if (!is) return false;
  const old = ev.old;
  return (
    cs.some((c) => old.metadata.labels[c.topologyKey] !== ev.node.metadata.labels[c.topologyKey]) ||
    !sameTaints(old.spec.taints, ev.node.spec.taints)
  );
};

const interPodPodChange: Hint = (pod, ev) => {
  if (ev.resource !== "Pod" || ev.pod.spec.nodeName === "") return false;
  const info = podAffinityInfo(pod);
  if (ev.action === Action.Add)
    return podMatchesAllAffinityTerms(info.requiredAffinityTerms, ev.pod);
  return podMatchesAllAffinityTerms(info.requiredAntiAffinityTerms, ev.pod);
};

const interPodNodeChange: Hint = (pod, ev) => {
  if (ev.resource !== "Node") return false;
  const info = podAffinityInfo(pod);
  const has = (terms: typeof info.requiredAffinityTerms) =>
    terms.some((t) => Object.hasOwn(ev.node.metadata.labels, t.topologyKey));
  return has(info.requiredAffinityTerms) || has(info.requiredAntiAffinityTerms);
};

/** The claim names `pod`'s volumes use (generic ephemeral ones as `<pod>-<volume>`). */
function claimNames(pod: Pod, ephemeral: boolean): Set<string> {
  const out = new Set<string>();
  for (const v of pod.spec.volumes) {
    if (v.ephemeral && !ephemeral) continue;
    const name = podVolumeClaimName(pod, v);
    if (name !== undefined) out.add(name);
  }
  return out;
}

const claimOfPod =
  (ephemeral: boolean): Hint =>
  (pod, ev) =>
    ev.resource === "PersistentVolumeClaim" &&
    ev.obj.namespace === pod.metadata.namespace &&
    claimNames(pod, ephemeral).has(ev.obj.name);

const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);

const storageClassChange: Hint = (_pod, ev) =>
  ev.resource === "StorageClass" &&
  (ev.old === undefined || changed(ev.old.body.allowedTopologies, ev.obj.body.allowedTopologies));

const MIGRATED = "storage.alpha.kubernetes.io/migrated-plugins";
const annotationsOf = (o: StorageObject) =>
  ((o.body.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ??
    {}) as Record<string, string>;

const csiNodeChangeForBinding: Hint = (_pod, ev) =>
  ev.resource === "CSINode" &&
  (ev.old === undefined || annotationsOf(ev.old)[MIGRATED] !== annotationsOf(ev.obj)[MIGRATED]);

const wffcClassAdded: Hint = (_pod, ev) =>
  ev.resource === "StorageClass" && ev.obj.body.volumeBindingMode === "WaitForFirstConsumer";

const pvTopologyChange: Hint = (_pod, ev) => {
  if (ev.resource !== "PersistentVolume") return false;
  if (ev.old === undefined) return true;
  const zones = (o: StorageObject) => {
    const labels = ((o.body.metadata as { labels?: Labels } | undefined)?.labels ?? {}) as Labels;
    return Object.entries(labels)
      .filter(([k]) => k.endsWith("/zone") || k.endsWith("/region"))
      .sort();
  };
  return changed(zones(ev.old), zones(ev.obj));
};

const restrictionsPodDeleted: Hint = (pod, ev) => {
  if (ev.resource !== "Pod" || ev.pod.metadata.namespace !== pod.metadata.namespace) return false;
  if (!satisfiesVolumeConflicts(pod, [ev.pod])) return true;
  const mine = claimNames(pod, true);
  for (const name of claimNames(ev.pod, true)) if (mine.has(name)) return true;
  return false;
};

const limitsPodDeleted: Hint = (_pod, ev) =>
  ev.resource === "Pod" &&
  ev.pod.spec.nodeName !== "" &&
  ev.pod.spec.volumes.some(
    (v) =>
      v.persistentVolumeClaim !== undefined ||
      v.ephemeral ||
      migratablePlugin(v.source) !== undefined,
  );

const gpuPodDeleted: Hint = (_pod, ev) =>
  ev.resource === "Pod" && ev.pod.spec.nodeName !== "" && podGpuRequest(ev.pod) !== null;

const gpuNode: Hint = (_pod, ev) => ev.resource === "Node" && nodeGpus(ev.node).count > 0;

const NODE_CHANGES = Action.Add | Action.UpdateNodeAllocatable | Action.UpdateNodeLabel;

/** Each plugin's EventsToRegister (v1.35) with its hints. */
export const REGISTRATIONS: Readonly<Record<string, readonly Registration[]>> = {
  NodeResourcesFit: [
    { resource: "Pod", actions: Action.Delete, hint: fitPodDeleted },
    {
      resource: "Node",
      actions: Action.Add | Action.UpdateNodeAllocatable,
      hint: fitNodeChange,
    },
  ],
  NodeAffinity: [
    { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel, hint: affinityNodeChange },
  ],
  NodeName: [{ resource: "Node", actions: Action.Add, hint: nodeAdded }],
  NodePorts: [
    { resource: "Pod", actions: Action.Delete, hint: portsPodDeleted },
    { resource: "Node", actions: Action.Add, hint: nodeAdded },
  ],
  NodeUnschedulable: [
    {
      resource: "Node",
      actions: Action.Add | Action.UpdateNodeTaint,
      hint: unschedulableNodeChange,
    },
  ],
  TaintToleration: [
    { resource: "Node", actions: Action.Add | Action.UpdateNodeTaint, hint: taintNodeChange },
  ],
  PodTopologySpread: [
    {
      resource: "Pod",
      actions: Action.Add | Action.UpdatePodLabel | Action.Delete,
      hint: spreadPodChange,
    },
    {
      resource: "Node",
      actions: Action.Add | Action.Delete | Action.UpdateNodeLabel | Action.UpdateNodeTaint,
      hint: spreadNodeChange,
    },
  ],
  InterPodAffinity: [
    {
      resource: "Pod",
      actions: Action.Add | Action.UpdatePodLabel | Action.Delete,
      hint: interPodPodChange,
    },
    { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel, hint: interPodNodeChange },
  ],
  VolumeBinding: [
    { resource: "StorageClass", actions: Action.Add | Action.Update, hint: storageClassChange },
    {
      resource: "PersistentVolumeClaim",
      actions: Action.Add | Action.Update,
      hint: claimOfPod(true),
    },
    { resource: "PersistentVolume", actions: Action.Add | Action.Update },
    { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel },
    { resource: "CSINode", actions: Action.Add | Action.Update, hint: csiNodeChangeForBinding },
  ],
  VolumeZone: [
    { resource: "StorageClass", actions: Action.Add, hint: wffcClassAdded },
    { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel },
    {
      resource: "PersistentVolumeClaim",
      actions: Action.Add | Action.Update,
      hint: claimOfPod(false),
    },
    { resource: "PersistentVolume", actions: Action.Add | Action.Update, hint: pvTopologyChange },
  ],
  VolumeRestrictions: [
    { resource: "Pod", actions: Action.Delete, hint: restrictionsPodDeleted },
    { resource: "Node", actions: Action.Add },
    { resource: "PersistentVolumeClaim", actions: Action.Add, hint: claimOfPod(false) },
  ],
  NodeVolumeLimits: [
    { resource: "CSINode", actions: Action.Add | Action.Update },
    { resource: "Pod", actions: Action.Delete, hint: limitsPodDeleted },
    { resource: "PersistentVolumeClaim", actions: Action.Add, hint: claimOfPod(true) },
  ],
  GpuShare: [
    { resource: "Pod", actions: Action.Delete, hint: gpuPodDeleted },
    { resource: "Node", actions: NODE_CHANGES, hint: gpuNode },
  ],
  [NOMINATED_PODS_REJECTOR]: [
    { resource: "Pod", actions: Action.Add | Action.Delete },
    { resource: "Node", actions: NODE_CHANGES | Action.UpdateNodeTaint },
  ],
};

/** `buildQueueingHintMap`: Node/Add without UpdateNodeTaint also gets UpdateNodeTaint → Queue. */
const WITH_TAINT_FALLBACK: Readonly<Record<string, readonly Registration[]>> = Object.fromEntries(
  Object.entries(REGISTRATIONS).map(([name, regs]) => {
    const nodes = regs.filter((r) => r.resource === "Node");
    const addsNodes = nodes.some((r) => (r.actions & Action.Add) !== 0);
    const taints = nodes.some((r) => (r.actions & Action.UpdateNodeTaint) !== 0);
    return [
      name,
      addsNodes && !taints
        ? [...regs, { resource: "Node", actions: Action.UpdateNodeTaint } as Registration]
        : regs,
    ];
  }),
);

/** Whether `plugin` registered an event of `ev`'s resource and action (hints aside). */
export function registersFor(plugin: string, ev: QueueEvent): boolean {
  const regs = WITH_TAINT_FALLBACK[plugin];
  if (regs === undefined) return true;
  return regs.some((r) => r.resource === ev.resource && (r.actions & ev.action) !== 0);
}

/**
 * `isPodWorthRequeuing`: whether `ev` moves `pod`, rejected by `rejectors`, out of the
 * unschedulable pods.
 */
export function isPodWorthRequeuing(
  pod: Pod,
  rejectors: readonly string[],
  ev: QueueEvent,
): boolean {
  if (rejectors.length === 0) return true;
  for (const name of rejectors) {
    const regs = WITH_TAINT_FALLBACK[name];
    // A plugin without registrations here: upstream's default extension (every event, Queue).
    if (regs === undefined) return true;
    for (const r of regs) {
      if (r.resource !== ev.resource || (r.actions & ev.action) === 0) continue;
      if (r.hint === undefined || r.hint(pod, ev)) return true;
    }
  }
  return false;
}
