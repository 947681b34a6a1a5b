/**
 * What `gantry validate` reports about a valid input: objects by kind, the nodes' total
 * allocatable, and the pods' total requests (kube-scheduler's effective requests, §2.1).
 */

import { nodeAllocatable, podRequests, type Resources } from "./requests.ts";
import type { KubeObject, Node, Pod } from "./types.ts";

/** Totals keyed by resource name: `cpu` in millicores, byte resources in bytes, others in units. */
export type ResourceTotals = Record<string, number>;

export interface ManifestSummary {
  /** Object count per kind, kinds sorted by name. */
  readonly objects: Record<string, number>;
  readonly nodes: {
    readonly count: number;
    readonly unschedulable: number;
    readonly allocatable: ResourceTotals;
  };
  readonly pods: {
    readonly count: number;
    /** Pods with `spec.nodeName` set (the cluster's existing state). */
    readonly bound: number;
    readonly requests: ResourceTotals;
  };
}

function addResources(into: Record<string, number>, r: Resources): void {
  const add = (k: string, v: number) => {
    if (v !== 0 || k in into) into[k] = (into[k] ?? 0) + v;
  };
  add("cpu", r.milliCPU);
  add("memory", r.memory);
  add("ephemeral-storage", r.ephemeralStorage);
  for (const [k, v] of r.scalar) add(k, v);
}

function sorted(rec: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k] ?? 0;
  return out;
}

/** Summarizes decoded objects. */
export function summarize(objects: {
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly others: readonly KubeObject[];
}): ManifestSummary {
  const kinds: Record<string, number> = {};
  const count = (kind: string) => {
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  };
  for (const n of objects.nodes) count(n.kind);
  for (const p of objects.pods) count(p.kind);
  for (const o of objects.others) count(o.kind);

  const allocatable: ResourceTotals = { cpu: 0, memory: 0, pods: 0 };
  let unschedulable = 0;
  for (const n of objects.nodes) {
    const a = nodeAllocatable(n);
    addResources(allocatable, a);
    allocatable.pods = (allocatable.pods ?? 0) + a.allowedPodNumber;
    if (n.spec.unschedulable) unschedulable++;
  }
  const requests: ResourceTotals = { cpu: 0, memory: 0 };
  let bound = 0;
  for (const p of objects.pods) {
    addResources(requests, podRequests(p));
    if (p.spec.nodeName !== "") bound++;
  }
  return {
    objects: sorted(kinds),
    nodes: { count: objects.nodes.length, unschedulable, allocatable: sorted(allocatable) },
    pods: { count: objects.pods.length, bound, requests: sorted(requests) },
  };
}
