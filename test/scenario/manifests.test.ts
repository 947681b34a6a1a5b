/**
 * Plain Kubernetes manifests as a scenario: Nodes the cluster, bound Pods the state at time 0,
 * the other Pods arriving at their `gantry.dev/arrival`, run times from `gantry.dev/duration`,
 * everything else passed through; the default profile; seed 0 unless given.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic, InputError } from "../../src/diagnostics.ts";
import { scenarioFromManifests } from "../../src/scenario/index.ts";

const pod = (name: string, annotations: Record<string, string>, extra = "") => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
${extra}  containers: [{name: app, image: nginx}]
`;

describe("scenarioFromManifests", () => {
  it("takes the bundled cluster as it is", async () => {
    const s = await scenarioFromManifests(["fixtures/cluster"]);
    expect(s.name).toBe("cluster");
    expect(s.seed).toBe(0);
    expect(s.nodes).toHaveLength(13);
    expect(s.boundPods.map((p) => p.name)).toHaveLength(3);
    expect(s.boundPods.every((p) => p.time === 0 && p.duration === Number.POSITIVE_INFINITY)).toBe(
      true,
    );
    expect(s.pods).toHaveLength(6);
    expect(s.pods.every((p) => p.time === 0 && p.name === p.template.metadata.name)).toBe(true);
    expect(s.objects.namespaces).toHaveLength(4);
    expect(s.objects.kept?.map((o) => o.kind).sort()).toEqual([
      "Deployment",
      "PriorityClass",
      "PriorityClass",
    ]);
    expect(s.profile.schedulerName).toBe("default-scheduler");
    expect(s.events).toEqual([]);
    expect(s.spec.cluster.files).toEqual(["fixtures/cluster"]);
    const input = s.toSimulationInput();
    expect(input.seed).toBe(0);
    expect([...input.arrivals]).toEqual(s.pods);
    expect((await scenarioFromManifests(["fixtures/cluster"], { seed: 5 })).seed).toBe(5);
  });

  describe("annotations", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "gantry-manifests-"));
      await writeFile(
        join(dir, "cluster.yaml"),
        `apiVersion: v1
kind: Node
metadata: {name: n1}
status: {allocatable: {cpu: "4", memory: 8Gi, pods: "20"}}
${pod("late", { "gantry.dev/arrival": "1m30s", "gantry.dev/duration": "10m" })}${pod("early", {
  "gantry.dev/arrival": "5s",
})}${pod("first", {})}${pod("also-early", { "gantry.dev/arrival": "5s" })}${pod(
  "running",
  { "gantry.dev/duration": "1h" },
  "  nodeName: n1\n",
)}${pod("done", {}, "  nodeName: n1\n")}
status: {phase: Succeeded}
`,
      );
      await writeFile(
        join(dir, "bad.yaml"),
        `apiVersion: v1
kind: Node
metadata: {name: n1}
${pod("x", { "gantry.dev/arrival": "-5s", "gantry.dev/duration": "forever" })}${pod("p2", {}, "  nodeName: n9\n")}`,
      );
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("order arrivals by time (ties in input order) and give run times", async () => {
      const s = await scenarioFromManifests([join(dir, "cluster.yaml")], { name: "t" });
      expect(s.name).toBe("t");
      expect(s.pods.map((p) => [p.name, p.time, p.duration])).toEqual([
        ["first", 0, Number.POSITIVE_INFINITY],
        ["early", 5, Number.POSITIVE_INFINITY],
        ["also-early", 5, Number.POSITIVE_INFINITY],
        ["late", 90, 600],
      ]);
      expect(s.boundPods.map((p) => [p.name, p.time, p.duration])).toEqual([["running", 0, 3600]]);
      expect(s.warnings.map(formatDiagnostic)).toEqual([
        `warning: ${dir}/cluster.yaml: doc 7 (Pod default/done): terminated pod (status.phase Succeeded or Failed) skipped`,
      ]);
    });

    it("report malformed annotations and pods bound to missing nodes", async () => {
      const errors = await scenarioFromManifests([join(dir, "bad.yaml")]).then(
        () => [],
        (e: unknown) =>
          e instanceof InputError ? e.diagnostics.map(formatDiagnostic) : [String(e)],
      );
      expect(errors).toEqual([
        `${dir}/bad.yaml: doc 2 (Pod default/x): metadata.annotations[gantry.dev/duration]: "forever" is not a valid duration (a non-negative Go duration such as "90s" or "1h30m", or never)`,
        `${dir}/bad.yaml: doc 2 (Pod default/x): metadata.annotations[gantry.dev/arrival]: "-5s" is not a valid arrival time (a non-negative Go duration from the start, such as "90s" or "1h30m")`,
        `${dir}/bad.yaml: doc 3 (Pod default/p2): spec.nodeName: no node named "n9" in the cluster`,
      ]);
    });

    it("need Nodes, and read stdin for -", async () => {
      await expect(scenarioFromManifests(["-"], { stdin: () => pod("a", {}) })).rejects.toThrow(
        "<stdin>: no Nodes",
      );
      const s = await scenarioFromManifests(["-"], {
        stdin: () => "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n",
      });
      expect(s.name).toBe("manifests");
      expect(s.nodes).toHaveLength(1);
    });
  });
});
