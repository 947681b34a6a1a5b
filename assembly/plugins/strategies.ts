// gantry's placement strategies (docs/placement-strategies.md): GPU sharing (the GpuShare filter
// and its device choice at Reserve), the FGD paper's six GPU scores, and the classic bin-packing
// scores and by-name selection. Formulas: src/gpu/ (the FGD simulator's, traces.md §3) and the
// doc's tables; the TS reference is src/reference/plugins/{gpushare,gpuscores,binpacking}.

import { allocCpu, allocEph, allocMem, ldF64, ldI32, reqCpu, reqEph, reqMem, stI32 } from "../table";
import {
  nodeVersion,
  podCpu,
  podEph,
  podMem,
  podScalarAmt,
  podScalarKind,
  podScalarN,
} from "../state";
import { nextBounded } from "../rand";
import { scalarAlloc, scalarReq } from "./noderesourcesfit";

// ---- Columns (bindStrategies) ---------------------------------------------------------------

/** Most GPU devices per node; the `used` column has this many u16 per node. */
const MAX_GPUS: i32 = 16;
/** Tag counters per node (u16): 0 = share-gpu, k = k-gpu (k = 1..16). */
const TAGS: i32 = 17;
const MILLI: i32 = 1000;

/** Per node: device count (u8), card model id (i32, -1 none), used milli (u16 × 16), tags (u16 × 17). */
let gpuCount: usize = 0;
let gpuModel: usize = 0;
let gpuUsed: usize = 0;
let gpuTags: usize = 0;
/** Per feasible position: raw (i64) and normalized (i32) scratch for the extra score plugins. */
let rawScratch: usize = 0;
let normScratch: usize = 0;
/** FGD's typical pods: records of five f64 (cpu milli, gpu milli, num gpu, model mask, p). */
let typicalPtr: usize = 0;
let typicalN: i32 = 0;
/** ln(k / (100 − k)) for k = 1..99 (f64 × 99), computed by the host. */
let sigmoidCuts: usize = 0;

export function bindStrategies(
  count: usize,
  model: usize,
  used: usize,
  tags: usize,
  raw: usize,
  norm: usize,
  cuts: usize,
): void {
  gpuCount = count;
  gpuModel = model;
  gpuUsed = used;
  gpuTags = tags;
  rawScratch = raw;
  normScratch = norm;
  sigmoidCuts = cuts;
}

// ---- Profile (setStrategies) ------------------------------------------------------------------

/** Extra score plugins: kinds (KIND_*) and weights, at most 16. */
export let extraN: i32 = 0;
const extraKind = memory.data(64);
const extraWeight = memory.data(64);
/** GpuShare runs at Filter. */
export let gpuFilterOn: bool = false;
/** Device choice at Reserve: 0 best, 1 random, 2 fgd. */
let gpuSelect: i32 = 0;
/** By-name selection (0 = kube-scheduler's Score + selectHost): SEL_*. */
export let selMode: i32 = 0;

export const KIND_FIRST_FIT: i32 = 1;
export const KIND_BEST_FIT: i32 = 2;
export const KIND_WORST_FIT: i32 = 3;
export const KIND_DOT_PRODUCT: i32 = 4;
export const KIND_RANDOM: i32 = 5;
export const KIND_GPU_RANDOM: i32 = 6;
export const KIND_GPU_DOT_PROD: i32 = 7;
export const KIND_GPU_CLUSTERING: i32 = 8;
export const KIND_GPU_PACKING: i32 = 9;
export const KIND_GPU_BEST_FIT: i32 = 10;
export const KIND_FGD: i32 = 11;

export function setStrategyProfile(filterOn: i32, select: i32, mode: i32): void {
  gpuFilterOn = filterOn != 0;
  gpuSelect = select;
  selMode = mode;
  extraN = 0;
}

/** Appends an extra score plugin (kind, weight). */
export function addExtraScore(kind: i32, weight: i32): void {
  store<i32>(extraKind + ((<usize>extraN) << 2), kind);
  store<i32>(extraWeight + ((<usize>extraN) << 2), weight);
  extraN++;
}

export function setTypical(ptr: usize, n: i32): void {
  typicalPtr = ptr;
  typicalN = n;
}

// ---- Pod (setGpuPod) ------------------------------------------------------------------------

export let podGpuN: i32 = 0;
let podGpuMilli: i32 = 0;
/** Allowed model ids as a bit mask; 0 = any model. */
let podGpuModels: u32 = 0;

/**
 * The class's cache of the first extra plugin's per-node score (f64 value, i32 node version; 0 =
 * none): valid while the node's version is unchanged — every such score depends only on the
 * class and the node's own state (Random kinds are never cached).
 */
let cacheVal: usize = 0;
let cacheVer: usize = 0;

export function setExtraCache(val: usize, ver: usize): void {
  cacheVal = val;
  cacheVer = ver;
}

export function setGpuPod(numGpu: i32, milli: i32, models: u32): void {
  podGpuN = numGpu;
  podGpuMilli = milli;
  podGpuModels = models;
}

/** Whether GpuShare filters the current pod. */
// @ts-ignore: decorator
@inline export function gpuFilters(): bool {
  return gpuFilterOn && podGpuN > 0;
}

// ---- Device state -----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function devices(i: i32): i32 {
  return gpuCount == 0 ? 0 : <i32>load<u8>(gpuCount + <usize>i);
}

// @ts-ignore: decorator
@inline function usedAt(i: i32, g: i32): i32 {
  return <i32>load<u16>(gpuUsed + (((<usize>i) * MAX_GPUS + <usize>g) << 1));
}

// @ts-ignore: decorator
@inline function setUsed(i: i32, g: i32, v: i32): void {
  store<u16>(gpuUsed + (((<usize>i) * MAX_GPUS + <usize>g) << 1), <u16>v);
}

// @ts-ignore: decorator
@inline function tagAt(i: i32, t: i32): i32 {
  return <i32>load<u16>(gpuTags + (((<usize>i) * TAGS + <usize>t) << 1));
}

// @ts-ignore: decorator
@inline function podTag(): i32 {
  return podGpuN == 1 && podGpuMilli < MILLI ? 0 : podGpuN;
}

function freeTotal(i: i32): i32 {
  const n = devices(i);
  let s = 0;
  for (let g = 0; g < n; g++) s += MILLI - usedAt(i, g);
  return s;
}

// @ts-ignore: decorator
@inline function cpuLeft(i: i32): i64 {
  return <i64>ldI32(allocCpu, i) - <i64>ldI32(reqCpu, i);
}

function modelOk(mask: u32, i: i32): bool {
  if (mask == 0) return true;
  const m = ldI32(gpuModel, i);
  return m >= 0 && (mask & (<u32>1 << <u32>m)) != 0;
}

/** Whether the pod's GPUs fit the devices of node i (rule 3 of GpuShare). */
function devicesFit(i: i32): bool {
  const n = devices(i);
  if (podGpuN == 1) {
    for (let g = 0; g < n; g++) if (MILLI - usedAt(i, g) >= podGpuMilli) return true;
    return false;
  }
  let fully = 0;
  for (let g = 0; g < n; g++) if (usedAt(i, g) == 0) fully++;
  return fully >= podGpuN;
}

/** GpuShare's Filter codes. */
export const FAIL_GPU_NONE: u8 = 16;
export const FAIL_GPU_MODEL: u8 = 17;
export const FAIL_GPU_INSUFFICIENT: u8 = 18;

/** GpuShare's verdict for node i (0 = pass); call only when gpuFilters(). */
export function gpuFilter(i: i32): u8 {
  if (devices(i) == 0) return FAIL_GPU_NONE;
  if (!modelOk(podGpuModels, i)) return FAIL_GPU_MODEL;
  if (!devicesFit(i)) return FAIL_GPU_INSUFFICIENT;
  return 0;
}

// ---- Reserve: device choice, assume and forget --------------------------------------------------

/** Devices taken by the last gpuAssume (bit mask; 0 for a pod without GPUs). */
export let lastGpuMask: i32 = 0;
/**
 * Set by the host around a bind: -2 = a scheduling cycle (the profile's method), -1 = `best`,
 * else the devices to take (a mask). `releaseMask`: the devices forget releases.
 */
let bindMask: i32 = -2;
let releaseMask: i32 = 0;

export function setBindMask(mask: i32): void {
  bindMask = mask;
}

export function setReleaseMask(mask: i32): void {
  releaseMask = mask;
}

const order = memory.data(64);

/** Device indices of node i in ascending free milli (ties by index) into `order`; returns n. */
function sortByFree(i: i32): i32 {
  const n = devices(i);
  for (let g = 0; g < n; g++) {
    const free = MILLI - usedAt(i, g);
    let k = g;
    while (k > 0) {
      const prev = load<i32>(order + ((<usize>(k - 1)) << 2));
      if (MILLI - usedAt(i, prev) <= free) break;
      store<i32>(order + ((<usize>k) << 2), prev);
      k--;
    }
    store<i32>(order + ((<usize>k) << 2), g);
  }
  return n;
}

/** The device a shared-GPU pod takes on node i per `method` (0 best, 1 random, 2 fgd), or -1. */
function chooseShared(i: i32, method: i32): i32 {
  const n = devices(i);
  if (method == 2) return fgdBest(i);
  if (method == 1) {
    let c = 0;
    for (let g = 0; g < n; g++) if (MILLI - usedAt(i, g) >= podGpuMilli) c++;
    if (c == 0) return -1;
    let r = nextBounded(c);
    for (let g = 0; g < n; g++) {
      if (MILLI - usedAt(i, g) < podGpuMilli) continue;
      if (r == 0) return g;
      r--;
    }
    return -1;
  }
  let best = -1;
  for (let g = 0; g < n; g++) {
    if (MILLI - usedAt(i, g) < podGpuMilli) continue;
    if (best < 0 || usedAt(i, g) > usedAt(i, best)) best = g;
  }
  return best;
}

/** Takes the pod's devices on node i (see the doc's Reserve); sets lastGpuMask. */
export function gpuAssume(i: i32): void {
  lastGpuMask = 0;
  if (podGpuN == 0 || devices(i) == 0) return;
  const n = devices(i);
  let mask = 0;
  if (bindMask >= 0) {
    mask = bindMask;
  } else if (podGpuN == 1 && podGpuMilli < MILLI) {
    const g = chooseShared(i, bindMask == -1 ? 0 : gpuSelect);
    if (g >= 0) mask = 1 << g;
  } else {
    let need = podGpuN;
    for (let g = 0; g < n && need > 0; g++) {
      if (usedAt(i, g) == 0) {
        mask |= 1 << g;
        need--;
      }
    }
  }
  for (let g = 0; g < n; g++) {
    if ((mask & (1 << g)) == 0) continue;
    const u = usedAt(i, g) + podGpuMilli;
    setUsed(i, g, u > MILLI ? MILLI : u);
  }
  const t = gpuTags + (((<usize>i) * TAGS + <usize>podTag()) << 1);
  store<u16>(t, load<u16>(t) + 1);
  lastGpuMask = mask;
}

/** Releases `mask`'s devices of node i (the inverse of gpuAssume, floored at 0). */
export function gpuForget(i: i32): void {
  const mask = releaseMask;
  if (podGpuN == 0 || devices(i) == 0) return;
  const n = devices(i);
  for (let g = 0; g < n; g++) {
    if ((mask & (1 << g)) == 0) continue;
    const u = usedAt(i, g) - podGpuMilli;
    setUsed(i, g, u < 0 ? 0 : u);
  }
  const t = gpuTags + (((<usize>i) * TAGS + <usize>podTag()) << 1);
  const c = load<u16>(t);
  if (c > 0) store<u16>(t, c - 1);
}

// ---- FGD ------------------------------------------------------------------------------------

const freeScratch = memory.data(64);

/** F_n over the typical pods, for CPU left `c` and free milli per device in freeScratch. */
function fragmentation(i: i32, c: i64, n: i32): f64 {
  let idle = 0;
  for (let g = 0; g < n; g++) idle += load<i32>(freeScratch + ((<usize>g) << 2));
  let f: f64 = 0;
  for (let k = 0; k < typicalN; k++) {
    const rec = typicalPtr + (<usize>k) * 40;
    const mCpu = <i64>load<f64>(rec);
    const mMilli = <i32>load<f64>(rec, 8);
    const mNum = <i32>load<f64>(rec, 16);
    const mMask = <u32>load<f64>(rec, 24);
    const p = load<f64>(rec, 32);
    let frag = idle;
    if (mNum > 0 && modelOk(mMask, i)) {
      let fitting = 0;
      let slivers = 0;
      for (let g = 0; g < n; g++) {
        const free = load<i32>(freeScratch + ((<usize>g) << 2));
        if (free >= mMilli) fitting++;
        else slivers += free;
      }
      if (fitting >= mNum && c >= mCpu) frag = slivers;
    }
    f += p * <f64>frag;
  }
  return f;
}

/** ⌊100 σ(x)⌋ through the host's thresholds (the doc: both engines agree to the bit). */
function sigmoidScore(x: f64): i64 {
  if (x >= 40) return 100;
  let k = 0;
  while (k < 99 && x >= load<f64>(sigmoidCuts + ((<usize>k) << 3))) k++;
  return <i64>k;
}

function loadFree(i: i32, n: i32): void {
  for (let g = 0; g < n; g++) store<i32>(freeScratch + ((<usize>g) << 2), MILLI - usedAt(i, g));
}

/** FGD's score on node i, and in fgdGpu the device of a shared pod (-1 otherwise). */
let fgdGpu: i32 = -1;

function fgdScore(i: i32): i64 {
  fgdGpu = -1;
  if (podCpu == 0 && podMem == 0 && podGpuN == 0) return 100;
  const n = devices(i);
  const c = cpuLeft(i);
  loadFree(i, n);
  const before = fragmentation(i, c, n);
  const after = c - <i64>podCpu;
  if (podGpuN == 1 && podGpuMilli < MILLI) {
    let best: i64 = 0;
    for (let g = 0; g < n; g++) {
      const free = MILLI - usedAt(i, g);
      if (free < podGpuMilli) continue;
      store<i32>(freeScratch + ((<usize>g) << 2), free - podGpuMilli);
      const s = sigmoidScore((before - fragmentation(i, after, n)) / 1000);
      store<i32>(freeScratch + ((<usize>g) << 2), free);
      if (fgdGpu < 0 || s > best) {
        best = s;
        fgdGpu = g;
      }
    }
    return best;
  }
  sortByFree(i);
  let need = podGpuN;
  for (let k = 0; k < n && need > 0; k++) {
    const g = load<i32>(order + ((<usize>k) << 2));
    const free = load<i32>(freeScratch + ((<usize>g) << 2));
    if (free >= podGpuMilli) {
      store<i32>(freeScratch + ((<usize>g) << 2), free - podGpuMilli);
      need--;
    }
  }
  return sigmoidScore((before - fragmentation(i, after, n)) / 1000);
}

function fgdBest(i: i32): i32 {
  fgdScore(i);
  return fgdGpu;
}

// ---- The FGD paper's scores -------------------------------------------------------------------

const MAX_SPEC_CPU: i64 = 128000;
const MAX_SPEC_GPU: i64 = 8000;

// @ts-ignore: decorator
@inline function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// @ts-ignore: decorator
@inline function clamp100(s: i64): i64 {
  return s < 0 ? 0 : s > 100 ? 100 : s;
}

function gpuDotProd(i: i32): i64 {
  const c = cpuLeft(i);
  if (c < <i64>podCpu) return 0;
  const q = <i64>podGpuN * <i64>podGpuMilli;
  const ratio = MAX_SPEC_CPU / MAX_SPEC_GPU;
  const n = c * <i64>podCpu + ratio * ratio * <i64>freeTotal(i) * q;
  const d2 = 2 * MAX_SPEC_CPU * MAX_SPEC_CPU;
  return clamp100(floorDiv(100 * (d2 - n), d2));
}

function gpuClustering(i: i32): i64 {
  if (podGpuN == 0) return 0;
  let present = 0;
  for (let t = 0; t < TAGS; t++) if (tagAt(i, t) > 0) present++;
  const mine = tagAt(i, podTag()) > 0;
  let base: i64 = 0;
  if (mine) base = present == 1 ? 75 : 50;
  else base = present == 0 ? 25 : 0;
  return clamp100(base + floorDiv(25 * (MAX_SPEC_GPU - <i64>freeTotal(i)), MAX_SPEC_GPU));
}

function gpuPacking(i: i32): i64 {
  if (podGpuN == 0) return 0;
  const n = devices(i);
  let allFree = true;
  for (let g = 0; g < n; g++) if (usedAt(i, g) != 0) allFree = false;
  if (allFree) return <i64>max(33 - n, n);
  sortByFree(i);
  let taken = 0;
  let fullyFree = 0;
  let ratio: i64 = 0;
  for (let k = 0; k < n && taken < podGpuN; k++) {
    const g = load<i32>(order + ((<usize>k) << 2));
    const free = MILLI - usedAt(i, g);
    if (free < podGpuMilli) continue;
    taken++;
    if (free == MILLI) fullyFree++;
    ratio += floorDiv(<i64>free * 100, <i64>MILLI);
  }
  if (taken < podGpuN) return 0;
  if (fullyFree > 0) return <i64>max(50 - fullyFree, 33);
  const s = 100 - floorDiv(ratio, 10);
  return s < 50 ? 50 : s;
}

function gpuBestFitRaw(i: i32): i64 {
  const ratio = MAX_SPEC_CPU / MAX_SPEC_GPU;
  const q = <i64>podGpuN * <i64>podGpuMilli;
  const m = cpuLeft(i) - <i64>podCpu + ratio * (<i64>freeTotal(i) - q);
  const d2 = 2 * MAX_SPEC_CPU;
  return floorDiv(100 * (d2 - m), d2);
}

// ---- Classic bin packing ----------------------------------------------------------------------

/** Σ over the doc's dimensions of trunc((free − req) × 10⁶ / alloc) (`dot` false) or the dot terms. */
function classicSum(i: i32, dot: bool): i64 {
  let s: i64 = 0;
  s += dim(<f64>ldI32(allocCpu, i), <f64>ldI32(reqCpu, i), <f64>podCpu, dot);
  s += dim(ldF64(allocMem, i), ldF64(reqMem, i), podMem, dot);
  if (podEph > 0) s += dim(ldF64(allocEph, i), ldF64(reqEph, i), podEph, dot);
  for (let k = 0; k < podScalarN; k++) {
    const kind = ldI32(podScalarKind, k);
    const amt = ldF64(podScalarAmt, k);
    if (kind < 0 || amt <= 0) continue;
    s += dim(ldF64(scalarAlloc(kind), i), ldF64(scalarReq(kind), i), amt, dot);
  }
  return s;
}

// @ts-ignore: decorator
@inline function dim(alloc: f64, used: f64, req: f64, dot: bool): i64 {
  if (alloc <= 0) return 0;
  const free = alloc - used;
  if (dot) return <i64>Math.trunc((req / alloc) * (free / alloc) * 1000000.0);
  return <i64>Math.trunc(((free - req) * 1000000.0) / alloc);
}

/** The raw score of classic kind `kind` on node i. */
function classicRaw(kind: i32, i: i32): i64 {
  if (kind == KIND_FIRST_FIT) return -(<i64>i);
  if (kind == KIND_BEST_FIT) return -classicSum(i, false);
  if (kind == KIND_WORST_FIT) return classicSum(i, false);
  return classicSum(i, true);
}

// ---- Extra scores over the feasible nodes ---------------------------------------------------

/**
 * Adds every extra score plugin's weighted, normalized score to the i64 totals of the `found`
 * feasible positions (node indices at `feasible`); with `detail`, the sum per position is also
 * stored there (i64, stride `stride` bytes).
 */
export function extraScores(found: i32, feasible: usize, totals: usize, detail: usize, stride: i32): void {
  for (let e = 0; e < extraN; e++) {
    const kind = load<i32>(extraKind + ((<usize>e) << 2));
    const w = <i64>load<i32>(extraWeight + ((<usize>e) << 2));
    scoreKind(kind, found, feasible, e == 0 && cacheVal != 0 && nodeVersion != 0);
    for (let p = 0; p < found; p++) {
      const v = <i64>ldI32(normScratch, p) * w;
      const t = totals + ((<usize>p) << 3);
      store<i64>(t, load<i64>(t) + v);
      if (detail != 0) {
        const d = detail + (<usize>p) * <usize>stride;
        store<i64>(d, load<i64>(d) + v);
      }
    }
  }
}

/** Kind `kind`'s per-node score of node i before normalisation (not for the Random kinds). */
function nodeScore(kind: i32, i: i32): i64 {
  if (kind == KIND_GPU_DOT_PROD) return gpuDotProd(i);
  if (kind == KIND_GPU_CLUSTERING) return gpuClustering(i);
  if (kind == KIND_GPU_PACKING) return gpuPacking(i);
  if (kind == KIND_FGD) return fgdScore(i);
  if (kind == KIND_GPU_BEST_FIT) return gpuBestFitRaw(i);
  return classicRaw(kind, i);
}

/** nodeScore through the class's cache. */
function cachedNodeScore(kind: i32, i: i32): i64 {
  const ver = ldI32(nodeVersion, i);
  const at = cacheVal + ((<usize>i) << 3);
  if (ldI32(cacheVer, i) == ver) return <i64>load<f64>(at);
  const s = nodeScore(kind, i);
  store<f64>(at, <f64>s);
  stI32(cacheVer, i, ver);
  return s;
}

/** One extra plugin's final scores (0..100) into normScratch; `cached`: through the cache. */
function scoreKind(kind: i32, found: i32, feasible: usize, cached: bool): void {
  if (kind == KIND_GPU_RANDOM) {
    for (let p = 0; p < found; p++) stI32(normScratch, p, 0);
    if (found > 0) stI32(normScratch, nextBounded(found), 100);
    return;
  }
  if (kind == KIND_GPU_DOT_PROD || kind == KIND_GPU_CLUSTERING || kind == KIND_GPU_PACKING || kind == KIND_FGD) {
    for (let p = 0; p < found; p++) {
      const i = ldI32(feasible, p);
      const s = cached ? cachedNodeScore(kind, i) : nodeScore(kind, i);
      stI32(normScratch, p, <i32>s);
    }
    return;
  }
  // Min–max normalized raw scores: GpuBestFit and the classic kinds.
  let lo: i64 = i64.MAX_VALUE;
  let hi: i64 = i64.MIN_VALUE;
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    let raw: i64 = 0;
    if (kind == KIND_RANDOM) raw = <i64>nextBounded(1000000);
    else raw = cached ? cachedNodeScore(kind, i) : nodeScore(kind, i);
    store<i64>(rawScratch + ((<usize>p) << 3), raw);
    if (raw < lo) lo = raw;
    if (raw > hi) hi = raw;
  }
  for (let p = 0; p < found; p++) {
    let s: i64 = 0;
    if (hi > lo) s = ((load<i64>(rawScratch + ((<usize>p) << 3)) - lo) * 100) / (hi - lo);
    stI32(normScratch, p, <i32>s);
  }
}

// ---- By-name selection ------------------------------------------------------------------------

/**
 * The by-name strategy's choice among the `found` feasible positions (the doc: highest raw score,
 * lowest node index on ties; Random: the r-th feasible node in index order, no draw for one).
 * The feasible list is in rotated node order; returns a position.
 */
export function selectByStrategy(found: i32, feasible: usize): i32 {
  // The position of the lowest node index (the rotation's start).
  let start = 0;
  for (let p = 1; p < found; p++) {
    if (ldI32(feasible, p) < ldI32(feasible, p - 1)) {
      start = p;
      break;
    }
  }
  if (selMode == KIND_FIRST_FIT || found == 1) return start;
  if (selMode == KIND_RANDOM) return (start + nextBounded(found)) % found;
  let best: i64 = i64.MIN_VALUE;
  let bestPos = start;
  for (let k = 0; k < found; k++) {
    const p = (start + k) % found;
    const raw = classicRaw(selMode, ldI32(feasible, p));
    if (raw > best) {
      best = raw;
      bestPos = p;
    }
  }
  return bestPos;
}

/** Whether the current pod's cycle needs the general path (no tree, no fast filter). */
// @ts-ignore: decorator
@inline export function strategiesActive(): bool {
  return extraN > 0 || selMode != 0 || gpuFilters();
}
