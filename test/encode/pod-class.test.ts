import { describe, expect, it } from "vitest";
import { Interner } from "../../src/encode/intern.ts";
import { TAINT_EFFECT } from "../../src/encode/node-table.ts";
import {
  normalizedImageName,
  PodClassTable,
  podClassKey,
  TOLERATION_EFFECT_ANY,
  TOLERATION_OPERATOR,
} from "../../src/encode/pod-class.ts";
import { DEFAULT_MEMORY_REQUEST } from "../../src/model/requests.ts";
import type { Pod } from "../../src/model/types.ts";
import { makePod, type PodOptions } from "../helpers/builders.ts";

const templates: PodOptions[] = [
  { labels: { app: "web" }, requests: { cpu: "250m", memory: "256Mi" } },
  {
    labels: { app: "api" },
    requests: { cpu: "1", memory: "1Gi" },
    tolerations: [{ key: "spot", operator: "Exists" }],
  },
  {
    labels: { app: "batch" },
    namespace: "jobs",
    containers: [{ image: "busybox" }, { image: "busybox" }],
  },
];

/** A replica of a template with per-pod identity and state varied. */
function replica(t: number, i: number): Pod {
  return makePod({
    ...templates[t],
    name: `t${t}-${i}`,
    uid: `uid-${t}-${i}`,
    annotations: { replica: String(i) },
    creationTimestamp: `2025-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
    ...(i % 2 === 0
      ? { nodeName: `node-${i}`, phase: "Running" as const }
      : { nominatedNodeName: "n" }),
  });
}

describe("PodClassTable", () => {
  it("maps 10,000 pods from 3 templates to 3 classes", () => {
    const table = new PodClassTable(new Interner());
    const ids: number[] = [];
    const firsts = new Map<number, Pod>();
    for (let i = 0; i < 10_000; i++) {
      const pod = replica(i % 3, i);
      const id = table.classOf(pod);
      ids.push(id);
      if (!firsts.has(id)) firsts.set(id, pod);
    }
    expect(table.size).toBe(3);
    expect(ids.slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ids.every((id, i) => id === i % 3)).toBe(true);
    for (const c of table.classes) expect(c.exemplar).toBe(firsts.get(c.id));
    expect(table.get(0).requests.milliCPU).toBe(250);
    expect(table.get(2).nonZero).toEqual({ milliCPU: 200, memory: 2 * DEFAULT_MEMORY_REQUEST });
  });

  it("starts a new class for a differing label, namespace or request", () => {
    const table = new PodClassTable(new Interner());
    const base = table.classOf(makePod({ labels: { app: "web" }, requests: { cpu: "1" } }));
    expect(table.classOf(makePod({ labels: { app: "web", v: "2" }, requests: { cpu: "1" } }))).toBe(
      1,
    );
    expect(table.classOf(makePod({ labels: { app: "api" }, requests: { cpu: "1" } }))).toBe(2);
    expect(
      table.classOf(makePod({ namespace: "x", labels: { app: "web" }, requests: { cpu: "1" } })),
    ).toBe(3);
    expect(table.classOf(makePod({ labels: { app: "web" }, requests: { cpu: "2" } }))).toBe(4);
    expect(
      table.classOf(makePod({ labels: { app: "web" }, requests: { cpu: "1" }, priority: 10 })),
    ).toBe(5);
    expect(
      table.classOf(
        makePod({ labels: { app: "web" }, requests: { cpu: "1" }, schedulerName: "other" }),
      ),
    ).toBe(6);
    expect(
      table.classOf(
        makePod({ labels: { app: "web" }, requests: { cpu: "1" }, nodeSelector: { disk: "ssd" } }),
      ),
    ).toBe(7);
    expect(
      table.classOf(makePod({ name: "other", labels: { app: "web" }, requests: { cpu: "1" } })),
    ).toBe(base);
  });

  it("ignores label order and equal-valued quantity spellings", () => {
    const table = new PodClassTable(new Interner());
    const a = table.classOf(
      makePod({ labels: { a: "1", b: "2" }, requests: { cpu: "1", memory: "1Gi" } }),
    );
    const b = table.classOf(
      makePod({ labels: { b: "2", a: "1" }, requests: { memory: "1024Mi", cpu: "1000m" } }),
    );
    expect(b).toBe(a);
    expect(table.size).toBe(1);
  });

  it("keys volumes by name and kind only: claims and disks are read from each pod", () => {
    const table = new PodClassTable(new Interner());
    const vol = [{ name: "scratch", ephemeral: true, source: "ephemeral" }];
    expect(table.classOf(makePod({ name: "a", volumes: vol }))).toBe(0);
    expect(table.classOf(makePod({ name: "b", volumes: vol }))).toBe(0);
    const claim = (claimName: string) => [
      {
        name: "data",
        ephemeral: false,
        source: "persistentVolumeClaim",
        persistentVolumeClaim: { claimName, readOnly: false },
      },
    ];
    expect(table.classOf(makePod({ name: "c", volumes: claim("c1") }))).toBe(1);
    expect(table.classOf(makePod({ name: "d", volumes: claim("c2") }))).toBe(1);
    // A different volume name or kind is a different class.
    const tmp = [{ name: "tmp", ephemeral: true, source: "ephemeral" }];
    expect(table.classOf(makePod({ name: "e", volumes: tmp }))).toBe(2);
  });

  it("computes the key of a shared spec object once", () => {
    const pod = makePod({ requests: { cpu: "1" } });
    const twin: Pod = { ...pod, metadata: { ...pod.metadata, name: "twin", uid: "u2" } };
    expect(twin.spec).toBe(pod.spec);
    expect(podClassKey(twin)).toBe(podClassKey(pod));
  });

  it("encodes the class data", () => {
    const interner = new Interner();
    const table = new PodClassTable(interner);
    const pod = makePod({
      namespace: "prod",
      labels: { zeta: "z", app: "web" },
      nodeSelector: { disk: "ssd", "kubernetes.io/os": "linux" },
      tolerations: [
        { key: "spot", operator: "Exists" },
        { key: "dedicated", value: "gpu", effect: "NoSchedule" },
        { operator: "Exists" },
      ],
      priority: 100,
      overhead: { cpu: "10m" },
      initContainers: [
        { image: "init:1", ports: [{ hostPort: 9000 }] },
        {
          image: "sidecar",
          restartPolicy: "Always",
          ports: [{ hostPort: 9001, protocol: "UDP", hostIP: "10.0.0.1" }],
        },
      ],
      containers: [
        {
          image: "nginx",
          requests: { cpu: "100m", memory: "64Mi" },
          ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }],
        },
        { image: "localhost:5000/app@sha256:abc", requests: { "nvidia.com/gpu": "1" } },
        { image: "nginx" },
      ],
    });
    const c = table.get(table.classOf(pod));
    const str = (ids: Int32Array) => [...ids].map((id) => interner.str(id));
    expect(c.priority).toBe(100);
    expect(c.schedulerName).toBe("default-scheduler");
    expect(interner.str(c.namespaceId)).toBe("prod");
    expect([...c.labelKeys]).toEqual([...c.labelKeys].sort((a, b) => a - b));
    expect(
      Object.fromEntries(str(c.labelKeys).map((k, i) => [k, interner.str(c.labelValues[i]!)])),
    ).toEqual({
      app: "web",
      zeta: "z",
    });
    expect(
      Object.fromEntries(
        str(c.nodeSelectorKeys).map((k, i) => [k, interner.str(c.nodeSelectorValues[i]!)]),
      ),
    ).toEqual({
      disk: "ssd",
      "kubernetes.io/os": "linux",
    });
    expect(str(c.tolerationKeys)).toEqual(["spot", "dedicated", ""]);
    expect(str(c.tolerationValues)).toEqual(["", "gpu", ""]);
    expect([...c.tolerationOperators]).toEqual([
      TOLERATION_OPERATOR.Exists,
      TOLERATION_OPERATOR.Equal,
      TOLERATION_OPERATOR.Exists,
    ]);
    expect([...c.tolerationEffects]).toEqual([
      TOLERATION_EFFECT_ANY,
      TAINT_EFFECT.NoSchedule,
      TOLERATION_EFFECT_ANY,
    ]);
    expect(c.hostPorts).toEqual([
      { hostIP: "0.0.0.0", protocol: "TCP", hostPort: 8080 },
      { hostIP: "10.0.0.1", protocol: "UDP", hostPort: 9001 },
    ]);
    expect(str(c.imageIds)).toEqual([
      "init:1",
      "sidecar:latest",
      "nginx:latest",
      "localhost:5000/app@sha256:abc",
      "nginx:latest",
    ]);
    // 100m + 10m overhead (+ the sidecar and the third container without requests: 0 real request)
    expect(c.requests.milliCPU).toBe(110);
    expect(c.requests.scalar.get("nvidia.com/gpu")).toBe(1);
    // non-zero: 100m + 100m (2nd container) + 100m (3rd) + 100m (sidecar) + 10m overhead
    expect(c.nonZero.milliCPU).toBe(410);
    expect(c.scoringNonZero).toEqual(c.nonZero);
    expect(() => table.get(1)).toThrow(RangeError);
  });

  it("defaults priority to 0", () => {
    const table = new PodClassTable(new Interner());
    expect(table.get(table.classOf(makePod())).priority).toBe(0);
  });
});

describe("normalizedImageName", () => {
  it.each([
    ["nginx", "nginx:latest"],
    ["nginx:1.25", "nginx:1.25"],
    ["docker.io/library/nginx", "docker.io/library/nginx:latest"],
    ["localhost:5000/nginx", "localhost:5000/nginx:latest"],
    ["localhost:5000/nginx:2", "localhost:5000/nginx:2"],
    ["nginx@sha256:0123", "nginx@sha256:0123"],
  ])("%s → %s", (name, want) => {
    expect(normalizedImageName(name)).toBe(want);
  });
});
