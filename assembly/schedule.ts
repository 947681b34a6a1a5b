// One scheduling cycle for one pod: dynamic filters (NodePorts, NodeResourcesFit) over the
// class's statically feasible nodes with kube-scheduler's node sampling, then Score,
// NormalizeScore, the weighted sum, selectHost, and the assume step. Semantics:
// ../shared/reference/kube-scheduler-semantics.md §1 and §4 (cited per formula below).

import {
  ldF64,
  ldI32,
  nodeCount,
  nodeName,
  nzCpu,
  nzMem,
  podCount,
  reqCpu,
  reqEph,
  reqMem,
  stF64,
  stI32,
} from "./table";
import {
  counterList,
  counterN,
  nodeNameOn,
  podNodeName,
  wSpread,
  cacheVal,
  clsAffMax,
  clsAffRaw,
  clsCode,
  clsImage,
  clsTaintMax,
  clsTaintRaw,
  feasible,
  filters,
  logChange,
  nodeVersion,
  podCpu,
  podEph,
  podFilterN,
  podMem,
  podNzCpu,
  podNzMem,
  podBlocked,
  hostFilter,
  podHostFilter,
  podPorts,
  podScalarAmt,
  podScalarKind,
  podScalarN,
  podSkip,
  smallWeights,
  wAffinity,
  wBalanced,
  wFit,
  wImage,
  wTaint,
} from "./state";
import { nextBounded } from "./rand";
import { cachedScore } from "./cache";
import {
  extraN,
  extraScores,
  gpuAssume,
  gpuFilter,
  gpuFilters,
  gpuForget,
  selectByStrategy,
  selMode,
  strategiesActive,
} from "./plugins/strategies";
import { scheduleByTree, treeApplies, treeFound, treeProcessed, treeWorthIt } from "./select";
import { fit4, fitScore, fitsInline, scalarReq } from "./plugins/noderesourcesfit";
import { balancedScore } from "./plugins/balancedallocation";
import {
  spreadFilter,
  spreadHard,
  spreadIgnored,
  spreadN,
  spreadPreFilter,
  spreadPreScore,
  spreadScore,
} from "./plugins/podtopologyspread";
import {
  countDomains,
  ipaFilter,
  ipaFilters,
  ipaNormScratch,
  ipaPreFilter,
  ipaRawScratch,
  ipaScore,
  ipaScoreActive,
  scoreN,
  wInterPod,
} from "./plugins/interpodaffinity";

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

// ---- Resource accessors -------------------------------------------------------------------

// ---- Filter -------------------------------------------------------------------------------

/** Dynamic filter codes (after the static ones of static.ts). */
export const FAIL_PORTS: u8 = 6;
export const FAIL_FIT: u8 = 7;
/** Blocked by nominated pods (see state.ts podBlocked). */
export const FAIL_NOMINATED: u8 = 15;

/**
 * The dynamic verdict for node i: PASS (0), FAIL_PORTS or FAIL_FIT (`portsFirst` orders them),
 * then PodTopologySpread's 9 (skew) or 10 (missing topology key), then InterPodAffinity's 11–13.
 */
// @ts-ignore: decorator
@inline function dynamicCode(i: i32, portsFirst: bool): u8 {
  // Nominated pods of at least this pod's priority take precedence on their nodes.
  if (podBlocked != 0 && load<u8>(podBlocked + <usize>i) != 0) return FAIL_NOMINATED;
  const portFail = podPorts != 0 && (filters & 1) != 0 && load<u8>(podPorts + <usize>i) != 0;
  const fitFail = (filters & 2) != 0 && !fitsInline(i);
  if (portsFirst) {
    if (portFail) return FAIL_PORTS;
    if (fitFail) return FAIL_FIT;
  } else {
    if (fitFail) return FAIL_FIT;
    if (portFail) return FAIL_PORTS;
  }
  // GpuShare follows NodeResourcesFit; PodTopologySpread and InterPodAffinity come after.
  if (gpuFilters()) {
    const g = gpuFilter(i);
    if (g != 0) return g;
  }
  // The host-evaluated plugins (the volume plugins) come next in the default Filter order.
  if (podHostFilter) {
    const h = hostFilter(i);
    if (h != 0) return <u8>h;
  }
  if (spreadHard > 0) {
    const c = spreadFilter(i);
    if (c != 0) return c;
  }
  if (ipaFilters()) return ipaFilter(i);
  return 0;
}

/**
 * The verdicts of a failed cycle as a bit mask: bit `code` set when some node's first failing
 * verdict is `code` (bit 0: some node passed), over the `listLen` node indices at `list` (all
 * nodes when 0). Every node is visited; nextStart and the feasible scratch are left alone. For the
 * rejecting plugins the scheduling queue's hints need (upstream's UnschedulablePlugins).
 */
export function failureMask(list: usize, listLen: i32): u32 {
  const n = list == 0 ? nodeCount : listLen;
  if ((filters & 4) == 0 || n == 0) return 0;
  if (spreadHard > 0) spreadPreFilter();
  if (ipaFilters()) ipaPreFilter();
  const portsFirst = (filters & 8) == 0;
  let mask: u32 = 0;
  for (let k = 0; k < n; k++) {
    const i = list == 0 ? k : ldI32(list, k);
    let code = load<u8>(clsCode + <usize>i);
    if (code == 0 && nodeNameOn && podNodeName >= 0 && ldI32(nodeName, i) != podNodeName) code = 2;
    if (code == 0) code = dynamicCode(i, portsFirst);
    mask |= (<u32>1) << code;
  }
  return mask;
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
  if (spreadHard > 0) spreadPreFilter();
  if (ipaFilters()) ipaPreFilter();
  if (
    list == 0 &&
    codes == 0 &&
    (podPorts == 0 || (filters & 1) == 0) &&
    podBlocked == 0 &&
    !podHostFilter &&
    podFilterN == 0 &&
    !gpuFilters() &&
    spreadHard == 0 &&
    !ipaFilters() &&
    (podNodeName < 0 || !nodeNameOn)
  ) {
    if ((filters & 2) != 0) return filterFast(numToFind, n);
  }
  const portsFirst = (filters & 8) == 0;
  // The start index is kept modulo the node count of the cycle that set it; a PreFilterResult
  // subset is shorter (upstream visits nodes[(nextStartNodeIndex + i) % len(nodes)]).
  let pos = nextStart % n;
  for (let k = 0; k < n; k++) {
    const i = list == 0 ? pos : ldI32(list, pos);
    if (++pos == n) pos = 0;
    processed++;
    let code = load<u8>(clsCode + <usize>i);
    // NodeName (per pod): spec.nodeName, when set, must be this node.
    if (code == 0 && nodeNameOn && podNodeName >= 0 && ldI32(nodeName, i) != podNodeName) code = 2;
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
  // PodTopologySpread: PreScore, raw scores and their normalization into the scratch.
  const spreadOn = wSpread != 0 && spreadN > spreadHard;
  if (spreadOn) spreadNormalize(found);
  // InterPodAffinity: PreScore (skipped without any topology score entry), Score, NormalizeScore.
  const ipaOn = wInterPod != 0 && scoreN > 0 && ipaScoreActive();
  if (ipaOn) ipaNormalize(found);
  let best: i64 = i64.MIN_VALUE;
  if (detail == 0 && cacheVal != 0 && extraN == 0) {
    if (
      !noScorePlugins() &&
      (wTaint == 0 || maxTaint == 0) &&
      !affOn &&
      !spreadOn &&
      !ipaOn &&
      smallWeights
    ) {
      return totalsFast(found, totals, wTaint != 0 ? 100 * wTaint : 0, balOn);
    }
    return totalsCached(found, totals, maxTaint, maxAff, affOn, balOn, spreadOn, ipaOn);
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
    let spreadRaw: i64 = 0;
    let spreadN_: i64 = 0;
    if (spreadOn) {
      spreadRaw = load<i64>(spreadRawScratch + ((<usize>p) << 3));
      spreadN_ = <i64>ldI32(spreadNormScratch, p);
      total += spreadN_ * <i64>wSpread;
    }
    let ipaRaw: i64 = 0;
    let ipaN: i64 = 0;
    if (ipaOn) {
      ipaRaw = load<i64>(ipaRawScratch + ((<usize>p) << 3));
      ipaN = <i64>ldI32(ipaNormScratch, p);
      total += ipaN * <i64>wInterPod;
    }
    // A profile without score plugins gives every feasible node 1 (§1.1 step 11).
    if (noScorePlugins()) total = 1;
    store<i64>(totals + ((<usize>p) << 3), total);
    if (detail != 0) {
      const d = detail + (<usize>p) * <usize>DETAIL_BYTES;
      store<i64>(d, 0, 88);
      store<i64>(d, <i64>ldI32(clsTaintRaw, i));
      store<i64>(d, taintN, 8);
      store<i64>(d, <i64>ldI32(clsAffRaw, i), 16);
      store<i64>(d, affN, 24);
      store<i64>(d, fit, 32);
      store<i64>(d, bal, 40);
      store<i64>(d, img, 48);
      store<i64>(d, spreadRaw, 56);
      store<i64>(d, spreadN_, 64);
      store<i64>(d, ipaRaw, 72);
      store<i64>(d, ipaN, 80);
    }
    if (total > best) best = total;
  }
  if (extraN > 0) {
    // gantry's score plugins (assembly/plugins/strategies.ts), after the in-tree ones.
    extraScores(found, feasible, totals, detail == 0 ? 0 : detail + 88, DETAIL_BYTES);
    best = i64.MIN_VALUE;
    for (let p = 0; p < found; p++) {
      const t = load<i64>(totals + ((<usize>p) << 3));
      if (t > best) best = t;
    }
  }
  return selectHost(found, totals, best);
}

/** Bytes of one feasible position's per-plugin detail (12 i64; the last: gantry's plugins). */
const DETAIL_BYTES: i32 = 96;

/** Whether the profile has no score plugin at all (every feasible node then totals 1). */
// @ts-ignore: decorator
@inline function noScorePlugins(): bool {
  return (wTaint | wAffinity | wFit | wBalanced | wImage | wSpread | wInterPod | extraN) == 0;
}

/** Scratch for PodTopologySpread's raw (i64) and normalized (i32) scores per feasible position. */
let spreadRawScratch: usize = 0;
let spreadNormScratch: usize = 0;

export function bindSpreadScratch(raw: usize, norm: usize): void {
  spreadRawScratch = raw;
  spreadNormScratch = norm;
}

/**
 * PodTopologySpread's PreScore, Score and NormalizeScore over the feasible nodes (§4.9): ignored
 * nodes 0; the others `100 × (max + min − raw) / max` over their min and max, all 100 when max is 0.
 */
function spreadNormalize(found: i32): void {
  spreadPreScore(found, feasible);
  let min: i64 = i64.MAX_VALUE;
  let max: i64 = 0;
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    let raw: i64 = 0;
    if (!spreadIgnored(i)) {
      raw = spreadScore(i);
      if (raw < min) min = raw;
      if (raw > max) max = raw;
    }
    store<i64>(spreadRawScratch + ((<usize>p) << 3), raw);
  }
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    let norm: i64 = 0;
    if (!spreadIgnored(i)) {
      norm = max == 0 ? 100 : (100 * (max + min - load<i64>(spreadRawScratch + ((<usize>p) << 3)))) / max;
    }
    stI32(spreadNormScratch, p, <i32>norm);
  }
}

/**
 * InterPodAffinity's Score and NormalizeScore over the feasible nodes (§4.10): with min and max
 * the extremes of the raw scores, `trunc(100 × ((raw − min) / (max − min)))` in float64, all 0
 * when max = min.
 */
function ipaNormalize(found: i32): void {
  let min: i64 = i64.MAX_VALUE;
  let max: i64 = i64.MIN_VALUE;
  for (let p = 0; p < found; p++) {
    const raw = ipaScore(ldI32(feasible, p));
    if (raw < min) min = raw;
    if (raw > max) max = raw;
    store<i64>(ipaRawScratch + ((<usize>p) << 3), raw);
  }
  const diff = <f64>(max - min);
  for (let p = 0; p < found; p++) {
    let norm: i32 = 0;
    if (max > min) {
      const raw = load<i64>(ipaRawScratch + ((<usize>p) << 3));
      norm = <i32>Math.trunc(100.0 * (<f64>(raw - min) / diff));
    }
    stI32(ipaNormScratch, p, norm);
  }
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
  spreadOn: bool,
  ipaOn: bool,
): i32 {
  const none = noScorePlugins();
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
    if (spreadOn) total += <i64>ldI32(spreadNormScratch, p) * <i64>wSpread;
    if (ipaOn) total += <i64>ldI32(ipaNormScratch, p) * <i64>wInterPod;
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
  for (let k = 0; k < counterN; k++) {
    const col = <usize>load<u32>(counterList + ((<usize>k) << 2));
    stI32(col, i, ldI32(col, i) + 1);
  }
  countDomains(i, 1);
  gpuAssume(i);
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

/**
 * Adds `delta` to node i of the i32 counter column at `col` (preemption's dry run reproducing a
 * PodTopologySpread AddPod / RemovePod quirk, src/core/preemption.ts); logged as a change.
 */
export function adjustCounter(col: usize, i: i32, delta: i32): void {
  logChange(i);
  stI32(col, i, ldI32(col, i) + delta);
}

/** Removes the current pod from node i (the inverse of assume). */
export function forget(i: i32): void {
  if (nodeVersion != 0) stI32(nodeVersion, i, ldI32(nodeVersion, i) + 1);
  logChange(i);
  for (let k = 0; k < counterN; k++) {
    const col = <usize>load<u32>(counterList + ((<usize>k) << 2));
    stI32(col, i, ldI32(col, i) - 1);
  }
  countDomains(i, -1);
  gpuForget(i);
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
  if (selMode != 0) {
    // A by-name strategy (docs/placement-strategies.md): every node filtered, its own choice.
    const n = filterNodes(numToFind, list, listLen, 0);
    if (n == 0) return -1;
    const chosen = ldI32(feasible, selectByStrategy(n, feasible));
    assume(chosen);
    return chosen;
  }
  if (!strategiesActive() && treeApplies(list) && treeWorthIt(numToFind)) {
    const node = scheduleByTree(numToFind, nextStart);
    nextStart = nodeCount == 0 ? 0 : (nextStart + treeProcessed) % nodeCount;
    lastProcessed = treeProcessed;
    lastFeasible = treeFound;
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

