/**
 * `gantry perf` through the CLI runner: misc/'s integration-test workload SchedulingBasic/5Nodes
 * end to end (table, --json, the DataItems file), the selection flags, and exit code 2 with the
 * field path on a malformed config.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const MISC = "fixtures/perf/scheduler-perf/misc/performance-config.yaml";

describe("gantry perf", () => {
  it("runs SchedulingBasic/5Nodes and writes upstream's DataItems", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gantry-perf-"));
    try {
      const r = await runCli([
        "perf",
        MISC,
        "--workload",
        "SchedulingBasic/5Nodes",
        "--data-items-dir",
        dir,
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/warning: profile default-scheduler .*: DynamicResources\n/);
      expect(r.stderr).toMatch(/^SchedulingBasic\/5Nodes +10 +[\d,]+ +— +— +15 +0 +[\d.]+s$/m);
      expect(r.stderr).toContain("DataItems written to");
      const file = join(dir, "BenchmarkPerfScheduling_benchmark_misc.json");
      const doc = JSON.parse(await readFile(file, "utf8"));
      expect(Object.keys(doc)).toEqual(["version", "dataItems"]);
      expect(doc.version).toBe("v1");
      expect(doc.dataItems).toHaveLength(1);
      const [item] = doc.dataItems;
      expect(Object.keys(item)).toEqual(["data", "unit", "labels"]);
      expect(Object.keys(item.data)).toEqual(["Average", "Perc50", "Perc90", "Perc95", "Perc99"]);
      expect(item.unit).toBe("pods/s");
      expect(item.labels).toEqual({
        Metric: "SchedulingThroughput",
        Name: "SchedulingBasic/5Nodes/namespace-2",
      });
      expect(item.data.Average).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prints one JSON document with --json", async () => {
    const r = await runCli([
      "perf",
      MISC,
      "--workload",
      "SchedulingBasic/5Nodes,SchedulingWhileGated/1Node_10GatedPods",
      "--json",
      "--seed",
      "4",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      topic: "misc",
      seed: 4,
      horizonSeconds: 30,
      dataItemsFile: null,
      profiles: [{ schedulerName: "default-scheduler", dropped: ["DynamicResources"] }],
    });
    expect(doc.workloads.map((w: { name: string }) => w.name)).toEqual([
      "SchedulingBasic/5Nodes",
      "SchedulingWhileGated/1Node_10GatedPods",
    ]);
    expect(doc.workloads[0]).toMatchObject({
      status: "ran",
      threshold: null,
      ratio: null,
      measured: { created: 10, bound: 10, namespace: "namespace-2" },
      pods: { submitted: 15, scheduled: 15, unschedulable: 0 },
      featureGates: { SchedulerAsyncAPICalls: false },
    });
    // The gated pods are submitted and held at PreEnqueue: pending, never attempted.
    expect(doc.workloads[1]).toMatchObject({ pods: { pending: 10 } });
    expect(doc.dataItems.dataItems).toHaveLength(2);
  });

  it("selects workloads by upstream's label filter", async () => {
    const r = await runCli([
      "perf",
      MISC,
      "--label",
      "integration-test,short",
      "--json",
      "--horizon",
      "2",
    ]);
    expect(r.code).toBe(0);
    const names = JSON.parse(r.stdout).workloads.map((w: { name: string }) => w.name);
    expect(names).toContain("SchedulingDaemonset/5Nodes");
    expect(names).not.toContain("SchedulingBasic/500Nodes");
    expect(names.every((n: string) => !n.includes("5000"))).toBe(true);
  });

  it("lists skipped workloads with their reason", async () => {
    const r = await runCli([
      "perf",
      "fixtures/perf/plan/performance-config.yaml",
      "--workload",
      "PodGroups,Volumes",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^PodGroups\/gang +skipped: op 1 \(createPodGroups\): .*not modelled$/m,
    );
    // Volume workloads run (PersistentVolumes and claims are modelled).
    expect(r.stderr).toMatch(/^Volumes\/pvs +1 /m);
    expect(r.stderr).toContain("1 ran, 1 skipped");
  });

  it("exits 2 on a malformed config, naming the field path", async () => {
    const r = await runCli(["perf", "fixtures/perf/broken/performance-config.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      'error: fixtures/perf/broken/performance-config.yaml: test case Broken: [0].workloadTemplate[0].countParm: unknown field "countParm"',
    );
    expect(r.stderr).toContain(
      '[0].workloadTemplate[1].countParam: "pods" must name a workload parameter as "$name"',
    );
    expect(r.stderr).toContain(
      '[0].workloadTemplate[1].podTemplatePath: "templates/missing.yaml": no such file',
    );
    expect(r.stderr).toContain(
      "[0].workloads[0].params.extra: parameter extra is defined but unused",
    );
  });

  it("exits 2 on usage errors", async () => {
    expect((await runCli(["perf", MISC, "--workload", "NoSuchCase/x"])).stderr).toMatch(
      /error: no workload "NoSuchCase\/x" in .*test cases: SchedulingBasic, /,
    );
    expect((await runCli(["perf", MISC, "--workload", "NoSuchCase/x"])).code).toBe(2);
    expect((await runCli(["perf", MISC, "--seed", "-1"])).code).toBe(2);
    expect((await runCli(["perf", "fixtures/perf/nope.yaml"])).stderr).toContain(
      "error: fixtures/perf/nope.yaml: no such file or directory",
    );
  });
});
