/** The realistic cluster fixture (`npm start` validates it) and the List fixtures. */
import { describe, expect, it } from "vitest";
import { loadManifests } from "../../src/manifest/index.ts";
import { lines, rl } from "./helpers.ts";

describe("fixtures/cluster", () => {
  it("validates cleanly, with one warning for the unmodelled ConfigMap", async () => {
    const r = await loadManifests(["fixtures/cluster"]);
    expect(lines(r)).toEqual([
      "warning: fixtures/cluster/workloads.yaml: doc 13 (ConfigMap web/web-config): kind ConfigMap is not modelled; skipped",
    ]);
    expect(r.nodes).toHaveLength(13);
    expect(r.namespaces.map((n) => n.metadata.name)).toEqual([
      "default",
      "kube-system",
      "web",
      "ml",
    ]);
    expect(r.kept.map((k) => `${k.kind} ${k.metadata.name}`)).toEqual([
      "PriorityClass high-priority",
      "PriorityClass batch-low",
      "Deployment web",
    ]);
    expect(r.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      "kube-system/coredns-7db6d8ff4d-abcde",
      "kube-system/node-exporter-x7k2p",
      "web/web-0",
      "web/web-1",
      "web/web-2",
      "ml/train-resnet-0",
      "ml/notebook",
      "default/gated",
      "default/custom-scheduled",
    ]);
  });

  it("spans three zones, with tainted GPU nodes, a control plane and a cordoned node", async () => {
    const r = await loadManifests(["fixtures/cluster/nodes.yaml"]);
    const zones = new Set(r.nodes.map((n) => n.metadata.labels["topology.kubernetes.io/zone"]));
    expect([...zones].sort()).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    const gpu = r.nodes.filter((n) => n.status.allocatable.has("nvidia.com/gpu"));
    expect(gpu.map((n) => n.metadata.name)).toEqual(["gpu-1a-1", "gpu-1b-1"]);
    for (const n of gpu) {
      expect(n.spec.taints).toEqual([
        { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
      ]);
    }
    // gpu-1b-1 has no allocatable: it defaults to capacity.
    expect(rl(gpu[1]!.status.allocatable)).toEqual(rl(gpu[1]!.status.capacity));
    expect(r.nodes.filter((n) => n.spec.unschedulable).map((n) => n.metadata.name)).toEqual([
      "general-1c-2",
    ]);
    expect(r.nodes[0]?.spec.taints[0]?.key).toBe("node-role.kubernetes.io/control-plane");
  });

  it("applies the defaulting the scheduler relies on", async () => {
    const r = await loadManifests(["fixtures/cluster"]);
    const byName = new Map(r.pods.map((p) => [p.metadata.name, p]));
    const exporter = byName.get("node-exporter-x7k2p")!;
    expect(exporter.spec.containers[0]!.ports[0]!.hostPort).toBe(9100);
    expect(exporter.spec.priority).toBe(2000001000);
    const train = byName.get("train-resnet-0")!;
    expect(train.spec.initContainers.map((c) => c.restartPolicy ?? "-")).toEqual(["-", "Always"]);
    expect(rl(train.spec.containers[0]!.resources.requests)).toEqual([
      "cpu=3",
      "memory=12Gi",
      "ephemeral-storage=20Gi",
      "nvidia.com/gpu=1",
    ]);
    expect(rl(train.spec.overhead)).toEqual(["cpu=250m", "memory=120Mi"]);
    expect(train.spec).toMatchObject({ priority: -10, preemptionPolicy: "Never" });
    expect(train.spec.volumes.map((v) => v.source)).toEqual([
      "persistentVolumeClaim",
      "emptyDir",
      "emptyDir",
    ]);
    expect(rl(byName.get("notebook")!.spec.resources!.requests)).toEqual(["cpu=2", "memory=256Mi"]);
    expect(rl(byName.get("web-1")!.spec.containers[0]!.resources.requests)).toEqual([
      "cpu=1",
      "memory=512Mi",
    ]);
    expect(byName.get("web-1")!.spec.priority).toBe(100000);
    expect(byName.get("custom-scheduled")!.spec.schedulerName).toBe("my-scheduler");
    expect(byName.get("coredns-7db6d8ff4d-abcde")!.spec.nodeName).toBe("general-1a-1");
  });
});
