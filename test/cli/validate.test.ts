import { describe, expect, it } from "vitest";
import { formatBytes, formatMilliCPU, formatResource } from "../../src/report/format.ts";
import { runCli } from "../helpers/cli.ts";

describe("gantry validate", () => {
  it("summarizes the bundled cluster on stderr and exits 0", async () => {
    const r = await runCli(["validate", "fixtures/cluster"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("valid: fixtures/cluster — 29 objects");
    expect(r.stderr).toMatch(/Node\s+13/);
    expect(r.stderr).toMatch(/Pod\s+9/);
    expect(r.stderr).toContain("nodes 13, 1 unschedulable; allocatable: cpu 109080m,");
    expect(r.stderr).toContain("pods 9 (3 bound); requests: cpu 8010m,");
    expect(r.stderr).toContain(
      "warning: fixtures/cluster/workloads.yaml: doc 13 (ConfigMap web/web-config): kind ConfigMap is not modelled; skipped",
    );
  });

  it("prints the summary as JSON on stdout with --json", async () => {
    const r = await runCli(["validate", "fixtures/cluster", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.valid).toBe(true);
    expect(doc.objects).toEqual({
      Deployment: 1,
      Namespace: 4,
      Node: 13,
      Pod: 9,
      PriorityClass: 2,
    });
    expect(doc.nodes.count).toBe(13);
    expect(doc.nodes.allocatable.cpu).toBe(109080);
    expect(doc.nodes.allocatable["nvidia.com/gpu"]).toBe(5);
    expect(doc.pods).toMatchObject({ count: 9, bound: 3 });
    expect(doc.pods.requests.cpu).toBe(8010);
    expect(doc.diagnostics).toHaveLength(1);
    expect(doc.diagnostics[0].severity).toBe("warning");
  });

  it("reports a bad quantity with file, document, object and path, exit 2, no stack", async () => {
    const r = await runCli(["validate", "fixtures/broken/bad-quantity.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: fixtures/broken/bad-quantity.yaml: doc 3 (Pod default/web-1): spec.containers[0].resources.requests.cpu: "1.5q" is not a valid quantity',
    );
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("reports every error of every file as JSON with --json", async () => {
    const r = await runCli([
      "validate",
      "fixtures/broken/bad-quantity.yaml",
      "fixtures/broken/bad-tolerations.yaml",
      "--json",
    ]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    const files = new Set(doc.diagnostics.map((d: { file: string }) => d.file));
    expect(files).toEqual(
      new Set(["fixtures/broken/bad-quantity.yaml", "fixtures/broken/bad-tolerations.yaml"]),
    );
    expect(doc.diagnostics.length).toBeGreaterThan(2);
  });

  it("reads stdin for -", async () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Node",
      "metadata: {name: n1}",
      "status: {allocatable: {cpu: '2', memory: 4Gi, pods: '10'}}",
    ].join("\n");
    const r = await runCli(["validate", "-", "--json"], yaml);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.nodes.allocatable).toEqual({ cpu: 2000, memory: 4294967296, pods: 10 });
  });

  it("exits 2 for a missing file", async () => {
    const r = await runCli(["validate", "does/not/exist.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does/not/exist.yaml");
  });
});

describe("resource formatting", () => {
  it.each([
    [0, "0"],
    [4000, "4"],
    [1500, "1500m"],
    [100, "100m"],
  ])("formatMilliCPU(%d) = %s", (m, want) => expect(formatMilliCPU(m)).toBe(want));

  it.each([
    [0, "0"],
    [512, "512"],
    [1024, "1Ki"],
    [32 * 2 ** 30, "32Gi"],
    [1536 * 2 ** 20, "1536Mi"],
    [445150597120, "~414.58Gi"],
    [1000, "1000"],
  ])("formatBytes(%d) = %s", (b, want) => expect(formatBytes(b)).toBe(want));

  it("formats by resource name", () => {
    expect(formatResource("cpu", 250)).toBe("250m");
    expect(formatResource("memory", 2 ** 30)).toBe("1Gi");
    expect(formatResource("hugepages-2Mi", 2 ** 21)).toBe("2Mi");
    expect(formatResource("nvidia.com/gpu", 3)).toBe("3");
  });
});
