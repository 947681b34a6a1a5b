/**
 * The TypeScript reference scheduler: a plain, readable re-implementation of kube-scheduler v1.35
 * placement decisions (see `kube-scheduler-semantics.md`), used as the oracle the WebAssembly core
 * is differentially tested against.
 *
 * Typical use:
 *
 *     const registry = defaultRegistry();
 *     const missing = unimplementedPlugins(profile, registry);          // report these
 *     const fwk = newFramework(withImplementedPlugins(profile, registry), registry);
 *     const snapshot = new Snapshot(nodes, boundPods);
 *     const state = newSchedulerState({ seed: 1n });
 *     for (const pod of queue) scheduleOne(pod, snapshot, fwk, state);
 */

export { CycleState } from "./framework/cycle-state.ts";
export {
  type ExplainFilter,
  type ExplainNode,
  type ExplainOptions,
  type ExplainPreemption,
  type ExplainResult,
  type ExplainScore,
  explain,
  NOT_A_CANDIDATE_REASON,
} from "./framework/explain.ts";
export { type Framework, newFramework, type WeightedScorePlugin } from "./framework/framework.ts";
export {
  gpuNodeOf,
  gpuPodOf,
  RESERVED_GPU_DEVICES_KEY,
  type ReservedGpuDevices,
} from "./framework/gpu.ts";
export {
  type FilterPlugin,
  type FrameworkHandle,
  type Handle,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type NodeScore,
  type Plugin,
  type PluginFactory,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreFilterOutput,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from "./framework/interfaces.ts";
export { type GpuDevices, type ImageStateSummary, NodeInfo } from "./framework/node-info.ts";
export { NodeToStatus } from "./framework/node-to-status.ts";
export {
  RUN_EXTENSION_POINTS,
  type UnimplementedPlugin,
  unimplementedPlugins,
  withImplementedPlugins,
} from "./framework/profile.ts";
export { Registry } from "./framework/registry.ts";
export { numFeasibleNodesToFind } from "./framework/sampling.ts";
export {
  type Diagnosis,
  fitErrorMessage,
  newSchedulerState,
  type ScheduleResult,
  type SchedulerState,
  type SchedulerStateOptions,
  scheduleOne,
} from "./framework/schedule-one.ts";
export { type NodeTotal, selectHost } from "./framework/select-host.ts";
export { selectByStrategy } from "./framework/selection.ts";
export { Snapshot } from "./framework/snapshot.ts";
export { type Code, newStatus, type Status, SUCCESS } from "./framework/status.ts";
export {
  bestFitRaw,
  classicDimensions,
  type Dimension,
  dotProductRaw,
  firstFitRaw,
  resourceStrategyRaw,
  worstFitRaw,
} from "./plugins/binpacking/raw.ts";
export {
  profileWithTypicalPods,
  typicalPodsFromPods,
} from "./plugins/gpuscores/args.ts";
export {
  ERR_REASON_GPU_MODEL,
  ERR_REASON_INSUFFICIENT_GPU,
  ERR_REASON_NO_GPU,
  gpuShareFilter,
} from "./plugins/gpushare/index.ts";
export { defaultRegistry, IMPLEMENTED_PLUGINS } from "./plugins/registry.ts";
export { Pcg32 } from "./rand.ts";
