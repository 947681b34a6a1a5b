/**
 * github-action-benchmark's custom tools: a JSON array of `{name, unit, value, range?, extra?}`
 * read with `tool: customSmallerIsBetter` or `tool: customBiggerIsBetter`. The direction comes
 * from the tool, so each flavour holds only the entries of its direction and CI runs two steps
 * with two files:
 *
 * - benchmarks with that `biggerIsBetter`: `value` the median, `range` `±` the larger half of
 *   its 95 % order-statistic interval, `extra` the sample count, p75, p99 and mean ± rme;
 * - deterministic metrics with that direction (metrics without a direction are left out);
 * - ratios with that direction, `value` the ratio.
 */
import type { BenchResult } from "../result.ts";
import { medianInterval } from "../stats.ts";

export type GabFlavour = "bigger" | "smaller";

export interface GabEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly range?: string;
  readonly extra?: string;
}

/** The entries of `r` for the `customBiggerIsBetter` or `customSmallerIsBetter` tool. */
export function toGab(r: BenchResult, flavour: GabFlavour): GabEntry[] {
  const bigger = flavour === "bigger";
  const out: GabEntry[] = [];
  for (const b of r.benchmarks) {
    if (b.biggerIsBetter !== bigger) continue;
    const s = b.summary;
    const ci = medianInterval(b.samples);
    const half = Math.max(s.median - ci.low, ci.high - s.median);
    out.push({
      name: b.name,
      unit: b.unit,
      value: s.median,
      range: `±${round(half)}`,
      extra:
        `${s.n} samples, median of ${b.kind === "scenario" ? "repetitions" : "iterations"}\n` +
        `p75: ${round(s.p75)} ${b.unit}\np99: ${round(s.p99)} ${b.unit}\n` +
        `mean: ${round(s.mean)} ${b.unit} ±${s.rme.toFixed(2)}%`,
    });
  }
  for (const m of r.metrics) {
    if (m.biggerIsBetter !== bigger) continue;
    out.push({ name: m.name, unit: m.unit, value: m.value, extra: "deterministic" });
  }
  for (const q of r.ratios) {
    if (q.biggerIsBetter !== bigger) continue;
    out.push({
      name: q.name,
      unit: q.unit,
      value: q.value,
      extra: `median(${q.numerator}) / median(${q.denominator})`,
    });
  }
  return out;
}

/** Six significant digits, without exponent noise for ordinary magnitudes. */
function round(v: number): number {
  return Number(v.toPrecision(6));
}

/** `toGab(r, flavour)` as JSON text (two-space indented, trailing newline). */
export function formatGab(r: BenchResult, flavour: GabFlavour): string {
  return `${JSON.stringify(toGab(r, flavour), null, 2)}\n`;
}
