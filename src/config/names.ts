/**
 * The vocabulary of kube-scheduler v1.35 configuration: in-tree plugin names (verbatim, as in
 * `pkg/scheduler/framework/plugins/names`), extension-point names (as spelled in
 * `KubeSchedulerConfiguration.profiles[].plugins`), and which extension points each in-tree
 * plugin implements.
 *
 * The implemented-point table matters for `multiPoint`: a plugin enabled there is registered at
 * exactly the points listed here, in `EXTENSION_POINTS` order, and enabling a plugin at a point
 * it does not implement is a configuration error.
 */

/** Extension points of a scheduling profile, in the order the framework processes them. */
export const EXTENSION_POINTS = [
  "preEnqueue",
  "queueSort",
  "preFilter",
  "filter",
  "postFilter",
  "preScore",
  "score",
  "reserve",
  "permit",
  "preBind",
  "bind",
  "postBind",
] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** In-tree plugin names of kube-scheduler v1.35. */
export const PluginName = {
  SchedulingGates: "SchedulingGates",
  PrioritySort: "PrioritySort",
  NodeUnschedulable: "NodeUnschedulable",
  NodeName: "NodeName",
  TaintToleration: "TaintToleration",
  NodeAffinity: "NodeAffinity",
  NodePorts: "NodePorts",
  NodeResourcesFit: "NodeResourcesFit",
  VolumeRestrictions: "VolumeRestrictions",
  NodeVolumeLimits: "NodeVolumeLimits",
  VolumeBinding: "VolumeBinding",
  VolumeZone: "VolumeZone",
  PodTopologySpread: "PodTopologySpread",
  InterPodAffinity: "InterPodAffinity",
  DefaultPreemption: "DefaultPreemption",
  NodeResourcesBalancedAllocation: "NodeResourcesBalancedAllocation",
  ImageLocality: "ImageLocality",
  DefaultBinder: "DefaultBinder",
  DynamicResources: "DynamicResources",
} as const;

export type InTreePluginName = (typeof PluginName)[keyof typeof PluginName];

/**
 * Extension points implemented by each in-tree plugin in v1.35 (the `var _ fwk.XPlugin = &P{}`
 * assertions upstream). Notes:
 * - VolumeBinding implements PreScore/Score unconditionally; its PreScore returns Skip unless
 *   the StorageCapacityScoring gate (alpha, off) is on, so it never contributes a score.
 * - DynamicResources implements Score (prioritized-list device scoring); it scores 0 for pods
 *   without resource claims.
 * - DefaultPreemption implements PreEnqueue (async preemption) besides PostFilter.
 */
export const PLUGIN_EXTENSION_POINTS: Readonly<
  Record<InTreePluginName, readonly ExtensionPoint[]>
> = {
  SchedulingGates: ["preEnqueue"],
  PrioritySort: ["queueSort"],
  NodeUnschedulable: ["filter"],
  NodeName: ["filter"],
  TaintToleration: ["filter", "preScore", "score"],
  NodeAffinity: ["preFilter", "filter", "preScore", "score"],
  NodePorts: ["preFilter", "filter"],
  NodeResourcesFit: ["preFilter", "filter", "preScore", "score"],
  VolumeRestrictions: ["preFilter", "filter"],
  NodeVolumeLimits: ["preFilter", "filter"],
  VolumeBinding: ["preFilter", "filter", "preScore", "score", "reserve", "preBind"],
  VolumeZone: ["preFilter", "filter"],
  PodTopologySpread: ["preFilter", "filter", "preScore", "score"],
  InterPodAffinity: ["preFilter", "filter", "preScore", "score"],
  DefaultPreemption: ["preEnqueue", "postFilter"],
  NodeResourcesBalancedAllocation: ["preScore", "score"],
  ImageLocality: ["score"],
  DefaultBinder: ["bind"],
  DynamicResources: [
    "preEnqueue",
    "preFilter",
    "filter",
    "postFilter",
    "score",
    "reserve",
    "preBind",
  ],
};

/**
 * Plugins removed from `kubescheduler.config.k8s.io/v1`; naming one is a validation error
 * (`was invalid in version ...`), as upstream.
 */
export const REMOVED_PLUGINS: ReadonlySet<string> = new Set([
  "AzureDiskLimits",
  "CinderLimits",
  "EBSLimits",
  "GCEPDLimits",
]);

/**
 * gantry's out-of-tree plugins (docs/placement-strategies.md): not part of kube-scheduler, but
 * registered beside the in-tree ones so a profile can enable, weigh and combine them.
 * `GpuShare` is the GPU-sharing filter (and device choice at Reserve); the others are score
 * plugins: the classic bin-packing strategies and the FGD paper's GPU policies.
 */
export const GantryPluginName = {
  GpuShare: "GpuShare",
  FirstFit: "FirstFit",
  BestFit: "BestFit",
  WorstFit: "WorstFit",
  DotProduct: "DotProduct",
  RandomScore: "RandomScore",
  GpuRandomScore: "GpuRandomScore",
  GpuDotProdScore: "GpuDotProdScore",
  GpuClusteringScore: "GpuClusteringScore",
  GpuPackingScore: "GpuPackingScore",
  GpuBestFitScore: "GpuBestFitScore",
  FGDScore: "FGDScore",
} as const;

export type GantryPluginName = (typeof GantryPluginName)[keyof typeof GantryPluginName];

/** Extension points of each gantry (out-of-tree) plugin; see {@link GantryPluginName}. */
export const GANTRY_PLUGIN_EXTENSION_POINTS: Readonly<
  Record<GantryPluginName, readonly ExtensionPoint[]>
> = {
  GpuShare: ["filter", "reserve"],
  FirstFit: ["score"],
  BestFit: ["score"],
  WorstFit: ["score"],
  DotProduct: ["score"],
  RandomScore: ["score"],
  // PreScore records the scored nodes; the first Score call draws among them.
  GpuRandomScore: ["preScore", "score"],
  GpuDotProdScore: ["score"],
  GpuClusteringScore: ["score"],
  GpuPackingScore: ["score"],
  GpuBestFitScore: ["score"],
  FGDScore: ["score"],
};

/** A plugin a profile may name: in-tree (kube-scheduler v1.35) or gantry's own. */
export type KnownPluginName = InTreePluginName | GantryPluginName;

/** Whether `name` is an in-tree plugin of kube-scheduler v1.35. */
export function isInTreePlugin(name: string): name is InTreePluginName {
  return Object.hasOwn(PLUGIN_EXTENSION_POINTS, name);
}

/** Whether `name` is one of gantry's out-of-tree plugins. */
export function isGantryPlugin(name: string): name is GantryPluginName {
  return Object.hasOwn(GANTRY_PLUGIN_EXTENSION_POINTS, name);
}

/** Whether `name` is a plugin a profile may name (in-tree or gantry's). */
export function isKnownPlugin(name: string): name is KnownPluginName {
  return isInTreePlugin(name) || isGantryPlugin(name);
}

/** The extension points plugin `name` implements. */
export function pluginExtensionPoints(name: KnownPluginName): readonly ExtensionPoint[] {
  return isInTreePlugin(name)
    ? PLUGIN_EXTENSION_POINTS[name]
    : GANTRY_PLUGIN_EXTENSION_POINTS[name];
}

/** Whether plugin `name` implements extension point `point`. */
export function implementsPoint(name: KnownPluginName, point: ExtensionPoint): boolean {
  return pluginExtensionPoints(name).includes(point);
}

/**
 * Plugins that take typed args: the in-tree `<Name>Args` kinds of
 * `kubescheduler.config.k8s.io/v1`, then gantry's `GpuShareArgs` and `FGDScoreArgs`.
 */
export const PLUGINS_WITH_ARGS = [
  "DefaultPreemption",
  "DynamicResources",
  "InterPodAffinity",
  "NodeAffinity",
  "NodeResourcesBalancedAllocation",
  "NodeResourcesFit",
  "PodTopologySpread",
  "VolumeBinding",
  "GpuShare",
  "FGDScore",
] as const satisfies readonly KnownPluginName[];

export type PluginWithArgs = (typeof PLUGINS_WITH_ARGS)[number];

/** Whether `name` is a plugin that takes typed args. */
export function hasArgs(name: string): name is PluginWithArgs {
  return (PLUGINS_WITH_ARGS as readonly string[]).includes(name);
}

/** The API group/version gantry reads. */
export const CONFIG_API_VERSION = "kubescheduler.config.k8s.io/v1";
