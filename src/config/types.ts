/**
 * The internal, defaulted and validated form of a `KubeSchedulerConfiguration`: what the engine
 * consumes. Everything optional in the file is resolved here — plugin lists are expanded to the
 * ordered per-extension-point lists the kube-scheduler framework runs (multiPoint expanded,
 * enabled/disabled merged, score weights resolved) and every enabled plugin that takes args has
 * its defaulted args in `pluginConfig`.
 *
 * Field names follow `kubescheduler.config.k8s.io/v1` verbatim. The one gantry extension is
 * {@link NodeResourcesBalancedAllocationArgs.formula}, which never comes from the file (see
 * `LoadOptions.balancedAllocationFormula`).
 */
import type { NodeAffinity, TopologySpreadConstraint } from "../model/types.ts";
import type { ExtensionPoint } from "./names.ts";

/** A plugin at one extension point of a resolved profile. */
export interface PluginRef {
  readonly name: string;
  /**
   * Score weight (≥ 1 unless configured negative) at the `score` point; `0` at every other point,
   * where weights mean nothing.
   */
  readonly weight: number;
}

/** Per-extension-point plugin lists, in the order the framework calls them. */
export type ResolvedPlugins = Readonly<Record<ExtensionPoint, readonly PluginRef[]>>;

/**
 * The classic placement strategies run *by name* (docs/placement-strategies.md "As policies by
 * name"): the strategy replaces Score and selectHost.
 */
export type ClassicStrategy = "FirstFit" | "BestFit" | "WorstFit" | "Random" | "DotProduct";

/** A by-name classic strategy of a {@link Profile}. */
export interface ProfileSelection {
  readonly strategy: ClassicStrategy;
  /**
   * Offline batch variant (FirstFitDecreasing, BestFitDecreasing): pods waiting together are
   * taken largest first. A queue-order matter for the simulation; the scheduling cycle ignores it.
   */
  readonly decreasing: boolean;
}

export interface Profile {
  /** Matches `pod.spec.schedulerName`. */
  readonly schedulerName: string;
  /** Overrides the global value when set. */
  readonly percentageOfNodesToScore?: number;
  readonly plugins: ResolvedPlugins;
  /** Defaulted args for every plugin that takes args and is configured or enabled, by plugin name. */
  readonly pluginConfig: ReadonlyMap<string, PluginArgs>;
  /**
   * gantry extension, never read from a KubeSchedulerConfiguration file (the policy layer sets it
   * for by-name classic policies): when set, every node is filtered (no sampling), Score and
   * selectHost are replaced by the strategy — the highest raw score wins, lowest node index on
   * ties; `Random` picks uniformly among the feasible nodes.
   */
  readonly selection?: ProfileSelection;
}

export interface KubeSchedulerConfiguration {
  /** 0 means adaptive (`max(5, 50 − nodes/125)` %). @default 0 */
  readonly percentageOfNodesToScore: number;
  /** @default 1 */
  readonly podInitialBackoffSeconds: number;
  /** @default 10 */
  readonly podMaxBackoffSeconds: number;
  /** @default 16 */
  readonly parallelism: number;
  /** At least one; scheduler names are unique. */
  readonly profiles: readonly Profile[];
}

// ---------------------------------------------------------------------------------------------
// Plugin args

export interface ResourceSpec {
  readonly name: string;
  /** 1..100 after defaulting (0/unset becomes 1). */
  readonly weight: number;
}

export interface UtilizationShapePoint {
  /** 0..100, strictly increasing along a shape. */
  readonly utilization: number;
  /** 0..10. */
  readonly score: number;
}

export type ScoringStrategyType = "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";

export interface ScoringStrategy {
  readonly type: ScoringStrategyType;
  /** @default [{name: cpu, weight: 1}, {name: memory, weight: 1}] */
  readonly resources: readonly ResourceSpec[];
  /** Present exactly when `type` is RequestedToCapacityRatio. */
  readonly requestedToCapacityRatio?: { readonly shape: readonly UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  readonly kind: "NodeResourcesFitArgs";
  /** Resources the Filter ignores (not scoring). */
  readonly ignoredResources: readonly string[];
  /** Resource-name prefixes (`example.com` ignores `example.com/*`) the Filter ignores. */
  readonly ignoredResourceGroups: readonly string[];
  readonly scoringStrategy: ScoringStrategy;
}

/** Which NodeResourcesBalancedAllocation score formula to use (semantics §4.5.1 / §4.5.2). */
export type BalancedAllocationFormula = "v1.35" | "v1.36";

export interface NodeResourcesBalancedAllocationArgs {
  readonly kind: "NodeResourcesBalancedAllocationArgs";
  /** @default [{name: cpu, weight: 1}, {name: memory, weight: 1}]; weights are always 1. */
  readonly resources: readonly ResourceSpec[];
  /**
   * gantry extension, not part of the file format: the score formula. `v1.35` scores the balance
   * after placement; `v1.36` (kubernetes/kubernetes#135573) scores the change of balance.
   * Set with `LoadOptions.balancedAllocationFormula`. @default "v1.35"
   */
  readonly formula: BalancedAllocationFormula;
}

export interface InterPodAffinityArgs {
  readonly kind: "InterPodAffinityArgs";
  /** 0..100. @default 1 */
  readonly hardPodAffinityWeight: number;
  /** @default false */
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

export type PodTopologySpreadConstraintsDefaulting = "System" | "List";

export interface PodTopologySpreadArgs {
  readonly kind: "PodTopologySpreadArgs";
  /** Constraints for pods that define none; empty unless `defaultingType` is List. */
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
  /** System: use {@link SYSTEM_DEFAULT_CONSTRAINTS}. @default "System" */
  readonly defaultingType: PodTopologySpreadConstraintsDefaulting;
}

/** The constraints PodTopologySpread applies with `defaultingType: System` (podtopologyspread/plugin.go). */
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

export interface NodeAffinityArgs {
  readonly kind: "NodeAffinityArgs";
  /** ANDed with every pod's own node affinity; absent by default. */
  readonly addedAffinity?: NodeAffinity;
}

export interface DefaultPreemptionArgs {
  readonly kind: "DefaultPreemptionArgs";
  /** 0..100. @default 10 */
  readonly minCandidateNodesPercentage: number;
  /** ≥ 0; not 0 together with the percentage. @default 100 */
  readonly minCandidateNodesAbsolute: number;
}

export interface VolumeBindingArgs {
  readonly kind: "VolumeBindingArgs";
  /** @default 600 */
  readonly bindTimeoutSeconds: number;
  /** Only meaningful with the StorageCapacityScoring gate, which v1.35 has off: always empty. */
  readonly shape: readonly UtilizationShapePoint[];
}

export interface DynamicResourcesArgs {
  readonly kind: "DynamicResourcesArgs";
  /** Per-node Filter time limit in seconds; 0 disables it. @default 10 */
  readonly filterTimeoutSeconds: number;
  /** PreBind wait for device binding conditions, in seconds. @default 600 */
  readonly bindingTimeoutSeconds: number;
}

/** How `GpuShare` picks the device of a shared-GPU pod at Reserve (docs/placement-strategies.md). */
export type GpuSelection = "best" | "random" | "fgd";

/** gantry's `GpuShare` args. */
export interface GpuShareArgs {
  readonly kind: "GpuShareArgs";
  /** `fgd` needs `FGDScore` enabled in the same profile. @default "best" */
  readonly gpuSelection: GpuSelection;
}

/**
 * One typical pod of FGD's target workload. In the file: `{cpu: <quantity>, gpuMilli, numGpu,
 * models?, weight}`; `p = weight / Σ weights`.
 */
export interface TypicalPodArg {
  readonly cpuMilli: number;
  /** Milli-GPU per GPU: 0 for a CPU-only shape, else 1..1000. */
  readonly gpuMilli: number;
  /** 0..16. */
  readonly numGpu: number;
  /** Allowed card models; empty = any. */
  readonly models: readonly string[];
  /** The weight as written (> 0). */
  readonly weight: number;
  /** `weight / Σ weights` over the list. */
  readonly p: number;
}

/** gantry's `FGDScore` args. */
export interface FGDScoreArgs {
  readonly kind: "FGDScoreArgs";
  /**
   * The target workload; absent = derived from the run's whole pod stream with
   * {@link FGDScoreArgs.popularityThreshold} (the host fills it in before a run).
   */
  readonly typicalPods?: readonly TypicalPodArg[];
  /** Percentage of the pod stream the derived typical pods cover, in (0, 100]. @default 95 */
  readonly popularityThreshold: number;
}

/** Args of each plugin that takes args, by plugin name. */
export interface PluginArgsByName {
  DefaultPreemption: DefaultPreemptionArgs;
  DynamicResources: DynamicResourcesArgs;
  FGDScore: FGDScoreArgs;
  GpuShare: GpuShareArgs;
  InterPodAffinity: InterPodAffinityArgs;
  NodeAffinity: NodeAffinityArgs;
  NodeResourcesBalancedAllocation: NodeResourcesBalancedAllocationArgs;
  NodeResourcesFit: NodeResourcesFitArgs;
  PodTopologySpread: PodTopologySpreadArgs;
  VolumeBinding: VolumeBindingArgs;
}

/** Any plugin's args; discriminated by `kind`. */
export type PluginArgs = PluginArgsByName[keyof PluginArgsByName];
