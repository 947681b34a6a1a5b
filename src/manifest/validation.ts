/**
 * String-format validators with apimachinery's rules (`k8s.io/apimachinery/pkg/util/validation`):
 * qualified names (label and annotation keys), label values, RFC 1123 subdomains and labels,
 * RFC 1035 labels. Each returns the list of problems (empty when valid), phrased as upstream
 * phrases them minus the regex and examples, plus field-level helpers that report them.
 */
import * as model from "../model/validation.ts";
import type { Field } from "./field.ts";
import { quote } from "./field.ts";

/**
 * apimachinery's message without its trailing ` (e.g. …, regex used for validation is '…')`:
 * manifest errors name the field and the value, and the regex adds nothing for a reader.
 */
function concise(messages: string[]): string[] {
  return messages.map((m) =>
    m.replace(/ \((e\.g\. .*?, )?regex used for validation is '[^']*'\)/g, ""),
  );
}

/** `IsDNS1123Subdomain`: lower-case RFC 1123 subdomain, ≤ 253 characters. */
export const dns1123SubdomainErrors = (value: string): string[] =>
  concise(model.dns1123SubdomainErrors(value));

/** `IsDNS1123Label`: lower-case RFC 1123 label, ≤ 63 characters. */
export const dns1123LabelErrors = (value: string): string[] =>
  concise(model.dns1123LabelErrors(value));

/** `IsDNS1035Label`: lower-case RFC 1035 label (starts with a letter), ≤ 63 characters. */
export const dns1035LabelErrors = (value: string): string[] =>
  concise(model.dns1035LabelErrors(value));

/** `IsQualifiedName`: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export const qualifiedNameErrors = (value: string): string[] =>
  concise(model.qualifiedNameErrors(value));

/** `IsValidLabelValue`: empty, or ≤ 63 alphanumerics, `-`, `_`, `.` starting and ending alphanumeric. */
export const labelValueErrors = (value: string): string[] => concise(model.labelValueErrors(value));

/** A format check: value → problems. */
export type FormatCheck = (value: string) => string[];

/**
 * Reports `"<value>" is not a valid <what>: <problems>` at `field` when `check` finds problems.
 * Returns whether the value is valid.
 */
export function checkFormat(
  field: Field,
  value: string,
  what: string,
  check: FormatCheck,
): boolean {
  const errs = check(value);
  if (errs.length === 0) return true;
  field.error(`${quote(value)} is not a valid ${what}: ${errs.join("; ")}`);
  return false;
}

/** Validates a label key (qualified name); reported at `field` (the map, or the key's field). */
export function checkLabelKey(field: Field, key: string): boolean {
  return checkFormat(field, key, "label key", qualifiedNameErrors);
}

/** Validates a label value; reported at `field`. */
export function checkLabelValue(field: Field, value: string): boolean {
  return checkFormat(field, value, "label value", labelValueErrors);
}

/**
 * Reads a label map (`metadata.labels`, `spec.nodeSelector`, `matchLabels`): string values,
 * keys checked as qualified names (reported at the map), values as label values (at the entry).
 */
export function readLabels(field: Field): Record<string, string> {
  const labels = field.stringMap();
  for (const [k, v] of Object.entries(labels)) {
    checkLabelKey(field, k);
    checkLabelValue(field.get(k), v);
  }
  return labels;
}
