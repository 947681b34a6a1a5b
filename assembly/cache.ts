// The per-class score cache: node i's weighted NodeResourcesFit, balanced allocation and
// ImageLocality scores, kept until node i changes (its nodeVersion moves on). Exact: these
// scores depend only on the class and node i's own columns.

import { ldI32, stI32 } from "./table";
import { cacheVal, cacheVer, clsImage, nodeVersion } from "./state";
import { fitScore } from "./plugins/noderesourcesfit";
import { balancedScore } from "./plugins/balancedallocation";

/**
 * Node i's cached fit × wFit + balanced × wBalanced + image × wImage, computed and stored when
 * node i changed since (its nodeVersion moved on).
 */
// @ts-ignore: decorator
@inline export function cachedScore(i: i32, wF: i32, wB: i32, wI: i32): i32 {
  const ver = ldI32(nodeVersion, i);
  if (ldI32(cacheVer, i) == ver) return ldI32(cacheVal, i);
  let v: i32 = 0;
  if (wF != 0) v += <i32>fitScore(i) * wF;
  if (wB != 0) v += <i32>balancedScore(i) * wB;
  if (wI != 0) v += ldI32(clsImage, i) * wI;
  stI32(cacheVal, i, v);
  stI32(cacheVer, i, ver);
  return v;
}
