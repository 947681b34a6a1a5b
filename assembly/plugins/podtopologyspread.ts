// PodTopologySpread (semantics §4.9; the TypeScript reference in
// src/reference/plugins/podtopologyspread/ is the oracle). Upstream counts the matching pods of
// every node in each cycle; here the host keeps one counter column per (selector, namespace) —
// matching pods per node, updated by assume / forget — so a cycle sums columns instead of
// scanning pods.
//
// The current class's constraints (setSpread): `spreadN` blocks of SPREAD_WORDS i32 words at
// `spreadPtr`, DoNotSchedule ones first (`spreadHard` of them):
//   0 hostname key (1/0)   1 maxSkew   2 minDomains   3 counter column (i32 × N)
//   4 inclusion column (u8 × N: the node passes the constraint's node inclusion policies)
//   5 domain column (i32 × N: dense index of the node's value for the key, -1 without the key)
//   6 domains   7 domain of the value "" (nodes without the key count there at PreScore when
//   not every topology is required)   8 selfMatch (1/0)   9 scratch sums (i32 × domains + 1)
//   10 scratch "registered" flags (u8 × domains + 1)   11 PreFilter's global minimum (written)
//   12 DoNotSchedule constraints only: the node's current contribution to its domain sum
//      (i32 × N). Their sums, flags and contributions are the class's own and are kept up to
//      date from the change log (replayed from the i64 position at `seqPtr`; -1 = rebuild),
//      so PreFilter costs O(changed nodes + domains), not O(nodes).
// The domain index of every present value is below `domains`; `domains` itself is never used by
// a node, so the "" domain may equal it when no node has an explicit "" value.

import { changeLog, changeSeq, logMask } from "../state";
import { ldI32, nodeCount, stI32 } from "../table";

export const SPREAD_WORDS: i32 = 13;

export let spreadN: i32 = 0;
export let spreadHard: i32 = 0;
let spreadPtr: usize = 0;
/** PreScore: every soft constraint's key required on a node (own constraints or List defaulting). */
let requireAll: bool = false;
/** `ln(k + 2)` for k = 0 … nodeCount, computed by the host with JS Math.log (bit-exact). */
let lnTable: usize = 0;
/** Scratch: u8 per node (ignored at PreScore); f64 weight per constraint. */
let ignoredPtr: usize = 0;
let weightPtr: usize = 0;
/** The class's change-log position (i64) its DoNotSchedule sums are up to date with. */
let seqPtr: usize = 0;

export function setSpread(
  n: i32,
  hard: i32,
  ptr: usize,
  requireAllTopologies: i32,
  ln: usize,
  ignored: usize,
  weights: usize,
  seq: usize,
): void {
  seqPtr = seq;
  spreadN = n;
  spreadHard = hard;
  spreadPtr = ptr;
  requireAll = requireAllTopologies != 0;
  lnTable = ln;
  ignoredPtr = ignored;
  weightPtr = weights;
}

// @ts-ignore: decorator
@inline function word(c: i32, w: i32): i32 {
  return load<i32>(spreadPtr + ((<usize>(c * SPREAD_WORDS + w)) << 2));
}

// @ts-ignore: decorator
@inline function setWord(c: i32, w: i32, v: i32): void {
  store<i32>(spreadPtr + ((<usize>(c * SPREAD_WORDS + w)) << 2), v);
}

// @ts-ignore: decorator
@inline function domOf(c: i32, i: i32): i32 {
  return ldI32(<usize>word(c, 5), i);
}

// @ts-ignore: decorator
@inline function countOf(c: i32, i: i32): i32 {
  return ldI32(<usize>word(c, 3), i);
}

// @ts-ignore: decorator
@inline function included(c: i32, i: i32): bool {
  return load<u8>(<usize>word(c, 4) + <usize>i) != 0;
}

/** Whether node i carries the keys of constraints [from, to). */
function hasKeys(i: i32, from: i32, to: i32): bool {
  for (let c = from; c < to; c++) if (domOf(c, i) < 0) return false;
  return true;
}

/**
 * PreFilter for the DoNotSchedule constraints: over every node carrying all their keys, the
 * matching pods of the nodes passing each constraint's inclusion policies summed per domain, and
 * each constraint's global minimum over its recorded domains (0 when fewer than minDomains).
 * The sums are the class's own: rebuilt when stale, else updated for the nodes that changed.
 */
export function spreadPreFilter(): void {
  const seq = load<i64>(seqPtr);
  if (seq < 0 || changeLog == 0 || changeSeq - seq > <i64>(logMask + 1)) {
    rebuildHard();
  } else {
    for (let q = seq; q < changeSeq; q++) updateHard(ldI32(changeLog, <i32>q & logMask));
  }
  store<i64>(seqPtr, changeSeq);
  for (let c = 0; c < spreadHard; c++) {
    const domains = word(c, 6);
    const sums = <usize>word(c, 9);
    const reg = <usize>word(c, 10);
    let min = i32.MAX_VALUE;
    let recorded = 0;
    for (let d = 0; d <= domains; d++) {
      if (load<u8>(reg + <usize>d) == 0) continue;
      recorded++;
      const v = ldI32(sums, d);
      if (v < min) min = v;
    }
    if (recorded == 0 || recorded < word(c, 2)) min = 0;
    setWord(c, 11, min);
  }
}

/** Recomputes the DoNotSchedule sums, flags and contributions from every node. */
function rebuildHard(): void {
  const n = nodeCount;
  for (let c = 0; c < spreadHard; c++) {
    const domains = word(c, 6);
    memory.fill(<usize>word(c, 9), 0, (<usize>(domains + 1)) << 2);
    memory.fill(<usize>word(c, 10), 0, <usize>(domains + 1));
    memory.fill(<usize>word(c, 12), 0, (<usize>n) << 2);
  }
  for (let i = 0; i < n; i++) {
    if (!hasKeys(i, 0, spreadHard)) continue;
    for (let c = 0; c < spreadHard; c++) {
      if (!included(c, i)) continue;
      const d = domOf(c, i);
      const v = countOf(c, i);
      const sums = <usize>word(c, 9);
      stI32(sums, d, ldI32(sums, d) + v);
      store<u8>(<usize>word(c, 10) + <usize>d, 1);
      stI32(<usize>word(c, 12), i, v);
    }
  }
}

/** Brings node i's contribution to the DoNotSchedule sums up to date. */
function updateHard(i: i32): void {
  if (!hasKeys(i, 0, spreadHard)) return;
  for (let c = 0; c < spreadHard; c++) {
    if (!included(c, i)) continue;
    const d = domOf(c, i);
    const v = countOf(c, i);
    const contrib = <usize>word(c, 12);
    const sums = <usize>word(c, 9);
    stI32(sums, d, ldI32(sums, d) + v - ldI32(contrib, i));
    stI32(contrib, i, v);
  }
}

/** The filter verdict on node i: 0, 9 (skew above maxSkew) or 10 (a topology key missing). */
export function spreadFilter(i: i32): u8 {
  for (let c = 0; c < spreadHard; c++) {
    const d = domOf(c, i);
    if (d < 0) return 10;
    const matchNum = load<u8>(<usize>word(c, 10) + <usize>d) != 0 ? ldI32(<usize>word(c, 9), d) : 0;
    if (matchNum + word(c, 8) - word(c, 11) > word(c, 1)) return 9;
  }
  return 0;
}

/**
 * PreScore over the `found` feasible nodes at `feasible` for the ScheduleAnyway constraints
 * [spreadHard, spreadN): ignored nodes, registered domains, weights ln(size + 2), and the per
 * domain sums over every node.
 */
export function spreadPreScore(found: i32, feasible: usize): void {
  const n = nodeCount;
  memory.fill(ignoredPtr, 0, <usize>n);
  for (let c = spreadHard; c < spreadN; c++) {
    const domains = word(c, 6);
    memory.fill(<usize>word(c, 9), 0, (<usize>(domains + 1)) << 2);
    memory.fill(<usize>word(c, 10), 0, <usize>(domains + 1));
  }
  let ignored = 0;
  for (let p = 0; p < found; p++) {
    const i = ldI32(feasible, p);
    if (requireAll && !hasKeys(i, spreadHard, spreadN)) {
      store<u8>(ignoredPtr + <usize>i, 1);
      ignored++;
      continue;
    }
    for (let c = spreadHard; c < spreadN; c++) {
      if (word(c, 0) != 0) continue;
      let d = domOf(c, i);
      if (d < 0) d = word(c, 7);
      store<u8>(<usize>word(c, 10) + <usize>d, 1);
    }
  }
  for (let c = spreadHard; c < spreadN; c++) {
    let size = found - ignored;
    if (word(c, 0) == 0) {
      size = 0;
      const reg = <usize>word(c, 10);
      const domains = word(c, 6);
      for (let d = 0; d <= domains; d++) if (load<u8>(reg + <usize>d) != 0) size++;
    }
    store<f64>(weightPtr + ((<usize>c) << 3), load<f64>(lnTable + ((<usize>size) << 3)));
  }
  for (let i = 0; i < n; i++) {
    if (requireAll && !hasKeys(i, spreadHard, spreadN)) continue;
    for (let c = spreadHard; c < spreadN; c++) {
      if (!included(c, i)) continue;
      let d = domOf(c, i);
      if (d < 0) d = word(c, 7);
      if (load<u8>(<usize>word(c, 10) + <usize>d) == 0) continue;
      const sums = <usize>word(c, 9);
      stI32(sums, d, ldI32(sums, d) + countOf(c, i));
    }
  }
}

/** Whether spreadPreScore ignored node i (its score is 0 and it is left out of normalization). */
export function spreadIgnored(i: i32): bool {
  return load<u8>(ignoredPtr + <usize>i) != 0;
}

/**
 * Node i's raw score: round(Σ cnt × w + (maxSkew − 1)) in float64 over the soft constraints whose
 * key the node has, in constraint order; cnt is the node's own count for hostname constraints.
 */
export function spreadScore(i: i32): i64 {
  let sum: f64 = 0;
  for (let c = spreadHard; c < spreadN; c++) {
    const d = domOf(c, i);
    if (d < 0) continue;
    const cnt = word(c, 0) != 0 ? countOf(c, i) : ldI32(<usize>word(c, 9), d);
    const w = load<f64>(weightPtr + ((<usize>c) << 3));
    sum += <f64>cnt * w + <f64>(word(c, 1) - 1);
  }
  return <i64>Math.round(sum);
}
