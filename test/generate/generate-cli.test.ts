/**
 * `gantry generate`: the scenario's cluster and workload as Kubernetes YAML that the manifest
 * loader reads back into the same nodes, pods, arrival times and run times.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifests, loadManifestsFromString } from "../../src/manifest/index.ts";
import type { Pod } from "../../src/model/types.ts";
import { loadScenario, scenarioFromManifests } from "../../src/scenario/index.ts";
import { runCli } from "../helpers/cli.ts";
import { normalize } from "./helpers.ts";

/** A pod without what generation changes: its name, uid and gantry's annotations. */
function shape(pod: Pod): unknown {
  const { name: _n, uid: _u, annotations, ...meta } = pod.metadata;
  const own = Object.fromEntries(
    Object.entries(annotations).filter(([k]) => !k.startsWith("gantry.dev/")),
  );
  return normalize({ ...pod, metadata: { ...meta, annotations: own } });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-generate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("gantry generate", () => {
  it("writes one multi-document file that reads back as the same scenario", async () => {
    const out = join(dir, "small.yaml");
    const r = await runCli(["generate", "fixtures/scenarios/small.yaml", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `generated: small (seed 7): 12 nodes, 195 pods (0 bound), 2 other objects → ${out}\n` +
        "note: 2 cluster events are not written: manifests describe the cluster at time 0\n",
    );
    const text = await readFile(out, "utf8");
    expect(
      text.startsWith(
        "# gantry generate fixtures/scenarios/small.yaml: scenario small, seed 7\n---\n",
      ),
    ).toBe(true);

    const original = await loadScenario("fixtures/scenarios/small.yaml");
    const again = await scenarioFromManifests([out]);
    expect(again.warnings).toEqual([]);
    expect(normalize(again.nodes)).toEqual(normalize(original.nodes));
    expect(again.objects.namespaces?.map((n) => n.metadata.name)).toEqual(["shop"]);
    expect(again.objects.kept?.map((o) => o.metadata.name)).toEqual(["web-critical"]);

    const want = [...original.arrivals()];
    const got = [...again.arrivals()];
    expect(got).toHaveLength(want.length);
    got.forEach((a, i) => {
      const b = want[i]!;
      expect(Math.abs(a.time - b.time)).toBeLessThanOrEqual(1e-9);
      if (Number.isFinite(b.duration))
        expect(Math.abs(a.duration - b.duration)).toBeLessThanOrEqual(1e-9);
      else expect(a.duration).toBe(b.duration);
      expect(shape(a.template)).toEqual(shape(b.template));
    });
    // Names: <template>-<n>, n per template name.
    expect(got.slice(0, 3).map((a) => a.name)).toEqual(["web-0-0", "web-2-0", "web-1-0"]);
    expect(
      got
        .filter((a) => a.template.metadata.labels["app"] === "web-1")
        .map((a) => a.name)
        .slice(0, 2),
    ).toEqual(["web-1-0", "web-1-1"]);
  });

  it("writes one file per kind into a directory, with synthesized classes and file templates", async () => {
    const out = join(dir, "gpu/");
    const r = await runCli(["generate", "fixtures/scenarios/gpu.yaml", "-o", out, "--kwok"]);
    expect(r.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      "nodes.yaml",
      "pods.yaml",
      "priorityclasses.yaml",
    ]);
    const loaded = await loadManifests([out]);
    expect(loaded.nodes).toHaveLength(14);
    expect(loaded.nodes.every((n) => n.metadata.annotations["kwok.x-k8s.io/node"] === "fake")).toBe(
      true,
    );
    expect(loaded.kept.map((o) => o.metadata.name)).toEqual(["training", "gantry-priority-100"]);
    expect(loaded.pods).toHaveLength(76);
    expect(
      loaded.pods.filter((p) => p.metadata.name.startsWith("train-large-")).length,
    ).toBeGreaterThan(0);
    const notebook = loaded.pods.find((p) => p.metadata.name === "notebook-0")!;
    expect(notebook.spec.priority).toBe(100);
  });

  it("stops after --limit arriving pods, and writes to stdout with -o -", async () => {
    const r = await runCli([
      "generate",
      "fixtures/scenarios/gpu.yaml",
      "--limit",
      "5",
      "--seed",
      "3",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "generated: gpu (seed 3): 14 nodes, 5 pods (0 bound), 2 other objects → stdout",
    );
    const loaded = loadManifestsFromString(r.stdout, "out.yaml");
    expect(loaded.pods).toHaveLength(5);
    expect(loaded.nodes).toHaveLength(14);
  });

  it("writes implied namespaces before the pods that use them", async () => {
    const scenario = join(dir, "ns.yaml");
    await writeFile(
      scenario,
      `apiVersion: gantry.dev/v1alpha1
kind: Scenario
metadata: {name: ns}
cluster:
  pools: [{name: w, count: 1, instanceType: m5.large}]
workload:
  streams:
    - name: a
      count: 2
      namespace: team
      template: {metadata: {name: a}, spec: {containers: [{name: c, image: i}]}}
    - name: b
      count: 1
      namespace: kube-system
      template: {metadata: {name: b}, spec: {containers: [{name: c, image: i}]}}
`,
    );
    const r = await runCli(["generate", scenario]);
    expect(r.code).toBe(0);
    const docs = r.stdout.split("\n---\n").map((d) => /^kind: (\w+)/m.exec(d)?.[1]);
    expect(docs).toEqual([undefined, "Namespace", "Node", "Pod", "Pod", "Pod"]);
    const loaded = loadManifestsFromString(r.stdout, "out.yaml");
    expect(loaded.namespaces.map((n) => n.metadata.name)).toEqual(["team"]);
  });

  it("exits 2 on input and usage errors, with nothing on stdout", async () => {
    const missing = await runCli(["generate", "nope.yaml"]);
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: nope.yaml: no such file or directory\n",
    });
    const limit = await runCli(["generate", "fixtures/scenarios/small.yaml", "--limit", "many"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toBe(
      `error: --limit: "many" is not an integer between 0 and ${Number.MAX_SAFE_INTEGER}\n`,
    );
    const invalid = await runCli(["generate", "fixtures/explain/pods/web.yaml"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe("");
    expect(invalid.stderr).toBe(
      'error: fixtures/explain/pods/web.yaml: apiVersion: "v1" is not one of gantry.dev/v1alpha1\n' +
        'error: fixtures/explain/pods/web.yaml: kind: "Pod" is not Scenario (for plain Kubernetes manifests, pass the files themselves)\n',
    );
  });
});
