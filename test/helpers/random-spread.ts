/**
 * fast-check arbitraries for PodTopologySpread: clusters whose nodes carry zones, regions,
 * hostnames and custom topology keys (each sometimes missing), node labels that node affinity
 * selects on, NoSchedule / NoExecute taints (some tolerated), bound pods labelled from a small
 * vocabulary (`app`, `tier`) across two namespaces (some terminating), Services / ReplicaSets /
 * StatefulSets that select pods (System default constraints), and incoming pods with 0–3
 * `topologySpreadConstraints` covering every field the plugin reads: topologyKey, maxSkew,
 * whenUnsatisfiable, a nil / `{}` / matchLabels / matchExpressions selector, minDomains,
 * nodeAffinityPolicy, nodeTaintsPolicy and matchLabelKeys — plus nodeSelector and required node
 * affinity (the inclusion policy), tolerations, and a controller owner reference.
 *
 * No pod (anti-)affinity and no host ports: InterPodAffinity and NodePorts stay out of the way.
 * Every selector is valid (the reference's Error path for an invalid selector is not exercised).
 */
import fc from "fast-check";
import type {
  PodTopologySpreadArgs,
  PodTopologySpreadConstraintsDefaulting,
} from "../../src/config/types.ts";
import type {
  Affinity,
  KeptObject,
  LabelSelector,
  Labels,
  Namespace,
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  OwnerReference,
  Pod,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from "../../src/model/types.ts";
import { makeNode, makePod, type QuantityMap } from "./builders.ts";
import {
  crowdedArb,
  labelRequirementArb,
  labelSelectorArb,
  labelsArb,
  namespaceObject,
  objectMeta,
  TEST_SOURCE,
} from "./random-common.ts";

export const ZONE = "topology.kubernetes.io/zone";
export const REGION = "topology.kubernetes.io/region";
export const HOSTNAME = "kubernetes.io/hostname";
/** Custom topology keys (each missing on some nodes). */
export const RACK = "example.com/rack";
export const POOL = "pool";
/** Node label used by nodeSelector / node affinity only. */
export const DISK = "disk";

/** Every topology key a constraint may name. */
export const TOPOLOGY_KEYS = [ZONE, HOSTNAME, RACK, POOL, REGION] as const;
export const NAMESPACES = ["default", "team"] as const;

const ZONES = ["z1", "z2", "z3", "z4"];
const RACKS = ["r0", "r1", "r2", "r3", "r4", "r5"];

// ---------------------------------------------------------------------------------------------
// Labels and selectors

/** Pod labels from the vocabulary: `app` and `tier`, each present or not. */
export const podLabelsArb: fc.Arbitrary<Labels> = labelsArb(4);

/**
 * A constraint's labelSelector: nil (matches nothing), `{}` (labels.Everything(): counts 0 but
 * the pod matches itself), matchLabels (often the pod's own labels, so placements feed back into
 * the counts), matchExpressions, or both.
 */
function constraintSelectorArb(own: Labels): fc.Arbitrary<LabelSelector | undefined> {
  return labelSelectorArb(own, podLabelsArb, { own: 3, matchLabels: 5 });
}

// ---------------------------------------------------------------------------------------------
// Spread constraints

const policyArb = fc.option(fc.constantFrom<"Honor" | "Ignore">("Honor", "Ignore"), {
  nil: undefined,
  freq: 2,
});

/** One constraint for a pod with labels `own`, on `topologyKey`. */
function constraintArb(
  own: Labels,
  topologyKey: string,
  whenUnsatisfiable: TopologySpreadConstraint["whenUnsatisfiable"],
): fc.Arbitrary<TopologySpreadConstraint> {
  return fc
    .record({
      maxSkew: fc.oneof(
        { weight: 3, arbitrary: fc.constant(1) },
        { weight: 2, arbitrary: fc.integer({ min: 2, max: 3 }) },
      ),
      labelSelector: constraintSelectorArb(own),
      // minDomains is only valid with DoNotSchedule (API validation).
      minDomains: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined, freq: 2 }),
      nodeAffinityPolicy: policyArb,
      nodeTaintsPolicy: policyArb,
      matchLabelKeys: fc.oneof(
        { weight: 4, arbitrary: fc.constant<string[]>([]) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<string[]>(["app"], ["tier"], ["app", "tier"], ["absent"]),
        },
      ),
    })
    .map((o) => ({
      maxSkew: o.maxSkew,
      topologyKey,
      whenUnsatisfiable,
      ...(o.labelSelector === undefined ? {} : { labelSelector: o.labelSelector }),
      ...(o.minDomains === undefined || whenUnsatisfiable !== "DoNotSchedule"
        ? {}
        : { minDomains: o.minDomains }),
      ...(o.nodeAffinityPolicy === undefined ? {} : { nodeAffinityPolicy: o.nodeAffinityPolicy }),
      ...(o.nodeTaintsPolicy === undefined ? {} : { nodeTaintsPolicy: o.nodeTaintsPolicy }),
      matchLabelKeys: o.matchLabelKeys,
    }));
}

const whenArb = fc.constantFrom<TopologySpreadConstraint["whenUnsatisfiable"]>(
  "DoNotSchedule",
  "ScheduleAnyway",
);

/**
 * `min`…`max` constraints for a pod with labels `own`, pairwise distinct in (topologyKey,
 * whenUnsatisfiable) as API validation requires. Hostname and zone are the likeliest keys.
 */
export function constraintsArb(
  own: Labels,
  min = 0,
  max = 3,
): fc.Arbitrary<TopologySpreadConstraint[]> {
  const keyArb = fc.oneof(
    { weight: 3, arbitrary: fc.constant(ZONE) },
    { weight: 3, arbitrary: fc.constant(HOSTNAME) },
    { weight: 2, arbitrary: fc.constant(RACK) },
    { weight: 1, arbitrary: fc.constant(POOL) },
    { weight: 1, arbitrary: fc.constant(REGION) },
  );
  return fc
    .uniqueArray(fc.tuple(keyArb, whenArb), {
      minLength: min,
      maxLength: max,
      selector: ([k, w]) => `${k}/${w}`,
    })
    .chain((pairs) =>
      pairs.length === 0
        ? fc.constant<TopologySpreadConstraint[]>([])
        : fc.tuple(...pairs.map(([k, w]) => constraintArb(own, k, w))),
    );
}

/**
 * PodTopologySpreadArgs: System defaulting (most often), or List with 0–2 default constraints
 * (no labelSelector, as validation requires; the default selector replaces it).
 */
export const spreadArgsArb: fc.Arbitrary<PodTopologySpreadArgs> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constant<PodTopologySpreadArgs>({
      kind: "PodTopologySpreadArgs",
      defaultingType: "System",
      defaultConstraints: [],
    }),
  },
  {
    weight: 1,
    arbitrary: constraintsArb({}, 0, 2).map((cs) => ({
      kind: "PodTopologySpreadArgs" as const,
      defaultingType: "List" as PodTopologySpreadConstraintsDefaulting,
      defaultConstraints: cs.map(({ labelSelector: _drop, ...c }) => c),
    })),
  },
);

// ---------------------------------------------------------------------------------------------
// Nodes

const TAINTS: readonly Taint[] = [
  { key: "dedicated", value: "gpu", effect: "NoSchedule" },
  { key: "maintenance", value: "", effect: "NoExecute" },
  { key: "spot", value: "true", effect: "NoSchedule" },
  { key: "slow", value: "yes", effect: "PreferNoSchedule" },
];

/** Tolerations of some of {@link TAINTS}. */
const TOLERATIONS: readonly Partial<Toleration>[] = [
  { key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" },
  { key: "maintenance", operator: "Exists", effect: "NoExecute" },
  { key: "spot", operator: "Exists", effect: "" },
];

function nodeArb(): fc.Arbitrary<(i: number) => Node> {
  return fc
    .record({
      zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 6 }),
      region: fc.oneof(
        { weight: 6, arbitrary: fc.constant<"derived">("derived") },
        { weight: 1, arbitrary: fc.constant<"none">("none") },
        { weight: 1, arbitrary: fc.constant("r9") },
      ),
      rack: fc.option(fc.constantFrom(...RACKS), { nil: undefined, freq: 4 }),
      pool: fc.option(fc.constantFrom("a", "b"), { nil: undefined, freq: 3 }),
      disk: fc.option(fc.constantFrom("ssd", "hdd"), { nil: undefined, freq: 3 }),
      noHostname: fc.integer({ min: 0, max: 24 }).map((x) => x === 0),
      cpu: fc.constantFrom("500m", "2", "4", "8"),
      memory: fc.constantFrom("2Gi", "16Gi", "64Gi"),
      pods: fc.constantFrom("1", "4", "110", "110", "110"),
      taints: fc.oneof(
        { weight: 4, arbitrary: fc.constant<Taint[]>([]) },
        {
          weight: 1,
          arbitrary: fc.uniqueArray(fc.constantFrom(...TAINTS), { minLength: 1, maxLength: 2 }),
        },
      ),
      unschedulable: fc.integer({ min: 0, max: 30 }).map((x) => x === 0),
    })
    .map((o) => (i: number) => {
      const name = `n${i}`;
      const labels: Record<string, string> = {};
      if (o.rack !== undefined) labels[RACK] = o.rack;
      if (o.pool !== undefined) labels[POOL] = o.pool;
      if (o.disk !== undefined) labels[DISK] = o.disk;
      if (o.zone !== undefined) {
        if (o.region === "derived") labels[REGION] = o.zone < "z3" ? "r1" : "r2";
        else if (o.region !== "none") labels[REGION] = o.region;
      }
      const n = makeNode({
        name,
        labels,
        ...(o.zone === undefined ? {} : { zone: o.zone }),
        allocatable: { cpu: o.cpu, memory: o.memory, pods: o.pods, "ephemeral-storage": "100Gi" },
        unschedulable: o.unschedulable,
        taints: o.taints,
      });
      if (!o.noHostname) return n;
      const { [HOSTNAME]: _drop, ...rest } = n.metadata.labels;
      return { ...n, metadata: { ...n.metadata, labels: rest } };
    });
}

// ---------------------------------------------------------------------------------------------
// Cluster objects

const requestsArb: fc.Arbitrary<QuantityMap> = fc.record({
  cpu: fc.constantFrom("0", "100m", "250m", "500m", "1"),
  memory: fc.constantFrom("0", "128Mi", "512Mi", "1Gi"),
});

/** A Service, ReplicaSet or StatefulSet with `body.spec.selector`. */
export function keptObject(
  kind: "Service" | "ReplicaSet" | "StatefulSet",
  namespace: string,
  name: string,
  selector: unknown,
): KeptObject {
  return {
    apiVersion: kind === "Service" ? "v1" : "apps/v1",
    kind,
    metadata: objectMeta(name, namespace),
    body: { spec: { selector } },
    source: { ...TEST_SOURCE, object: `${kind} ${namespace}/${name}` },
  };
}

/** Controllers the cluster may hold; pods may name them (existing or not) as their owner. */
const CONTROLLERS = [
  { kind: "ReplicaSet", name: "rs-0" },
  { kind: "ReplicaSet", name: "rs-1" },
  { kind: "StatefulSet", name: "sts-0" },
] as const;

const nsArb = fc.constantFrom(...NAMESPACES);

/** A ReplicaSet / StatefulSet `spec.selector` (a LabelSelector, as the API stores it). */
const controllerSelectorArb: fc.Arbitrary<unknown> = fc.oneof(
  podLabelsArb.filter((l) => Object.keys(l).length > 0).map((matchLabels) => ({ matchLabels })),
  fc
    .array(labelRequirementArb, { minLength: 1, maxLength: 2 })
    .map((matchExpressions) => ({ matchExpressions })),
  fc
    .tuple(podLabelsArb, fc.array(labelRequirementArb, { maxLength: 1 }))
    .map(([matchLabels, matchExpressions]) => ({ matchLabels, matchExpressions })),
);

/** 0–2 Services (a label map, sometimes `{}`), and some of the ReplicaSets / StatefulSet. */
const keptArb: fc.Arbitrary<KeptObject[]> = fc
  .tuple(
    fc.array(fc.tuple(nsArb, podLabelsArb), { maxLength: 2 }),
    fc.tuple(
      ...CONTROLLERS.map((c) =>
        fc.option(
          fc
            .tuple(nsArb, controllerSelectorArb)
            .map(([ns, sel]) => keptObject(c.kind, ns, c.name, sel)),
          { nil: undefined, freq: 2 },
        ),
      ),
    ),
  )
  .map(([services, controllers]) => [
    ...services.map(([ns, sel], k) => keptObject("Service", ns, `svc-${k}`, sel)),
    ...controllers.filter((c): c is KeptObject => c !== undefined),
  ]);

function controllerRef(kind: string, name: string): OwnerReference {
  return { apiVersion: "apps/v1", kind, name, uid: `uid-${name}`, controller: true };
}

const ownerArb: fc.Arbitrary<OwnerReference | undefined> = fc.option(
  fc.constantFrom(...CONTROLLERS).map((c) => controllerRef(c.kind, c.name)),
  { nil: undefined, freq: 2 },
);

function withOwner(p: Pod, owner: OwnerReference | undefined): Pod {
  return owner === undefined ? p : { ...p, metadata: { ...p.metadata, ownerReferences: [owner] } };
}

const boundPodArb = fc.record({
  namespace: fc.oneof(
    { weight: 3, arbitrary: fc.constant("default") },
    { weight: 1, arbitrary: fc.constant("team") },
  ),
  labels: podLabelsArb,
  requests: requestsArb,
  terminating: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
  owner: ownerArb,
});

export interface SpreadCluster {
  readonly nodes: readonly Node[];
  readonly bound: readonly Pod[];
  readonly namespaces: readonly Namespace[];
  readonly kept: readonly KeptObject[];
}

/**
 * A cluster of `minNodes`…`maxNodes` nodes with up to `podsPerNode` bound pods per node on
 * average, 1–2 Namespaces and some Services / ReplicaSets / StatefulSets.
 */
export function spreadClusterArb(
  maxNodes: number,
  minNodes = 1,
  podsPerNode = 2,
): fc.Arbitrary<SpreadCluster> {
  return fc.integer({ min: minNodes, max: maxNodes }).chain((n) =>
    fc
      .record({
        nodes: fc.array(nodeArb(), { minLength: n, maxLength: n }),
        bound: crowdedArb(n, podsPerNode, boundPodArb),
        teamNamespace: fc.boolean(),
        kept: keptArb,
      })
      .map((o) => ({
        nodes: o.nodes.map((make, i) => make(i)),
        bound: o.bound.map(([at, b], k) =>
          withOwner(
            makePod({
              name: `bound-${k}`,
              namespace: b.namespace,
              uid: `uid-bound-${k}`,
              labels: b.labels,
              requests: b.requests,
              nodeName: `n${at}`,
              ...(b.terminating ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}),
            }),
            b.owner,
          ),
        ),
        namespaces: (o.teamNamespace ? NAMESPACES : NAMESPACES.slice(0, 1)).map((ns) =>
          namespaceObject(ns),
        ),
        kept: o.kept,
      })),
  );
}

// ---------------------------------------------------------------------------------------------
// Incoming pods

const nodeRequirementArb: fc.Arbitrary<NodeSelectorRequirement> = fc.oneof(
  fc.record({
    key: fc.constant(ZONE),
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    key: fc.constant(RACK),
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.uniqueArray(fc.constantFrom(...RACKS), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    key: fc.constantFrom(DISK, POOL),
    operator: fc.constantFrom<"Exists" | "DoesNotExist">("Exists", "DoesNotExist"),
    values: fc.constant([]),
  }),
  fc.record({
    key: fc.constant(DISK),
    operator: fc.constant<"In">("In"),
    values: fc.constant(["ssd"]),
  }),
);

function nodeTermArb(nodeCount: number): fc.Arbitrary<NodeSelectorTerm> {
  return fc.record({
    matchExpressions: fc.array(nodeRequirementArb, { minLength: 1, maxLength: 2 }),
    matchFields: fc.oneof(
      { weight: 8, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc
          .uniqueArray(fc.integer({ min: 0, max: Math.max(nodeCount - 1, 0) }), {
            minLength: 1,
            maxLength: 12,
          })
          .map((ix): NodeSelectorRequirement[] => [
            { key: "metadata.name", operator: "In", values: ix.map((i) => `n${i}`) },
          ]),
      },
    ),
  });
}

function requiredAffinityArb(nodeCount: number): fc.Arbitrary<Affinity | undefined> {
  return fc.option(
    fc.array(nodeTermArb(nodeCount), { minLength: 1, maxLength: 2 }).map(
      (nodeSelectorTerms): Affinity => ({
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms },
          preferredDuringSchedulingIgnoredDuringExecution: [],
        },
      }),
    ),
    { nil: undefined, freq: 4 },
  );
}

export interface SpreadPodOptions {
  /** Least / most own constraints (default 0…3). */
  readonly minConstraints?: number;
  readonly maxConstraints?: number;
}

/**
 * An incoming (unbound) pod named `name`: labels, namespace, requests, tolerations, sometimes a
 * nodeSelector and required node affinity, sometimes a controller owner reference, and
 * `minConstraints`…`maxConstraints` topology spread constraints (0 → the default constraints
 * apply when a Service / ReplicaSet / StatefulSet selects it).
 */
export function spreadPodArb(
  nodeCount: number,
  name: string,
  o: SpreadPodOptions = {},
): fc.Arbitrary<Pod> {
  const min = o.minConstraints ?? 0;
  const max = o.maxConstraints ?? 3;
  const constraints = (labels: Labels): fc.Arbitrary<TopologySpreadConstraint[]> =>
    min > 0
      ? constraintsArb(labels, min, max)
      : fc.oneof(
          { weight: 1, arbitrary: fc.constant<TopologySpreadConstraint[]>([]) },
          { weight: 4, arbitrary: constraintsArb(labels, 1, max) },
        );
  return podLabelsArb.chain((labels) =>
    fc
      .record({
        namespace: fc.oneof(
          { weight: 3, arbitrary: fc.constant("default") },
          { weight: 1, arbitrary: fc.constant("team") },
        ),
        constraints: constraints(labels),
        requests: requestsArb,
        tolerations: fc.subarray([...TOLERATIONS]),
        nodeSelector: fc.oneof(
          { weight: 5, arbitrary: fc.constant<Labels>({}) },
          { weight: 1, arbitrary: fc.constant<Labels>({ [DISK]: "ssd" }) },
          { weight: 1, arbitrary: fc.constantFrom<Labels>({ [POOL]: "a" }, { [POOL]: "b" }) },
        ),
        affinity: requiredAffinityArb(nodeCount),
        owner: ownerArb,
      })
      .map((r) =>
        withOwner(
          makePod({
            name,
            namespace: r.namespace,
            uid: `uid-${r.namespace}-${name}`,
            labels,
            requests: r.requests,
            tolerations: r.tolerations,
            nodeSelector: r.nodeSelector,
            ...(r.affinity === undefined ? {} : { affinity: r.affinity }),
            topologySpreadConstraints: r.constraints,
          }),
          r.owner,
        ),
      ),
  );
}
