/**
 * Namespace decoding: a DNS-1123 label name, and the API server's `kubernetes.io/metadata.name`
 * label (`SetDefaults_Namespace`), which namespace selectors of pod affinity terms match on.
 */
import type { Location } from "../diagnostics.ts";
import type { Namespace } from "../model/types.ts";
import type { Field } from "./field.ts";
import { decodeMeta } from "./meta.ts";
import { dns1123LabelErrors } from "./validation.ts";

/** The label the API server sets on every Namespace to its own name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Decodes, validates and defaults a Namespace document rooted at `root`. */
export function decodeNamespace(root: Field, source: Location): Namespace {
  const meta = decodeMeta(root, "Namespace", { namespaced: false, name: dns1123LabelErrors });
  const labels = meta.name ? { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name } : meta.labels;
  return { kind: "Namespace", metadata: { ...meta, labels }, source };
}
