/**
 * The `gantry` command line: one commander program, one module per command in `commands/`.
 *
 * `main(argv, io)` never throws and never calls `process.exit`: it returns the exit code, so the
 * CLI is testable in-process and stdout is flushed when piped. Input errors (`InputError`) print
 * every diagnostic, one per line, and exit 2; usage errors exit 2; anything else is a bug and
 * exits 1 with its stack only when `GANTRY_DEBUG` is set.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CoreLimitError } from "../core/domains.ts";
import { formatDiagnostic, InputError } from "../diagnostics.ts";
import { registerBench } from "./commands/bench.ts";
import { registerCompare } from "./commands/compare.ts";
import { registerExplain } from "./commands/explain.ts";
import { registerGate } from "./commands/gate.ts";
import { registerGenerate } from "./commands/generate.ts";
import { registerPerf } from "./commands/perf.ts";
import { registerReplay } from "./commands/replay.ts";
import { registerRun } from "./commands/run.ts";
import { registerValidate } from "./commands/validate.ts";
import { ExitCode, UsageError } from "./exit.ts";
import { type CliIO, processIO, styler } from "./io.ts";

/** The package version, read once from package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** Builds the program. Commands record their exit code through `setExit`. */
export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("gantry")
    .description(
      "Kubernetes scheduling benchmark engine: kube-scheduler v1.35 placement decisions, " +
        "computed by a WebAssembly core, for benchmarking and comparing scheduler policies.",
    )
    .version(version(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.err(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(styler(io.color).red(s)),
    });
  // Help for `gantry --help` goes to stdout like every CLI's; errors stay on stderr.
  program.configureOutput({ ...program.configureOutput(), writeOut: (s) => io.out(s) });
  registerValidate(program, io, setExit);
  registerExplain(program, io, setExit);
  registerRun(program, io, setExit);
  registerPerf(program, io, setExit);
  registerGenerate(program, io, setExit);
  registerCompare(program, io, setExit);
  registerReplay(program, io, setExit);
  registerBench(program, io, setExit);
  registerGate(program, io, setExit);
  return program;
}

/** Runs gantry with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = ExitCode.OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIO): number {
  const s = styler(io.color);
  if (e instanceof CommanderError) {
    // Help and version are "errors" under exitOverride; they exit 0.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return ExitCode.OK;
    if (e.code === "commander.help") return ExitCode.OK;
    return ExitCode.USAGE;
  }
  if (e instanceof InputError) {
    for (const d of e.diagnostics) io.err(`${s.red("error:")} ${formatDiagnostic(d)}\n`);
    return ExitCode.USAGE;
  }
  if (e instanceof UsageError) {
    io.err(`${s.red("error:")} ${e.message}\n`);
    return ExitCode.USAGE;
  }
  if (e instanceof CoreLimitError) {
    io.err(`${s.red("error:")} the input exceeds a fixed limit of gantry's core: ${e.message}\n`);
    return ExitCode.USAGE;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.err(`${s.red("gantry: internal error:")} ${msg}\n`);
  if (process.env.GANTRY_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  else io.err("(set GANTRY_DEBUG=1 for a stack trace, and please report it)\n");
  return ExitCode.FAILURE;
}
