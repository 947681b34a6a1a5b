// The core's current profile and pod: what setProfile and setPod bind, read by the plugins and
// the cycle. Profile values change once per scheduler; pod values when the pod class changes.
// Also the per-node score cache columns and the change log of nodes whose state changed.

import { ldF64, ldI32, stI32 } from "./table";

// ---- Profile (setProfile) -------------------------------------------------------------------

/** Score plugin weights; 0 = the plugin does not score in this profile. */
export let wTaint: i32 = 0;
export let wAffinity: i32 = 0;
export let wFit: i32 = 0;
export let wBalanced: i32 = 0;
export let wImage: i32 = 0;
/** PodTopologySpread's weight (its constraints come per class, assembly/plugins/podtopologyspread.ts). */
export let wSpread: i32 = 0;
/** Filter plugins: bit 0 NodePorts, bit 1 NodeResourcesFit, bit 2 "profile has filters". */
export let filters: i32 = 0;
/** 0 LeastAllocated, 1 MostAllocated, 2 RequestedToCapacityRatio. */
export let strategy: i32 = 0;
/** Fit scoring resources: kinds (i32; 0 cpu, 1 memory, 2 ephemeral-storage, 3+k scalar k, -1 absent) and weights (i32). */
export let fitN: i32 = 0;
export let fitKind: usize = 0;
export let fitWeight: usize = 0;
/** RequestedToCapacityRatio shape: pairs (utilization, score × 10) as i32. */
export let shapeN: i32 = 0;
export let shapePtr: usize = 0;
/** Balanced allocation resources (kinds as above) and formula version (135 or 136). */
export let balN: i32 = 0;
export let balKind: usize = 0;
export let balVersion: i32 = 135;
/** Scratch: feasible node indices (i32 × nodeCount), totals (i64), per-plugin scores (i32). */
export let feasible: usize = 0;
/**
 * Fast paths, chosen at setProfile: fit scoring over exactly [cpu, memory] with LeastAllocated
 * or MostAllocated, balanced allocation over exactly [cpu, memory], and every node's memory
 * below 2^45 bytes so that f64 division truncates exactly like int64 division (a quotient
 * k + f with f ≥ 1/alloc survives rounding while alloc × 100 × 2^-53 < 1/alloc … see
 * src/core/scheduler.ts). Same results, no per-resource dispatch.
 */
export let fitFast: bool = false;
/** Whether every total fits an i32: 100 × Σ weights < 2^31 (totalsFast). */
export let smallWeights: bool = false;
export let balFast: bool = false;
export let fitW0: i32 = 1;
export let fitW1: i32 = 1;
export let fitReqCpu: f64 = 0;
export let fitReqMem: f64 = 0;
export let balReqCpu: f64 = 0;
export let balReqMem: f64 = 0;

// ---- Pod (setPod) ---------------------------------------------------------------------------

export let podCpu: i32 = 0;
export let podMem: f64 = 0;
export let podEph: f64 = 0;
export let podNzCpu: i32 = 0;
export let podNzMem: f64 = 0;
export let podScalarN: i32 = 0;
export let podScalarKind: usize = 0;
export let podScalarAmt: usize = 0;
/** The scalar requests the fit filter checks (the accounted ones minus ignoredResources). */
export let podFilterN: i32 = 0;
export let podFilterKind: usize = 0;
export let podFilterAmt: usize = 0;
export let podFitReq: usize = 0;
export let podBalReq: usize = 0;
export let clsCode: usize = 0;
export let clsTaintRaw: usize = 0;
export let clsAffRaw: usize = 0;
export let clsImage: usize = 0;
export let podPorts: usize = 0;
/** The class's selection tree (0 = none; see "Incremental selection"). */
export let clsTree: usize = 0;
/** The class's maximum TaintToleration / NodeAffinity raw score over all nodes (computeStatic). */
export let clsTaintMax: i32 = 0;
export let clsAffMax: i32 = 0;
/**
 * Per-class score cache (0 = off): cacheVal[i] = fit × wFit + balanced × wBalanced + image × wImage
 * for node i (see totalsCached), valid while
 * cacheVer[i] equals nodeVersion[i]; assume and forget bump nodeVersion[i]. Exact: the cached
 * scores depend only on the class (fixed per slot) and node i's own columns.
 */
export let cacheVal: usize = 0;
export let cacheVer: usize = 0;
export let nodeVersion: usize = 0;

/** Binds the per-node version column (i32 × nodeCount, bumped by assume / forget). */
export function bindVersions(ptr: usize): void {
  nodeVersion = ptr;
}

/**
 * The change log: every assume / forget appends its node to a ring of `logMask + 1` entries
 * (a power of two) and advances `changeSeq`; class trees replay it (see "Incremental
 * selection" below).
 */
export let changeLog: usize = 0;
export let logMask: i32 = 0;
export let changeSeq: i64 = 0;

/** Binds the change log ring (i32 × `size`, `size` a power of two; 0 disables trees). */
export function bindChangeLog(ptr: usize, size: i32): void {
  changeLog = ptr;
  logMask = size - 1;
}

// @ts-ignore: decorator
@inline export function logChange(i: i32): void {
  if (changeLog != 0) {
    stI32(changeLog, <i32>changeSeq & logMask, i);
    changeSeq++;
  }
}
/** bit 0: NodeAffinity skipped at PreScore; bit 1: NodeResourcesBalancedAllocation skipped. */
export let podSkip: i32 = 0;

export function setProfile(
  weightTaint: i32,
  weightAffinity: i32,
  weightFit: i32,
  weightBalanced: i32,
  weightImage: i32,
  filterBits: i32,
  strat: i32,
  nFit: i32,
  fKind: usize,
  fWeight: usize,
  nShape: i32,
  shape: usize,
  nBal: i32,
  bKind: usize,
  bVersion: i32,
  scratchFeasible: usize,
  exactF64: i32,
  weightSpread: i32,
): void {
  wSpread = weightSpread;
  wTaint = weightTaint;
  wAffinity = weightAffinity;
  wFit = weightFit;
  wBalanced = weightBalanced;
  wImage = weightImage;
  filters = filterBits;
  strategy = strat;
  fitN = nFit;
  fitKind = fKind;
  fitWeight = fWeight;
  shapeN = nShape;
  shapePtr = shape;
  balN = nBal;
  balKind = bKind;
  balVersion = bVersion;
  feasible = scratchFeasible;
  fitFast =
    exactF64 != 0 &&
    strategy != 2 &&
    fitN == 2 &&
    ldI32(fitKind, 0) == 0 &&
    ldI32(fitKind, 1) == 1;
  if (fitFast) {
    fitW0 = ldI32(fitWeight, 0);
    fitW1 = ldI32(fitWeight, 1);
  }
  smallWeights =
    <i64>100 *
      (<i64>wTaint + <i64>wAffinity + <i64>wFit + <i64>wBalanced + <i64>wImage + <i64>wSpread) <
    <i64>i32.MAX_VALUE;
  balFast = balVersion == 135 && balN == 2 && ldI32(balKind, 0) == 0 && ldI32(balKind, 1) == 1;
}

/**
 * Nodes the current pod may not take this cycle (u8 per node, 1 = blocked; 0 = none): where
 * nominated pods of at least its priority would not leave it room (upstream's
 * RunFilterPluginsWithNominatedPods, evaluated by the host). Reset by every setPod.
 */
export let podBlocked: usize = 0;

export function setPodBlocked(ptr: usize): void {
  podBlocked = ptr;
}

/**
 * Whether Filter plugins evaluated by the host apply to the current pod (the volume plugins, whose
 * state is an object graph kept in JavaScript): the filter loop then asks the host, through the
 * imported `env.hostFilter(node)`, for each node it visits. Reset by every setPod.
 */
export let podHostFilter: bool = false;

export function setPodHostFilter(on: i32): void {
  podHostFilter = on != 0;
}

/** The host's verdict for node i (0 pass, else the filter code); see podHostFilter. */
// @ts-ignore: decorator
@external("env", "hostFilter")
export declare function hostFilter(i: i32): i32;

export function setPod(
  cpu: i32,
  mem: f64,
  eph: f64,
  nzC: i32,
  nzM: f64,
  nScalar: i32,
  scalarKind: usize,
  scalarAmt: usize,
  fitReq: usize,
  balReq: usize,
  code: usize,
  taintRaw: usize,
  affRaw: usize,
  image: usize,
  ports: usize,
  skip: i32,
  cVal: usize,
  cVer: usize,
  nFilter: i32,
  filterKind: usize,
  filterAmt: usize,
  taintMax: i32,
  affMax: i32,
  tree: usize,
): void {
  podBlocked = 0;
  podHostFilter = false;
  clsTaintMax = taintMax;
  clsAffMax = affMax;
  clsTree = tree;
  podFilterN = nFilter;
  podFilterKind = filterKind;
  podFilterAmt = filterAmt;
  cacheVal = cVal;
  cacheVer = cVer;
  podCpu = cpu;
  podMem = mem;
  podEph = eph;
  podNzCpu = nzC;
  podNzMem = nzM;
  podScalarN = nScalar;
  podScalarKind = scalarKind;
  podScalarAmt = scalarAmt;
  podFitReq = fitReq;
  podBalReq = balReq;
  clsCode = code;
  clsTaintRaw = taintRaw;
  clsAffRaw = affRaw;
  clsImage = image;
  podPorts = ports;
  podSkip = skip;
  if (fitFast) {
    fitReqCpu = ldF64(podFitReq, 0);
    fitReqMem = ldF64(podFitReq, 1);
  }
  if (balFast) {
    balReqCpu = ldF64(podBalReq, 0);
    balReqMem = ldF64(podBalReq, 1);
  }
}

/**
 * The counter columns (i32 × nodeCount, one per PodTopologySpread (selector, namespace)) that pods
 * of the current class count in: assume / forget add or remove 1 at the node.
 */
export let counterN: i32 = 0;
export let counterList: usize = 0;

export function setCounters(list: usize, n: i32): void {
  counterList = list;
  counterN = n;
}

/**
 * The current pod's spec.nodeName (interned, -1 when unset): NodeName is checked per pod, not per
 * class, because pods of one class may name different nodes (bound pods do).
 */
export let podNodeName: i32 = -1;
/** Whether the profile runs NodeName at Filter. */
export let nodeNameOn: bool = false;

export function setPodNodeName(id: i32, enabled: i32): void {
  podNodeName = id;
  nodeNameOn = enabled != 0;
}
