/**
 * The reference scheduler's only dependencies outside `src/reference/` and `src/model/types.ts`:
 * resource accounting (semantics §2), the snapshot node order (§1.2) and the configuration types.
 * Kept in one module so the oracle's inputs are easy to audit.
 */

export type {
  DefaultPreemptionArgs,
  InterPodAffinityArgs,
  NodeAffinityArgs,
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  PluginRef,
  PodTopologySpreadArgs,
  Profile,
  ResourceSpec,
  ScoringStrategy,
  UtilizationShapePoint,
} from "../config/types.ts";
export { zoneRoundRobinOrder } from "../encode/node-table.ts";
export type { NodeAllocatable, Resources } from "../model/requests.ts";
export {
  isExtendedResourceName,
  isScalarResourceName,
  nodeAllocatable,
  podNonZeroRequests,
  podNonZeroScoringRequests,
  podRequests,
} from "../model/requests.ts";
