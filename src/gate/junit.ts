/**
 * The gate as JUnit XML: one test case per deterministic metric, benchmark and ratio; failing
 * rows (regression, changed, missing, incompatible) carry a `<failure>` whose message is the
 * row's reason. Rows only in the current result are reported as skipped.
 */
import { type JUnitCase, renderJUnit } from "../benchmark/formats/junit.ts";
import type { GateResult } from "./gate.ts";

/** Renders `r` as JUnit XML. */
export function renderGateJUnit(r: GateResult): string {
  const cases: JUnitCase[] = [];
  for (const m of r.metrics) {
    cases.push({
      classname: "gantry.gate.deterministic",
      name: m.name,
      time: 0,
      ...(m.failed ? { failure: { message: m.message, type: m.status } } : {}),
      ...(m.status === "new" ? { skipped: m.message } : {}),
      systemOut: `${m.status}: ${m.message}`,
    });
  }
  for (const c of r.comparisons) {
    cases.push({
      classname: `gantry.gate.${c.kind}`,
      name: c.name,
      time: 0,
      ...(c.failed ? { failure: { message: c.message, type: c.status } } : {}),
      ...(c.status === "new" ? { skipped: c.message } : {}),
      systemOut: `${c.status}: ${c.message}`,
    });
  }
  const e = r.current.environment;
  return renderJUnit({
    name: "gantry gate",
    timestamp: r.current.startedAt,
    properties: {
      verdict: r.verdict,
      baseline: r.baseline.startedAt,
      cpu: e.cpu,
      cores: String(e.cores),
      node: e.node,
    },
    cases,
  });
}
