/**
 * Strict decoding of core/v1 `NodeAffinity` (for `NodeAffinityArgs.addedAffinity`) and
 * `TopologySpreadConstraint` (for `PodTopologySpreadArgs.defaultConstraints`) into the shared
 * model types. Enumerated fields outside their value set are reported here as
 * `Unsupported value` (the model types cannot hold them) and the element is dropped; all other
 * semantic checks live in `validate.ts`.
 */
import { joinPath } from "../diagnostics.ts";
import type {
  NodeAffinity,
  NodeSelector,
  NodeSelectorOperator,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
  TopologySpreadConstraint,
} from "../model/types.ts";
import {
  type RawObject,
  type Reporter,
  readInt,
  readList,
  readObject,
  readString,
  readStringItem,
} from "./decode.ts";
import { forbidden, notSupported } from "./messages.ts";

const NODE_SELECTOR_OPERATORS: readonly NodeSelectorOperator[] = [
  "In",
  "NotIn",
  "Exists",
  "DoesNotExist",
  "Gt",
  "Lt",
];

function readRequirement(
  r: Reporter,
  value: unknown,
  path: string,
): NodeSelectorRequirement | undefined {
  const o = readObject(r, value, path, ["key", "operator", "values"]);
  if (!o) return undefined;
  const key = readString(r, o, "key", path) ?? "";
  const operator = readString(r, o, "operator", path) ?? "";
  const values = readList(r, o, "values", path, (v, p) => readStringItem(r, v, p)) ?? [];
  if (!(NODE_SELECTOR_OPERATORS as readonly string[]).includes(operator)) {
    r.error(joinPath(path, "operator"), notSupported(operator, NODE_SELECTOR_OPERATORS));
    return undefined;
  }
  return { key, operator: operator as NodeSelectorOperator, values };
}

function readTerm(r: Reporter, value: unknown, path: string): NodeSelectorTerm | undefined {
  const o = readObject(r, value, path, ["matchExpressions", "matchFields"]);
  if (!o) return undefined;
  return {
    matchExpressions:
      readList(r, o, "matchExpressions", path, (v, p) => readRequirement(r, v, p)) ?? [],
    matchFields: readList(r, o, "matchFields", path, (v, p) => readRequirement(r, v, p)) ?? [],
  };
}

function readNodeSelector(r: Reporter, value: unknown, path: string): NodeSelector | undefined {
  const o = readObject(r, value, path, ["nodeSelectorTerms"]);
  if (!o) return undefined;
  return {
    nodeSelectorTerms: readList(r, o, "nodeSelectorTerms", path, (v, p) => readTerm(r, v, p)) ?? [],
  };
}

function readPreferred(
  r: Reporter,
  value: unknown,
  path: string,
): PreferredSchedulingTerm | undefined {
  const o = readObject(r, value, path, ["weight", "preference"]);
  if (!o) return undefined;
  const weight = readInt(r, o, "weight", path) ?? 0;
  const preference =
    o["preference"] === undefined || o["preference"] === null
      ? { matchExpressions: [], matchFields: [] }
      : readTerm(r, o["preference"], joinPath(path, "preference"));
  if (!preference) return undefined;
  return { weight, preference };
}

/** Decodes a core/v1 NodeAffinity. */
export function readNodeAffinity(
  r: Reporter,
  value: unknown,
  path: string,
): NodeAffinity | undefined {
  const req = "requiredDuringSchedulingIgnoredDuringExecution";
  const pref = "preferredDuringSchedulingIgnoredDuringExecution";
  const o = readObject(r, value, path, [req, pref]);
  if (!o) return undefined;
  const required =
    o[req] === undefined || o[req] === null
      ? undefined
      : readNodeSelector(r, o[req], joinPath(path, req));
  const preferred = readList(r, o, pref, path, (v, p) => readPreferred(r, v, p)) ?? [];
  return required
    ? {
        requiredDuringSchedulingIgnoredDuringExecution: required,
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      }
    : { preferredDuringSchedulingIgnoredDuringExecution: preferred };
}

const WHEN_UNSATISFIABLE = ["DoNotSchedule", "ScheduleAnyway"] as const;
const POLICIES = ["Honor", "Ignore"] as const;

function readEnum<T extends string>(
  r: Reporter,
  o: RawObject,
  key: string,
  path: string,
  values: readonly T[],
): T | undefined {
  const v = readString(r, o, key, path);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    r.error(joinPath(path, key), notSupported(v, values));
    return undefined;
  }
  return v as T;
}

/**
 * Decodes a core/v1 TopologySpreadConstraint for `defaultConstraints`. A `labelSelector` is
 * reported as forbidden right here (upstream's wording) and not decoded, since default
 * constraints take their selector from each pod's owners. An empty `whenUnsatisfiable` is left
 * for validation (`Required value`); the model type carries it as written.
 */
export function readDefaultConstraint(
  r: Reporter,
  value: unknown,
  path: string,
): TopologySpreadConstraint | undefined {
  const o = readObject(r, value, path, [
    "maxSkew",
    "topologyKey",
    "whenUnsatisfiable",
    "labelSelector",
    "minDomains",
    "nodeAffinityPolicy",
    "nodeTaintsPolicy",
    "matchLabelKeys",
  ]);
  if (!o) return undefined;
  const when = readString(r, o, "whenUnsatisfiable", path) ?? "";
  if (when !== "" && !(WHEN_UNSATISFIABLE as readonly string[]).includes(when)) {
    r.error(joinPath(path, "whenUnsatisfiable"), notSupported(when, WHEN_UNSATISFIABLE));
    return undefined;
  }
  const minDomains = readInt(r, o, "minDomains", path);
  const nodeAffinityPolicy = readEnum(r, o, "nodeAffinityPolicy", path, POLICIES);
  const nodeTaintsPolicy = readEnum(r, o, "nodeTaintsPolicy", path, POLICIES);
  const c: TopologySpreadConstraint = {
    maxSkew: readInt(r, o, "maxSkew", path) ?? 0,
    topologyKey: readString(r, o, "topologyKey", path) ?? "",
    whenUnsatisfiable: when as TopologySpreadConstraint["whenUnsatisfiable"],
    matchLabelKeys: readList(r, o, "matchLabelKeys", path, (v, p) => readStringItem(r, v, p)) ?? [],
    ...(minDomains === undefined ? {} : { minDomains }),
    ...(nodeAffinityPolicy === undefined ? {} : { nodeAffinityPolicy }),
    ...(nodeTaintsPolicy === undefined ? {} : { nodeTaintsPolicy }),
  };
  if (o["labelSelector"] !== undefined && o["labelSelector"] !== null) {
    r.error(
      joinPath(path, "labelSelector"),
      forbidden("constraint must not define a selector, as they deduced for each pod"),
    );
  }
  return c;
}
