/**
 * The DataItems document exactly as upstream writes it: keys, their order, the unit and labels,
 * nearest-rank percentiles over the engine's window samples, AverageThreshold, the file name.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLD_METRIC } from "../../src/perf/config.ts";
import {
  dataItemsFileName,
  formatDataItems,
  nearestRank,
  throughputDataItem,
} from "../../src/perf/dataitems.ts";

const measured = (podsPerSecond: number, samples: number[], pods = 5000) => ({
  pods,
  wallSeconds: pods / podsPerSecond,
  podsPerSecond,
  window: 1000,
  samples,
});

describe("DataItems", () => {
  it("has upstream's shape: data buckets, unit, Metric and Name labels, in Go's key order", () => {
    const item = throughputDataItem(
      "SchedulingBasic/5000Nodes/namespace-2",
      measured(1000, [900, 1200, 800, 1100, 1000]),
      0,
      DEFAULT_THRESHOLD_METRIC,
    );
    expect(item).toEqual({
      data: { Average: 1000, Perc50: 1000, Perc90: 1200, Perc95: 1200, Perc99: 1200 },
      unit: "pods/s",
      labels: { Metric: "SchedulingThroughput", Name: "SchedulingBasic/5000Nodes/namespace-2" },
    });
    expect(Object.keys(item!)).toEqual(["data", "unit", "labels"]);
    expect(Object.keys(item!.data)).toEqual(["Average", "Perc50", "Perc90", "Perc95", "Perc99"]);
    expect(Object.keys(item!.labels)).toEqual(["Metric", "Name"]);
  });

  it("adds AverageThreshold when the workload has a threshold, as applyThreshold does", () => {
    const item = throughputDataItem(
      "T/W/ns",
      measured(2000, [2000]),
      790,
      DEFAULT_THRESHOLD_METRIC,
    );
    expect(Object.keys(item!.data)).toEqual([
      "Average",
      "AverageThreshold",
      "Perc50",
      "Perc90",
      "Perc95",
      "Perc99",
    ]);
    expect(item!.data["AverageThreshold"]).toBe(790);
    const other = throughputDataItem("T/W/ns", measured(2000, [2000]), 790, {
      ...DEFAULT_THRESHOLD_METRIC,
      name: "scheduler_pod_scheduling_sli_duration_seconds",
    });
    expect(other!.data).not.toHaveProperty("AverageThreshold");
  });

  it("falls back to the overall rate when no window of measured bindings completed", () => {
    const item = throughputDataItem("T/W/ns", measured(12345, [], 10), 0, DEFAULT_THRESHOLD_METRIC);
    expect(item!.data).toEqual({
      Average: 12345,
      Perc50: 12345,
      Perc90: 12345,
      Perc95: 12345,
      Perc99: 12345,
    });
    expect(
      throughputDataItem("T/W/ns", measured(0, [], 0), 0, DEFAULT_THRESHOLD_METRIC),
    ).toBeUndefined();
  });

  it("indexes percentiles like upstream: sorted[ceil(n·p/100) − 1]", () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(sorted, 50)).toBe(10);
    expect(nearestRank(sorted, 90)).toBe(18);
    expect(nearestRank(sorted, 95)).toBe(19);
    expect(nearestRank(sorted, 99)).toBe(20);
    expect(nearestRank([7], 50)).toBe(7);
  });

  it("is written indented, under a fixed name per topic", () => {
    expect(dataItemsFileName("misc")).toBe("BenchmarkPerfScheduling_benchmark_misc.json");
    const text = formatDataItems({ version: "v1", dataItems: [] });
    expect(text).toBe('{\n  "version": "v1",\n  "dataItems": []\n}\n');
  });
});
