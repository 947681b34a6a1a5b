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
  it("restrictToCore keeps PodTopologySpread, InterPodAffinity, DefaultPreemption and the volume plugins, drops DynamicResources", () => {
    expect(profile.plugins.score.map((p) => p.name)).toContain("PodTopologySpread");
    expect(profile.plugins.filter.map((p) => p.name)).toContain("InterPodAffinity");
    expect(profile.plugins.postFilter.map((p) => p.name)).toEqual(["DefaultPreemption"]);
    expect(unsupportedCorePlugins(full)).toEqual(["DynamicResources"]);
    expect(profile.plugins.filter.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "VolumeRestrictions",
        "NodeVolumeLimits",
        "VolumeBinding",
        "VolumeZone",
      ]),
    );
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

  it("preempts the lower-priority pod an anti-affine pod keeps away from, on the node it picks", async () => {
    const db = (name: string, node: string, priority: number) =>
      makePod({ name, nodeName: node, labels: { app: "db" }, priority });
    const bound = [db("db-0", "n0", 10), db("db-1", "n1", 10), db("db-2", "n2", 500)];
    const s = await WasmScheduler.create({ nodes, profile, boundPods: bound, seed: 5 });
    const incoming = { ...antiAffine("db-x"), spec: { ...antiAffine("db-x").spec, priority: 100 } };
    // Every node holds an app=db pod: the pod's anti-affinity rejects all three (Unschedulable).
    expect(s.schedule(incoming)).toBe(-1);
    const got = s.lastPreemption;
    // n2's pod has a higher priority than the preemptor: only n0 and n1 are candidates, each
    // costing one victim of priority 10 — the tie goes to the first in the dry run's order.
    expect(["n0", "n1"]).toContain(got?.node);
    expect(got?.victims).toEqual([`default/${got?.node === "n0" ? "db-0" : "db-1"}`]);
    // Nothing was deleted: the same cycle again gives the same outcome.
    const again = await WasmScheduler.create({ nodes, profile, boundPods: bound, seed: 5 });
    expect(again.schedule(incoming)).toBe(-1);
    expect(again.lastPreemption).toEqual(got);
    // A preemptor of priority 10 finds no lower-priority pod anywhere.
    const equal = { ...incoming, spec: { ...incoming.spec, priority: 10 } };
    expect(s.schedule(equal)).toBe(-1);
    expect(s.lastPreemption).toEqual({ node: null, victims: [] });
  });
});
