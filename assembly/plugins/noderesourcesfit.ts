// NodeResourcesFit (semantics §4.1–§4.5): the filter (pod count, cpu, memory, ephemeral
// storage, scalar resources), four nodes at a time with SIMD for the common case, and the
// scoring strategies LeastAllocated, MostAllocated and RequestedToCapacityRatio.

import {
  allocCpu,
  allocEph,
  allocMem,
  allocPods,
  ldF64,
  ldI32,
  nzCpu,
  nzMem,
  podCount,
  reqCpu,
  reqEph,
  reqMem,
  scalarCols,
} from "../table";
import {
  clsCode,
  fitFast,
  fitKind,
  fitN,
  fitReqCpu,
  fitReqMem,
  fitW0,
  fitW1,
  fitWeight,
  podCpu,
  podEph,
  podFilterAmt,
  podFilterKind,
  podFilterN,
  podFitReq,
  podMem,
  shapeN,
  shapePtr,
  strategy,
} from "../state";

// @ts-ignore: decorator
@inline export function scalarAlloc(k: i32): usize {
  return <usize>load<u32>(scalarCols + ((<usize>k) << 3));
}

// @ts-ignore: decorator
@inline export function scalarReq(k: i32): usize {
  return <usize>load<u32>(scalarCols + ((<usize>k) << 3), 4);
}

/** Allocatable of resource `kind` on node i (0 when absent). */
export function allocOf(kind: i32, i: i32): i64 {
  if (kind == 0) return <i64>ldI32(allocCpu, i);
  if (kind == 1) return <i64>ldF64(allocMem, i);
  if (kind == 2) return <i64>ldF64(allocEph, i);
  if (kind < 0) return 0;
  return <i64>ldF64(scalarAlloc(kind - 3), i);
}

/** What node i has requested of `kind`: non-zero requests for cpu/memory when `nonZero`. */
export function usedOf(kind: i32, i: i32, nonZero: bool): i64 {
  if (kind == 0) return <i64>(nonZero ? ldI32(nzCpu, i) : ldI32(reqCpu, i));
  if (kind == 1) return <i64>(nonZero ? ldF64(nzMem, i) : ldF64(reqMem, i));
  if (kind == 2) return <i64>ldF64(reqEph, i);
  if (kind < 0) return 0;
  return <i64>ldF64(scalarReq(kind - 3), i);
}

/**
 * Whether node i passes NodeResourcesFit's filter for the current pod (§4.1): pod count first,
 * then, unless the pod requests nothing, cpu, memory, ephemeral storage and scalar resources.
 */
export function fits(i: i32): bool {
  return fitsInline(i);
}

/**
 * Whether a failing resource's request exceeds node i's allocatable on its own (the Filter status
 * is then UnschedulableAndUnresolvable, v1.35): preemption cannot help on that node.
 */
export function fitUnresolvable(i: i32): bool {
  if (podCpu > 0 && podCpu > ldI32(allocCpu, i) - ldI32(reqCpu, i) && podCpu > ldI32(allocCpu, i))
    return true;
  if (podMem > 0 && podMem > ldF64(allocMem, i) - ldF64(reqMem, i) && podMem > ldF64(allocMem, i))
    return true;
  if (podEph > 0 && podEph > ldF64(allocEph, i) - ldF64(reqEph, i) && podEph > ldF64(allocEph, i))
    return true;
  for (let k = 0; k < podFilterN; k++) {
    const amt = ldF64(podFilterAmt, k);
    if (amt == 0) continue;
    const kind = ldI32(podFilterKind, k);
    if (kind < 0) return true;
    const alloc = ldF64(scalarAlloc(kind), i);
    if (amt > alloc - ldF64(scalarReq(kind), i) && amt > alloc) return true;
  }
  return false;
}

// @ts-ignore: decorator
@inline export function fitsInline(i: i32): bool {
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

/**
 * Four nodes' NodeResourcesFit filter at once (nodes base … base+3), as a 4-bit mask (bit l set
 * when node base+l fits): pod count, then cpu / memory / ephemeral storage when requested.
 * Same comparisons as fitsInline (f64 holds the byte counts exactly); no scalar resources.
 */
// @ts-ignore: decorator
@inline export function fit4(base: i32): i32 {
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

/** RequestedToCapacityRatio's broken-linear shape function (§4.5), integer arithmetic. */
export function shapeScore(p: i64): i64 {
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
@inline export function fitScoreFast(i: i32): i64 {
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
