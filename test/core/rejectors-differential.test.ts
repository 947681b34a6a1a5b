/**
 * The core's `lastRejectors` (recorded when `recordRejectors` is on, for the simulation's
 * queueing hints) against the reference's Diagnosis.unschedulablePlugins: over sequences of pods
 * on small crowded random clusters (test/helpers/random-preemption.ts: taints, cordoned nodes,
 * host ports, pod anti-affinity, spread constraints, node selectors and `matchFields` node
 * affinity), every failed cycle names the same plugins on both engines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore } from "../../src/core/scheduler.ts";
import { withImplementedPlugins } from "../../src/reference/index.ts";
import { defaultProfile, enginesOf, registry, scheduleBoth } from "../helpers/differential.ts";
import { fromTemplates } from "../helpers/random-common.ts";
import { incomingPodArb, preemptionClusterArb } from "../helpers/random-preemption.ts";

/**
 * The default profile without PostFilter (the core's failureMask pass) and with DefaultPreemption
 * (the rejectors read from the statuses PostFilter needs anyway).
 */
const withoutPostFilter: Profile = restrictToCore(
  withImplementedPlugins(
    { ...defaultProfile, plugins: { ...defaultProfile.plugins, postFilter: [] } },
    registry,
  ),
);
const withPreemption: Profile = restrictToCore(withImplementedPlugins(defaultProfile, registry));

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
            const e = await enginesOf(c, profile, seed, 100);
            e.core.recordRejectors = true;
            fromTemplates(templates, picks).forEach((pod, i) => {
              const { result } = scheduleBoth(pod, i, e);
              if (result.kind !== "Unschedulable") {
                expect(e.core.lastRejectors).toBeUndefined();
                return;
              }
              failed++;
              const want = [...result.diagnosis.unschedulablePlugins].sort();
              expect({ pod: i, rejectors: e.core.lastRejectors }).toEqual({
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
      for (const p of [
        "NodeResourcesFit",
        "TaintToleration",
        "NodeUnschedulable",
        "NodePorts",
        "NodeAffinity",
      ]) {
        expect({ plugin: p, seen: (seen.get(p) ?? 0) > 0 }).toEqual({ plugin: p, seen: true });
      }
    },
    120_000,
  );
});
