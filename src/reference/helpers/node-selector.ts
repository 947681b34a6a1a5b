/**
 * Node selector matching (semantics §4.8 "Requirement semantics"; upstream
 * `kubernetes/component-helpers` `scheduling/corev1/nodeaffinity/nodeaffinity.go` and
 * apimachinery `labels.NewRequirement` / `Requirement.Matches`).
 *
 * Terms are parsed once into {@link ParsedTerm}s that remember their parse errors: a term with a
 * parse error never matches, but the other terms of the selector are still evaluated.
 */

import type {
  Labels,
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from "../../model/types.ts";
import {
  qualifiedNameErrors as isQualifiedName,
  labelValueErrors as isValidLabelValue,
  parseInt64,
} from "../../model/validation.ts";
import { requirementMatches as matchesLabel } from "./label-requirement.ts";

/** The only field a `matchFields` requirement can address (`metav1.ObjectNameField`). */
export const OBJECT_NAME_FIELD = "metadata.name";

/** A parsed label requirement (`labels.Requirement`). */
interface LabelRequirement {
  readonly key: string;
  readonly operator: NodeSelectorRequirement["operator"];
  readonly values: readonly string[];
}

/** A parsed `matchFields` requirement: `In` → field equals value, `NotIn` → differs. */
interface FieldRequirement {
  readonly key: string;
  readonly equal: boolean;
  readonly value: string;
}

/** A parsed node selector term. `undefined` selector parts mean "not constrained". */
export interface ParsedTerm {
  readonly matchLabels?: readonly LabelRequirement[];
  readonly matchFields?: readonly FieldRequirement[];
  readonly parseErrors: readonly string[];
}

/** Validates one label requirement exactly as `labels.NewRequirement` does. */
function parseLabelRequirement(r: NodeSelectorRequirement, path: string): string[] {
  const errs: string[] = [];
  for (const m of isQualifiedName(r.key)) {
    errs.push(`${path}.key: Invalid value: ${JSON.stringify(r.key)}: ${m}`);
  }
  const op: string = r.operator;
  switch (op) {
    case "In":
    case "NotIn":
      if (r.values.length === 0) {
        errs.push(
          `${path}.values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
        );
      }
      break;
    case "Exists":
    case "DoesNotExist":
      if (r.values.length !== 0) {
        errs.push(
          `${path}.values: Invalid value: ${JSON.stringify(r.values)}: values set must be empty for exists and does not exist`,
        );
      }
      break;
    case "Gt":
    case "Lt":
      if (r.values.length !== 1) {
        errs.push(
          `${path}.values: Invalid value: ${JSON.stringify(r.values)}: for 'Gt', 'Lt' operators, exactly one value is required`,
        );
      }
      for (const v of r.values) {
        if (parseInt64(v) === undefined) {
          errs.push(
            `${path}.values: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
      }
      break;
    default:
      errs.push(`${path}.operator: Unsupported value: ${JSON.stringify(op)}`);
      return errs;
  }
  for (const v of r.values) {
    for (const m of isValidLabelValue(v)) {
      errs.push(`${path}.values: Invalid value: ${JSON.stringify(v)}: ${m}`);
    }
  }
  return errs;
}

function parseFieldRequirement(
  r: NodeSelectorRequirement,
  path: string,
): FieldRequirement | string {
  const op: string = r.operator;
  if (op !== "In" && op !== "NotIn") {
    return `${path}.operator: Unsupported value: ${JSON.stringify(op)}: supported values: "In", "NotIn"`;
  }
  if (r.values.length !== 1) {
    return `${path}.values: Invalid value: ${JSON.stringify(r.values)}: must have one element`;
  }
  return { key: r.key, equal: op === "In", value: r.values[0] ?? "" };
}

/** True iff the term has neither match expressions nor match fields (selects nothing). */
export function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return term.matchExpressions.length === 0 && term.matchFields.length === 0;
}

/** Parses one term (`newNodeSelectorTerm`); `path` prefixes error messages. */
export function parseTerm(term: NodeSelectorTerm, path: string): ParsedTerm {
  const parseErrors: string[] = [];
  let matchLabels: LabelRequirement[] | undefined;
  let matchFields: FieldRequirement[] | undefined;
  if (term.matchExpressions.length > 0) {
    matchLabels = [];
    term.matchExpressions.forEach((r, i) => {
      const errs = parseLabelRequirement(r, `${path}.matchExpressions[${i}]`);
      if (errs.length > 0) parseErrors.push(...errs);
      else matchLabels?.push({ key: r.key, operator: r.operator, values: r.values });
    });
  }
  if (term.matchFields.length > 0) {
    matchFields = [];
    term.matchFields.forEach((r, i) => {
      const parsed = parseFieldRequirement(r, `${path}.matchFields[${i}]`);
      if (typeof parsed === "string") parseErrors.push(parsed);
      else matchFields?.push(parsed);
    });
  }
  return { matchLabels, matchFields, parseErrors };
}

/**
 * `nodeSelectorTerm.match`: false on parse errors; label requirements ANDed over node labels;
 * field requirements ANDed over `{metadata.name: node name}`, ignored when the node name is empty.
 */
export function termMatches(term: ParsedTerm, node: Node): boolean {
  if (term.parseErrors.length > 0) return false;
  if (term.matchLabels && !term.matchLabels.every((r) => matchesLabel(r, node.metadata.labels))) {
    return false;
  }
  const name = node.metadata.name;
  if (term.matchFields && name.length > 0) {
    for (const f of term.matchFields) {
      const fieldValue = f.key === OBJECT_NAME_FIELD ? name : "";
      if ((fieldValue === f.value) !== f.equal) return false;
    }
  }
  return true;
}

/** A parsed `NodeSelector`: empty terms are dropped, so no terms left = matches no node. */
export class ParsedNodeSelector {
  readonly terms: readonly ParsedTerm[];

  constructor(selector: NodeSelector) {
    const terms: ParsedTerm[] = [];
    selector.nodeSelectorTerms.forEach((term, i) => {
      if (!isEmptyTerm(term)) terms.push(parseTerm(term, `nodeSelectorTerms[${i}]`));
    });
    this.terms = terms;
  }

  /** All parse errors of all terms, in order. */
  get parseErrors(): string[] {
    return this.terms.flatMap((t) => t.parseErrors);
  }

  /** Terms are ORed; a term with parse errors is skipped. */
  matches(node: Node): boolean {
    return this.terms.some((t) => termMatches(t, node));
  }
}

/** `nodeaffinity.RequiredNodeAffinity`: the pod's `nodeSelector` AND its required node affinity. */
export class RequiredNodeAffinity {
  readonly nodeSelector: Labels;
  readonly affinity?: ParsedNodeSelector;

  constructor(pod: Pod) {
    this.nodeSelector = pod.spec.nodeSelector;
    const required =
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) this.affinity = new ParsedNodeSelector(required);
  }

  /** Parse errors are ignored (the term simply does not match), as upstream does. */
  matches(node: Node): boolean {
    for (const [key, value] of Object.entries(this.nodeSelector)) {
      if (!Object.hasOwn(node.metadata.labels, key) || node.metadata.labels[key] !== value) {
        return false;
      }
    }
    return this.affinity ? this.affinity.matches(node) : true;
  }
}

/** `nodeaffinity.PreferredSchedulingTerms`: weighted terms; weight 0 and empty terms dropped. */
export class PreferredSchedulingTerms {
  readonly terms: readonly { readonly term: ParsedTerm; readonly weight: number }[];
  readonly parseErrors: readonly string[];

  constructor(terms: readonly PreferredSchedulingTerm[]) {
    const parsed: { term: ParsedTerm; weight: number }[] = [];
    const errors: string[] = [];
    terms.forEach((t, i) => {
      if (t.weight === 0 || isEmptyTerm(t.preference)) return;
      const term = parseTerm(t.preference, `[${i}]`);
      if (term.parseErrors.length > 0) errors.push(...term.parseErrors);
      else parsed.push({ term, weight: t.weight });
    });
    this.terms = parsed;
    this.parseErrors = errors;
  }

  /** Sum of the weights of the matching terms. */
  score(node: Node): number {
    let score = 0;
    for (const { term, weight } of this.terms) if (termMatches(term, node)) score += weight;
    return score;
  }
}
