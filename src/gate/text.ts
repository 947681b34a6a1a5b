/**
 * The gate's plain-text report (stderr of `gantry gate`): the verdict line, notes, the
 * deterministic-metric diff (rows that are not equal; equal ones counted), and the benchmark and
 * ratio comparisons with their noise bands. Colour only through the given style.
 */
import {
  formatChange,
  formatNumber,
  formatP,
  PLAIN,
  renderColumns,
  type Style,
} from "../benchmark/formats/text.ts";
import { type ComparisonRow, type GateResult, gateCounts, type MetricRow } from "./gate.ts";

/** A deterministic value in full: integers grouped, fractions with every digit. */
export function exactNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString("en-US") : String(v);
}

/** `Δ` and `Δ %` cells of a metric row. */
export function metricDelta(m: MetricRow): [string, string] {
  if (m.delta === undefined || m.relative === undefined) return ["", ""];
  const sign = m.delta > 0 ? "+" : m.delta < 0 ? "−" : "";
  const d = `${sign}${exactNumber(Math.abs(m.delta))}`;
  if (!Number.isFinite(m.relative)) return [d, ""];
  const r = Math.abs(m.relative * 100).toFixed(2);
  return [d, `${sign}${r} %`];
}

/**
 * The cells of a deterministic metric's row: name, baseline, current, Δ, Δ %, unit, then the
 * `status` cell as the caller renders it.
 */
export function metricCells(m: MetricRow, status: string): string[] {
  const [d, rel] = metricDelta(m);
  return [
    m.name,
    m.baseline === undefined ? "—" : exactNumber(m.baseline),
    m.current === undefined ? "—" : exactNumber(m.current),
    d,
    rel,
    m.unit,
    status,
  ];
}

/** `change` and `band` cells of a comparison row (relative to the baseline, in its unit). */
export function comparisonCells(c: ComparisonRow): [string, string] {
  if (c.ratio === undefined) return ["", ""];
  const bandText = c.interval
    ? `${formatChange(c.interval.low)} … ${formatChange(c.interval.high)}`
    : "";
  return [formatChange(c.ratio), bandText];
}

/** The one-line verdict (no newline). */
export function verdictLine(r: GateResult): string {
  const n = gateCounts(r);
  const parts: string[] = [];
  if (n.regressions > 0) parts.push(`${n.regressions} regression${n.regressions === 1 ? "" : "s"}`);
  if (n.changedMetrics > 0) {
    parts.push(`${n.changedMetrics} changed metric${n.changedMetrics === 1 ? "" : "s"}`);
  }
  if (n.missing > 0) parts.push(`${n.missing} missing`);
  const other = n.failed - n.regressions - n.changedMetrics - n.missing;
  if (other > 0) parts.push(`${other} incompatible`);
  if (n.improvements > 0)
    parts.push(`${n.improvements} improvement${n.improvements === 1 ? "" : "s"}`);
  if (n.new > 0) parts.push(`${n.new} new`);
  const head = r.verdict === "pass" ? "pass" : "REGRESSION";
  return `gantry gate: ${head}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

const STATUS_MARK: Readonly<Record<string, string>> = {
  regression: "✗ regression",
  changed: "✗ changed",
  missing: "✗ missing",
  incompatible: "✗ incompatible",
  improvement: "improvement",
  "within-tolerance": "within tolerance",
  inconclusive: "inconclusive",
  unchanged: "unchanged",
  equal: "equal",
  new: "new",
  calibration: "calibration",
};

function statusCell(status: string, failed: boolean, s: Style): string {
  const text = STATUS_MARK[status] ?? status;
  if (failed) return s.red(text);
  if (status === "regression") return s.yellow(`${text} (not gated)`);
  if (status === "improvement") return s.green(text);
  if (status === "inconclusive" || status === "new") return s.yellow(text);
  return text;
}

/** Renders `r` as plain text (ends with a newline). */
export function renderGateText(r: GateResult, s: Style = PLAIN): string {
  const line = verdictLine(r);
  let out = `${s.bold(r.verdict === "pass" ? s.green(line) : s.red(line))}\n`;
  out += s.dim(`current ${r.current.startedAt} · baseline ${r.baseline.startedAt}\n`);
  if (r.calibration) {
    out += `calibrated by ${r.calibration.name}: current machine ${formatChange(r.calibration.factor)} slower\n`;
  }
  for (const note of r.notes) out += s.yellow(`note: ${note}\n`);

  if (r.metrics.length > 0) {
    const equal = r.metrics.filter((m) => m.status === "equal").length;
    const shown = r.metrics.filter((m) => m.status !== "equal");
    out +=
      `\n${s.bold("deterministic metrics")}: ${equal} of ${r.metrics.length} equal` +
      `${r.options.metricTolerance > 0 ? ` (tolerance ${(r.options.metricTolerance * 100).toFixed(2)} %)` : ""}\n`;
    if (shown.length > 0) {
      const rows = shown.map((m) => metricCells(m, statusCell(m.status, m.failed, s)));
      out += renderColumns(
        ["metric", "baseline", "current", "Δ", "Δ %", "unit", "status"],
        rows,
        ["left", "right", "right", "right", "right"],
        s,
      );
    }
  }

  if (r.comparisons.length > 0) {
    const o = r.options;
    out +=
      `\n${s.bold("benchmarks and ratios")}: tolerance ${(o.tolerance * 100).toFixed(1)} %` +
      `${o.ratioTolerance !== o.tolerance ? ` (ratios ${(o.ratioTolerance * 100).toFixed(1)} %)` : ""}` +
      ` · α ${o.alpha} · ${Math.round(o.confidence * 100)} % bootstrap band, ${o.resamples} resamples` +
      `${o.gateTimings ? "" : " · timings not gated"}\n`;
    const rows = r.comparisons.map((c) => {
      const [change, bandText] = comparisonCells(c);
      return [
        c.name,
        c.baseline === undefined ? "—" : formatNumber(c.baseline),
        c.current === undefined ? "—" : formatNumber(c.current),
        c.unit,
        change,
        bandText,
        c.pValue === undefined ? "" : formatP(c.pValue),
        c.baselineN === undefined && c.currentN === undefined
          ? ""
          : `${c.baselineN ?? "—"}/${c.currentN ?? "—"}`,
        statusCell(c.status, c.failed, s),
      ];
    });
    out += renderColumns(
      ["name", "baseline", "current", "unit", "change", "band", "p", "n", "status"],
      rows,
      ["left", "right", "right", "left", "right", "right", "left", "right"],
      s,
    );
    const explained = r.comparisons.filter((c) => c.failed || c.status === "inconclusive");
    for (const c of explained) out += `  ${c.name}: ${c.message}\n`;
    out += s.dim(
      "median (current normalised when calibrated); change and band: current/baseline − 1; " +
        "p: one-sided Mann–Whitney; n: samples baseline/current\n",
    );
  }
  return out;
}
