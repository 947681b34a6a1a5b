// ImageLocality (semantics §4.6): the sizes of the pod's images present on the node, scaled by
// how many nodes have them, clamped to [23 MiB, 1000 MiB × containers] and mapped to 0…100.

import { imgId, imgNodes, imgOff, imgSize, ldI32 } from "../table";

const MB: i64 = 1024 * 1024;
const MIN_THRESHOLD: i64 = 23 * MB;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * MB;

/**
 * Node i's score for the `nImg` normalized image ids at imgPtr (init then regular containers,
 * -1 for an image no node has) of a pod with `nContainers` containers, among `total` nodes.
 */
export function imageScore(i: i32, nImg: i32, imgPtr: usize, nContainers: i32, total: i32): i32 {
  let sum: i64 = 0;
  const begin = ldI32(imgOff, i);
  const end = ldI32(imgOff, i + 1);
  for (let k = 0; k < nImg; k++) {
    const id = ldI32(imgPtr, k);
    if (id < 0) continue;
    for (let j = begin; j < end; j++) {
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
  return <i32>((100 * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}
