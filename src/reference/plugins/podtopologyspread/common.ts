/**
 * PodTopologySpread's shared pieces (semantics §4.9 "Constraint preparation" and "Counting";
 * upstream `podtopologyspread/common.go`, `plugin.go` `getConstraints`, and
 * `plugins/helper/spread.go` `DefaultSelector`).
 */
import type {
  KeptObject,
  Labels,
  Node,
  Pod,
  TopologySpreadConstraint,
} from "../../../model/types.ts";
import type { Snapshot } from "../../framework/snapshot.ts";
import type { RequiredNodeAffinity } from "../../helpers/node-selector.ts";
import { findMatchingUntoleratedTaint } from "../../helpers/tolerations.ts";
import {
  addRequirements,
  isEmptySelector,
  labelSelectorAsSelector,
  rawLabelSelector,
  requirementsOf,
  type Selector,
  selectorFromSet,
  selectorMatches,
} from "./label-selector.ts";

/** `v1.LabelHostname`: constraints on it are counted per node at Score time (§4.9 PreScore). */
export const LABEL_HOSTNAME = "kubernetes.io/hostname";

export type WhenUnsatisfiable = TopologySpreadConstraint["whenUnsatisfiable"];
export type NodeInclusionPolicy = "Honor" | "Ignore";

/** A constraint with its selector parsed and its optional fields defaulted (upstream `topologySpreadConstraint`). */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  /** Defaults to 1. */
  readonly minDomains: number;
  /** Defaults to Honor. */
  readonly nodeAffinityPolicy: NodeInclusionPolicy;
  /** Defaults to Ignore. */
  readonly nodeTaintsPolicy: NodeInclusionPolicy;
}

/**
 * `filterTopologySpreadConstraints`: the constraints with the given `whenUnsatisfiable`, each with
 * its selector converted (nil → Nothing, `{}` → Everything) and, for every `matchLabelKeys` key
 * present on the pod, `key = <pod's value>` ANDed in front of the selector's requirements (a
 * Nothing selector stays Nothing — upstream's `mergeLabelSetWithSelector` returns it unchanged).
 * Throws on an invalid selector.
 */
export function filterConstraints(
  constraints: readonly TopologySpreadConstraint[],
  podLabels: Labels,
  action: WhenUnsatisfiable,
): SpreadConstraint[] {
  const result: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorAsSelector(c.labelSelector);
    if (typeof selector === "string") throw new Error(selector);
    if (c.matchLabelKeys.length > 0) {
      const matchLabels: Record<string, string> = {};
      for (const key of c.matchLabelKeys) {
        const value = podLabels[key];
        if (value !== undefined && Object.hasOwn(podLabels, key)) matchLabels[key] = value;
      }
      if (Object.keys(matchLabels).length > 0) {
        const existing = requirementsOf(selector);
        if (existing !== undefined)
          selector = addRequirements(selectorFromSet(matchLabels), existing);
      }
    }
    result.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? "Honor",
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? "Ignore",
    });
  }
  return result;
}

/** `metav1.GetControllerOf`: the owner reference with `controller: true`, if any. */
function controllerOf(pod: Pod) {
  return pod.metadata.ownerReferences.find((r) => r.controller);
}

function keptByName(
  snapshot: Snapshot,
  kind: "ReplicaSet" | "StatefulSet",
  namespace: string,
  name: string,
): KeptObject | undefined {
  return snapshot
    .objectsOf(kind)
    .find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
}

function specOf(o: KeptObject): Record<string, unknown> | undefined {
  const spec = o.body.spec;
  return typeof spec === "object" && spec !== null && !Array.isArray(spec)
    ? (spec as Record<string, unknown>)
    : undefined;
}

/**
 * `helper.DefaultSelector` (semantics §4.9): the union of the `spec.selector` maps of every Service
 * in the pod's namespace whose (non-nil) selector matches the pod's labels, as a set selector;
 * then, if the pod's controller owner reference is `apps/v1` ReplicaSet or StatefulSet and that
 * object exists in the pod's namespace, its `spec.selector` (a LabelSelector; ignored when invalid
 * or nil) ANDed in. The controller is found by the owner reference, not by its selector.
 * ReplicationControllers (`v1`) are not modelled by the snapshot and contribute nothing.
 */
export function defaultSelector(pod: Pod, snapshot: Snapshot): Selector {
  const labelSet: Record<string, string> = {};
  for (const svc of snapshot.objectsOf("Service")) {
    if (svc.metadata.namespace !== pod.metadata.namespace) continue;
    const raw = specOf(svc)?.selector;
    // Services with nil selectors match nothing, not everything.
    if (raw === undefined || raw === null || typeof raw !== "object" || Array.isArray(raw))
      continue;
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) set[k] = String(v);
    if (selectorMatches(selectorFromSet(set), pod.metadata.labels)) Object.assign(labelSet, set);
  }
  let selector = selectorFromSet(labelSet);

  const owner = controllerOf(pod);
  if (!owner) return selector;
  if (owner.apiVersion !== "apps/v1") return selector;
  if (owner.kind !== "ReplicaSet" && owner.kind !== "StatefulSet") return selector;
  const controller = keptByName(snapshot, owner.kind, pod.metadata.namespace, owner.name);
  if (!controller) return selector;
  const ls = rawLabelSelector(specOf(controller)?.selector);
  if (typeof ls === "string") return selector;
  const other = labelSelectorAsSelector(ls);
  if (typeof other === "string") return selector;
  const reqs = requirementsOf(other);
  if (reqs !== undefined) selector = addRequirements(selector, reqs);
  return selector;
}

/**
 * `buildDefaultConstraints`: the default constraints with the given `whenUnsatisfiable`, each
 * with the {@link defaultSelector} as its selector — none when that selector is empty (the pod is
 * selected by no Service/ReplicaSet/StatefulSet).
 */
export function buildDefaultConstraints(
  defaults: readonly TopologySpreadConstraint[],
  pod: Pod,
  snapshot: Snapshot,
  action: WhenUnsatisfiable,
): SpreadConstraint[] {
  const constraints = filterConstraints(defaults, pod.metadata.labels, action);
  if (constraints.length === 0) return [];
  const selector = defaultSelector(pod, snapshot);
  if (isEmptySelector(selector)) return [];
  return constraints.map((c) => ({ ...c, selector }));
}

/** True iff the node carries every constraint's topology key (`nodeLabelsMatchSpreadConstraints`). */
export function nodeLabelsMatchSpreadConstraints(
  nodeLabels: Labels,
  constraints: readonly SpreadConstraint[],
): boolean {
  return constraints.every((c) => Object.hasOwn(nodeLabels, c.topologyKey));
}

/**
 * `matchNodeInclusionPolicies` (§4.9): with `nodeAffinityPolicy: Honor` the node must match the
 * pod's nodeSelector + required node affinity (parse errors ignored); with `nodeTaintsPolicy:
 * Honor` the pod must tolerate every NoSchedule/NoExecute taint of the node.
 */
export function matchNodeInclusionPolicies(
  c: SpreadConstraint,
  pod: Pod,
  node: Node,
  required: RequiredNodeAffinity,
): boolean {
  if (c.nodeAffinityPolicy === "Honor" && !required.matches(node)) return false;
  if (c.nodeTaintsPolicy === "Honor") {
    const untolerated = findMatchingUntoleratedTaint(
      node.spec.taints,
      pod.spec.tolerations,
      (t) => t.effect === "NoSchedule" || t.effect === "NoExecute",
    );
    if (untolerated !== undefined) return false;
  }
  return true;
}

/**
 * `countPodsMatchSelector` (§4.9 "Counting", §6): the pods in namespace `ns`, not terminating
 * (no `deletionTimestamp`), whose labels match the selector. An empty selector (`{}` →
 * `labels.Everything()`) counts 0.
 */
export function countPodsMatchSelector(
  pods: readonly Pod[],
  selector: Selector,
  ns: string,
): number {
  if (isEmptySelector(selector)) return 0;
  let count = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp !== undefined || p.metadata.namespace !== ns) continue;
    if (selectorMatches(selector, p.metadata.labels)) count++;
  }
  return count;
}
