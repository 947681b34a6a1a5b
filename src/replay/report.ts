/**
 * The replay report: per policy and whole arrive%, the median, mean and sample sd over seeds of
 * the unallocated GPU % and the fragmentation % of capacity (traces.md §2, §4), and a table of
 * the medians beside the published values.
 */
import type { PolicyName } from "../gpu/index.ts";
import { PUBLISHED_ARRIVED_PCT, PUBLISHED_SOURCE, publishedUnallocated } from "./published.ts";
import { type Summary, summarize } from "./stats.ts";
import type { ReplayTaskResult } from "./task.ts";

export interface ReplayBin {
  readonly unallocatedGpuPct: Summary;
  readonly fragGpuPct: Summary;
}

export interface ReplayReport {
  readonly schemaVersion: 1;
  readonly trace: {
    readonly kind: "alibaba-gpu";
    readonly nodes: string;
    readonly pods: string;
    readonly inflate: number;
    readonly tieBreak: "random" | "first";
  };
  readonly seeds: readonly number[];
  readonly policies: Record<string, { readonly byArrivedPct: Record<string, ReplayBin> }>;
}

function summarizeBins(runs: readonly ReplayTaskResult[]): Record<string, ReplayBin> {
  let max = -1;
  for (const r of runs) max = Math.max(max, r.unallocatedGpuPct.length - 1);
  const out: Record<string, ReplayBin> = {};
  for (let x = 0; x <= max; x++) {
    const u: number[] = [];
    const f: number[] = [];
    for (const r of runs) {
      const a = r.unallocatedGpuPct[x];
      const b = r.fragGpuPct[x];
      if (a !== undefined && a !== null) u.push(a);
      if (b !== undefined && b !== null) f.push(b);
    }
    if (u.length === 0 || f.length === 0) continue;
    out[String(x)] = { unallocatedGpuPct: summarize(u), fragGpuPct: summarize(f) };
  }
  return out;
}

/** Merges task results (any order of completion; grouped by policy in `policies` order, seeds sorted). */
export function buildReplayReport(
  results: readonly ReplayTaskResult[],
  policies: readonly PolicyName[],
  seeds: readonly number[],
  trace: ReplayReport["trace"],
): ReplayReport {
  const out: ReplayReport["policies"] = {};
  for (const p of policies) {
    const runs = results.filter((r) => r.policy === p).sort((a, b) => a.seed - b.seed);
    out[p] = { byArrivedPct: summarizeBins(runs) };
  }
  return { schemaVersion: 1, trace, seeds: [...seeds], policies: out };
}

const fmt = (v: number | undefined, w: number) =>
  (v === undefined ? "–" : v.toFixed(2)).padStart(w);

/**
 * The median unallocated GPU % per policy at the published arrive% rows, each cell
 * `ours (published)`.
 */
export function renderReplayTable(report: ReplayReport, policies: readonly PolicyName[]): string {
  const w = 16;
  const lines: string[] = [];
  lines.push(
    `Unallocated GPU % (median over seeds ${report.seeds.join(",")}, tie-break ` +
      `${report.trace.tieBreak}; published in parentheses)`,
  );
  lines.push(["arrive%".padStart(7), ...policies.map((p) => p.padStart(w))].join(" "));
  for (const x of PUBLISHED_ARRIVED_PCT) {
    const cells = policies.map((p) => {
      const bin = report.policies[p]?.byArrivedPct[String(x)];
      const ours = bin?.unallocatedGpuPct.median;
      const pub = publishedUnallocated(p, x);
      return `${fmt(ours, 6)} (${fmt(pub, 5)})`.padStart(w);
    });
    lines.push([String(x).padStart(7), ...cells].join(" "));
  }
  lines.push(`published: ${PUBLISHED_SOURCE}`);
  return `${lines.join("\n")}\n`;
}
