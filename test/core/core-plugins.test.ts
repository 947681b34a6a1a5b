/**
 * The topology plugins in a core profile: restrictToCore keeps PodTopologySpread and
 * InterPodAffinity, and both act in the core (hand-checked placements; the differential tests
 * compare them with the reference at scale).
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import {
  CoreCode,
  restrictToCore,
  unsupportedCorePlugins,
  WasmScheduler,
} from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import { defaultRegistry, withImplementedPlugins } from "../../src/reference/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const full = defaultSchedulerConfig().profiles[0] as Profile;
const profile = restrictToCore(withImplementedPlugins(full, defaultRegistry()));
const nodes = [0, 1, 2].map((i) => makeNode({ name: `n${i}`, zone: `z${i}`, region: "r" }));

const antiAffine = (name: string, nodeName = ""): Pod =>
  makePod({
    name,
    nodeName,
    labels: { app: "db" },
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { app: "db" }, matchExpressions: [] },
            namespaces: [],
            topologyKey: "kubernetes.io/hostname",
            matchLabelKeys: [],
            mismatchLabelKeys: [],
          },
        ],
        preferredDuringSchedulingIgnoredDuringExecution: [],
      },
    },
  });

describe("topology plugins in the core", () => {
  it("restrictToCore keeps PodTopologySpread and InterPodAffinity, drops PostFilter and volume plugins", () => {
    expect(profile.plugins.score.map((p) => p.name)).toContain("PodTopologySpread");
    expect(profile.plugins.filter.map((p) => p.name)).toContain("InterPodAffinity");
    expect(profile.plugins.postFilter).toEqual([]);
    expect(unsupportedCorePlugins(full)).toEqual(
      expect.arrayContaining(["VolumeBinding", "VolumeZone", "DynamicResources"]),
    );
    expect(unsupportedCorePlugins(full)).not.toContain("PodTopologySpread");
  });

  it("schedules a pod the plugins skip", async () => {
    const s = await WasmScheduler.create({ nodes, profile, seed: 1 });
    expect(s.scheduleName(makePod({ name: "plain", labels: { app: "web" } }))).not.toBeNull();
  });

  it("schedules pods with topology spread constraints (the core runs PodTopologySpread)", async () => {
    const s = await WasmScheduler.create({ nodes, profile, seed: 3 });
    const pod = (name: string) =>
      makePod({
        name,
        labels: { app: "web" },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { app: "web" }, matchExpressions: [] },
            matchLabelKeys: [],
          },
        ],
      });
    // Three zones, maxSkew 1: the first three pods land in three different zones.
    const placed = ["a", "b", "c"].map((n) => s.scheduleName(pod(n)));
    expect(new Set(placed).size).toBe(3);
  });

  it("keeps an existing pod's required anti-affinity, in both directions", async () => {
    const s = await WasmScheduler.create({ nodes, profile, boundPods: [antiAffine("db-0", "n0")] });
    // db-0 rejects every app=db pod on its hostname; a pod without the label may go there.
    const ev = s.evaluate(makePod({ name: "db-x", labels: { app: "db" } }));
    expect(Array.from(ev.codes)).toEqual([CoreCode.InterPodAffinityExisting, 0, 0]);
    expect(Array.from(s.evaluate(makePod({ name: "web" })).codes)).toEqual([0, 0, 0]);
    // Self anti-affine pods: one per node, the fourth fits nowhere.
    const placed = ["db-1", "db-2", "db-3"].map((n) => s.scheduleName(antiAffine(n)));
    expect(placed.slice(0, 2).sort()).toEqual(["n1", "n2"]);
    expect(placed[2]).toBeNull();
  });

  it("places a self-affine group in one zone: the first pod anywhere, the rest beside it", async () => {
    const s = await WasmScheduler.create({ nodes, profile, seed: 7 });
    const affine = (name: string) =>
      makePod({
        name,
        labels: { app: "cache" },
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: { matchLabels: { app: "cache" }, matchExpressions: [] },
                namespaces: [],
                topologyKey: "topology.kubernetes.io/zone",
                matchLabelKeys: [],
                mismatchLabelKeys: [],
              },
            ],
            preferredDuringSchedulingIgnoredDuringExecution: [],
          },
        },
      });
    const first = s.scheduleName(affine("c0"));
    expect(first).not.toBeNull();
    // Each node is its own zone: every later pod must share the first one's node.
    for (const n of ["c1", "c2", "c3"]) expect(s.scheduleName(affine(n))).toBe(first);
    const ev = s.evaluate(affine("c4"));
    const at = s.nodeNames.indexOf(first as string);
    expect(Array.from(ev.codes)).toEqual(
      s.nodeNames.map((_, i) => (i === at ? CoreCode.Pass : CoreCode.InterPodAffinity)),
    );
  });
});
