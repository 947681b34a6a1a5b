/**
 * The seeded random number generator used for selectHost tie-breaking (semantics §1.3).
 *
 * kube-scheduler breaks ties with Go's global `rand.Intn`; a simulator needs a reproducible
 * stream, and the WebAssembly core implements this exact generator, so every draw is specified:
 *
 * **PCG32** (PCG-XSH-RR 64/32, O'Neill 2014; identical to `pcg32_random_r` / `pcg32_srandom_r` of
 * pcg-c-basic). All arithmetic is modulo 2^64 on the state and modulo 2^32 on outputs.
 *
 * - Constants: multiplier `6364136223846793005`.
 * - Seeding `(seed, stream)`: `inc = (stream << 1) | 1`; `state = 0`; step; `state += seed`; step.
 * - Step: `state = state × 6364136223846793005 + inc`.
 * - `nextU32()`: `old = state`; step; `xorshifted = u32(((old >> 18) ^ old) >> 27)`;
 *   `rot = u32(old >> 59)`; return `rotr32(xorshifted, rot)`.
 * - `nextBounded(bound)` for `1 ≤ bound < 2^32` (`pcg32_boundedrand_r`, unbiased):
 *   `threshold = (2^32 − bound) mod bound`; repeat `r = nextU32()` until `r ≥ threshold`;
 *   return `r mod bound`.
 *
 * Test vector: seed 42, stream 54 → `0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, …`.
 */

const MULTIPLIER = 6364136223846793005n;
const MASK64 = (1n << 64n) - 1n;

export class Pcg32 {
  private state = 0n;
  private readonly inc: bigint;

  /** Seeds the generator; `seed` and `stream` are taken modulo 2^64. Defaults: seed 0, stream 0. */
  constructor(seed: bigint | number = 0n, stream: bigint | number = 0n) {
    this.inc = ((BigInt(stream) << 1n) | 1n) & MASK64;
    this.step();
    this.state = (this.state + (BigInt(seed) & MASK64)) & MASK64;
    this.step();
  }

  private step(): void {
    this.state = (this.state * MULTIPLIER + this.inc) & MASK64;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextU32(): number {
    const old = this.state;
    this.step();
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << (-rot & 31))) >>> 0;
  }

  /** A uniformly distributed integer in `[0, bound)`; `bound` must be an integer in `[1, 2^32)`. */
  nextBounded(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound >= 2 ** 32) {
      throw new RangeError(`bound must be an integer in [1, 2^32), got ${bound}`);
    }
    const threshold = (2 ** 32 - bound) % bound;
    for (;;) {
      const r = this.nextU32();
      if (r >= threshold) return r % bound;
    }
  }
}
