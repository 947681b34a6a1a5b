/**
 * `gantry bench [--quick] [--scenario <file>… [--repeat N]] [--format <list>] [--out <path>] [--json]`:
 * measures gantry and writes a bench result (`gantry.dev/bench/v1`, src/benchmark/result.ts).
 *
 * - Without `--scenario`: gantry's own suites (src/benchmark/suites): the WASM core, the TS
 *   reference and a naive scan in ns per node-visit, per-plugin kernels, the JS↔WASM boundary,
 *   SchedulingBasic through the simulator, the generators, and the machine-independent ratios.
 *   `--quick` runs the representative subset CI gates on (~30 s on 2 cores).
 * - `--scenario <file>` (repeatable): each scenario file is run `--repeat` times (default 5)
 *   instead; its deterministic placement metrics must be identical in every repetition (a
 *   difference exits 1), its wall time and measured throughput are one sample per repetition.
 * - Output: without `--format`/`--json`, the table on stderr. `--json` prints the result on stdout.
 *   `--format a,b` (repeatable) picks formats (src/benchmark/formats): with `--out DIR` each is
 *   written to `DIR/<its file name>` (bench.json, bench.bmf.json …); `--out FILE` (a path with an
 *   extension that is not a directory) takes one format; without `--out`, one format goes to stdout. `--out` without `--format` writes JSON.
 * - `--iterations N` sets the samples per benchmark (tinybench iterations, repetitions).
 * - Progress lines on stderr on a TTY.
 *
 * Exit codes: 0 measured; 1 a scenario was not deterministic (or a bug); 2 usage or input error.
 */
import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, sep } from "node:path";
import { type Command, Option } from "commander";
import {
  BENCH_FORMAT_NAMES,
  BENCH_FORMATS,
  type BenchFormat,
  isBenchFormat,
  renderBench,
} from "../../benchmark/formats/index.ts";
import { formatTable } from "../../benchmark/formats/table.ts";
import {
  type Benchmark,
  type BenchResult,
  benchResult,
  type Metric,
} from "../../benchmark/result.ts";
import { environment } from "../../benchmark/suites/env.ts";
import {
  FULL_SUITE,
  NondeterminismError,
  QUICK_SUITE,
  runSuites,
  SMOKE_SUITE,
  withIterations,
} from "../../benchmark/suites/index.ts";
import { benchScenario } from "../../benchmark/suites/scenarios.ts";
import { formatDiagnostic } from "../../diagnostics.ts";
import { loadScenario } from "../../scenario/index.ts";
import { coreProfile } from "../../sim/profile.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface BenchOptions {
  readonly quick?: boolean;
  readonly scenario: string[];
  readonly repeat?: string;
  readonly format: string[];
  readonly out?: string;
  readonly json?: boolean;
  readonly iterations?: string;
  readonly smoke?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerBench(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("bench")
    .description("measure gantry (or scenarios) and write a bench result for gantry gate")
    .option("--quick", "the representative subset CI gates on (under a minute)")
    .option(
      "--scenario <file>",
      "benchmark a Scenario file instead of gantry's suites (repeatable)",
      collect,
      [] as string[],
    )
    .option("--repeat <n>", "repetitions of each --scenario (default 5)")
    .option(
      "--format <list>",
      `output formats, comma-separated or repeated: ${BENCH_FORMAT_NAMES.join(", ")}`,
      collect,
      [] as string[],
    )
    .option("--out <path>", "write each format into this directory (or one format to this file)")
    .option("--json", "print the result (gantry JSON) on stdout")
    .option("--iterations <n>", "samples per benchmark (overrides the preset's)")
    .addOption(new Option("--smoke", "tiny sizes, for tests of the plumbing").hideHelp())
    .action(async (opts: BenchOptions) => {
      setExit(await bench(opts, io));
    });
}

function positiveInt(flag: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag}: ${JSON.stringify(text)} is not an integer in 1 … ${max}`);
  }
  return Number(text);
}

/** `--format` values split on commas, validated, deduplicated, in the given order. */
function parseFormats(values: readonly string[]): BenchFormat[] {
  const out: BenchFormat[] = [];
  for (const v of values.flatMap((x) => x.split(","))) {
    const name = v.trim();
    if (!isBenchFormat(name)) {
      throw new UsageError(
        `--format: unknown format ${JSON.stringify(name)} (one of ${BENCH_FORMAT_NAMES.join(", ")})`,
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Where each format goes: `--out` as a directory, as one file, or stdout. */
interface Destinations {
  readonly files: { readonly format: BenchFormat; readonly path: string }[];
  readonly stdout: BenchFormat | undefined;
  /** Whether the table also goes to stderr. */
  readonly tableOnStderr: boolean;
}

function destinations(opts: BenchOptions): Destinations {
  const formats = parseFormats(opts.format);
  if (opts.json && formats.length > 0 && opts.out === undefined) {
    throw new UsageError("--json prints JSON on stdout; with --format, name --out for the files");
  }
  if (opts.out === undefined) {
    if (formats.length > 1) {
      throw new UsageError(
        "several --format values need --out <dir> (one file each); without it, one format goes to stdout",
      );
    }
    const one = opts.json ? "json" : formats[0];
    return { files: [], stdout: one, tableOnStderr: one === undefined };
  }
  const chosen = formats.length > 0 ? formats : (["json"] as BenchFormat[]);
  const out = opts.out;
  // A directory when it is one, ends with a separator, has no extension, or several formats
  // are asked for; otherwise the one format's file.
  const exists = existsSync(out);
  const isDir =
    out.endsWith("/") ||
    out.endsWith(sep) ||
    (exists && statSync(out).isDirectory()) ||
    (!exists && extname(out) === "") ||
    chosen.length > 1;
  if (!isDir && existsSync(dirname(out)) && !statSync(dirname(out)).isDirectory()) {
    throw new UsageError(`--out: ${JSON.stringify(dirname(out))} is not a directory`);
  }
  const files = chosen.map((format) => ({
    format,
    path: isDir ? join(out, BENCH_FORMATS[format].fileName) : out,
  }));
  return { files, stdout: opts.json ? "json" : undefined, tableOnStderr: !opts.json };
}

async function bench(opts: BenchOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const dest = destinations(opts);
  const iterations = positiveInt("--iterations", opts.iterations, 1000);
  const repeat = positiveInt("--repeat", opts.repeat, 10_000);
  if (opts.scenario.length === 0 && repeat !== undefined) {
    throw new UsageError("--repeat applies to --scenario runs");
  }
  if (opts.scenario.length > 0 && (opts.quick || opts.smoke)) {
    throw new UsageError("--quick selects gantry's suites; it does not apply to --scenario runs");
  }
  const t0 = performance.now();
  const progress = io.tty
    ? (line: string) =>
        io.err(`${s.dim(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`)}\n`)
    : () => {};

  let result: BenchResult;
  try {
    if (opts.scenario.length > 0) {
      result = await benchScenarios(opts.scenario, iterations ?? repeat ?? 5, io, progress);
    } else {
      const preset = opts.smoke ? SMOKE_SUITE : opts.quick ? QUICK_SUITE : FULL_SUITE;
      const chosen = iterations === undefined ? preset : withIterations(preset, iterations);
      progress(`gantry bench${opts.quick ? " --quick" : ""}: running the suites`);
      result = await runSuites(chosen, progress);
    }
  } catch (e) {
    if (e instanceof NondeterminismError) {
      io.err(`${s.red("error:")} not deterministic: ${e.message}\n`);
      return ExitCode.FAILURE;
    }
    throw e;
  }
  progress(`measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  for (const f of dest.files) {
    await mkdir(dirname(f.path), { recursive: true });
    await writeFile(f.path, renderBench(result, f.format));
  }
  if (dest.files.length > 0 && !opts.json) {
    io.err(`${s.dim(`wrote ${dest.files.map((f) => f.path).join(", ")}`)}\n`);
  }
  if (dest.stdout !== undefined) io.out(renderBench(result, dest.stdout));
  if (dest.tableOnStderr) io.err(formatTable(result, s));
  return ExitCode.OK;
}

/** Runs each scenario file `repeat` times into one result. */
async function benchScenarios(
  files: readonly string[],
  repeat: number,
  io: CliIO,
  progress: (line: string) => void,
): Promise<BenchResult> {
  const s = styler(io.color);
  const startedAt = new Date().toISOString();
  // Load (and validate) every file first: input errors before any measuring.
  const loaded = [];
  for (const file of files) loaded.push({ file, scenario: await loadScenario(file) });
  const names = loaded.map((l) => `scenario ${l.scenario.name}`);
  const benchmarks: Benchmark[] = [];
  const metrics: Metric[] = [];
  for (const [i, { file, scenario }] of loaded.entries()) {
    for (const w of scenario.warnings) {
      io.err(`${s.yellow("warning:")} ${formatDiagnostic({ ...w, severity: "error" })}\n`);
    }
    const base = scenario.toSimulationInput();
    const { profile, dropped } = coreProfile(base.profile);
    if (dropped.length > 0) {
      io.err(`${s.dim(`${file}: not run (not built yet): ${dropped.join(", ")}`)}\n`);
    }
    // Two files with one scenario name: the file names tell them apart.
    const name =
      names.filter((n) => n === names[i]).length > 1
        ? `scenario ${scenario.name} (${basename(file)})`
        : (names[i] as string);
    if (benchmarks.some((b) => b.labels?.["scenario"] === name)) {
      throw new UsageError(`--scenario: ${file} is given twice`);
    }
    const r = await benchScenario(name, () => ({ ...scenario.toSimulationInput(), profile }), {
      repeat,
      onRepetition: (done, total) => progress(`${name}: repetition ${done}/${total}`),
    });
    benchmarks.push(...r.benchmarks);
    metrics.push(...r.metrics);
  }
  return benchResult({ environment: environment(), startedAt, quick: false, benchmarks, metrics });
}
