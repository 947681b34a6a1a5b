/**
 * Node pools: nodes shaped exactly as the manifest decoder shapes them, zones round-robin or
 * weighted, deterministic per seed, one generator per pool; instance-type presets.
 */
import { describe, expect, it } from "vitest";
import {
  clusterNodes,
  makePoolNode,
  type NodePoolSpec,
  poolNodes,
  takeNodes,
} from "../../src/generate/cluster.ts";
import { INSTANCE_TYPES, presetResources } from "../../src/generate/presets.ts";
import { loadManifestsFromString } from "../../src/manifest/index.ts";
import { Quantity } from "../../src/model/quantity.ts";
import type { ResourceList } from "../../src/model/types.ts";
import { normalize } from "./helpers.ts";

function rl(map: Record<string, string>): ResourceList {
  return new Map(Object.entries(map).map(([k, v]) => [k, Quantity.parse(v)]));
}

function pool(over: Partial<NodePoolSpec> = {}): NodePoolSpec {
  return {
    name: "general",
    namePrefix: "general",
    count: 6,
    capacity: rl({ cpu: "4", memory: "16Gi", pods: "110" }),
    allocatable: rl({ cpu: "3920m", memory: "15Gi", pods: "110" }),
    labels: {},
    zones: [
      { name: "a", weight: 1 },
      { name: "b", weight: 1 },
      { name: "c", weight: 1 },
    ],
    zoneAssignment: "roundRobin",
    taints: [],
    images: [],
    unschedulable: false,
    ...over,
  };
}

const zoneOf = (n: { metadata: { labels: Readonly<Record<string, string>> } }) =>
  n.metadata.labels["topology.kubernetes.io/zone"];

describe("pool nodes", () => {
  it("are the Node objects the manifest decoder makes of the equivalent manifest", () => {
    const p = pool({
      instanceType: "m5.xlarge",
      region: "us-east-1",
      labels: { team: "infra", "kubernetes.io/arch": "arm64" },
      taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }],
      images: [{ names: ["nginx:1.27"], sizeBytes: 1000 }],
      unschedulable: true,
    });
    const node = makePoolNode(p, 4, "b");
    const manifest = `apiVersion: v1
kind: Node
metadata:
  name: general-4
  labels:
    kubernetes.io/arch: arm64
    kubernetes.io/os: linux
    node.kubernetes.io/instance-type: m5.xlarge
    topology.kubernetes.io/region: us-east-1
    topology.kubernetes.io/zone: b
    team: infra
    kubernetes.io/hostname: general-4
spec:
  unschedulable: true
  taints: [{key: dedicated, value: infra, effect: NoSchedule}]
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
  allocatable: {cpu: 3920m, memory: 15Gi, pods: "110"}
  images: [{names: ["nginx:1.27"], sizeBytes: 1000}]
  conditions: [{type: Ready, status: "True"}]
`;
    const [decoded] = loadManifestsFromString(manifest, "n.yaml").nodes;
    expect(normalize(node)).toEqual(normalize(decoded));
    expect(Object.keys(node.metadata.labels)).toEqual(Object.keys(decoded!.metadata.labels));
  });

  it("are named <prefix>-<i> and go round-robin over plain zones, whatever the seed", () => {
    const nodes = takeNodes(pool({ namePrefix: "gp" }), 1, 6);
    expect(nodes.map((n) => n.metadata.name)).toEqual([
      "gp-0",
      "gp-1",
      "gp-2",
      "gp-3",
      "gp-4",
      "gp-5",
    ]);
    expect(nodes.map(zoneOf)).toEqual(["a", "b", "c", "a", "b", "c"]);
    expect(takeNodes(pool(), 99, 6).map(zoneOf)).toEqual(nodes.map(zoneOf));
    expect(
      nodes.every((n) => n.metadata.labels["kubernetes.io/hostname"] === n.metadata.name),
    ).toBe(true);
  });

  it("have no zone label without zones", () => {
    const [node] = takeNodes(pool({ zones: [] }), 1, 1);
    expect(node!.metadata.labels).not.toHaveProperty("topology.kubernetes.io/zone");
  });

  it("draw weighted zones in proportion to their weights", () => {
    // 30,000 draws: a proportion's SE is √(p(1−p)/N) ≤ 0.0029; allow 5 SE.
    const n = 30_000;
    const p = pool({
      zones: [
        { name: "a", weight: 3 },
        { name: "b", weight: 1 },
      ],
      zoneAssignment: "weighted",
    });
    const share = takeNodes(p, 5, n).filter((node) => zoneOf(node) === "a").length / n;
    expect(Math.abs(share - 0.75)).toBeLessThan(5 * Math.sqrt((0.75 * 0.25) / n));
  });

  it("are the same for the same seed, and differ by seed only in drawn zones", () => {
    const p = pool({ zoneAssignment: "weighted" });
    const a = takeNodes(p, 11, 50).map(zoneOf);
    expect(takeNodes(p, 11, 50).map(zoneOf)).toEqual(a);
    expect(takeNodes(p, 12, 50).map(zoneOf)).not.toEqual(a);
  });

  it("continue the same sequence past count (nodes that join later)", () => {
    const p = pool({ zoneAssignment: "weighted", count: 4 });
    const it = poolNodes(p, 3);
    const first = Array.from({ length: 8 }, () => it.next().value.metadata.name);
    expect(first).toEqual(takeNodes(p, 3, 8).map((n) => n.metadata.name));
    expect(takeNodes(p, 3, 8).slice(0, 4)).toEqual(clusterNodes([p], 3));
  });

  it("do not change when another pool is added", () => {
    const gpu = pool({ name: "gpu", namePrefix: "gpu", zoneAssignment: "weighted", count: 40 });
    const cpu = pool({ name: "cpu", namePrefix: "cpu", zoneAssignment: "weighted", count: 40 });
    const extra = pool({
      name: "extra",
      namePrefix: "extra",
      zoneAssignment: "weighted",
      count: 7,
    });
    const alone = clusterNodes([gpu], 8);
    const mixed = clusterNodes([cpu, extra, gpu], 8).filter((n) =>
      n.metadata.name.startsWith("gpu-"),
    );
    expect(mixed).toEqual(alone);
  });
});

describe("instance-type presets", () => {
  const get = (name: string) => {
    const preset = INSTANCE_TYPES.get(name);
    if (!preset) throw new Error(`no preset ${name}`);
    return presetResources(preset);
  };
  const str = (list: ResourceList) =>
    Object.fromEntries([...list].map(([k, q]) => [k, q.toString()]));

  it("m5.xlarge: EKS's 3920m CPU, 58 pods, memory minus 255Mi + 11Mi × 58 and 100Mi", () => {
    const { capacity, allocatable } = get("m5.xlarge");
    const memKi = Math.floor(16 * 1024 * 1024 * 0.95);
    expect(str(capacity)).toEqual({
      cpu: "4",
      memory: `${memKi}Ki`,
      "ephemeral-storage": "100Gi",
      pods: "58",
    });
    expect(str(allocatable)).toEqual({
      cpu: "3920m",
      memory: `${memKi - (255 + 11 * 58) * 1024 - 100 * 1024}Ki`,
      "ephemeral-storage": "90Gi",
      pods: "58",
    });
  });

  it("the tiered CPU reservation: 2 → 1930m, 8 → 7910m, 16 → 15890m, 32 → 31850m", () => {
    expect(get("m5.large").allocatable.get("cpu")!.toString()).toBe("1930m");
    expect(get("m5.2xlarge").allocatable.get("cpu")!.toString()).toBe("7910m");
    expect(get("c5.4xlarge").allocatable.get("cpu")!.toString()).toBe("15890m");
    expect(get("p3.8xlarge").allocatable.get("cpu")!.toString()).toBe("31850m");
    expect(get("n2-standard-8").allocatable.get("cpu")!.toString()).toBe("7910m");
  });

  it("AKS reserves 180m of 8 cores; GPU types advertise nvidia.com/gpu", () => {
    expect(get("Standard_D8s_v5").allocatable.get("cpu")!.toString()).toBe("7820m");
    expect(get("p3.8xlarge").allocatable.get("nvidia.com/gpu")!.toString()).toBe("4");
    expect(get("Standard_NC6s_v3").capacity.get("nvidia.com/gpu")!.toString()).toBe("1");
    expect(get("m5.xlarge").allocatable.has("nvidia.com/gpu")).toBe(false);
  });

  it("GKE's memory tiers: n2-standard-8 keeps 1 + 0.8 + 0.8 + 0.96 GiB and 100Mi", () => {
    const memKi = Math.floor(32 * 1024 * 1024 * 0.95);
    const reserved = Math.round(3.56 * 1024 * 1024) + 100 * 1024;
    expect(get("n2-standard-8").allocatable.get("memory")!.toString()).toBe(
      `${memKi - reserved}Ki`,
    );
  });

  it("every preset has allocatable ≤ capacity and positive", () => {
    for (const preset of INSTANCE_TYPES.values()) {
      const { capacity, allocatable } = presetResources(preset);
      for (const [name, q] of allocatable) {
        expect(q.sign(), `${preset.name} ${name}`).toBe(1);
        expect(q.cmp(capacity.get(name)!), `${preset.name} ${name}`).toBeLessThanOrEqual(0);
      }
    }
  });
});
