/**
 * Decoders for the scheduling primitives shared by Pods and Nodes: taints and tolerations, node
 * selectors, label selectors, (anti-)affinity and topology spread constraints, each validated
 * with the API server's rules (`pkg/apis/core/validation`, metav1 `ValidateLabelSelector`).
 */
import type {
  Affinity,
  LabelSelector,
  LabelSelectorOperator,
  LabelSelectorRequirement,
  NodeAffinity,
  NodeSelector,
  NodeSelectorOperator,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinity,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  Taint,
  TaintEffect,
  Toleration,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from "../model/types.ts";
import type { Field } from "./field.ts";
import { quote } from "./field.ts";
import {
  checkFormat,
  checkLabelKey,
  checkLabelValue,
  dns1123LabelErrors,
  qualifiedNameErrors,
  readLabels,
} from "./validation.ts";

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;

const TAINT_EFFECTS: readonly TaintEffect[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const TOLERATION_OPERATORS = ["Equal", "Exists"] as const;
const NODE_SELECTOR_OPERATORS: readonly NodeSelectorOperator[] = [
  "In",
  "NotIn",
  "Exists",
  "DoesNotExist",
  "Gt",
  "Lt",
];
const LABEL_SELECTOR_OPERATORS: readonly LabelSelectorOperator[] = [
  "In",
  "NotIn",
  "Exists",
  "DoesNotExist",
];
const INTEGER = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Checks a taint/toleration/topology key: a qualified name. */
function checkKey(field: Field, key: string): boolean {
  return checkFormat(field, key, "qualified name", qualifiedNameErrors);
}

/** A required scheduling weight in 1..100. */
function readWeight(field: Field): number {
  if (!field.present) {
    field.error("required");
    return 1;
  }
  return field.intInRange(1, 100) ?? 1;
}

// ---------------------------------------------------------------------------------------------
// Taints and tolerations

/** `node.spec.taints`: key required, value a label value, effect required; unique by key+effect. */
export function readTaints(field: Field): Taint[] {
  const out: Taint[] = [];
  const seen = new Map<string, string>();
  for (const item of field.list()) {
    const t = item.object();
    const keyField = t.get("key");
    const key = keyField.requiredString();
    if (key) checkKey(keyField, key);
    const valueField = t.get("value");
    const value = valueField.string();
    checkLabelValue(valueField, value);
    const effect = t.get("effect").requiredOneOf(TAINT_EFFECTS);
    if (effect === undefined) continue;
    const id = `${key}\u0000${effect}`;
    const first = seen.get(id);
    if (first !== undefined) {
      item.error(`duplicate of ${first}: taints must be unique by key and effect`);
      continue;
    }
    seen.set(id, item.path);
    out.push({ key, value, effect });
  }
  return out;
}

/**
 * `spec.tolerations`, with an empty operator defaulted to `Equal`. An empty key requires
 * `Exists`; `Exists` forbids a value; `tolerationSeconds` requires effect `NoExecute`.
 */
export function readTolerations(field: Field): Toleration[] {
  const out: Toleration[] = [];
  for (const item of field.list()) {
    const t = item.object();
    const keyField = t.get("key");
    const key = keyField.string();
    if (key) checkKey(keyField, key);

    const opField = t.get("operator");
    const opRaw = opField.optString();
    const operator =
      opRaw === undefined || opRaw === "" ? "Equal" : opField.oneOf(TOLERATION_OPERATORS);
    if (operator !== undefined && key === "" && operator !== "Exists") {
      opField.error("must be Exists when key is empty (an empty key matches every taint)");
    }

    const valueField = t.get("value");
    const value = valueField.string();
    if (operator === "Exists" && value !== "") {
      valueField.error("must be empty when operator is Exists");
    } else if (operator === "Equal") {
      checkLabelValue(valueField, value);
    }

    const effectField = t.get("effect");
    const effectRaw = effectField.optString();
    const effect =
      effectRaw === undefined || effectRaw === "" ? "" : effectField.oneOf(TAINT_EFFECTS);
    const secondsField = t.get("tolerationSeconds");
    const tolerationSeconds = secondsField.optInt();
    if (secondsField.present && effect !== undefined && effect !== "NoExecute") {
      effectField.error("must be NoExecute when tolerationSeconds is set");
    }
    out.push({
      key,
      operator: operator ?? "Equal",
      value,
      effect: effect ?? "",
      ...(tolerationSeconds !== undefined ? { tolerationSeconds } : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node selectors

function checkValueCount(valuesField: Field, operator: string, count: number): void {
  if ((operator === "In" || operator === "NotIn") && count === 0) {
    valuesField.error("required when operator is In or NotIn");
  } else if ((operator === "Exists" || operator === "DoesNotExist") && count > 0) {
    valuesField.error("must be empty when operator is Exists or DoesNotExist");
  }
}

/** One `matchExpressions` entry of a node selector term. */
function readNodeSelectorRequirement(field: Field): NodeSelectorRequirement | undefined {
  const r = field.object();
  const keyField = r.get("key");
  const key = keyField.requiredString();
  if (key) checkLabelKey(keyField, key);
  const operator = r.get("operator").requiredOneOf(NODE_SELECTOR_OPERATORS);
  const valuesField = r.get("values");
  const values = valuesField.stringList();
  if (operator === undefined) return undefined;
  checkValueCount(valuesField, operator, values.length);
  if (operator === "Gt" || operator === "Lt") {
    if (values.length !== 1) {
      valuesField.error("must have exactly one value when operator is Gt or Lt");
    } else {
      const v = values[0]!;
      if (!INTEGER.test(v) || BigInt(v) < INT64_MIN || BigInt(v) > INT64_MAX) {
        valuesField.error(`${quote(v)} is not an integer`, 0);
      }
    }
  }
  return { key, operator, values };
}

/** One `matchFields` entry: only `metadata.name` with In/NotIn and a single value. */
function readNodeFieldRequirement(field: Field): NodeSelectorRequirement | undefined {
  const r = field.object();
  const key = r.get("key").requiredOneOf(["metadata.name"]);
  const operator = r.get("operator").requiredOneOf(["In", "NotIn"] as const);
  const valuesField = r.get("values");
  const values = valuesField.stringList();
  if (values.length !== 1) valuesField.error("must have exactly one value for a field selector");
  if (key === undefined || operator === undefined) return undefined;
  return { key, operator, values };
}

/** A `NodeSelectorTerm` (`matchExpressions` and `matchFields`). */
export function readNodeSelectorTerm(field: Field): NodeSelectorTerm {
  const term = field.object();
  const matchExpressions: NodeSelectorRequirement[] = [];
  for (const f of term.get("matchExpressions").list()) {
    const r = readNodeSelectorRequirement(f);
    if (r) matchExpressions.push(r);
  }
  const matchFields: NodeSelectorRequirement[] = [];
  for (const f of term.get("matchFields").list()) {
    const r = readNodeFieldRequirement(f);
    if (r) matchFields.push(r);
  }
  return { matchExpressions, matchFields };
}

/** A `NodeSelector`: at least one term. */
export function readNodeSelector(field: Field): NodeSelector {
  const termsField = field.object().get("nodeSelectorTerms");
  const terms = termsField.list();
  if (terms.length === 0 && (!termsField.present || Array.isArray(termsField.value))) {
    termsField.error("required");
  }
  return { nodeSelectorTerms: terms.map(readNodeSelectorTerm) };
}

function readNodeAffinity(field: Field): NodeAffinity | undefined {
  const na = field.object();
  if (!na.present) return undefined;
  const requiredField = na.get("requiredDuringSchedulingIgnoredDuringExecution");
  const required = requiredField.present ? readNodeSelector(requiredField) : undefined;
  const preferred: PreferredSchedulingTerm[] = [];
  for (const item of na.get("preferredDuringSchedulingIgnoredDuringExecution").list()) {
    const p = item.object();
    const weight = readWeight(p.get("weight"));
    const prefField = p.get("preference");
    if (!prefField.present) prefField.error("required");
    preferred.push({ weight, preference: readNodeSelectorTerm(prefField) });
  }
  return {
    ...(required ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    preferredDuringSchedulingIgnoredDuringExecution: preferred,
  };
}

// ---------------------------------------------------------------------------------------------
// Label selectors and pod (anti-)affinity

/** A metav1 `LabelSelector`; `undefined` when absent (nil), which differs from `{}`. */
export function readLabelSelector(field: Field): LabelSelector | undefined {
  const sel = field.object();
  if (!sel.present) return undefined;
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const item of sel.get("matchExpressions").list()) {
    const r = item.object();
    const keyField = r.get("key");
    const key = keyField.requiredString();
    if (key) checkLabelKey(keyField, key);
    const operator = r.get("operator").requiredOneOf(LABEL_SELECTOR_OPERATORS);
    const valuesField = r.get("values");
    const items = valuesField.stringItems();
    for (const [v, f] of items) checkLabelValue(f, v);
    const values = items.map(([v]) => v);
    if (operator === undefined) continue;
    checkValueCount(valuesField, operator, values.length);
    matchExpressions.push({ key, operator, values });
  }
  return { matchLabels: readLabels(sel.get("matchLabels")), matchExpressions };
}

function readLabelKeys(field: Field): string[] {
  const items = field.stringItems();
  for (const [k, f] of items) checkLabelKey(f, k);
  return items.map(([k]) => k);
}

function readPodAffinityTerm(field: Field): PodAffinityTerm {
  const t = field.object();
  const labelSelector = readLabelSelector(t.get("labelSelector"));
  const nsItems = t.get("namespaces").stringItems();
  for (const [ns, f] of nsItems) checkFormat(f, ns, "namespace", dns1123LabelErrors);
  const namespaces = nsItems.map(([ns]) => ns);
  const topoField = t.get("topologyKey");
  const topologyKey = topoField.requiredString();
  if (topologyKey) checkKey(topoField, topologyKey);
  const namespaceSelector = readLabelSelector(t.get("namespaceSelector"));
  const matchField = t.get("matchLabelKeys");
  const mismatchField = t.get("mismatchLabelKeys");
  const matchLabelKeys = readLabelKeys(matchField);
  const mismatchLabelKeys = readLabelKeys(mismatchField);
  if (labelSelector === undefined) {
    if (matchLabelKeys.length > 0)
      matchField.error("must not be set when labelSelector is not set");
    if (mismatchLabelKeys.length > 0)
      mismatchField.error("must not be set when labelSelector is not set");
  }
  return {
    ...(labelSelector ? { labelSelector } : {}),
    namespaces,
    topologyKey,
    ...(namespaceSelector ? { namespaceSelector } : {}),
    matchLabelKeys,
    mismatchLabelKeys,
  };
}

function readPodAffinity(field: Field): PodAffinity | undefined {
  const pa = field.object();
  if (!pa.present) return undefined;
  const required = pa
    .get("requiredDuringSchedulingIgnoredDuringExecution")
    .list()
    .map(readPodAffinityTerm);
  const preferred: WeightedPodAffinityTerm[] = [];
  for (const item of pa.get("preferredDuringSchedulingIgnoredDuringExecution").list()) {
    const w = item.object();
    const weight = readWeight(w.get("weight"));
    const termField = w.get("podAffinityTerm");
    if (!termField.present) termField.error("required");
    preferred.push({ weight, podAffinityTerm: readPodAffinityTerm(termField) });
  }
  return {
    requiredDuringSchedulingIgnoredDuringExecution: required,
    preferredDuringSchedulingIgnoredDuringExecution: preferred,
  };
}

/** `spec.affinity`; `undefined` when absent. */
export function readAffinity(field: Field): Affinity | undefined {
  const a = field.object();
  if (!a.present) return undefined;
  const nodeAffinity = readNodeAffinity(a.get("nodeAffinity"));
  const podAffinity = readPodAffinity(a.get("podAffinity"));
  const podAntiAffinity = readPodAffinity(a.get("podAntiAffinity"));
  return {
    ...(nodeAffinity ? { nodeAffinity } : {}),
    ...(podAffinity ? { podAffinity } : {}),
    ...(podAntiAffinity ? { podAntiAffinity } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Topology spread

/** `spec.topologySpreadConstraints`; unique by topologyKey + whenUnsatisfiable. */
export function readTopologySpreadConstraints(field: Field): TopologySpreadConstraint[] {
  const out: TopologySpreadConstraint[] = [];
  const seen = new Map<string, string>();
  for (const item of field.list()) {
    const c = item.object();
    const skewField = c.get("maxSkew");
    if (!skewField.present) skewField.error("required");
    const maxSkew = skewField.intInRange(1, INT32_MAX) ?? 1;
    const keyField = c.get("topologyKey");
    const topologyKey = keyField.requiredString();
    if (topologyKey) checkKey(keyField, topologyKey);
    const whenUnsatisfiable = c
      .get("whenUnsatisfiable")
      .requiredOneOf(["DoNotSchedule", "ScheduleAnyway"] as const);
    const labelSelector = readLabelSelector(c.get("labelSelector"));
    const minField = c.get("minDomains");
    let minDomains = minField.present ? minField.intInRange(1, INT32_MAX) : undefined;
    if (minField.present && whenUnsatisfiable === "ScheduleAnyway") {
      minField.error("must not be set unless whenUnsatisfiable is DoNotSchedule");
      minDomains = undefined;
    }
    const nodeAffinityPolicy = c.get("nodeAffinityPolicy").oneOf(["Honor", "Ignore"] as const);
    const nodeTaintsPolicy = c.get("nodeTaintsPolicy").oneOf(["Honor", "Ignore"] as const);
    const matchLabelKeys = readLabelKeys(c.get("matchLabelKeys"));
    if (whenUnsatisfiable === undefined) continue;
    const id = `${topologyKey}\u0000${whenUnsatisfiable}`;
    const first = seen.get(id);
    if (first !== undefined) {
      item.error(`duplicate of ${first}: topologyKey and whenUnsatisfiable must be unique`);
      continue;
    }
    seen.set(id, item.path);
    out.push({
      maxSkew,
      topologyKey,
      whenUnsatisfiable,
      ...(labelSelector ? { labelSelector } : {}),
      ...(minDomains !== undefined ? { minDomains } : {}),
      ...(nodeAffinityPolicy ? { nodeAffinityPolicy } : {}),
      ...(nodeTaintsPolicy ? { nodeTaintsPolicy } : {}),
      matchLabelKeys,
    });
  }
  return out;
}
