/**
 * The bench result's output formats by name, for `--format` (one file each with `--out`):
 *
 * | name          | what                                                          | file                  |
 * | ------------- | ------------------------------------------------------------- | --------------------- |
 * | `table`       | aligned terminal tables                                       | `bench.txt`           |
 * | `json`        | gantry JSON, `gantry.dev/bench/v1` (what `gantry gate` reads) | `bench.json`          |
 * | `bmf`         | Bencher Metric Format                                         | `bench.bmf.json`      |
 * | `gab-bigger`  | github-action-benchmark `customBiggerIsBetter`                | `bench.gab-bigger.json`  |
 * | `gab-smaller` | github-action-benchmark `customSmallerIsBetter`               | `bench.gab-smaller.json` |
 * | `dataitems`   | scheduler_perf DataItems (perf-dash)                          | `bench.dataitems.json`   |
 * | `junit`       | JUnit XML                                                     | `bench.junit.xml`     |
 */
import type { BenchResult } from "../result.ts";
import { formatBmf } from "./bmf.ts";
import { formatDataItemsOf } from "./dataitems.ts";
import { formatGab } from "./github-action-benchmark.ts";
import { formatJson } from "./json.ts";
import { formatJUnit } from "./junit.ts";
import { formatTable } from "./table.ts";

export interface BenchFormatter {
  /** One line for `--help`. */
  readonly description: string;
  /** File name used when writing into an `--out` directory. */
  readonly fileName: string;
  /** The result as this format's text (ends with a newline). */
  readonly render: (r: BenchResult) => string;
}

export const BENCH_FORMATS = {
  table: {
    description: "aligned terminal tables",
    fileName: "bench.txt",
    render: (r) => formatTable(r),
  },
  json: {
    description: "gantry JSON (gantry.dev/bench/v1), read by gantry gate",
    fileName: "bench.json",
    render: formatJson,
  },
  bmf: {
    description: "Bencher Metric Format (bencher run --adapter json)",
    fileName: "bench.bmf.json",
    render: formatBmf,
  },
  "gab-bigger": {
    description: "github-action-benchmark, tool: customBiggerIsBetter",
    fileName: "bench.gab-bigger.json",
    render: (r) => formatGab(r, "bigger"),
  },
  "gab-smaller": {
    description: "github-action-benchmark, tool: customSmallerIsBetter",
    fileName: "bench.gab-smaller.json",
    render: (r) => formatGab(r, "smaller"),
  },
  dataitems: {
    description: "scheduler_perf DataItems (perf-dash)",
    fileName: "bench.dataitems.json",
    render: formatDataItemsOf,
  },
  junit: {
    description: "JUnit XML, a test case per benchmark",
    fileName: "bench.junit.xml",
    render: formatJUnit,
  },
} as const satisfies Record<string, BenchFormatter>;

export type BenchFormat = keyof typeof BENCH_FORMATS;

/** The format names, in registry order. */
export const BENCH_FORMAT_NAMES = Object.keys(BENCH_FORMATS) as BenchFormat[];

export function isBenchFormat(name: string): name is BenchFormat {
  return Object.hasOwn(BENCH_FORMATS, name);
}

/** `r` in format `format`. */
export function renderBench(r: BenchResult, format: BenchFormat): string {
  return BENCH_FORMATS[format].render(r);
}
