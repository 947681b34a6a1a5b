/**
 * The versioned form of `kubescheduler.config.k8s.io/v1` as decoded from a file, before
 * defaulting: optional fields stay `undefined` (Go's nil pointers), and every list element keeps
 * the field path it was read from so later stages can point at the user's own text.
 *
 * Only the fields that can affect placement are modelled; `load.ts` documents what happens to the
 * rest.
 */
import type { NodeAffinity, TopologySpreadConstraint } from "../model/types.ts";
import type { ExtensionPoint } from "./names.ts";

/** `profiles[].plugins.<point>.enabled[]` / `.disabled[]` entry. */
export interface V1Plugin {
  readonly name: string;
  readonly weight?: number;
  /** Where it was written (`profiles[0].plugins.score.enabled[1]`); absent for built-in defaults. */
  readonly path?: string;
}

export interface V1PluginSet {
  readonly enabled: readonly V1Plugin[];
  readonly disabled: readonly V1Plugin[];
}

/** `plugins`: one set per extension point plus `multiPoint`. Absent sets are empty. */
export type V1Plugins = Readonly<Record<ExtensionPoint | "multiPoint", V1PluginSet>>;

export interface V1ResourceSpec {
  readonly name: string;
  readonly weight?: number;
}

export interface V1ShapePoint {
  readonly utilization: number;
  readonly score: number;
}

export interface V1NodeResourcesFitArgs {
  readonly kind: "NodeResourcesFitArgs";
  readonly ignoredResources?: readonly string[];
  readonly ignoredResourceGroups?: readonly string[];
  readonly scoringStrategy?: {
    readonly type?: string;
    readonly resources?: readonly V1ResourceSpec[];
    readonly requestedToCapacityRatio?: { readonly shape?: readonly V1ShapePoint[] };
  };
}

export interface V1NodeResourcesBalancedAllocationArgs {
  readonly kind: "NodeResourcesBalancedAllocationArgs";
  readonly resources?: readonly V1ResourceSpec[];
}

export interface V1InterPodAffinityArgs {
  readonly kind: "InterPodAffinityArgs";
  readonly hardPodAffinityWeight?: number;
  readonly ignorePreferredTermsOfExistingPods?: boolean;
}

export interface V1PodTopologySpreadArgs {
  readonly kind: "PodTopologySpreadArgs";
  readonly defaultConstraints?: readonly TopologySpreadConstraint[];
  readonly defaultingType?: string;
}

export interface V1NodeAffinityArgs {
  readonly kind: "NodeAffinityArgs";
  readonly addedAffinity?: NodeAffinity;
}

export interface V1DefaultPreemptionArgs {
  readonly kind: "DefaultPreemptionArgs";
  readonly minCandidateNodesPercentage?: number;
  readonly minCandidateNodesAbsolute?: number;
}

export interface V1VolumeBindingArgs {
  readonly kind: "VolumeBindingArgs";
  readonly bindTimeoutSeconds?: number;
  readonly shape?: readonly V1ShapePoint[];
}

export interface V1DynamicResourcesArgs {
  readonly kind: "DynamicResourcesArgs";
  /** Seconds, from a Go duration string. */
  readonly filterTimeout?: number;
  readonly bindingTimeout?: number;
}

export interface V1GpuShareArgs {
  readonly kind: "GpuShareArgs";
  readonly gpuSelection?: string;
}

/** One `typicalPods[]` entry as written (cpu already converted to millicores). */
export interface V1TypicalPod {
  readonly cpuMilli?: number;
  readonly gpuMilli?: number;
  readonly numGpu?: number;
  readonly models?: readonly string[];
  readonly weight?: number;
}

export interface V1FGDScoreArgs {
  readonly kind: "FGDScoreArgs";
  readonly typicalPods?: readonly V1TypicalPod[];
  readonly popularityThreshold?: number;
}

export type V1PluginArgs =
  | V1NodeResourcesFitArgs
  | V1NodeResourcesBalancedAllocationArgs
  | V1InterPodAffinityArgs
  | V1PodTopologySpreadArgs
  | V1NodeAffinityArgs
  | V1DefaultPreemptionArgs
  | V1VolumeBindingArgs
  | V1DynamicResourcesArgs
  | V1GpuShareArgs
  | V1FGDScoreArgs;

export interface V1PluginConfig {
  readonly name: string;
  /** Decoded args; `undefined` when the plugin takes no args or the entry had none. */
  readonly args?: V1PluginArgs;
  readonly path: string;
}

export interface V1Profile {
  readonly schedulerName?: string;
  readonly percentageOfNodesToScore?: number;
  /** `undefined` when the profile has no `plugins` (Go nil). */
  readonly plugins?: V1Plugins;
  readonly pluginConfig: readonly V1PluginConfig[];
}

export interface V1KubeSchedulerConfiguration {
  readonly parallelism?: number;
  readonly percentageOfNodesToScore?: number;
  readonly podInitialBackoffSeconds?: number;
  readonly podMaxBackoffSeconds?: number;
  readonly profiles: readonly V1Profile[];
}
