/**
 * `npm run bench [-- --quick] [-- --json]`: gantry's benchmarks (tinybench). Prints medians with
 * p75 / p99 and the relative margin of error, derived rates (pods/s, ns per node-visit), and the
 * ratios measured in the same run; `--json` writes everything as one JSON document to stdout.
 */
import {
  ANTI_AFFINITY,
  type CoreBenchOptions,
  coreBench,
  FULL,
  PREFERRED_AFFINITY,
  QUICK,
  SPREAD,
} from "./core.bench.ts";
import { environment } from "./env.ts";

const args = new Set(process.argv.slice(2));
const opts: CoreBenchOptions = args.has("--quick") ? QUICK : FULL;
const log = (s: string) => process.stderr.write(`${s}\n`);

log(`gantry bench (${args.has("--quick") ? "quick" : "full"}): ${JSON.stringify(environment())}`);
const { bench, work } = await coreBench(opts);
bench.addEventListener("cycle", (e) => {
  const t = (e as unknown as { task?: { name: string } }).task;
  if (t) log(`  done: ${t.name}`);
});
await bench.run();

interface Row {
  task: string;
  medianMs: number;
  p75Ms: number;
  p99Ms: number;
  rmePct: number;
  samples: number;
  podsPerSec?: number;
  nsPerVisit?: number;
  nsPerCall?: number;
}

const rows: Row[] = [];
for (const task of bench.tasks) {
  const r = task.result;
  if (r.state !== "completed") {
    log(`  ${task.name}: ${r.state}${"error" in r ? `: ${String(r.error)}` : ""}`);
    process.exitCode = 1;
    continue;
  }
  const w = work.get(task.name);
  const median = r.latency.p50;
  const row: Row = {
    task: task.name,
    medianMs: median,
    p75Ms: r.latency.p75,
    p99Ms: r.latency.p99,
    rmePct: r.latency.rme,
    samples: r.latency.samplesCount,
  };
  if (w && w.visitsPerPod > 0) {
    row.podsPerSec = (w.pods / median) * 1000;
    row.nsPerVisit = (median * 1e6) / (w.pods * w.visitsPerPod);
  } else if (w) {
    row.nsPerCall = (median * 1e6) / w.pods;
  }
  rows.push(row);
}

const rate = (prefix: string, label: string) =>
  rows.find((r) => r.task.startsWith(prefix) && r.task.endsWith(label))?.podsPerSec ?? Number.NaN;
const SAMPLED = "adaptive sampling";
const FULL_SCAN = "percentageOfNodesToScore 100";
const ratios = {
  "wasm/reference pods/s, adaptive sampling": rate("wasm:", SAMPLED) / rate("reference:", SAMPLED),
  "wasm/reference pods/s, percentageOfNodesToScore 100":
    rate("wasm:", FULL_SCAN) / rate("reference:", FULL_SCAN),
  "wasm linear scan/reference pods/s, adaptive sampling":
    rate("wasm linear scan:", SAMPLED) / rate("reference:", SAMPLED),
  "wasm linear scan/reference pods/s, percentageOfNodesToScore 100":
    rate("wasm linear scan:", FULL_SCAN) / rate("reference:", FULL_SCAN),
  ...Object.fromEntries(
    [SPREAD, ANTI_AFFINITY, PREFERRED_AFFINITY].map((w) => [
      `wasm/reference pods/s, ${w}`,
      rate("wasm:", w) / rate("reference:", w),
    ]),
  ),
  "wasm linear scan 100% / naive JS scan, pods/s":
    rate("wasm linear scan:", FULL_SCAN) / rate("naive JS scan:", "all nodes"),
};

if (args.has("--json")) {
  process.stdout.write(
    `${JSON.stringify({ schemaVersion: 1, environment: environment(), rows, ratios }, null, 2)}\n`,
  );
} else {
  const fmt = (v: number | undefined, d = 1) =>
    v === undefined ? "" : v.toLocaleString("en-US", { maximumFractionDigits: d });
  console.table(
    rows.map((r) => ({
      task: r.task,
      "median ms": fmt(r.medianMs, 2),
      "p75 ms": fmt(r.p75Ms, 2),
      "p99 ms": fmt(r.p99Ms, 2),
      "±%": fmt(r.rmePct, 1),
      "pods/s": fmt(r.podsPerSec, 0),
      "ns/visit": fmt(r.nsPerVisit, 2),
      "ns/call": fmt(r.nsPerCall, 1),
    })),
  );
  for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(1)}×`);
}
