/**
 * fast-check arbitraries for random clusters and pods, shaped to reach every branch of the
 * node-local plugins: a small label vocabulary (so selectors match sometimes), numeric label
 * values (Gt / Lt), all taint effects, zero and tiny allocatables, extended resources, images,
 * host ports, init containers and sidecars, and bound pods that may over-commit a node.
 */
import fc from "fast-check";
import type {
  Affinity,
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  Taint,
  Toleration,
} from "../../src/model/types.ts";
import { type ContainerOptions, makeNode, makePod, type QuantityMap } from "./builders.ts";

const KEYS = ["zone", "tier", "disk", "gen", "team"];
const VALUES = ["a", "b", "c", "1", "5", "10", "ssd"];
const EXT = "example.com/gpu";
const IMAGES = ["nginx", "nginx:1.25", "redis:7", "busybox", "registry.k8s.io/pause:3.10"];

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const effect = fc.constantFrom<Taint["effect"]>("NoSchedule", "PreferNoSchedule", "NoExecute");

const cpu = fc.constantFrom("0", "100m", "250m", "500m", "1", "1500m", "2", "4", "8");
const mem = fc.constantFrom("0", "128Mi", "200Mi", "500Mi", "1Gi", "2Gi", "4Gi", "16Gi", "32Gi");

const taint: fc.Arbitrary<Partial<Taint>> = fc.record({ key, value, effect });

const toleration: fc.Arbitrary<Partial<Toleration>> = fc.oneof(
  fc.record({
    key,
    operator: fc.constant<"Equal">("Equal"),
    value,
    effect: fc.constantFrom<Toleration["effect"]>(
      "",
      "NoSchedule",
      "PreferNoSchedule",
      "NoExecute",
    ),
  }),
  fc.record({
    key: fc.oneof(key, fc.constant("")),
    operator: fc.constant<"Exists">("Exists"),
    value: fc.constant(""),
    effect: fc.constantFrom<Toleration["effect"]>(
      "",
      "NoSchedule",
      "PreferNoSchedule",
      "NoExecute",
    ),
  }),
  fc.constant<Partial<Toleration>>({
    key: "node.kubernetes.io/unschedulable",
    operator: "Exists",
    value: "",
    effect: "NoSchedule",
  }),
);

const requirement: fc.Arbitrary<NodeSelectorRequirement> = fc.oneof(
  fc.record({
    key,
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    key,
    operator: fc.constantFrom<"Exists" | "DoesNotExist">("Exists", "DoesNotExist"),
    values: fc.constant([]),
  }),
  fc.record({
    key,
    operator: fc.constantFrom<"Gt" | "Lt">("Gt", "Lt"),
    values: fc.constantFrom("0", "1", "5", "7", "-3").map((v) => [v]),
  }),
);

function fieldRequirement(nodeCount: number): fc.Arbitrary<NodeSelectorRequirement> {
  return fc.record({
    key: fc.constant("metadata.name"),
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.integer({ min: 0, max: nodeCount }).map((i) => [`n${i}`]),
  });
}

function term(nodeCount: number): fc.Arbitrary<NodeSelectorTerm> {
  return fc.record({
    matchExpressions: fc.array(requirement, { maxLength: 2 }),
    matchFields: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.array(fieldRequirement(nodeCount), { maxLength: 1 }) },
    ),
  });
}

function affinity(nodeCount: number): fc.Arbitrary<Affinity | undefined> {
  return fc.option(
    fc.record({
      nodeAffinity: fc.record({
        requiredDuringSchedulingIgnoredDuringExecution: fc.option(
          fc.record({
            nodeSelectorTerms: fc.array(term(nodeCount), { minLength: 1, maxLength: 2 }),
          }),
          { nil: undefined },
        ),
        preferredDuringSchedulingIgnoredDuringExecution: fc.array(
          fc.record({ weight: fc.integer({ min: 1, max: 100 }), preference: term(nodeCount) }),
          { maxLength: 3 },
        ),
      }),
    }),
    { nil: undefined, freq: 2 },
  );
}

const requests: fc.Arbitrary<QuantityMap> = fc
  .record(
    {
      cpu,
      memory: mem,
      "ephemeral-storage": fc.constantFrom("1Gi", "10Gi"),
      [EXT]: fc.constantFrom("0", "1", "2"),
    },
    { requiredKeys: [] },
  )
  .map((r) => r as QuantityMap);

const container: fc.Arbitrary<ContainerOptions> = fc.record({
  requests,
  image: fc.constantFrom(...IMAGES),
  ports: fc.oneof(
    { weight: 5, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          hostPort: fc.constantFrom(8080, 9090),
          protocol: fc.constantFrom<"TCP" | "UDP">("TCP", "UDP"),
          hostIP: fc.constantFrom("", "10.0.0.1", "0.0.0.0"),
        })
        .map((p) => [p]),
    },
  ),
});

/** A random pod (not bound unless `nodeName` is given). */
export function podArb(nodeCount: number, name: string): fc.Arbitrary<Pod> {
  return fc
    .record({
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
      initContainers: fc.array(
        fc.record({
          requests,
          restartPolicy: fc.option(fc.constant<"Always">("Always"), { nil: undefined }),
        }),
        { maxLength: 1 },
      ),
      nodeSelector: fc.dictionary(key, value, { maxKeys: 1 }),
      tolerations: fc.array(toleration, { maxLength: 3 }),
      affinity: affinity(nodeCount),
      nodeName: fc.oneof(
        { weight: 12, arbitrary: fc.constant("") },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: nodeCount }).map((i) => `n${i}`) },
      ),
    })
    .map((o) =>
      makePod({
        name,
        containers: o.containers,
        initContainers: o.initContainers.map((c) =>
          c.restartPolicy === undefined
            ? { requests: c.requests }
            : { requests: c.requests, restartPolicy: "Always" },
        ),
        nodeSelector: o.nodeSelector,
        tolerations: o.tolerations,
        ...(o.affinity === undefined ? {} : { affinity: o.affinity }),
        nodeName: o.nodeName,
      }),
    );
}

function nodeArb(i: number): fc.Arbitrary<Node> {
  return fc
    .record({
      labels: fc.dictionary(key, value, { maxKeys: 3 }),
      zone: fc.option(fc.constantFrom("z1", "z2", "z3"), { nil: undefined }),
      cpu: fc.constantFrom("0", "500m", "2", "4", "8", "16"),
      memory: fc.constantFrom("0", "1Gi", "4Gi", "16Gi", "64Gi"),
      pods: fc.constantFrom("0", "1", "3", "110"),
      eph: fc.constantFrom("0", "20Gi", "100Gi"),
      gpu: fc.option(fc.constantFrom("0", "1", "4"), { nil: undefined }),
      unschedulable: fc.boolean(),
      taints: fc.array(taint, { maxLength: 2 }),
      images: fc.array(
        fc.record({
          names: fc.subarray(["nginx:latest", "nginx:1.25", "redis:7", "busybox:latest"], {
            minLength: 1,
          }),
          sizeBytes: fc.constantFrom(10 * 2 ** 20, 300 * 2 ** 20, 800 * 2 ** 20, 2 ** 31),
        }),
        { maxLength: 2 },
      ),
    })
    .map((o) =>
      makeNode({
        name: `n${i}`,
        labels: o.labels,
        ...(o.zone === undefined ? {} : { zone: o.zone, region: "r1" }),
        allocatable: {
          cpu: o.cpu,
          memory: o.memory,
          pods: o.pods,
          "ephemeral-storage": o.eph,
          ...(o.gpu === undefined ? {} : { [EXT]: o.gpu }),
        },
        unschedulable: o.unschedulable && o.taints.length === 0,
        taints: o.taints,
        images: o.images,
      }),
    );
}

export interface RandomCluster {
  readonly nodes: readonly Node[];
  readonly bound: readonly Pod[];
}

/** A random cluster of minNodes…maxNodes nodes with up to 2 bound pods per node on average. */
export function clusterArb(maxNodes: number, minNodes = 1): fc.Arbitrary<RandomCluster> {
  return fc.integer({ min: minNodes, max: maxNodes }).chain((n) =>
    fc
      .tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => nodeArb(i))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), podArb(n, "b")), {
          maxLength: 2 * n,
          size: "max",
        }),
      )
      .map(([nodes, bound]) => ({
        nodes,
        bound: bound.map(([at, p], k) => ({
          ...p,
          metadata: { ...p.metadata, name: `bound-${k}`, uid: `uid-bound-${k}` },
          spec: { ...p.spec, nodeName: `n${at}` },
        })),
      })),
  );
}

/**
 * The cluster without PreferNoSchedule taints: TaintToleration then scores every node alike,
 * which is what lets the core select through its incremental tree (assembly/schedule.ts).
 */
export function plainCluster(c: RandomCluster): RandomCluster {
  return {
    nodes: c.nodes.map((n) => ({
      ...n,
      spec: { ...n.spec, taints: n.spec.taints.filter((t) => t.effect !== "PreferNoSchedule") },
    })),
    bound: c.bound,
  };
}

/** The pod without host ports and without preferred node affinity (see {@link plainCluster}). */
export function plainPod(p: Pod): Pod {
  const na = p.spec.affinity?.nodeAffinity;
  return {
    ...p,
    spec: {
      ...p.spec,
      containers: p.spec.containers.map((c) => ({ ...c, ports: [] })),
      ...(na === undefined
        ? {}
        : {
            affinity: {
              ...p.spec.affinity,
              nodeAffinity: { ...na, preferredDuringSchedulingIgnoredDuringExecution: [] },
            },
          }),
    },
  };
}
