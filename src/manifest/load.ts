/**
 * Loading manifests from files, directories and stdin.
 *
 * - A directory is walked recursively; its `.yaml`, `.yml` and `.json` files are read in
 *   code-point order of their paths, so a load is deterministic. A file named explicitly is read
 *   whatever its extension; `.json` files are parsed as JSON, everything else as YAML.
 * - `-` reads stdin (YAML, which also accepts JSON).
 * - Every input is read before anything fails: the `collect*` forms return all diagnostics, the
 *   `load*` forms throw one `InputError` carrying every error of every input and otherwise
 *   return the result with its warnings.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { InputError } from "../diagnostics.ts";
import { type LoadResult, ManifestCollector } from "./collector.ts";

/** Options of the loaders. */
export interface LoadOptions {
  /** Supplies stdin's text for the input `-`; defaults to reading `process.stdin`. */
  readonly stdin?: () => Promise<string> | string;
}

/** The name stdin is reported under. */
export const STDIN_NAME = "<stdin>";

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Code-point order, independent of locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The manifest files under `dir`, recursively, sorted by path. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const s = await stat(p).catch(() => undefined);
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
    }
    if (isDir) out.push(...(await walk(p)));
    else if (isFile && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

function formatOf(file: string): "yaml" | "json" {
  return extname(file).toLowerCase() === ".json" ? "json" : "yaml";
}

/** Why a file could not be read, for a diagnostic. */
export function errnoMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads every input into a collector and returns the result with all diagnostics; never throws
 * for input problems (missing files, syntax errors, invalid objects).
 */
export async function collectManifests(
  inputs: readonly string[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const collector = new ManifestCollector();
  await addManifestFiles(collector, inputs, new Set(), opts);
  return collector.result();
}

/**
 * Reads `inputs` (files, directories, `-` for stdin) into `collector` by the rules at the top;
 * files whose resolved path is in `done` are skipped, and every file read is added to it.
 */
export async function addManifestFiles(
  collector: ManifestCollector,
  inputs: readonly string[],
  done: Set<string> = new Set(),
  opts: LoadOptions = {},
): Promise<void> {
  for (const input of inputs) {
    if (input === "-") {
      const text = await (opts.stdin ?? readProcessStdin)();
      collector.addText(text, STDIN_NAME, "yaml");
      continue;
    }
    let files: string[];
    try {
      const s = await stat(input);
      if (s.isDirectory()) {
        files = await walk(input);
        if (files.length === 0) {
          collector.report({
            file: input,
            severity: "warning",
            message: "no .yaml, .yml or .json files found",
          });
        }
      } else {
        files = [input];
      }
    } catch (e) {
      collector.report({ file: input, severity: "error", message: errnoMessage(e) });
      continue;
    }
    for (const file of files) {
      const key = resolve(file);
      if (done.has(key)) continue;
      done.add(key);
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (e) {
        collector.report({ file, severity: "error", message: errnoMessage(e) });
        continue;
      }
      collector.addText(text, file, formatOf(file));
    }
  }
}

/**
 * Throws an `InputError` carrying every diagnostic of `result` (warnings included, in order) when
 * any is an error; otherwise returns `result`.
 */
export function throwOnErrors(result: LoadResult): LoadResult {
  if (result.diagnostics.some((d) => d.severity === "error")) {
    throw new InputError(result.diagnostics);
  }
  return result;
}

/** Like `collectManifests`, but throws one `InputError` with all errors of all inputs. */
export async function loadManifests(
  inputs: readonly string[],
  opts: LoadOptions = {},
): Promise<LoadResult> {
  return throwOnErrors(await collectManifests(inputs, opts));
}

/**
 * Reads manifests from a string named `file` (for tests and stdin) and returns all diagnostics.
 * The text is parsed as JSON when `file` ends in `.json`, else as YAML.
 */
export function collectManifestsFromString(text: string, file: string): LoadResult {
  const collector = new ManifestCollector();
  collector.addText(text, file, formatOf(file));
  return collector.result();
}

/** Like `collectManifestsFromString`, but throws one `InputError` with all errors. */
export function loadManifestsFromString(text: string, file: string): LoadResult {
  return throwOnErrors(collectManifestsFromString(text, file));
}
