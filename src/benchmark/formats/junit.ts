/**
 * JUnit XML, as CI test reporters read it: `<testsuites>` holding one `<testsuite>` (with the
 * environment as `<properties>`), one `<testcase>` per check; `time` in seconds. A check that
 * failed has a `<failure message type>` with the details as text; `<system-out>` carries the
 * numbers. Text and attributes are XML-escaped, and characters XML 1.0 forbids are dropped.
 *
 * {@link formatJUnit} writes a bench result: one passing test case per benchmark (its time is
 * the sum of its samples when they are durations), metric and ratio. The gate writes its checks
 * through {@link renderJUnit} (`src/gate/junit.ts`), with a failure per regression.
 */
import type { BenchResult } from "../result.ts";
import { formatNumber, secondsPerUnit } from "./text.ts";

export interface JUnitFailure {
  readonly message: string;
  readonly type: string;
  readonly text?: string;
}

export interface JUnitCase {
  readonly classname: string;
  readonly name: string;
  /** Seconds. */
  readonly time: number;
  readonly failure?: JUnitFailure;
  readonly skipped?: string;
  readonly systemOut?: string;
}

export interface JUnitSuite {
  readonly name: string;
  /** ISO 8601. */
  readonly timestamp?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly cases: readonly JUnitCase[];
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the characters XML forbids
const INVALID_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** `s` escaped for XML text and attribute values, forbidden characters removed. */
export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

const seconds = (t: number) => (Number.isFinite(t) && t > 0 ? t.toFixed(6) : "0");

/** The JUnit XML document of one suite (ends with a newline). */
export function renderJUnit(suite: JUnitSuite): string {
  const tests = suite.cases.length;
  const failures = suite.cases.filter((c) => c.failure).length;
  const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
  const time = seconds(suite.cases.reduce((t, c) => t + (c.time > 0 ? c.time : 0), 0));
  const name = escapeXml(suite.name);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" tests="${tests}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${name}" tests="${tests}" failures="${failures}" errors="0" ` +
      `skipped="${skipped}" time="${time}"` +
      `${suite.timestamp ? ` timestamp="${escapeXml(suite.timestamp)}"` : ""}>`,
  ];
  const props = Object.entries(suite.properties ?? {});
  if (props.length > 0) {
    lines.push("    <properties>");
    for (const [k, v] of props) {
      lines.push(`      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`);
    }
    lines.push("    </properties>");
  }
  for (const c of suite.cases) {
    const open =
      `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" ` +
      `time="${seconds(c.time)}"`;
    if (!c.failure && c.skipped === undefined && c.systemOut === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (c.failure) {
      const f = c.failure;
      lines.push(
        `      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.type)}">` +
          `${escapeXml(f.text ?? f.message)}</failure>`,
      );
    }
    if (c.skipped !== undefined) lines.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
    if (c.systemOut !== undefined) {
      lines.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
    }
    lines.push("    </testcase>");
  }
  lines.push("  </testsuite>", "</testsuites>");
  return `${lines.join("\n")}\n`;
}

/** The environment of `r` as suite properties. */
export function environmentProperties(r: BenchResult): Record<string, string> {
  const e = r.environment;
  return {
    node: e.node,
    platform: e.platform,
    arch: e.arch,
    cpu: e.cpu,
    cores: String(e.cores),
    memoryGiB: String(e.memoryGiB),
    quick: String(r.quick),
  };
}

/** The suite of a bench result: every benchmark, metric and ratio as a passing test case. */
export function benchJUnit(r: BenchResult): JUnitSuite {
  const cases: JUnitCase[] = [];
  for (const b of r.benchmarks) {
    const s = b.summary;
    const perUnit = secondsPerUnit(b.unit);
    cases.push({
      classname: `gantry.bench.${b.kind}`,
      name: b.name,
      time: perUnit === undefined ? 0 : b.samples.reduce((t, x) => t + x, 0) * perUnit,
      systemOut:
        `median ${formatNumber(s.median)} ${b.unit} · p75 ${formatNumber(s.p75)} · ` +
        `p99 ${formatNumber(s.p99)} · mean ${formatNumber(s.mean)} ± ${s.rme.toFixed(1)} % · ` +
        `n ${s.n}`,
    });
  }
  for (const m of r.metrics) {
    cases.push({
      classname: "gantry.bench.deterministic",
      name: m.name,
      time: 0,
      systemOut: `${m.value} ${m.unit}`.trimEnd(),
    });
  }
  for (const q of r.ratios) {
    cases.push({
      classname: "gantry.bench.ratio",
      name: q.name,
      time: 0,
      systemOut: `${q.value}${q.unit} = median(${q.numerator}) / median(${q.denominator})`,
    });
  }
  return {
    name: "gantry bench",
    timestamp: r.startedAt,
    properties: environmentProperties(r),
    cases,
  };
}

/** `r` as JUnit XML. */
export function formatJUnit(r: BenchResult): string {
  return renderJUnit(benchJUnit(r));
}
