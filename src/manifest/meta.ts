/**
 * `metadata` decoding shared by every kind: name and namespace rules, API-server defaulting
 * (namespace `default` for namespaced kinds, cleared for cluster-scoped ones), labels and
 * annotations validated like apimachinery, owner references, and a deterministic uid when the
 * manifest carries none.
 */
import { createHash } from "node:crypto";
import type { Labels, ObjectMeta, OwnerReference } from "../model/types.ts";
import type { Field } from "./field.ts";
import { isObject } from "./field.ts";
import type { FormatCheck } from "./validation.ts";
import { checkFormat, dns1123LabelErrors, qualifiedNameErrors, readLabels } from "./validation.ts";

/** How a kind's metadata is checked. */
export interface MetaRules {
  /** Namespaced kinds default `namespace` to `default`; cluster-scoped ones clear it. */
  readonly namespaced: boolean;
  /** Format rule for `metadata.name` (DNS-1123 subdomain for most kinds). */
  readonly name: FormatCheck;
}

/** The namespace a namespaced object lands in when it names none. */
export const DEFAULT_NAMESPACE = "default";

/**
 * The identity of a document read without validation, for naming the object in diagnostics
 * before its metadata is decoded: `Pod default/web-1`, `Node node-1`, or just `Pod` when the
 * name is missing.
 */
export function describeObject(
  kind: string,
  raw: unknown,
  namespaced: boolean | undefined,
): string {
  const meta = isObject(raw) ? raw["metadata"] : undefined;
  const name = isObject(meta) ? meta["name"] : undefined;
  if (typeof name !== "string" || name === "") return kind;
  const ns = isObject(meta) ? meta["namespace"] : undefined;
  if (namespaced === false) return `${kind} ${name}`;
  if (typeof ns === "string" && ns !== "") return `${kind} ${ns}/${name}`;
  // Unknown scope without a namespace: show the bare name rather than guess.
  return namespaced ? `${kind} ${DEFAULT_NAMESPACE}/${name}` : `${kind} ${name}`;
}

/** Arbitrary fixed namespace for gantry's name-based (v5) uids. */
const UID_NAMESPACE = Buffer.from("6f1c1a0e5b8e4f3a9d6b2e7c4a9b1d30", "hex");

/**
 * A deterministic RFC 4122 version-5 UUID for `kind/namespace/name`, used when a manifest
 * carries no `metadata.uid`: the same object always gets the same uid across runs.
 */
export function deriveUid(kind: string, namespace: string, name: string): string {
  const h = createHash("sha1").update(UID_NAMESPACE).update(`${kind}/${namespace}/${name}`);
  const b = h.digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Annotation keys: qualified names once lower-cased (apimachinery `ValidateAnnotations`). */
function readAnnotations(field: Field): Labels {
  const annotations = field.stringMap();
  for (const k of Object.keys(annotations)) {
    checkFormat(field, k, "annotation key", (v) => qualifiedNameErrors(v.toLowerCase()));
  }
  return annotations;
}

function readOwnerReferences(field: Field): OwnerReference[] {
  const out: OwnerReference[] = [];
  for (const item of field.list()) {
    const ref = item.object();
    out.push({
      apiVersion: ref.get("apiVersion").requiredString(),
      kind: ref.get("kind").requiredString(),
      name: ref.get("name").requiredString(),
      uid: ref.get("uid").requiredString(),
      controller: ref.get("controller").bool(false),
    });
  }
  return out;
}

/** Reads an optional RFC 3339 timestamp, kept as written. */
function readTimestamp(field: Field): string | undefined {
  return field.optString();
}

/**
 * Decodes `root.metadata` of an object of `kind`. Reports every problem and always returns an
 * `ObjectMeta` (with `""` for a missing name).
 */
export function decodeMeta(root: Field, kind: string, rules: MetaRules): ObjectMeta {
  const meta = root.get("metadata").object();
  const nameField = meta.get("name");
  const n = nameField.optString();
  let name = "";
  if (n) {
    name = n;
    checkFormat(nameField, n, "name", rules.name);
  } else if (n === "" || !nameField.present) {
    const generate = meta.get("generateName").present;
    nameField.error(generate ? "required (generateName is not supported)" : "required");
  }

  let namespace = "";
  if (rules.namespaced) {
    const nsField = meta.get("namespace");
    namespace = nsField.string("") || DEFAULT_NAMESPACE;
    checkFormat(nsField, namespace, "namespace", dns1123LabelErrors);
  }

  const uidField = meta.get("uid");
  const uid = uidField.optString() || deriveUid(kind, namespace, name);
  const creationTimestamp = readTimestamp(meta.get("creationTimestamp"));
  const deletionTimestamp = readTimestamp(meta.get("deletionTimestamp"));

  return {
    name,
    namespace,
    uid,
    labels: readLabels(meta.get("labels")),
    annotations: readAnnotations(meta.get("annotations")),
    ...(creationTimestamp !== undefined ? { creationTimestamp } : {}),
    ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}),
    ownerReferences: readOwnerReferences(meta.get("ownerReferences")),
  };
}
