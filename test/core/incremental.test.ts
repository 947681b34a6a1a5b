/**
 * The core's incremental selection (a per-class segment tree replaying the change log) against
 * its own linear scan, on long runs the property tests cannot afford: same placements, same
 * start index, pod by pod, with and without sampling, with classes alternating (so trees replay
 * others' changes) and with the change log overflowing (so trees rebuild).
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

const nodes = Array.from({ length: 700 }, (_, i) =>
  makeNode({
    name: `n${i}`,
    zone: `z${i % 3}`,
    region: "r",
    allocatable: { cpu: i % 7 === 0 ? "2" : "8", memory: i % 5 === 0 ? "8Gi" : "32Gi", pods: "40" },
  }),
);
const templates = [
  makePod({ name: "small", requests: { cpu: "100m", memory: "200Mi" } }),
  makePod({ name: "big", requests: { cpu: "1500m", memory: "3Gi" } }),
  makePod({ name: "besteffort" }),
];

const antiTerm = (app: string) => ({
  labelSelector: { matchLabels: { app }, matchExpressions: [] },
  namespaces: [],
  topologyKey: "kubernetes.io/hostname",
  matchLabelKeys: [],
  mismatchLabelKeys: [],
});
const antiAffine = (name: string, labels: Record<string, string>, away: string) =>
  makePod({
    name,
    labels,
    requests: { cpu: "100m", memory: "100Mi" },
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [antiTerm(away)],
        preferredDuringSchedulingIgnoredDuringExecution: [],
      },
    },
  });
/**
 * Required anti-affinity on hostname (node-local: these classes select through the tree too):
 * a self-anti-affine group, a pod of that group without terms (kept off by the existing pods'
 * terms), and a pod keeping away from the group.
 */
const antiTemplates = [
  makePod({ name: "small", requests: { cpu: "100m", memory: "200Mi" } }),
  antiAffine("db", { app: "db" }, "db"),
  makePod({ name: "db-plain", labels: { app: "db" }, requests: { cpu: "100m" } }),
  antiAffine("cache", { app: "cache" }, "db"),
];

async function run(
  incremental: boolean,
  pct: number,
  picks: (k: number) => number,
  count: number,
  pods = templates,
) {
  const s = await WasmScheduler.create({
    nodes,
    profile,
    seed: 7,
    percentageOfNodesToScore: pct,
    incremental,
  });
  const classes = pods.map((t) => s.classes.classOf(t));
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    out.push(s.scheduleClass(classes[picks(k)] as number), s.nextStartNodeIndex);
  }
  return out;
}

describe("incremental selection", () => {
  it.each([0, 10, 100])(
    "matches the linear scan pod by pod (percentageOfNodesToScore %i)",
    async (pct) => {
      const picks = (k: number) => (k * 7 + (k >> 3)) % 3;
      const a = await run(true, pct, picks, 12_000);
      const b = await run(false, pct, picks, 12_000);
      expect(a).toEqual(b);
      // The cluster fills up: some pods end unschedulable, and both agree on those too.
      expect(a.filter((v, i) => i % 2 === 0 && v < 0).length).toBeGreaterThan(0);
    },
  );

  it.each([0, 100])(
    "matches with node-local pod anti-affinity classes (percentageOfNodesToScore %i)",
    async (pct) => {
      const picks = (k: number) => (k * 5 + (k >> 4)) % 4;
      const a = await run(true, pct, picks, 4000, antiTemplates);
      const b = await run(false, pct, picks, 4000, antiTemplates);
      expect(a).toEqual(b);
      // The anti-affine groups run out of nodes: some of their pods are unschedulable.
      expect(a.filter((v, i) => i % 2 === 0 && v < 0).length).toBeGreaterThan(100);
    },
  );

  it("matches after the change log overflows (a class unused for 9,000 binds)", async () => {
    const picks = (k: number) => (k < 9000 ? 0 : k % 2 === 0 ? 1 : 2);
    const a = await run(true, 0, picks, 11_000);
    const b = await run(false, 0, picks, 11_000);
    expect(a).toEqual(b);
  });
});
