/**
 * `gantry run <scenario | manifests…>`: one discrete-event simulation (src/sim/engine.ts) of a
 * scenario file (`kind: Scenario`, src/scenario) or of plain Kubernetes manifests (files,
 * directories, `-` for stdin: the Nodes are the cluster, the Pods the workload), scheduled by the
 * WebAssembly core.
 *
 * Output: a summary on stderr, or with `--json` the {@link RunResult} (schema version 1) on
 * stdout. `--out DIR` also writes it to `DIR/result.json`; a scenario's `outputs.json` is written
 * too. Plugins of the profile gantry cannot run yet are named on stderr once. A progress line on
 * a TTY. Exit 0 after a run (whatever its outcome), 2 for usage and input errors.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { formatDiagnostic } from "../../diagnostics.ts";
import { renderRunSummary } from "../../report/run-table.ts";
import {
  loadScenario,
  parseDuration,
  type Scenario,
  scenarioFromManifests,
} from "../../scenario/index.ts";
import { simulate } from "../../sim/engine.ts";
import type { RunResult } from "../../sim/metrics.ts";
import { coreProfile } from "../../sim/profile.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface RunOptions {
  readonly seed?: string;
  readonly json?: boolean;
  readonly out?: string;
  readonly end?: string;
}

export function registerRun(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("run")
    .description("simulate a scenario (or plain Kubernetes manifests) and report what happened")
    .argument("<inputs...>", "a Scenario file, or manifests: files, directories, - for stdin")
    .option("--seed <n>", "the run's seed (overrides the scenario's; default 0 for manifests)")
    .option("--end <duration>", "stop at this simulated time (Go duration, e.g. 10m)")
    .option("--json", "print the result as JSON on stdout")
    .option("--out <dir>", "also write the result to <dir>/result.json")
    .action(async (inputs: string[], opts: RunOptions) => {
      setExit(await runScenario(inputs, opts, io));
    });
}

/** Whether `inputs` is one scenario file (its first document is `kind: Scenario`). */
async function isScenarioFile(inputs: readonly string[]): Promise<boolean> {
  if (inputs.length !== 1 || inputs[0] === "-") return false;
  try {
    const text = await readFile(inputs[0] as string, "utf8");
    return /^kind:\s*["']?Scenario["']?\s*$/m.test(text.split(/^---\s*$/m)[0] ?? "");
  } catch {
    return false;
  }
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed: ${JSON.stringify(text)} is not an integer in 0 … 2^53−1`);
  }
  return Number(text);
}

async function runScenario(inputs: string[], opts: RunOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const seed = parseSeed(opts.seed);
  let endTime: number | undefined;
  if (opts.end !== undefined) {
    const d = parseDuration(opts.end);
    if (d === undefined || !(d > 0)) {
      throw new UsageError(`--end: ${JSON.stringify(opts.end)} is not a positive duration`);
    }
    endTime = d;
  }
  const scenario: Scenario = (await isScenarioFile(inputs))
    ? await loadScenario(inputs[0] as string, seed === undefined ? {} : { seed })
    : await scenarioFromManifests(inputs, {
        ...(seed === undefined ? {} : { seed }),
        stdin: io.readStdin,
      });
  for (const w of scenario.warnings) {
    io.err(`${s.yellow("warning:")} ${formatDiagnostic({ ...w, severity: "error" })}\n`);
  }
  const base = scenario.toSimulationInput();
  const { profile, dropped } = coreProfile(base.profile);
  if (dropped.length > 0) {
    io.err(
      `${s.yellow("warning:")} not run (not built yet): ${dropped.join(", ")} — pods are ` +
        "placed as if these plugins passed every node and scored nothing\n",
    );
  }
  let progressShown = false;
  const result: RunResult = await simulate(
    // The scenario's input already carries FGD's typical pods (toSimulationInput).
    { ...base, profile, ...(endTime === undefined ? {} : { endTime }) },
    io.tty && !opts.json
      ? {
          onProgress: (p) => {
            progressShown = true;
            io.err(
              `\r${s.dim(`t=${p.time.toFixed(0)}s · ${p.submitted.toLocaleString("en-US")} submitted · ${p.scheduled.toLocaleString("en-US")} scheduled`)}`,
            );
          },
        }
      : {},
  );
  if (progressShown) io.err("\r\u001b[K");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (opts.out !== undefined) {
    await mkdir(opts.out, { recursive: true });
    await writeFile(join(opts.out, "result.json"), json);
  }
  if (scenario.outputs.json !== undefined) await writeFile(scenario.outputs.json, json);
  if (opts.json) io.out(json);
  else io.err(renderRunSummary(result, s));
  return ExitCode.OK;
}
