/**
 * Go `time.Duration` text ↔ seconds, for scenario fields and the `gantry.dev/duration` and
 * `gantry.dev/arrival` annotations. Parsing is `src/config`'s (`10s`, `1m30s`, `1.5h`, `250ms`,
 * `0`); formatting is Go's `Duration.String()` (`1h0m0s`, `1m30s`, `1.5s`, `250ms`, `0s`) at
 * nanosecond resolution, so `parseDuration(formatDuration(x))` is `x` to the nanosecond.
 */
import { parseDuration } from "../config/decode.ts";

export { parseDuration };

/** The annotation value for a run time that never ends. */
export const NEVER = "never";

function trimFraction(whole: bigint, frac: bigint, digits: number): string {
  if (frac === 0n) return whole.toString();
  const f = frac.toString().padStart(digits, "0").replace(/0+$/, "");
  return `${whole}.${f}`;
}

/** Go's `Duration.String()` of `seconds` rounded to the nanosecond; `never` for +∞. */
export function formatDuration(seconds: number): string {
  if (seconds === Number.POSITIVE_INFINITY) return NEVER;
  if (!Number.isFinite(seconds)) throw new RangeError(`not a duration: ${seconds}`);
  let ns = BigInt(Math.round(seconds * 1e9));
  const sign = ns < 0n ? "-" : "";
  if (ns < 0n) ns = -ns;
  if (ns === 0n) return "0s";
  if (ns < 1000n) return `${sign}${ns}ns`;
  if (ns < 1_000_000n) return `${sign}${trimFraction(ns / 1000n, ns % 1000n, 3)}µs`;
  if (ns < 1_000_000_000n) {
    return `${sign}${trimFraction(ns / 1_000_000n, ns % 1_000_000n, 6)}ms`;
  }
  const h = ns / 3_600_000_000_000n;
  const m = (ns / 60_000_000_000n) % 60n;
  const s = trimFraction((ns / 1_000_000_000n) % 60n, ns % 1_000_000_000n, 9);
  if (h > 0n) return `${sign}${h}h${m}m${s}s`;
  if (m > 0n) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

/**
 * Parses a run-time annotation value: a non-negative Go duration, or `never` (→ +∞);
 * `undefined` when malformed or negative.
 */
export function parseRunTime(text: string): number | undefined {
  if (text === NEVER) return Number.POSITIVE_INFINITY;
  const s = parseDuration(text);
  return s !== undefined && s >= 0 ? s : undefined;
}
