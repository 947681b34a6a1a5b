// Static filters and static scores of a pod class: everything that depends only on the pod's
// spec and the nodes' labels, taints, names and images — not on what is running where. Computed
// once per (pod class, node set) and reused for every pod of the class.
//
// Class descriptor (i32 words at `desc`, built by src/core/classes.ts):
//   0  nodeNameId      interned spec.nodeName, or -1 when unset
//   1  nTol   2 tolPtr   tolerations, 4 words each: keyId (-1 = empty key), op (0 Equal,
//                        1 Exists), valueId, effect (0 NoSchedule, 1 PreferNoSchedule,
//                        2 NoExecute, 3 = every effect) — the codes of src/encode/node-table.ts
//   3  nSel   4 selPtr   spec.nodeSelector, pairs (keyId, valueId)
//   5  reqPtr            pod's required NodeSelector block, 0 when absent
//   6  addedPtr          NodeAffinityArgs.addedAffinity required NodeSelector block, 0 when absent
//   7  nPref  8 prefPtr  preferred terms (added first, then the pod's), pairs (weight, termPtr)
//   9  nImg  10 imgPtr   normalized image ids of init then regular containers (-1 = on no node)
//  11  nContainers       len(initContainers) + len(containers)
// NodeSelector block: [nTerms, termPtr...]; empty terms are dropped by the host, so nTerms = 0
// matches no node. Term block: [nExpr, nFields, then 4 words per requirement: keyId, op,
// nValues, valuesPtr]. op: 0 In, 1 NotIn, 2 Exists, 3 DoesNotExist, 4 Gt, 5 Lt, 6 invalid (never
// matches). Gt/Lt: valuesPtr points to one i64. Field requirements (metadata.name) compare the
// node name id with op In / NotIn.

import {
  imgId,
  imgNodes,
  imgOff,
  imgSize,
  ldI32,
  nodeCount,
  nodeFlags,
  labelNum,
  labelNumOk,
  labelVal,
  nodeLabel,
  nodeLabelEntry,
  nodeName,
  taintEffect,
  taintKey,
  taintOff,
  taintVal,
} from "./table";

/** Static filter verdicts written by `computeStatic`. */
export const PASS: u8 = 0;
export const FAIL_UNSCHEDULABLE: u8 = 1;
export const FAIL_NODE_NAME: u8 = 2;
export const FAIL_TAINT: u8 = 3;
export const FAIL_ADDED_AFFINITY: u8 = 4;
export const FAIL_AFFINITY: u8 = 5;

const EFFECT_NO_SCHEDULE: i32 = 0;
const EFFECT_PREFER_NO_SCHEDULE: i32 = 1;
const EFFECT_NO_EXECUTE: i32 = 2;
const EFFECT_ANY: i32 = 3;

const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/** Whether toleration t (pointer to its 4 words) tolerates the taint (key, value, effect). */
// @ts-ignore: decorator
@inline function tolerates(t: usize, key: i32, value: i32, effect: i32): bool {
  const tEffect = load<i32>(t, 12);
  if (tEffect != EFFECT_ANY && tEffect != effect) return false;
  const tKey = load<i32>(t);
  if (tKey != -1 && tKey != key) return false;
  if (load<i32>(t, 4) == 1) return true; // Exists
  return load<i32>(t, 8) == value; // Equal
}

function anyTolerates(nTol: i32, tolPtr: usize, key: i32, value: i32, effect: i32): bool {
  for (let k = 0; k < nTol; k++) {
    if (tolerates(tolPtr + ((<usize>k) << 4), key, value, effect)) return true;
  }
  return false;
}

/** Whether one requirement (4 words at r) holds for `node`; `field` selects metadata.name. */
function requirementMatches(r: usize, node: i32, field: bool): bool {
  const op = load<i32>(r, 4);
  const n = load<i32>(r, 8);
  const vals = <usize>load<i32>(r, 12);
  let v: i32 = -1;
  let entry: i32 = -1;
  if (field) {
    v = ldI32(nodeName, node);
  } else {
    entry = nodeLabelEntry(node, load<i32>(r));
    if (entry >= 0) v = ldI32(labelVal, entry);
  }
  if (op == 0 || op == 1) {
    let found = false;
    if (v >= 0) {
      for (let k = 0; k < n; k++) {
        if (ldI32(vals, k) == v) {
          found = true;
          break;
        }
      }
    }
    return op == 0 ? found : !found;
  }
  if (op == 2) return v >= 0;
  if (op == 3) return v < 0;
  if (op == 4 || op == 5) {
    if (entry < 0 || load<u8>(labelNumOk + <usize>entry) == 0) return false;
    const have = labelNum(entry);
    const want = load<i64>(vals);
    return op == 4 ? have > want : have < want;
  }
  return false;
}

/** Whether a term block (ANDed expressions and fields) matches `node`. */
function termMatches(term: usize, node: i32): bool {
  const nExpr = load<i32>(term);
  const nFields = load<i32>(term, 4);
  let r = term + 8;
  for (let k = 0; k < nExpr; k++, r += 16) {
    if (!requirementMatches(r, node, false)) return false;
  }
  for (let k = 0; k < nFields; k++, r += 16) {
    if (!requirementMatches(r, node, true)) return false;
  }
  return true;
}

/** Whether a NodeSelector block (ORed terms) matches `node`. */
function selectorMatches(sel: usize, node: i32): bool {
  const nTerms = load<i32>(sel);
  for (let k = 0; k < nTerms; k++) {
    if (termMatches(<usize>load<i32>(sel + 4 + ((<usize>k) << 2)), node)) return true;
  }
  return false;
}

/**
 * Runs the static filters of a pod class on every node and computes its static scores.
 *
 * `order` lists the enabled static Filter plugins in profile order, 4 bits each from the lowest
 * nibble: 1 NodeUnschedulable, 2 NodeName, 3 TaintToleration, 4 NodeAffinity; 0 ends the list.
 * `unschedKey` / `emptyVal` are the ids of `node.kubernetes.io/unschedulable` and "".
 *
 * Writes per node: outCode u8 (PASS or the FAIL_* of the first failing plugin), outTaint i32
 * (index within the node's taints of the first untolerated NoSchedule/NoExecute taint, else -1),
 * outTaintRaw i32 (TaintToleration raw score), outAffRaw i32 (NodeAffinity raw score),
 * outImage i32 (ImageLocality score). Returns the number of nodes that pass.
 */
export function computeStatic(
  desc: usize,
  order: i32,
  unschedKey: i32,
  emptyVal: i32,
  outCode: usize,
  outTaint: usize,
  outTaintRaw: usize,
  outAffRaw: usize,
  outImage: usize,
): i32 {
  const nodeNameId = load<i32>(desc);
  const nTol = load<i32>(desc, 4);
  const tolPtr = <usize>load<i32>(desc, 8);
  const nSel = load<i32>(desc, 12);
  const selPtr = <usize>load<i32>(desc, 16);
  const reqPtr = <usize>load<i32>(desc, 20);
  const addedPtr = <usize>load<i32>(desc, 24);
  const nPref = load<i32>(desc, 28);
  const prefPtr = <usize>load<i32>(desc, 32);
  const nImg = load<i32>(desc, 36);
  const imgPtr = <usize>load<i32>(desc, 40);
  const nContainers = load<i32>(desc, 44);
  const tolUnsched = anyTolerates(nTol, tolPtr, unschedKey, emptyVal, EFFECT_NO_SCHEDULE);
  const total = nodeCount;
  let passing = 0;

  for (let i = 0; i < total; i++) {
    // --- Filters, in profile order; the first failing plugin decides.
    let code: u8 = PASS;
    let failedTaint: i32 = -1;
    const tBegin = ldI32(taintOff, i);
    const tEnd = ldI32(taintOff, i + 1);
    for (let o = order; o != 0 && code == PASS; o >>>= 4) {
      const plugin = o & 15;
      if (plugin == 1) {
        if ((load<u8>(nodeFlags + <usize>i) & 1) != 0 && !tolUnsched) code = FAIL_UNSCHEDULABLE;
      } else if (plugin == 2) {
        if (nodeNameId >= 0 && ldI32(nodeName, i) != nodeNameId) code = FAIL_NODE_NAME;
      } else if (plugin == 3) {
        for (let j = tBegin; j < tEnd; j++) {
          const eff = <i32>load<u8>(taintEffect + <usize>j);
          if (eff != EFFECT_NO_SCHEDULE && eff != EFFECT_NO_EXECUTE) continue;
          if (!anyTolerates(nTol, tolPtr, ldI32(taintKey, j), ldI32(taintVal, j), eff)) {
            code = FAIL_TAINT;
            failedTaint = j - tBegin;
            break;
          }
        }
      } else if (plugin == 4) {
        if (addedPtr != 0 && !selectorMatches(addedPtr, i)) {
          code = FAIL_ADDED_AFFINITY;
        } else {
          let ok = true;
          for (let k = 0; k < nSel && ok; k++) {
            const p = selPtr + ((<usize>k) << 3);
            if (nodeLabel(i, load<i32>(p)) != load<i32>(p, 4)) ok = false;
          }
          if (ok && reqPtr != 0 && !selectorMatches(reqPtr, i)) ok = false;
          if (!ok) code = FAIL_AFFINITY;
        }
      }
    }
    store<u8>(outCode + <usize>i, code);
    store<i32>(outTaint + ((<usize>i) << 2), failedTaint);
    if (code == PASS) passing++;

    // --- TaintToleration raw score: PreferNoSchedule taints not tolerated by the tolerations
    // whose effect is empty or PreferNoSchedule.
    let taintRaw = 0;
    for (let j = tBegin; j < tEnd; j++) {
      if (<i32>load<u8>(taintEffect + <usize>j) != EFFECT_PREFER_NO_SCHEDULE) continue;
      const key = ldI32(taintKey, j);
      const val = ldI32(taintVal, j);
      let tolerated = false;
      for (let k = 0; k < nTol; k++) {
        const t = tolPtr + ((<usize>k) << 4);
        const eff = load<i32>(t, 12);
        if (eff != EFFECT_ANY && eff != EFFECT_PREFER_NO_SCHEDULE) continue;
        if (tolerates(t, key, val, EFFECT_PREFER_NO_SCHEDULE)) {
          tolerated = true;
          break;
        }
      }
      if (!tolerated) taintRaw++;
    }
    store<i32>(outTaintRaw + ((<usize>i) << 2), taintRaw);

    // --- NodeAffinity raw score: the sum of the weights of the matching preferred terms.
    let affRaw = 0;
    for (let k = 0; k < nPref; k++) {
      const p = prefPtr + ((<usize>k) << 3);
      if (termMatches(<usize>load<i32>(p, 4), i)) affRaw += load<i32>(p);
    }
    store<i32>(outAffRaw + ((<usize>i) << 2), affRaw);

    // --- ImageLocality: sizes of the pod's images present on the node, scaled by spread.
    let sum: i64 = 0;
    const iBegin = ldI32(imgOff, i);
    const iEnd = ldI32(imgOff, i + 1);
    for (let k = 0; k < nImg; k++) {
      const id = ldI32(imgPtr, k);
      if (id < 0) continue;
      for (let j = iBegin; j < iEnd; j++) {
        if (ldI32(imgId, j) == id) {
          const size = load<f64>(imgSize + ((<usize>j) << 3));
          const spread = <f64>ldI32(imgNodes, j) / <f64>total;
          sum += <i64>(size * spread);
          break;
        }
      }
    }
    const maxThreshold = MAX_CONTAINER_THRESHOLD * <i64>nContainers;
    if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
    else if (sum > maxThreshold) sum = maxThreshold;
    const image = (100 * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD);
    store<i32>(outImage + ((<usize>i) << 2), <i32>image);
  }
  return passing;
}
