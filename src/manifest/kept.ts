/**
 * Kept kinds (`KEPT_KINDS`): objects gantry does not model yet but keeps for later work. Only
 * `metadata` is decoded and validated (with the kind's scope and name rule); the document is
 * kept whole as `body`.
 */
import type { Location } from "../diagnostics.ts";
import type { KeptKind, KeptObject } from "../model/types.ts";
import { type Field, isObject } from "./field.ts";
import { decodeMeta } from "./meta.ts";
import { dns1035LabelErrors, dns1123SubdomainErrors, type FormatCheck } from "./validation.ts";

/** Cluster-scoped kept kinds; the others are namespaced. */
const CLUSTER_SCOPED: ReadonlySet<KeptKind> = new Set<KeptKind>([
  "PersistentVolume",
  "StorageClass",
  "CSINode",
  "PriorityClass",
]);

/** Whether objects of a kept kind live in a namespace. */
export function isNamespacedKept(kind: KeptKind): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

/** The `metadata.name` format of a kept kind: Services are DNS-1035 labels, the rest subdomains. */
function nameRule(kind: KeptKind): FormatCheck {
  return kind === "Service" ? dns1035LabelErrors : dns1123SubdomainErrors;
}

/** Decodes an object of a kept kind rooted at `root`. */
export function decodeKept(
  root: Field,
  kind: KeptKind,
  apiVersion: string,
  source: Location,
): KeptObject {
  const metadata = decodeMeta(root, kind, {
    namespaced: isNamespacedKept(kind),
    name: nameRule(kind),
  });
  const body = isObject(root.value) ? root.value : {};
  return { apiVersion, kind, metadata, body, source };
}
