/**
 * The regression gate: a current bench result against a baseline (`gantry gate`).
 *
 * **Deterministic metrics** pass when `|current − baseline| ≤ metricTolerance · |baseline|`
 * (default 0: exactly equal). A changed one fails with a diff row (baseline, current, Δ, Δ %).
 *
 * **Benchmarks** (timing and scenario) are decided from the samples. Let `r` be
 * `median(current) / median(baseline)` and `[r₋, r₊]` its percentile-bootstrap interval
 * (`confidence`, default 95 %, `resamples` seeded draws). The *slowdown* is `s = r` when smaller is
 * better and `s = 1/r` when bigger is better (s > 1 is worse; its interval `[s₋, s₊]` maps the
 * same way), and the bound is `B = 1 + tolerance` (default 5 %). With `p` the one-sided
 * Mann–Whitney p-value that current is worse (when s ≥ 1) or better (when s < 1) than baseline:
 *
 * | status             | rule                                                    | fails |
 * | ------------------ | ------------------------------------------------------- | ----- |
 * | `regression`       | `p < alpha` and `s > B` and `s₋ > B`                    | yes   |
 * | `improvement`      | `p < alpha` and `s < 1/B` and `s₊ < 1/B`                | no    |
 * | `within-tolerance` | `p < alpha`, neither of the above                       | no    |
 * | `inconclusive`     | `p ≥ alpha` and (`s > B` or `s < 1/B`): too noisy or too few samples | no |
 * | `unchanged`        | `p ≥ alpha`, `1/B ≤ s ≤ B`                              | no    |
 *
 * So a slowdown fails only when it is significant *and* the whole noise band lies beyond the
 * tolerance. `gateTimings: false` reports benchmark rows without failing on them.
 *
 * **Ratios** (machine-independent, `median(numerator) / median(denominator)` in one run) compare
 * `R_current / R_baseline` the same way with `ratioTolerance`; the bootstrap resamples all four
 * sample sets, and significance is the interval excluding 1 (there is no rank test of a ratio).
 *
 * **Calibration** (`calibration: <benchmark name>`, present in both results): for a baseline
 * from another machine, every benchmark's `r` is divided by the calibration's slowdown
 * `k = s_calibration` (smaller is better) or multiplied by it (bigger is better); the rank test
 * uses the current samples scaled by the point `k`, and each bootstrap replicate recomputes `k`
 * from resampled calibration samples, so its noise widens the band. The calibration row itself is
 * reported, not gated; ratios are never normalised.
 *
 * **Presence**: a benchmark, metric or ratio of the baseline missing from the current result
 * fails (`missing`); one only in the current result is reported (`new`). A unit, kind or
 * direction change fails (`incompatible`): update the baseline deliberately.
 */

import type {
  BenchEnvironment,
  Benchmark,
  BenchResult,
  Metric,
  Ratio,
} from "../benchmark/result.ts";
import { median } from "../benchmark/stats.ts";
import { InputError } from "../diagnostics.ts";
import { bootstrap, mannWhitneyU, medianInPlace } from "./stats.ts";

export interface GateOptions {
  /** Slowdown tolerated for benchmarks, as a fraction. @default 0.05 */
  readonly tolerance?: number;
  /** Slowdown tolerated for ratios. @default tolerance */
  readonly ratioTolerance?: number;
  /** Per-name tolerances (benchmarks, ratios, metrics), overriding the defaults. */
  readonly tolerances?: Readonly<Record<string, number>>;
  /** Relative change tolerated for deterministic metrics. @default 0 */
  readonly metricTolerance?: number;
  /** Significance level of the one-sided rank test. @default 0.05 */
  readonly alpha?: number;
  /** Confidence of the bootstrap interval. @default 0.95 */
  readonly confidence?: number;
  /** Bootstrap replicates. @default 2000 */
  readonly resamples?: number;
  /** Bootstrap seed. @default 0 */
  readonly seed?: number;
  /** Name of a benchmark in both results to normalise timings by. */
  readonly calibration?: string;
  /** Whether benchmark (timing, scenario) regressions fail the gate. @default true */
  readonly gateTimings?: boolean;
  /** File names for messages. @default {current: "current", baseline: "baseline"} */
  readonly files?: { readonly current: string; readonly baseline: string };
}

export interface ResolvedGateOptions {
  readonly tolerance: number;
  readonly ratioTolerance: number;
  readonly tolerances: Readonly<Record<string, number>>;
  readonly metricTolerance: number;
  readonly alpha: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
  readonly calibration?: string;
  readonly gateTimings: boolean;
}

export type ComparisonStatus =
  | "regression"
  | "improvement"
  | "within-tolerance"
  | "inconclusive"
  | "unchanged"
  | "missing"
  | "new"
  | "incompatible"
  | "calibration";

/** One benchmark or ratio compared. */
export interface ComparisonRow {
  readonly name: string;
  readonly kind: "timing" | "scenario" | "ratio";
  readonly unit: string;
  readonly biggerIsBetter: boolean;
  readonly status: ComparisonStatus;
  readonly failed: boolean;
  /** The tolerance applied, as a fraction. */
  readonly tolerance: number;
  /** Baseline median (ratio: value); absent when missing from the baseline. */
  readonly baseline?: number;
  /** Current median, normalised when calibrating (ratio: value); absent when missing. */
  readonly current?: number;
  readonly baselineN?: number;
  readonly currentN?: number;
  /** `current / baseline` (normalised). */
  readonly ratio?: number;
  /** Bootstrap interval of `ratio`: the noise band. */
  readonly interval?: { readonly low: number; readonly high: number };
  /** Worse-is-greater factor: `ratio` (smaller is better) or `1 / ratio`. */
  readonly slowdown?: number;
  /** One-sided Mann–Whitney p in the observed direction; absent for ratios. */
  readonly pValue?: number;
  /** One line saying what was found. */
  readonly message: string;
}

export type MetricStatus =
  | "equal"
  | "within-tolerance"
  | "changed"
  | "missing"
  | "new"
  | "incompatible";

/** One deterministic metric compared. */
export interface MetricRow {
  readonly name: string;
  readonly unit: string;
  readonly status: MetricStatus;
  readonly failed: boolean;
  readonly tolerance: number;
  readonly baseline?: number;
  readonly current?: number;
  /** `current − baseline`. */
  readonly delta?: number;
  /** `delta / |baseline|`; ±Infinity from a zero baseline. */
  readonly relative?: number;
  readonly message: string;
}

export interface GateCalibration {
  readonly name: string;
  /** The calibration's slowdown, current against baseline: > 1 means the current machine is slower. */
  readonly factor: number;
}

export interface GateResult {
  readonly verdict: "pass" | "regression";
  readonly options: ResolvedGateOptions;
  readonly calibration?: GateCalibration;
  /** Benchmarks in baseline order (then new ones), then ratios likewise. */
  readonly comparisons: readonly ComparisonRow[];
  readonly metrics: readonly MetricRow[];
  /** Caveats: different machines, quick against full. */
  readonly notes: readonly string[];
  readonly baseline: { readonly startedAt: string; readonly environment: BenchEnvironment };
  readonly current: { readonly startedAt: string; readonly environment: BenchEnvironment };
}

function resolveOptions(o: GateOptions): ResolvedGateOptions {
  const fraction = (v: number | undefined, fallback: number, name: string) => {
    const x = v ?? fallback;
    if (!(Number.isFinite(x) && x >= 0)) {
      throw InputError.of(
        { file: "gate options", path: name },
        `must be a non-negative number, got ${x}`,
      );
    }
    return x;
  };
  const tolerance = fraction(o.tolerance, 0.05, "tolerance");
  const tolerances: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.tolerances ?? {})) {
    tolerances[k] = fraction(v, 0, `tolerances[${JSON.stringify(k)}]`);
  }
  const alpha = o.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw InputError.of({ file: "gate options", path: "alpha" }, `must be in (0, 1), got ${alpha}`);
  }
  const confidence = o.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw InputError.of(
      { file: "gate options", path: "confidence" },
      `must be in (0, 1), got ${confidence}`,
    );
  }
  const resamples = o.resamples ?? 2000;
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw InputError.of(
      { file: "gate options", path: "resamples" },
      `must be an integer of at least 100, got ${resamples}`,
    );
  }
  const seed = o.seed ?? 0;
  if (!(Number.isSafeInteger(seed) && seed >= 0)) {
    throw InputError.of(
      { file: "gate options", path: "seed" },
      `must be a non-negative integer, got ${seed}`,
    );
  }
  const out: ResolvedGateOptions = {
    tolerance,
    ratioTolerance: fraction(o.ratioTolerance, tolerance, "ratioTolerance"),
    tolerances,
    metricTolerance: fraction(o.metricTolerance, 0, "metricTolerance"),
    alpha,
    confidence,
    resamples,
    seed,
    gateTimings: o.gateTimings ?? true,
  };
  return o.calibration === undefined ? out : { ...out, calibration: o.calibration };
}

const pct = (ratio: number) => {
  const v = (ratio - 1) * 100;
  return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)} %`;
};
const band = (lo: number, hi: number) => `[${pct(lo)}, ${pct(hi)}]`;
const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/** Names in `a`'s order, then those only in `b`. */
function unionNames<T extends { readonly name: string }>(
  a: readonly T[],
  b: readonly T[],
): string[] {
  const seen = new Set(a.map((x) => x.name));
  return [...a.map((x) => x.name), ...b.filter((x) => !seen.has(x.name)).map((x) => x.name)];
}

function decide(
  s: number,
  sLow: number,
  sHigh: number,
  significant: boolean,
  bound: number,
): Exclude<ComparisonStatus, "missing" | "new" | "incompatible" | "calibration"> {
  if (!significant) return s > bound || s < 1 / bound ? "inconclusive" : "unchanged";
  if (s > bound && sLow > bound) return "regression";
  if (s < 1 / bound && sHigh < 1 / bound) return "improvement";
  return "within-tolerance";
}

function describeDecision(
  status: ComparisonStatus,
  s: number,
  sLow: number,
  sHigh: number,
  tolerance: number,
  p: number | undefined,
): string {
  const worse = s >= 1;
  const change = `${worse ? "worse" : "better"} by ${pct(worse ? s : 1 / s).replace("+", "")}`;
  const noise = `band ${band(sLow, sHigh)} (slowdown)`;
  const sig = p === undefined ? "" : `, ${pText(p)}`;
  const tol = `${(tolerance * 100).toFixed(1)} % tolerance`;
  switch (status) {
    case "regression":
      return `${change}, beyond the ${tol}; ${noise}${sig}`;
    case "improvement":
      return `${change}, beyond the ${tol}; ${noise}${sig}`;
    case "within-tolerance":
      return `${change}, significant but within the ${tol} or its noise band; ${noise}${sig}`;
    case "inconclusive":
      return `${change}, beyond the ${tol} but not significant (too noisy or too few samples); ${noise}${sig}`;
    default:
      return `no significant change (${pct(s)}); ${noise}${sig}`;
  }
}

function compatibility(
  kind: string,
  b: { unit: string; biggerIsBetter: boolean; kind?: string },
  c: { unit: string; biggerIsBetter: boolean; kind?: string },
): string | undefined {
  if (b.unit !== c.unit) return `unit changed from "${b.unit}" to "${c.unit}"`;
  if (b.biggerIsBetter !== c.biggerIsBetter) {
    return `direction changed (biggerIsBetter ${b.biggerIsBetter} → ${c.biggerIsBetter})`;
  }
  if (b.kind !== c.kind) return `${kind} kind changed from ${b.kind} to ${c.kind}`;
  return undefined;
}

/** Compares `current` against `baseline`; see the module comment for the rules. */
export function gate(
  current: BenchResult,
  baseline: BenchResult,
  options: GateOptions = {},
): GateResult {
  const opts = resolveOptions(options);
  const files = options.files ?? { current: "current", baseline: "baseline" };
  const rows: ComparisonRow[] = [];
  const notes: string[] = [];

  // Calibration.
  let cal: { cur: Benchmark; base: Benchmark; factor: number } | undefined;
  if (opts.calibration !== undefined) {
    const name = opts.calibration;
    const cur = current.benchmarks.find((b) => b.name === name);
    const base = baseline.benchmarks.find((b) => b.name === name);
    const problems = [];
    if (!cur)
      problems.push({
        file: files.current,
        path: "benchmarks",
        severity: "error" as const,
        message: `calibration benchmark ${JSON.stringify(name)} is missing`,
      });
    if (!base)
      problems.push({
        file: files.baseline,
        path: "benchmarks",
        severity: "error" as const,
        message: `calibration benchmark ${JSON.stringify(name)} is missing`,
      });
    if (problems.length > 0) throw new InputError(problems);
    if (cur && base) {
      const r = median(cur.samples) / median(base.samples);
      cal = { cur, base, factor: cur.biggerIsBetter ? 1 / r : r };
    }
  }
  /** Multiplier turning a raw current/baseline ratio into the normalised one. */
  const norm = (biggerIsBetter: boolean, k: number) => (biggerIsBetter ? k : 1 / k);

  const curB = new Map(current.benchmarks.map((b) => [b.name, b]));
  const baseB = new Map(baseline.benchmarks.map((b) => [b.name, b]));
  for (const name of unionNames(baseline.benchmarks, current.benchmarks)) {
    const c = curB.get(name);
    const b = baseB.get(name);
    const tolerance = opts.tolerances[name] ?? opts.tolerance;
    const gated = opts.gateTimings;
    if (!c && b) {
      rows.push({
        name,
        kind: b.kind,
        unit: b.unit,
        biggerIsBetter: b.biggerIsBetter,
        status: "missing",
        failed: true,
        tolerance,
        baseline: median(b.samples),
        baselineN: b.samples.length,
        message: `in the baseline but not in ${files.current}`,
      });
      continue;
    }
    if (c && !b) {
      rows.push({
        name,
        kind: c.kind,
        unit: c.unit,
        biggerIsBetter: c.biggerIsBetter,
        status: "new",
        failed: false,
        tolerance,
        current: median(c.samples),
        currentN: c.samples.length,
        message: "new: not in the baseline",
      });
      continue;
    }
    if (!c || !b) continue;
    const base = {
      name,
      kind: c.kind,
      unit: c.unit,
      biggerIsBetter: c.biggerIsBetter,
      tolerance,
      baselineN: b.samples.length,
      currentN: c.samples.length,
    };
    const problem = compatibility("benchmark", b, c);
    if (problem) {
      rows.push({
        ...base,
        status: "incompatible",
        failed: true,
        baseline: median(b.samples),
        current: median(c.samples),
        message: `${problem}; update the baseline`,
      });
      continue;
    }
    const raw = median(c.samples) / median(b.samples);
    if (cal && name === cal.cur.name) {
      rows.push({
        ...base,
        status: "calibration",
        failed: false,
        baseline: median(b.samples),
        current: median(c.samples),
        ratio: raw,
        slowdown: cal.factor,
        message: `calibration: the current machine is ${pct(cal.factor)} slower`,
      });
      continue;
    }
    const m = cal ? norm(c.biggerIsBetter, cal.factor) : 1;
    const ratio = raw * m;
    const calGroups = cal ? [cal.cur.samples, cal.base.samples] : [];
    const calBigger = cal?.cur.biggerIsBetter ?? false;
    const ci = bootstrap(
      [c.samples, b.samples, ...calGroups],
      (g) => {
        const r = medianInPlace(g[0] as Float64Array) / medianInPlace(g[1] as Float64Array);
        if (g.length < 4) return r;
        const kr = medianInPlace(g[2] as Float64Array) / medianInPlace(g[3] as Float64Array);
        return r * norm(c.biggerIsBetter, calBigger ? 1 / kr : kr);
      },
      {
        resamples: opts.resamples,
        confidence: opts.confidence,
        seed: opts.seed,
        stream: `gate/benchmark/${name}`,
      },
    );
    const scaled = m === 1 ? c.samples : c.samples.map((x) => x * m);
    const s = c.biggerIsBetter ? 1 / ratio : ratio;
    const [sLow, sHigh] = c.biggerIsBetter ? [1 / ci.high, 1 / ci.low] : [ci.low, ci.high];
    // "current is worse" is "greater" for smaller-is-better, "less" for bigger-is-better.
    const worseAlt = c.biggerIsBetter ? "less" : "greater";
    const betterAlt = c.biggerIsBetter ? "greater" : "less";
    const p = mannWhitneyU(scaled, b.samples, {
      alternative: s >= 1 ? worseAlt : betterAlt,
    }).pValue;
    const status = decide(s, sLow, sHigh, p < opts.alpha, 1 + tolerance);
    rows.push({
      ...base,
      status,
      failed: status === "regression" && gated,
      baseline: median(b.samples),
      current: median(scaled),
      ratio,
      interval: { low: ci.low, high: ci.high },
      slowdown: s,
      pValue: p,
      message:
        describeDecision(status, s, sLow, sHigh, tolerance, p) +
        (status === "regression" && !gated ? " (timings not gated)" : ""),
    });
  }

  // Ratios.
  const curR = new Map(current.ratios.map((q) => [q.name, q]));
  const baseR = new Map(baseline.ratios.map((q) => [q.name, q]));
  const samplesOf = (r: BenchResult, q: Ratio) => {
    const num = r.benchmarks.find((b) => b.name === q.numerator);
    const den = r.benchmarks.find((b) => b.name === q.denominator);
    return num && den ? ([num.samples, den.samples] as const) : undefined;
  };
  for (const name of unionNames(baseline.ratios, current.ratios)) {
    const c = curR.get(name);
    const b = baseR.get(name);
    const tolerance = opts.tolerances[name] ?? opts.ratioTolerance;
    const common = { name, kind: "ratio" as const, tolerance };
    if (!c && b) {
      rows.push({
        ...common,
        unit: b.unit,
        biggerIsBetter: b.biggerIsBetter,
        status: "missing",
        failed: true,
        baseline: b.value,
        message: `in the baseline but not in ${files.current}`,
      });
      continue;
    }
    if (c && !b) {
      rows.push({
        ...common,
        unit: c.unit,
        biggerIsBetter: c.biggerIsBetter,
        status: "new",
        failed: false,
        current: c.value,
        message: "new: not in the baseline",
      });
      continue;
    }
    if (!c || !b) continue;
    const problem = compatibility("ratio", b, c);
    const cs = samplesOf(current, c);
    const bs = samplesOf(baseline, b);
    if (problem || !cs || !bs) {
      rows.push({
        ...common,
        unit: c.unit,
        biggerIsBetter: c.biggerIsBetter,
        status: "incompatible",
        failed: true,
        baseline: b.value,
        current: c.value,
        message: `${problem ?? "its benchmarks are missing"}; update the baseline`,
      });
      continue;
    }
    const ratio = c.value / b.value;
    const ci = bootstrap(
      [cs[0], cs[1], bs[0], bs[1]],
      ([a, d, e, f]) =>
        medianInPlace(a as Float64Array) /
        medianInPlace(d as Float64Array) /
        (medianInPlace(e as Float64Array) / medianInPlace(f as Float64Array)),
      {
        resamples: opts.resamples,
        confidence: opts.confidence,
        seed: opts.seed,
        stream: `gate/ratio/${name}`,
      },
    );
    const s = c.biggerIsBetter ? 1 / ratio : ratio;
    const [sLow, sHigh] = c.biggerIsBetter ? [1 / ci.high, 1 / ci.low] : [ci.low, ci.high];
    const significant = sLow > 1 || sHigh < 1;
    const status = decide(s, sLow, sHigh, significant, 1 + tolerance);
    rows.push({
      ...common,
      unit: c.unit,
      biggerIsBetter: c.biggerIsBetter,
      status,
      failed: status === "regression",
      baseline: b.value,
      current: c.value,
      baselineN: Math.min(bs[0].length, bs[1].length),
      currentN: Math.min(cs[0].length, cs[1].length),
      ratio,
      interval: { low: ci.low, high: ci.high },
      slowdown: s,
      message: describeDecision(status, s, sLow, sHigh, tolerance, undefined),
    });
  }

  const metrics = compareMetrics(current.metrics, baseline.metrics, opts, files.current);

  // Notes.
  const eb = baseline.environment;
  const ec = current.environment;
  const machine = (e: BenchEnvironment) =>
    `${e.cpu} × ${e.cores}, Node ${e.node}, ${e.platform}/${e.arch}`;
  if (machine(eb) !== machine(ec)) {
    notes.push(
      `different machines: baseline ${machine(eb)}; current ${machine(ec)}` +
        (cal ? "" : ": absolute timings are not comparable (calibrate, or gate ratios only)"),
    );
  }
  if (baseline.quick !== current.quick) {
    notes.push(
      `baseline is a ${baseline.quick ? "--quick" : "full"} run, current a ${current.quick ? "--quick" : "full"} run`,
    );
  }

  const failed = rows.some((r) => r.failed) || metrics.some((m) => m.failed);
  const result: GateResult = {
    verdict: failed ? "regression" : "pass",
    options: opts,
    comparisons: rows,
    metrics,
    notes,
    baseline: { startedAt: baseline.startedAt, environment: eb },
    current: { startedAt: current.startedAt, environment: ec },
  };
  return cal ? { ...result, calibration: { name: cal.cur.name, factor: cal.factor } } : result;
}

function compareMetrics(
  current: readonly Metric[],
  baseline: readonly Metric[],
  opts: ResolvedGateOptions,
  currentFile: string,
): MetricRow[] {
  const cur = new Map(current.map((m) => [m.name, m]));
  const base = new Map(baseline.map((m) => [m.name, m]));
  const rows: MetricRow[] = [];
  for (const name of unionNames(baseline, current)) {
    const c = cur.get(name);
    const b = base.get(name);
    const tolerance = opts.tolerances[name] ?? opts.metricTolerance;
    if (!c && b) {
      rows.push({
        name,
        unit: b.unit,
        status: "missing",
        failed: true,
        tolerance,
        baseline: b.value,
        message: `in the baseline but not in ${currentFile}`,
      });
      continue;
    }
    if (c && !b) {
      rows.push({
        name,
        unit: c.unit,
        status: "new",
        failed: false,
        tolerance,
        current: c.value,
        message: "new: not in the baseline",
      });
      continue;
    }
    if (!c || !b) continue;
    if (c.unit !== b.unit) {
      rows.push({
        name,
        unit: c.unit,
        status: "incompatible",
        failed: true,
        tolerance,
        baseline: b.value,
        current: c.value,
        message: `unit changed from "${b.unit}" to "${c.unit}"; update the baseline`,
      });
      continue;
    }
    const delta = c.value - b.value;
    const relative =
      b.value === 0
        ? delta === 0
          ? 0
          : Math.sign(delta) * Number.POSITIVE_INFINITY
        : delta / Math.abs(b.value);
    const within = Math.abs(delta) <= tolerance * Math.abs(b.value);
    const status: MetricStatus = delta === 0 ? "equal" : within ? "within-tolerance" : "changed";
    const change = `${b.value} → ${c.value} (${delta > 0 ? "+" : ""}${delta}${Number.isFinite(relative) ? `, ${relative > 0 ? "+" : ""}${(relative * 100).toFixed(2)} %` : ""})`;
    rows.push({
      name,
      unit: c.unit,
      status,
      failed: status === "changed",
      tolerance,
      baseline: b.value,
      current: c.value,
      delta,
      relative,
      message:
        status === "equal"
          ? "equal"
          : status === "changed"
            ? `changed: ${change}${tolerance > 0 ? `, beyond the ${(tolerance * 100).toFixed(2)} % tolerance` : ""}`
            : `within tolerance: ${change}`,
    });
  }
  return rows;
}

/** Counts of rows by outcome, for summaries. */
export function gateCounts(r: GateResult): {
  failed: number;
  regressions: number;
  improvements: number;
  changedMetrics: number;
  missing: number;
  new: number;
} {
  const all = [...r.comparisons, ...r.metrics];
  return {
    failed: all.filter((x) => x.failed).length,
    regressions: r.comparisons.filter((x) => x.status === "regression").length,
    improvements: r.comparisons.filter((x) => x.status === "improvement").length,
    changedMetrics: r.metrics.filter((x) => x.status === "changed").length,
    missing: all.filter((x) => x.status === "missing").length,
    new: all.filter((x) => x.status === "new").length,
  };
}
