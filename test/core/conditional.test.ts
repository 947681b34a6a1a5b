/**
 * InterPodAffinity in a core profile: accepted while it has nothing to do (the reference then
 * skips it too — see the differential tests), refused with a clear CoreUnsupportedError for a pod
 * it would act on. PodTopologySpread runs in the core.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore, unsupportedCorePlugins, WasmScheduler } from "../../src/core/scheduler.ts";
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

describe("conditional plugins in the core", () => {
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

  it("refuses pods once a bound pod has pod anti-affinity, and a pod with its own terms", async () => {
    const s = await WasmScheduler.create({ nodes, profile, boundPods: [antiAffine("db-0", "n0")] });
    expect(() => s.schedule(makePod({ name: "plain" }))).toThrow(
      "needs InterPodAffinity (bound pods have pod affinity or anti-affinity terms)",
    );
    const t = await WasmScheduler.create({ nodes, profile });
    expect(() => t.schedule(antiAffine("db-1"))).toThrow(
      "needs InterPodAffinity (the pod has pod affinity or anti-affinity terms)",
    );
  });
});
