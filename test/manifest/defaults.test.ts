/** API-server defaulting applied while decoding, as kube-scheduler sees objects. */
import { describe, expect, it } from "vitest";
import { collectManifestsFromString, deriveUid } from "../../src/manifest/index.ts";
import { lines, loadObject, rl, validPod } from "./helpers.ts";

describe("pod defaulting", () => {
  it("namespace default, schedulerName default-scheduler, empty collections", () => {
    const p = validPod();
    expect(p.metadata.namespace).toBe("default");
    expect(p.spec.schedulerName).toBe("default-scheduler");
    expect(p.spec.nodeName).toBe("");
    expect(p.spec.tolerations).toEqual([]);
    expect(p.spec.initContainers).toEqual([]);
    expect(p.spec.overhead.size).toBe(0);
    expect(p.spec.resources).toBeUndefined();
    expect(p.spec.affinity).toBeUndefined();
    expect(p.metadata.labels).toEqual({});
    expect(p.status).toEqual({});
  });

  it("keeps an explicit namespace and schedulerName", () => {
    const p = validPod({ schedulerName: "mine" }, { namespace: "team-a" });
    expect(p.metadata.namespace).toBe("team-a");
    expect(p.spec.schedulerName).toBe("mine");
  });

  it("container requests default to limits per resource, init containers too", () => {
    const p = validPod({
      containers: [
        {
          name: "a",
          image: "i",
          resources: {
            requests: { cpu: "250m" },
            limits: { cpu: "1", memory: "1Gi", "nvidia.com/gpu": 2 },
          },
        },
        { name: "b", image: "i", resources: { requests: { memory: "64Mi" } } },
      ],
      initContainers: [{ name: "init", image: "i", resources: { limits: { cpu: "500m" } } }],
    });
    const [a, b] = p.spec.containers;
    expect(rl(a!.resources.requests)).toEqual(["cpu=250m", "memory=1Gi", "nvidia.com/gpu=2"]);
    expect(rl(a!.resources.limits)).toEqual(["cpu=1", "memory=1Gi", "nvidia.com/gpu=2"]);
    expect(rl(b!.resources.requests)).toEqual(["memory=64Mi"]);
    expect(rl(b!.resources.limits)).toEqual([]);
    expect(rl(p.spec.initContainers[0]!.resources.requests)).toEqual(["cpu=500m"]);
  });

  it("pod-level requests default to the limit when no container requests the resource", () => {
    const p = validPod({ resources: { limits: { cpu: "2", memory: "4Gi" } } });
    expect(rl(p.spec.resources!.requests)).toEqual(["cpu=2", "memory=4Gi"]);
  });

  it("pod-level requests default to the aggregated container requests (sidecars, init max)", () => {
    const p = validPod({
      resources: { limits: { cpu: "8", memory: "8Gi" } },
      containers: [
        { name: "a", image: "i", resources: { requests: { cpu: "1" } } },
        { name: "b", image: "i", resources: { requests: { cpu: "500m" } } },
      ],
      initContainers: [
        {
          name: "side",
          image: "i",
          restartPolicy: "Always",
          resources: { requests: { cpu: "250m" } },
        },
        { name: "init", image: "i", resources: { requests: { cpu: "3", memory: "1Gi" } } },
      ],
    });
    // sum = 1 + 0.5 + 0.25 (sidecar) = 1.75; init-time max = 3 + 0.25 = 3.25 → 3.25 cpu.
    // memory: only the init container asks (1Gi) → aggregate 1Gi, not the 8Gi limit.
    expect(rl(p.spec.resources!.requests)).toEqual(["cpu=3250m", "memory=1Gi"]);
  });

  it("explicit pod-level requests stay; no defaulting without pod-level limits", () => {
    const p = validPod({ resources: { requests: { cpu: "1" } } });
    expect(rl(p.spec.resources!.requests)).toEqual(["cpu=1"]);
    expect(rl(p.spec.resources!.limits)).toEqual([]);
  });

  it("hostNetwork pods get hostPort = containerPort; protocol defaults to TCP", () => {
    const p = validPod({
      hostNetwork: true,
      containers: [
        {
          name: "a",
          image: "i",
          ports: [{ containerPort: 9100 }, { containerPort: 53, protocol: "UDP" }],
        },
      ],
      initContainers: [{ name: "i", image: "i", ports: [{ containerPort: 8080, hostPort: 8080 }] }],
    });
    expect(p.spec.containers[0]!.ports).toEqual([
      { containerPort: 9100, hostPort: 9100, protocol: "TCP", hostIP: "" },
      { containerPort: 53, hostPort: 53, protocol: "UDP", hostIP: "" },
    ]);
    expect(p.spec.initContainers[0]!.ports[0]!.hostPort).toBe(8080);
  });

  it("without hostNetwork an unset hostPort stays 0", () => {
    const p = validPod({
      containers: [{ name: "a", image: "i", ports: [{ name: "http", containerPort: 80 }] }],
    });
    expect(p.spec.containers[0]!.ports).toEqual([
      { name: "http", containerPort: 80, hostPort: 0, protocol: "TCP", hostIP: "" },
    ]);
  });

  it("toleration operator defaults to Equal; effect and value to empty", () => {
    const p = validPod({ tolerations: [{ key: "a", value: "b" }, { operator: "Exists" }] });
    expect(p.spec.tolerations).toEqual([
      { key: "a", operator: "Equal", value: "b", effect: "" },
      { key: "", operator: "Exists", value: "", effect: "" },
    ]);
  });

  it("a volume without a source is an emptyDir; PVC and ephemeral volumes are recognised", () => {
    const p = validPod({
      volumes: [
        { name: "a" },
        { name: "b", persistentVolumeClaim: { claimName: "data" } },
        { name: "c", ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: "d", configMap: { name: "cm" } },
      ],
    });
    expect(p.spec.volumes).toEqual([
      { name: "a", ephemeral: false, source: "emptyDir" },
      {
        name: "b",
        persistentVolumeClaim: { claimName: "data", readOnly: false },
        ephemeral: false,
        source: "persistentVolumeClaim",
      },
      { name: "c", ephemeral: true, source: "ephemeral" },
      { name: "d", ephemeral: false, source: "configMap" },
    ]);
  });

  it("decodes the scheduling fields it models", () => {
    const p = validPod({
      nodeSelector: { disktype: "ssd" },
      schedulingGates: [{ name: "example.com/gate" }],
      overhead: { cpu: "100m" },
      topologySpreadConstraints: [
        { maxSkew: 2, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: {} },
      ],
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { app: "db" } },
              topologyKey: "zone",
              namespaces: ["db"],
            },
          ],
        },
      },
    });
    expect(p.spec.nodeSelector).toEqual({ disktype: "ssd" });
    expect(p.spec.schedulingGates).toEqual(["example.com/gate"]);
    expect(rl(p.spec.overhead)).toEqual(["cpu=100m"]);
    expect(p.spec.topologySpreadConstraints).toEqual([
      {
        maxSkew: 2,
        topologyKey: "zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: {}, matchExpressions: [] },
        matchLabelKeys: [],
      },
    ]);
    expect(p.spec.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { app: "db" }, matchExpressions: [] },
            namespaces: ["db"],
            topologyKey: "zone",
            matchLabelKeys: [],
            mismatchLabelKeys: [],
          },
        ],
        preferredDuringSchedulingIgnoredDuringExecution: [],
      },
    });
  });
});

describe("metadata", () => {
  it("derives a deterministic RFC 4122 v5 uid from kind, namespace and name", () => {
    const a = validPod();
    const b = validPod();
    expect(a.metadata.uid).toBe(b.metadata.uid);
    expect(a.metadata.uid).toBe(deriveUid("Pod", "default", "p"));
    expect(a.metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(deriveUid("Pod", "other", "p")).not.toBe(a.metadata.uid);
    expect(deriveUid("Node", "", "p")).not.toBe(deriveUid("Namespace", "", "p"));
  });

  it("keeps a given uid, timestamps and owner references", () => {
    const p = validPod(
      {},
      {
        uid: "u-1",
        creationTimestamp: "2025-01-01T00:00:00Z",
        deletionTimestamp: "2025-01-02T00:00:00Z",
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u-2", controller: true },
        ],
      },
    );
    expect(p.metadata).toMatchObject({
      uid: "u-1",
      creationTimestamp: "2025-01-01T00:00:00Z",
      deletionTimestamp: "2025-01-02T00:00:00Z",
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u-2", controller: true },
      ],
    });
  });

  it("clears the namespace of cluster-scoped objects", () => {
    const r = loadObject({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n", namespace: "x" },
    });
    expect(lines(r)).toEqual([]);
    expect(r.nodes[0]?.metadata.namespace).toBe("");
    expect(r.nodes[0]?.source.object).toBe("Node n");
  });
});

describe("node defaulting", () => {
  it("allocatable defaults to capacity when absent", () => {
    const r = loadObject({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      status: { capacity: { cpu: "4", memory: "8Gi", pods: 110 } },
    });
    expect(rl(r.nodes[0]!.status.allocatable)).toEqual(["cpu=4", "memory=8Gi", "pods=110"]);
  });

  it("an explicit allocatable, even empty, is kept", () => {
    const r = loadObject({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      status: { capacity: { cpu: "4" }, allocatable: {} },
    });
    expect(r.nodes[0]!.status.allocatable.size).toBe(0);
  });

  it("decodes spec and status", () => {
    const r = loadObject({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n", labels: { "kubernetes.io/hostname": "n" } },
      spec: { unschedulable: true, taints: [{ key: "k", effect: "NoExecute" }] },
      status: {
        images: [{ names: ["nginx:1"], sizeBytes: 1000 }],
        conditions: [{ type: "Ready", status: "True" }],
      },
    });
    expect(lines(r)).toEqual([]);
    const n = r.nodes[0]!;
    expect(n.spec).toEqual({
      unschedulable: true,
      taints: [{ key: "k", value: "", effect: "NoExecute" }],
    });
    expect(n.status.images).toEqual([{ names: ["nginx:1"], sizeBytes: 1000 }]);
    expect(n.status.conditions).toEqual([{ type: "Ready", status: "True" }]);
    expect(n.status.capacity.size).toBe(0);
  });
});

describe("namespace defaulting", () => {
  it("adds kubernetes.io/metadata.name", () => {
    const r = collectManifestsFromString(
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {env: prod}\n",
      "ns.yaml",
    );
    expect(r.namespaces[0]?.metadata.labels).toEqual({
      env: "prod",
      "kubernetes.io/metadata.name": "team",
    });
    expect(r.namespaces[0]?.metadata.namespace).toBe("");
  });
});

describe("kept kinds", () => {
  it("decode metadata with the kind's scope and keep the body", () => {
    const r = collectManifestsFromString(
      [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n",
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast, namespace: x}\nprovisioner: p\n",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb, namespace: web}\n",
      ].join("---\n"),
      "k.yaml",
    );
    expect(lines(r)).toEqual([]);
    expect(
      r.kept.map((k) => [k.apiVersion, k.kind, k.metadata.namespace, k.metadata.name]),
    ).toEqual([
      ["apps/v1", "Deployment", "default", "web"],
      ["storage.k8s.io/v1", "StorageClass", "", "fast"],
      ["policy/v1", "PodDisruptionBudget", "web", "pdb"],
    ]);
    expect(r.kept[0]?.body["spec"]).toEqual({ replicas: 3 });
  });

  it("check the kind's name rule (Services are DNS-1035 labels)", () => {
    const r = collectManifestsFromString(
      "apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n",
      "s.yaml",
    );
    expect(lines(r)).toEqual([
      `s.yaml: Service default/1web: metadata.name: "1web" is not a valid name: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`,
    ]);
  });
});
