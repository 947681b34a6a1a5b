/**
 * The reference scheduler's only dependencies outside `src/reference/` and `src/model/types.ts`:
 * resource accounting (semantics §2), the snapshot node order (§1.2), the configuration types,
 * and GPU sharing: the pod/node GPU fields (`src/model/gpu.ts`) and the FGD paper's pure GPU
 * model, scores and device selection (`src/gpu/`).
 * Kept in one module so the oracle's inputs are easy to audit.
 */

export type {
  ClassicStrategy,
  DefaultPreemptionArgs,
  FGDScoreArgs,
  GpuSelection,
  GpuShareArgs,
  InterPodAffinityArgs,
  NodeAffinityArgs,
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  PluginRef,
  PodTopologySpreadArgs,
  Profile,
  ProfileSelection,
  ResourceSpec,
  ScoringStrategy,
  TypicalPodArg,
  UtilizationShapePoint,
} from "../config/types.ts";
export { zoneRoundRobinOrder } from "../encode/node-table.ts";
export {
  type BoundedRandom,
  bestFitRawScore,
  dotProdScore,
  fgdScore,
  fragmentationOf,
  type GpuNode,
  type GpuPod,
  type GpuTag,
  gpuClusteringScore,
  gpuFree,
  gpuPackingScore,
  gpuTag,
  isSharePod,
  makeGpuPod,
  normalizeMinMax,
  selectGpus,
  type TargetShape,
  typicalPods,
} from "../gpu/index.ts";
export {
  GPU_MILLI,
  type GpuRequest,
  nodeGpus,
  podGpuRequest,
} from "../model/gpu.ts";
export type { NodeAllocatable, Resources } from "../model/requests.ts";
export {
  isExtendedResourceName,
  isScalarResourceName,
  nodeAllocatable,
  podNonZeroRequests,
  podNonZeroScoringRequests,
  podRequests,
} from "../model/requests.ts";
