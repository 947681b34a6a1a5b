/**
 * Strict structural decoding of untyped YAML/JSON values, the way Kubernetes' strict decoder
 * treats component config: unknown fields and wrong types are errors reported with their field
 * path, and decoding carries on past them so that every problem of a file is reported at once.
 * `null` reads as absent (Go's nil), as in `encoding/json`.
 */
import { type Diagnostics, joinPath } from "../diagnostics.ts";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Reports problems at field paths of one file. */
export class Reporter {
  readonly diagnostics: Diagnostics;
  readonly file: string;

  constructor(diagnostics: Diagnostics, file: string) {
    this.diagnostics = diagnostics;
    this.file = file;
  }

  error(path: string, message: string): void {
    this.diagnostics.add({ file: this.file, path, severity: "error", message });
  }

  warn(path: string, message: string): void {
    this.diagnostics.add({ file: this.file, path, severity: "warning", message });
  }
}

/** A plain JSON-like object. */
export type RawObject = Readonly<Record<string, unknown>>;

/** Describes a value's JSON type for messages: `string "50"`, `array`, `number 1.5`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  if (typeof value === "object") return "object";
  return typeof value;
}

function isObject(value: unknown): value is RawObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads an object and reports every key not in `known` as `<path>.<key>: unknown field`.
 * Returns `undefined` (after reporting a type error) when `value` is not an object.
 */
export function readObject(
  r: Reporter,
  value: unknown,
  path: string,
  known: readonly string[],
): RawObject | undefined {
  if (!isObject(value)) {
    r.error(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) r.error(joinPath(path, key), "unknown field");
  }
  return value;
}

/** Reads an optional field as a list; each element is passed to `item` with its path. */
export function readList<T>(
  r: Reporter,
  obj: RawObject,
  key: string,
  path: string,
  item: (value: unknown, path: string) => T | undefined,
): T[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const p = joinPath(path, key);
  if (!Array.isArray(value)) {
    r.error(p, `expected a list, got ${describe(value)}`);
    return undefined;
  }
  const out: T[] = [];
  value.forEach((v, i) => {
    const decoded = item(v, joinPath(p, i));
    if (decoded !== undefined) out.push(decoded);
  });
  return out;
}

/** Reads an optional string field. */
export function readString(
  r: Reporter,
  obj: RawObject,
  key: string,
  path: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    r.error(joinPath(path, key), `expected a string, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads a string list element. */
export function readStringItem(r: Reporter, value: unknown, path: string): string | undefined {
  if (typeof value !== "string") {
    r.error(path, `expected a string, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads an optional boolean field. */
export function readBool(
  r: Reporter,
  obj: RawObject,
  key: string,
  path: string,
): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") {
    r.error(joinPath(path, key), `expected a boolean, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads an optional integer field; `bits` 32 enforces the int32 range of Go's `int32` fields. */
export function readInt(
  r: Reporter,
  obj: RawObject,
  key: string,
  path: string,
  bits: 32 | 64 = 32,
): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const p = joinPath(path, key);
  if (typeof value !== "number" || !Number.isInteger(value)) {
    r.error(p, `expected an integer, got ${describe(value)}`);
    return undefined;
  }
  if (bits === 32 && (value < INT32_MIN || value > INT32_MAX)) {
    r.error(p, `${value} is out of range for int32`);
    return undefined;
  }
  if (bits === 64 && !Number.isSafeInteger(value)) {
    r.error(p, `${value} is out of the exactly representable integer range`);
    return undefined;
  }
  return value;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Parses a Go `time.Duration` string (`10s`, `1m30s`, `-1.5h`, `0`) into seconds;
 * `undefined` when malformed.
 */
export function parseDuration(text: string): number | undefined {
  if (text === "0" || text === "+0" || text === "-0") return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] === "-" ? -1 : 1;
  let seconds = 0;
  for (const part of text
    .slice(m[1]?.length ?? 0)
    .matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    seconds += Number(part[1]) * (DURATION_UNITS[part[2] ?? ""] ?? 0);
  }
  return sign * seconds;
}

/** Reads an optional Go duration field (`metav1.Duration`) into seconds. */
export function readDuration(
  r: Reporter,
  obj: RawObject,
  key: string,
  path: string,
): number | undefined {
  const text = readString(r, obj, key, path);
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    r.error(
      joinPath(path, key),
      `${JSON.stringify(text)} is not a valid duration (e.g. "10s", "1m30s")`,
    );
  }
  return seconds;
}
