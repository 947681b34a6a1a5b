// NodeAffinity (semantics §4.8): spec.nodeSelector, required and preferred node selector terms
// (every operator; matchFields on metadata.name), NodeAffinityArgs.addedAffinity. Terms are the
// class descriptor's blocks (assembly/static.ts documents their format).

import {
  labelNum,
  labelNumOk,
  labelVal,
  ldI32,
  nodeLabel,
  nodeLabelEntry,
  nodeName,
} from "../table";

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
export function termMatches(term: usize, node: i32): bool {
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
export function selectorMatches(sel: usize, node: i32): bool {
  const nTerms = load<i32>(sel);
  for (let k = 0; k < nTerms; k++) {
    if (termMatches(<usize>load<i32>(sel + 4 + ((<usize>k) << 2)), node)) return true;
  }
  return false;
}

/** spec.nodeSelector: every (key, value) pair of the descriptor's list is a label of node i. */
export function nodeSelectorMatches(i: i32, nSel: i32, selPtr: usize): bool {
  for (let k = 0; k < nSel; k++) {
    const p = selPtr + ((<usize>k) << 3);
    if (nodeLabel(i, load<i32>(p)) != load<i32>(p, 4)) return false;
  }
  return true;
}

/** The raw score: the sum of the weights of the preferred terms node i matches. */
export function preferredScore(i: i32, nPref: i32, prefPtr: usize): i32 {
  let raw = 0;
  for (let k = 0; k < nPref; k++) {
    const p = prefPtr + ((<usize>k) << 3);
    if (termMatches(<usize>load<i32>(p, 4), i)) raw += load<i32>(p);
  }
  return raw;
}
