/** Synthetic bench results for the format and gate tests. */
import {
  type BenchEnvironment,
  type Benchmark,
  type BenchResult,
  benchmark,
  benchResult,
  type Metric,
  ratio,
} from "../../src/benchmark/result.ts";
import { Random } from "../../src/generate/random.ts";

export const ENV: BenchEnvironment = {
  node: "v20.19.0",
  platform: "linux",
  arch: "x64",
  cpu: "Test CPU @ 2.00GHz",
  cores: 2,
  memoryGiB: 8,
};

/** `n` samples around `center`, multiplicative Gaussian noise of relative sd `noise`. */
export function noisy(seed: number, n: number, center: number, noise: number): number[] {
  const rng = new Random(seed, 7);
  const out: number[] = [];
  while (out.length < n) {
    // Box–Muller.
    const u = 1 - rng.nextDouble();
    const v = rng.nextDouble();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    out.push(center * Math.max(0.5, 1 + noise * z));
  }
  return out;
}

export interface SyntheticOptions {
  readonly seed: number;
  /** Multiplies every timing sample (1.2 = 20 % slower). */
  readonly slowdown?: number;
  readonly noise?: number;
  readonly n?: number;
  readonly metrics?: readonly Metric[];
  readonly startedAt?: string;
  readonly environment?: BenchEnvironment;
}

export const DEFAULT_METRICS: readonly Metric[] = [
  {
    name: "showcase: pods scheduled",
    kind: "deterministic",
    value: 99812,
    unit: "pods",
    biggerIsBetter: true,
  },
  {
    name: "showcase: nodes used",
    kind: "deterministic",
    value: 4210,
    unit: "nodes",
    biggerIsBetter: false,
  },
  { name: "showcase: cpu allocation", kind: "deterministic", value: 0.7134, unit: "fraction" },
];

/**
 * A result with a timing benchmark (ms, smaller is better), a reference timing, a scenario
 * benchmark (pods/s, bigger is better), deterministic metrics and a ratio.
 */
export function synthetic(o: SyntheticOptions): BenchResult {
  const slow = o.slowdown ?? 1;
  const noise = o.noise ?? 0.02;
  const n = o.n ?? 60;
  const benchmarks: Benchmark[] = [
    benchmark({
      name: "wasm: 5000 nodes",
      kind: "timing",
      unit: "ms",
      biggerIsBetter: false,
      samples: noisy(o.seed, n, 10 * slow, noise),
    }),
    benchmark({
      name: "reference: 5000 nodes",
      kind: "timing",
      unit: "ms",
      biggerIsBetter: false,
      samples: noisy(o.seed + 1000, n, 300 * slow, noise),
    }),
    benchmark({
      name: "showcase",
      kind: "scenario",
      unit: "pods/s",
      biggerIsBetter: true,
      samples: noisy(o.seed + 2000, 10, 20000 / slow, noise),
      labels: { Metric: "SchedulingThroughput" },
    }),
  ];
  return benchResult({
    environment: o.environment ?? ENV,
    startedAt: o.startedAt ?? "2025-01-31T12:00:00.000Z",
    quick: true,
    benchmarks,
    metrics: o.metrics ?? DEFAULT_METRICS,
    ratios: [
      ratio("wasm/reference time", benchmarks[0] as Benchmark, benchmarks[1] as Benchmark, false),
    ],
  });
}
