/**
 * Default stage: upstream's defaulting of `kubescheduler.config.k8s.io/v1`
 * (`pkg/scheduler/apis/config/v1/{defaults.go,default_plugins.go}`), applied to the decoded
 * versioned config.
 *
 * - No profiles → one profile; a single profile without a name is `default-scheduler`.
 * - Each profile's plugins = {@link mergePlugins}(v1.35 defaults, user's plugins). All defaults
 *   live in `multiPoint`, so per-point sets are the user's, verbatim (expansion happens in
 *   `resolve.ts`, as the framework does it).
 * - Args: user-given args are defaulted; every enabled plugin that takes args and has no
 *   `pluginConfig` entry gets one with default args, appended in name order.
 * - `parallelism` 16, `percentageOfNodesToScore` 0, backoff 1 s / 10 s.
 *
 * Defaulted args use the internal types but may still hold invalid values (an unsupported
 * strategy name, say); `validate.ts` checks them before anything is returned to callers.
 */
import type { TopologySpreadConstraint } from "../model/types.ts";
import { EXTENSION_POINTS, hasArgs, type PluginWithArgs } from "./names.ts";
import type {
  BalancedAllocationFormula,
  GpuSelection,
  PluginArgs,
  PodTopologySpreadConstraintsDefaulting,
  ResourceSpec,
  ScoringStrategyType,
} from "./types.ts";
import type {
  V1KubeSchedulerConfiguration,
  V1Plugin,
  V1PluginArgs,
  V1PluginSet,
  V1Plugins,
  V1ResourceSpec,
} from "./v1.ts";

/** Options that are not part of the file format. */
export interface LoadOptions {
  /**
   * NodeResourcesBalancedAllocation score formula (semantics §4.5.1 / §4.5.2): `v1.35` is
   * kube-scheduler v1.35's; `v1.36` is the balance-change formula of kubernetes/kubernetes#135573.
   * Applied to every profile's NodeResourcesBalancedAllocationArgs. @default "v1.35"
   */
  readonly balancedAllocationFormula?: BalancedAllocationFormula;
}

export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

const EMPTY_SET: V1PluginSet = { enabled: [], disabled: [] };

/**
 * The v1.35 default plugins: everything in `multiPoint` (DynamicResourceAllocation is GA, on).
 * DynamicResources carries weight 2 since it gained a Score (prioritized-list scoring,
 * kubernetes/kubernetes#134711).
 *
 * gantry's one addition: its `GpuShare` plugin (filter, reserve), right after NodeResourcesFit so
 * it filters after it (docs/placement-strategies.md); it does nothing for pods without a GPU
 * request.
 */
export function getDefaultPlugins(): V1Plugins {
  const multiPoint: V1Plugin[] = [
    { name: "SchedulingGates" },
    { name: "PrioritySort" },
    { name: "NodeUnschedulable" },
    { name: "NodeName" },
    { name: "TaintToleration", weight: 3 },
    { name: "NodeAffinity", weight: 2 },
    { name: "NodePorts" },
    { name: "NodeResourcesFit", weight: 1 },
    { name: "GpuShare" },
    { name: "VolumeRestrictions" },
    { name: "NodeVolumeLimits" },
    { name: "VolumeBinding" },
    { name: "VolumeZone" },
    { name: "PodTopologySpread", weight: 2 },
    { name: "InterPodAffinity", weight: 2 },
    { name: "DynamicResources", weight: 2 },
    { name: "DefaultPreemption" },
    { name: "NodeResourcesBalancedAllocation", weight: 1 },
    { name: "ImageLocality", weight: 1 },
    { name: "DefaultBinder" },
  ];
  return emptyPlugins({ multiPoint: { enabled: multiPoint, disabled: [] } });
}

/** A `V1Plugins` with every set empty except those given. */
export function emptyPlugins(sets: Partial<V1Plugins> = {}): V1Plugins {
  const out = { multiPoint: sets.multiPoint ?? EMPTY_SET } as Record<keyof V1Plugins, V1PluginSet>;
  for (const p of EXTENSION_POINTS) out[p] = sets[p] ?? EMPTY_SET;
  return out;
}

/**
 * Merges a user plugin set into a default one (upstream `mergePluginSet`):
 * - disabled = user's disabled, then the default set's disabled;
 * - unless `"*"` is disabled, default plugins not disabled are kept in order, a default the user
 *   also enables is replaced in place by the user's entry (its last occurrence);
 * - the user's other enabled entries follow, in the user's order (duplicates included; the
 *   framework rejects them later).
 */
export function mergePluginSet(defaults: V1PluginSet, custom: V1PluginSet): V1PluginSet {
  const disabled: V1Plugin[] = [];
  const disabledNames = new Set<string>();
  for (const p of [...custom.disabled, ...defaults.disabled]) {
    disabled.push(p);
    disabledNames.add(p.name);
  }
  const customIndex = new Map<string, number>();
  custom.enabled.forEach((p, i) => {
    customIndex.set(p.name, i);
  });
  const replaced = new Set<number>();
  const enabled: V1Plugin[] = [];
  if (!disabledNames.has("*")) {
    for (const p of defaults.enabled) {
      if (disabledNames.has(p.name)) continue;
      const i = customIndex.get(p.name);
      if (i === undefined) {
        enabled.push(p);
      } else {
        enabled.push(custom.enabled[i]!);
        replaced.add(i);
      }
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

/** Merges user plugins into defaults, point by point (upstream `mergePlugins`). */
export function mergePlugins(defaults: V1Plugins, custom: V1Plugins | undefined): V1Plugins {
  if (!custom) return defaults;
  const out = {
    multiPoint: mergePluginSet(defaults.multiPoint, custom.multiPoint),
  } as Record<keyof V1Plugins, V1PluginSet>;
  for (const p of EXTENSION_POINTS) out[p] = mergePluginSet(defaults[p], custom[p]);
  return out;
}

/** Names enabled anywhere in `plugins`, sorted (upstream `pluginsNames`). */
export function enabledPluginNames(plugins: V1Plugins): string[] {
  const names = new Set<string>();
  for (const set of Object.values(plugins)) for (const p of set.enabled) names.add(p.name);
  return [...names].sort();
}

const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

function defaultResources(resources: readonly V1ResourceSpec[] | undefined): ResourceSpec[] {
  if (!resources || resources.length === 0) return DEFAULT_RESOURCES.map((r) => ({ ...r }));
  return resources.map((r) => ({ name: r.name, weight: r.weight ? r.weight : 1 }));
}

/**
 * Defaults one plugin's args (upstream `SetDefaults_<Kind>`). `given` is the decoded args, or
 * `undefined` for an absent/empty `args`. Enumerations are passed through unchecked.
 */
export function defaultPluginArgs(
  plugin: PluginWithArgs,
  given: V1PluginArgs | undefined,
  options: LoadOptions = {},
): PluginArgs {
  switch (plugin) {
    case "NodeResourcesFit": {
      const a = given?.kind === "NodeResourcesFitArgs" ? given : undefined;
      const ss = a?.scoringStrategy;
      const rtc = ss?.requestedToCapacityRatio;
      return {
        kind: "NodeResourcesFitArgs",
        ignoredResources: [...(a?.ignoredResources ?? [])],
        ignoredResourceGroups: [...(a?.ignoredResourceGroups ?? [])],
        scoringStrategy: ss
          ? {
              type: (ss.type ?? "") as ScoringStrategyType,
              resources: defaultResources(ss.resources),
              ...(rtc ? { requestedToCapacityRatio: { shape: [...(rtc.shape ?? [])] } } : {}),
            }
          : { type: "LeastAllocated", resources: defaultResources(undefined) },
      };
    }
    case "NodeResourcesBalancedAllocation": {
      const a = given?.kind === "NodeResourcesBalancedAllocationArgs" ? given : undefined;
      return {
        kind: "NodeResourcesBalancedAllocationArgs",
        resources: defaultResources(a?.resources),
        formula: options.balancedAllocationFormula ?? "v1.35",
      };
    }
    case "InterPodAffinity": {
      const a = given?.kind === "InterPodAffinityArgs" ? given : undefined;
      return {
        kind: "InterPodAffinityArgs",
        hardPodAffinityWeight: a?.hardPodAffinityWeight ?? 1,
        ignorePreferredTermsOfExistingPods: a?.ignorePreferredTermsOfExistingPods ?? false,
      };
    }
    case "PodTopologySpread": {
      const a = given?.kind === "PodTopologySpreadArgs" ? given : undefined;
      const constraints: TopologySpreadConstraint[] = [...(a?.defaultConstraints ?? [])];
      return {
        kind: "PodTopologySpreadArgs",
        defaultConstraints: constraints,
        defaultingType: (a?.defaultingType || "System") as PodTopologySpreadConstraintsDefaulting,
      };
    }
    case "NodeAffinity": {
      const a = given?.kind === "NodeAffinityArgs" ? given : undefined;
      return a?.addedAffinity
        ? { kind: "NodeAffinityArgs", addedAffinity: a.addedAffinity }
        : { kind: "NodeAffinityArgs" };
    }
    case "DefaultPreemption": {
      const a = given?.kind === "DefaultPreemptionArgs" ? given : undefined;
      return {
        kind: "DefaultPreemptionArgs",
        minCandidateNodesPercentage: a?.minCandidateNodesPercentage ?? 10,
        minCandidateNodesAbsolute: a?.minCandidateNodesAbsolute ?? 100,
      };
    }
    case "VolumeBinding": {
      const a = given?.kind === "VolumeBindingArgs" ? given : undefined;
      return {
        kind: "VolumeBindingArgs",
        bindTimeoutSeconds: a?.bindTimeoutSeconds ?? 600,
        shape: [...(a?.shape ?? [])],
      };
    }
    case "DynamicResources": {
      const a = given?.kind === "DynamicResourcesArgs" ? given : undefined;
      return {
        kind: "DynamicResourcesArgs",
        filterTimeoutSeconds: a?.filterTimeout ?? 10,
        bindingTimeoutSeconds: a?.bindingTimeout ?? 600,
      };
    }
    case "GpuShare": {
      const a = given?.kind === "GpuShareArgs" ? given : undefined;
      return {
        kind: "GpuShareArgs",
        gpuSelection: (a?.gpuSelection ?? "best") as GpuSelection,
      };
    }
    case "FGDScore": {
      const a = given?.kind === "FGDScoreArgs" ? given : undefined;
      const popularityThreshold = a?.popularityThreshold ?? 95;
      if (!a?.typicalPods) return { kind: "FGDScoreArgs", popularityThreshold };
      let total = 0;
      for (const t of a.typicalPods) total += t.weight ?? 0;
      return {
        kind: "FGDScoreArgs",
        typicalPods: a.typicalPods.map((t) => {
          const weight = t.weight ?? 0;
          return {
            cpuMilli: t.cpuMilli ?? 0,
            gpuMilli: t.gpuMilli ?? 0,
            numGpu: t.numGpu ?? 0,
            models: [...(t.models ?? [])],
            weight,
            p: weight / total,
          };
        }),
        popularityThreshold,
      };
    }
  }
}

/** One `pluginConfig` entry after defaulting. */
export interface DefaultedPluginConfig {
  readonly name: string;
  /** Defaulted args when the plugin takes args. */
  readonly args?: PluginArgs;
  /** `profiles[i].pluginConfig[j]` for user entries; absent for appended defaults. */
  readonly path?: string;
}

export interface DefaultedProfile {
  /** `""` when unnamed among several profiles (a validation error). */
  readonly schedulerName: string;
  readonly percentageOfNodesToScore?: number;
  /** Merged plugin sets, before multiPoint expansion. */
  readonly plugins: V1Plugins;
  readonly pluginConfig: readonly DefaultedPluginConfig[];
  /** `profiles[i]`, or `profiles` for the implied default profile. */
  readonly path: string;
}

export interface DefaultedConfig {
  readonly parallelism: number;
  readonly percentageOfNodesToScore: number;
  readonly podInitialBackoffSeconds: number;
  readonly podMaxBackoffSeconds: number;
  readonly profiles: readonly DefaultedProfile[];
}

/** Applies upstream defaulting to a decoded config. */
export function defaultConfig(
  config: V1KubeSchedulerConfiguration,
  options: LoadOptions = {},
): DefaultedConfig {
  const given = config.profiles.length === 0 ? [{ pluginConfig: [] }] : config.profiles;
  const profiles = given.map((p, i): DefaultedProfile => {
    const plugins = mergePlugins(getDefaultPlugins(), p.plugins);
    const pluginConfig: DefaultedPluginConfig[] = p.pluginConfig.map((pc) =>
      hasArgs(pc.name)
        ? {
            name: pc.name,
            args: defaultPluginArgs(pc.name, pc.args, options),
            path: pc.path,
          }
        : { name: pc.name, path: pc.path },
    );
    const configured = new Set(p.pluginConfig.map((pc) => pc.name));
    for (const name of enabledPluginNames(plugins)) {
      if (configured.has(name) || !hasArgs(name)) continue;
      pluginConfig.push({ name, args: defaultPluginArgs(name, undefined, options) });
    }
    const schedulerName = p.schedulerName ?? (given.length === 1 ? DEFAULT_SCHEDULER_NAME : "");
    return {
      schedulerName,
      ...(p.percentageOfNodesToScore === undefined
        ? {}
        : { percentageOfNodesToScore: p.percentageOfNodesToScore }),
      plugins,
      pluginConfig,
      path: config.profiles.length === 0 ? "profiles" : `profiles[${i}]`,
    };
  });
  return {
    parallelism: config.parallelism ?? 16,
    percentageOfNodesToScore: config.percentageOfNodesToScore ?? 0,
    podInitialBackoffSeconds: config.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: config.podMaxBackoffSeconds ?? 10,
    profiles,
  };
}
