/**
 * `gantry compare`: output identical for any worker count (wall clock aside), the statistics
 * helpers on hand-checked numbers, policy and seed input errors (exit 2), and a failing run that
 * fails alone while the others are reported.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSeeds } from "../../src/cli/commands/compare.ts";
import { runTasks } from "../../src/compare/pool.ts";
import {
  bestPolicies,
  buildReport,
  type CompareReport,
  renderCompareTable,
} from "../../src/compare/report.ts";
import { mean, median, sd, stats } from "../../src/compare/stats.ts";
import type { CompareTask } from "../../src/compare/task.ts";
import { runCli } from "../helpers/cli.ts";

const SMALL = "fixtures/scenarios/small.yaml";
const plain = {
  bold: (s: string) => s,
  dim: (s: string) => s,
  green: (s: string) => s,
  red: (s: string) => s,
};

/** The report without its wall-clock key, as text. */
function comparable(stdout: string): string {
  const { wallClock: _w, ...rest } = JSON.parse(stdout) as CompareReport;
  return JSON.stringify(rest);
}

describe("statistics helpers", () => {
  it("mean, sample sd and median on hand-checked numbers", () => {
    // 2 4 4 4 5 5 7 9: mean 5, squared deviations sum 32, sample variance 32/7.
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(median(xs)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(stats([7])).toEqual({ mean: 7, sd: 0, median: 7 });
    expect(sd([1, 3])).toBeCloseTo(Math.SQRT2, 12);
    expect(mean([])).toBeNaN();
  });

  it("parses --seeds forms", () => {
    expect(parseSeeds("3")).toEqual([3]);
    expect(parseSeeds("1-4")).toEqual([1, 2, 3, 4]);
    expect(parseSeeds("5,2,9")).toEqual([5, 2, 9]);
    expect(() => parseSeeds("4-1")).toThrow(/--seeds/);
    expect(() => parseSeeds("a")).toThrow(/--seeds/);
  });
});

describe("gantry compare", () => {
  it("gives byte-identical --json for 0, 1 and 2 workers (wallClock aside)", async () => {
    const args = ["compare", SMALL, "--policies", "default,most-allocated", "--seeds", "1-3"];
    const outs = [];
    for (const w of ["0", "1", "2"]) {
      const r = await runCli([...args, "--end", "2m", "--json", "--workers", w]);
      expect(r.code, r.stderr).toBe(0);
      outs.push(comparable(r.stdout));
    }
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
    const report = JSON.parse(outs[0] as string) as Omit<CompareReport, "wallClock">;
    expect(report).toMatchObject({ schemaVersion: 1, scenario: "small", seeds: [1, 2, 3] });
    expect(Object.keys(report.policies)).toEqual(["default", "most-allocated"]);
    const runs = report.policies.default!.runs as { seed: number; simulatedSeconds: number }[];
    expect(runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(runs.every((r) => r.simulatedSeconds === 120)).toBe(true);
    expect(JSON.stringify(runs)).not.toMatch(/wallSeconds|podsPerSecond|eventsPerSecond/);
    const sched = report.policies.default!.summary.scheduled!;
    const values = (report.policies.default!.runs as { pods: { scheduled: number } }[]).map(
      (r) => r.pods.scheduled,
    );
    expect(sched).toEqual(stats(values));
    expect(report.metrics).toMatchObject({ scheduled: "higher", latencyP99: "lower" });
  });

  it("prints a table on stderr with directions and the best marked", async () => {
    const r = await runCli([
      "compare",
      SMALL,
      "--policies",
      "default,most-allocated",
      "--seeds",
      "1,2",
      "--end",
      "2m",
      "--workers",
      "0",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/metric\s+better\s+default\s+most-allocated/);
    expect(r.stderr).toMatch(/latency p99\s+lower/);
    expect(r.stderr).toMatch(/nodes used \(max\)\s+lower/);
    expect(r.stderr).toContain("*");
  });

  it("accepts a KubeSchedulerConfiguration file as a policy (its first profile)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gantry-compare-"));
    const file = join(dir, "packing.yaml");
    await writeFile(
      file,
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n" +
        "profiles:\n  - schedulerName: default-scheduler\n    pluginConfig:\n" +
        "      - name: NodeResourcesFit\n        args:\n          scoringStrategy:\n" +
        "            type: MostAllocated\n",
    );
    const a = await runCli([
      "compare",
      SMALL,
      "--policies",
      `most-allocated,${file}`,
      "--end",
      "2m",
      "--workers",
      "0",
      "--json",
    ]);
    expect(a.code, a.stderr).toBe(0);
    const rep = JSON.parse(a.stdout) as CompareReport;
    // Same configuration, same runs.
    expect(JSON.stringify(rep.policies[file]!.runs)).toBe(
      JSON.stringify(rep.policies["most-allocated"]!.runs),
    );
  });

  it("rejects an unknown policy with exit 2, listing the known ones", async () => {
    const r = await runCli(["compare", SMALL, "--policies", "default,spread-evenly"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown policy "spread-evenly"');
    expect(r.stderr).toContain("default, most-allocated");
  });

  it("rejects bad seeds, workers and an invalid policy file with exit 2", async () => {
    expect((await runCli(["compare", SMALL, "--policies", "default", "--seeds", "9-2"])).code).toBe(
      2,
    );
    expect((await runCli(["compare", SMALL, "--policies", "default", "--workers", "x"])).code).toBe(
      2,
    );
    const dir = await mkdtemp(join(tmpdir(), "gantry-compare-"));
    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: 3\n",
    );
    const r = await runCli(["compare", SMALL, "--policies", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
  });

  it("a run that throws in a worker fails alone; the others finish and are reported", async () => {
    const policy = { kind: "builtin", name: "default" } as const;
    const base = { scenario: SMALL, policy, endTime: 60 };
    const tasks: CompareTask[] = [
      { ...base, seed: 1 },
      { ...base, seed: 2, failForTest: "injected crash" },
      { ...base, seed: 3 },
      // A genuine failure inside the worker: the scenario cannot be loaded there.
      { ...base, seed: 4, scenario: "fixtures/scenarios/does-not-exist.yaml" },
    ];
    for (const workers of [0, 2]) {
      const outcomes = await runTasks(tasks, { workers });
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
      const report = buildReport({
        scenario: "small",
        seeds: [1, 2, 3, 4],
        policies: ["default"],
        outcomes,
        workers,
        totalSeconds: 0,
      });
      expect(report.failures.map((f) => [f.seed, f.error])).toEqual([
        [2, "injected crash"],
        [4, expect.stringContaining("does-not-exist.yaml")],
      ]);
      expect(report.policies.default!.runs[1]).toEqual({ seed: 2, error: "injected crash" });
      expect(report.policies.default!.summary.scheduled).toBeDefined();
      expect(bestPolicies(report).scheduled).toEqual(["default"]);
      const table = renderCompareTable(report, plain);
      expect(table).toContain("failed runs: 2");
      expect(table).toContain("default seed 2: injected crash");
    }
  });
});
