/**
 * Whole-scenario benchmarks through the discrete-event engine (`simulate()`), and the generators'
 * throughput.
 *
 * A scenario benchmark runs one {@link SimulationInput} `repeat` times. Its **deterministic
 * metrics** (pods scheduled, unschedulable, pending, preempted, scheduling attempts, nodes used,
 * allocation, simulated latency p50 / p99) must be identical in every repetition — a difference
 * is a {@link NondeterminismError} — and are recorded once; its **timings** are one sample per
 * repetition: the wall time of the whole run (s) and the scheduling throughput over the measured
 * window (pods/s, scheduler_perf's SchedulingThroughput), `kind: "scenario"`.
 *
 * `schedulingBasicInput` is scheduler_perf's SchedulingBasic shape: plain pod-default pods created
 * at once on node-default nodes, running forever.
 */
import { loadScenarioFromString } from "../../scenario/index.ts";
import { simulate } from "../../sim/engine.ts";
import type { RunResult } from "../../sim/metrics.ts";
import { coreProfile } from "../../sim/profile.ts";
import type { PodArrival, SimulationInput } from "../../sim/types.ts";
import { type Benchmark, benchmark, type Metric } from "../result.ts";
import { defaultNodes, defaultPod, defaultProfile } from "./shapes.ts";

/** Repetitions of a scenario disagreed on a deterministic metric. */
export class NondeterminismError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NondeterminismError";
  }
}

/** The deterministic metrics of one run, named `<name>: …`. */
export function runMetrics(name: string, r: RunResult): Metric[] {
  const m = (what: string, value: number, unit: string, biggerIsBetter?: boolean): Metric => ({
    name: `${name}: ${what}`,
    kind: "deterministic",
    value,
    unit,
    ...(biggerIsBetter === undefined ? {} : { biggerIsBetter }),
  });
  const out = [
    m("pods scheduled", r.pods.scheduled, "pods", true),
    m("pods unschedulable", r.pods.unschedulable, "pods", false),
    m("pods pending", r.pods.pending, "pods", false),
    m("pods preempted", r.pods.preempted, "pods"),
    m("scheduling attempts", r.schedulingAttempts, "attempts"),
    m("nodes used (final)", r.nodesUsed.final, "nodes"),
    m("nodes used (max)", r.nodesUsed.max, "nodes"),
  ];
  for (const res of Object.keys(r.allocation.final).sort()) {
    out.push(m(`allocation ${res} (final)`, r.allocation.final[res] as number, "fraction"));
  }
  for (const res of Object.keys(r.allocation.timeWeighted).sort()) {
    out.push(
      m(`allocation ${res} (time-weighted)`, r.allocation.timeWeighted[res] as number, "fraction"),
    );
  }
  out.push(
    m("latency p50 (simulated)", r.latency.p50, "s", false),
    m("latency p99 (simulated)", r.latency.p99, "s", false),
  );
  const p = r.packing;
  for (const res of Object.keys(p.stranded).sort()) {
    out.push(m(`stranded ${res} (final)`, p.stranded[res] as number, "fraction", false));
  }
  if (p.gpu !== undefined) {
    out.push(
      m("gpu allocation (final)", p.gpu.allocation, "fraction", true),
      m("gpu fragmentation (final)", p.gpu.fragmentationMilli, "milli-GPU", false),
    );
  }
  return out;
}

export interface ScenarioBenchOptions {
  /** Recorded repetitions (≥ 1). */
  readonly repeat: number;
  /** Unrecorded runs first (JIT warm-up). @default 0 */
  readonly warmup?: number;
  /** Called after each recorded repetition (progress). */
  readonly onRepetition?: (done: number, total: number) => void;
}

/** What a scenario benchmark yields. */
export interface ScenarioBench {
  readonly benchmarks: Benchmark[];
  readonly metrics: Metric[];
  /** The last repetition's result. */
  readonly last: RunResult;
}

/**
 * Runs `makeInput()` (a fresh input each time: arrivals are lazy iterables) `repeat` times under
 * the name `name`; throws {@link NondeterminismError} when a deterministic metric differs.
 */
export async function benchScenario(
  name: string,
  makeInput: () => SimulationInput,
  o: ScenarioBenchOptions,
): Promise<ScenarioBench> {
  if (!(Number.isInteger(o.repeat) && o.repeat >= 1)) {
    throw new RangeError(`repeat must be a positive integer, got ${o.repeat}`);
  }
  for (let i = 0; i < (o.warmup ?? 0); i++) await simulate(makeInput());
  const wall: number[] = [];
  const throughput: number[] = [];
  let metrics: Metric[] | undefined;
  let last: RunResult | undefined;
  for (let i = 0; i < o.repeat; i++) {
    const input = makeInput();
    const t0 = performance.now();
    const r = await simulate(input);
    const seconds = (performance.now() - t0) / 1000;
    wall.push(Math.max(seconds, 1e-9));
    if (r.measured.podsPerSecond > 0 && Number.isFinite(r.measured.podsPerSecond)) {
      throughput.push(r.measured.podsPerSecond);
    }
    const got = runMetrics(name, r);
    if (metrics === undefined) metrics = got;
    else {
      const diff = differences(metrics, got);
      if (diff.length > 0) {
        throw new NondeterminismError(
          `${name}: repetition ${i + 1} differs from repetition 1 in deterministic metrics: ` +
            diff.join("; "),
        );
      }
    }
    last = r;
    o.onRepetition?.(i + 1, o.repeat);
  }
  const benchmarks = [
    benchmark({
      name: `${name}: wall time`,
      kind: "scenario",
      unit: "s",
      biggerIsBetter: false,
      samples: wall,
      labels: { scenario: name },
    }),
  ];
  // The measured throughput only when every repetition had one (same sample count as wall).
  if (throughput.length === o.repeat) {
    benchmarks.push(
      benchmark({
        name: `${name}: scheduling throughput`,
        kind: "scenario",
        unit: "pods/s",
        biggerIsBetter: true,
        samples: throughput,
        labels: { scenario: name },
      }),
    );
  }
  return { benchmarks, metrics: metrics ?? [], last: last as RunResult };
}

function differences(a: readonly Metric[], b: readonly Metric[]): string[] {
  const out: string[] = [];
  const bm = new Map(b.map((m) => [m.name, m.value]));
  for (const m of a) {
    const v = bm.get(m.name);
    if (!Object.is(v, m.value)) out.push(`${m.name}: ${m.value} vs ${v}`);
  }
  if (a.length !== b.length) out.push(`metric count ${a.length} vs ${b.length}`);
  return out;
}

/** scheduler_perf's SchedulingBasic: `pods` pod-default pods at time 0 on `nodes` node-default nodes. */
export function schedulingBasicInput(nodes: number, pods: number): () => SimulationInput {
  const cluster = defaultNodes(nodes);
  const { profile } = coreProfile(defaultProfile());
  const template = defaultPod("pod-default");
  return () => ({
    name: `SchedulingBasic ${nodes} nodes`,
    nodes: cluster,
    profile,
    seed: 1,
    arrivals: arrivalsAtZero(template, pods),
  });
}

function arrivalsAtZero(template: PodArrival["template"], count: number): Iterable<PodArrival> {
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < count; i++)
        yield { time: 0, template, duration: Number.POSITIVE_INFINITY };
    },
  };
}

/** The generator benchmark's scenario: a 3-pool cluster and two streams of `pods` pods in all. */
function generatorScenario(nodes: number, pods: number): string {
  const web = Math.round(pods * 0.7);
  return `apiVersion: gantry.dev/v1alpha1
kind: Scenario
metadata: {name: generator-bench}
cluster:
  pools:
    - {name: general, count: ${Math.ceil(nodes / 2)}, instanceType: m5.4xlarge, region: eu-west-1, zones: [eu-west-1a, eu-west-1b, eu-west-1c]}
    - {name: compute, count: ${Math.floor(nodes / 2)}, instanceType: c5.2xlarge, region: eu-west-1, zones: [eu-west-1a, eu-west-1b]}
workload:
  streams:
    - name: web
      count: ${web}
      arrival: {process: poisson, rate: 500}
      duration: {distribution: exponential, mean: 75s}
      groups: 50
      templates:
        - weight: 9
          pod:
            metadata: {name: "svc-{{k}}", labels: {app: "svc-{{k}}"}}
            spec:
              containers:
                - {name: app, image: registry.example.com/svc:1.0, resources: {requests: {cpu: 100m, memory: 200Mi}}}
        - weight: 1
          pod:
            metadata: {name: "big-{{k}}", labels: {app: "big-{{k}}"}}
            spec:
              containers:
                - {name: app, image: registry.example.com/big:1.0, resources: {requests: {cpu: "1", memory: 2Gi}}}
    - name: batch
      count: ${pods - web}
      arrival: {process: constant, rate: 200}
      duration: {distribution: lognormal, median: 40s, p99: 4m}
      template:
        metadata: {name: job}
        spec:
          containers:
            - {name: work, image: busybox:1.36, resources: {requests: {cpu: "1", memory: 1Gi}}}
simulation: {seed: 3}
`;
}

/**
 * The generators' throughput: `nodes` nodes from two pools (nodes/s, the scenario load included)
 * and `pods` pods from two merged streams (pods/s), one sample per iteration after one warm-up;
 * the last arrival's time and the cluster's node count as deterministic metrics.
 */
export async function benchGenerators(
  nodes: number,
  pods: number,
  iterations: number,
): Promise<{ benchmarks: Benchmark[]; metrics: Metric[] }> {
  const text = generatorScenario(nodes, pods);
  const nodeRates: number[] = [];
  const podRates: number[] = [];
  let lastTime = 0;
  let count = 0;
  let nodeCount = 0;
  for (let i = 0; i <= iterations; i++) {
    const t0 = performance.now();
    const scenario = await loadScenarioFromString(text, "<generator bench>");
    const t1 = performance.now();
    count = 0;
    for (const a of scenario.arrivals()) {
      count++;
      lastTime = a.time;
    }
    const t2 = performance.now();
    nodeCount = scenario.nodes.length;
    if (i === 0) continue; // warm-up
    nodeRates.push(nodeCount / Math.max((t1 - t0) / 1000, 1e-9));
    podRates.push(count / Math.max((t2 - t1) / 1000, 1e-9));
  }
  const labels = { group: "generator" };
  return {
    benchmarks: [
      benchmark({
        name: `generator: ${nodeCount} nodes (scenario load)`,
        kind: "timing",
        unit: "nodes/s",
        biggerIsBetter: true,
        samples: nodeRates,
        labels,
      }),
      benchmark({
        name: `generator: ${count} pods from 2 streams`,
        kind: "timing",
        unit: "pods/s",
        biggerIsBetter: true,
        samples: podRates,
        labels,
      }),
    ],
    metrics: [
      { name: "generator: pods generated", kind: "deterministic", value: count, unit: "pods" },
      {
        name: "generator: nodes generated",
        kind: "deterministic",
        value: nodeCount,
        unit: "nodes",
      },
      { name: "generator: last arrival time", kind: "deterministic", value: lastTime, unit: "s" },
    ],
  };
}
