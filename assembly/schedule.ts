// One scheduling cycle for one pod: dynamic filters (NodePorts, NodeResourcesFit) over the
// class's statically feasible nodes with kube-scheduler's node sampling, then Score,
// NormalizeScore, the weighted sum, selectHost, and the assume step. Semantics:
// ../shared/reference/kube-scheduler-semantics.md §1 and §4 (cited per formula below).

import {
  allocCpu,
  allocEph,
  allocMem,
  allocPods,
  ldF64,
  ldI32,
  nodeCount,
  nzCpu,
  nzMem,
  podCount,
  reqCpu,
  reqEph,
  reqMem,
  scalarCols,
  stF64,
  stI32,
} from "./table";
import { nextBounded } from "./rand";

// ---- Profile (setProfile) -------------------------------------------------------------------

/** Score plugin weights; 0 = the plugin does not score in this profile. */
let wTaint: i32 = 0;
let wAffinity: i32 = 0;
let wFit: i32 = 0;
let wBalanced: i32 = 0;
let wImage: i32 = 0;
/** Filter plugins: bit 0 NodePorts, bit 1 NodeResourcesFit, bit 2 "profile has filters". */
let filters: i32 = 0;
/** 0 LeastAllocated, 1 MostAllocated, 2 RequestedToCapacityRatio. */
let strategy: i32 = 0;
/** Fit scoring resources: kinds (i32; 0 cpu, 1 memory, 2 ephemeral-storage, 3+k scalar k, -1 absent) and weights (i32). */
let fitN: i32 = 0;
let fitKind: usize = 0;
let fitWeight: usize = 0;
/** RequestedToCapacityRatio shape: pairs (utilization, score × 10) as i32. */
let shapeN: i32 = 0;
let shapePtr: usize = 0;
/** Balanced allocation resources (kinds as above) and formula version (135 or 136). */
let balN: i32 = 0;
let balKind: usize = 0;
let balVersion: i32 = 135;
/** Scratch: feasible node indices (i32 × nodeCount), totals (i64), per-plugin scores (i32). */
let feasible: usize = 0;
/**
 * Fast paths, chosen at setProfile: fit scoring over exactly [cpu, memory] with LeastAllocated
 * or MostAllocated, balanced allocation over exactly [cpu, memory], and every node's memory
 * below 2^45 bytes so that f64 division truncates exactly like int64 division (a quotient
 * k + f with f ≥ 1/alloc survives rounding while alloc × 100 × 2^-53 < 1/alloc … see
 * src/core/scheduler.ts). Same results, no per-resource dispatch.
 */
let fitFast: bool = false;
/** Whether every total fits an i32: 100 × Σ weights < 2^31 (totalsFast). */
let smallWeights: bool = false;
let balFast: bool = false;
let fitW0: i32 = 1;
let fitW1: i32 = 1;
let fitReqCpu: f64 = 0;
let fitReqMem: f64 = 0;
let balReqCpu: f64 = 0;
let balReqMem: f64 = 0;

// ---- Pod (setPod) ---------------------------------------------------------------------------

let podCpu: i32 = 0;
let podMem: f64 = 0;
let podEph: f64 = 0;
let podNzCpu: i32 = 0;
let podNzMem: f64 = 0;
let podScalarN: i32 = 0;
let podScalarKind: usize = 0;
let podScalarAmt: usize = 0;
/** The scalar requests the fit filter checks (the accounted ones minus ignoredResources). */
let podFilterN: i32 = 0;
let podFilterKind: usize = 0;
let podFilterAmt: usize = 0;
let podFitReq: usize = 0;
let podBalReq: usize = 0;
let clsCode: usize = 0;
let clsTaintRaw: usize = 0;
let clsAffRaw: usize = 0;
let clsImage: usize = 0;
let podPorts: usize = 0;
/** The class's selection tree (0 = none; see "Incremental selection"). */
let clsTree: usize = 0;
/** The class's maximum TaintToleration / NodeAffinity raw score over all nodes (computeStatic). */
let clsTaintMax: i32 = 0;
let clsAffMax: i32 = 0;
/**
 * Per-class score cache (0 = off): cacheVal[i] = fit × wFit + balanced × wBalanced + image × wImage
 * for node i (see totalsCached), valid while
 * cacheVer[i] equals nodeVersion[i]; assume and forget bump nodeVersion[i]. Exact: the cached
 * scores depend only on the class (fixed per slot) and node i's own columns.
 */
let cacheVal: usize = 0;
let cacheVer: usize = 0;
let nodeVersion: usize = 0;

/** Binds the per-node version column (i32 × nodeCount, bumped by assume / forget). */
export function bindVersions(ptr: usize): void {
  nodeVersion = ptr;
}

/**
 * The change log: every assume / forget appends its node to a ring of `logMask + 1` entries
 * (a power of two) and advances `changeSeq`; class trees replay it (see "Incremental
 * selection" below).
 */
let changeLog: usize = 0;
let logMask: i32 = 0;
let changeSeq: i64 = 0;

/** Binds the change log ring (i32 × `size`, `size` a power of two; 0 disables trees). */
export function bindChangeLog(ptr: usize, size: i32): void {
  changeLog = ptr;
  logMask = size - 1;
}

// @ts-ignore: decorator
@inline function logChange(i: i32): void {
  if (changeLog != 0) {
    stI32(changeLog, <i32>changeSeq & logMask, i);
    changeSeq++;
  }
}
/** bit 0: NodeAffinity skipped at PreScore; bit 1: NodeResourcesBalancedAllocation skipped. */
let podSkip: i32 = 0;

// ---- Scheduler state --------------------------------------------------------------------------

/** kube-scheduler's nextStartNodeIndex (§1.2). */
export let nextStart: i32 = 0;
/** Nodes processed (feasible + failed) by the last filterNodes call. */
export let lastProcessed: i32 = 0;
/** Feasible nodes found by the last filterNodes call. */
export let lastFeasible: i32 = 0;

export function setNextStart(v: i32): void {
  nextStart = v;
}

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
): void {
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
    <i64>100 * (<i64>wTaint + <i64>wAffinity + <i64>wFit + <i64>wBalanced + <i64>wImage) <
    <i64>i32.MAX_VALUE;
  balFast = balVersion == 135 && balN == 2 && ldI32(balKind, 0) == 0 && ldI32(balKind, 1) == 1;
}

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

// ---- Resource accessors -------------------------------------------------------------------

// @ts-ignore: decorator
@inline function scalarAlloc(k: i32): usize {
  return <usize>load<u32>(scalarCols + ((<usize>k) << 3));
}

// @ts-ignore: decorator
@inline function scalarReq(k: i32): usize {
  return <usize>load<u32>(scalarCols + ((<usize>k) << 3), 4);
}

/** Allocatable of resource `kind` on node i (0 when absent). */
function allocOf(kind: i32, i: i32): i64 {
  if (kind == 0) return <i64>ldI32(allocCpu, i);
  if (kind == 1) return <i64>ldF64(allocMem, i);
  if (kind == 2) return <i64>ldF64(allocEph, i);
  if (kind < 0) return 0;
  return <i64>ldF64(scalarAlloc(kind - 3), i);
}

/** What node i has requested of `kind`: non-zero requests for cpu/memory when `nonZero`. */
function usedOf(kind: i32, i: i32, nonZero: bool): i64 {
  if (kind == 0) return <i64>(nonZero ? ldI32(nzCpu, i) : ldI32(reqCpu, i));
  if (kind == 1) return <i64>(nonZero ? ldF64(nzMem, i) : ldF64(reqMem, i));
  if (kind == 2) return <i64>ldF64(reqEph, i);
  if (kind < 0) return 0;
  return <i64>ldF64(scalarReq(kind - 3), i);
}

// ---- Filter -------------------------------------------------------------------------------

/** Dynamic filter codes (after the static ones of static.ts). */
export const FAIL_PORTS: u8 = 6;
export const FAIL_FIT: u8 = 7;

/**
 * Whether node i passes NodeResourcesFit's filter for the current pod (§4.1): pod count first,
 * then, unless the pod requests nothing, cpu, memory, ephemeral storage and scalar resources.
 */
export function fits(i: i32): bool {
  return fitsInline(i);
}

// @ts-ignore: decorator
@inline function fitsInline(i: i32): bool {
  if (ldI32(podCount, i) + 1 > ldI32(allocPods, i)) return false;
  if (podCpu > 0 && podCpu > ldI32(allocCpu, i) - ldI32(reqCpu, i)) return false;
  if (podMem > 0 && podMem > ldF64(allocMem, i) - ldF64(reqMem, i)) return false;
  if (podEph > 0 && podEph > ldF64(allocEph, i) - ldF64(reqEph, i)) return false;
  for (let k = 0; k < podFilterN; k++) {
    const amt = ldF64(podFilterAmt, k);
    if (amt == 0) continue;
    const kind = ldI32(podFilterKind, k);
    if (kind < 0) return false;
    if (amt > ldF64(scalarAlloc(kind), i) - ldF64(scalarReq(kind), i)) return false;
  }
  return true;
}

/** The dynamic verdict for node i: PASS (0), FAIL_PORTS or FAIL_FIT; `portsFirst` orders them. */
// @ts-ignore: decorator
@inline function dynamicCode(i: i32, portsFirst: bool): u8 {
  const portFail = podPorts != 0 && (filters & 1) != 0 && load<u8>(podPorts + <usize>i) != 0;
  const fitFail = (filters & 2) != 0 && !fitsInline(i);
  if (portsFirst) {
    if (portFail) return FAIL_PORTS;
    if (fitFail) return FAIL_FIT;
  } else {
    if (fitFail) return FAIL_FIT;
    if (portFail) return FAIL_PORTS;
  }
  return 0;
}

/**
 * Filter with node sampling (§1.2). Visits nodes in rotated order from `nextStart` (over the
 * `listLen` node indices at `list`, or all nodes when `list` is 0) until `numToFind` feasible
 * nodes are found; writes their indices to the feasible scratch and, when `codes` is non-zero,
 * every visited node's verdict (u8) to codes[node]. Advances nextStart. Returns the count.
 */
export function filterNodes(numToFind: i32, list: usize, listLen: i32, codes: usize): i32 {
  const n = list == 0 ? nodeCount : listLen;
  if (n == 0) {
    lastProcessed = 0;
    lastFeasible = 0;
    return 0;
  }
  let found = 0;
  let processed = 0;
  if ((filters & 4) == 0) {
    // No Filter plugins: the first numToFind nodes in rotated order are feasible.
    for (let k = 0; k < numToFind && k < n; k++) {
      const pos = (nextStart + k) % n;
      const i = list == 0 ? pos : ldI32(list, pos);
      stI32(feasible, found++, i);
      if (codes != 0) store<u8>(codes + <usize>i, 0);
    }
    lastProcessed = found;
    lastFeasible = found;
    return found;
  }
  if (list == 0 && codes == 0 && (podPorts == 0 || (filters & 1) == 0) && podFilterN == 0) {
    if ((filters & 2) != 0) return filterFast(numToFind, n);
  }
  const portsFirst = (filters & 8) == 0;
  let pos = nextStart;
  for (let k = 0; k < n; k++) {
    const i = list == 0 ? pos : ldI32(list, pos);
    if (++pos == n) pos = 0;
    processed++;
    let code = load<u8>(clsCode + <usize>i);
    if (code == 0) code = dynamicCode(i, portsFirst);
    if (codes != 0) store<u8>(codes + <usize>i, code);
    if (code == 0) {
      stI32(feasible, found++, i);
      if (found == numToFind) break;
    }
  }
  nextStart = (nextStart + processed) % n;
  lastProcessed = processed;
  lastFeasible = found;
  return found;
}

/**
 * Four nodes' NodeResourcesFit filter at once (nodes base … base+3), as a 4-bit mask (bit l set
 * when node base+l fits): pod count, then cpu / memory / ephemeral storage when requested.
 * Same comparisons as fitsInline (f64 holds the byte counts exactly); no scalar resources.
 */
// @ts-ignore: decorator
@inline function fit4(base: i32): i32 {
  const o4 = (<usize>base) << 2;
  const o8 = (<usize>base) << 3;
  let ok = i32x4.le_s(
    i32x4.add(v128.load(podCount + o4), i32x4.splat(1)),
    v128.load(allocPods + o4),
  );
  if (podCpu > 0) {
    const free = i32x4.sub(v128.load(allocCpu + o4), v128.load(reqCpu + o4));
    ok = v128.and(ok, i32x4.le_s(i32x4.splat(podCpu), free));
  }
  if (podMem > 0) {
    const want = f64x2.splat(podMem);
    const m0 = f64x2.le(want, f64x2.sub(v128.load(allocMem + o8), v128.load(reqMem + o8)));
    const m1 = f64x2.le(
      want,
      f64x2.sub(v128.load(allocMem + o8 + 16), v128.load(reqMem + o8 + 16)),
    );
    ok = v128.and(ok, v128.shuffle<i32>(m0, m1, 0, 2, 4, 6));
  }
  if (podEph > 0) {
    const want = f64x2.splat(podEph);
    const m0 = f64x2.le(want, f64x2.sub(v128.load(allocEph + o8), v128.load(reqEph + o8)));
    const m1 = f64x2.le(
      want,
      f64x2.sub(v128.load(allocEph + o8 + 16), v128.load(reqEph + o8 + 16)),
    );
    ok = v128.and(ok, v128.shuffle<i32>(m0, m1, 0, 2, 4, 6));
  }
  let mask = i32(v128.bitmask<i32>(ok));
  // Static verdicts of the class: a lane passes only when its code byte is 0.
  const c = load<u32>(clsCode + <usize>base);
  if (c != 0) {
    if ((c & 0xff) != 0) mask &= ~1;
    if ((c & 0xff00) != 0) mask &= ~2;
    if ((c & 0xff0000) != 0) mask &= ~4;
    if ((c & 0xff000000) != 0) mask &= ~8;
  }
  return mask;
}

/**
 * filterNodes over all nodes for a pod without host ports or scalar requests: aligned blocks of
 * four nodes through fit4, single nodes at the unaligned ends. Visits nodes in exactly the
 * rotated order of the general loop and stops at the same node, so results are identical.
 */
function filterFast(numToFind: i32, n: i32): i32 {
  let found = 0;
  let processed = 0;
  let pos = nextStart;
  while (processed < n) {
    if ((pos & 3) == 0 && pos + 4 <= n && n - processed >= 4) {
      const mask = fit4(pos);
      if (mask == 15 && found + 4 < numToFind) {
        stI32(feasible, found, pos);
        stI32(feasible, found + 1, pos + 1);
        stI32(feasible, found + 2, pos + 2);
        stI32(feasible, found + 3, pos + 3);
        found += 4;
        processed += 4;
      } else {
        let l = 0;
        for (; l < 4; l++) {
          processed++;
          if ((mask & (1 << l)) != 0) {
            stI32(feasible, found++, pos + l);
            if (found == numToFind) break;
          }
        }
        if (found == numToFind) break;
      }
      pos += 4;
      if (pos == n) pos = 0;
      continue;
    }
    processed++;
    if (load<u8>(clsCode + <usize>pos) == 0 && fitsInline(pos)) {
      stI32(feasible, found++, pos);
      if (found == numToFind) break;
    }
    if (++pos == n) pos = 0;
  }
  nextStart = (nextStart + processed) % n;
  lastProcessed = processed;
  lastFeasible = found;
  return found;
}

// ---- Score ----------------------------------------------------------------------------------

/** RequestedToCapacityRatio's broken-linear shape function (§4.5), integer arithmetic. */
function shapeScore(p: i64): i64 {
  for (let k = 0; k < shapeN; k++) {
    const u = <i64>load<i32>(shapePtr + ((<usize>k) << 3));
    if (p <= u) {
      const s = <i64>load<i32>(shapePtr + ((<usize>k) << 3), 4);
      if (k == 0) return s;
      const u0 = <i64>load<i32>(shapePtr + ((<usize>(k - 1)) << 3));
      const s0 = <i64>load<i32>(shapePtr + ((<usize>(k - 1)) << 3), 4);
      return s0 + ((s - s0) * (p - u0)) / (u - u0);
    }
  }
  return <i64>load<i32>(shapePtr + ((<usize>(shapeN - 1)) << 3), 4);
}

/** fitScore for [cpu, memory] with LeastAllocated / MostAllocated, in f64 (exact; see fitFast). */
// @ts-ignore: decorator
@inline function fitScoreFast(i: i32): i64 {
  const aC = <f64>ldI32(allocCpu, i);
  const aM = ldF64(allocMem, i);
  const rC = <f64>ldI32(nzCpu, i) + fitReqCpu;
  const rM = ldF64(nzMem, i) + fitReqMem;
  let sum: i32 = 0;
  let wSum: i32 = 0;
  if (aC != 0) {
    let s: f64;
    if (strategy == 0) s = rC > aC ? 0 : Math.trunc(((aC - rC) * 100) / aC);
    else s = Math.trunc(((rC > aC ? aC : rC) * 100) / aC);
    sum += <i32>s * fitW0;
    wSum += fitW0;
  }
  if (aM != 0) {
    let s: f64;
    if (strategy == 0) s = rM > aM ? 0 : Math.trunc(((aM - rM) * 100) / aM);
    else s = Math.trunc(((rM > aM ? aM : rM) * 100) / aM);
    sum += <i32>s * fitW1;
    wSum += fitW1;
  }
  return wSum == 0 ? 0 : <i64>(sum / wSum);
}

/** balance(i, true) for [cpu, memory]: the two-resource case of §4.5.1. */
// @ts-ignore: decorator
@inline function balancedFast(i: i32): i64 {
  const aC = <f64>ldI32(allocCpu, i);
  const aM = ldF64(allocMem, i);
  let m = 0;
  let f0: f64 = 0;
  let f1: f64 = 0;
  if (aC != 0) {
    f0 = (<f64>ldI32(reqCpu, i) + balReqCpu) / aC;
    if (f0 > 1) f0 = 1;
    m = 1;
  }
  if (aM != 0) {
    let f = (ldF64(reqMem, i) + balReqMem) / aM;
    if (f > 1) f = 1;
    if (m == 0) f0 = f;
    else f1 = f;
    m++;
  }
  const std: f64 = m == 2 ? Math.abs((f0 - f1) / 2) : 0;
  return <i64>((1.0 - std) * 100.0);
}

/** NodeResourcesFit's score for node i (§4.2–4.5). */
export function fitScore(i: i32): i64 {
  if (fitFast) return fitScoreFast(i);
  let nodeScore: i64 = 0;
  let weightSum: i64 = 0;
  for (let j = 0; j < fitN; j++) {
    const kind = ldI32(fitKind, j);
    const podReq = <i64>ldF64(podFitReq, j);
    if (kind >= 3 && podReq == 0) continue; // scalar the pod does not request
    const alloc = allocOf(kind, i);
    if (alloc == 0) continue;
    const req = usedOf(kind, i, true) + podReq;
    const w = <i64>ldI32(fitWeight, j);
    let s: i64;
    if (strategy == 0) {
      s = req > alloc ? 0 : ((alloc - req) * 100) / alloc;
    } else if (strategy == 1) {
      s = ((req > alloc ? alloc : req) * 100) / alloc;
    } else {
      s = req > alloc ? shapeScore(100) : shapeScore((req * 100) / alloc);
      if (s <= 0) continue; // RTC drops zero scores from both sums
    }
    nodeScore += s * w;
    weightSum += w;
  }
  if (weightSum == 0) return 0;
  if (strategy == 2) return <i64>Math.round(<f64>nodeScore / <f64>weightSum);
  return nodeScore / weightSum;
}

/** Balanced allocation of node i with `withPod` (§4.5.1): trunc((1 − std) × 100). */
function balance(i: i32, withPod: bool): i64 {
  let f0: f64 = 0;
  let f1: f64 = 0;
  let total: f64 = 0;
  let m = 0;
  // Fractions are kept in the feasible-scratch-free way: at most a handful of resources, so
  // two passes (mean, then variance) recompute them instead of storing.
  for (let j = 0; j < balN; j++) {
    const kind = ldI32(balKind, j);
    const podReq = <i64>ldF64(podBalReq, j);
    if (kind >= 3 && podReq == 0) continue;
    const alloc = allocOf(kind, i);
    if (alloc == 0) continue;
    let f = <f64>(usedOf(kind, i, false) + (withPod ? podReq : 0)) / <f64>alloc;
    if (f > 1) f = 1;
    if (m == 0) f0 = f;
    else if (m == 1) f1 = f;
    total += f;
    m++;
  }
  let std: f64 = 0;
  if (m == 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (m > 2) {
    const mean = total / <f64>m;
    let sum: f64 = 0;
    for (let j = 0; j < balN; j++) {
      const kind = ldI32(balKind, j);
      const podReq = <i64>ldF64(podBalReq, j);
      if (kind >= 3 && podReq == 0) continue;
      const alloc = allocOf(kind, i);
      if (alloc == 0) continue;
      let f = <f64>(usedOf(kind, i, false) + (withPod ? podReq : 0)) / <f64>alloc;
      if (f > 1) f = 1;
      sum = sum + (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / <f64>m);
  }
  return <i64>((1.0 - std) * 100.0);
}

/** NodeResourcesBalancedAllocation's score for node i (§4.5.1; §4.5.2 when version 136). */
export function balancedScore(i: i32): i64 {
  if (balFast) return balancedFast(i);
  if (balVersion == 136) {
    return 50 + (50 + balance(i, true) - balance(i, false)) / 2;
  }
  return balance(i, true);
}

/**
 * Scores the `found` feasible nodes, writes each node's total (i64) to `totals` (indexed by
 * position in the feasible list) and, when `detail` is non-zero, per plugin raw and normalized
 * scores (i64 × 10 per position: taint raw/norm, affinity raw/norm, fit, balanced, image, …).
 * Returns the position of the highest total chosen by selectHost's reservoir sampling.
 */
export function scoreAndSelect(found: i32, totals: usize, detail: usize): i32 {
  // PreScore/Score: raw scores for the normalizing plugins, and their maxima (§1.4).
  let maxTaint = 0;
  let maxAff = 0;
  const affOn = wAffinity != 0 && (podSkip & 1) == 0;
  const balOn = wBalanced != 0 && (podSkip & 2) == 0;
  // The class's maxima over all nodes bound the maxima over the feasible ones: when a maximum is
  // 0 everywhere, the pass over the feasible nodes is skipped.
  const taintPass = wTaint != 0 && clsTaintMax != 0;
  const affPass = affOn && clsAffMax != 0;
  if (taintPass || affPass) {
    for (let p = 0; p < found; p++) {
      const i = ldI32(feasible, p);
      if (taintPass) {
        const t = ldI32(clsTaintRaw, i);
        if (t > maxTaint) maxTaint = t;
      }
      if (affPass) {
        const a = ldI32(clsAffRaw, i);
        if (a > maxAff) maxAff = a;
      }
    }
  }
  let best: i64 = i64.MIN_VALUE;
  if (detail == 0 && cacheVal != 0) {
    const none = wTaint == 0 && wAffinity == 0 && wFit == 0 && wBalanced == 0 && wImage == 0;
    if (!none && (wTaint == 0 || maxTaint == 0) && !affOn && smallWeights) {
      return totalsFast(found, totals, wTaint != 0 ? 100 * wTaint : 0, balOn);
    }
    return totalsCached(found, totals, maxTaint, maxAff, affOn, balOn);
  }
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    let total: i64 = 0;
    let taintN: i64 = 0;
    let affN: i64 = 0;
    let fit: i64 = 0;
    let bal: i64 = 0;
    let img: i64 = 0;
    if (wTaint != 0) {
      // DefaultNormalizeScore(reverse = true).
      taintN = maxTaint == 0 ? 100 : 100 - (100 * <i64>ldI32(clsTaintRaw, i)) / <i64>maxTaint;
      total += taintN * <i64>wTaint;
    }
    if (affOn) {
      // DefaultNormalizeScore(reverse = false).
      const raw = <i64>ldI32(clsAffRaw, i);
      affN = maxAff == 0 ? raw : (100 * raw) / <i64>maxAff;
      total += affN * <i64>wAffinity;
    }
    if (wFit != 0) {
      fit = fitScore(i);
      total += fit * <i64>wFit;
    }
    if (balOn) {
      bal = balancedScore(i);
      total += bal * <i64>wBalanced;
    }
    if (wImage != 0) {
      img = <i64>ldI32(clsImage, i);
      total += img * <i64>wImage;
    }
    // A profile without score plugins gives every feasible node 1 (§1.1 step 11).
    if (wTaint == 0 && wAffinity == 0 && wFit == 0 && wBalanced == 0 && wImage == 0) total = 1;
    store<i64>(totals + ((<usize>p) << 3), total);
    if (detail != 0) {
      const d = detail + ((<usize>p) * 56);
      store<i64>(d, <i64>ldI32(clsTaintRaw, i));
      store<i64>(d, taintN, 8);
      store<i64>(d, <i64>ldI32(clsAffRaw, i), 16);
      store<i64>(d, affN, 24);
      store<i64>(d, fit, 32);
      store<i64>(d, bal, 40);
      store<i64>(d, img, 48);
    }
    if (total > best) best = total;
  }
  return selectHost(found, totals, best);
}

/**
 * The totals of scoreAndSelect through the score cache (no per-plugin detail), then selectHost.
 * The cache holds fit × wFit + balanced × wBalanced + image × wImage per node (integers far
 * below 2^31 with validated weights); same arithmetic as the detailed loop.
 */
function totalsCached(
  found: i32,
  totals: usize,
  maxTaint: i32,
  maxAff: i32,
  affOn: bool,
  balOn: bool,
): i32 {
  const none = wTaint == 0 && wAffinity == 0 && wFit == 0 && wBalanced == 0 && wImage == 0;
  const wF = wFit;
  const wB = balOn ? wBalanced : 0;
  const wI = wImage;
  // TaintToleration with every raw score 0 normalizes to 100 everywhere (§1.4, reverse).
  const base: i64 = wTaint != 0 && maxTaint == 0 ? 100 * <i64>wTaint : 0;
  const taintPerNode = wTaint != 0 && maxTaint != 0;
  let best: i64 = i64.MIN_VALUE;
  let ties = 0;
  let bestPos = 0;
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    let total: i64 = base;
    if (taintPerNode) {
      total += (100 - (100 * <i64>ldI32(clsTaintRaw, i)) / <i64>maxTaint) * <i64>wTaint;
    }
    if (affOn) {
      const raw = <i64>ldI32(clsAffRaw, i);
      total += (maxAff == 0 ? raw : (100 * raw) / <i64>maxAff) * <i64>wAffinity;
    }
    const v = cachedScore(i, wF, wB, wI);
    total += <i64>v;
    if (none) total = 1;
    store<i64>(totals + ((<usize>p) << 3), total);
    if (total > best) {
      best = total;
      ties = 1;
      bestPos = p;
    } else if (total == best) {
      ties++;
    }
  }
  if (ties == 1) return bestPos;
  return pickTie(found, totals, best, ties);
}

/**
 * Node i's cached fit × wFit + balanced × wBalanced + image × wImage, computed and stored when
 * node i changed since (its nodeVersion moved on).
 */
// @ts-ignore: decorator
@inline function cachedScore(i: i32, wF: i32, wB: i32, wI: i32): i32 {
  const ver = ldI32(nodeVersion, i);
  if (ldI32(cacheVer, i) == ver) return ldI32(cacheVal, i);
  let v: i32 = 0;
  if (wF != 0) v += <i32>fitScore(i) * wF;
  if (wB != 0) v += <i32>balancedScore(i) * wB;
  if (wI != 0) v += ldI32(clsImage, i) * wI;
  stI32(cacheVal, i, v);
  stI32(cacheVer, i, ver);
  return v;
}

/**
 * totalsCached for the common case — TaintToleration constant (no node has an untolerated
 * PreferNoSchedule taint), NodeAffinity skipped, weights small enough for i32 totals — with the
 * totals kept as i32 in the same scratch. Same results; fewer branches and loads per node.
 */
function totalsFast(found: i32, totals: usize, base: i32, balOn: bool): i32 {
  const wF = wFit;
  const wB = balOn ? wBalanced : 0;
  const wI = wImage;
  let best: i32 = i32.MIN_VALUE;
  let ties = 0;
  let bestPos = 0;
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    const v = cachedScore(i, wF, wB, wI);
    const total = base + v;
    stI32(totals, p, total);
    if (total > best) {
      best = total;
      ties = 1;
      bestPos = p;
    } else if (total == best) {
      ties++;
    }
  }
  if (ties == 1) return bestPos;
  let r = nextBounded(ties);
  for (let p = 0; p < found; p++) {
    if (ldI32(totals, p) != best) continue;
    if (r == 0) return p;
    r--;
  }
  return 0;
}

/**
 * selectHost (§1.3): uniformly among the `ties` positions whose total is `best`. The draw is
 * specified in src/reference/framework/select-host.ts: with K ≥ 2 tied nodes, exactly one
 * draw r = nextBounded(K) picks the r-th (0-based) tied node in feasible order; a unique
 * maximum makes no draw.
 */
function pickTie(found: i32, totals: usize, best: i64, ties: i32): i32 {
  let r = nextBounded(ties);
  for (let p = 0; p < found; p++) {
    if (load<i64>(totals + ((<usize>p) << 3)) != best) continue;
    if (r == 0) return p;
    r--;
  }
  return 0;
}

/** selectHost over stored totals (see pickTie for the draw). */
function selectHost(found: i32, totals: usize, best: i64): i32 {
  let ties = 0;
  let first = 0;
  for (let p = 0; p < found; p++) {
    if (load<i64>(totals + ((<usize>p) << 3)) != best) continue;
    if (ties == 0) first = p;
    ties++;
  }
  if (ties == 1) return first;
  return pickTie(found, totals, best, ties);
}

/** Adds the current pod to node i (the assume step): requested, non-zero requested, pod count. */
export function assume(i: i32): void {
  if (nodeVersion != 0) stI32(nodeVersion, i, ldI32(nodeVersion, i) + 1);
  logChange(i);
  stI32(reqCpu, i, ldI32(reqCpu, i) + podCpu);
  stF64(reqMem, i, ldF64(reqMem, i) + podMem);
  stF64(reqEph, i, ldF64(reqEph, i) + podEph);
  stI32(nzCpu, i, ldI32(nzCpu, i) + podNzCpu);
  stF64(nzMem, i, ldF64(nzMem, i) + podNzMem);
  stI32(podCount, i, ldI32(podCount, i) + 1);
  for (let k = 0; k < podScalarN; k++) {
    const kind = ldI32(podScalarKind, k);
    if (kind < 0) continue;
    const col = scalarReq(kind);
    stF64(col, i, ldF64(col, i) + ldF64(podScalarAmt, k));
  }
}

/** Removes the current pod from node i (the inverse of assume). */
export function forget(i: i32): void {
  if (nodeVersion != 0) stI32(nodeVersion, i, ldI32(nodeVersion, i) + 1);
  logChange(i);
  stI32(reqCpu, i, ldI32(reqCpu, i) - podCpu);
  stF64(reqMem, i, ldF64(reqMem, i) - podMem);
  stF64(reqEph, i, ldF64(reqEph, i) - podEph);
  stI32(nzCpu, i, ldI32(nzCpu, i) - podNzCpu);
  stF64(nzMem, i, ldF64(nzMem, i) - podNzMem);
  stI32(podCount, i, ldI32(podCount, i) - 1);
  for (let k = 0; k < podScalarN; k++) {
    const kind = ldI32(podScalarKind, k);
    if (kind < 0) continue;
    const col = scalarReq(kind);
    stF64(col, i, ldF64(col, i) - ldF64(podScalarAmt, k));
  }
}

/**
 * One whole cycle for the current pod (setPod): filter with sampling, then — with one feasible
 * node — that node, else score and selectHost; assumes the pod onto the chosen node. Returns the
 * node index, or -1 when no node is feasible. `totals` is scratch for i64 totals.
 */
export function scheduleOne(numToFind: i32, list: usize, listLen: i32, totals: usize): i32 {
  if (treeApplies(list)) {
    const node = scheduleByTree(numToFind);
    if (node >= 0) assume(node);
    return node;
  }
  const found = filterNodes(numToFind, list, listLen, 0);
  if (found == 0) return -1;
  let node: i32;
  if (found == 1) {
    node = ldI32(feasible, 0);
  } else {
    node = ldI32(feasible, scoreAndSelect(found, totals, 0));
  }
  assume(node);
  return node;
}

// ---- Incremental selection ------------------------------------------------------------------
//
// For a class whose totals need no pass over the feasible nodes (TaintToleration and
// NodeAffinity constant, no host ports, no PreFilterResult), a cycle's outcome depends only on
// per-node values that change when that node changes: feasible(i) (static verdict and
// NodeResourcesFit) and v(i) = cachedScore(i). The class keeps them in a segment tree over the
// node order — per tree node the maximum of v over feasible leaves, how many leaves reach it,
// and how many leaves are feasible — updated from the change log. One cycle is then O(log N):
//   - the k-th feasible node from nextStart (k = numToFind) ends the visited window, which gives
//     `processed` exactly as the linear scan counts it (all N when fewer than k are feasible);
//   - the maximum total over the window and the number K of nodes reaching it;
//   - K = 1: that node; K ≥ 2: r = nextBounded(K) and the r-th of them in visiting order.
// Identical results to filterNodes + scoreAndSelect, including the PRNG draws.
//
// Tree block (per class slot): i64 seq (change log position replayed up to; -1 = rebuild),
// i32 P (leaves, a power of two ≥ nodeCount), then i32 arrays mx[2P], cn[2P], fc[2P] at
// +16, +16 + 8P, +16 + 16P. Leaf P + i is node i; infeasible leaves have mx = -1.

// @ts-ignore: decorator
@inline function treeApplies(list: usize): bool {
  return (
    clsTree != 0 &&
    changeLog != 0 &&
    list == 0 &&
    (podPorts == 0 || (filters & 1) == 0) &&
    (filters & 4) != 0 &&
    cacheVal != 0 &&
    smallWeights &&
    (wTaint == 0 || clsTaintMax == 0) &&
    (wAffinity == 0 || (podSkip & 1) != 0 || clsAffMax == 0) &&
    (wTaint | wAffinity | wFit | wBalanced | wImage) != 0
  );
}

let tP: i32 = 0;
let tMx: usize = 0;
let tCn: usize = 0;
let tFc: usize = 0;

// @ts-ignore: decorator
@inline function treeBind(): void {
  tP = load<i32>(clsTree, 8);
  tMx = clsTree + 16;
  tCn = tMx + ((<usize>tP) << 3);
  tFc = tCn + ((<usize>tP) << 3);
}

/** Leaf value of node i for the current class: its cached score, or -1 when infeasible. */
function leafOf(i: i32): i32 {
  if (load<u8>(clsCode + <usize>i) != 0) return -1;
  if ((filters & 2) != 0 && !fitsInline(i)) return -1;
  return cachedScore(i, wFit, wBalanced != 0 && (podSkip & 2) == 0 ? wBalanced : 0, wImage);
}

// @ts-ignore: decorator
@inline function pull(k: i32): void {
  const l = k << 1;
  const r = l + 1;
  const ml = ldI32(tMx, l);
  const mr = ldI32(tMx, r);
  const m = ml > mr ? ml : mr;
  stI32(tMx, k, m);
  stI32(tCn, k, (ml == m ? ldI32(tCn, l) : 0) + (mr == m ? ldI32(tCn, r) : 0));
  stI32(tFc, k, ldI32(tFc, l) + ldI32(tFc, r));
}

function setLeaf(i: i32, v: i32): void {
  let k = tP + i;
  stI32(tMx, k, v);
  stI32(tCn, k, 1);
  stI32(tFc, k, v >= 0 ? 1 : 0);
  for (k >>= 1; k >= 1; k >>= 1) pull(k);
}

/** Brings the current class's tree up to date with the change log (or rebuilds it). */
function syncTree(): void {
  treeBind();
  const seq = load<i64>(clsTree);
  const n = nodeCount;
  if (seq < 0 || changeSeq - seq > <i64>(logMask + 1)) {
    for (let i = 0; i < tP; i++) {
      const v = i < n ? leafOf(i) : -1;
      const k = tP + i;
      stI32(tMx, k, v);
      stI32(tCn, k, 1);
      stI32(tFc, k, v >= 0 ? 1 : 0);
    }
    for (let k = tP - 1; k >= 1; k--) pull(k);
  } else {
    for (let q = seq; q < changeSeq; q++) {
      const i = ldI32(changeLog, <i32>q & logMask);
      setLeaf(i, leafOf(i));
    }
  }
  store<i64>(clsTree, changeSeq);
}

/** Feasible leaves in [l, r). */
function feasIn(l: i32, r: i32): i32 {
  let c = 0;
  let a = l + tP;
  let b = r + tP;
  while (a < b) {
    if ((a & 1) != 0) c += ldI32(tFc, a++);
    if ((b & 1) != 0) c += ldI32(tFc, --b);
    a >>= 1;
    b >>= 1;
  }
  return c;
}

/** The node index of the j-th (1-based) feasible leaf overall. */
function kthFeasible(j: i32): i32 {
  let k = 1;
  while (k < tP) {
    const l = k << 1;
    const c = ldI32(tFc, l);
    if (j <= c) {
      k = l;
    } else {
      j -= c;
      k = l + 1;
    }
  }
  return k - tP;
}

let qMax: i32 = -1;
let qCnt: i32 = 0;

/** Folds the maximum (and its multiplicity) of leaves [l, r) into qMax / qCnt. */
function maxIn(l: i32, r: i32): void {
  let a = l + tP;
  let b = r + tP;
  while (a < b) {
    if ((a & 1) != 0) {
      foldMax(a);
      a++;
    }
    if ((b & 1) != 0) {
      --b;
      foldMax(b);
    }
    a >>= 1;
    b >>= 1;
  }
}

// @ts-ignore: decorator
@inline function foldMax(k: i32): void {
  const m = ldI32(tMx, k);
  if (m > qMax) {
    qMax = m;
    qCnt = ldI32(tCn, k);
  } else if (m == qMax) {
    qCnt += ldI32(tCn, k);
  }
}

let qRank: i32 = 0;

/**
 * The qRank-th (0-based) leaf in [l, r) whose value is m (m is the maximum over [l, r)), in node
 * order; -1 when [l, r) holds qRank or fewer of them (qRank is then reduced by their number).
 */
function rankIn(k: i32, a: i32, b: i32, l: i32, r: i32, m: i32): i32 {
  if (b <= l || r <= a) return -1;
  if (ldI32(tMx, k) < m) return -1;
  if (l <= a && b <= r) {
    const c = ldI32(tCn, k);
    if (qRank >= c) {
      qRank -= c;
      return -1;
    }
    // The answer is in this subtree: descend.
    while (k < tP) {
      const lc = k << 1;
      if (ldI32(tMx, lc) == m) {
        const cl = ldI32(tCn, lc);
        if (qRank < cl) {
          k = lc;
          continue;
        }
        qRank -= cl;
      }
      k = lc + 1;
    }
    return k - tP;
  }
  const mid = (a + b) >> 1;
  const x = rankIn(k << 1, a, mid, l, r, m);
  if (x >= 0) return x;
  return rankIn((k << 1) + 1, mid, b, l, r, m);
}

/** One cycle through the tree (see the section comment). Returns the node, or -1. */
function scheduleByTree(numToFind: i32): i32 {
  syncTree();
  const n = nodeCount;
  const s = nextStart;
  const total = ldI32(tFc, 1);
  // The visited window: [s, e1) then [0, e2).
  let e1 = n;
  let e2 = s;
  let found = total;
  let processed = n;
  if (numToFind <= total) {
    found = numToFind;
    const after = feasIn(s, n);
    if (after >= numToFind) {
      const p = kthFeasible(feasIn(0, s) + numToFind);
      e1 = p + 1;
      e2 = 0;
      processed = p + 1 - s;
    } else {
      const p = kthFeasible(numToFind - after);
      e2 = p + 1;
      processed = n - s + p + 1;
    }
  }
  nextStart = n == 0 ? 0 : (s + processed) % n;
  lastProcessed = processed;
  lastFeasible = found;
  if (found == 0) return -1;
  qMax = -1;
  qCnt = 0;
  maxIn(s, e1);
  if (e2 > 0) maxIn(0, e2);
  qRank = qCnt == 1 ? 0 : nextBounded(qCnt);
  const x = rankIn(1, 0, tP, s, e1, qMax);
  if (x >= 0) return x;
  return rankIn(1, 0, tP, 0, e2, qMax);
}
