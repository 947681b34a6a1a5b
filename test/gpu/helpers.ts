import { type GpuNode, makeGpuNode } from "../../src/gpu/index.ts";

/** A node whose GPUs have the given free milli (used = 1000 − free), with `cpuLeftMilli` left. */
export function nodeWithFree(
  free: readonly number[],
  cpuLeftMilli: number,
  opts: { model?: string; cpuMilli?: number; memoryMib?: number } = {},
): GpuNode {
  const cpu = opts.cpuMilli ?? Math.max(cpuLeftMilli, 1);
  const n = makeGpuNode({
    cpuMilli: cpu,
    memoryMib: opts.memoryMib ?? 1 << 20,
    gpuCount: free.length,
    model: opts.model ?? "T4",
  });
  n.cpuUsed = cpu - cpuLeftMilli;
  free.forEach((f, i) => {
    n.gpuUsed[i] = 1000 - f;
  });
  return n;
}

/** A scripted `nextBounded`: returns the queued values in order and records each bound. */
export function scriptedRng(values: number[]): {
  nextBounded(n: number): number;
  bounds: number[];
} {
  const bounds: number[] = [];
  let k = 0;
  return {
    bounds,
    nextBounded(n: number): number {
      bounds.push(n);
      const v = values[k++ % values.length] ?? 0;
      return v % n;
    },
  };
}
