/**
 * The affinity term model (semantics §4.10 "Affinity term model"; upstream
 * `pkg/scheduler/framework/types.go`: `AffinityTerm`, `PodInfo`, `newAffinityTerm`,
 * `getNamespacesFromPodAffinityTerm`; kube-apiserver's `applyMatchLabelKeysAndMismatchLabelKeys`).
 */
import type {
  LabelSelector,
  Labels,
  Namespace,
  Pod,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
} from "../../../model/types.ts";
import { aggregateMessage, parseLabelSelector, Selector } from "./label-selector.ts";

/** A processed `PodAffinityTerm` (upstream `fwk.AffinityTerm`). */
export interface AffinityTerm {
  /** `term.namespaces`, or `{owner's namespace}` when that list is empty and namespaceSelector nil. */
  readonly namespaces: ReadonlySet<string>;
  /** nil → Nothing, `{}` → Everything. */
  readonly namespaceSelector: Selector;
  /** labelSelector with matchLabelKeys / mismatchLabelKeys merged; nil → Nothing. */
  readonly selector: Selector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/**
 * `AffinityTerm.Matches`: the target's namespace is in `namespaces`, or `namespaceSelector`
 * matches `nsLabels` (the labels of the target's Namespace object; `undefined` = none), and the
 * selector matches the target's labels.
 */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: Labels | undefined): boolean {
  if (
    term.namespaces.has(pod.metadata.namespace) ||
    term.namespaceSelector.matches(nsLabels ?? {})
  ) {
    return term.selector.matches(pod.metadata.labels);
  }
  return false;
}

/**
 * `podMatchesAllAffinityTerms`: false for no terms; the incoming pod's terms have their
 * namespaceSelector merged, so no namespace labels are needed.
 */
export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, undefined));
}

/**
 * kube-apiserver's MatchLabelKeysInPodAffinity (on by default): for each matchLabelKeys /
 * mismatchLabelKeys key the owning pod carries, `key In (value)` / `key NotIn (value)` is appended
 * to a non-nil labelSelector. gantry reads manifests as written, so it applies this here.
 */
function effectiveLabelSelector(term: PodAffinityTerm, owner: Pod): LabelSelector | undefined {
  const sel = term.labelSelector;
  if (!sel || (term.matchLabelKeys.length === 0 && term.mismatchLabelKeys.length === 0)) return sel;
  const labels = owner.metadata.labels;
  const extra = [
    ...term.matchLabelKeys.map((key) => ({ key, operator: "In" as const })),
    ...term.mismatchLabelKeys.map((key) => ({ key, operator: "NotIn" as const })),
  ]
    .filter(({ key }) => Object.hasOwn(labels, key))
    .map(({ key, operator }) => ({ key, operator, values: [labels[key] ?? ""] }));
  return { matchLabels: sel.matchLabels, matchExpressions: [...sel.matchExpressions, ...extra] };
}

/** `newAffinityTerm`: the processed term, or the parse error (labelSelector checked first). */
export function newAffinityTerm(
  owner: Pod,
  term: PodAffinityTerm,
): AffinityTerm | { error: string } {
  const selector = parseLabelSelector(effectiveLabelSelector(term, owner));
  if (!(selector instanceof Selector)) return selector;
  const namespaceSelector = parseLabelSelector(term.namespaceSelector);
  if (!(namespaceSelector instanceof Selector)) return namespaceSelector;
  const namespaces =
    term.namespaces.length === 0 && term.namespaceSelector === undefined
      ? new Set([owner.metadata.namespace])
      : new Set(term.namespaces);
  return { namespaces, namespaceSelector, selector, topologyKey: term.topologyKey };
}

/** `GetAffinityTerms` / `getWeightedAffinityTerms`: the first failing term fails the list. */
function termList(
  owner: Pod,
  terms: readonly { readonly term: PodAffinityTerm; readonly weight: number }[],
  category: string,
  errors: string[],
): WeightedAffinityTerm[] {
  const out: WeightedAffinityTerm[] = [];
  for (const { term, weight } of terms) {
    const parsed = newAffinityTerm(owner, term);
    if ("error" in parsed) {
      errors.push(`${category}: ${parsed.error}`);
      return [];
    }
    out.push({ ...parsed, weight });
  }
  return out;
}

const required = (terms: readonly PodAffinityTerm[] | undefined) =>
  (terms ?? []).map((term) => ({ term, weight: 0 }));
const preferred = (terms: readonly WeightedPodAffinityTerm[] | undefined) =>
  (terms ?? []).map((t) => ({ term: t.podAffinityTerm, weight: t.weight }));

/**
 * A pod's processed (anti-)affinity terms (upstream `framework.PodInfo`). A list with a term that
 * does not parse is empty (upstream keeps nil), and the error is recorded under its category.
 */
export interface PodAffinityInfo {
  readonly pod: Pod;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
  /** `requiredAffinityTerms: …`, `requiredAntiAffinityTerms: …`, `preferred…: …`, in that order. */
  readonly parseErrors: readonly string[];
}

// Upstream computes a PodInfo once per pod (when it enters the cache or the queue); the reference
// caches it per Pod object. Pods are immutable here.
const infos = new WeakMap<Pod, PodAffinityInfo>();

/** `framework.NewPodInfo(pod)` (the affinity part), cached per Pod object. */
export function podAffinityInfo(pod: Pod): PodAffinityInfo {
  const cached = infos.get(pod);
  if (cached) return cached;
  const a = pod.spec.affinity;
  const errors: string[] = [];
  const info: PodAffinityInfo = {
    pod,
    requiredAffinityTerms: termList(
      pod,
      required(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      "requiredAffinityTerms",
      errors,
    ),
    requiredAntiAffinityTerms: termList(
      pod,
      required(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
      "requiredAntiAffinityTerms",
      errors,
    ),
    preferredAffinityTerms: termList(
      pod,
      preferred(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      "preferredAffinityTerms",
      errors,
    ),
    preferredAntiAffinityTerms: termList(
      pod,
      preferred(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
      "preferredAntiAffinityTerms",
      errors,
    ),
    parseErrors: errors,
  };
  infos.set(pod, info);
  return info;
}

/** The aggregated parse error of a pod info (`utilerrors.NewAggregate(parseErrs)`). */
export function parseErrorMessage(info: PodAffinityInfo): string {
  return aggregateMessage(info.parseErrors);
}

/**
 * `mergeAffinityTermNamespacesIfNotEmpty`, for the incoming pod's terms once per cycle: a
 * namespaceSelector other than Everything (`{}`) is resolved against the existing Namespace
 * objects, their names are added to `namespaces`, and the selector becomes Nothing. Returns a new
 * term; the cached one is left alone.
 */
export function mergeNamespaces<T extends AffinityTerm>(
  term: T,
  namespaces: readonly Namespace[],
): T {
  if (term.namespaceSelector.isEverything) return term;
  const merged = new Set(term.namespaces);
  for (const ns of namespaces) {
    if (term.namespaceSelector.matches(ns.metadata.labels)) merged.add(ns.metadata.name);
  }
  return { ...term, namespaces: merged, namespaceSelector: Selector.NOTHING };
}

/** NodeInfo `PodsWithAffinity` membership: the pod has podAffinity or podAntiAffinity. */
export function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return a !== undefined && (a.podAffinity !== undefined || a.podAntiAffinity !== undefined);
}

/** NodeInfo `PodsWithRequiredAntiAffinity` membership. */
export function hasRequiredAntiAffinity(pod: Pod): boolean {
  const terms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return terms !== undefined && terms.length > 0;
}
