/**
 * Pieces the plugin-specific random-cluster arbitraries share (test/helpers/random-affinity.ts,
 * random-spread.ts, random-preemption.ts): the pod label vocabulary (`app`, `tier`) and the
 * label selectors over it, object metadata and Namespace objects as the manifest loader keeps
 * them, bound pods spread unevenly over the nodes, and sequences of pods renamed from a few
 * templates.
 */
import fc from "fast-check";
import type {
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  Namespace,
  Pod,
} from "../../src/model/types.ts";

/** Values of the `app` label. */
export const APPS = ["web", "db", "cache"];
/** Values of the `tier` label. */
export const TIERS = ["front", "back"];

/** The source of every generated API object. */
export const TEST_SOURCE = { file: "<test>" };

/**
 * Pod labels from the vocabulary: `app` (absent once in `appFreq` draws) and `tier` (absent once
 * in three).
 */
export function labelsArb(appFreq: number): fc.Arbitrary<Labels> {
  return fc
    .record({
      app: fc.option(fc.constantFrom(...APPS), { nil: undefined, freq: appFreq }),
      tier: fc.option(fc.constantFrom(...TIERS), { nil: undefined, freq: 3 }),
    })
    .map((o) => {
      const labels: Record<string, string> = {};
      if (o.app !== undefined) labels.app = o.app;
      if (o.tier !== undefined) labels.tier = o.tier;
      return labels;
    });
}

/** One matchExpressions requirement over the vocabulary: In / NotIn values, Exists, DoesNotExist. */
export const labelRequirementArb: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({
    key: fc.constant("app"),
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.uniqueArray(fc.constantFrom(...APPS), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    key: fc.constant("tier"),
    operator: fc.constantFrom<"In" | "NotIn">("In", "NotIn"),
    values: fc.uniqueArray(fc.constantFrom(...TIERS), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    key: fc.constantFrom("app", "tier"),
    operator: fc.constantFrom<"Exists" | "DoesNotExist">("Exists", "DoesNotExist"),
    values: fc.constant([]),
  }),
);

/** The weights of {@link labelSelectorArb}'s choices that differ between the generators. */
export interface SelectorWeights {
  /** matchLabels from the owner's own labels (against 1 for labels from `labels`). */
  readonly own: number;
  /** A matchLabels-only selector (against 1 for nil, 1 for `{}`, 2 and 1 for expressions). */
  readonly matchLabels: number;
}

/**
 * A labelSelector for an owner with labels `own`: nil (matches nothing), `{}` (everything),
 * matchLabels (mostly a non-empty part of `own`, else drawn from `labels`: with `own` empty,
 * always), matchExpressions, or both.
 */
export function labelSelectorArb(
  own: Labels,
  labels: fc.Arbitrary<Labels>,
  w: SelectorWeights,
): fc.Arbitrary<LabelSelector | undefined> {
  const ownEntries = Object.entries(own);
  const matchLabels: fc.Arbitrary<Labels> =
    ownEntries.length === 0
      ? labels
      : fc.oneof(
          {
            weight: w.own,
            arbitrary: fc.subarray(ownEntries, { minLength: 1 }).map(Object.fromEntries),
          },
          { weight: 1, arbitrary: labels },
        );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant<LabelSelector>({ matchLabels: {}, matchExpressions: [] }) },
    {
      weight: w.matchLabels,
      arbitrary: matchLabels.map((m): LabelSelector => ({ matchLabels: m, matchExpressions: [] })),
    },
    {
      weight: 2,
      arbitrary: fc
        .array(labelRequirementArb, { minLength: 1, maxLength: 2 })
        .map((e): LabelSelector => ({ matchLabels: {}, matchExpressions: e })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(matchLabels, fc.array(labelRequirementArb, { minLength: 1, maxLength: 1 }))
        .map(([m, e]): LabelSelector => ({ matchLabels: m, matchExpressions: e })),
    },
  );
}

/** Object metadata: `name` in `namespace` (`""`: cluster-scoped), uid from both, nothing else. */
export function objectMeta(name: string, namespace: string) {
  return {
    name,
    namespace,
    uid: `uid-${namespace}-${name}`,
    labels: {},
    annotations: {},
    ownerReferences: [],
  };
}

/** The Namespace object `name`, labelled `kubernetes.io/metadata.name` and `labels`. */
export function namespaceObject(name: string, labels: Labels = {}): Namespace {
  return {
    kind: "Namespace",
    metadata: {
      ...objectMeta(name, ""),
      labels: { "kubernetes.io/metadata.name": name, ...labels },
    },
    source: { ...TEST_SOURCE, object: `Namespace ${name}` },
  };
}

/**
 * Up to `perNode` × `n` items (bound pods' draws), each with the index of the node it lands on
 * among `n`: a third of them crowd onto the first fifth of the nodes (skewed domains).
 */
export function crowdedArb<T>(
  n: number,
  perNode: number,
  item: fc.Arbitrary<T>,
): fc.Arbitrary<[number, T][]> {
  return fc.array(
    fc.tuple(
      fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: 0, max: n - 1 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: Math.floor((n - 1) / 5) }) },
      ),
      item,
    ),
    // size "max": without it fast-check keeps arrays "small" (about ten items).
    { maxLength: perNode * n, size: "max" },
  );
}

/** `pod` renamed (name and uid): the k-th pod of a sequence built from templates. */
export function renamed(pod: Pod, name: string): Pod {
  return {
    ...pod,
    metadata: { ...pod.metadata, name, uid: `uid-${pod.metadata.namespace}-${name}` },
  };
}

/** A sequence of pods: pick `k` at position `i` is template `k` modulo the count, named `p{i}`. */
export function fromTemplates(templates: readonly Pod[], picks: readonly number[]): Pod[] {
  return picks.map((k, i) => renamed(templates[k % templates.length] as Pod, `p${i}`));
}
