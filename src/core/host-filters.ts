/**
 * Filter plugins the host evaluates for the core: the volume plugins (VolumeRestrictions,
 * NodeVolumeLimits, VolumeBinding, VolumeZone), whose state — PersistentVolumes, claims, storage
 * classes, CSI drivers and what each node has attached — is an object graph that changes as pods
 * bind, and which only pods with volumes consult. For such a pod the core's filter loop calls the
 * imported `env.hostFilter(node)` (src/core/boundary.ts) for each node it visits, at the plugins'
 * place in the Filter order (after NodeResourcesFit and GpuShare, before PodTopologySpread and
 * InterPodAffinity), so the first failing plugin is upstream's and node sampling visits exactly
 * the nodes upstream would. Pods without volumes pay nothing.
 */
import type { Node, Pod } from "../model/types.ts";

/** A Filter verdict of a host-evaluated plugin (null = the node passes). */
export interface HostVerdict {
  readonly status: "Unschedulable" | "UnschedulableAndUnresolvable";
  readonly reasons: readonly string[];
}

/** A Filter plugin evaluated by the host, in the profile's Filter order. */
export interface HostFilter {
  /** The plugin's name (reported as the rejecting plugin). */
  readonly name: string;
  /** Whether the plugin has anything to check for `pod` (false: it passes every node). */
  applies(pod: Pod): boolean;
  /** PreFilter for a cycle of `pod` (called once before its Filter calls of that cycle). */
  begin?(pod: Pod): void;
  /**
   * Filter on one node, with the pods the scheduler has on it (assumed ones included); a
   * PreFilter rejection is returned for every node.
   */
  filter(pod: Pod, node: Node, podsOnNode: readonly Pod[]): HostVerdict | null;
}

/** A host verdict with the plugin that gave it. */
export interface HostRejection extends HostVerdict {
  readonly plugin: string;
}

/** The core's filter code for a node a host-evaluated plugin rejected. */
export const HOST_FILTER_CODE = 19;

/** The first rejection of `filters` (already known to apply) for `pod` on one node. */
export function hostVerdictOn(
  filters: readonly HostFilter[],
  pod: Pod,
  node: Node,
  podsOnNode: readonly Pod[],
): HostRejection | undefined {
  for (const f of filters) {
    const v = f.filter(pod, node, podsOnNode);
    if (v !== null) return { ...v, plugin: f.name };
  }
  return undefined;
}
