/**
 * The human table `gantry perf` prints on stderr: one row per workload — measured pods, gantry's
 * measured pods/s, upstream's threshold and the ratio, the simulated scheduled / unschedulable
 * counts, the wall time — or the reason it was skipped; then the notes.
 */
import { styler } from "../cli/io.ts";
import type { PerfReport, WorkloadReport } from "./run.ts";

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function rate(v: number): string {
  return int.format(Math.round(v));
}

function ratio(r: number | null | undefined): string {
  if (r === null || r === undefined) return "—";
  if (r >= 100) return `${int.format(Math.round(r))}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return `${r.toFixed(2)}×`;
}

function seconds(s: number | undefined): string {
  if (s === undefined) return "";
  return s < 10 ? `${s.toFixed(2)}s` : `${s.toFixed(1)}s`;
}

interface Row {
  readonly cells: readonly string[];
  readonly skipped?: string;
}

function row(w: WorkloadReport): Row {
  if (w.status === "skipped") return { cells: [w.name], skipped: w.skipReason ?? "" };
  const m = w.measured;
  const measured =
    m === undefined ? "" : m.bound === m.created ? `${m.created}` : `${m.bound}/${m.created}`;
  return {
    cells: [
      w.name,
      measured,
      m && m.podsPerSecond > 0 ? rate(m.podsPerSecond) : "—",
      w.threshold === null ? "—" : rate(w.threshold),
      ratio(w.ratio),
      String(w.pods?.scheduled ?? ""),
      String(w.pods?.unschedulable ?? ""),
      seconds((w.planSeconds ?? 0) + (w.simulateSeconds ?? 0)),
    ],
  };
}

const HEADER = [
  "workload",
  "measured",
  "pods/s",
  "threshold",
  "ratio",
  "scheduled",
  "unschedulable",
  "wall",
];

/** Renders the report as a table for people (no trailing spaces, right-aligned numbers). */
export function renderPerfTable(report: PerfReport, color: boolean): string {
  const s = styler(color);
  const rows = report.workloads.map(row);
  const widths = HEADER.map((h, c) =>
    Math.max(
      h.length,
      ...rows.filter((r) => !r.skipped || c === 0).map((r) => (r.cells[c] ?? "").length),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  const out: string[] = [];
  out.push(
    `${s.bold("gantry perf")} ${report.config} · topic ${report.topic} · seed ${report.seed} · horizon ${report.horizonSeconds}s`,
  );
  out.push(s.dim(line(HEADER)));
  for (const r of rows) {
    if (r.skipped !== undefined) {
      out.push(
        `${(r.cells[0] ?? "").padEnd(widths[0] ?? 0)}  ${s.yellow("skipped:")} ${r.skipped}`,
      );
    } else {
      out.push(line(r.cells));
    }
  }
  const ran = report.workloads.filter((w) => w.status === "ran").length;
  const skipped = report.workloads.length - ran;
  out.push(
    s.dim(
      `${ran} ran, ${skipped} skipped · pods/s: measured bindings per wall-clock second (SchedulingThroughput Average); ratio: gantry ÷ upstream threshold`,
    ),
  );
  // The same note for several workloads (a template shared by a test case) is printed once.
  const notes = new Map<string, string[]>();
  for (const w of report.workloads) {
    for (const n of w.notes) notes.set(n, [...(notes.get(n) ?? []), w.name]);
  }
  if (notes.size > 0) {
    out.push("");
    out.push(s.bold("notes"));
    for (const [note, names] of notes) {
      const who = names.length === 1 ? names[0] : `${names[0]} and ${names.length - 1} more`;
      out.push(`  ${s.dim(`[${who}]`)} ${note}`);
    }
  }
  return `${out.join("\n")}\n`;
}
