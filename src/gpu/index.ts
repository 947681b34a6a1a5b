/**
 * GPU sharing and the six placement policies of the FGD paper (Weng et al., USENIX ATC '23), as
 * the authors' simulator implements them (shared/research/traces.md §2–§3).
 */
export {
  type FgdResult,
  fgdScore,
  fgdScoreFromDelta,
  SIGMOID_THRESHOLDS,
  sigmoid,
  sigmoidPercent,
} from "./fgd.ts";
export {
  allocate,
  type BoundedRandom,
  type FitFailure,
  fitFailure,
  fits,
  type GpuSelMethod,
  type Placement,
  place,
  remove,
  type SelectContext,
  selectGpus,
} from "./fit.ts";
export {
  type ClusterFragmentation,
  clusterFragmentation,
  compareGroupTuples,
  fragmentationOf,
  nodeFragmentation,
  shapeFragmentation,
  type TargetShape,
  type TypicalPod,
  type TypicalPodSet,
  typicalPods,
  typicalPodsOfCounts,
} from "./fragmentation.ts";
export {
  cloneGpuNode,
  cpuLeft,
  DEFAULT_MAX_PODS,
  freeGpuMilli,
  type GpuNode,
  type GpuNodeInit,
  type GpuPod,
  type GpuPodInit,
  type GpuTag,
  gpuCount,
  gpuFree,
  gpuTag,
  isSharePod,
  MAX_SPEC_CPU,
  MAX_SPEC_GPU,
  MILLI,
  makeGpuNode,
  makeGpuPod,
  memoryLeft,
  modelAllowed,
  podGpuMilliTotal,
} from "./model.ts";
export {
  bestFitRawScore,
  bestFitScores,
  dotProdScore,
  fgdPolicyScore,
  floorDiv,
  gpuClusteringScore,
  gpuPackingScore,
  normalizeMinMax,
  POLICIES,
  POLICY_GPU_SEL,
  type PolicyName,
  randomScores,
  type ScoreContext,
  scoreNodes,
} from "./policies.ts";
export { parseNodeCsv, parsePodCsv } from "./trace.ts";
