/**
 * `gantry run`: a scenario file and plain manifests through the CLI — the `--json` result's
 * shape and invariants, the summary on stderr, `--seed` and `--end`, repeatability, and input
 * errors (exit 2, file and field path).
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/sim/metrics.ts";
import { runCli } from "../helpers/cli.ts";

const SMALL = "fixtures/scenarios/small.yaml";

const deterministic = (r: RunResult) => ({
  ...r,
  wallSeconds: 0,
  podsPerSecond: 0,
  eventsPerSecond: 0,
  measured: { ...r.measured, wallSeconds: 0, podsPerSecond: 0, samples: [] },
});

describe("gantry run", () => {
  it("runs a scenario file: --json on stdout with every field the result promises", async () => {
    const r = await runCli(["run", SMALL, "--json"]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as RunResult;
    expect(res).toMatchObject({ schemaVersion: 1, scenario: "small", seed: 7 });
    const p = res.pods;
    expect(p.completed + p.preempted + p.evicted + p.running + p.unschedulable + p.pending).toBe(
      p.submitted,
    );
    expect(p.scheduled).toBeGreaterThan(0);
    expect(res.simulatedSeconds).toBe(300);
    expect(Object.keys(res.latency).sort()).toEqual(["count", "max", "mean", "p50", "p90", "p99"]);
    for (const k of ["cpu", "memory", "pods"]) {
      expect(res.allocation.final[k]).toBeGreaterThanOrEqual(0);
      expect(res.allocation.final[k]).toBeLessThanOrEqual(1);
    }
    expect(res.nodesUsed.max).toBeLessThanOrEqual(12);
    // The volume plugins and DynamicResources are named, not silently dropped.
    expect(r.stderr).toContain("not run (not built yet): DynamicResources");
  });

  it("prints a summary on stderr without --json, and repeats exactly for the same seed", async () => {
    const a = await runCli(["run", SMALL]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe("");
    expect(a.stderr).toMatch(/scenario\s+small \(seed 7/);
    expect(a.stderr).toMatch(/latency\s+p50/);
    const x = JSON.parse((await runCli(["run", SMALL, "--json"])).stdout) as RunResult;
    const y = JSON.parse((await runCli(["run", SMALL, "--json"])).stdout) as RunResult;
    expect(deterministic(x)).toEqual(deterministic(y));
    const z = JSON.parse((await runCli(["run", SMALL, "--json", "--seed", "8"])).stdout);
    expect(z.seed).toBe(8);
    const early = JSON.parse((await runCli(["run", SMALL, "--json", "--end", "1m"])).stdout);
    expect(early.simulatedSeconds).toBe(60);
  });

  it("runs plain manifests: Nodes are the cluster, Pods the workload (durations from the annotation)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gantry-run-"));
    const file = join(dir, "cluster.yaml");
    const node = (name: string) => `apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}
status: {allocatable: {cpu: "2", memory: 4Gi, pods: "10"}}
`;
    const pod = (name: string, cpu: string, duration: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, annotations: {gantry.dev/duration: ${duration}}}
spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: ${cpu}}}}]}
`;
    await writeFile(
      file,
      [
        node("n0"),
        node("n1"),
        pod("a", "1500m", "10s"),
        pod("b", "1500m", "10s"),
        pod("c", "1500m", "5s"),
      ].join("---\n"),
    );
    const r = await runCli(["run", file, "--json", "--out", dir]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as RunResult;
    // Two fit at 0; the third waits until the first completion at 10 s.
    expect(res.pods).toMatchObject({ submitted: 3, scheduled: 3, completed: 3 });
    expect(res.latency.max).toBe(10);
    expect(res.simulatedSeconds).toBe(15);
    expect(JSON.parse(await readFile(join(dir, "result.json"), "utf8"))).toEqual(res);
  });

  it("simulates the workload controllers of plain manifests", async () => {
    // fixtures/cluster: 9 Pods (one gated) and a 3-replica Deployment.
    const r = await runCli(["run", "fixtures/cluster", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("not simulated");
    expect(r.stderr).not.toContain("warning: warning:");
    const res = JSON.parse(r.stdout) as RunResult;
    expect(res.pods.submitted).toBe(12);
    expect(res.admission).toEqual({ rejected: 0, byReason: {} });
  });

  it("issue 8's acceptance run: 13 pods scheduled, quota rejections reported", async () => {
    const json = await runCli(["run", "fixtures/manifests/control-plane", "--json"]);
    expect(json.code).toBe(0);
    const res = JSON.parse(json.stdout) as RunResult;
    expect(res.pods.scheduled).toBe(13);
    expect(Object.keys(res.admission.byReason)).toEqual(["exceeded quota: pods"]);
    const text = await runCli(["run", "fixtures/manifests/control-plane"]);
    expect(text.stderr).toMatch(/admission +\d+ rejected: \d+ × exceeded quota: pods/);
    expect(text.stderr).toMatch(/warning events +\d+ FailedCreate/);
  });

  it("rejects bad input with exit 2 and the file and field path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gantry-run-"));
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      `apiVersion: gantry.dev/v1alpha1
kind: Scenario
metadata: {name: bad}
cluster: {pools: [{name: p, count: -1}]}
simulation: {seed: 1, endTme: 5m}
`,
    );
    const r = await runCli(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml");
    expect(r.stderr).toContain("cluster.pools[0].count");
    expect(r.stderr).toContain("simulation.endTme");
    expect((await runCli(["run", SMALL, "--seed", "x"])).code).toBe(2);
    expect((await runCli(["run", SMALL, "--end", "soon"])).code).toBe(2);
  });
});
