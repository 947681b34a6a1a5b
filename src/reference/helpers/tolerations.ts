/**
 * Toleration matching (semantics §4.7.1; k8s.io/api core/v1 `Toleration.ToleratesTaint`, v0.35.0).
 */
import type { Taint, Toleration } from "../../model/types.ts";

/**
 * True iff the toleration tolerates the taint: effect empty or equal, key empty or equal, and the
 * operator matches (`Equal`/empty → values equal; `Exists` → always). The alpha `Lt`/`Gt`
 * operators (gate TaintTolerationComparisonOperators, off by default) never match; the object
 * model does not admit them anyway.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== "" && toleration.effect !== taint.effect) return false;
  if (toleration.key !== "" && toleration.key !== taint.key) return false;
  const operator: string = toleration.operator;
  switch (operator) {
    case "":
    case "Equal":
      return toleration.value === taint.value;
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** True iff any of the tolerations tolerates the taint (`v1helper.TolerationsTolerateTaint`). */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[],
  taint: Taint,
): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/**
 * The first taint (in `taints` order) passing `filter` that no toleration tolerates
 * (`v1helper.FindMatchingUntoleratedTaint`), or `undefined`.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
