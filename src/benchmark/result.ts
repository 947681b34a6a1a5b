/**
 * gantry's bench result: the one record every output format and the gate read
 * (`schema: "gantry.dev/bench/v1"`).
 *
 *     {
 *       "schema": "gantry.dev/bench/v1",
 *       "environment": {"node": "v20.19.0", "platform": "linux", "arch": "x64",
 *                       "cpu": "Intel(R) Xeon(R) …", "cores": 2, "memoryGiB": 8},
 *       "startedAt": "2025-01-31T12:00:00.000Z",
 *       "quick": true,
 *       "benchmarks": [{"name": "wasm: 5000 nodes, adaptive sampling", "kind": "timing",
 *                       "unit": "ms", "biggerIsBetter": false, "samples": [12.1, 12.3, …],
 *                       "summary": {"median": …, "p75": …, "p99": …, "min": …, "max": …,
 *                                   "mean": …, "sd": …, "moe": …, "rme": …, "n": 64}}],
 *       "metrics": [{"name": "showcase: pods scheduled", "kind": "deterministic",
 *                    "value": 99812, "unit": "pods", "biggerIsBetter": true}],
 *       "ratios": [{"name": "wasm/reference, adaptive sampling", "numerator": "wasm: …",
 *                   "denominator": "reference: …", "unit": "×", "biggerIsBetter": false,
 *                   "value": 0.031}]
 *     }
 *
 * - **benchmarks**: measured quantities. `kind: "timing"` is a tinybench task (a sample per
 *   iteration, e.g. ms per scheduling cycle batch); `kind: "scenario"` is a whole scenario run N
 *   times (a sample per repetition, e.g. pods/s). Samples are positive finite numbers in `unit`;
 *   `biggerIsBetter` gives the direction (rates true, durations false). `summary` is derived from
 *   the samples (`summarize` in `./stats.ts`) for readers of the file; the gate recomputes from
 *   the samples and never reads it. Optional `labels` (string → string) are carried into formats
 *   that have labels (DataItems).
 * - **metrics**: deterministic quantities (placement results: pods scheduled, nodes used,
 *   allocation…) that must not vary between runs; `biggerIsBetter` is optional (formats that need
 *   a direction skip metrics without one; the gate compares them regardless of direction).
 * - **ratios**: machine-independent quantities, `median(numerator) / median(denominator)` of two
 *   benchmarks of the same file. They carry no samples of their own: the gate resamples the two
 *   benchmarks' samples, so the ratio's noise is known. `value` must match the medians (within
 *   1e-9 relative).
 *
 * Names are unique across benchmarks, metrics and ratios: each is one series in every format.
 * {@link parseBenchResult} / {@link validateBenchResult} report every problem with its field
 * path (`benchmarks[2].samples[7]: must be a positive finite number`) and throw one
 * {@link InputError}; unknown fields are errors, so a typo never silently drops data.
 */
import { Diagnostics, InputError, joinPath } from "../diagnostics.ts";
import { median, type Summary, summarize } from "./stats.ts";

/** The schema identifier of this version. */
export const BENCH_SCHEMA = "gantry.dev/bench/v1";

/** The machine a result was measured on. */
export interface BenchEnvironment {
  /** `process.version`. */
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  /** CPU model of the first core. */
  readonly cpu: string;
  /** Logical cores. */
  readonly cores: number;
  /** Total memory, GiB (rounded). */
  readonly memoryGiB: number;
}

export type BenchmarkKind = "timing" | "scenario";

export interface Benchmark {
  readonly name: string;
  readonly kind: BenchmarkKind;
  /** Unit of every sample: `ms`, `ns`, `pods/s`… */
  readonly unit: string;
  /** True for rates (pods/s), false for durations. */
  readonly biggerIsBetter: boolean;
  /** Per-sample values: per iteration (timing) or per repetition (scenario); all positive. */
  readonly samples: readonly number[];
  /** Derived from `samples` (informational; never read back by the gate). */
  readonly summary: Summary;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface Metric {
  readonly name: string;
  readonly kind: "deterministic";
  readonly value: number;
  readonly unit: string;
  /** Direction, when one exists; formats needing a direction skip metrics without one. */
  readonly biggerIsBetter?: boolean;
}

export interface Ratio {
  readonly name: string;
  /** Name of a benchmark of the same result. */
  readonly numerator: string;
  /** Name of a benchmark of the same result. */
  readonly denominator: string;
  /** Display unit, `×` by default. */
  readonly unit: string;
  readonly biggerIsBetter: boolean;
  /** `median(numerator.samples) / median(denominator.samples)`. */
  readonly value: number;
}

export interface BenchResult {
  readonly schema: typeof BENCH_SCHEMA;
  readonly environment: BenchEnvironment;
  /** ISO 8601 time the run started. */
  readonly startedAt: string;
  /** Whether this is the `--quick` subset. */
  readonly quick: boolean;
  readonly benchmarks: readonly Benchmark[];
  readonly metrics: readonly Metric[];
  readonly ratios: readonly Ratio[];
}

/** What a runner gives {@link benchmark}: a benchmark without its summary. */
export type BenchmarkInput = Omit<Benchmark, "summary">;

/** A benchmark with its summary computed from its samples. */
export function benchmark(input: BenchmarkInput): Benchmark {
  const out: Benchmark = {
    name: input.name,
    kind: input.kind,
    unit: input.unit,
    biggerIsBetter: input.biggerIsBetter,
    samples: [...input.samples],
    summary: summarize(input.samples),
  };
  return input.labels ? { ...out, labels: { ...input.labels } } : out;
}

/** A ratio of two benchmarks' medians; `unit` defaults to `×`. */
export function ratio(
  name: string,
  numerator: Benchmark,
  denominator: Benchmark,
  biggerIsBetter: boolean,
  unit = "×",
): Ratio {
  return {
    name,
    numerator: numerator.name,
    denominator: denominator.name,
    unit,
    biggerIsBetter,
    value: median(numerator.samples) / median(denominator.samples),
  };
}

/** The parts of a result a runner assembles; `schema` is added. */
export interface BenchResultInput {
  readonly environment: BenchEnvironment;
  readonly startedAt: string;
  readonly quick: boolean;
  readonly benchmarks: readonly Benchmark[];
  readonly metrics?: readonly Metric[];
  readonly ratios?: readonly Ratio[];
}

/**
 * A result from its parts, validated like a file (so a runner cannot write a file the gate
 * rejects); throws {@link InputError} naming `<bench result>` as the file.
 */
export function benchResult(input: BenchResultInput): BenchResult {
  return validateBenchResult(
    {
      schema: BENCH_SCHEMA,
      environment: input.environment,
      startedAt: input.startedAt,
      quick: input.quick,
      benchmarks: input.benchmarks,
      metrics: input.metrics ?? [],
      ratios: input.ratios ?? [],
    },
    "<bench result>",
  );
}

/** Parses JSON `text` read from `file` and validates it; throws {@link InputError}. */
export function parseBenchResult(text: string, file: string): BenchResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw InputError.of({ file }, `not valid JSON: ${(e as Error).message}`);
  }
  return validateBenchResult(value, file);
}

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Field-by-field reader that records problems in `d` under `file`. */
class Reader {
  readonly d: Diagnostics;
  readonly file: string;

  constructor(d: Diagnostics, file: string) {
    this.d = d;
    this.file = file;
  }

  error(path: string, message: string): void {
    this.d.add({ file: this.file, path, severity: "error", message });
  }

  /** `v` as an object with exactly the `required` and optional fields; undefined when not one. */
  object(
    v: unknown,
    path: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Obj | undefined {
    if (!isObject(v)) {
      this.error(path, `must be an object, got ${describe(v)}`);
      return undefined;
    }
    for (const k of required) if (!(k in v)) this.error(joinPath(path, k), "is required");
    for (const k of Object.keys(v)) {
      if (!required.includes(k) && !optional.includes(k)) {
        this.error(joinPath(path, k), "unknown field");
      }
    }
    return v;
  }

  string(o: Obj, key: string, path: string, nonEmpty = true): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") {
      this.error(joinPath(path, key), `must be a string, got ${describe(v)}`);
      return undefined;
    }
    if (nonEmpty && v.length === 0) {
      this.error(joinPath(path, key), "must not be empty");
      return undefined;
    }
    return v;
  }

  boolean(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") {
      this.error(joinPath(path, key), `must be a boolean, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  number(
    o: Obj,
    key: string,
    path: string,
    check: "finite" | "non-negative" | "positive" | "count" = "finite",
  ): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !numberOk(v, check)) {
      this.error(joinPath(path, key), `must be ${NUMBER_WORDS[check]}, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  array(o: Obj, key: string, path: string): unknown[] | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.error(joinPath(path, key), `must be an array, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}

const NUMBER_WORDS = {
  finite: "a finite number",
  "non-negative": "a non-negative finite number",
  positive: "a positive finite number",
  count: "a non-negative integer",
} as const;

function numberOk(v: number, check: keyof typeof NUMBER_WORDS): boolean {
  if (!Number.isFinite(v)) return false;
  if (check === "non-negative") return v >= 0;
  if (check === "positive") return v > 0;
  if (check === "count") return Number.isInteger(v) && v >= 0;
  return true;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return "an object";
  return String(v);
}

const SUMMARY_FIELDS = [
  "median",
  "p75",
  "p99",
  "min",
  "max",
  "mean",
  "sd",
  "moe",
  "rme",
  "n",
] as const;

/**
 * Validates a parsed JSON value as a {@link BenchResult} read from `file`; throws one
 * {@link InputError} with every problem found.
 */
export function validateBenchResult(value: unknown, file: string): BenchResult {
  const d = new Diagnostics();
  const r = new Reader(d, file);
  if (isObject(value) && value["schema"] !== undefined && value["schema"] !== BENCH_SCHEMA) {
    // Another schema's fields mean nothing here: report only this, the clearest error.
    r.error(
      "schema",
      `unsupported schema ${describe(value["schema"])} (this gantry reads ${JSON.stringify(BENCH_SCHEMA)})`,
    );
    throw new InputError(d.errors());
  }
  const root = r.object(value, "", [
    "schema",
    "environment",
    "startedAt",
    "quick",
    "benchmarks",
    "metrics",
    "ratios",
  ]);
  if (!root) throw new InputError(d.errors());

  const environment = readEnvironment(r, root["environment"]);
  const startedAt = r.string(root, "startedAt", "");
  if (startedAt !== undefined && Number.isNaN(Date.parse(startedAt))) {
    r.error("startedAt", `must be an ISO 8601 time, got ${describe(startedAt)}`);
  }
  const quick = r.boolean(root, "quick", "");

  const names = new Map<string, string>();
  const claim = (name: string | undefined, path: string) => {
    if (name === undefined) return;
    const first = names.get(name);
    if (first !== undefined) r.error(joinPath(path, "name"), `duplicate name (also ${first})`);
    else names.set(name, path);
  };

  const benchmarks: Benchmark[] = [];
  (r.array(root, "benchmarks", "") ?? []).forEach((v, i) => {
    const path = joinPath("benchmarks", i);
    const b = readBenchmark(r, v, path);
    claim(isObject(v) && typeof v["name"] === "string" ? v["name"] : undefined, path);
    if (b) benchmarks.push(b);
  });

  const metrics: Metric[] = [];
  (r.array(root, "metrics", "") ?? []).forEach((v, i) => {
    const path = joinPath("metrics", i);
    const m = readMetric(r, v, path);
    claim(isObject(v) && typeof v["name"] === "string" ? v["name"] : undefined, path);
    if (m) metrics.push(m);
  });

  const byName = new Map(benchmarks.map((b) => [b.name, b]));
  const declared = new Set(
    (Array.isArray(root["benchmarks"]) ? root["benchmarks"] : []).map((v: unknown) =>
      isObject(v) ? v["name"] : undefined,
    ),
  );
  const ratios: Ratio[] = [];
  (r.array(root, "ratios", "") ?? []).forEach((v, i) => {
    const path = joinPath("ratios", i);
    const q = readRatio(r, v, path, byName, declared);
    claim(isObject(v) && typeof v["name"] === "string" ? v["name"] : undefined, path);
    if (q) ratios.push(q);
  });

  if (d.hasErrors || !environment || startedAt === undefined || quick === undefined) {
    throw new InputError(d.errors());
  }
  return { schema: BENCH_SCHEMA, environment, startedAt, quick, benchmarks, metrics, ratios };
}

function readEnvironment(r: Reader, v: unknown): BenchEnvironment | undefined {
  const path = "environment";
  if (v === undefined) return undefined; // reported as required
  const o = r.object(v, path, ["node", "platform", "arch", "cpu", "cores", "memoryGiB"]);
  if (!o) return undefined;
  const node = r.string(o, "node", path);
  const platform = r.string(o, "platform", path);
  const arch = r.string(o, "arch", path);
  const cpu = r.string(o, "cpu", path);
  const cores = r.number(o, "cores", path, "count");
  const memoryGiB = r.number(o, "memoryGiB", path, "non-negative");
  if (
    node === undefined ||
    platform === undefined ||
    arch === undefined ||
    cpu === undefined ||
    cores === undefined ||
    memoryGiB === undefined
  ) {
    return undefined;
  }
  return { node, platform, arch, cpu, cores, memoryGiB };
}

function readLabels(r: Reader, v: unknown, path: string): Record<string, string> | undefined {
  if (!isObject(v)) {
    r.error(path, `must be an object of strings, got ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string") {
      r.error(joinPath(path, k), `must be a string, got ${describe(x)}`);
      ok = false;
    } else {
      out[k] = x;
    }
  }
  return ok ? out : undefined;
}

function readBenchmark(r: Reader, v: unknown, path: string): Benchmark | undefined {
  const o = r.object(
    v,
    path,
    ["name", "kind", "unit", "biggerIsBetter", "samples", "summary"],
    ["labels"],
  );
  if (!o) return undefined;
  const name = r.string(o, "name", path);
  const kind = o["kind"];
  if (kind !== undefined && kind !== "timing" && kind !== "scenario") {
    r.error(joinPath(path, "kind"), `must be "timing" or "scenario", got ${describe(kind)}`);
  }
  const unit = r.string(o, "unit", path);
  const biggerIsBetter = r.boolean(o, "biggerIsBetter", path);
  const samplesPath = joinPath(path, "samples");
  const raw = r.array(o, "samples", path);
  let samples: number[] | undefined;
  if (raw) {
    if (raw.length === 0) r.error(samplesPath, "must hold at least one sample");
    samples = [];
    raw.forEach((x, i) => {
      if (typeof x === "number" && numberOk(x, "positive")) samples?.push(x);
      else
        r.error(joinPath(samplesPath, i), `must be a positive finite number, got ${describe(x)}`);
    });
    if (samples.length !== raw.length || samples.length === 0) samples = undefined;
  }
  const summary = readSummary(r, o["summary"], joinPath(path, "summary"), samples?.length);
  const labels =
    o["labels"] === undefined ? undefined : readLabels(r, o["labels"], joinPath(path, "labels"));
  if (
    name === undefined ||
    (kind !== "timing" && kind !== "scenario") ||
    unit === undefined ||
    biggerIsBetter === undefined ||
    samples === undefined ||
    summary === undefined ||
    (o["labels"] !== undefined && labels === undefined)
  ) {
    return undefined;
  }
  const b: Benchmark = { name, kind, unit, biggerIsBetter, samples, summary };
  return labels ? { ...b, labels } : b;
}

function readSummary(
  r: Reader,
  v: unknown,
  path: string,
  sampleCount: number | undefined,
): Summary | undefined {
  const o = r.object(v, path, SUMMARY_FIELDS);
  if (!o) return undefined;
  const out: Record<string, number> = {};
  let ok = true;
  for (const k of SUMMARY_FIELDS) {
    const x = r.number(o, k, path, k === "n" ? "count" : "finite");
    if (x === undefined) ok = false;
    else out[k] = x;
  }
  if (ok && sampleCount !== undefined && out["n"] !== sampleCount) {
    r.error(joinPath(path, "n"), `is ${out["n"]}, but there are ${sampleCount} samples`);
    ok = false;
  }
  return ok ? (out as unknown as Summary) : undefined;
}

function readMetric(r: Reader, v: unknown, path: string): Metric | undefined {
  const o = r.object(v, path, ["name", "kind", "value", "unit"], ["biggerIsBetter"]);
  if (!o) return undefined;
  const name = r.string(o, "name", path);
  if (o["kind"] !== undefined && o["kind"] !== "deterministic") {
    r.error(joinPath(path, "kind"), `must be "deterministic", got ${describe(o["kind"])}`);
  }
  const value = r.number(o, "value", path);
  const unit = r.string(o, "unit", path, false);
  const biggerIsBetter = r.boolean(o, "biggerIsBetter", path);
  if (
    name === undefined ||
    o["kind"] !== "deterministic" ||
    value === undefined ||
    unit === undefined ||
    (o["biggerIsBetter"] !== undefined && biggerIsBetter === undefined)
  ) {
    return undefined;
  }
  const m: Metric = { name, kind: "deterministic", value, unit };
  return biggerIsBetter === undefined ? m : { ...m, biggerIsBetter };
}

function readRatio(
  r: Reader,
  v: unknown,
  path: string,
  benchmarks: ReadonlyMap<string, Benchmark>,
  declared: ReadonlySet<unknown>,
): Ratio | undefined {
  const o = r.object(v, path, [
    "name",
    "numerator",
    "denominator",
    "unit",
    "biggerIsBetter",
    "value",
  ]);
  if (!o) return undefined;
  const name = r.string(o, "name", path);
  const refs: Benchmark[] = [];
  for (const key of ["numerator", "denominator"]) {
    const ref = r.string(o, key, path);
    if (ref === undefined) continue;
    const b = benchmarks.get(ref);
    if (b) refs.push(b);
    else if (!declared.has(ref)) {
      // A declared but invalid benchmark has its own errors already.
      r.error(joinPath(path, key), `names no benchmark of this result: ${describe(ref)}`);
    }
  }
  const unit = r.string(o, "unit", path, false);
  const biggerIsBetter = r.boolean(o, "biggerIsBetter", path);
  const value = r.number(o, "value", path, "positive");
  const [num, den] = refs;
  if (
    name === undefined ||
    num === undefined ||
    den === undefined ||
    unit === undefined ||
    biggerIsBetter === undefined ||
    value === undefined
  ) {
    return undefined;
  }
  const expected = median(num.samples) / median(den.samples);
  if (Math.abs(value - expected) > 1e-9 * Math.abs(expected)) {
    r.error(
      joinPath(path, "value"),
      `is ${value}, but median(numerator) / median(denominator) is ${expected}`,
    );
    return undefined;
  }
  return { name, numerator: num.name, denominator: den.name, unit, biggerIsBetter, value };
}

/** The benchmark named `name`, or undefined. */
export function findBenchmark(result: BenchResult, name: string): Benchmark | undefined {
  return result.benchmarks.find((b) => b.name === name);
}
