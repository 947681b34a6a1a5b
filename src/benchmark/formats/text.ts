/**
 * Plain-text building blocks shared by the human formats (the bench table, the gate's text
 * report): number formatting, column alignment that ignores ANSI colour codes, and unit helpers.
 */

/** ANSI styling; identity functions give plain text. */
export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const id = (s: string) => s;

/** No colour. */
export const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id };

/**
 * A number for a table: thousands separators, and fraction digits by magnitude (none from
 * 1,000, one from 100, two from 10, otherwise four significant digits), like vitest's bench table.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (a >= 100) return v.toLocaleString("en-US", { maximumFractionDigits: 1 });
  if (a >= 10) return v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  if (a === 0) return "0";
  return v.toLocaleString("en-US", { maximumSignificantDigits: 4 });
}

/** A signed percentage with one decimal: `+20.1 %`, `−3.0 %` (ratio 1.201 → `+20.1 %`). */
export function formatChange(ratio: number): string {
  const pct = (ratio - 1) * 100;
  const text = Math.abs(pct).toFixed(1);
  if (text === "0.0") return "±0.0 %";
  return `${pct > 0 ? "+" : "−"}${text} %`;
}

/** A p-value: `p < 0.001` or `p = 0.042`. */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of `s` (ANSI codes excluded; one column per code point). */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, "")].length;
}

export type Align = "left" | "right";

/**
 * Rows aligned in columns two spaces apart; the header is styled bold. `align` per column
 * (default left). Every line ends with a newline; trailing spaces are trimmed.
 */
export function renderColumns(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
  style: Style = PLAIN,
): string {
  const widths = header.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const gap = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(c)));
        return align[i] === "right" ? gap + c : c + gap;
      })
      .join("  ")
      .trimEnd();
  let out = `${style.bold(line(header))}\n`;
  for (const r of rows) out += `${line(r)}\n`;
  return out;
}

const SECONDS_PER: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
};

/** Seconds per one `unit` for a time unit (`ns`, `us`/`µs`, `ms`, `s`); undefined otherwise. */
export function secondsPerUnit(unit: string): number | undefined {
  return SECONDS_PER[unit.trim()];
}

/** Whether `unit` is a rate (`…/s`, e.g. `pods/s`, `ops/s`). */
export function isRateUnit(unit: string): boolean {
  return /\/s(ec)?$/.test(unit.trim());
}
