/**
 * gantry's own benchmark suites, assembled into one {@link BenchResult} (`gantry bench`,
 * `npm run bench`):
 *
 * - **core** (`./core.ts`, tinybench): the WASM core, its linear scan and the TypeScript reference
 *   on scheduler_perf-shaped pods and nodes, in ns per node-visit; per-plugin kernels; the resource
 *   filter alone; a naive JS scan; the JS↔WASM boundary alone (ns per call).
 * - **scenarios** (`./scenarios.ts`): SchedulingBasic through `simulate()` (wall time and pods/s
 *   per repetition, placement metrics checked identical across repetitions), and in the full run
 *   the `small` fixture scenario too.
 * - **generators**: nodes/s and pods/s of the scenario generators.
 * - **ratios**: WASM core / TS reference and WASM linear scan / naive JS scan, medians of the
 *   same run, so comparable across machines (what gantry's own CI gates timing on).
 *
 * Presets: {@link FULL_SUITE}, {@link QUICK_SUITE} (`--quick`, ~30 s on 2 cores), and
 * {@link SMOKE_SUITE} (tiny sizes, for tests of the plumbing only).
 */
import {
  type Benchmark,
  type BenchResult,
  benchmark,
  benchResult,
  type Metric,
  type Ratio,
  ratio,
} from "../result.ts";
import {
  CORE_NAMES,
  type CoreSuiteOptions,
  type CoreTask,
  coreSuite,
  FULL_SCAN,
  SAMPLED,
} from "./core.ts";
import { environment } from "./env.ts";
import { benchGenerators, benchScenario, schedulingBasicInput } from "./scenarios.ts";
import { ANTI_AFFINITY, PREFERRED_AFFINITY, SPREAD } from "./shapes.ts";

export { NondeterminismError } from "./scenarios.ts";

export interface SuiteOptions {
  readonly quick: boolean;
  readonly core: CoreSuiteOptions;
  /** The core suite's samples are taken in this many interleaved rounds. */
  readonly rounds: number;
  /** SchedulingBasic: nodes, pods, repetitions. */
  readonly basic: { readonly nodes: number; readonly pods: number; readonly repeat: number };
  /** Generators: nodes, pods, iterations. */
  readonly generators: {
    readonly nodes: number;
    readonly pods: number;
    readonly iterations: number;
  };
  /** Also run these fixture scenarios (paths relative to the package root), repetitions. */
  readonly fixtures: readonly { readonly file: string; readonly repeat: number }[];
}

export const FULL_SUITE: SuiteOptions = {
  quick: false,
  rounds: 4,
  core: {
    nodes: 5000,
    pods: 10_000,
    refPodsSampled: 1000,
    refPodsFull: 100,
    spreadPods: 10_000,
    refSpreadPods: 100,
    antiAffinityPods: 4000,
    refAffinityPods: 50,
    naivePods: 10_000,
    kernelPods: 5000,
    topology: true,
    iterations: 12,
  },
  basic: { nodes: 5000, pods: 50_000, repeat: 7 },
  generators: { nodes: 5000, pods: 500_000, iterations: 7 },
  fixtures: [
    { file: "fixtures/scenarios/small.yaml", repeat: 5 },
    { file: "fixtures/scenarios/gpu-sharing.yaml", repeat: 5 },
  ],
};

export const QUICK_SUITE: SuiteOptions = {
  quick: true,
  rounds: 3,
  core: {
    nodes: 5000,
    pods: 5000,
    refPodsSampled: 100,
    refPodsFull: 15,
    spreadPods: 2000,
    refSpreadPods: 15,
    antiAffinityPods: 1000,
    refAffinityPods: 10,
    naivePods: 1000,
    kernelPods: 1000,
    topology: false,
    iterations: 12,
  },
  basic: { nodes: 5000, pods: 10_000, repeat: 6 },
  generators: { nodes: 2000, pods: 100_000, iterations: 6 },
  // GPU sharing under the FGD policy: its placement metrics guard the strategies in CI.
  fixtures: [{ file: "fixtures/scenarios/gpu-sharing.yaml", repeat: 2 }],
};

/** Tiny sizes: checks the plumbing, measures nothing worth keeping. */
export const SMOKE_SUITE: SuiteOptions = {
  quick: true,
  rounds: 1,
  core: {
    nodes: 60,
    pods: 50,
    refPodsSampled: 5,
    refPodsFull: 5,
    spreadPods: 20,
    refSpreadPods: 5,
    antiAffinityPods: 20,
    refAffinityPods: 5,
    naivePods: 20,
    kernelPods: 20,
    topology: false,
    iterations: 2,
  },
  basic: { nodes: 30, pods: 100, repeat: 2 },
  generators: { nodes: 20, pods: 500, iterations: 2 },
  fixtures: [],
};

/** `o` with `iterations` samples per benchmark (tinybench tasks, repetitions, generators). */
export function withIterations(o: SuiteOptions, iterations: number): SuiteOptions {
  return {
    ...o,
    core: { ...o.core, iterations },
    basic: { ...o.basic, repeat: iterations },
    generators: { ...o.generators, iterations },
    fixtures: o.fixtures.map((f) => ({ ...f, repeat: iterations })),
  };
}

/** Runs the suites; `log` receives one line per finished part (progress). */
export async function runSuites(
  o: SuiteOptions,
  log: (line: string) => void = () => {},
  root: URL = new URL("../../../", import.meta.url),
): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const benchmarks: Benchmark[] = [];
  const metrics: Metric[] = [];

  // Core suite, in rounds: every task takes a share of its samples in each round, so a slow
  // spell of the machine (another process, a frequency change) spreads over all tasks instead of
  // shifting one of them — the ratios and the gate's rank tests assume comparable conditions.
  const rounds = Math.max(1, Math.min(o.rounds, o.core.iterations));
  const perRound = Math.ceil(o.core.iterations / rounds);
  const { bench, tasks, placements } = await coreSuite({ ...o.core, iterations: perRound });
  const raw = new Map<string, number[]>();
  for (let round = 1; round <= rounds; round++) {
    bench.reset();
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== "completed" || !tasks.has(task.name)) {
        const why = "error" in r ? `: ${String(r.error)}` : "";
        throw new Error(
          `bench task ${JSON.stringify(task.name)} did not complete (${r.state})${why}`,
        );
      }
      raw.set(task.name, [...(raw.get(task.name) ?? []), ...(r.latency.samples ?? [])]);
    }
    log(`done: core suite, round ${round}/${rounds} (${bench.tasks.length} tasks)`);
  }
  for (const [name, ms] of raw) {
    const spec = tasks.get(name) as CoreTask;
    const positive = ms.filter((x) => x > 0);
    const floor = positive.length > 0 ? Math.min(...positive) : 1e-6;
    const samples = ms.map((x) => (Math.max(x, floor) * 1e6) / spec.perIteration);
    benchmarks.push(
      benchmark({
        name,
        kind: "timing",
        unit: spec.unit,
        biggerIsBetter: false,
        samples,
        labels: { group: spec.group },
      }),
    );
  }
  metrics.push(
    {
      name: "core: placements checked against the reference",
      kind: "deterministic",
      value: placements.pods,
      unit: "pods",
    },
    {
      name: "core: distinct nodes of the checked placements",
      kind: "deterministic",
      value: placements.distinctNodes,
      unit: "nodes",
    },
    {
      name: "core: placement checksum (FNV-1a of node names)",
      kind: "deterministic",
      value: placements.checksum,
      unit: "",
    },
  );

  // SchedulingBasic through the engine.
  const b = o.basic;
  const basic = await benchScenario(
    `SchedulingBasic ${b.nodes} nodes ${b.pods} pods`,
    schedulingBasicInput(b.nodes, b.pods),
    {
      repeat: b.repeat,
      warmup: 1,
    },
  );
  log(`done: SchedulingBasic ${b.nodes} nodes × ${b.pods} pods`);
  benchmarks.push(...basic.benchmarks);
  metrics.push(...basic.metrics);

  // Fixture scenarios.
  if (o.fixtures.length > 0) {
    const { loadScenario } = await import("../../scenario/index.ts");
    const { coreProfile } = await import("../../sim/profile.ts");
    for (const f of o.fixtures) {
      const scenario = await loadScenario(new URL(f.file, root).pathname);
      const make = () => {
        const input = scenario.toSimulationInput();
        return { ...input, profile: coreProfile(input.profile).profile };
      };
      const s = await benchScenario(`scenario ${scenario.name}`, make, {
        repeat: f.repeat,
        warmup: 1,
      });
      log(`done: scenario ${scenario.name}`);
      benchmarks.push(...s.benchmarks);
      metrics.push(...s.metrics);
    }
  }

  // Generators.
  const g = o.generators;
  const gen = await benchGenerators(g.nodes, g.pods, g.iterations);
  log("done: generators");
  benchmarks.push(...gen.benchmarks);
  metrics.push(...gen.metrics);

  return benchResult({
    environment: environment(),
    startedAt,
    quick: o.quick,
    benchmarks,
    metrics,
    ratios: coreRatios(o.core, benchmarks),
  });
}

/** The machine-independent ratios of the core suite (those whose benchmarks ran). */
export function coreRatios(c: CoreSuiteOptions, benchmarks: readonly Benchmark[]): Ratio[] {
  const by = new Map(benchmarks.map((x) => [x.name, x]));
  const out: Ratio[] = [];
  const add = (name: string, num: string, den: string) => {
    const n = by.get(num);
    const d = by.get(den);
    if (n && d) out.push(ratio(name, n, d, false));
  };
  for (const [label, refPods] of [
    [SAMPLED, c.refPodsSampled],
    [FULL_SCAN, c.refPodsFull],
  ] as const) {
    add(
      `wasm core / TS reference, ns per visit, ${label}`,
      CORE_NAMES.wasm(c.pods, label),
      CORE_NAMES.reference(refPods, label),
    );
    add(
      `wasm linear scan / TS reference, ns per visit, ${label}`,
      CORE_NAMES.linear(c.pods, label),
      CORE_NAMES.reference(refPods, label),
    );
  }
  for (const [label, pods, refPods] of [
    [SPREAD, c.spreadPods, c.refSpreadPods],
    [ANTI_AFFINITY, c.antiAffinityPods, c.refAffinityPods],
    [PREFERRED_AFFINITY, c.spreadPods, c.refAffinityPods],
  ] as const) {
    add(
      `wasm core / TS reference, ns per visit, ${label}`,
      CORE_NAMES.wasm(pods, label),
      CORE_NAMES.reference(refPods, label),
    );
  }
  add(
    "wasm linear scan / naive JS scan, ns per visit, all nodes",
    CORE_NAMES.linear(c.pods, FULL_SCAN),
    CORE_NAMES.naive(c.naivePods),
  );
  return out;
}
