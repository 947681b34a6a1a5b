/**
 * Determinism: the same cluster, pods and seed give the same placements, run after run; the
 * seed is the only source of randomness (selectHost's tie-breaking).
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore, WasmScheduler } from "../../src/core/scheduler.ts";
import { defaultRegistry, withImplementedPlugins } from "../../src/reference/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const profile = restrictToCore(
  withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, defaultRegistry()),
);
// Identical nodes: every cycle is a tie among many nodes, so the seed decides.
const nodes = Array.from({ length: 300 }, (_, i) =>
  makeNode({ name: `n${i}`, zone: `z${i % 3}`, region: "r" }),
);
const pod = makePod({ name: "p", requests: { cpu: "100m", memory: "100Mi" } });

async function placements(seed: number, incremental: boolean): Promise<(string | null)[]> {
  const s = await WasmScheduler.create({ nodes, profile, seed, incremental });
  return Array.from({ length: 500 }, () => s.scheduleName(pod));
}

describe("determinism", () => {
  it("same seed → identical placements, incremental or not", async () => {
    const a = await placements(42, true);
    expect(await placements(42, true)).toEqual(a);
    expect(await placements(42, false)).toEqual(a);
  });

  it("another seed → other placements (the seed is really used)", async () => {
    const a = await placements(42, true);
    const b = await placements(43, true);
    expect(b).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(100);
  });
});
