/**
 * String-format validators with apimachinery's rules (`k8s.io/apimachinery/pkg/util/validation`):
 * qualified names (label and annotation keys), label values, RFC 1123 subdomains and labels,
 * RFC 1035 labels. Each returns the list of problems (empty when valid), phrased as upstream
 * phrases them minus the regex and examples, plus field-level helpers that report them.
 */
import type { Field } from "./field.ts";
import { quote } from "./field.ts";

const QUALIFIED_NAME_MAX = 63;
const LABEL_VALUE_MAX = 63;
const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1035_LABEL_MAX = 63;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const QUALIFIED_NAME_FMT =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `IsQualifiedName`: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const e of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [
      `a qualified name ${QUALIFIED_NAME_FMT}, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > QUALIFIED_NAME_MAX)
    errs.push(`name part must be no more than ${QUALIFIED_NAME_MAX} characters`);
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) errs.push(`name part ${QUALIFIED_NAME_FMT}`);
  return errs;
}

/** `IsValidLabelValue`: empty, or ≤ 63 alphanumerics, `-`, `_`, `.` starting and ending alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX)
    errs.push(`must be no more than ${LABEL_VALUE_MAX} characters`);
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** `IsDNS1123Subdomain`: lower-case RFC 1123 subdomain, ≤ 253 characters. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX)
    errs.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** `IsDNS1123Label`: lower-case RFC 1123 label, ≤ 63 characters. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX)
    errs.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1123_LABEL.test(value))
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** `IsDNS1035Label`: lower-case RFC 1035 label (starts with a letter), ≤ 63 characters. */
export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1035_LABEL_MAX)
    errs.push(`must be no more than ${DNS1035_LABEL_MAX} characters`);
  if (!DNS1035_LABEL.test(value))
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    );
  return errs;
}

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
