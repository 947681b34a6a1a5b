// Incremental selection.
//
// For a class whose totals need no pass over the feasible nodes (TaintToleration and
// NodeAffinity constant, no host ports, no PreFilterResult), a cycle's outcome depends only on
// per-node values that change when that node changes: feasible(i) (static verdict and
// NodeResourcesFit) and v(i) = cachedScore(i). The class keeps them in a segment tree over the
// node order — per tree node the maximum of v over feasible leaves, how many leaves reach it,
// and how many leaves are feasible — updated from the change log. One cycle is then O(log N):
//   - the k-th feasible node from nextStart (k = numToFind) ends the visited window, which gives
//     `processed` exactly as the linear scan counts it (all N when fewer than k are feasible);
//   - the maximum total over the window and the number K of nodes reaching it;
//   - K = 1: that node; K ≥ 2: r = nextBounded(K) and the r-th of them in visiting order.
// Identical results to filterNodes + scoreAndSelect, including the PRNG draws.
//
// Tree block (per class slot): i64 seq (change log position replayed up to; -1 = rebuild),
// i32 P (leaves, a power of two ≥ nodeCount), then i32 arrays mx[2P], cn[2P], fc[2P] at
// +16, +16 + 8P, +16 + 16P. Leaf P + i is node i; infeasible leaves have mx = -1.

import { ldI32, nodeCount, stI32 } from "./table";
import {
  cacheVal,
  changeLog,
  changeSeq,
  clsAffMax,
  clsCode,
  clsTaintMax,
  clsTree,
  filters,
  logMask,
  podBlocked,
  podHostFilter,
  podPorts,
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
import { fitsInline } from "./plugins/noderesourcesfit";
import { spreadN } from "./plugins/podtopologyspread";
import { ipaFilter, ipaFilters, ipaLocal, scoreN } from "./plugins/interpodaffinity";
import { nodeNameOn, podNodeName } from "./state";

// @ts-ignore: decorator
@inline export function treeApplies(list: usize): bool {
  return (
    clsTree != 0 &&
    spreadN == 0 &&
    scoreN == 0 &&
    (!ipaFilters() || ipaLocal) &&
    (podNodeName < 0 || !nodeNameOn) &&
    changeLog != 0 &&
    list == 0 &&
    (podPorts == 0 || (filters & 1) == 0) &&
    podBlocked == 0 &&
    !podHostFilter &&
    (filters & 4) != 0 &&
    cacheVal != 0 &&
    smallWeights &&
    (wTaint == 0 || clsTaintMax == 0) &&
    (wAffinity == 0 || (podSkip & 1) != 0 || clsAffMax == 0) &&
    (wTaint | wAffinity | wFit | wBalanced | wImage) != 0
  );
}

/** Nodes visited and feasible nodes found by the last scheduleByTree (as filterNodes counts). */
export let treeProcessed: i32 = 0;
export let treeFound: i32 = 0;

let tP: i32 = 0;
let tMx: usize = 0;
let tCn: usize = 0;
let tFc: usize = 0;

// @ts-ignore: decorator
@inline function treeBind(): void {
  tP = load<i32>(clsTree, 8);
  tMx = clsTree + 16;
  tCn = tMx + ((<usize>tP) << 3);
  tFc = tCn + ((<usize>tP) << 3);
}

/** Leaf value of node i for the current class: its cached score, or -1 when infeasible. */
function leafOf(i: i32): i32 {
  if (load<u8>(clsCode + <usize>i) != 0) return -1;
  if ((filters & 2) != 0 && !fitsInline(i)) return -1;
  // InterPodAffinity with node-local anti-affinity only: the verdict changes with the node.
  if (ipaFilters() && ipaFilter(i) != 0) return -1;
  return cachedScore(i, wFit, wBalanced != 0 && (podSkip & 2) == 0 ? wBalanced : 0, wImage);
}

// @ts-ignore: decorator
@inline function pull(k: i32): void {
  const l = k << 1;
  const r = l + 1;
  const ml = ldI32(tMx, l);
  const mr = ldI32(tMx, r);
  const m = ml > mr ? ml : mr;
  stI32(tMx, k, m);
  stI32(tCn, k, (ml == m ? ldI32(tCn, l) : 0) + (mr == m ? ldI32(tCn, r) : 0));
  stI32(tFc, k, ldI32(tFc, l) + ldI32(tFc, r));
}

function setLeaf(i: i32, v: i32): void {
  let k = tP + i;
  stI32(tMx, k, v);
  stI32(tCn, k, 1);
  stI32(tFc, k, v >= 0 ? 1 : 0);
  for (k >>= 1; k >= 1; k >>= 1) pull(k);
}

/** Brings the current class's tree up to date with the change log (or rebuilds it). */
function syncTree(): void {
  treeBind();
  const seq = load<i64>(clsTree);
  const n = nodeCount;
  if (seq < 0 || changeSeq - seq > <i64>(logMask + 1)) {
    for (let i = 0; i < tP; i++) {
      const v = i < n ? leafOf(i) : -1;
      const k = tP + i;
      stI32(tMx, k, v);
      stI32(tCn, k, 1);
      stI32(tFc, k, v >= 0 ? 1 : 0);
    }
    for (let k = tP - 1; k >= 1; k--) pull(k);
  } else {
    for (let q = seq; q < changeSeq; q++) {
      const i = ldI32(changeLog, <i32>q & logMask);
      setLeaf(i, leafOf(i));
    }
  }
  store<i64>(clsTree, changeSeq);
}

/** Feasible leaves in [l, r). */
function feasIn(l: i32, r: i32): i32 {
  let c = 0;
  let a = l + tP;
  let b = r + tP;
  while (a < b) {
    if ((a & 1) != 0) c += ldI32(tFc, a++);
    if ((b & 1) != 0) c += ldI32(tFc, --b);
    a >>= 1;
    b >>= 1;
  }
  return c;
}

/** The node index of the j-th (1-based) feasible leaf overall. */
function kthFeasible(j: i32): i32 {
  let k = 1;
  while (k < tP) {
    const l = k << 1;
    const c = ldI32(tFc, l);
    if (j <= c) {
      k = l;
    } else {
      j -= c;
      k = l + 1;
    }
  }
  return k - tP;
}

let qMax: i32 = -1;
let qCnt: i32 = 0;

/** Folds the maximum (and its multiplicity) of leaves [l, r) into qMax / qCnt. */
function maxIn(l: i32, r: i32): void {
  let a = l + tP;
  let b = r + tP;
  while (a < b) {
    if ((a & 1) != 0) {
      foldMax(a);
      a++;
    }
    if ((b & 1) != 0) {
      --b;
      foldMax(b);
    }
    a >>= 1;
    b >>= 1;
  }
}

// @ts-ignore: decorator
@inline function foldMax(k: i32): void {
  const m = ldI32(tMx, k);
  if (m > qMax) {
    qMax = m;
    qCnt = ldI32(tCn, k);
  } else if (m == qMax) {
    qCnt += ldI32(tCn, k);
  }
}

let qRank: i32 = 0;

/**
 * The qRank-th (0-based) leaf in [l, r) whose value is m (m is the maximum over [l, r)), in node
 * order; -1 when [l, r) holds qRank or fewer of them (qRank is then reduced by their number).
 */
function rankIn(k: i32, a: i32, b: i32, l: i32, r: i32, m: i32): i32 {
  if (b <= l || r <= a) return -1;
  if (ldI32(tMx, k) < m) return -1;
  if (l <= a && b <= r) {
    const c = ldI32(tCn, k);
    if (qRank >= c) {
      qRank -= c;
      return -1;
    }
    // The answer is in this subtree: descend.
    while (k < tP) {
      const lc = k << 1;
      if (ldI32(tMx, lc) == m) {
        const cl = ldI32(tCn, lc);
        if (qRank < cl) {
          k = lc;
          continue;
        }
        qRank -= cl;
      }
      k = lc + 1;
    }
    return k - tP;
  }
  const mid = (a + b) >> 1;
  const x = rankIn(k << 1, a, mid, l, r, m);
  if (x >= 0) return x;
  return rankIn((k << 1) + 1, mid, b, l, r, m);
}

/** The tree block of the class scheduled by the previous cycle that could use its tree. */
let lastTree: usize = 0;

/**
 * Whether the tree is worth it this cycle (the linear scan gives the same result): replaying
 * the changes other classes made since this class last used it costs a root-ward walk per
 * change, so with many classes interleaved a tree can cost more than the scan it replaces. Use
 * it when the replay costs at most ~4 node visits per feasible node sought, and rebuild a stale
 * tree only for a class scheduled twice in a row (a run of one class, where trees pay off).
 */
export function treeWorthIt(numToFind: i32): bool {
  const same = clsTree == lastTree;
  lastTree = clsTree;
  const seq = load<i64>(clsTree);
  if (seq < 0 || changeSeq - seq > <i64>(logMask + 1)) return same;
  const depth = <i64>(32 - clz<i32>(load<i32>(clsTree, 8)));
  return (changeSeq - seq) * depth <= (<i64>numToFind) << 2;
}

/** One cycle through the tree (see the section comment). Returns the node, or -1. */
export function scheduleByTree(numToFind: i32, s: i32): i32 {
  syncTree();
  const n = nodeCount;
  const total = ldI32(tFc, 1);
  // The visited window: [s, e1) then [0, e2).
  let e1 = n;
  let e2 = s;
  let found = total;
  let processed = n;
  if (numToFind <= total) {
    found = numToFind;
    const after = feasIn(s, n);
    if (after >= numToFind) {
      const p = kthFeasible(feasIn(0, s) + numToFind);
      e1 = p + 1;
      e2 = 0;
      processed = p + 1 - s;
    } else {
      const p = kthFeasible(numToFind - after);
      e2 = p + 1;
      processed = n - s + p + 1;
    }
  }
  treeProcessed = processed;
  treeFound = found;
  if (found == 0) return -1;
  qMax = -1;
  qCnt = 0;
  maxIn(s, e1);
  if (e2 > 0) maxIn(0, e2);
  qRank = qCnt == 1 ? 0 : nextBounded(qCnt);
  const x = rankIn(1, 0, tP, s, e1, qMax);
  if (x >= 0) return x;
  return rankIn(1, 0, tP, 0, e2, qMax);
}
