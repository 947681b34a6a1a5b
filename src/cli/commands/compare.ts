/**
 * `gantry compare <scenario> --policies <a,b,…> [--seeds a-b] [--workers N] [--end d] [--json]`:
 * runs a scenario file once per policy × seed (src/compare), on piscina worker threads (one whole
 * simulation per task) or in-process with `--workers 0`, and compares the policies.
 *
 * A policy is a built-in profile name (`default`, `most-allocated`) or a KubeSchedulerConfiguration
 * file (its first profile); all are resolved before any run starts. Output: a table of metrics ×
 * policies (mean ± sd over seeds, best marked) on stderr, or with `--json` the report (schema
 * version 1) on stdout, identical for any worker count except its `wallClock` key. A run that
 * throws fails alone and is listed; the exit code is then 1. Exit 2 for usage and input errors.
 */
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { PolicyError, parsePolicies, resolvePolicy } from "../../compare/policy.ts";
import { runTasks } from "../../compare/pool.ts";
import { buildReport, renderCompareTable } from "../../compare/report.ts";
import type { CompareTask } from "../../compare/task.ts";
import { formatDiagnostic } from "../../diagnostics.ts";
import { loadScenario, parseDuration } from "../../scenario/index.ts";
import { coreProfile } from "../../sim/profile.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface CompareOptions {
  readonly policies: string;
  readonly seeds?: string;
  readonly workers?: string;
  readonly end?: string;
  readonly json?: boolean;
}

/** Most seeds one comparison takes. */
const MAX_SEEDS = 10_000;

export function registerCompare(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("compare")
    .description("run a scenario under several scheduler policies and seeds, and compare them")
    .argument("<scenario>", "a Scenario file")
    .requiredOption(
      "--policies <list>",
      "comma-separated built-in profiles (default, most-allocated) or KubeSchedulerConfiguration files",
    )
    .option("--seeds <range>", "seeds: N, a-b (inclusive) or a,b,c (default: the scenario's)")
    .option("--workers <n>", "worker threads (0: run in-process; default: CPUs, at most the runs)")
    .option("--end <duration>", "stop every run at this simulated time (Go duration, e.g. 10m)")
    .option("--json", "print the comparison as JSON on stdout")
    .action(async (scenario: string, opts: CompareOptions) => {
      setExit(await compare(scenario, opts, io));
    });
}

const isInt = (t: string) => /^\d+$/.test(t) && Number.isSafeInteger(Number(t));

/** `--seeds`: `N`, `a-b` (inclusive, a ≤ b) or `a,b,c` (distinct). */
export function parseSeeds(text: string): number[] {
  const bad = () =>
    new UsageError(`--seeds: ${JSON.stringify(text)} is not N, a-b or a,b,c (integers ≥ 0)`);
  const range = /^(\d+)-(\d+)$/.exec(text.trim());
  let seeds: number[];
  if (range) {
    const [a, b] = [range[1] as string, range[2] as string];
    if (!isInt(a) || !isInt(b) || Number(a) > Number(b)) throw bad();
    if (Number(b) - Number(a) + 1 > MAX_SEEDS) {
      throw new UsageError(`--seeds: at most ${MAX_SEEDS} seeds`);
    }
    seeds = [];
    for (let s = Number(a); s <= Number(b); s++) seeds.push(s);
  } else {
    const parts = text.split(",").map((p) => p.trim());
    if (parts.some((p) => !isInt(p))) throw bad();
    seeds = parts.map(Number);
    if (new Set(seeds).size !== seeds.length)
      throw new UsageError("--seeds: a seed is given twice");
    if (seeds.length > MAX_SEEDS) throw new UsageError(`--seeds: at most ${MAX_SEEDS} seeds`);
  }
  return seeds;
}

function parseWorkers(text: string | undefined, runs: number): number {
  if (text === undefined) return Math.max(1, Math.min(availableParallelism(), runs));
  if (!isInt(text) || Number(text) > 1024) {
    throw new UsageError(`--workers: ${JSON.stringify(text)} is not an integer in 0 … 1024`);
  }
  return Number(text);
}

async function compare(path: string, opts: CompareOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  let endTime: number | undefined;
  if (opts.end !== undefined) {
    const d = parseDuration(opts.end);
    if (d === undefined || !(d > 0)) {
      throw new UsageError(`--end: ${JSON.stringify(opts.end)} is not a positive duration`);
    }
    endTime = d;
  }
  const seedsGiven = opts.seeds === undefined ? undefined : parseSeeds(opts.seeds);
  let policies: ReturnType<typeof parsePolicies>;
  try {
    policies = parsePolicies(opts.policies, (p) => existsSync(p) && statSync(p).isFile());
  } catch (e) {
    if (e instanceof PolicyError) throw new UsageError(e.message);
    throw e;
  }
  // Loading the scenario once here validates it (exit 2) and gives its name and default seed.
  const scenario = await loadScenario(path);
  for (const w of scenario.warnings) {
    io.err(`${s.yellow("warning:")} ${formatDiagnostic({ ...w, severity: "error" })}\n`);
  }
  const formula = scenario.spec.scheduler.balancedAllocationFormula;
  for (const policy of policies) {
    const { dropped } = coreProfile(resolvePolicy(policy, { balancedAllocationFormula: formula }));
    if (dropped.length > 0 && !opts.json) {
      io.err(`${s.dim(`${policy.name}: not run (not built yet): ${dropped.join(", ")}`)}\n`);
    }
  }
  const seeds = seedsGiven ?? [scenario.seed];
  const tasks: CompareTask[] = policies.flatMap((policy) =>
    seeds.map((seed) => ({
      scenario: path,
      seed,
      policy,
      ...(endTime === undefined ? {} : { endTime }),
      ...(formula === undefined ? {} : { balancedAllocationFormula: formula }),
    })),
  );
  const workers = parseWorkers(opts.workers, tasks.length);
  const t0 = performance.now();
  let progressShown = false;
  const outcomes = await runTasks(tasks, {
    workers,
    ...(io.tty
      ? {
          onDone: (done: number, total: number) => {
            progressShown = true;
            io.err(`\r${s.dim(`${done}/${total} runs done`)}`);
          },
        }
      : {}),
  });
  if (progressShown) io.err("\r\u001b[K");
  const report = buildReport({
    scenario: scenario.name,
    seeds,
    policies: policies.map((p) => p.name),
    outcomes,
    workers,
    totalSeconds: (performance.now() - t0) / 1000,
  });
  if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else io.err(renderCompareTable(report, s));
  if (opts.json && report.failures.length > 0) {
    for (const f of report.failures) {
      io.err(`${s.red("error:")} ${f.policy} seed ${f.seed} failed: ${f.error}\n`);
    }
  }
  return report.failures.length > 0 ? ExitCode.FAILURE : ExitCode.OK;
}
