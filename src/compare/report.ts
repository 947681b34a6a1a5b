/**
 * What `gantry compare` reports: per policy, every seed's run (the {@link RunResult} less its
 * wall-clock fields, so the JSON is byte-identical for any worker count) and mean/sd/median per
 * metric; the table on stderr marks the best mean per metric. Wall-clock figures go only under
 * the top-level `wallClock` key, which comparisons of outputs must ignore.
 */
import type { RunResult } from "../sim/metrics.ts";
import type { TaskOutcome } from "./pool.ts";
import { type Stats, stats } from "./stats.ts";

/** A run without its wall-clock fields (wallSeconds, podsPerSecond, eventsPerSecond, measured's). */
export type ComparedRun = Omit<
  RunResult,
  "wallSeconds" | "podsPerSecond" | "eventsPerSecond" | "measured"
> & { readonly measured: { readonly pods: number; readonly window: number } };

/** A run that threw: its seed and the error's message. */
export interface FailedRun {
  readonly seed: number;
  readonly error: string;
}

export type Better = "higher" | "lower";

export interface Metric {
  readonly key: string;
  readonly label: string;
  readonly better: Better;
  readonly value: (r: ComparedRun) => number;
  readonly format: (v: number) => string;
  /** Whether a run has the metric (e.g. GPU metrics need GPUs); default: always. */
  readonly present?: (r: ComparedRun) => boolean;
}

const num = (v: number, digits: number) =>
  v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const count = (v: number) => num(v, Number.isInteger(v) ? 0 : 1);
const pct = (v: number) => `${num(100 * v, 1)} %`;
const secs = (v: number) => `${num(v, 3)} s`;

/** The compared metrics, in table order, with the direction that is better. */
export const METRICS: readonly Metric[] = [
  {
    key: "scheduled",
    label: "scheduled",
    better: "higher",
    value: (r) => r.pods.scheduled,
    format: count,
  },
  {
    key: "unschedulable",
    label: "unschedulable",
    better: "lower",
    value: (r) => r.pods.unschedulable,
    format: count,
  },
  {
    key: "preempted",
    label: "preempted",
    better: "lower",
    value: (r) => r.pods.preempted,
    format: count,
  },
  {
    key: "latencyP99",
    label: "latency p99",
    better: "lower",
    value: (r) => r.latency.p99,
    format: secs,
  },
  {
    key: "cpuAllocation",
    label: "cpu allocation (time-weighted)",
    better: "higher",
    value: (r) => r.allocation.timeWeighted["cpu"] ?? 0,
    format: pct,
  },
  {
    key: "memoryAllocation",
    label: "memory allocation (time-weighted)",
    better: "higher",
    value: (r) => r.allocation.timeWeighted["memory"] ?? 0,
    format: pct,
  },
  {
    key: "nodesUsedMax",
    label: "nodes used (max)",
    better: "lower",
    value: (r) => r.nodesUsed.max,
    format: count,
  },
  {
    key: "strandedCpu",
    label: "stranded cpu (end)",
    better: "lower",
    value: (r) => r.packing.stranded["cpu"] ?? 0,
    format: pct,
  },
  {
    key: "strandedMemory",
    label: "stranded memory (end)",
    better: "lower",
    value: (r) => r.packing.stranded["memory"] ?? 0,
    format: pct,
  },
  {
    key: "gpuAllocation",
    label: "gpu allocation (end)",
    better: "higher",
    value: (r) => r.packing.gpu?.allocation ?? 0,
    format: pct,
    present: (r) => r.packing.gpu !== undefined,
  },
  {
    key: "gpuFragmentation",
    label: "gpu fragmentation (end, % of GPUs)",
    better: "lower",
    value: (r) => (r.packing.gpu?.fragmentationPct ?? 0) / 100,
    format: pct,
    present: (r) => r.packing.gpu !== undefined,
  },
];

/** Whether every run in `runs` has metric `m`. */
function hasMetric(m: Metric, runs: readonly ComparedRun[]): boolean {
  return (
    m.present === undefined || runs.every((r) => (m.present as (r: ComparedRun) => boolean)(r))
  );
}

export function comparedRun(r: RunResult): ComparedRun {
  const { wallSeconds: _wall, podsPerSecond: _pps, eventsPerSecond: _eps, measured, ...rest } = r;
  return { ...rest, measured: { pods: measured.pods, window: measured.window } };
}

export interface PolicyReport {
  readonly runs: (ComparedRun | FailedRun)[];
  /** Per metric key, over the successful runs; empty when every run failed. */
  readonly summary: Record<string, Stats>;
}

export interface CompareReport {
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly seeds: readonly number[];
  /** Which direction is better, per metric key. */
  readonly metrics: Record<string, Better>;
  readonly policies: Record<string, PolicyReport>;
  /** Failed runs, by policy then seed (also listed in their policy's `runs`). */
  readonly failures: readonly {
    readonly policy: string;
    readonly seed: number;
    readonly error: string;
  }[];
  /** Wall-clock figures: vary run to run and with the worker count; not part of the comparison. */
  readonly wallClock: {
    readonly workers: number;
    readonly totalSeconds: number;
    /** Per policy, each seed's run wall time (null for a failed run). */
    readonly runSeconds: Record<string, (number | null)[]>;
  };
}

export function isFailed(r: ComparedRun | FailedRun): r is FailedRun {
  return "error" in r;
}

/**
 * The report from `outcomes`, which hold policies × seeds in task order (policy-major): the
 * order fixes the output, never the completion order.
 */
export function buildReport(args: {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly policies: readonly string[];
  readonly outcomes: readonly TaskOutcome<RunResult>[];
  readonly workers: number;
  readonly totalSeconds: number;
}): CompareReport {
  const { seeds, outcomes } = args;
  const policies: Record<string, PolicyReport> = {};
  const failures: { policy: string; seed: number; error: string }[] = [];
  const runSeconds: Record<string, (number | null)[]> = {};
  args.policies.forEach((policy, p) => {
    const runs: (ComparedRun | FailedRun)[] = [];
    const walls: (number | null)[] = [];
    seeds.forEach((seed, s) => {
      const o = outcomes[p * seeds.length + s];
      if (o === undefined) throw new Error(`gantry bug: no outcome for ${policy} seed ${seed}`);
      if (o.ok) {
        runs.push(comparedRun(o.result));
        walls.push(o.result.wallSeconds);
      } else {
        runs.push({ seed, error: o.error });
        walls.push(null);
        failures.push({ policy, seed, error: o.error });
      }
    });
    const ok = runs.filter((r): r is ComparedRun => !isFailed(r));
    const summary: Record<string, Stats> = {};
    if (ok.length > 0) {
      for (const m of METRICS) if (hasMetric(m, ok)) summary[m.key] = stats(ok.map(m.value));
    }
    policies[policy] = { runs, summary };
    runSeconds[policy] = walls;
  });
  return {
    schemaVersion: 1,
    scenario: args.scenario,
    seeds: [...seeds],
    metrics: Object.fromEntries(
      METRICS.filter(
        (m) => m.present === undefined || Object.values(policies).some((p) => m.key in p.summary),
      ).map((m) => [m.key, m.better]),
    ),
    policies,
    failures,
    wallClock: { workers: args.workers, totalSeconds: args.totalSeconds, runSeconds },
  };
}

/** Per metric key, the policies whose mean is best (ties all count); none when no policy ran. */
export function bestPolicies(report: CompareReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of METRICS) {
    let best: number | undefined;
    let names: string[] = [];
    for (const [name, p] of Object.entries(report.policies)) {
      const v = p.summary[m.key]?.mean;
      if (v === undefined || Number.isNaN(v)) continue;
      // Means equal but for floating-point noise (sums in a different order) tie.
      const tie = best !== undefined && Math.abs(v - best) <= 1e-9 * Math.max(1, Math.abs(best));
      const better = best === undefined || (!tie && (m.better === "higher" ? v > best : v < best));
      if (better) {
        best = v;
        names = [name];
      } else if (tie) names.push(name);
    }
    out[m.key] = names;
  }
  return out;
}

type Style = {
  bold: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
  red: (s: string) => string;
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;
const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - visible(s)));

/** The table on stderr: metrics × policies, mean ± sd over the seeds, best means marked `*`. */
export function renderCompareTable(report: CompareReport, s: Style): string {
  const names = Object.keys(report.policies);
  const best = bestPolicies(report);
  const seeds = report.seeds;
  const seedText =
    seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds (${seeds.join(", ")})`;
  const header = ["metric", "better", ...names];
  const rows: string[][] = [];
  for (const m of METRICS) {
    if (!(m.key in report.metrics)) continue;
    const row = [m.label, m.better];
    for (const name of names) {
      const st = report.policies[name]?.summary[m.key];
      if (st === undefined) {
        row.push(s.red("failed"));
        continue;
      }
      const cell =
        seeds.length > 1 ? `${m.format(st.mean)} ± ${m.format(st.sd)}` : m.format(st.mean);
      row.push(
        (best[m.key] ?? []).includes(name) && names.length > 1 ? s.green(`${cell} *`) : cell,
      );
    }
    rows.push(row);
  }
  const widths = header.map((h, i) =>
    Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))),
  );
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  let out = `${s.bold(`compare ${report.scenario}`)} · ${seedText} · ${names.length} policies\n\n`;
  out += s.bold(line(header));
  for (const r of rows) out += line(r);
  out += s.dim(
    `\nmean${seeds.length > 1 ? " ± sd over seeds" : ""}; * best mean per metric; ` +
      `wall ${num(report.wallClock.totalSeconds, 2)} s on ${report.wallClock.workers === 0 ? "the main thread" : `${report.wallClock.workers} worker(s)`}\n`,
  );
  if (report.failures.length > 0) {
    out += `\n${s.red(`failed runs: ${report.failures.length}`)}\n`;
    for (const f of report.failures) out += `  ${f.policy} seed ${f.seed}: ${f.error}\n`;
  }
  return out;
}
