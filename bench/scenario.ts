/**
 * scheduler_perf-shaped inputs: nodes like its `node-default.yaml` (4 CPU, 32Gi, 110 pods) and
 * pods like its `pod-default.yaml` (100m CPU, 500Mi), built directly as objects.
 */
import { defaultSchedulerConfig } from "../src/config/index.ts";
import type { Profile } from "../src/config/types.ts";
import { restrictToCore } from "../src/core/scheduler.ts";
import { Quantity } from "../src/model/quantity.ts";
import type { Node, Pod } from "../src/model/types.ts";
import { defaultRegistry, withImplementedPlugins } from "../src/reference/index.ts";

const q = (s: string) => Quantity.parse(s);

/** `count` nodes shaped like scheduler_perf's node-default, across three zones. */
export function defaultNodes(count: number): Node[] {
  const allocatable = new Map([
    ["cpu", q("4")],
    ["memory", q("32Gi")],
    ["pods", q("110")],
  ]);
  return Array.from({ length: count }, (_, i) => {
    const name = `scheduler-perf-node-${i}`;
    return {
      kind: "Node",
      metadata: {
        name,
        namespace: "",
        uid: `uid-${name}`,
        labels: {
          "kubernetes.io/hostname": name,
          "topology.kubernetes.io/zone": `zone${i % 3}`,
          "topology.kubernetes.io/region": "region1",
        },
        annotations: {},
        ownerReferences: [],
      },
      spec: { unschedulable: false, taints: [] },
      status: { capacity: allocatable, allocatable, images: [], conditions: [] },
      source: { file: "<bench>" },
    } satisfies Node;
  });
}

/** A pod shaped like scheduler_perf's pod-default. */
export function defaultPod(name = "pod-default"): Pod {
  const requests = new Map([
    ["cpu", q("100m")],
    ["memory", q("500Mi")],
  ]);
  return {
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      labels: { app: "bench" },
      annotations: {},
      ownerReferences: [],
    },
    spec: {
      nodeName: "",
      schedulerName: "default-scheduler",
      nodeSelector: {},
      tolerations: [],
      containers: [
        {
          name: "pause",
          image: "registry.k8s.io/pause:3.10",
          resources: { requests, limits: new Map() },
          ports: [],
        },
      ],
      initContainers: [],
      overhead: new Map(),
      priorityClassName: "",
      topologySpreadConstraints: [],
      volumes: [],
      schedulingGates: [],
      hostNetwork: false,
    },
    status: {},
    source: { file: "<bench>" },
  };
}

/** The v1.35 default profile, restricted to the plugins both engines run today. */
export function defaultProfile(): Profile {
  const registry = defaultRegistry();
  return restrictToCore(
    withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, registry),
  );
}
