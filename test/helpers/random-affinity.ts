/**
 * fast-check arbitraries for InterPodAffinity: clusters whose nodes carry zone, hostname and
 * rack topology keys (each sometimes missing; a few nodes have no labels at all), a few
 * NoSchedule taints, Namespace objects with labels (`default` {team: a}, `team` {team: b}; the
 * namespace `other` has no Namespace object), bound pods labelled from a small vocabulary (`app`,
 * `tier`) across the three namespaces (some terminating) — a share of them from up to six
 * workload templates that carry required and preferred pod affinity / anti-affinity terms of
 * their own — and incoming pods with 0–3 terms of each kind: required affinity, required
 * anti-affinity, preferred affinity, preferred anti-affinity (weights 1–100).
 *
 * Every field a term has is exercised: topologyKey (zone, hostname, rack, and a key no node
 * has), a nil / `{}` / matchLabels / matchExpressions labelSelector (often the owner's own
 * labels, so self-affine and self-anti-affine groups form and the first-pod exception is
 * reached), `namespaces`, a nil / `{}` / label-matching namespaceSelector, and matchLabelKeys /
 * mismatchLabelKeys. Also InterPodAffinityArgs (hardPodAffinityWeight, ignorePreferredTerms…).
 *
 * No topology spread constraints and no Services / ReplicaSets / StatefulSets (PodTopologySpread
 * skips), no node affinity, no host ports; requests are small, so NodeResourcesFit rarely
 * interferes. Every selector is valid (the PreFilter parse error is not exercised). The number of
 * distinct terms stays moderate: at most six templates carry terms, at most 2 + 1 + 2 + 2 each.
 */
import fc from "fast-check";
import type { InterPodAffinityArgs } from "../../src/config/types.ts";
import type {
  Affinity,
  LabelSelector,
  Labels,
  Namespace,
  Node,
  Pod,
  PodAffinity,
  PodAffinityTerm,
  Taint,
  Toleration,
  WeightedPodAffinityTerm,
} from "../../src/model/types.ts";
import { makeNode, makePod, type QuantityMap } from "./builders.ts";
import { APPS, crowdedArb, labelSelectorArb, labelsArb, namespaceObject } from "./random-common.ts";

export const ZONE = "topology.kubernetes.io/zone";
export const HOSTNAME = "kubernetes.io/hostname";
/** A custom topology key, missing on a third of the nodes. */
export const RACK = "example.com/rack";
/** A topology key no node has. */
export const ABSENT_KEY = "example.com/absent";

/** Every topology key a term may name. */
export const TOPOLOGY_KEYS = [ZONE, HOSTNAME, RACK, ABSENT_KEY] as const;
/** Pod namespaces; `other` has no Namespace object. */
export const NAMESPACES = ["default", "team", "other"] as const;
/** Labels of the Namespace objects (`kubernetes.io/metadata.name` is added). */
export const NAMESPACE_LABELS: Readonly<Record<string, Labels>> = {
  default: { team: "a" },
  team: { team: "b" },
};

const ZONES = ["z1", "z2", "z3"];
const RACKS = ["r0", "r1", "r2", "r3", "r4", "r5"];

// ---------------------------------------------------------------------------------------------
// Labels and selectors

/** Pod labels from the vocabulary: `app` and `tier`, each present or not. */
export const podLabelsArb: fc.Arbitrary<Labels> = labelsArb(5);

/**
 * A term's labelSelector: nil (matches nothing), `{}` (everything), matchLabels (mostly a
 * non-empty part of the owner's own labels: a self-affine group), matchExpressions, or both.
 */
function termSelectorArb(own: Labels): fc.Arbitrary<LabelSelector | undefined> {
  return labelSelectorArb(own, podLabelsArb, { own: 4, matchLabels: 6 });
}

/**
 * A namespaceSelector: nil (mostly: `namespaces` or the owner's namespace decide), `{}` (every
 * namespace, with or without a Namespace object), or one matching the Namespace objects' labels.
 */
const namespaceSelectorArb: fc.Arbitrary<LabelSelector | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant<LabelSelector>({ matchLabels: {}, matchExpressions: [] }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<LabelSelector>(
      { matchLabels: { team: "a" }, matchExpressions: [] },
      { matchLabels: { team: "b" }, matchExpressions: [] },
      { matchLabels: {}, matchExpressions: [{ key: "team", operator: "In", values: ["b"] }] },
      { matchLabels: {}, matchExpressions: [{ key: "team", operator: "Exists", values: [] }] },
      { matchLabels: {}, matchExpressions: [{ key: "team", operator: "NotIn", values: ["a"] }] },
      { matchLabels: { "kubernetes.io/metadata.name": "team" }, matchExpressions: [] },
    ),
  },
);

/** A term's `namespaces` list (empty: the owner's namespace unless a namespaceSelector is set). */
function namespacesArb(ownNamespace: string): fc.Arbitrary<string[]> {
  return fc.oneof(
    { weight: 7, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.constant<string[]>([ownNamespace]) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<string[]>(["default", "team"], ["other"], ["team"], ["default"]),
    },
  );
}

/** matchLabelKeys / mismatchLabelKeys, disjoint (API validation); only with a labelSelector. */
interface LabelKeys {
  readonly match: string[];
  readonly mismatch: string[];
}
const labelKeysArb: fc.Arbitrary<LabelKeys> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<LabelKeys>({ match: [], mismatch: [] }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<LabelKeys>(
      { match: ["app"], mismatch: [] },
      { match: ["tier"], mismatch: [] },
      { match: [], mismatch: ["app"] },
      { match: [], mismatch: ["tier"] },
      { match: ["app"], mismatch: ["tier"] },
      { match: ["absent"], mismatch: [] },
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// Affinity terms

/** Hostname and zone are the likeliest keys; a key no node has is rare. */
const topologyKeyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(ZONE) },
  { weight: 6, arbitrary: fc.constant(HOSTNAME) },
  { weight: 4, arbitrary: fc.constant(RACK) },
  { weight: 1, arbitrary: fc.constant(ABSENT_KEY) },
);

/** One PodAffinityTerm of a pod with labels `own` in namespace `ownNamespace`. */
export function termArb(own: Labels, ownNamespace: string): fc.Arbitrary<PodAffinityTerm> {
  return fc
    .record({
      labelSelector: termSelectorArb(own),
      namespaces: namespacesArb(ownNamespace),
      namespaceSelector: namespaceSelectorArb,
      keys: labelKeysArb,
      topologyKey: topologyKeyArb,
    })
    .map((o) => ({
      ...(o.labelSelector === undefined ? {} : { labelSelector: o.labelSelector }),
      namespaces: o.namespaces,
      topologyKey: o.topologyKey,
      ...(o.namespaceSelector === undefined ? {} : { namespaceSelector: o.namespaceSelector }),
      matchLabelKeys: o.labelSelector === undefined ? [] : o.keys.match,
      mismatchLabelKeys: o.labelSelector === undefined ? [] : o.keys.mismatch,
    }));
}

/** A preferred term's weight: 1…100, the bounds likelier. */
const weightArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(1, 100) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 100 }) },
);

function weightedTermArb(own: Labels, ns: string): fc.Arbitrary<WeightedPodAffinityTerm> {
  return fc
    .tuple(weightArb, termArb(own, ns))
    .map(([weight, podAffinityTerm]) => ({ weight, podAffinityTerm }));
}

/** How many terms of each kind: [least, most]. */
export interface TermCounts {
  readonly requiredAffinity: readonly [number, number];
  readonly requiredAntiAffinity: readonly [number, number];
  readonly preferredAffinity: readonly [number, number];
  readonly preferredAntiAffinity: readonly [number, number];
}

/** 0 most often, then 1, 2, 3 (capped at `max`). */
function countArb([min, max]: readonly [number, number]): fc.Arbitrary<number> {
  const w = [6, 4, 2, 1];
  return fc.oneof(
    ...w
      .map((weight, n) => ({ weight, arbitrary: fc.constant(n) }))
      .filter((_, n) => n >= min && n <= max),
  );
}

/**
 * `podAffinity` / `podAntiAffinity` from the given lists: absent when both lists are empty —
 * except, when `keepEmpty`, an empty struct (upstream: the pod still "has pod affinity").
 */
function podAffinityOf(
  required: readonly PodAffinityTerm[],
  preferred: readonly WeightedPodAffinityTerm[],
  keepEmpty: boolean,
): PodAffinity | undefined {
  if (required.length === 0 && preferred.length === 0 && !keepEmpty) return undefined;
  return {
    requiredDuringSchedulingIgnoredDuringExecution: required,
    preferredDuringSchedulingIgnoredDuringExecution: preferred,
  };
}

/** Pod affinity and anti-affinity for a pod with labels `own` in namespace `ns`. */
export function affinityArb(
  own: Labels,
  ns: string,
  counts: TermCounts,
): fc.Arbitrary<Affinity | undefined> {
  const terms = (c: readonly [number, number]) =>
    countArb(c).chain((n) => fc.array(termArb(own, ns), { minLength: n, maxLength: n }));
  const weighted = (c: readonly [number, number]) =>
    countArb(c).chain((n) => fc.array(weightedTermArb(own, ns), { minLength: n, maxLength: n }));
  return fc
    .record({
      reqAff: terms(counts.requiredAffinity),
      reqAnti: terms(counts.requiredAntiAffinity),
      prefAff: weighted(counts.preferredAffinity),
      prefAnti: weighted(counts.preferredAntiAffinity),
      keepEmpty: fc.integer({ min: 0, max: 15 }).map((x) => x === 0),
    })
    .map((o) => {
      const podAffinity = podAffinityOf(o.reqAff, o.prefAff, o.keepEmpty);
      const podAntiAffinity = podAffinityOf(o.reqAnti, o.prefAnti, false);
      if (podAffinity === undefined && podAntiAffinity === undefined) return undefined;
      return {
        ...(podAffinity === undefined ? {} : { podAffinity }),
        ...(podAntiAffinity === undefined ? {} : { podAntiAffinity }),
      };
    });
}

/** Number of terms in `a` (all four lists). */
export function termCount(a: Affinity | undefined): number {
  const n = (p: PodAffinity | undefined) =>
    (p?.requiredDuringSchedulingIgnoredDuringExecution.length ?? 0) +
    (p?.preferredDuringSchedulingIgnoredDuringExecution.length ?? 0);
  return n(a?.podAffinity) + n(a?.podAntiAffinity);
}

/**
 * InterPodAffinityArgs: hardPodAffinityWeight 0 (existing pods' required affinity ignored at
 * Score), 1 (the default, likeliest), 5 or 100; ignorePreferredTermsOfExistingPods false (the
 * default) twice as often as true.
 */
export const affinityArgsArb: fc.Arbitrary<InterPodAffinityArgs> = fc
  .record({
    hardPodAffinityWeight: fc.constantFrom(0, 1, 1, 5, 100),
    ignorePreferredTermsOfExistingPods: fc.constantFrom(false, false, true),
  })
  .map((o) => ({ kind: "InterPodAffinityArgs", ...o }));

// ---------------------------------------------------------------------------------------------
// Nodes

const GPU_TAINT: Taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };
const GPU_TOLERATION: Partial<Toleration> = {
  key: "dedicated",
  operator: "Equal",
  value: "gpu",
  effect: "NoSchedule",
};

function nodeArb(): fc.Arbitrary<(i: number) => Node> {
  return fc
    .record({
      zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 8 }),
      rack: fc.option(fc.constantFrom(...RACKS), { nil: undefined, freq: 2 }),
      noHostname: fc.integer({ min: 0, max: 24 }).map((x) => x === 0),
      bare: fc.integer({ min: 0, max: 29 }).map((x) => x === 0),
      cpu: fc.constantFrom("4", "8"),
      memory: fc.constantFrom("16Gi", "32Gi"),
      pods: fc.constantFrom("110", "110", "110", "110", "110", "110", "110", "110", "110", "4"),
      tainted: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
      unschedulable: fc.integer({ min: 0, max: 39 }).map((x) => x === 0),
    })
    .map((o) => (i: number) => {
      const name = `n${i}`;
      const n = makeNode({
        name,
        labels: o.rack === undefined ? {} : { [RACK]: o.rack },
        ...(o.zone === undefined ? {} : { zone: o.zone }),
        allocatable: { cpu: o.cpu, memory: o.memory, pods: o.pods, "ephemeral-storage": "100Gi" },
        unschedulable: o.unschedulable,
        taints: o.tainted ? [GPU_TAINT] : [],
      });
      if (o.bare) return { ...n, metadata: { ...n.metadata, labels: {} } };
      if (!o.noHostname) return n;
      const { [HOSTNAME]: _drop, ...rest } = n.metadata.labels;
      return { ...n, metadata: { ...n.metadata, labels: rest } };
    });
}

// ---------------------------------------------------------------------------------------------
// Cluster objects

/** The Namespace objects of every cluster: `default` and `team` (not `other`). */
export const NAMESPACE_OBJECTS: readonly Namespace[] = Object.entries(NAMESPACE_LABELS).map(
  ([name, labels]) => namespaceObject(name, labels),
);

const requestsArb: fc.Arbitrary<QuantityMap> = fc.record({
  cpu: fc.constantFrom("0", "50m", "100m", "250m"),
  memory: fc.constantFrom("0", "64Mi", "128Mi", "256Mi"),
});

const nsArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant("default") },
  { weight: 2, arbitrary: fc.constant("team") },
  { weight: 1, arbitrary: fc.constant("other") },
);

/** A workload template of bound pods: labels, namespace and pod (anti-)affinity terms. */
export interface Workload {
  readonly labels: Labels;
  readonly namespace: string;
  readonly affinity: Affinity | undefined;
}

/** Bound workloads: 0–2 required anti-affinity, 0–1 required affinity, 0–2 preferred each way. */
const BOUND_TERMS: TermCounts = {
  requiredAffinity: [0, 1],
  requiredAntiAffinity: [0, 2],
  preferredAffinity: [0, 2],
  preferredAntiAffinity: [0, 2],
};

const workloadArb: fc.Arbitrary<Workload> = fc
  .tuple(podLabelsArb, nsArb)
  .chain(([labels, namespace]) =>
    affinityArb(labels, namespace, BOUND_TERMS)
      .filter((a) => termCount(a) > 0)
      .map((affinity) => ({ labels, namespace, affinity })),
  );

/** A bound pod: plain (own labels, no terms), or from workload template `k` (modulo the count). */
const boundPodArb = fc.record({
  plain: fc.record({ labels: podLabelsArb, namespace: nsArb }),
  workload: fc.oneof(
    { weight: 3, arbitrary: fc.constant(-1) },
    { weight: 2, arbitrary: fc.nat(5) },
  ),
  requests: requestsArb,
  terminating: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
});

export interface AffinityCluster {
  readonly nodes: readonly Node[];
  readonly bound: readonly Pod[];
  readonly namespaces: readonly Namespace[];
  /** The templates bound pods with terms come from. */
  readonly workloads: readonly Workload[];
}

/**
 * A cluster of `minNodes`…`maxNodes` nodes with up to `podsPerNode` bound pods per node on
 * average (a third of them crowded onto the first fifth of the nodes), up to `maxWorkloads`
 * workload templates with terms, and the Namespace objects.
 */
export function affinityClusterArb(
  maxNodes: number,
  minNodes = 1,
  podsPerNode = 2,
  maxWorkloads = 6,
): fc.Arbitrary<AffinityCluster> {
  return fc.integer({ min: minNodes, max: maxNodes }).chain((n) =>
    fc
      .record({
        nodes: fc.array(nodeArb(), { minLength: n, maxLength: n }),
        bound: crowdedArb(n, podsPerNode, boundPodArb),
        workloads: fc.array(workloadArb, { maxLength: maxWorkloads }),
      })
      .map((o) => ({
        nodes: o.nodes.map((make, i) => make(i)),
        bound: o.bound.map(([at, b], k) => {
          const w = b.workload < 0 ? undefined : o.workloads[b.workload % o.workloads.length];
          const namespace = w?.namespace ?? b.plain.namespace;
          return makePod({
            name: `bound-${k}`,
            namespace,
            uid: `uid-bound-${k}`,
            labels: w?.labels ?? b.plain.labels,
            requests: b.requests,
            nodeName: `n${at}`,
            ...(w?.affinity === undefined ? {} : { affinity: w.affinity }),
            ...(b.terminating ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}),
          });
        }),
        namespaces: NAMESPACE_OBJECTS,
        workloads: o.workloads,
      })),
  );
}

// ---------------------------------------------------------------------------------------------
// Incoming pods

/** Incoming pods: 0–3 terms of each kind. */
const INCOMING_TERMS: TermCounts = {
  requiredAffinity: [0, 3],
  requiredAntiAffinity: [0, 3],
  preferredAffinity: [0, 3],
  preferredAntiAffinity: [0, 3],
};

export interface AffinityPodOptions {
  /** Least number of terms in all (default 0). */
  readonly minTerms?: number;
  readonly counts?: TermCounts;
  /**
   * The cluster's workload templates: a third of the pods join one of them (its labels and
   * namespace, and half of those its terms too: another replica), so bound pods' terms select
   * them.
   */
  readonly workloads?: readonly Workload[];
}

/**
 * An incoming (unbound) pod named `name`: labels, namespace, small requests, sometimes the GPU
 * taint's toleration, and pod affinity / anti-affinity (`counts`, at least `minTerms` terms).
 */
export function affinityPodArb(name: string, o: AffinityPodOptions = {}): fc.Arbitrary<Pod> {
  const minTerms = o.minTerms ?? 0;
  const counts = o.counts ?? INCOMING_TERMS;
  const workloads = o.workloads ?? [];
  const own: fc.Arbitrary<{ labels: Labels; namespace: string; replicaOf?: Workload }> =
    workloads.length === 0
      ? fc.record({ labels: podLabelsArb, namespace: nsArb })
      : fc.oneof(
          { weight: 2, arbitrary: fc.record({ labels: podLabelsArb, namespace: nsArb }) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom(...workloads), fc.boolean())
              .map(([w, replica]) => ({
                labels: w.labels,
                namespace: w.namespace,
                ...(replica && termCount(w.affinity) >= minTerms ? { replicaOf: w } : {}),
              })),
          },
        );
  return own.chain(({ labels, namespace, replicaOf }) =>
    fc
      .record({
        affinity:
          replicaOf === undefined
            ? affinityArb(labels, namespace, counts).filter((a) => termCount(a) >= minTerms)
            : fc.constant(replicaOf.affinity),
        requests: requestsArb,
        tolerates: fc.integer({ min: 0, max: 2 }).map((x) => x === 0),
      })
      .map((r) =>
        makePod({
          name,
          namespace,
          uid: `uid-${namespace}-${name}`,
          labels,
          requests: r.requests,
          tolerations: r.tolerates ? [GPU_TOLERATION] : [],
          ...(r.affinity === undefined ? {} : { affinity: r.affinity }),
        }),
      ),
  );
}

/** The self-selecting term of a workload with labels `labels` on `topologyKey`. */
function selfTerm(labels: Labels, topologyKey: string): PodAffinityTerm {
  return {
    labelSelector: { matchLabels: labels, matchExpressions: [] },
    namespaces: [],
    topologyKey,
    matchLabelKeys: [],
    mismatchLabelKeys: [],
  };
}

/**
 * A typical workload template: `app: <app>` with self anti-affinity on hostname (replicas one
 * per node), self affinity on zone (replicas together), self anti-affinity on zone (at most one
 * per zone: runs out of room), or preferred self anti-affinity / affinity on hostname / zone.
 */
type ClassicShape =
  | "antiHost"
  | "affZone"
  | "antiZone"
  | "preferAntiHost"
  | "preferAffZone"
  | "affZoneAntiHost";

function classicWorkloadArb(name: string): fc.Arbitrary<Pod> {
  return fc
    .record({
      app: fc.constantFrom(...APPS),
      namespace: nsArb,
      shape: fc.constantFrom<ClassicShape>(
        "antiHost",
        "affZone",
        "antiZone",
        "preferAntiHost",
        "preferAffZone",
        "affZoneAntiHost",
      ),
      weight: weightArb,
      requests: requestsArb,
    })
    .map((o) => {
      const labels = { app: o.app };
      const term = selfTerm(labels, o.shape.endsWith("Host") ? HOSTNAME : ZONE);
      const required = (t: PodAffinityTerm): PodAffinity => ({
        requiredDuringSchedulingIgnoredDuringExecution: [t],
        preferredDuringSchedulingIgnoredDuringExecution: [],
      });
      const preferred = (t: PodAffinityTerm): PodAffinity => ({
        requiredDuringSchedulingIgnoredDuringExecution: [],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: o.weight, podAffinityTerm: t }],
      });
      const shapes: Record<ClassicShape, Affinity> = {
        antiHost: { podAntiAffinity: required(term) },
        affZone: { podAffinity: required(term) },
        antiZone: { podAntiAffinity: required(term) },
        preferAntiHost: { podAntiAffinity: preferred(term) },
        preferAffZone: { podAffinity: preferred(term) },
        affZoneAntiHost: {
          podAffinity: required(selfTerm(labels, ZONE)),
          podAntiAffinity: required(selfTerm(labels, HOSTNAME)),
        },
      };
      return makePod({
        name,
        namespace: o.namespace,
        uid: `uid-${o.namespace}-${name}`,
        labels,
        requests: o.requests,
        affinity: shapes[o.shape],
      });
    });
}

/** A sequence template: a typical workload, or a random pod with at least one term. */
export function templatePodArb(name: string): fc.Arbitrary<Pod> {
  return fc.oneof(
    { weight: 1, arbitrary: classicWorkloadArb(name) },
    { weight: 1, arbitrary: affinityPodArb(name, { minTerms: 1 }) },
  );
}
