/**
 * PodTopologySpreadArgs (type from `src/config/types.ts`; v1 defaults semantics §1.6). The factory
 * receives the config module's defaulted and validated args; absent fields (e.g. in tests) get the
 * v1 defaults here: `defaultingType: System`, `defaultConstraints: []`.
 */

import type { TopologySpreadConstraint } from "../../../model/types.ts";
import type { PodTopologySpreadArgs } from "../../external.ts";

export type { PodTopologySpreadArgs } from "../../external.ts";

/**
 * The constraints applied with `defaultingType: System` (upstream `systemDefaultConstraints`,
 * semantics §1.6): hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway. The same values as
 * `SYSTEM_DEFAULT_CONSTRAINTS` in `src/config/types.ts`, restated so the oracle reads no config
 * values.
 */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  {
    topologyKey: "kubernetes.io/hostname",
    maxSkew: 3,
    whenUnsatisfiable: "ScheduleAnyway",
    matchLabelKeys: [],
  },
  {
    topologyKey: "topology.kubernetes.io/zone",
    maxSkew: 5,
    whenUnsatisfiable: "ScheduleAnyway",
    matchLabelKeys: [],
  },
];

/** Fills absent fields with the v1 defaults (System defaulting, no listed constraints). */
export function defaultPodTopologySpreadArgs(args: unknown): PodTopologySpreadArgs {
  const a = (args ?? {}) as Partial<PodTopologySpreadArgs>;
  return {
    kind: "PodTopologySpreadArgs",
    defaultConstraints: a.defaultConstraints ?? [],
    defaultingType: a.defaultingType || "System",
  };
}
