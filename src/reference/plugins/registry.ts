/**
 * The registry of the reference scheduler (upstream `plugins/registry.go`): the in-tree plugins
 * it implements plus gantry's own (docs/placement-strategies.md).
 */
import { Registry } from "../framework/registry.ts";
import {
  newBestFit,
  newDotProduct,
  newFirstFit,
  newRandomScore,
  newWorstFit,
} from "./binpacking/index.ts";
import { DefaultPreemption, newDefaultPreemption } from "./defaultpreemption/index.ts";
import {
  newFGDScore,
  newGpuBestFitScore,
  newGpuClusteringScore,
  newGpuDotProdScore,
  newGpuPackingScore,
  newGpuRandomScore,
} from "./gpuscores/index.ts";
import { newGpuShare } from "./gpushare/index.ts";
import { newImageLocality } from "./imagelocality/index.ts";
import { InterPodAffinity, newInterPodAffinity } from "./interpodaffinity/index.ts";
import * as names from "./names.ts";
import { newNodeAffinity } from "./nodeaffinity/index.ts";
import { newNodeName } from "./nodename/index.ts";
import { newNodePorts } from "./nodeports/index.ts";
import { newBalancedAllocation } from "./noderesourcesbalancedallocation/index.ts";
import { newNodeResourcesFit } from "./noderesourcesfit/index.ts";
import { newNodeUnschedulable } from "./nodeunschedulable/index.ts";
import { newNodeVolumeLimits } from "./nodevolumelimits/index.ts";
import { newPodTopologySpread, NAME as PodTopologySpread } from "./podtopologyspread/index.ts";
import { newTaintToleration } from "./tainttoleration/index.ts";
import { newVolumeBinding } from "./volumebinding/index.ts";
import { newVolumeRestrictions } from "./volumerestrictions/index.ts";
import { newVolumeZone } from "./volumezone/index.ts";

/**
 * Names of the plugins the reference scheduler implements, in default-profile order (the four
 * volume plugins after GpuShare), then
 * gantry's score plugins (GpuShare is in the default profile, after NodeResourcesFit).
 */
export const IMPLEMENTED_PLUGINS: readonly string[] = [
  names.NodeUnschedulable,
  names.NodeName,
  names.TaintToleration,
  names.NodeAffinity,
  names.NodePorts,
  names.NodeResourcesFit,
  names.GpuShare,
  names.VolumeRestrictions,
  names.NodeVolumeLimits,
  names.VolumeBinding,
  names.VolumeZone,
  PodTopologySpread,
  InterPodAffinity,
  DefaultPreemption,
  names.NodeResourcesBalancedAllocation,
  names.ImageLocality,
  names.FirstFit,
  names.BestFit,
  names.WorstFit,
  names.DotProduct,
  names.RandomScore,
  names.GpuRandomScore,
  names.GpuDotProdScore,
  names.GpuClusteringScore,
  names.GpuPackingScore,
  names.GpuBestFitScore,
  names.FGDScore,
];

/** A fresh registry with every implemented plugin. */
export function defaultRegistry(): Registry {
  const r = new Registry();
  r.register(names.NodeUnschedulable, newNodeUnschedulable);
  r.register(names.NodeName, newNodeName);
  r.register(names.TaintToleration, newTaintToleration);
  r.register(names.NodeAffinity, newNodeAffinity);
  r.register(names.NodePorts, newNodePorts);
  r.register(names.NodeResourcesFit, newNodeResourcesFit);
  r.register(names.GpuShare, newGpuShare);
  r.register(names.VolumeRestrictions, newVolumeRestrictions);
  r.register(names.NodeVolumeLimits, newNodeVolumeLimits);
  r.register(names.VolumeBinding, newVolumeBinding);
  r.register(names.VolumeZone, newVolumeZone);
  r.register(PodTopologySpread, newPodTopologySpread);
  r.register(InterPodAffinity, newInterPodAffinity);
  r.register(DefaultPreemption, newDefaultPreemption);
  r.register(names.NodeResourcesBalancedAllocation, newBalancedAllocation);
  r.register(names.ImageLocality, newImageLocality);
  r.register(names.FirstFit, newFirstFit);
  r.register(names.BestFit, newBestFit);
  r.register(names.WorstFit, newWorstFit);
  r.register(names.DotProduct, newDotProduct);
  r.register(names.RandomScore, newRandomScore);
  r.register(names.GpuRandomScore, newGpuRandomScore);
  r.register(names.GpuDotProdScore, newGpuDotProdScore);
  r.register(names.GpuClusteringScore, newGpuClusteringScore);
  r.register(names.GpuPackingScore, newGpuPackingScore);
  r.register(names.GpuBestFitScore, newGpuBestFitScore);
  r.register(names.FGDScore, newFGDScore);
  return r;
}
