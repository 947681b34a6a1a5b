/**
 * Scenario field readers, on top of the manifest decoder's {@link Field} (same paths, same
 * message phrasing, `null` read as absent, decoding continues past every problem): strict
 * objects (unknown keys are errors), numbers, Go durations, rates.
 */
import { type Field, isObject, keySegment, quote } from "../manifest/field.ts";
import { parseDuration } from "./duration.ts";

/**
 * This field as a mapping whose keys must be among `known`; each other key is reported as
 * `<path>.<key>: unknown field`. Returns the field (absent-like after a type error).
 */
export function strict(field: Field, known: readonly string[]): Field {
  const f = field.object();
  if (isObject(f.value)) {
    for (const key of Object.keys(f.value)) {
      if (!known.includes(key)) f.error("unknown field", keySegment(key));
    }
  }
  return f;
}

/** A finite number; reports `must be a number` otherwise. */
export function optNumber(field: Field): number | undefined {
  const v = field.value;
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  field.error("must be a number");
  return undefined;
}

/** A number `> 0` (or `≥ 0` with `allowZero`). */
export function positiveNumber(field: Field, allowZero = false): number | undefined {
  const v = optNumber(field);
  if (v === undefined) return undefined;
  if (allowZero ? v >= 0 : v > 0) return v;
  field.error(allowZero ? "must be greater than or equal to 0" : "must be greater than 0");
  return undefined;
}

/** A required field: reports `required` when absent and returns whether it is present. */
export function required(field: Field): boolean {
  if (!field.present) field.error("required");
  return field.present;
}

/** A non-negative safe integer (counts); `min` raises the floor. */
export function count(field: Field, min = 0): number | undefined {
  return field.intInRange(min, Number.MAX_SAFE_INTEGER);
}

const DURATION_EXAMPLE = '(e.g. "90s", "1h30m")';

/**
 * A Go duration in seconds. `min`: `"nonNegative"` (default) or `"positive"`; negative values
 * are always errors.
 */
export function duration(
  field: Field,
  min: "nonNegative" | "positive" = "nonNegative",
): number | undefined {
  const v = field.value;
  if (v === undefined) return undefined;
  if (typeof v !== "string" && v !== 0) {
    field.error(`must be a duration ${DURATION_EXAMPLE}`);
    return undefined;
  }
  const s = v === 0 ? 0 : parseDuration(v as string);
  if (s === undefined) {
    field.error(`${quote(v)} is not a valid duration ${DURATION_EXAMPLE}`);
    return undefined;
  }
  if (min === "positive" && s <= 0) {
    field.error("must be greater than 0");
    return undefined;
  }
  if (s < 0) {
    field.error("must not be negative");
    return undefined;
  }
  return s;
}

const RATE_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/**
 * A rate in events per second, > 0: a number (per second) or `"<n>/s"`, `"<n>/m"`, `"<n>/h"`.
 */
export function rate(field: Field): number | undefined {
  const v = field.value;
  if (typeof v === "string") {
    const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*\/\s*(s|m|h)\s*$/.exec(v);
    if (!m) {
      field.error(`${quote(v)} is not a valid rate (a number per second, or e.g. "600/m", "50/h")`);
      return undefined;
    }
    const r = Number(m[1]) / RATE_UNITS[m[2]!]!;
    if (r > 0) return r;
    field.error("must be greater than 0");
    return undefined;
  }
  return positiveNumber(field);
}
