/**
 * Input diagnostics: every problem found in a user's input is reported with the file, the
 * document and the field path it concerns, and all problems of an input are collected before
 * anything fails (kube-scheduler's `field.ErrorList` discipline).
 *
 * Rendered form, one line per diagnostic:
 *
 *     pods.yaml: doc 3 (Pod default/web-1): spec.containers[0].resources.requests.cpu: "1.5q" is not a valid quantity
 */

/** Where a diagnostic points: a file, optionally one YAML document in it, optionally a field. */
export interface Location {
  /** File name as the user gave it (relative paths stay relative); `-` or `<stdin>` for stdin. */
  readonly file: string;
  /** 1-based document index within a multi-document YAML file, when the file has documents. */
  readonly doc?: number;
  /** `Kind namespace/name` (or `Kind name` when cluster-scoped) of the object, when known. */
  readonly object?: string;
  /** Field path in kube style: `spec.containers[0].resources.requests.cpu`. Empty for the whole document. */
  readonly path?: string;
}

export type Severity = "error" | "warning";

export interface Diagnostic extends Location {
  readonly severity: Severity;
  readonly message: string;
}

/** Formats one diagnostic as a single line (no trailing newline). */
export function formatDiagnostic(d: Diagnostic): string {
  let out = d.file;
  if (d.doc !== undefined) {
    out += `: doc ${d.doc}`;
    if (d.object) out += ` (${d.object})`;
  } else if (d.object) {
    out += `: ${d.object}`;
  }
  if (d.path) out += `: ${d.path}`;
  out += `: ${d.message}`;
  return d.severity === "warning" ? `warning: ${out}` : out;
}

/**
 * Collects diagnostics while walking an input. `at(...)` narrows the location so that nested
 * decoders only name their own field: `c.at({ path: "spec" }).error("containers[0].name", "is required")`.
 */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  get errorCount(): number {
    let n = 0;
    for (const d of this.items) if (d.severity === "error") n++;
    return n;
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }

  warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
}

/**
 * Thrown at an API edge when an input has errors. Carries every diagnostic; the CLI prints them
 * one per line and exits with code 2. Never thrown for bugs — those stay ordinary Errors.
 */
export class InputError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n"));
    this.name = "InputError";
    this.diagnostics = diagnostics;
  }

  /** An InputError for a single problem. */
  static of(loc: Location, message: string): InputError {
    return new InputError([{ ...loc, severity: "error", message }]);
  }
}

/**
 * Formats where something is, without a message: `pods.yaml: doc 3` or `list.json: items[2]`.
 * Used when one diagnostic must name a second place (duplicates).
 */
export function formatLocation(loc: Location): string {
  let out = loc.file;
  if (loc.doc !== undefined) out += `: doc ${loc.doc}`;
  if (loc.path) out += `: ${loc.path}`;
  return out;
}

/** Joins field-path segments: `join("spec", "containers[0]")` → `spec.containers[0]`. */
export function joinPath(base: string | undefined, field: string | number): string {
  if (typeof field === "number") return `${base ?? ""}[${field}]`;
  if (!base) return field;
  if (field.startsWith("[")) return `${base}${field}`;
  return `${base}.${field}`;
}
