/**
 * The environment a benchmark ran in, recorded next to every result: numbers from another
 * machine are not comparable, ratios measured in the same run are.
 */
import { cpus, totalmem } from "node:os";

export interface BenchEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
}

export function environment(): BenchEnvironment {
  const c = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpu: c[0]?.model.trim() ?? "unknown",
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
