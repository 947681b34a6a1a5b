/**
 * Typed field readers for decoding parsed manifest documents.
 *
 * A `Field` is one value of a document together with its kube-style field path and the scope
 * (file, document, object) that diagnostics are reported to. Every reader reports a problem at
 * the field's path and returns a fallback, so that decoding always continues and one pass finds
 * every error of a document (kube's `field.ErrorList` discipline).
 *
 * `null` is treated exactly like an absent field, as Kubernetes' JSON decoding does.
 *
 * Message phrasing, used throughout `src/manifest/`:
 * - `required` — a required field is absent or empty;
 * - `must be a string` / `must be an integer` / `must be a boolean` / `must be a list` /
 *   `must be an object` — a wrongly typed field;
 * - `"Foo" is not one of Equal, Exists` — a value outside an enumeration;
 * - `must be greater than or equal to 0`, `must be between 1 and 65535, inclusive` — ranges;
 * - `"x" is not a valid <what>: <reason>` — a malformed name, label or quantity.
 */
import type { Diagnostics, Location } from "../diagnostics.ts";
import { joinPath } from "../diagnostics.ts";

/** Where the diagnostics of one decoded document go: the collector and the object's location. */
export interface Scope {
  readonly diags: Diagnostics;
  /** File, document and object; `path` is left to the fields. */
  readonly loc: Location;
}

/** A plain JSON/YAML mapping. */
export type RawObject = Record<string, unknown>;

/** True for a plain mapping (not a list, not null). */
export function isObject(v: unknown): v is RawObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The type error for a boolean where a string belongs: YAML 1.1, as kubectl reads it, turns
 * unquoted `yes`, `no`, `on`, `off`, `y`, `n`, `true` and `false` into booleans.
 */
export const MUST_BE_STRING_BOOL =
  "must be a string (unquoted yes, no, on, off, true and false are YAML booleans: quote the value)";

const INT32_MAX_VALUE = 2147483647;
const INT32_MIN_VALUE = -2147483648;

const SIMPLE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * The path segment for a map key: `.app` for a simple key, `[app.kubernetes.io/name]` for one
 * holding dots or slashes (kube's `field.Path.Key` form), so paths stay unambiguous.
 */
export function keySegment(key: string): string {
  return SIMPLE_KEY.test(key) ? key : `[${key}]`;
}

/** Quotes a value for a message the way Go's `%q` would for plain text. */
export function quote(v: unknown): string {
  return JSON.stringify(typeof v === "string" ? v : String(v));
}

/** One value of a document, with its path and the scope to report to. */
export class Field {
  readonly scope: Scope;
  /** Kube-style path from the document root; `""` for the root itself. */
  readonly path: string;
  /** The raw parsed value; `undefined` when absent (and for `null`). */
  readonly value: unknown;

  constructor(scope: Scope, path: string, value: unknown) {
    this.scope = scope;
    this.path = path;
    this.value = value === null ? undefined : value;
  }

  /** True when the field is present (and not `null`). */
  get present(): boolean {
    return this.value !== undefined;
  }

  /**
   * The field `key` of this mapping (path `.key`, or `[key]` for keys with dots or slashes);
   * absent when this field is absent or not a mapping.
   */
  get(key: string): Field {
    const v = isObject(this.value) ? this.value[key] : undefined;
    return new Field(this.scope, joinPath(this.path, keySegment(key)), v);
  }

  /** Reports an error at this field's path (or at `sub` below it). */
  error(message: string, sub?: string | number): void {
    this.report("error", message, sub);
  }

  /** Reports a warning at this field's path (or at `sub` below it). */
  warn(message: string, sub?: string | number): void {
    this.report("warning", message, sub);
  }

  private report(severity: "error" | "warning", message: string, sub?: string | number): void {
    const path = sub === undefined ? this.path : joinPath(this.path, sub);
    this.scope.diags.add({ ...this.scope.loc, path, severity, message });
  }

  /** Reports `required` unless present; returns whether it is present. */
  require(): boolean {
    if (!this.present) this.error("required");
    return this.present;
  }

  /**
   * This field as a mapping: itself when it is one or is absent; an absent field (after reporting
   * `must be an object`) when it is something else, so its children read as absent.
   */
  object(): Field {
    if (this.value === undefined || isObject(this.value)) return this;
    this.error("must be an object");
    return new Field(this.scope, this.path, undefined);
  }

  /** The string value; `undefined` when absent or (after an error) not a string. */
  optString(): string | undefined {
    const v = this.value;
    if (v === undefined) return undefined;
    if (typeof v === "string") return v;
    this.error(typeof v === "boolean" ? MUST_BE_STRING_BOOL : "must be a string");
    return undefined;
  }

  /** The string value, `fallback` when absent or wrongly typed. */
  string(fallback = ""): string {
    return this.optString() ?? fallback;
  }

  /** A required, non-empty string; reports `required` and returns `""` otherwise. */
  requiredString(): string {
    const v = this.optString();
    if (v === undefined) {
      if (!this.present) this.error("required");
      return "";
    }
    if (v === "") this.error("required");
    return v;
  }

  /** The boolean value, `fallback` when absent or wrongly typed. */
  bool(fallback = false): boolean {
    const v = this.value;
    if (v === undefined) return fallback;
    if (typeof v === "boolean") return v;
    this.error("must be a boolean");
    return fallback;
  }

  /** A safe integer; `undefined` when absent or (after an error) not an integer. */
  optInt(): number | undefined {
    const v = this.value;
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    this.error("must be an integer");
    return undefined;
  }

  /**
   * An integer in `[min, max]`; out-of-range values are reported and returned as `undefined`.
   * The message is `must be between <min> and <max>, inclusive`, or one-sided
   * (`must be greater than or equal to <min>`) when only the other bound is a type limit
   * (int32 or the safe-integer range), as for `maxSkew` or `sizeBytes`.
   */
  intInRange(min: number, max: number): number | undefined {
    const v = this.optInt();
    if (v === undefined) return undefined;
    if (v >= min && v <= max) return v;
    const wideMin = min <= INT32_MIN_VALUE;
    const wideMax = max >= INT32_MAX_VALUE;
    if (v < min && wideMax && !wideMin) this.error(`must be greater than or equal to ${min}`);
    else if (v > max && wideMin && !wideMax) this.error(`must be less than or equal to ${max}`);
    else this.error(`must be between ${min} and ${max}, inclusive`);
    return undefined;
  }

  /** One of `values`; absent → `undefined`; others reported as `"x" is not one of A, B`. */
  oneOf<T extends string>(values: readonly T[]): T | undefined {
    const v = this.optString();
    if (v === undefined) return undefined;
    if ((values as readonly string[]).includes(v)) return v as T;
    this.error(`${quote(v)} is not one of ${values.join(", ")}`);
    return undefined;
  }

  /** Like `oneOf`, but absent or `""` is reported as `required`. */
  requiredOneOf<T extends string>(values: readonly T[]): T | undefined {
    if (!this.present || this.value === "") {
      this.error("required");
      return undefined;
    }
    return this.oneOf(values);
  }

  /** The items of a list as fields (`path[i]`); `[]` when absent or (after an error) not a list. */
  list(): Field[] {
    const v = this.value;
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.error("must be a list");
      return [];
    }
    return v.map((item, i) => new Field(this.scope, joinPath(this.path, i), item));
  }

  /** A list of strings with each item's field; wrongly typed items are reported and dropped. */
  stringItems(): [string, Field][] {
    const out: [string, Field][] = [];
    for (const item of this.list()) {
      const s = item.optString();
      if (s !== undefined) out.push([s, item]);
      else if (!item.present) item.error("must be a string");
    }
    return out;
  }

  /** A list of strings; wrongly typed items are reported and dropped. */
  stringList(): string[] {
    return this.stringItems().map(([s]) => s);
  }

  /** The entries of a mapping as `[key, field]`; `[]` when absent or (after an error) not a mapping. */
  entries(): [string, Field][] {
    const v = this.object().value;
    if (!isObject(v)) return [];
    return Object.entries(v).map(([k, item]) => [
      k,
      new Field(this.scope, joinPath(this.path, keySegment(k)), item),
    ]);
  }

  /** A string → string mapping (`null` values read as `""`); wrongly typed values are reported and dropped. */
  stringMap(): Record<string, string> {
    const out: Record<string, string> = {};
    const raw = this.value;
    for (const [k, f] of this.entries()) {
      // Go decodes a JSON null map value to the zero value "".
      if (isObject(raw) && raw[k] === null) out[k] = "";
      else {
        const str = f.optString();
        if (str !== undefined) out[k] = str;
      }
    }
    return out;
  }
}
