/**
 * metav1.LabelSelector semantics (apimachinery `metav1.LabelSelectorAsSelector`,
 * `labels.SelectorFromSet`, `labels.Selector.Matches/Empty/Add`), as PodTopologySpread uses them
 * (semantics §4.9 "Selector", §6).
 *
 * Three kinds of selector matter, and they differ:
 * - **nothing** (`labels.Nothing()`): a nil `labelSelector`. Matches no pod; not "empty".
 * - **everything** (`labels.Everything()`): `{}` (no matchLabels, no matchExpressions). Matches every
 *   pod, and is "empty" — PodTopologySpread's counting returns 0 for an empty selector.
 * - **requirements**: the AND of `key In/NotIn/Exists/DoesNotExist values` requirements; `matchLabels`
 *   entries are `key In [value]`.
 */

import type { LabelSelector, LabelSelectorRequirement, Labels } from "../../../model/types.ts";
import { labelValueErrors, qualifiedNameErrors } from "../../../model/validation.ts";
import { requirementMatches } from "../../helpers/label-requirement.ts";

export type SelectorOperator = LabelSelectorRequirement["operator"];

/** One parsed requirement (`labels.Requirement`). */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/**
 * A parsed selector. `nothing: true` is `labels.Nothing()`; otherwise the AND of `requirements`
 * (none = `labels.Everything()`).
 */
export type Selector =
  | { readonly nothing: true }
  | { readonly nothing: false; readonly requirements: readonly Requirement[] };

export const NOTHING: Selector = Object.freeze({ nothing: true });
export const EVERYTHING: Selector = Object.freeze({ nothing: false, requirements: [] });

/** `Selector.Empty()`: true only for a selector without requirements (not for Nothing). */
export function isEmptySelector(s: Selector): boolean {
  return !s.nothing && s.requirements.length === 0;
}

/** `Selector.Matches`: Nothing matches nothing; otherwise every requirement must match. */
export function selectorMatches(s: Selector, labels: Labels): boolean {
  if (s.nothing) return false;
  return s.requirements.every((r) => requirementMatches(r, labels));
}

/** `labels.NewRequirement` validation: the error messages, empty when valid. */
function requirementErrors(r: Requirement): string[] {
  const errs: string[] = [];
  for (const m of qualifiedNameErrors(r.key)) {
    errs.push(`key: Invalid value: ${JSON.stringify(r.key)}: ${m}`);
  }
  const op: string = r.operator;
  switch (op) {
    case "In":
    case "NotIn":
      if (r.values.length === 0) {
        errs.push(
          "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
        );
      }
      break;
    case "Exists":
    case "DoesNotExist":
      if (r.values.length !== 0) {
        errs.push(
          `values: Invalid value: ${JSON.stringify(r.values)}: values set must be empty for exists and does not exist`,
        );
      }
      break;
    default:
      errs.push(`operator: Unsupported value: ${JSON.stringify(op)}`);
      return errs;
  }
  for (const v of r.values) {
    for (const m of labelValueErrors(v))
      errs.push(`values: Invalid value: ${JSON.stringify(v)}: ${m}`);
  }
  return errs;
}

/**
 * `metav1.LabelSelectorAsSelector`: nil → Nothing; no matchLabels and no matchExpressions →
 * Everything; otherwise matchLabels (as `In [value]`) then matchExpressions, ANDed. Returns the
 * error message (a string) when a requirement is invalid.
 */
export function labelSelectorAsSelector(ls: LabelSelector | undefined): Selector | string {
  if (ls === undefined) return NOTHING;
  const labels = Object.entries(ls.matchLabels);
  if (labels.length + ls.matchExpressions.length === 0) return EVERYTHING;
  const requirements: Requirement[] = [];
  for (const [key, value] of labels) requirements.push({ key, operator: "In", values: [value] });
  for (const e of ls.matchExpressions) {
    requirements.push({ key: e.key, operator: e.operator, values: [...e.values] });
  }
  for (const r of requirements) {
    const errs = requirementErrors(r);
    if (errs.length > 0) return errs.join("; ");
  }
  return { nothing: false, requirements };
}

/** `labels.SelectorFromSet`: one `key In [value]` requirement per entry (an empty set → Everything). */
export function selectorFromSet(set: Labels): Selector {
  return {
    nothing: false,
    requirements: Object.entries(set).map(([key, value]) => ({
      key,
      operator: "In",
      values: [value],
    })),
  };
}

/**
 * `Selector.Add(requirements…)` — ANDs more requirements. (Upstream's `nothingSelector.Add` returns
 * Nothing unchanged.)
 */
export function addRequirements(s: Selector, more: readonly Requirement[]): Selector {
  if (s.nothing) return s;
  return { nothing: false, requirements: [...s.requirements, ...more] };
}

/**
 * `Selector.Requirements()`: the requirements and whether the selector is "selectable"
 * (`undefined` for Nothing, whose `Requirements()` returns `(nil, false)`).
 */
export function requirementsOf(s: Selector): readonly Requirement[] | undefined {
  return s.nothing ? undefined : s.requirements;
}

/**
 * Reads a raw (manifest-parsed) `metav1.LabelSelector` — e.g. a ReplicaSet's `spec.selector` kept
 * as a plain document — into the typed form. `undefined` for an absent/null selector; a string
 * error message when the document is not a label selector.
 */
export function rawLabelSelector(raw: unknown): LabelSelector | undefined | string {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) return "selector: must be an object";
  const o = raw as Record<string, unknown>;
  const matchLabels: Record<string, string> = {};
  if (o.matchLabels !== undefined && o.matchLabels !== null) {
    if (typeof o.matchLabels !== "object" || Array.isArray(o.matchLabels)) {
      return "selector.matchLabels: must be a map";
    }
    for (const [k, v] of Object.entries(o.matchLabels as Record<string, unknown>)) {
      if (typeof v !== "string") return `selector.matchLabels.${k}: must be a string`;
      matchLabels[k] = v;
    }
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (o.matchExpressions !== undefined && o.matchExpressions !== null) {
    if (!Array.isArray(o.matchExpressions)) return "selector.matchExpressions: must be a list";
    for (const e of o.matchExpressions as unknown[]) {
      if (typeof e !== "object" || e === null) return "selector.matchExpressions: bad entry";
      const r = e as Record<string, unknown>;
      const values = Array.isArray(r.values) ? r.values.map(String) : [];
      matchExpressions.push({
        key: String(r.key ?? ""),
        operator: String(r.operator ?? "") as SelectorOperator,
        values,
      });
    }
  }
  return { matchLabels, matchExpressions };
}
