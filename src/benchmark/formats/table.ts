/**
 * The terminal table of a bench result: one block per section (benchmarks, deterministic
 * metrics, ratios), numbers right-aligned. Benchmarks show the median with its 95 %
 * order-statistic interval (`../stats.ts`), p75, p99, mean ± rme and the sample count.
 */
import type { BenchResult } from "../result.ts";
import { medianInterval } from "../stats.ts";
import { formatNumber, PLAIN, renderColumns, type Style } from "./text.ts";

/** The header line naming the run and its machine (no newline). */
export function describeRun(r: BenchResult): string {
  const e = r.environment;
  return (
    `gantry bench${r.quick ? " --quick" : ""} · ${r.startedAt} · Node ${e.node} ` +
    `${e.platform}/${e.arch} · ${e.cpu} × ${e.cores} · ${e.memoryGiB} GiB`
  );
}

/** Renders `r` as aligned text tables (ends with a newline). */
export function formatTable(r: BenchResult, style: Style = PLAIN): string {
  let out = `${style.bold(describeRun(r))}\n`;
  if (r.benchmarks.length > 0) {
    const rows = r.benchmarks.map((b) => {
      const s = b.summary;
      const ci = medianInterval(b.samples);
      return [
        b.name,
        formatNumber(s.median),
        `${formatNumber(ci.low)} … ${formatNumber(ci.high)}`,
        formatNumber(s.p75),
        formatNumber(s.p99),
        `${formatNumber(s.mean)} ± ${s.rme.toFixed(1)} %`,
        String(s.n),
        b.unit,
        b.biggerIsBetter ? "higher" : "lower",
      ];
    });
    out += `\n${renderColumns(
      ["benchmark", "median", "95 % CI", "p75", "p99", "mean ± rme", "n", "unit", "better"],
      rows,
      ["left", "right", "right", "right", "right", "right", "right", "left", "left"],
      style,
    )}`;
  }
  if (r.metrics.length > 0) {
    const rows = r.metrics.map((m) => [
      m.name,
      formatNumber(m.value),
      m.unit,
      m.biggerIsBetter === undefined ? "" : m.biggerIsBetter ? "higher" : "lower",
    ]);
    out += `\n${renderColumns(
      ["deterministic metric", "value", "unit", "better"],
      rows,
      ["left", "right"],
      style,
    )}`;
  }
  if (r.ratios.length > 0) {
    const rows = r.ratios.map((q) => [
      q.name,
      `${formatNumber(q.value)}${q.unit}`,
      q.biggerIsBetter ? "higher" : "lower",
      `${q.numerator} / ${q.denominator}`,
    ]);
    out += `\n${renderColumns(["ratio", "value", "better", "of medians"], rows, ["left", "right"], style)}`;
  }
  out += style.dim(
    "\nmedian with its 95 % order-statistic interval; rme: t-based 95 % margin of the mean\n",
  );
  return out;
}
