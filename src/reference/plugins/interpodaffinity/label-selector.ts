/**
 * metav1.LabelSelector as InterPodAffinity reads it (semantics §4.10; apimachinery
 * `metav1.LabelSelectorAsSelector`, `labels.NewRequirement`, `labels.Selector.Matches`).
 *
 * - nil (`undefined`) selects nothing (`labels.Nothing()`);
 * - `{}` (no matchLabels, no matchExpressions) selects everything (`labels.Everything()`);
 * - otherwise every requirement must hold: matchLabels `k: v` → `k` present with value `v`;
 *   `In` → present with a listed value; `NotIn` → absent or not listed; `Exists`; `DoesNotExist`.
 *
 * Parse errors are rendered as apimachinery's `field.Error`s (Go's `%#v` for a string slice,
 * `%q` for a string, approximated with JSON quoting, exact for ASCII). The first invalid
 * requirement (matchLabels first, in insertion order, then matchExpressions) stops parsing; its
 * errors are aggregated as `utilerrors.Aggregate` prints them. Manifests are validated on load,
 * so these only appear for objects built in code.
 */

import type { LabelSelector, Labels } from "../../../model/types.ts";
import { labelValueErrors, qualifiedNameErrors } from "../../../model/validation.ts";
import { requirementMatches } from "../../helpers/label-requirement.ts";

type Operator = "Equals" | "In" | "NotIn" | "Exists" | "DoesNotExist";

/** One parsed requirement (`labels.Requirement`). */
interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/**
 * A parsed selector. `requirements === null` is `labels.Nothing()`; an empty list is
 * `labels.Everything()`.
 */
export class Selector {
  static readonly NOTHING = new Selector(null);
  static readonly EVERYTHING = new Selector([]);

  readonly requirements: readonly Requirement[] | null;

  private constructor(requirements: readonly Requirement[] | null) {
    this.requirements = requirements;
  }

  static of(requirements: readonly Requirement[]): Selector {
    return requirements.length === 0 ? Selector.EVERYTHING : new Selector(requirements);
  }

  /** `Selector.Empty()`: true only for Everything (Nothing is not "empty"). */
  get isEverything(): boolean {
    return this.requirements !== null && this.requirements.length === 0;
  }

  /** `Selector.Matches(labels.Set(labels))`. */
  matches(labels: Labels): boolean {
    if (this.requirements === null) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
}

/** Go's `%q` (JSON quoting; identical for printable ASCII). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's `%#v` of a `[]string` (a nil slice when empty, as `append([]string(nil), …)` gives). */
function goStringSlice(values: readonly string[]): string {
  if (values.length === 0) return "[]string(nil)";
  return `[]string{${values.map(goQuote).join(", ")}}`;
}

/**
 * `utilerrors.NewAggregate(errs).Error()`: one message as is, several deduplicated, joined with
 * `", "` and bracketed.
 */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (messages.length === 1 || unique.length === 1) return unique[0] ?? "";
  return `[${unique.join(", ")}]`;
}

/** `labels.NewRequirement`'s validation: the problems with one requirement, empty when valid. */
function requirementErrors(key: string, operator: Operator, values: readonly string[]): string[] {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length > 0) errs.push(`key: Invalid value: ${goQuote(key)}: ${keyErrs.join("; ")}`);
  switch (operator) {
    case "In":
    case "NotIn":
      if (values.length === 0) {
        errs.push(
          `values: Invalid value: ${goStringSlice(values)}: for 'in', 'notin' operators, values set can't be empty`,
        );
      }
      break;
    case "Equals":
      if (values.length !== 1) {
        errs.push(
          `values: Invalid value: ${goStringSlice(values)}: exact-match compatibility requires one single value`,
        );
      }
      break;
    case "Exists":
    case "DoesNotExist":
      if (values.length !== 0) {
        errs.push(
          `values: Invalid value: ${goStringSlice(values)}: values set must be empty for exists and does not exist`,
        );
      }
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) {
      errs.push(`values[${i}][${key}]: Invalid value: ${goQuote(v)}: ${valueErrs.join("; ")}`);
    }
  });
  return errs;
}

const OPERATORS: ReadonlySet<string> = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** The parsed selector, or the parse error message (`LabelSelectorAsSelector`'s error). */
export function parseLabelSelector(sel: LabelSelector | undefined): Selector | { error: string } {
  if (sel === undefined) return Selector.NOTHING;
  const labelKeys = Object.keys(sel.matchLabels);
  if (labelKeys.length + sel.matchExpressions.length === 0) return Selector.EVERYTHING;
  const requirements: Requirement[] = [];
  for (const key of labelKeys) {
    const values = [sel.matchLabels[key] ?? ""];
    const errs = requirementErrors(key, "Equals", values);
    if (errs.length > 0) return { error: aggregateMessage(errs) };
    requirements.push({ key, operator: "Equals", values });
  }
  for (const expr of sel.matchExpressions) {
    const op: string = expr.operator;
    if (!OPERATORS.has(op))
      return { error: `${goQuote(op)} is not a valid label selector operator` };
    const operator = op as Operator;
    const errs = requirementErrors(expr.key, operator, expr.values);
    if (errs.length > 0) return { error: aggregateMessage(errs) };
    requirements.push({ key: expr.key, operator, values: [...expr.values] });
  }
  return Selector.of(requirements);
}
