/**
 * The volume plugins as host-evaluated filters of the core (src/core/host-filters.ts): the
 * reference's evaluators (src/reference/plugins/{volumerestrictions,volumebinding,volumezone})
 * over a shared {@link VolumeState}, their PreFilter run once per cycle (`begin`) and their
 * Filter per visited node — NodeVolumeLimits with the caches of ./volume-limits.ts; and
 * VolumeBinding's binding of a placed pod's claims (Reserve/PreBind and the PV controller, in one
 * step).
 */
import type { Node, Pod } from "../model/types.ts";
import * as volumeBinding from "../reference/plugins/volumebinding/index.ts";
import * as volumeRestrictions from "../reference/plugins/volumerestrictions/index.ts";
import type { VolumeRejection, VolumeState } from "../reference/plugins/volumes/index.ts";
import * as volumeZone from "../reference/plugins/volumezone/index.ts";
import type { HostFilter, HostVerdict } from "./host-filters.ts";
import { hostVerdictOf, nodeVolumeLimitsFilter } from "./volume-limits.ts";

/** The volume plugins the core runs through the host, by name. */
export const VOLUME_PLUGINS = [
  "VolumeRestrictions",
  "NodeVolumeLimits",
  "VolumeBinding",
  "VolumeZone",
] as const;

/** Volume sources no volume plugin looks at. */
const INERT = new Set(["emptyDir", "configMap", "secret", "downwardAPI", "projected", "hostPath"]);

/** Whether any volume plugin has something to check for `pod`. */
export function hasVolumes(pod: Pod): boolean {
  return pod.spec.volumes.some(
    (v) => v.persistentVolumeClaim !== undefined || v.ephemeral || !INERT.has(v.source),
  );
}

function verdict(r: VolumeRejection | null): HostVerdict | null {
  return r === null ? null : hostVerdictOf(r);
}

/**
 * One plugin as a host filter: `pre(pod)` is its PreFilter for the cycle (a rejection for every
 * node, `undefined` to skip the plugin, or the data Filter uses), `per(pod, node, podsOn, data)`
 * its Filter on one node.
 */
function hostFilter<D>(
  name: string,
  pre: (pod: Pod) => VolumeRejection | D | undefined,
  isRejection: (v: VolumeRejection | D) => v is VolumeRejection,
  per: (pod: Pod, node: Node, podsOnNode: readonly Pod[], data: D) => VolumeRejection | null,
): HostFilter {
  let data: VolumeRejection | D | undefined;
  return {
    name,
    applies: hasVolumes,
    begin: (pod) => {
      data = pre(pod);
    },
    filter: (pod, node, podsOnNode) => {
      if (data === undefined) return null;
      if (isRejection(data)) return verdict(data);
      return verdict(per(pod, node, podsOnNode, data));
    },
  };
}

const hasCode = (v: unknown): v is VolumeRejection =>
  typeof v === "object" && v !== null && "code" in v;

/**
 * Host filters for the volume plugins among `names` (profile Filter order), over `state`;
 * `inUse(namespace/name)` says whether a scheduled pod anywhere uses a claim (ReadWriteOncePod).
 */
export function volumeHostFilters(
  names: readonly string[],
  state: VolumeState,
  inUse: (key: string) => boolean,
): HostFilter[] {
  const out: HostFilter[] = [];
  for (const name of names) {
    switch (name) {
      case "VolumeRestrictions":
        out.push(
          hostFilter(
            name,
            (pod) => volumeRestrictions.preFilter(pod, state, inUse) ?? undefined,
            hasCode,
            (pod, _node, on, data) => volumeRestrictions.filterWith(pod, on, data),
          ),
        );
        break;
      case "NodeVolumeLimits":
        out.push(nodeVolumeLimitsFilter(state, hasVolumes));
        break;
      case "VolumeBinding":
        out.push(
          hostFilter(
            name,
            (pod) => {
              const p = volumeBinding.preFilter(pod, state);
              if (p.kind === "skip") return undefined;
              return p.kind === "reject" ? p.rejection : p.claims;
            },
            hasCode,
            (_pod, node, _on, claims) => volumeBinding.filterWithClaims(claims, node, state),
          ),
        );
        break;
      case "VolumeZone":
        out.push(
          hostFilter(
            name,
            (pod) => (pod.spec.volumes.length === 0 ? undefined : volumeZone.preFilter(pod, state)),
            (v): v is VolumeRejection => !Array.isArray(v),
            (_pod, node, _on, topologies) =>
              volumeZone.fits(topologies, node.metadata.labels)
                ? null
                : {
                    code: "UnschedulableAndUnresolvable",
                    reasons: [volumeZone.ERR_REASON_CONFLICT],
                  },
          ),
        );
        break;
    }
  }
  return out;
}

/** The claims (`namespace/name`) `pod`'s volumes use. */
export function claimKeysOf(pod: Pod): string[] {
  return [...volumeRestrictions.usedClaimKeys([pod])];
}

/** VolumeBinding's Reserve/PreBind for `pod` placed on `node`: binds or provisions its claims. */
export function bindPodVolumes(pod: Pod, node: Node, state: VolumeState): void {
  if (hasVolumes(pod)) volumeBinding.bindVolumes(pod, node, state);
}
