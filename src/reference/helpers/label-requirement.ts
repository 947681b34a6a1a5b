/**
 * apimachinery `labels.Requirement.Matches`: one requirement over a label set, for every selector
 * the reference parses (node selector terms, pod label selectors of PodTopologySpread and
 * InterPodAffinity). `Equals` is the set-based `key=value`; Gt / Lt compare base-10 int64 values
 * (only node selectors produce them).
 */
import type { Labels } from "../../model/types.ts";
import { parseInt64 } from "../../model/validation.ts";

export type RequirementOperator =
  | "Equals"
  | "In"
  | "NotIn"
  | "Exists"
  | "DoesNotExist"
  | "Gt"
  | "Lt";

export interface LabelRequirement {
  readonly key: string;
  readonly operator: RequirementOperator;
  readonly values: readonly string[];
}

export function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] ?? "";
  switch (r.operator) {
    case "Equals":
    case "In":
      return has && r.values.includes(value);
    case "NotIn":
      return !has || !r.values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (!has) return false;
      const actual = parseInt64(value);
      const wanted = parseInt64(r.values[0] ?? "");
      if (actual === undefined || wanted === undefined) return false;
      return r.operator === "Gt" ? actual > wanted : actual < wanted;
    }
  }
}
