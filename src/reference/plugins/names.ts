/** Plugin names, verbatim from upstream `pkg/scheduler/framework/plugins/names/names.go`. */
export const NodeUnschedulable = "NodeUnschedulable";
export const NodeName = "NodeName";
export const NodePorts = "NodePorts";
export const NodeResourcesFit = "NodeResourcesFit";
export const NodeResourcesBalancedAllocation = "NodeResourcesBalancedAllocation";
export const TaintToleration = "TaintToleration";
export const NodeAffinity = "NodeAffinity";
export const ImageLocality = "ImageLocality";
export const PodTopologySpread = "PodTopologySpread";
export const InterPodAffinity = "InterPodAffinity";
export const DefaultPreemption = "DefaultPreemption";
export const VolumeRestrictions = "VolumeRestrictions";
export const NodeVolumeLimits = "NodeVolumeLimits";
export const VolumeBinding = "VolumeBinding";
export const VolumeZone = "VolumeZone";

// gantry's out-of-tree plugins (docs/placement-strategies.md; `GantryPluginName` in src/config).
export const GpuShare = "GpuShare";
export const FirstFit = "FirstFit";
export const BestFit = "BestFit";
export const WorstFit = "WorstFit";
export const DotProduct = "DotProduct";
export const RandomScore = "RandomScore";
export const GpuRandomScore = "GpuRandomScore";
export const GpuDotProdScore = "GpuDotProdScore";
export const GpuClusteringScore = "GpuClusteringScore";
export const GpuPackingScore = "GpuPackingScore";
export const GpuBestFitScore = "GpuBestFitScore";
export const FGDScore = "FGDScore";
