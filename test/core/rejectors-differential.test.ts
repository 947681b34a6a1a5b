/**
 * The core's `lastRejectors` (recorded when `recordRejectors` is on, for the simulation's
 * queueing hints) against the reference's Diagnosis.unschedulablePlugins: over sequences of pods
 * on small crowded random clusters (test/helpers/random-preemption.ts: taints, cordoned nodes,
 * host ports, pod anti-affinity, spread constraints, node selectors), every failed cycle names
 * the same plugins on both engines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore, WasmScheduler } from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { incomingPodArb, preemptionClusterArb, renamed } from "../helpers/random-preemption.ts";

const registry = defaultRegistry();
const base = defaultSchedulerConfig().profiles[0] as Profile;
/**
 * The default profile without PostFilter (the core's failureMask pass) and with DefaultPreemption
 * (the rejectors read from the statuses PostFilter needs anyway).
 */
const withoutPostFilter = restrictToCore(
  withImplementedPlugins({ ...base, plugins: { ...base.plugins, postFilter: [] } }, registry),
);

const withPreemption = restrictToCore(withImplementedPlugins(base, registry));

describe("WASM core vs TypeScript reference: the plugins that rejected a pod", () => {
  it.each([
    ["without PostFilter", withoutPostFilter],
    ["with DefaultPreemption", withPreemption],
  ])(
    "agree on every failed cycle's unschedulable plugins, %s (60 sequences)",
    async (_name, profile) => {
      const seen = new Map<string, number>();
      let failed = 0;
      await fc.assert(
        fc.asyncProperty(
          preemptionClusterArb(10, 80, 4).chain((c) =>
            fc.tuple(
              fc.constant(c),
              fc.array(incomingPodArb("t", { nodeCount: c.nodes.length }), {
                minLength: 1,
                maxLength: 3,
              }),
              fc.array(fc.nat(), { minLength: 5, maxLength: 25 }),
              fc.nat(),
            ),
          ),
          async ([c, templates, picks, seed]) => {
            const objects = { namespaces: c.namespaces, kept: c.kept };
            const fwk = newFramework(profile, registry);
            const snapshot = new Snapshot(c.nodes, c.bound, objects);
            const state = newSchedulerState({ seed, percentageOfNodesToScore: 100 });
            const core = await WasmScheduler.create({
              nodes: c.nodes,
              boundPods: c.bound,
              profile,
              seed,
              percentageOfNodesToScore: 100,
              objects,
              build: "debug",
            });
            core.recordRejectors = true;
            picks.forEach((k, i) => {
              const pod = renamed(templates[k % templates.length] as Pod, `p${i}`);
              const r = scheduleOne(pod, snapshot, fwk, state);
              const node = core.scheduleName(pod);
              expect({ pod: i, node }).toEqual({
                pod: i,
                node: r.kind === "Scheduled" ? r.node : null,
              });
              if (r.kind !== "Unschedulable") {
                expect(core.lastRejectors).toBeUndefined();
                return;
              }
              failed++;
              const want = [...r.diagnosis.unschedulablePlugins].sort();
              expect({ pod: i, rejectors: core.lastRejectors }).toEqual({
                pod: i,
                rejectors: want,
              });
              for (const p of want) seen.set(p, (seen.get(p) ?? 0) + 1);
            });
          },
        ),
        { numRuns: 60 },
      );
      // Failed cycles occur, and several plugins are among the rejectors.
      expect(failed).toBeGreaterThan(100);
      for (const p of ["NodeResourcesFit", "TaintToleration", "NodeUnschedulable", "NodePorts"]) {
        expect(seen.get(p) ?? 0).toBeGreaterThan(0);
      }
    },
    120_000,
  );
});
