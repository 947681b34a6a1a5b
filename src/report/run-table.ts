/**
 * The human summary of a simulation run (`gantry run` without `--json`): plain text, one fact
 * per line, aligned; colour only through the given styler.
 */
import type { RunResult } from "../sim/metrics.ts";

type Style = { bold: (s: string) => string; dim: (s: string) => string };

const num = (v: number, digits = 0) =>
  v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (v: number) => `${num(100 * v, 1)} %`;
const secs = (v: number) => (v < 10 ? `${num(v, 3)} s` : `${num(v, 1)} s`);

/** Renders `r` as the run summary (ends with a newline). */
export function renderRunSummary(r: RunResult, s: Style): string {
  const rows: [string, string][] = [
    ["scenario", `${r.scenario} (seed ${r.seed}, profile ${r.profile})`],
    [
      "pods",
      `${num(r.pods.submitted)} submitted · ${num(r.pods.scheduled)} scheduled · ` +
        `${num(r.pods.unschedulable)} unschedulable · ${num(r.pods.pending)} never attempted`,
    ],
    [
      "",
      `${num(r.pods.completed)} completed · ${num(r.pods.running)} running · ` +
        `${num(r.pods.preempted)} preempted · ${num(r.pods.evicted)} evicted`,
    ],
    ["simulated time", secs(r.simulatedSeconds)],
    [
      "latency",
      `p50 ${secs(r.latency.p50)} · p90 ${secs(r.latency.p90)} · p99 ${secs(r.latency.p99)} · ` +
        `max ${secs(r.latency.max)} (creation → binding, ${num(r.latency.count)} pods)`,
    ],
    ...Object.keys(r.allocation.final).map((name): [string, string] => [
      `allocation ${name}`,
      `${pct(r.allocation.final[name] ?? 0)} at the end · ` +
        `${pct(r.allocation.timeWeighted[name] ?? 0)} time-weighted`,
    ]),
    ["nodes used", `${num(r.nodesUsed.final)} at the end · ${num(r.nodesUsed.max)} at most`],
    [
      "pending pods",
      `${num(r.pendingPods.max)} at most · ${num(r.pendingPods.mean, 1)} on average`,
    ],
    ...(r.admission.rejected > 0
      ? [
          [
            "admission",
            `${num(r.admission.rejected)} rejected: ${Object.entries(r.admission.byReason)
              .map(([k, v]) => `${num(v)} × ${k}`)
              .join(" · ")}`,
          ] as [string, string],
        ]
      : []),
    ...(r.events.warnings > 0
      ? [
          [
            "warning events",
            Object.entries(r.events.byReason)
              .map(([k, v]) => `${num(v)} ${k}`)
              .join(" · "),
          ] as [string, string],
        ]
      : []),
    [
      "engine",
      `${secs(r.wallSeconds)} wall · ${num(r.podsPerSecond)} bindings/s · ` +
        `${num(r.eventsPerSecond)} events/s · ${num(r.schedulingAttempts)} scheduling attempts`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${s.bold(k.padEnd(width))}  ${v}`).join("\n")}\n`;
}
