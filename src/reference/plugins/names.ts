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
