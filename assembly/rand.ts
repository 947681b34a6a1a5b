// The seeded PRNG shared with the TypeScript reference (src/reference/rand.ts): every random
// choice kube-scheduler makes (selectHost's tie breaking) draws from it, so a seed fixes the run.
// PROVISIONAL: aligned with the reference's documented generator.

let state: u64 = 0;
let inc: u64 = 1;

/** PCG32 (XSH RR) seeding as in O'Neill's reference pcg32_srandom_r(initstate, initseq). */
export function seedRandom(seedLo: u32, seedHi: u32, seqLo: u32, seqHi: u32): void {
  state = 0;
  inc = ((((<u64>seqHi) << 32) | <u64>seqLo) << 1) | 1;
  nextU32();
  state += ((<u64>seedHi) << 32) | <u64>seedLo;
  nextU32();
}

export function nextU32(): u32 {
  const old = state;
  state = old * 6364136223846793005 + inc;
  const xorshifted = <u32>(((old >> 18) ^ old) >> 27);
  const rot = <u32>(old >> 59);
  return (xorshifted >> rot) | (xorshifted << ((0 - rot) & 31));
}

/** Uniform integer in [0, bound) without modulo bias (rejection as in pcg32_boundedrand_r). */
export function nextBounded(bound: i32): i32 {
  const b = <u32>bound;
  const threshold: u32 = (<u32>0 - b) % b;
  let r = nextU32();
  while (r < threshold) r = nextU32();
  return <i32>(r % b);
}

/** The generator's state as four u32 words (state lo, hi, inc lo, hi), word `k`. */
export function randomWord(k: i32): u32 {
  if (k == 0) return <u32>state;
  if (k == 1) return <u32>(state >> 32);
  if (k == 2) return <u32>inc;
  return <u32>(inc >> 32);
}

/** Restores a state read with randomWord (a rebuilt core continuing the same stream). */
export function setRandomState(sLo: u32, sHi: u32, iLo: u32, iHi: u32): void {
  state = ((<u64>sHi) << 32) | <u64>sLo;
  inc = ((<u64>iHi) << 32) | <u64>iLo;
}
