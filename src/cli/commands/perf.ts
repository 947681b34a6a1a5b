/**
 * `gantry perf <performance-config.yaml>`: runs kube-scheduler's scheduler_perf workloads on
 * gantry's simulator and reports their SchedulingThroughput next to upstream's thresholds.
 *
 * - The config is read unchanged (src/perf/config.ts); malformed input exits 2 with the file,
 *   the test case and the field path. Workloads that need what gantry does not model (volumes,
 *   DRA, pod groups, Go-template conditionals …) are listed as skipped, with the reason.
 * - Selection: `--workload <TestCase>/<Workload>` (or a whole `<TestCase>`; repeatable or
 *   comma-separated), and/or `--label` with upstream's filter syntax (`performance,short`,
 *   `integration-test,-performance`). Without either, upstream's benchmark default applies:
 *   the workloads labelled `performance`.
 * - Output: a table on stderr (one row per workload: measured pods, gantry pods/s, upstream
 *   threshold, ratio, simulated scheduled / unschedulable pods, wall time; or `skipped:`), or
 *   with `--json` one JSON document on stdout ({@link PerfReport}, `schemaVersion` 1).
 *   `--data-items-dir DIR` also writes upstream's DataItems file there
 *   (`BenchmarkPerfScheduling_benchmark_<topic>.json`, see src/perf/dataitems.ts).
 * - Progress (the workload being run) only on a TTY.
 *
 * Exit codes: 0 when the selected workloads ran or were skipped; 2 for usage and input errors.
 */
import type { Command } from "commander";
import {
  DEFAULT_HORIZON,
  loadPerfConfig,
  type PerfReport,
  renderPerfTable,
  runPerf,
  WorkloadSelectionError,
  writeDataItems,
} from "../../perf/index.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface PerfOptions {
  workload?: string[];
  label?: string;
  dataItemsDir?: string;
  json?: boolean;
  seed: string;
  horizon: string;
}

export function registerPerf(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("perf")
    .description(
      "run kube-scheduler's scheduler_perf workloads (a performance-config.yaml) and compare the throughput with upstream's thresholds",
    )
    .argument(
      "<config>",
      "a scheduler_perf performance-config.yaml (templates resolve relative to it)",
    )
    .option(
      "--workload <names>",
      "run <TestCase>/<Workload> (or every workload of <TestCase>); repeatable, comma-separated",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--label <selectors>",
      "upstream's label filter: comma-separated labels a workload must have (x, +x) or not have (-x); default performance unless --workload is given",
    )
    .option("--data-items-dir <dir>", "write upstream's DataItems JSON file into this directory")
    .option("--json", "print the report as JSON on stdout")
    .option("--seed <n>", "seed of the simulation (selectHost ties, preemption)", "0")
    .option(
      "--horizon <seconds>",
      "simulated seconds after the last op (background churn and deletions stop there)",
      String(DEFAULT_HORIZON),
    )
    .action(async (config: string, opts: PerfOptions) => {
      setExit(await perf(config, opts, io));
    });
}

function parseNonNegative(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  const ok =
    text.trim() !== "" && Number.isFinite(n) && n >= 0 && (!integer || Number.isSafeInteger(n));
  if (!ok) {
    throw new UsageError(
      `${flag}: "${text}" is not ${integer ? "an integer ≥ 0" : "a number ≥ 0"}`,
    );
  }
  return n;
}

async function perf(file: string, opts: PerfOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const seed = parseNonNegative("--seed", opts.seed, true);
  const horizon = parseNonNegative("--horizon", opts.horizon, false);
  const workloads = (opts.workload ?? [])
    .flatMap((w) => w.split(","))
    .map((w) => w.trim())
    .filter((w) => w !== "");
  const labels =
    opts.label === undefined
      ? undefined
      : opts.label
          .split(",")
          .map((l) => l.trim())
          .filter((l) => l !== "");
  const config = await loadPerfConfig(file);
  let report: PerfReport;
  try {
    report = await runPerf(config, {
      workloads,
      ...(labels !== undefined ? { labels } : {}),
      seed,
      horizon,
      onWorkload: (name, i, total) => {
        if (io.tty) io.err(`\r\u001b[K${s.dim(`[${i + 1}/${total}]`)} ${name} …`);
      },
      onProfile: (profile, dropped) => {
        if (io.tty) io.err("\r\u001b[K");
        io.err(
          `${s.yellow("warning:")} profile ${profile} enables plugins gantry's core does not run; the workloads run without them: ${dropped.join(", ")}\n`,
        );
      },
    });
  } catch (e) {
    if (e instanceof WorkloadSelectionError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (io.tty) io.err("\r\u001b[K");
  }
  let dataItemsFile: string | null = null;
  if (opts.dataItemsDir !== undefined) {
    dataItemsFile = await writeDataItems(opts.dataItemsDir, report.topic, report.dataItems);
  }
  if (report.workloads.length === 0) {
    io.err(
      `${s.yellow("warning:")} no workload of ${file} matches the label filter ${report.selection.labels.join(",") || "(none)"}\n`,
    );
  }
  if (opts.json) {
    io.out(`${JSON.stringify({ ...report, dataItemsFile }, null, 2)}\n`);
  } else {
    io.err(renderPerfTable(report, io.color));
    if (dataItemsFile !== null) io.err(`DataItems written to ${dataItemsFile}\n`);
  }
  return ExitCode.OK;
}
