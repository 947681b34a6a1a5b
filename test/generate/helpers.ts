/** Shared helpers of the generator and scenario tests. */
import { Quantity } from "../../src/model/quantity.ts";

/**
 * A deep copy of `value` fit for equality checks across decode/encode: quantities become their
 * milli-values (so `0.5` and `500m` compare equal), maps become objects, and `source` (where an
 * object was read from) is dropped.
 */
export function normalize(value: unknown): unknown {
  if (value instanceof Quantity) return `${value.milliValue()}m`;
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = normalize(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "source") out[k] = normalize(v);
    return out;
  }
  return value;
}
