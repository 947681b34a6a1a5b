/**
 * The generators' random numbers: PCG32, bit-identical to `src/reference/rand.ts` (`Pcg32`, whose
 * comment specifies every step), computed in double-precision arithmetic on two 32-bit halves so
 * that a draw allocates nothing (about 30 ns a draw against the reference's 120 ns of BigInt
 * arithmetic, on the development machine). `test/generate/random.test.ts` checks both produce the same stream.
 *
 * **One stream per generator.** {@link streamRandom}`(seed, name)` gives each generator (a node
 * pool, one aspect of a pod stream) its own sequence, named by a string such as `pool/gpu` or
 * `stream/web/arrival`: PCG's stream selector is `FNV-1a-64(name) mod 2^63`, and the state seed is
 * `SplitMix64(seed XOR FNV-1a-64(name))`, so two generators never share a sequence, and adding a
 * pool or a stream never shifts the draws of another. (Mixing the name into the seed too avoids
 * the known correlation of PCG streams that differ only in their increment.)
 *
 * **Doubles.** {@link Random.nextDouble} takes two draws and keeps 53 bits, the full mantissa of a
 * double (`(a >>> 5) · 2^26 + (b >>> 6)) / 2^53`, as in MT19937's `genrand_res53`): uniform on
 * `[0, 1)` with spacing 2^-53, so `1 − u` is never 0 and tails (`−ln(1 − u)` up to ≈ 36.7) are
 * not cut off at 2^-32.
 */

const MULTIPLIER = 6364136223846793005n;
const MASK64 = (1n << 64n) - 1n;
const MUL_HI = 0x5851f42d;
const MUL_LO = 0x4c957f2d;
const MUL_LO_HI16 = MUL_LO >>> 16;
const MUL_LO_LO16 = MUL_LO & 0xffff;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** PCG32 (PCG-XSH-RR 64/32) without BigInt in the draw path. */
export class Random {
  private hi: number;
  private lo: number;
  private readonly incHi: number;
  private readonly incLo: number;

  /** Seeds exactly as `Pcg32(seed, stream)`; both are taken modulo 2^64. */
  constructor(seed: bigint | number = 0n, stream: bigint | number = 0n) {
    const inc = ((BigInt(stream) << 1n) | 1n) & MASK64;
    let state = inc; // state = 0, then one step: 0 × multiplier + inc
    state = (state + (BigInt(seed) & MASK64)) & MASK64;
    state = (state * MULTIPLIER + inc) & MASK64;
    this.hi = Number(state >> 32n);
    this.lo = Number(state & 0xffffffffn);
    this.incHi = Number(inc >> 32n);
    this.incLo = Number(inc & 0xffffffffn);
  }

  /** A uniformly distributed 32-bit unsigned integer (`Pcg32.nextU32`). */
  nextU32(): number {
    const hi = this.hi;
    const lo = this.lo;
    // state = state × MULTIPLIER + inc (mod 2^64), on 32-bit halves. The high half of lo × MUL_LO
    // comes from 16-bit partial products, each exact in a double.
    const a1 = lo >>> 16;
    const a0 = lo & 0xffff;
    const p00 = a0 * MUL_LO_LO16;
    const p01 = a0 * MUL_LO_HI16;
    const p10 = a1 * MUL_LO_LO16;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const carry = a1 * MUL_LO_HI16 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    const mulLo = Math.imul(lo, MUL_LO) >>> 0;
    const mulHi = Math.imul(hi, MUL_LO) + Math.imul(lo, MUL_HI) + carry;
    const sumLo = mulLo + this.incLo;
    this.lo = sumLo >>> 0;
    this.hi = (mulHi + this.incHi + (sumLo > 0xffffffff ? 1 : 0)) >>> 0;
    // Output from the old state: xorshifted = u32(((old >> 18) ^ old) >> 27); rot = old >> 59.
    const xHi = hi ^ (hi >>> 18);
    const xLo = lo ^ ((lo >>> 18) | (hi << 14));
    const xorshifted = ((xLo >>> 27) | (xHi << 5)) >>> 0;
    const rot = hi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << (-rot & 31))) >>> 0;
  }

  /** A uniform double in `[0, 1)` with 53 random bits (two draws). */
  nextDouble(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** A uniform integer in `[0, bound)`, unbiased (`Pcg32.nextBounded`); `1 ≤ bound < 2^32`. */
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

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`. */
export function fnv1a64(text: string): bigint {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

/** SplitMix64's output function applied to `x + golden gamma` (one SplitMix64 step from `x`). */
export function splitMix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * The generator named `name` under the run seed `seed` (a non-negative safe integer or a
 * bigint): PCG32 with stream `FNV-1a-64(name) mod 2^63` and seed `SplitMix64(seed XOR
 * FNV-1a-64(name))`. See the module comment.
 */
export function streamRandom(seed: number | bigint, name: string): Random {
  const h = fnv1a64(name);
  const mixed = splitMix64((BigInt(seed) & MASK64) ^ h);
  return new Random(mixed, h & ((1n << 63n) - 1n));
}
