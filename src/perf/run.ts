/**
 * Runs the workloads of a scheduler_perf config: selection (workload names, upstream's label
 * filter), the scheduling profile (kube-scheduler's defaults, or the test case's
 * `schedulerConfigPath`, restricted to what gantry's core runs), one `simulate()` per workload,
 * and the report: measured throughput against upstream's threshold, the pod counts, the notes,
 * the skip reasons, and the DataItems.
 */
import { readFile } from "node:fs/promises";
import {
  defaultSchedulerConfig,
  type KubeSchedulerConfiguration,
  loadSchedulerConfig,
  type Profile,
  profileFor,
} from "../config/index.ts";
import type { CoreBuild } from "../core/boundary.ts";
import { DEFAULT_SCHEDULER_NAME } from "../manifest/pod.ts";
import { simulate } from "../sim/engine.ts";
import type { RunResult } from "../sim/metrics.ts";
import { coreProfile } from "../sim/profile.ts";
import {
  labelsEnabled,
  type PerfConfig,
  type PerfTestCase,
  type PerfWorkload,
  thresholdFor,
} from "./config.ts";
import {
  type DataItem,
  type DataItems,
  THROUGHPUT_METRIC,
  throughputDataItem,
} from "./dataitems.ts";
import { SkipWorkload, TemplateFiles } from "./objects.ts";
import { DEFAULT_HORIZON, type PlannedOp, planWorkload, simulationInput } from "./plan.ts";

/** Version of the `--json` document; bumped on incompatible changes. */
export const PERF_SCHEMA_VERSION = 1;

/** Upstream's default label filter for BenchmarkPerfScheduling (`-perf-scheduling-label-filter`). */
export const DEFAULT_LABEL_FILTER: readonly string[] = ["performance"];

export interface PerfRunOptions {
  /** `<TestCase>/<Workload>` or `<TestCase>` (all its workloads); empty: by labels. */
  readonly workloads?: readonly string[];
  /** Label selectors (upstream syntax: `x`, `+x`, `-x`); default {@link DEFAULT_LABEL_FILTER} unless workloads are named. */
  readonly labels?: readonly string[];
  readonly seed?: number;
  readonly horizon?: number;
  readonly build?: CoreBuild;
  /** Called before each selected workload. */
  readonly onWorkload?: (name: string, index: number, total: number) => void;
  /** Called once per distinct set of plugins dropped from a profile. */
  readonly onProfile?: (profile: string, dropped: readonly string[]) => void;
}

export interface WorkloadReport {
  /** `<TestCase>/<Workload>`. */
  readonly name: string;
  readonly testCase: string;
  readonly workload: string;
  readonly labels: readonly string[];
  readonly featureGates: Readonly<Record<string, boolean>>;
  /** Upstream's threshold for this topic; null when none (0). */
  readonly threshold: number | null;
  /** The metric the threshold applies to (`SchedulingThroughput/Average` by default). */
  readonly thresholdMetric: string;
  readonly status: "ran" | "skipped";
  readonly skipReason?: string;
  readonly measured?: {
    /** Measured pods created by the collectMetrics op. */
    readonly created: number;
    /** Of those, bound by the end. */
    readonly bound: number;
    readonly namespace: string;
    readonly wallSeconds: number;
    readonly podsPerSecond: number;
    readonly samples: readonly number[];
    readonly window: number;
  };
  /** gantry pods/s ÷ threshold; null without a comparable threshold or measurement. */
  readonly ratio?: number | null;
  readonly pods?: RunResult["pods"];
  readonly simulatedSeconds?: number;
  /** Wall-clock seconds: building the plan, and the simulation. */
  readonly planSeconds?: number;
  readonly simulateSeconds?: number;
  readonly notes: readonly string[];
  readonly timeline?: readonly PlannedOp[];
  readonly dataItem?: DataItem;
}

export interface PerfReport {
  readonly schemaVersion: typeof PERF_SCHEMA_VERSION;
  readonly config: string;
  readonly topic: string;
  readonly seed: number;
  readonly horizonSeconds: number;
  readonly selection: { readonly workloads: readonly string[]; readonly labels: readonly string[] };
  readonly profiles: readonly {
    readonly schedulerName: string;
    readonly source: string;
    readonly dropped: readonly string[];
  }[];
  readonly workloads: readonly WorkloadReport[];
  readonly dataItems: DataItems;
}

/** Feature gates whose upstream behaviour the simulation does not follow, and what it does instead. */
const GATE_NOTES: Readonly<Record<string, string>> = {
  DRAExtendedResource:
    "feature gate DRAExtendedResource=true: DynamicResources does not run; extended resources are checked by NodeResourcesFit as node resources",
  SchedulerAsyncPreemption:
    "feature gate SchedulerAsyncPreemption=true: the engine deletes preemption victims at once, within the cycle",
};

/** The selected workloads, in file order. @throws Error with a usage message when a name matches nothing. */
export function selectWorkloads(
  config: PerfConfig,
  names: readonly string[],
  labels: readonly string[] | undefined,
): { tc: PerfTestCase; w: PerfWorkload }[] {
  const selectors = labels ?? (names.length > 0 ? [] : DEFAULT_LABEL_FILTER);
  const out: { tc: PerfTestCase; w: PerfWorkload }[] = [];
  const matched = new Set<string>();
  for (const tc of config.testCases) {
    for (const w of tc.workloads) {
      const full = `${tc.name}/${w.name}`;
      if (names.length > 0) {
        const hit = names.find((n) => n === full || n === tc.name);
        if (hit === undefined) continue;
        matched.add(hit);
      }
      if (!labelsEnabled(selectors, [...tc.labels, ...w.labels])) continue;
      out.push({ tc, w });
    }
  }
  const missing = names.filter((n) => !matched.has(n));
  if (missing.length > 0) {
    const available = config.testCases.map((tc) => tc.name).join(", ");
    throw new WorkloadSelectionError(
      `no workload ${missing.map((m) => JSON.stringify(m)).join(", ")} in ${config.file} (give <TestCase>/<Workload> or <TestCase>; test cases: ${available})`,
    );
  }
  return out;
}

/** A `--workload` that names nothing. */
export class WorkloadSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkloadSelectionError";
  }
}

interface ResolvedProfile {
  readonly profile: Profile;
  readonly percentageOfNodesToScore: number;
  readonly schedulerName: string;
  readonly source: string;
  readonly dropped: readonly string[];
}

async function resolveProfile(
  tc: PerfTestCase,
  cache: Map<string, ResolvedProfile>,
): Promise<ResolvedProfile> {
  const key = tc.schedulerConfigPath ?? "";
  const hit = cache.get(key);
  if (hit) return hit;
  let config: KubeSchedulerConfiguration;
  if (tc.schedulerConfigPath) {
    const text = await readFile(tc.schedulerConfigPath, "utf8");
    config = loadSchedulerConfig(text, tc.schedulerConfigPath);
  } else {
    config = defaultSchedulerConfig();
  }
  const full = profileFor(config, DEFAULT_SCHEDULER_NAME) ?? (config.profiles[0] as Profile);
  const { profile, dropped } = coreProfile(full);
  const resolved: ResolvedProfile = {
    profile,
    percentageOfNodesToScore: config.percentageOfNodesToScore,
    schedulerName: full.schedulerName,
    source: tc.schedulerConfigPath ?? "kube-scheduler v1.35 defaults",
    dropped,
  };
  cache.set(key, resolved);
  return resolved;
}

/** Runs the selected workloads of `config`. */
export async function runPerf(config: PerfConfig, opts: PerfRunOptions = {}): Promise<PerfReport> {
  const names = opts.workloads ?? [];
  const labels = opts.labels ?? (names.length > 0 ? [] : DEFAULT_LABEL_FILTER);
  const selected = selectWorkloads(config, names, opts.labels);
  const seed = opts.seed ?? 0;
  const horizon = opts.horizon ?? DEFAULT_HORIZON;
  const files = new TemplateFiles();
  const profiles = new Map<string, ResolvedProfile>();
  const reported = new Set<string>();
  const results: WorkloadReport[] = [];
  const items: DataItem[] = [];
  let i = 0;
  for (const { tc, w } of selected) {
    opts.onWorkload?.(`${tc.name}/${w.name}`, i++, selected.length);
    const threshold = thresholdFor(w.threshold, config.topic);
    const sel = w.thresholdMetricSelector;
    const base = {
      name: `${tc.name}/${w.name}`,
      testCase: tc.name,
      workload: w.name,
      labels: [...tc.labels, ...w.labels],
      featureGates: { ...tc.featureGates, ...w.featureGates },
      threshold: threshold > 0 ? threshold : null,
      thresholdMetric: `${sel.name}/${sel.dataBucket}`,
    };
    const t0 = performance.now();
    let plan: ReturnType<typeof planWorkload>;
    try {
      plan = planWorkload(tc, w, files, { horizon });
    } catch (e) {
      if (!(e instanceof SkipWorkload)) throw e;
      results.push({ ...base, status: "skipped", skipReason: e.reason, notes: [] });
      continue;
    }
    const prof = await resolveProfile(tc, profiles);
    const profileKey = `${prof.schedulerName}\u0000${prof.dropped.join(",")}`;
    if (prof.dropped.length > 0 && !reported.has(profileKey)) {
      reported.add(profileKey);
      opts.onProfile?.(prof.schedulerName, prof.dropped);
    }
    const input = simulationInput(plan, prof.profile, {
      seed,
      percentageOfNodesToScore: prof.percentageOfNodesToScore,
    });
    const t1 = performance.now();
    const result = await simulate(input, opts.build === undefined ? {} : { build: opts.build });
    const t2 = performance.now();
    const dataItem = throughputDataItem(
      `${plan.name}/${plan.measure.namespace}`,
      result.measured,
      threshold,
      sel,
    );
    if (dataItem) items.push(dataItem);
    const comparable =
      sel.name === THROUGHPUT_METRIC && sel.dataBucket === "Average" && !sel.expectLower;
    const ratio =
      threshold > 0 && comparable && result.measured.podsPerSecond > 0
        ? result.measured.podsPerSecond / threshold
        : null;
    const notes = [...plan.notes];
    for (const [gate, on] of Object.entries(base.featureGates)) {
      const note = GATE_NOTES[gate];
      if (on && note !== undefined) notes.push(note);
    }
    if (result.measured.pods < plan.measure.pods) {
      notes.push(
        `${plan.measure.pods - result.measured.pods} of ${plan.measure.pods} measured pods were not bound by the end (t=${plan.endTime}s); upstream would wait up to 10 minutes and then fail the workload`,
      );
    }
    if (threshold > 0 && !comparable) {
      notes.push(`the threshold applies to ${base.thresholdMetric}, which gantry does not produce`);
    }
    results.push({
      ...base,
      status: "ran",
      measured: {
        created: plan.measure.pods,
        bound: result.measured.pods,
        namespace: plan.measure.namespace,
        wallSeconds: result.measured.wallSeconds,
        podsPerSecond: result.measured.podsPerSecond,
        samples: result.measured.samples,
        window: result.measured.window,
      },
      ratio,
      pods: result.pods,
      simulatedSeconds: result.simulatedSeconds,
      planSeconds: (t1 - t0) / 1000,
      simulateSeconds: (t2 - t1) / 1000,
      notes,
      timeline: plan.timeline,
      ...(dataItem ? { dataItem } : {}),
    });
  }
  return {
    schemaVersion: PERF_SCHEMA_VERSION,
    config: config.file,
    topic: config.topic,
    seed,
    horizonSeconds: horizon,
    selection: { workloads: names, labels },
    profiles: [...profiles.values()].map((p) => ({
      schedulerName: p.schedulerName,
      source: p.source,
      dropped: p.dropped,
    })),
    workloads: results,
    dataItems: { version: "v1", dataItems: items },
  };
}
