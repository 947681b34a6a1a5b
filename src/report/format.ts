/**
 * Human-readable rendering of canonical resource amounts (the integers of
 * `src/model/requests.ts`): CPU from millicores, byte-sized resources with binary suffixes.
 */

const BINARY: readonly [string, number][] = [
  ["Ei", 2 ** 60],
  ["Pi", 2 ** 50],
  ["Ti", 2 ** 40],
  ["Gi", 2 ** 30],
  ["Mi", 2 ** 20],
  ["Ki", 2 ** 10],
];

/** Millicores as Kubernetes writes them: `4`, `1500m`, `0`. */
export function formatMilliCPU(milli: number): string {
  if (milli % 1000 === 0) return String(milli / 1000);
  return `${milli}m`;
}

/**
 * Bytes with the largest binary suffix that divides them exactly and keeps the number short
 * (`32Gi`, `1536Mi`), otherwise with the largest suffix below the value and two decimals, marked
 * approximate (`~414.58Gi`).
 */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return "0";
  for (const [suffix, unit] of BINARY) {
    if (Math.abs(bytes) >= unit && bytes % unit === 0 && Math.abs(bytes / unit) < 100_000) {
      return `${bytes / unit}${suffix}`;
    }
  }
  for (const [suffix, unit] of BINARY) {
    if (Math.abs(bytes) >= unit) return `~${(bytes / unit).toFixed(2)}${suffix}`;
  }
  return String(bytes);
}

const BYTE_RESOURCES = new Set(["memory", "ephemeral-storage", "storage"]);

/** Formats a canonical amount of resource `name` (cpu in millicores, bytes for byte resources). */
export function formatResource(name: string, value: number): string {
  if (name === "cpu") return formatMilliCPU(value);
  if (BYTE_RESOURCES.has(name) || name.startsWith("hugepages-")) return formatBytes(value);
  return String(value);
}
