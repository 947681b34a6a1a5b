/**
 * `gantry gate <current.json> --baseline <baseline.json> [--tolerance 5%] [--ratio-tolerance …]
 * [--metric-tolerance …] [--calibration <benchmark>] [--no-gate-timings] [--markdown [file]]
 * [--junit <file>] [--json] [--update-baseline]`: the regression gate (src/gate/gate.ts) of a
 * bench result against a baseline, both `gantry.dev/bench/v1` files written by `gantry bench`.
 *
 * - Deterministic metrics fail on any change beyond `--metric-tolerance` (default none).
 * - Benchmarks fail when slower by more than `--tolerance` (default 5 %) with statistical
 *   significance (one-sided Mann–Whitney and a bootstrap band of the ratio of medians wholly
 *   beyond the tolerance); `--no-gate-timings` reports them without failing (for baselines taken
 *   on another machine). Ratios (machine-independent) gate with `--ratio-tolerance` (default:
 *   `--tolerance`). `--calibration NAME` normalises timings by a benchmark of both results.
 * - Tolerances: `5%`, `5 %` or a fraction (`0.05`).
 * - Output: the text report on stdout (`--json`: the gate result as JSON on stdout, the text on
 *   stderr); `--markdown` writes a pull-request comment to a file, or to stdout in place of the
 *   text (which then goes to stderr); `--junit FILE` writes JUnit XML.
 * - `--update-baseline` writes the current result over the baseline file (after showing the
 *   comparison when the old baseline is readable) and exits 0: a deliberate baseline change.
 *
 * Exit codes: 0 pass; 3 regression; 2 usage or input error (unreadable or invalid files,
 * bad flags, an unknown calibration benchmark).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { formatJson } from "../../benchmark/formats/json.ts";
import { PLAIN } from "../../benchmark/formats/text.ts";
import { type BenchResult, parseBenchResult } from "../../benchmark/result.ts";
import { InputError } from "../../diagnostics.ts";
import { type GateOptions, gate } from "../../gate/gate.ts";
import { renderGateJUnit } from "../../gate/junit.ts";
import { renderGateMarkdown } from "../../gate/markdown.ts";
import { renderGateText } from "../../gate/text.ts";
import { errnoMessage } from "../../manifest/index.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface GateCliOptions {
  readonly baseline: string;
  readonly tolerance?: string;
  readonly ratioTolerance?: string;
  readonly metricTolerance?: string;
  readonly calibration?: string;
  readonly gateTimings: boolean;
  readonly markdown?: string | boolean;
  readonly junit?: string;
  readonly json?: boolean;
  readonly updateBaseline?: boolean;
}

export function registerGate(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("gate")
    .description("compare a bench result against a baseline; exit 3 on a regression")
    .argument("<current>", "the bench result to check (gantry bench --json)")
    .requiredOption("--baseline <file>", "the baseline bench result")
    .option("--tolerance <t>", "slowdown tolerated for benchmarks: 5% or 0.05 (default 5%)")
    .option("--ratio-tolerance <t>", "slowdown tolerated for ratios (default: --tolerance)")
    .option(
      "--metric-tolerance <t>",
      "relative change tolerated for deterministic metrics (default 0)",
    )
    .option("--calibration <benchmark>", "normalise timings by this benchmark of both results")
    .option(
      "--no-gate-timings",
      "report benchmark timings without failing on them (ratios and metrics still gate)",
    )
    .option(
      "--markdown [file]",
      "write a Markdown summary (a pull-request comment) to file, or stdout",
    )
    .option("--junit <file>", "write the gate as JUnit XML")
    .option("--json", "print the gate result as JSON on stdout (the report goes to stderr)")
    .option("--update-baseline", "write the current result over the baseline file and exit 0")
    .action(async (current: string, opts: GateCliOptions) => {
      setExit(await runGate(current, opts, io));
    });
}

/** `5%`, `5 %`, `0.05`: a non-negative fraction. A bare number above 1 must say `%`. */
export function parseTolerance(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) {
    throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a tolerance (e.g. 5% or 0.05)`);
  }
  const v = Number(m[1]);
  if (m[2] === "%") return v / 100;
  if (v > 1) {
    throw new UsageError(
      `${flag}: ${JSON.stringify(text)} is a fraction above 1; write ${v}% for ${v} percent, or ${v * 100}% for ${v}×`,
    );
  }
  return v;
}

async function readResult(file: string): Promise<{ text: string; result: BenchResult }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw InputError.of({ file }, errnoMessage(e));
  }
  return { text, result: parseBenchResult(text, file) };
}

async function runGate(currentFile: string, opts: GateCliOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const options: GateOptions = {
    ...optional("tolerance", parseTolerance("--tolerance", opts.tolerance)),
    ...optional("ratioTolerance", parseTolerance("--ratio-tolerance", opts.ratioTolerance)),
    ...optional("metricTolerance", parseTolerance("--metric-tolerance", opts.metricTolerance)),
    ...optional("calibration", opts.calibration),
    gateTimings: opts.gateTimings,
    files: { current: currentFile, baseline: opts.baseline },
  };
  if (opts.markdown === true && opts.json) {
    throw new UsageError(
      "--markdown without a file and --json both want stdout; give --markdown a file",
    );
  }
  const current = await readResult(currentFile);

  if (opts.updateBaseline) {
    // Show what the new baseline changes when the old one can be read; write it regardless.
    let old: BenchResult | undefined;
    try {
      old = (await readResult(opts.baseline)).result;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.err(`${s.dim(`previous baseline not compared: ${e.message}`)}\n`);
    }
    if (old) io.err(renderGateText(gate(current.result, old, options), s));
    await mkdir(dirname(opts.baseline), { recursive: true });
    await writeFile(opts.baseline, formatJson(current.result));
    io.err(`${s.green("baseline updated:")} ${opts.baseline} ← ${currentFile}\n`);
    return ExitCode.OK;
  }

  const baseline = await readResult(opts.baseline);
  const result = gate(current.result, baseline.result, options);
  const markdownToStdout = opts.markdown === true;
  if (typeof opts.markdown === "string") {
    await writeFile(opts.markdown, renderGateMarkdown(result));
  }
  if (opts.junit !== undefined) await writeFile(opts.junit, renderGateJUnit(result));
  if (opts.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    io.err(renderGateText(result, s));
  } else if (markdownToStdout) {
    io.out(renderGateMarkdown(result));
    io.err(renderGateText(result, s));
  } else {
    io.out(renderGateText(result, PLAIN));
  }
  return result.verdict === "pass" ? ExitCode.OK : ExitCode.REGRESSION;
}

function optional<K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}
