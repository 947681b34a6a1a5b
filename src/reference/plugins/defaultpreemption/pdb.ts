/**
 * PodDisruptionBudgets as DefaultPreemption reads them (semantics §5.4): the policy/v1 objects
 * the manifest loader keeps whole (`KeptObject`, `body` = the parsed document), decoded here into
 * the few fields preemption uses, and the split of potential victims into PDB-violating and
 * non-violating pods (upstream `default_preemption.go:filterPodsWithPDBViolation`).
 */
import type { KeptObject, Labels, Pod } from "../../../model/types.ts";

/** One `matchExpressions` requirement of a metav1.LabelSelector. */
interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values: readonly string[];
}

/**
 * A parsed metav1.LabelSelector (upstream `metav1.LabelSelectorAsSelector`): `undefined` for an
 * invalid selector (it matches nothing), `nothing` for a nil one, else the requirements
 * (`matchLabels` entries become `In [value]`); no requirements = the empty selector.
 */
type Selector = { readonly nothing: true } | { readonly requirements: readonly Requirement[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `undefined` when the selector is malformed (unknown operator, values that the operator forbids or needs). */
export function parseSelector(raw: unknown): Selector | undefined {
  if (raw === undefined || raw === null) return { nothing: true };
  if (!isRecord(raw)) return undefined;
  const requirements: Requirement[] = [];
  const matchLabels = raw["matchLabels"] ?? {};
  if (!isRecord(matchLabels)) return undefined;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (typeof value !== "string") return undefined;
    requirements.push({ key, operator: "In", values: [value] });
  }
  const exprs = raw["matchExpressions"] ?? [];
  if (!Array.isArray(exprs)) return undefined;
  for (const e of exprs) {
    if (!isRecord(e) || typeof e["key"] !== "string") return undefined;
    const values = e["values"] ?? [];
    if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) return undefined;
    const op = e["operator"];
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) return undefined;
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) return undefined;
    } else {
      return undefined;
    }
    requirements.push({ key: e["key"], operator: op, values: values as string[] });
  }
  return { requirements };
}

/** Whether the selector has no requirements (upstream `Selector.Empty`; a nil selector is not empty). */
function isEmpty(s: Selector): boolean {
  return "requirements" in s && s.requirements.length === 0;
}

export function selectorMatches(s: Selector, labels: Labels): boolean {
  if (!("requirements" in s)) return false;
  return s.requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.operator) {
      case "In":
        return has && r.values.includes(labels[r.key] as string);
      case "NotIn":
        return !has || !r.values.includes(labels[r.key] as string);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
    }
    return false;
  });
}

/** What preemption needs of one PodDisruptionBudget. */
export interface PodDisruptionBudget {
  readonly namespace: string;
  readonly name: string;
  /** `undefined` for an invalid selector (the PDB is ignored). */
  readonly selector: Selector | undefined;
  /** `status.disruptionsAllowed`, or computed (see {@link readPodDisruptionBudgets}). */
  readonly disruptionsAllowed: number;
  /** Whether `disruptionsAllowed` was computed because the object has no status. */
  readonly computed: boolean;
  /** Names of the pods in `status.disruptedPods`. */
  readonly disruptedPods: ReadonlySet<string>;
}

/** An IntOrString: an integer, or `"<n>%"`; `undefined` when absent, `null` when invalid. */
function intOrPercent(v: unknown): { int: number } | { percent: number } | null | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return Number.isInteger(v) ? { int: v } : null;
  if (typeof v === "string") {
    const m = /^(\d+)%$/.exec(v);
    return m ? { percent: Number(m[1]) } : null;
  }
  return null;
}

/** `GetScaledValueFromIntOrPercent(v, total, roundUp=true)`. */
function scaled(v: { int: number } | { percent: number }, total: number): number {
  return "int" in v ? v.int : Math.ceil((v.percent * total) / 100);
}

/** Whether the disruption controller counts the pod as healthy (see the note in {@link computeDisruptionsAllowed}). */
function isHealthy(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  return pod.status.phase === undefined || pod.status.phase === "Running";
}

/**
 * `status.disruptionsAllowed` as the disruption controller would set it (upstream
 * `pkg/controller/disruption`: `getExpectedPodCount`, `countHealthyPods`, `updatePdbStatus`),
 * for a PDB whose manifest has no status (a budget written by hand rather than read back from a
 * cluster). Over the matching pods of the PDB's namespace (`pods`):
 * - `maxUnavailable` set: expected = the matching pods' count, desiredHealthy =
 *   max(0, expected − scaled(maxUnavailable));
 * - else integer `minAvailable`: desiredHealthy = minAvailable, expected = the pods' count;
 * - else percentage `minAvailable`: expected = the pods' count, desiredHealthy =
 *   ceil(percent × expected / 100);
 * - neither (or an invalid value): desiredHealthy = 0, expected = 0;
 * then `disruptionsAllowed = currentHealthy − desiredHealthy`, and 0 when that is negative or
 * `expected ≤ 0`. Approximations: the controller takes `expected` for percentages and
 * `maxUnavailable` from the owning controllers' `spec.replicas` (the reference has no
 * controllers) — here it is the number of matching pods; and "healthy" (Ready upstream; the
 * model has no pod conditions) is: not terminating and phase Running or unset.
 */
export function computeDisruptionsAllowed(
  spec: Record<string, unknown>,
  pods: readonly Pod[],
): number {
  const maxUnavailable = intOrPercent(spec["maxUnavailable"]);
  const minAvailable = intOrPercent(spec["minAvailable"]);
  let expected = 0;
  let desiredHealthy = 0;
  if (maxUnavailable !== undefined) {
    if (maxUnavailable === null) return 0;
    expected = pods.length;
    desiredHealthy = Math.max(0, expected - scaled(maxUnavailable, expected));
  } else if (minAvailable !== undefined) {
    if (minAvailable === null) return 0;
    expected = pods.length;
    desiredHealthy = scaled(minAvailable, expected);
  }
  const currentHealthy = pods.filter(isHealthy).length;
  const allowed = currentHealthy - desiredHealthy;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

/**
 * The PodDisruptionBudgets among `objects`, in the given order. `disruptionsAllowed` is
 * `status.disruptionsAllowed` when the object has a status carrying it; otherwise it is computed
 * from the spec and `allPods` (every pod bound in the snapshot) by
 * {@link computeDisruptionsAllowed}.
 */
export function readPodDisruptionBudgets(
  objects: readonly KeptObject[],
  allPods: () => readonly Pod[],
): PodDisruptionBudget[] {
  return objects
    .filter((o) => o.kind === "PodDisruptionBudget")
    .map((o) => {
      const spec = isRecord(o.body["spec"]) ? o.body["spec"] : {};
      const status = isRecord(o.body["status"]) ? o.body["status"] : undefined;
      const selector = parseSelector(spec["selector"]);
      const namespace = o.metadata.namespace;
      const given = status?.["disruptionsAllowed"];
      const disrupted = isRecord(status?.["disruptedPods"]) ? status["disruptedPods"] : {};
      const hasStatus = typeof given === "number" && Number.isInteger(given);
      let disruptionsAllowed = hasStatus ? given : 0;
      if (!hasStatus && selector) {
        const pods = allPods().filter(
          (p) => p.metadata.namespace === namespace && selectorMatches(selector, p.metadata.labels),
        );
        disruptionsAllowed = computeDisruptionsAllowed(spec, pods);
      }
      return {
        namespace,
        name: o.metadata.name,
        selector,
        disruptionsAllowed,
        computed: !hasStatus,
        disruptedPods: new Set(Object.keys(disrupted)),
      };
    });
}

/**
 * Splits `pods` (already in importance order; the order is kept in both groups) into those whose
 * eviction would violate a PDB and the rest (semantics §5.4): walking the pods, each pod with
 * labels decrements the remaining budget of every PDB of its namespace whose selector is valid,
 * non-empty and matches it, unless the PDB lists the pod (by name) in `status.disruptedPods`; a
 * budget going below 0 makes the pod violating. Budgets start at `disruptionsAllowed`.
 */
export function filterPodsWithPDBViolation(
  pods: readonly Pod[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    if (Object.keys(pod.metadata.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== pod.metadata.namespace) return;
        if (!pdb.selector || isEmpty(pdb.selector)) return;
        if (!selectorMatches(pdb.selector, pod.metadata.labels)) return;
        if (pdb.disruptedPods.has(pod.metadata.name)) return;
        allowed[i] = (allowed[i] ?? 0) - 1;
        if ((allowed[i] ?? 0) < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}
