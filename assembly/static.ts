// Static filters and static scores of a pod class: everything that depends only on the pod's
// spec and the nodes' labels, taints, names and images — not on what is running where. Computed
// once per (pod class, node set) and reused for every pod of the class.
//
// Class descriptor (i32 words at `desc`, built by src/core/classes.ts):
//   0  nodeNameId      interned spec.nodeName, or -1 (the host passes -1: NodeName is checked per
//                      pod in schedule.ts, since pods of one class may name different nodes)
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

import { imageScore } from "./plugins/imagelocality";
import { nodeSelectorMatches, preferredScore, selectorMatches } from "./plugins/nodeaffinity";
import {
  anyTolerates,
  EFFECT_NO_SCHEDULE,
  taintScore,
  untoleratedTaint,
} from "./plugins/tainttoleration";
import { ldI32, nodeCount, nodeFlags, nodeName } from "./table";

/** Static filter verdicts written by `computeStatic`. */
export const PASS: u8 = 0;
export const FAIL_UNSCHEDULABLE: u8 = 1;
export const FAIL_NODE_NAME: u8 = 2;
export const FAIL_TAINT: u8 = 3;
export const FAIL_ADDED_AFFINITY: u8 = 4;
export const FAIL_AFFINITY: u8 = 5;

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
  // NodeUnschedulable: the pod must tolerate {node.kubernetes.io/unschedulable, "", NoSchedule}.
  const tolUnsched = anyTolerates(nTol, tolPtr, unschedKey, emptyVal, EFFECT_NO_SCHEDULE);
  const total = nodeCount;
  let passing = 0;

  for (let i = 0; i < total; i++) {
    // Filters, in profile order; the first failing plugin decides.
    let code: u8 = PASS;
    let failedTaint: i32 = -1;
    for (let o = order; o != 0 && code == PASS; o >>>= 4) {
      const plugin = o & 15;
      if (plugin == 1) {
        if ((load<u8>(nodeFlags + <usize>i) & 1) != 0 && !tolUnsched) code = FAIL_UNSCHEDULABLE;
      } else if (plugin == 2) {
        // NodeName: spec.nodeName, when set, must be this node.
        if (nodeNameId >= 0 && ldI32(nodeName, i) != nodeNameId) code = FAIL_NODE_NAME;
      } else if (plugin == 3) {
        failedTaint = untoleratedTaint(i, nTol, tolPtr);
        if (failedTaint >= 0) code = FAIL_TAINT;
      } else if (plugin == 4) {
        if (addedPtr != 0 && !selectorMatches(addedPtr, i)) {
          code = FAIL_ADDED_AFFINITY;
        } else if (
          !nodeSelectorMatches(i, nSel, selPtr) ||
          (reqPtr != 0 && !selectorMatches(reqPtr, i))
        ) {
          code = FAIL_AFFINITY;
        }
      }
    }
    store<u8>(outCode + <usize>i, code);
    store<i32>(outTaint + ((<usize>i) << 2), failedTaint);
    if (code == PASS) passing++;
    store<i32>(outTaintRaw + ((<usize>i) << 2), taintScore(i, nTol, tolPtr));
    store<i32>(outAffRaw + ((<usize>i) << 2), preferredScore(i, nPref, prefPtr));
    store<i32>(outImage + ((<usize>i) << 2), imageScore(i, nImg, imgPtr, nContainers, total));
  }
  return passing;
}
