/**
 * Go `int64` arithmetic helpers. kube-scheduler does all score arithmetic in int64 with truncating
 * division (semantics §0 "Integer division"). JavaScript numbers are exact only up to 2^53, so the
 * helpers fall back to BigInt whenever an intermediate product could leave that range.
 */

/** Go `a / b` for int64: division truncated toward zero. `b` must not be 0. */
export function intDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError("integer division by zero");
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Math.abs(a) < 2 ** 52) {
    return Math.trunc(a / b);
  }
  return Number(BigInt(a) / BigInt(b));
}

/** Go `a * b / c` for int64 (multiply first, then truncating division), exact for any inputs. */
export function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return intDiv(product, c);
  if (c === 0) throw new RangeError("integer division by zero");
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Go `int64(f)` for a float64: truncation toward zero. */
export function truncToInt(f: number): number {
  return Math.trunc(f);
}

/** Go `math.Round`: half away from zero (JavaScript's Math.round rounds half toward +∞). */
export function goRound(f: number): number {
  return f < 0 ? -Math.round(-f) : Math.round(f);
}
