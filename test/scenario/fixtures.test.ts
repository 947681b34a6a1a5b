/**
 * The bundled scenarios load without problems and hold what their comments say; runs repeat
 * identically; the ten-million-pod stream is lazy.
 */
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/index.ts";
import type { PodArrival } from "../../src/sim/types.ts";

const DIR = "fixtures/scenarios";

function countBy<T>(items: Iterable<T>, key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

function nonDecreasing(arrivals: Iterable<PodArrival>): boolean {
  let last = Number.NEGATIVE_INFINITY;
  for (const a of arrivals) {
    if (a.time < last) return false;
    last = a.time;
  }
  return true;
}

describe("small.yaml", () => {
  it("loads: 12 nodes over 3 zones, 2 streams, the inline objects, 2 events", async () => {
    const s = await loadScenario(`${DIR}/small.yaml`);
    expect(s.warnings).toEqual([]);
    expect(s.name).toBe("small");
    expect(s.seed).toBe(7);
    expect(s.nodes).toHaveLength(12);
    expect(countBy(s.nodes, (n) => n.metadata.labels["topology.kubernetes.io/zone"]!)).toEqual({
      "us-east-1a": 4,
      "us-east-1b": 4,
      "us-east-1c": 4,
    });
    expect(s.objects.namespaces?.map((n) => n.metadata.name)).toEqual(["shop"]);
    expect(s.objects.kept?.map((o) => o.metadata.name)).toEqual(["web-critical"]);
    expect(s.events.map((e) => [e.time, e.kind])).toEqual([
      [120, "cordon"],
      [180, "uncordon"],
    ]);
    expect(s.profile.schedulerName).toBe("default-scheduler");
    expect(s.endTime).toBe(300);
    expect(s.measure).toEqual({ from: 30, to: 270 });
    expect(s.outputs).toEqual({});
  });

  it("streams: 60 web pods in three groups, batch jobs every 2s from 30s until the end", async () => {
    const s = await loadScenario(`${DIR}/small.yaml`);
    const arrivals = [...s.arrivals()];
    expect(nonDecreasing(arrivals)).toBe(true);
    const web = arrivals.filter((a) => a.template.metadata.namespace === "shop");
    expect(web).toHaveLength(60);
    expect(new Set(web.map((a) => a.template.metadata.labels["app"]))).toEqual(
      new Set(["web-0", "web-1", "web-2"]),
    );
    expect(web.every((a) => a.template.spec.priority === 1000)).toBe(true);
    expect(web.every((a) => a.duration === Number.POSITIVE_INFINITY)).toBe(true);
    const spread = web[0]!.template.spec.topologySpreadConstraints[0]!;
    expect(spread.labelSelector?.matchLabels).toEqual(web[0]!.template.metadata.labels);
    const batch = arrivals.filter((a) => a.template.metadata.name === "job");
    // 30/m from 30 s until (excluding) 300 s: 135 pods.
    expect(batch).toHaveLength(135);
    expect(batch[0]!.time).toBe(30);
    expect(batch.every((a) => a.duration > 0 && Number.isFinite(a.duration))).toBe(true);
  });

  it("repeats a run identically, and differs under another seed", async () => {
    const s = await loadScenario(`${DIR}/small.yaml`);
    const key = (a: PodArrival) => `${a.time}/${a.template.metadata.labels["app"]}/${a.duration}`;
    const first = [...s.toSimulationInput().arrivals].map(key);
    const second = [...s.toSimulationInput().arrivals].map(key);
    expect(second).toEqual(first);
    const other = await loadScenario(`${DIR}/small.yaml`, { seed: 8 });
    expect(other.seed).toBe(8);
    expect([...other.toSimulationInput().arrivals].map(key)).not.toEqual(first);
  });

  it("hands the engine its input", async () => {
    const s = await loadScenario(`${DIR}/small.yaml`);
    const input = s.toSimulationInput();
    expect(input).toMatchObject({
      name: "small",
      seed: 7,
      endTime: 300,
      measure: { from: 30, to: 270 },
      percentageOfNodesToScore: 0,
    });
    expect(input.nodes).toBe(s.nodes);
    expect(input.profile).toBe(s.profile);
    expect(input.boundPods).toEqual([]);
  });
});

describe("gpu.yaml", () => {
  it("loads: a tainted GPU pool with weighted zones, weighted templates, a file template", async () => {
    const s = await loadScenario(`${DIR}/gpu.yaml`);
    expect(s.warnings).toEqual([]);
    const gpu = s.nodes.filter((n) => n.metadata.name.startsWith("gpu-"));
    expect(gpu).toHaveLength(4);
    expect(gpu.every((n) => n.status.allocatable.get("nvidia.com/gpu")?.toString() === "4")).toBe(
      true,
    );
    expect(gpu.every((n) => n.spec.taints[0]?.key === "nvidia.com/gpu")).toBe(true);
    const arrivals = [...s.arrivals()];
    expect(countBy(arrivals, (a) => a.template.metadata.name)).toMatchObject({
      api: 30,
      notebook: 6,
    });
    const training = arrivals.filter((a) => a.template.metadata.labels["app"] === "train");
    expect(training).toHaveLength(40);
    expect(new Set(training.map((a) => a.template.metadata.name))).toEqual(
      new Set(["train-small", "train-large"]),
    );
    expect(training.every((a) => a.duration <= 6 * 3600)).toBe(true);
    // `priority: 100` becomes a PriorityClass the pods name.
    const notebook = arrivals.find((a) => a.template.metadata.name === "notebook")!;
    expect(notebook.template.spec).toMatchObject({
      priorityClassName: "gantry-priority-100",
      priority: 100,
    });
    expect(s.objects.kept?.map((o) => o.metadata.name)).toEqual([
      "training",
      "gantry-priority-100",
    ]);
    expect(s.profile.pluginConfig.get("NodeResourcesFit")).toMatchObject({
      scoringStrategy: { type: "MostAllocated" },
    });
  });

  it("adds the pool's next nodes at 30m and retaints one at 90m", async () => {
    const s = await loadScenario(`${DIR}/gpu.yaml`);
    const added = s.events.filter((e) => e.kind === "addNode");
    expect(added.map((e) => (e.kind === "addNode" ? e.node.metadata.name : ""))).toEqual([
      "gpu-4",
      "gpu-5",
    ]);
    expect(added.every((e) => e.time === 1800)).toBe(true);
    const taints = s.events.find((e) => e.kind === "setTaints");
    expect(taints).toMatchObject({ time: 5400, node: "gpu-1" });
  });
});

describe("showcase.yaml", () => {
  it("loads 5,000 nodes and streams exactly 100,000 pods with run times", async () => {
    const s = await loadScenario(`${DIR}/showcase.yaml`);
    expect(s.warnings).toEqual([]);
    expect(s.nodes).toHaveLength(5000);
    expect(new Set(s.nodes.map((n) => n.metadata.name)).size).toBe(5000);
    let n = 0;
    let finite = 0;
    let last = 0;
    const templates = new Set<object>();
    const byNamespace: Record<string, number> = {};
    for (const a of s.arrivals()) {
      expect(a.time).toBeGreaterThanOrEqual(last);
      last = a.time;
      n++;
      if (Number.isFinite(a.duration)) finite++;
      templates.add(a.template);
      const ns = a.template.metadata.namespace;
      byNamespace[ns] = (byNamespace[ns] ?? 0) + 1;
    }
    expect(n).toBe(100_000);
    expect(byNamespace).toEqual({ web: 46_500, batch: 48_000, ml: 3000, "kube-system": 2500 });
    expect(finite).toBe(100_000 - 1500);
    expect(last).toBeLessThan(s.endTime!);
    // 50 web variants, 10 cache variants, 2 batch templates, training, system.
    expect(templates.size).toBe(64);
    expect(s.events).toHaveLength(105);
  });
});

describe("stream-10m.yaml", () => {
  it("is lazy: its first 1,000 of ten million arrivals allocate little", async () => {
    const s = await loadScenario(`${DIR}/stream-10m.yaml`);
    expect(s.nodes).toHaveLength(1000);
    expect(s.streams[0]!.count).toBe(10_000_000);
    const heapBefore = process.memoryUsage().heapUsed;
    let n = 0;
    let last = 0;
    for (const a of s.toSimulationInput().arrivals) {
      last = a.time;
      if (++n === 1000) break;
    }
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(n).toBe(1000);
    // ≈ 1 s of simulated time at 1,000 pods a second.
    expect(last).toBeGreaterThan(0.8);
    expect(last).toBeLessThan(1.2);
    // Generating ten million arrivals eagerly would take gigabytes; 1,000 build at most 200
    // template variants (100 groups × 2 templates).
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });
});
