// NodeResourcesFit's cpu / memory / pod-count check over the struct-of-arrays node table,
// four nodes per step with 128-bit SIMD.
//
// Columns (byte offsets, 16-byte aligned, length padded to a multiple of 4):
//   allocCpu, reqCpu     i32  millicores
//   allocMem, reqMem     f64  bytes (integers held exactly in f64)
//   allocPods, podCount  i32
// A node fits when
//   podCount + 1 <= allocPods
//   and (podCpu == 0 || podCpu <= allocCpu - reqCpu)
//   and (podMem == 0 || podMem <= allocMem - reqMem)
// (kube-scheduler skips the check of a resource the pod does not request; semantics §4.1).
// Padding nodes have allocPods = 0 and never fit.

/**
 * Writes 1 (fits) or 0 into out[i] (u8) for nodes [0, n) and returns the number that fit.
 * `n` must be a multiple of 4.
 */
export function fitResources(
  n: i32,
  allocCpu: usize,
  reqCpu: usize,
  allocMem: usize,
  reqMem: usize,
  allocPods: usize,
  podCount: usize,
  podCpu: i32,
  podMem: f64,
  out: usize,
): i32 {
  const vPodCpu = i32x4.splat(podCpu);
  const vPodMem = f64x2.splat(podMem);
  const vOne = i32x4.splat(1);
  const cpuAny = podCpu != 0;
  const memAny = podMem != 0;
  let count: i32 = 0;
  for (let i: i32 = 0; i < n; i += 4) {
    const o4 = (<usize>i) << 2;
    const o8 = (<usize>i) << 3;
    // pods: podCount + 1 <= allocPods
    let ok = i32x4.le_s(
      i32x4.add(v128.load(podCount + o4), vOne),
      v128.load(allocPods + o4),
    );
    if (cpuAny) {
      const freeCpu = i32x4.sub(v128.load(allocCpu + o4), v128.load(reqCpu + o4));
      ok = v128.and(ok, i32x4.le_s(vPodCpu, freeCpu));
    }
    if (memAny) {
      const free0 = f64x2.sub(v128.load(allocMem + o8), v128.load(reqMem + o8));
      const free1 = f64x2.sub(v128.load(allocMem + o8 + 16), v128.load(reqMem + o8 + 16));
      const m0 = f64x2.le(vPodMem, free0);
      const m1 = f64x2.le(vPodMem, free1);
      // Narrow two i64x2 masks into one i32x4 mask (lanes 0,2 of m0 and m1).
      const m = v128.shuffle<i32>(m0, m1, 0, 2, 4, 6);
      ok = v128.and(ok, m);
    }
    const p = out + <usize>i;
    store<u8>(p, <u8>(i32x4.extract_lane(ok, 0) & 1));
    store<u8>(p, <u8>(i32x4.extract_lane(ok, 1) & 1), 1);
    store<u8>(p, <u8>(i32x4.extract_lane(ok, 2) & 1), 2);
    store<u8>(p, <u8>(i32x4.extract_lane(ok, 3) & 1), 3);
    count += popcnt<i32>(i32(v128.bitmask<i32>(ok)));
  }
  return count;
}
