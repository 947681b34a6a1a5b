// InterPodAffinity (semantics §4.10; the TypeScript reference in
// src/reference/plugins/interpodaffinity/ is the oracle). Upstream walks every existing pod in
// each cycle to build its topology counts; here the host keeps "domain counters" instead — for
// one (pod predicate, topology key), the placed pods satisfying the predicate per value of the
// key — updated by assume / forget, so a cycle reads sums instead of scanning pods.
//
// Domain counter record (3 u32, a list per class set by setDomainCounters; a pod of the class adds
// 1 per record it appears in, so a term a pod carries twice is listed twice):
//   0 domain column (i32 × N: the node's dense value index for the key, -1 without the key)
//   1 sums (i32 × domains: matching pods per value)   2 total (i32: the sums' sum)
//
// The current class's blocks (setInterPod): IPA_WORDS i32 each at `ipaPtr`, grouped by kind in
// this order — required affinity terms (`affN`), required anti-affinity terms (`antiN`), existing
// pods' required anti-affinity terms that match the pod (`existN`), score terms (`scoreN`):
//   0 domain column   1 sums   2 total   3 weight (score terms: signed; otherwise unused)
// A term's counts keyed by (key, value) in upstream are summed over the terms sharing the key;
// every check below holds for that sum exactly when it holds for one of the terms, so the
// blocks are checked one by one.

import { ldI32, stI32 } from "../table";

export const IPA_WORDS: i32 = 4;

/** InterPodAffinity's Score weight in the profile (0: not a score plugin). */
export let wInterPod: i32 = 0;
/** Scratch for the raw (i64) and normalized (i32) scores per feasible position. */
export let ipaRawScratch: usize = 0;
export let ipaNormScratch: usize = 0;

export function setInterPodProfile(weight: i32, raw: usize, norm: usize): void {
  wInterPod = weight;
  ipaRawScratch = raw;
  ipaNormScratch = norm;
}

let ipaPtr: usize = 0;
export let affN: i32 = 0;
export let antiN: i32 = 0;
export let existN: i32 = 0;
export let scoreN: i32 = 0;
/** The pod matches all of its own required affinity terms (the first-pod exception). */
let selfMatch: bool = false;
/** Set by ipaPreFilter: no pod anywhere matches the affinity terms, and the pod matches them. */
let firstOfGroup: bool = false;
/** Only anti-affinity blocks over node-local keys (a domain is one node): see select.ts. */
export let ipaLocal: bool = true;

export function setInterPod(
  ptr: usize,
  aff: i32,
  anti: i32,
  exist: i32,
  score: i32,
  self: i32,
  local: i32,
): void {
  ipaLocal = local != 0;
  ipaPtr = ptr;
  affN = aff;
  antiN = anti;
  existN = exist;
  scoreN = score;
  selfMatch = self != 0;
}

/** Whether the class has filter blocks (the Filter part runs). */
// @ts-ignore: decorator
@inline export function ipaFilters(): bool {
  return (affN | antiN | existN) != 0;
}

// @ts-ignore: decorator
@inline function word(b: i32, w: i32): i32 {
  return load<i32>(ipaPtr + ((<usize>(b * IPA_WORDS + w)) << 2));
}

/** Block b's count at node i's domain, or -1 when the node lacks the key. */
// @ts-ignore: decorator
@inline function countAt(b: i32, i: i32): i32 {
  const d = ldI32(<usize>word(b, 0), i);
  return d < 0 ? -1 : ldI32(<usize>word(b, 1), d);
}

// ---- Domain counters (assume / forget) ----------------------------------------------------

let dcN: i32 = 0;
let dcList: usize = 0;

export function setDomainCounters(list: usize, n: i32): void {
  dcList = list;
  dcN = n;
}

/** Adds `delta` pods of the current class at node i to its domain counters. */
export function countDomains(i: i32, delta: i32): void {
  for (let k = 0; k < dcN; k++) {
    const rec = dcList + <usize>(k * 12);
    const d = ldI32(<usize>load<u32>(rec), i);
    if (d < 0) continue;
    const sums = <usize>load<u32>(rec, 4);
    stI32(sums, d, ldI32(sums, d) + delta);
    const total = <usize>load<u32>(rec, 8);
    store<i32>(total, load<i32>(total) + delta);
  }
}

// ---- Filter -------------------------------------------------------------------------------

/** PreFilter: the first-pod exception (every affinity term's total 0, the pod matching them). */
export function ipaPreFilter(): void {
  let none = true;
  for (let b = 0; b < affN; b++) if (load<i32>(<usize>word(b, 2)) != 0) none = false;
  firstOfGroup = none && selfMatch;
}

/**
 * The filter verdict on node i: 0, 11 (the pod's affinity; also a missing topology key),
 * 12 (the pod's anti-affinity) or 13 (existing pods' anti-affinity), checked in that order.
 */
export function ipaFilter(i: i32): u8 {
  if (affN > 0) {
    let exist = true;
    for (let b = 0; b < affN; b++) {
      const c = countAt(b, i);
      if (c < 0) return 11;
      if (c <= 0) exist = false;
    }
    if (!exist && !firstOfGroup) return 11;
  }
  const antiEnd = affN + antiN;
  for (let b = affN; b < antiEnd; b++) if (countAt(b, i) > 0) return 12;
  const existEnd = antiEnd + existN;
  for (let b = antiEnd; b < existEnd; b++) if (countAt(b, i) > 0) return 13;
  return 0;
}

// ---- Score --------------------------------------------------------------------------------

/**
 * PreScore: whether the topology scores have an entry (some score term's pods sit on a node with
 * its key); without one the plugin skips and scores nothing.
 */
export function ipaScoreActive(): bool {
  const from = affN + antiN + existN;
  const to = from + scoreN;
  for (let b = from; b < to; b++) if (load<i32>(<usize>word(b, 2)) != 0) return true;
  return false;
}

/** Node i's raw score: Σ over the score terms whose key it has of weight × count (may be < 0). */
export function ipaScore(i: i32): i64 {
  const from = affN + antiN + existN;
  const to = from + scoreN;
  let sum: i64 = 0;
  for (let b = from; b < to; b++) {
    const c = countAt(b, i);
    if (c > 0) sum += <i64>word(b, 3) * <i64>c;
  }
  return sum;
}
