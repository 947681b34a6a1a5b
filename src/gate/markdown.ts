/**
 * The gate's Markdown summary, for a pull-request comment (GitHub-flavoured): a verdict heading,
 * the failing rows first with their reasons, the metric diff, and the full comparison table in a
 * collapsed `<details>` block. Cell text is escaped (`|`, `<`, `>`, `&`, backticks, newlines).
 */
import { formatNumber, formatP } from "../benchmark/formats/text.ts";
import { type GateResult, gateCounts } from "./gate.ts";
import { comparisonCells, metricCells, verdictLine } from "./text.ts";

/** `s` safe inside a GFM table cell. */
export function escapeCell(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("|", "\\|")
    .replaceAll("`", "\\`")
    .replace(/\r?\n/g, " ");
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const sep = header.map((_, i) => (right.includes(i) ? "---:" : "---"));
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return `${[line(header.map(escapeCell)), line(sep), ...rows.map((r) => line(r.map(escapeCell)))].join("\n")}\n`;
}

const ICON: Readonly<Record<string, string>> = {
  regression: "❌ regression",
  changed: "❌ changed",
  missing: "❌ missing",
  incompatible: "❌ incompatible",
  improvement: "🟢 improvement",
  "within-tolerance": "within tolerance",
  inconclusive: "⚠️ inconclusive",
  unchanged: "unchanged",
  equal: "equal",
  new: "🆕 new",
  calibration: "calibration",
};

const statusText = (status: string, failed: boolean) =>
  status === "regression" && !failed ? "⚠️ regression (not gated)" : (ICON[status] ?? status);

/** Renders `r` as Markdown (ends with a newline). */
export function renderGateMarkdown(r: GateResult): string {
  const n = gateCounts(r);
  const icon = r.verdict === "pass" ? "✅" : "❌";
  let out = `## ${icon} ${escapeCell(verdictLine(r))}\n\n`;
  const o = r.options;
  out +=
    `Benchmarks fail when slower by more than ${(o.tolerance * 100).toFixed(1)} % ` +
    `(ratios ${(o.ratioTolerance * 100).toFixed(1)} %) with the whole ${Math.round(o.confidence * 100)} % ` +
    `bootstrap band beyond it and a one-sided Mann–Whitney p < ${o.alpha}; deterministic metrics ` +
    `fail on any change${o.metricTolerance > 0 ? ` beyond ${(o.metricTolerance * 100).toFixed(2)} %` : ""}.\n`;
  if (r.calibration) {
    out += `\nTimings normalised by \`${escapeCell(r.calibration.name)}\`: the current machine is ${((r.calibration.factor - 1) * 100).toFixed(1)} % slower.\n`;
  }
  for (const note of r.notes) out += `\n> **Note:** ${escapeCell(note)}\n`;

  const failing = [...r.comparisons.filter((c) => c.failed), ...r.metrics.filter((m) => m.failed)];
  if (failing.length > 0) {
    out += `\n### Failures (${n.failed})\n\n`;
    out += table(
      ["name", "status", "why"],
      failing.map((x) => [x.name, statusText(x.status, x.failed), x.message]),
    );
  }

  const diff = r.metrics.filter((m) => m.status !== "equal");
  if (r.metrics.length > 0) {
    const equal = r.metrics.length - diff.length;
    out += `\n### Deterministic metrics: ${equal} of ${r.metrics.length} equal\n\n`;
    if (diff.length > 0) {
      out += table(
        ["metric", "baseline", "current", "Δ", "Δ %", "unit", "status"],
        diff.map((m) => metricCells(m, statusText(m.status, m.failed))),
        [1, 2, 3, 4],
      );
    }
  }

  if (r.comparisons.length > 0) {
    const rows = r.comparisons.map((c) => {
      const [change, bandText] = comparisonCells(c);
      return [
        c.name,
        c.baseline === undefined ? "—" : `${formatNumber(c.baseline)} ${c.unit}`,
        c.current === undefined ? "—" : `${formatNumber(c.current)} ${c.unit}`,
        change,
        bandText,
        c.pValue === undefined ? "" : formatP(c.pValue),
        statusText(c.status, c.failed),
      ];
    });
    const open = n.regressions + n.improvements > 0 ? " open" : "";
    out += `\n<details${open}><summary>Benchmarks and ratios (${r.comparisons.length})</summary>\n\n`;
    out += table(
      ["name", "baseline", "current", "change", "band", "p", "status"],
      rows,
      [1, 2, 3, 4],
    );
    out += "\n</details>\n";
  }
  return out;
}
