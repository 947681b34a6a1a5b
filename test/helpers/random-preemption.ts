/**
 * fast-check arbitraries for DefaultPreemption (PostFilter): small, crowded clusters where pods
 * compete, so a good share of incoming pods fit nowhere and preemption runs.
 *
 * - Nodes: zone (sometimes missing) and hostname labels, small allocatable (cpu 1–4, memory
 *   2–8Gi, pods 3–10), sometimes `disk: ssd` (nodeSelector), a NoSchedule taint, or
 *   `unschedulable` (both UnschedulableAndUnresolvable unless tolerated).
 * - Bound pods, 0–6 per node (they may over-commit it): priorities from {−10, 0, 100, 1000} or
 *   unset, `status.startTime` from a few RFC 3339 instants with nanoseconds (some equal, one
 *   written with an offset) or none, labels from a small vocabulary (`app`, `tier`) in two
 *   namespaces, some terminating (a few of those terminating by preemption: a DisruptionTarget
 *   condition), some with host port 8080 (several on one node too: bound pods bypass NodePorts),
 *   some with required
 *   anti-affinity of their own against `app` labels (the incoming pod's Filter fails on existing
 *   pods' anti-affinity). Many nodes also get a filler pod that takes the cpu left.
 * - PodDisruptionBudgets over label selectors (matchLabels, matchExpressions, `{}` — ignored),
 *   with minAvailable / maxUnavailable as integers and percentages, with or without
 *   `status.disruptionsAllowed` (without: computed from the bound pods), some with
 *   `status.disruptedPods`.
 * - Incoming pods with higher / equal / lower priority, sometimes `preemptionPolicy: Never`,
 *   sometimes `status.nominatedNodeName` (an existing node or a missing one), sometimes required
 *   anti-affinity (hostname or zone) or required affinity, sometimes DoNotSchedule topology
 *   spread constraints (including a `{}` selector: the dry run's AddPod / RemovePod quirk),
 *   sometimes a nodeSelector, a toleration or host port 8080, rarely required node affinity on
 *   `metadata.name` (a NodeAffinity PreFilterResult) or `spec.nodeName`.
 *
 * Every selector is valid: the engines' Error paths are not exercised.
 */
import fc from "fast-check";
import type { DefaultPreemptionArgs } from "../../src/config/types.ts";
import type {
  Affinity,
  KeptObject,
  LabelSelector,
  Labels,
  Namespace,
  Node,
  Pod,
  PodAffinityTerm,
  Taint,
  TopologySpreadConstraint,
} from "../../src/model/types.ts";
import { type ContainerOptions, makeNode, makePod } from "./builders.ts";
import {
  APPS,
  labelsArb,
  namespaceObject,
  objectMeta,
  TEST_SOURCE,
  TIERS,
} from "./random-common.ts";

/** Names the k-th pod of a sequence built from templates (test/helpers/random-common.ts). */
export { renamed } from "./random-common.ts";

export const ZONE = "topology.kubernetes.io/zone";
export const HOSTNAME = "kubernetes.io/hostname";
export const DISK = "disk";
export const NAMESPACES = ["default", "team"] as const;
/** Priorities of bound pods (unset = 0 is also drawn). */
export const PRIORITIES = [-10, 0, 100, 1000] as const;

const ZONES = ["z1", "z2", "z3"];

/** Start times: some equal instants written differently, nanosecond differences. */
export const START_TIMES = [
  "2025-01-01T00:00:00Z",
  "2025-01-01T00:00:00.000000001Z",
  "2025-01-01T00:00:00.5Z",
  "2025-01-01T00:00:00.500000000Z",
  "2025-01-01T00:00:01.123456789Z",
  "2025-01-01T01:00:01.123456789+01:00",
  "2024-12-31T23:59:59.999999999Z",
] as const;

/** The values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const TAINT: Taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };

// ---------------------------------------------------------------------------------------------
// Labels

/** Pod labels from the vocabulary: `app` and `tier`, each present or not. */
export const podLabelsArb: fc.Arbitrary<Labels> = labelsArb(5);

const nsArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant("default") },
  { weight: 1, arbitrary: fc.constant("team") },
);

function selector(matchLabels: Labels): LabelSelector {
  return { matchLabels, matchExpressions: [] };
}

/** Any pod with an `app` label. */
const ANY_APP: LabelSelector = {
  matchLabels: {},
  matchExpressions: [{ key: "app", operator: "Exists", values: [] }],
};

/** A required term on hostname (mostly) or zone, over one `app` value or any. */
const termArb: fc.Arbitrary<PodAffinityTerm> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...APPS).map((app) => selector({ app })) },
      { weight: 1, arbitrary: fc.constant(ANY_APP) },
    ),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(HOSTNAME) },
      { weight: 1, arbitrary: fc.constant(ZONE) },
    ),
  )
  .map(([labelSelector, topologyKey]) => ({
    labelSelector,
    namespaces: [],
    topologyKey,
    matchLabelKeys: [],
    mismatchLabelKeys: [],
  }));

/** Required node affinity on `metadata.name` (a NodeAffinity PreFilterResult). */
function onlyNodes(names: readonly string[]): Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [],
            matchFields: [{ key: "metadata.name", operator: "In", values: names }],
          },
        ],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
  };
}

function antiAffinity(terms: readonly PodAffinityTerm[]): Affinity {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: terms,
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
  };
}

/** `arb` one time in `n`, else undefined. */
function oneIn<T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: 1, arbitrary: arb },
    { weight: n - 1, arbitrary: fc.constant(undefined) },
  );
}

const HOST_PORT: ContainerOptions["ports"] = [{ containerPort: 8080, hostPort: 8080 }];

// ---------------------------------------------------------------------------------------------
// Nodes

const nodeArb = fc.record({
  zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 8 }),
  cpu: fc.constantFrom("1", "2", "3", "4"),
  memory: fc.constantFrom("2Gi", "4Gi", "8Gi"),
  pods: fc.constantFrom<string>("3", "4", "6", "10"),
  ssd: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
  tainted: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
  unschedulable: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
});

function makeClusterNode(i: number, o: ValueOf<typeof nodeArb>): Node {
  return makeNode({
    name: `n${i}`,
    ...(o.zone === undefined ? {} : { zone: o.zone }),
    labels: o.ssd ? { [DISK]: "ssd" } : {},
    allocatable: { cpu: o.cpu, memory: o.memory, pods: o.pods, "ephemeral-storage": "100Gi" },
    unschedulable: o.unschedulable,
    taints: o.tainted ? [TAINT] : [],
  });
}

// ---------------------------------------------------------------------------------------------
// Bound pods

const boundPodArb = fc.record({
  namespace: nsArb,
  labels: podLabelsArb,
  priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined, freq: 8 }),
  start: fc.option(fc.constantFrom(...START_TIMES), { nil: undefined, freq: 4 }),
  cpu: fc.constantFrom<string>("0", "100m", "250m", "500m", "500m", "1", "1"),
  memory: fc.constantFrom("0", "256Mi", "512Mi", "1Gi"),
  /** 0: running; 1: terminating; 2: terminating by preemption. */
  terminating: fc.oneof(
    { weight: 14, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.constant(2) },
  ),
  hostPort: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  antiAffinity: oneIn(10, termArb),
});

function makeBoundPod(k: number, node: string, b: ValueOf<typeof boundPodArb>): Pod {
  const p = makePod({
    name: `bound-${k}`,
    namespace: b.namespace,
    uid: `uid-bound-${k}`,
    labels: b.labels,
    nodeName: node,
    containers: [
      { requests: { cpu: b.cpu, memory: b.memory }, ...(b.hostPort ? { ports: HOST_PORT } : {}) },
    ],
    ...(b.priority === undefined ? {} : { priority: b.priority }),
    ...(b.terminating > 0 ? { deletionTimestamp: "2025-01-02T00:00:00Z" } : {}),
    ...(b.antiAffinity === undefined ? {} : { affinity: antiAffinity([b.antiAffinity]) }),
  });
  const conditions =
    b.terminating === 2
      ? [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" }]
      : undefined;
  if (b.start === undefined && conditions === undefined) return p;
  const status = {
    ...p.status,
    ...(b.start === undefined ? {} : { startTime: b.start }),
    ...(conditions === undefined ? {} : { conditions }),
  } as Pod["status"];
  return { ...p, status };
}

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudgets

/** A policy/v1 PodDisruptionBudget as the manifest loader keeps it. */
export function pdbObject(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): KeptObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMeta(name, namespace),
    body: { spec, ...(status === undefined ? {} : { status }) },
    source: { ...TEST_SOURCE, object: `PodDisruptionBudget ${namespace}/${name}` },
  };
}

const pdbSelectorArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...APPS).map((app) => ({ matchLabels: { app } })) },
  { weight: 1, arbitrary: fc.constantFrom(...TIERS).map((tier) => ({ matchLabels: { tier } })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...APPS), { minLength: 1, maxLength: 2 })
      .map((values) => ({ matchExpressions: [{ key: "app", operator: "In", values }] })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ matchExpressions: [{ key: "tier", operator: "Exists" }] }),
  },
  // The empty selector: upstream's filterPodsWithPDBViolation skips it.
  { weight: 1, arbitrary: fc.constant({}) },
);

const budgetArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.integer({ min: 0, max: 3 }).map((minAvailable) => ({ minAvailable })),
  fc.constantFrom("50%", "80%", "100%").map((minAvailable) => ({ minAvailable })),
  fc.integer({ min: 0, max: 2 }).map((maxUnavailable) => ({ maxUnavailable })),
  fc.constantFrom("25%", "50%").map((maxUnavailable) => ({ maxUnavailable })),
);

/** `status`: none (computed), or disruptionsAllowed 0–2 and bound pods named as disrupted. */
function pdbStatusArb(boundCount: number): fc.Arbitrary<Record<string, unknown> | undefined> {
  return fc.option(
    fc
      .record({
        disruptionsAllowed: fc.integer({ min: 0, max: 2 }),
        disrupted: fc.oneof(
          { weight: 2, arbitrary: fc.constant<number[]>([]) },
          {
            weight: 1,
            arbitrary: fc.uniqueArray(fc.nat(Math.max(boundCount - 1, 0)), {
              minLength: 1,
              maxLength: 4,
            }),
          },
        ),
      })
      .map((s) => ({
        disruptionsAllowed: s.disruptionsAllowed,
        ...(s.disrupted.length === 0
          ? {}
          : {
              disruptedPods: Object.fromEntries(
                s.disrupted.map((k) => [`bound-${k}`, "2025-01-01T00:00:00Z"]),
              ),
            }),
      })),
    { nil: undefined, freq: 2 },
  );
}

function pdbsArb(boundCount: number): fc.Arbitrary<KeptObject[]> {
  return fc
    .array(fc.tuple(nsArb, pdbSelectorArb, budgetArb, pdbStatusArb(boundCount)), {
      maxLength: 3,
    })
    .map((list) =>
      list.map(([ns, sel, budget, status], k) =>
        pdbObject(`pdb-${k}`, ns, { selector: sel, ...budget }, status),
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Clusters

export const NAMESPACE_OBJECTS: readonly Namespace[] = NAMESPACES.map((ns) => namespaceObject(ns));

export interface PreemptionCluster {
  readonly nodes: readonly Node[];
  readonly bound: readonly Pod[];
  readonly namespaces: readonly Namespace[];
  /** The PodDisruptionBudgets. */
  readonly kept: readonly KeptObject[];
}

export interface PreemptionClusterOptions {
  /**
   * Whether two bound pods of a node may use the same host port (default true; false keeps at
   * most one bound pod per node on host port 8080).
   */
  readonly sharedHostPorts?: boolean;
  /** Every node allows 110 pods (default: a third of the clusters, drawn). */
  readonly roomy?: boolean;
}

/** Millicores of a cpu quantity as the generators write them (`"250m"`, `"2"`). */
function milliCPU(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** One node: its record, its bound pods, and a filler pod taking the cpu left (or none). */
function nodeWithPodsArb(least: number, most: number, fillPercent: number, roomy: boolean) {
  return fc.record({
    node: roomy ? nodeArb.map((o) => ({ ...o, pods: "110" })) : nodeArb,
    pods: fc.array(boundPodArb, { minLength: least, maxLength: most, size: "max" }),
    filler: fc.record({
      on: fc.integer({ min: 0, max: 99 }).map((x) => x < fillPercent),
      at: fc.nat(),
      pod: boundPodArb,
    }),
  });
}

/**
 * A cluster of `minNodes`…`maxNodes` nodes, each with 0–`maxPodsPerNode` bound pods (at least a
 * cluster-wide 0–3), and PDBs. In most clusters a share of the nodes (none, half, most, all)
 * also get a filler pod that requests the cpu the others leave: crowded clusters, where most
 * incoming pods fit nowhere. A third of the clusters are roomy in pods (110 per node): there,
 * pods that request nothing are stopped by host ports, pod (anti-)affinity or spread only.
 */
export function preemptionClusterArb(
  minNodes: number,
  maxNodes: number,
  maxPodsPerNode = 6,
  o: PreemptionClusterOptions = {},
): fc.Arbitrary<PreemptionCluster> {
  return fc
    .tuple(
      fc.integer({ min: minNodes, max: maxNodes }),
      fc.integer({ min: 0, max: Math.min(3, maxPodsPerNode) }),
      fc.constantFrom(0, 50, 85, 100),
      o.roomy === undefined
        ? fc.integer({ min: 0, max: 2 }).map((x) => x === 0)
        : fc.constant(o.roomy),
    )
    .chain(([n, least, fill, roomy]) =>
      fc.array(nodeWithPodsArb(least, maxPodsPerNode, fill, roomy), {
        minLength: n,
        maxLength: n,
        size: "max",
      }),
    )
    .chain((perNode) => {
      const bound: Pod[] = [];
      perNode.forEach(({ node, pods, filler }, i) => {
        const list = [...pods];
        const left = milliCPU(node.cpu) - list.reduce((sum, b) => sum + milliCPU(b.cpu), 0);
        if (filler.on && left > 0) {
          list.splice(filler.at % (list.length + 1), 0, { ...filler.pod, cpu: `${left}m` });
        }
        let ports = 0;
        for (const b of list) {
          const hostPort = b.hostPort && (o.sharedHostPorts !== false || ports++ === 0);
          bound.push(makeBoundPod(bound.length, `n${i}`, { ...b, hostPort }));
        }
      });
      return pdbsArb(bound.length).map(
        (kept): PreemptionCluster => ({
          nodes: perNode.map(({ node }, i) => makeClusterNode(i, node)),
          bound,
          namespaces: NAMESPACE_OBJECTS,
          kept,
        }),
      );
    });
}

// ---------------------------------------------------------------------------------------------
// Incoming pods

const incomingPriorityArb: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(1000) },
  { weight: 2, arbitrary: fc.constant(100) },
  { weight: 2, arbitrary: fc.constant(2000) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(-10) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** A DoNotSchedule constraint: `{}` selector, the pod's own labels, an `app` value or any. */
function spreadArb(own: Labels): fc.Arbitrary<TopologySpreadConstraint[]> {
  return fc
    .record({
      key: fc.constantFrom(ZONE, HOSTNAME),
      maxSkew: fc.constantFrom(1, 1, 2),
      sel: fc.oneof(
        { weight: 2, arbitrary: fc.constant(selector({})) },
        { weight: 2, arbitrary: fc.constant(selector(own)) },
        { weight: 1, arbitrary: fc.constantFrom(...APPS).map((app) => selector({ app })) },
        { weight: 2, arbitrary: fc.constant(ANY_APP) },
      ),
    })
    .map(({ key, maxSkew, sel }) => [
      {
        maxSkew,
        topologyKey: key,
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: sel,
        matchLabelKeys: [],
      },
    ]);
}

export interface IncomingOptions {
  /** Node count, for `status.nominatedNodeName`. */
  readonly nodeCount: number;
  /**
   * The pod requests nothing and has required anti-affinity, a spread constraint or a host port
   * (one at least): in a roomy cluster, those decide which nodes fail.
   */
  readonly constrained?: boolean;
}

/** An incoming (unbound) pod named `name`; see the module comment. */
export function incomingPodArb(name: string, o: IncomingOptions): fc.Arbitrary<Pod> {
  return podLabelsArb.chain((labels) =>
    fc
      .record({
        namespace: nsArb,
        priority: incomingPriorityArb,
        // One pod in five requests nothing: then only the pod count, host ports, pod
        // (anti-)affinity and spread constraints can make a node unschedulable.
        requests: fc.oneof(
          { weight: 1, arbitrary: fc.constant({ cpu: "0", memory: "0" }) },
          {
            weight: o.constrained === true ? 0 : 4,
            arbitrary: fc.record({
              cpu: fc.constantFrom("500m", "1", "1500m", "2", "3"),
              memory: fc.constantFrom("256Mi", "1Gi", "2Gi"),
            }),
          },
        ),
        never: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
        nominated: oneIn(
          6,
          fc.oneof(
            { weight: 4, arbitrary: fc.nat(Math.max(o.nodeCount - 1, 0)).map((k) => `n${k}`) },
            { weight: 1, arbitrary: fc.constant("gone") },
          ),
        ),
        anti: oneIn(
          o.constrained === true ? 2 : 4,
          fc.array(termArb, { minLength: 1, maxLength: 2 }),
        ),
        affinity: oneIn(15, termArb),
        spread: oneIn(o.constrained === true ? 2 : 4, spreadArb(labels)),
        ssd: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
        tolerates: fc.boolean(),
        hostPort: fc.integer({ min: 0, max: o.constrained === true ? 1 : 5 }).map((x) => x === 0),
        // NodeAffinity's PreFilterResult: nodes outside it are UnschedulableAndUnresolvable.
        onlyNodes: oneIn(
          12,
          fc.uniqueArray(
            fc.oneof(
              { weight: 6, arbitrary: fc.nat(Math.max(o.nodeCount - 1, 0)).map((k) => `n${k}`) },
              { weight: 1, arbitrary: fc.constant("gone") },
            ),
            { minLength: 1, maxLength: 8 },
          ),
        ),
        nodeName: oneIn(
          30,
          fc.nat(Math.max(o.nodeCount - 1, 0)).map((k) => `n${k}`),
        ),
      })
      .filter(
        (r) =>
          o.constrained !== true || r.anti !== undefined || r.spread !== undefined || r.hostPort,
      )
      .map((r) => {
        const affinity: Affinity | undefined =
          r.anti === undefined && r.affinity === undefined && r.onlyNodes === undefined
            ? undefined
            : {
                ...(r.onlyNodes === undefined ? {} : onlyNodes(r.onlyNodes)),
                ...(r.anti === undefined ? {} : antiAffinity(r.anti)),
                ...(r.affinity === undefined
                  ? {}
                  : {
                      podAffinity: {
                        requiredDuringSchedulingIgnoredDuringExecution: [r.affinity],
                        preferredDuringSchedulingIgnoredDuringExecution: [],
                      },
                    }),
              };
        return makePod({
          name,
          namespace: r.namespace,
          uid: `uid-${r.namespace}-${name}`,
          labels,
          containers: [
            {
              requests: r.requests,
              ...(r.hostPort ? { ports: HOST_PORT } : {}),
            },
          ],
          ...(r.priority === undefined ? {} : { priority: r.priority }),
          ...(r.nodeName === undefined ? {} : { nodeName: r.nodeName }),
          ...(r.never ? { preemptionPolicy: "Never" as const } : {}),
          ...(r.nominated === undefined ? {} : { nominatedNodeName: r.nominated }),
          ...(affinity === undefined ? {} : { affinity }),
          ...(r.spread === undefined ? {} : { topologySpreadConstraints: r.spread }),
          nodeSelector: r.ssd ? { [DISK]: "ssd" } : {},
          tolerations: r.tolerates ? [{ key: "dedicated", operator: "Exists" }] : [],
        });
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// DefaultPreemption args

/** The defaults (10 %, 100), or small values that make candidate sampling cut the dry run short. */
export const preemptionArgsArb: fc.Arbitrary<DefaultPreemptionArgs> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constant<DefaultPreemptionArgs>({
      kind: "DefaultPreemptionArgs",
      minCandidateNodesPercentage: 10,
      minCandidateNodesAbsolute: 100,
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        pct: fc.constantFrom(0, 10, 20),
        abs: fc.integer({ min: 1, max: 3 }),
      })
      .map(
        ({ pct, abs }): DefaultPreemptionArgs => ({
          kind: "DefaultPreemptionArgs",
          minCandidateNodesPercentage: pct,
          minCandidateNodesAbsolute: abs,
        }),
      ),
  },
);
