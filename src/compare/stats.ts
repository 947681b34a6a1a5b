/**
 * Summary statistics over a policy's runs (one value per seed): mean, sample standard deviation
 * (n − 1 in the denominator; 0 for fewer than two values) and median (the mean of the two middle
 * values for an even count). Empty input gives NaN for all three; callers skip empty series.
 */

export interface Stats {
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (Bessel's correction); 0 for a single value. */
export function sd(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  if (values.length === 1) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function stats(values: readonly number[]): Stats {
  return { mean: mean(values), sd: sd(values), median: median(values) };
}
