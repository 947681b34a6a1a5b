/**
 * Pod templates of generated streams: `{{k}}` substitution and decoding.
 *
 * A template is a Pod document (its `apiVersion` and `kind` may be left out; when given they must
 * be `v1` and `Pod`). Every `{{k}}` in its strings and map keys becomes the pod's group number
 * `k` (`app: web-{{k}}` → `app: web-3`), so one template yields G variants whose labels, label
 * selectors, spread constraints and affinity terms differ by group. Each variant is decoded by the
 * manifest decoder (`decodePod`) and admitted by the Priority admission step against the
 * scenario's PriorityClasses, exactly as a manifest Pod would be: same defaults, same validation.
 */
import type { Diagnostics, Location } from "../diagnostics.ts";
import { Field, isObject, quote, type RawObject } from "../manifest/field.ts";
import { describeObject } from "../manifest/meta.ts";
import { decodePod } from "../manifest/pod.ts";
import { admitPriorities } from "../manifest/priority.ts";
import type { KeptObject, Pod } from "../model/types.ts";

const PLACEHOLDER = /\{\{\s*k\s*\}\}/g;
const HAS_PLACEHOLDER = /\{\{\s*k\s*\}\}/;

/** Whether `value` holds `{{k}}` in any string or map key. */
export function hasPlaceholder(value: unknown): boolean {
  if (typeof value === "string") return HAS_PLACEHOLDER.test(value);
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (isObject(value)) {
    return Object.entries(value).some(([k, v]) => HAS_PLACEHOLDER.test(k) || hasPlaceholder(v));
  }
  return false;
}

/** A deep copy of `value` with every `{{k}}` replaced by `k`. */
export function substitute(value: unknown, k: number): unknown {
  if (typeof value === "string") return value.replace(PLACEHOLDER, String(k));
  if (Array.isArray(value)) return value.map((v) => substitute(v, k));
  if (isObject(value)) {
    const out: RawObject = {};
    for (const [key, v] of Object.entries(value)) {
      out[key.replace(PLACEHOLDER, String(k))] = substitute(v, k);
    }
    return out;
  }
  return value;
}

/** Where a template is written: a file, and the field path of the document in it (`""` for a whole file). */
export interface TemplateSource {
  readonly file: string;
  readonly path: string;
}

/**
 * Decodes template `raw` for group `k`: substitution, `apiVersion`/`kind` check, `decodePod`,
 * then Priority admission against `classes` (the scenario's valid PriorityClasses). Problems go
 * to `diags`, located at the template's own paths.
 */
export function decodeTemplate(
  raw: unknown,
  k: number,
  where: TemplateSource,
  classes: readonly KeptObject[],
  diags: Diagnostics,
): Pod {
  const value = substitute(raw, k);
  const object = describeObject("Pod", value, true);
  const source: Location = {
    file: where.file,
    object,
    ...(where.path ? { path: where.path } : {}),
  };
  const root = new Field({ diags, loc: { file: where.file, object } }, where.path, value);
  if (!isObject(value)) {
    root.error("must be an object (a Pod)");
  } else {
    const kind = root.get("kind").optString();
    if (kind !== undefined && kind !== "Pod") root.get("kind").error(`${quote(kind)} is not Pod`);
    const apiVersion = root.get("apiVersion").optString();
    if (apiVersion !== undefined && apiVersion !== "v1") {
      root.get("apiVersion").error(`${quote(apiVersion)} is not one of v1`);
    }
  }
  const pod = decodePod(root, source);
  return admitPriorities([pod], classes, diags)[0]!;
}
