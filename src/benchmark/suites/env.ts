/**
 * The machine a benchmark ran on, recorded next to every result: numbers from another machine are
 * not comparable, ratios measured in the same run are.
 */
import { cpus, totalmem } from "node:os";
import type { BenchEnvironment } from "../result.ts";

export type { BenchEnvironment };

/** This process's machine: Node version, platform, CPU model and cores, memory. */
export function environment(): BenchEnvironment {
  const c = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpu: c[0]?.model.trim() || "unknown",
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
