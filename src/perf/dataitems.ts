/**
 * scheduler_perf's result format, the `DataItems` document perf-dash reads
 * (`test/integration/scheduler_perf/util.go`: `DataItem`, `DataItems`, `dataItems2JSONFile`,
 * `throughputCollector.collect`, `applyThreshold`):
 *
 *     {"version": "v1", "dataItems": [{"data": {"Average": …, "Perc50": …, "Perc90": …,
 *       "Perc95": …, "Perc99": …}, "unit": "pods/s",
 *       "labels": {"Metric": "SchedulingThroughput", "Name": "<TestCase>/<Workload>/<namespace>"}}]}
 *
 * - `Name` is upstream's: the workload's test name without the `BenchmarkPerfScheduling/` prefix,
 *   then the measured op's namespace (`startCollectingMetrics(…, namespace, …)`), e.g.
 *   `SchedulingBasic/5000Nodes_50000Pods/namespace-2`.
 * - When the workload has a threshold for this metric, `applyThreshold` adds
 *   `<dataBucket>Threshold` (`AverageThreshold`) to `data`, as upstream does.
 * - Go marshals map keys sorted, so `data` and `labels` keys are written in sorted order; the
 *   file is indented with two spaces (`json.Indent(…, "", "  ")`).
 *
 * **How gantry's numbers differ from upstream's.** Upstream samples the number of scheduled
 * pods once a second (`throughputSampleInterval`) while the measured op runs; each sample is
 * pods/s over that second, `Average` is the mean of the samples and the percentiles are
 * nearest-rank over the sorted samples. gantry's measured phase is usually far shorter than a
 * second, so the engine (`RunResult.measured`) samples per window of 1,000 measured bindings
 * instead (wall-clock rate over each window), and `Average` is the overall rate: measured
 * bindings over the wall-clock time from the first measured pod's creation to the last one's
 * binding. The percentiles are nearest-rank over the window samples, like upstream's; with fewer
 * than 1,000 measured bindings there is no window sample, and the percentiles equal `Average`.
 *
 * File name: upstream writes `BenchmarkPerfScheduling_benchmark_<topic>_<UTC time>.json`
 * (topic = the config's directory, e.g. `misc`); gantry writes
 * `BenchmarkPerfScheduling_benchmark_<topic>.json` — without the time stamp, so a rerun
 * replaces its file and CI finds it under a fixed name.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../sim/metrics.ts";
import type { ThresholdMetricSelector } from "./config.ts";

export interface DataItem {
  readonly data: Readonly<Record<string, number>>;
  readonly unit: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DataItems {
  readonly version: "v1";
  readonly dataItems: readonly DataItem[];
}

/** The metric gantry produces. */
export const THROUGHPUT_METRIC = "SchedulingThroughput";

/** Nearest-rank percentile over sorted values, as upstream indexes them. */
export function nearestRank(sorted: readonly number[], p: number): number {
  const i = Math.ceil((sorted.length * p) / 100) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, i))] as number;
}

/** Sorts an object's keys (Go's map marshalling order). */
function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] as T;
  return out;
}

/**
 * The SchedulingThroughput item of one run; undefined when no measured pod was bound (upstream
 * then has no data either).
 */
export function throughputDataItem(
  name: string,
  measured: RunResult["measured"],
  threshold: number,
  selector: ThresholdMetricSelector,
): DataItem | undefined {
  if (measured.pods === 0 || !(measured.podsPerSecond > 0)) return undefined;
  const samples = [...(measured.samples.length > 0 ? measured.samples : [measured.podsPerSecond])];
  samples.sort((a, b) => a - b);
  const data: Record<string, number> = {
    Average: measured.podsPerSecond,
    Perc50: nearestRank(samples, 50),
    Perc90: nearestRank(samples, 90),
    Perc95: nearestRank(samples, 95),
    Perc99: nearestRank(samples, 99),
  };
  const labels: Record<string, string> = { Metric: THROUGHPUT_METRIC, Name: name };
  const labelsMatch = Object.entries(selector.labels).every(([k, v]) => labels[k] === v);
  if (threshold > 0 && selector.name === THROUGHPUT_METRIC && labelsMatch) {
    if (selector.dataBucket in data) data[`${selector.dataBucket}Threshold`] = threshold;
  }
  return { data: sortedRecord(data), unit: "pods/s", labels: sortedRecord(labels) };
}

/** The DataItems file name for `topic`. */
export function dataItemsFileName(topic: string): string {
  return `BenchmarkPerfScheduling_benchmark_${topic.replaceAll("/", "_")}.json`;
}

/** Serializes like upstream (two-space indentation, trailing newline). */
export function formatDataItems(items: DataItems): string {
  return `${JSON.stringify(items, null, 2)}\n`;
}

/** Writes `items` into `dir` (created if missing); returns the file's path. */
export async function writeDataItems(
  dir: string,
  topic: string,
  items: DataItems,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, dataItemsFileName(topic));
  await writeFile(file, formatDataItems(items));
  return file;
}
