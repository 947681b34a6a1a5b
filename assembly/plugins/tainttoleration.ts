// TaintToleration (semantics §4.7): the NoSchedule / NoExecute taint filter and the count of
// untolerated PreferNoSchedule taints that its score normalizes (reverse). Tolerations are the
// class descriptor's 4-word entries (assembly/static.ts); taint effect codes are the node
// table's (0 NoSchedule, 1 PreferNoSchedule, 2 NoExecute; 3 in a toleration = every effect).

import { ldI32, taintEffect, taintKey, taintOff, taintVal } from "../table";

export const EFFECT_NO_SCHEDULE: i32 = 0;
export const EFFECT_PREFER_NO_SCHEDULE: i32 = 1;
export const EFFECT_NO_EXECUTE: i32 = 2;
export const EFFECT_ANY: i32 = 3;

/** Whether toleration t (pointer to its 4 words) tolerates the taint (key, value, effect). */
// @ts-ignore: decorator
@inline export function tolerates(t: usize, key: i32, value: i32, effect: i32): bool {
  const tEffect = load<i32>(t, 12);
  if (tEffect != EFFECT_ANY && tEffect != effect) return false;
  const tKey = load<i32>(t);
  if (tKey != -1 && tKey != key) return false;
  if (load<i32>(t, 4) == 1) return true; // Exists
  return load<i32>(t, 8) == value; // Equal
}

export function anyTolerates(nTol: i32, tolPtr: usize, key: i32, value: i32, effect: i32): bool {
  for (let k = 0; k < nTol; k++) {
    if (tolerates(tolPtr + ((<usize>k) << 4), key, value, effect)) return true;
  }
  return false;
}

/**
 * The filter: the index (within node i's taints) of the first NoSchedule / NoExecute taint no
 * toleration tolerates, or -1 when the node passes.
 */
export function untoleratedTaint(i: i32, nTol: i32, tolPtr: usize): i32 {
  const begin = ldI32(taintOff, i);
  const end = ldI32(taintOff, i + 1);
  for (let j = begin; j < end; j++) {
    const eff = <i32>load<u8>(taintEffect + <usize>j);
    if (eff != EFFECT_NO_SCHEDULE && eff != EFFECT_NO_EXECUTE) continue;
    if (!anyTolerates(nTol, tolPtr, ldI32(taintKey, j), ldI32(taintVal, j), eff)) {
      return j - begin;
    }
  }
  return -1;
}

/**
 * The raw score: node i's PreferNoSchedule taints not tolerated by the tolerations whose effect
 * is empty or PreferNoSchedule.
 */
export function taintScore(i: i32, nTol: i32, tolPtr: usize): i32 {
  const begin = ldI32(taintOff, i);
  const end = ldI32(taintOff, i + 1);
  let raw = 0;
  for (let j = begin; j < end; j++) {
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
    if (!tolerated) raw++;
  }
  return raw;
}
