/**
 * Message bodies in the wording of apimachinery's `field.Error` (`field.Invalid`,
 * `field.Required`, …), so gantry's diagnostics read like kube-scheduler's own:
 *
 *     profiles[0].pluginConfig[1].args.scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"
 *
 * The field path goes into the diagnostic's `path`; these functions build the part after it.
 */

/** Renders a value as `field.Error` does: strings quoted, numbers and booleans bare, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function invalid(value: unknown, detail: string): string {
  return `Invalid value: ${formatValue(value)}: ${detail}`;
}

export function required(detail?: string): string {
  return detail ? `Required value: ${detail}` : "Required value";
}

export function notSupported(value: unknown, supported: readonly string[]): string {
  return `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`;
}

export function duplicate(value: unknown): string {
  return `Duplicate value: ${formatValue(value)}`;
}

export function forbidden(detail: string): string {
  return `Forbidden: ${detail}`;
}

/** A plugin name that is neither an in-tree plugin of kube-scheduler v1.35 nor one of gantry's. */
export const NO_SUCH_PLUGIN =
  "no such plugin in kube-scheduler v1.35 or gantry (other out-of-tree plugins are not supported)";
