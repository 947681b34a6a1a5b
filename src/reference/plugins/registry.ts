/**
 * The in-tree registry of the reference scheduler (upstream `plugins/registry.go`).
 */
import { Registry } from "../framework/registry.ts";
import { DefaultPreemption, newDefaultPreemption } from "./defaultpreemption/index.ts";
import { newImageLocality } from "./imagelocality/index.ts";
import { InterPodAffinity, newInterPodAffinity } from "./interpodaffinity/index.ts";
import * as names from "./names.ts";
import { newNodeAffinity } from "./nodeaffinity/index.ts";
import { newNodeName } from "./nodename/index.ts";
import { newNodePorts } from "./nodeports/index.ts";
import { newBalancedAllocation } from "./noderesourcesbalancedallocation/index.ts";
import { newNodeResourcesFit } from "./noderesourcesfit/index.ts";
import { newNodeUnschedulable } from "./nodeunschedulable/index.ts";
import { newPodTopologySpread, NAME as PodTopologySpread } from "./podtopologyspread/index.ts";
import { newTaintToleration } from "./tainttoleration/index.ts";

/** Names of the plugins the reference scheduler implements, in default-profile order. */
export const IMPLEMENTED_PLUGINS: readonly string[] = [
  names.NodeUnschedulable,
  names.NodeName,
  names.TaintToleration,
  names.NodeAffinity,
  names.NodePorts,
  names.NodeResourcesFit,
  PodTopologySpread,
  InterPodAffinity,
  DefaultPreemption,
  names.NodeResourcesBalancedAllocation,
  names.ImageLocality,
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
  r.register(PodTopologySpread, newPodTopologySpread);
  r.register(InterPodAffinity, newInterPodAffinity);
  r.register(DefaultPreemption, newDefaultPreemption);
  r.register(names.NodeResourcesBalancedAllocation, newBalancedAllocation);
  r.register(names.ImageLocality, newImageLocality);
  return r;
}
