/**
 * The volume plugins as host-evaluated filters of the core (src/core/host-filters.ts): the
 * reference's pure evaluators (src/reference/plugins/{volumerestrictions,nodevolumelimits,
 * volumebinding,volumezone}) over a shared {@link VolumeState}, and VolumeBinding's binding of a
 * placed pod's claims (Reserve/PreBind and the PV controller, in one step).
 */
import type { Node, Pod } from "../model/types.ts";
import * as nodeVolumeLimits from "../reference/plugins/nodevolumelimits/index.ts";
import * as volumeBinding from "../reference/plugins/volumebinding/index.ts";
import * as volumeRestrictions from "../reference/plugins/volumerestrictions/index.ts";
import type { VolumeRejection, VolumeState } from "../reference/plugins/volumes/index.ts";
import * as volumeZone from "../reference/plugins/volumezone/index.ts";
import type { HostFilter, HostVerdict } from "./host-filters.ts";

/** The volume plugins the core runs through the host, by name. */
export const VOLUME_PLUGINS = [
  "VolumeRestrictions",
  "NodeVolumeLimits",
  "VolumeBinding",
  "VolumeZone",
] as const;

type Evaluator = (
  pod: Pod,
  node: Node,
  podsOnNode: readonly Pod[],
  state: VolumeState,
) => VolumeRejection | null;

const EVALUATORS: Readonly<Record<(typeof VOLUME_PLUGINS)[number], Evaluator>> = {
  VolumeRestrictions: (pod, node, on, state) => volumeRestrictions.filter(pod, node, on, state),
  NodeVolumeLimits: nodeVolumeLimits.filter,
  VolumeBinding: volumeBinding.filter,
  VolumeZone: volumeZone.filter,
};

/** Volume sources no volume plugin looks at. */
const INERT = new Set(["emptyDir", "configMap", "secret", "downwardAPI", "projected", "hostPath"]);

/** Whether any volume plugin has something to check for `pod`. */
export function hasVolumes(pod: Pod): boolean {
  return pod.spec.volumes.some(
    (v) => v.persistentVolumeClaim !== undefined || v.ephemeral || !INERT.has(v.source),
  );
}

function verdict(r: VolumeRejection | null): HostVerdict | null {
  if (r === null) return null;
  // An internal error fails the cycle upstream; the core reports the node as unresolvable.
  return {
    status: r.code === "Unschedulable" ? "Unschedulable" : "UnschedulableAndUnresolvable",
    reasons: r.reasons,
  };
}

/** Host filters for the volume plugins among `names` (profile Filter order), over `state`. */
export function volumeHostFilters(names: readonly string[], state: VolumeState): HostFilter[] {
  const out: HostFilter[] = [];
  for (const name of names) {
    const evaluate = EVALUATORS[name as (typeof VOLUME_PLUGINS)[number]];
    if (evaluate === undefined) continue;
    out.push({
      name,
      applies: hasVolumes,
      filter: (pod, node, podsOnNode) => verdict(evaluate(pod, node, podsOnNode, state)),
    });
  }
  return out;
}

/** VolumeBinding's Reserve/PreBind for `pod` placed on `node`: binds or provisions its claims. */
export function bindPodVolumes(pod: Pod, node: Node, state: VolumeState): void {
  if (hasVolumes(pod)) volumeBinding.bindVolumes(pod, node, state);
}
