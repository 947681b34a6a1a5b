// NodeResourcesBalancedAllocation (semantics §4.5.1; the v1.36 formula of §4.5.2 when the
// profile asks for it): the balance of the requested fractions of the configured resources.

import { allocCpu, allocMem, ldF64, ldI32, reqCpu, reqMem } from "../table";
import { balFast, balKind, balN, balReqCpu, balReqMem, balVersion, podBalReq } from "../state";
import { allocOf, usedOf } from "./noderesourcesfit";

/** balance(i, true) for [cpu, memory]: the two-resource case of §4.5.1. */
// @ts-ignore: decorator
@inline export function balancedFast(i: i32): i64 {
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

/** Balanced allocation of node i with `withPod` (§4.5.1): trunc((1 − std) × 100). */
export function balance(i: i32, withPod: bool): i64 {
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
