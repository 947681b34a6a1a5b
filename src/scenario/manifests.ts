/**
 * Kubernetes manifests as scenario input: sorting the loaded objects (read by
 * `src/manifest/load.ts` `addManifestFiles`) into what a simulation needs.
 *
 * - Nodes are the cluster at time 0.
 * - Pods with `spec.nodeName` are bound at time 0 (`boundPods`); their node must be in the
 *   cluster. The others arrive at `gantry.dev/arrival` (a Go duration from the start; default 0),
 *   in that order (ties keep input order).
 * - Every pod runs for `gantry.dev/duration` once bound (a Go duration, or `never`, the default).
 * - Terminated pods (`status.phase` Succeeded or Failed) are skipped, as kube-scheduler's informer
 *   skips them, with one warning.
 * - Namespaces and the kept kinds (PriorityClasses, PodDisruptionBudgets, Services, …) pass
 *   through as `objects`; the loaders turn workload controllers, ResourceQuotas and LimitRanges
 *   into the run's control plane (`src/sim/controlplane/index.ts`).
 */
import { type Diagnostics, joinPath, type Location } from "../diagnostics.ts";
import { keySegment } from "../manifest/field.ts";
import type { LoadResult } from "../manifest/index.ts";
import type { Node, Pod } from "../model/types.ts";
import type { ClusterObjects } from "../reference/framework/snapshot.ts";
import { ARRIVAL_ANNOTATION, DURATION_ANNOTATION, type PodArrival } from "../sim/types.ts";
import { parseDuration, parseRunTime } from "./duration.ts";

/** The location of annotation `key` of an object read from `source`. */
function annotationAt(source: Location, key: string): Location {
  return { ...source, path: joinPath(source.path, `metadata.annotations${keySegment(key)}`) };
}

/**
 * A pod's run time from its `gantry.dev/duration` annotation (+∞ when absent); reports a malformed
 * value to `diags` and returns +∞.
 */
export function podRunTime(pod: Pod, diags: Diagnostics): number {
  const text = pod.metadata.annotations[DURATION_ANNOTATION];
  if (text === undefined) return Number.POSITIVE_INFINITY;
  const s = parseRunTime(text);
  if (s !== undefined) return s;
  diags.add({
    ...annotationAt(pod.source, DURATION_ANNOTATION),
    severity: "error",
    message: `${JSON.stringify(text)} is not a valid duration (a non-negative Go duration such as "90s" or "1h30m", or never)`,
  });
  return Number.POSITIVE_INFINITY;
}

/** A pod's arrival time from its `gantry.dev/arrival` annotation (0 when absent). */
export function podArrivalTime(pod: Pod, diags: Diagnostics): number {
  const text = pod.metadata.annotations[ARRIVAL_ANNOTATION];
  if (text === undefined) return 0;
  const s = parseDuration(text);
  if (s !== undefined && s >= 0) return s;
  diags.add({
    ...annotationAt(pod.source, ARRIVAL_ANNOTATION),
    severity: "error",
    message: `${JSON.stringify(text)} is not a valid arrival time (a non-negative Go duration from the start, such as "90s" or "1h30m")`,
  });
  return 0;
}

/** Loaded manifests, sorted for a simulation. */
export interface ClassifiedManifests {
  readonly nodes: readonly Node[];
  readonly boundPods: readonly PodArrival[];
  /** Pending pods by arrival time. */
  readonly pods: readonly PodArrival[];
  readonly objects: ClusterObjects;
}

/**
 * Sorts a load result per the module comment. `clusterNodes` names every node in the cluster at
 * time 0 (the result's Nodes and any generated ones), for checking bound pods.
 */
export function classifyManifests(
  result: LoadResult,
  clusterNodes: ReadonlySet<string>,
  diags: Diagnostics,
): ClassifiedManifests {
  const boundPods: PodArrival[] = [];
  const pending: PodArrival[] = [];
  let terminated = 0;
  let firstTerminated: Location | undefined;
  for (const pod of result.pods) {
    const phase = pod.status.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      terminated++;
      firstTerminated ??= pod.source;
      continue;
    }
    const duration = podRunTime(pod, diags);
    const name = pod.metadata.name;
    const nodeName = pod.spec.nodeName;
    if (nodeName !== "") {
      if (!clusterNodes.has(nodeName)) {
        diags.add({
          ...pod.source,
          path: joinPath(pod.source.path, "spec.nodeName"),
          severity: "error",
          message: `no node named ${JSON.stringify(nodeName)} in the cluster`,
        });
      }
      if (pod.metadata.annotations[ARRIVAL_ANNOTATION] !== undefined) {
        diags.add({
          ...annotationAt(pod.source, ARRIVAL_ANNOTATION),
          severity: "warning",
          message: "ignored: the pod is bound (spec.nodeName), so it runs from time 0",
        });
      }
      boundPods.push({ time: 0, template: pod, duration, name });
      continue;
    }
    pending.push({ time: podArrivalTime(pod, diags), template: pod, duration, name });
  }
  if (terminated > 0 && firstTerminated !== undefined) {
    diags.add({
      ...firstTerminated,
      severity: "warning",
      message: `terminated pod (status.phase Succeeded or Failed) skipped${terminated > 1 ? ` (${terminated} pods)` : ""}`,
    });
  }
  // Array.prototype.sort is stable: equal times keep input order.
  pending.sort((a, b) => a.time - b.time);
  return {
    nodes: result.nodes,
    boundPods,
    pods: pending,
    objects: { namespaces: result.namespaces, kept: result.kept },
  };
}
