/**
 * Differential tests for PodTopologySpread: the WebAssembly core against the TypeScript
 * reference over random clusters with zones, regions, hostnames and custom topology keys (some
 * missing), taints, bound pods in two namespaces (some terminating), Services / ReplicaSets /
 * StatefulSets, and pods with 0–3 topology spread constraints (test/helpers/random-spread.ts),
 * under System or List defaulting. Same structure as test/core/differential.test.ts:
 *
 * - explain mode (every node filtered, every feasible node scored): each node's verdict and
 *   rejecting plugin (PodTopologySpread's skew and missing-label failures told apart), every
 *   PodTopologySpread raw and normalized score next to the other plugins', every total, the
 *   PreScore skips (PodTopologySpread's included) and the selected node;
 * - sequences of pods from a few templates on 100–400 nodes with node sampling: identical
 *   placements and `nextStartNodeIndex` after every pod, each placement feeding the next pod's
 *   counts (the reference's `scheduleOne` and the core's `scheduleName` both assume the pod).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PodTopologySpreadArgs, Profile } from "../../src/config/types.ts";
import { CoreCode } from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
} from "../../src/reference/plugins/podtopologyspread/index.ts";
import {
  compareCountedSequence,
  compareNodes,
  coreSkips,
  defaultCoreProfile,
  expectReached,
  explainBoth,
} from "../helpers/differential.ts";
import { fromTemplates } from "../helpers/random-common.ts";
import {
  type SpreadCluster,
  spreadArgsArb,
  spreadClusterArb,
  spreadPodArb,
} from "../helpers/random-spread.ts";

/** The default profile as both engines run it, with the given PodTopologySpread args. */
function profileOf(args: PodTopologySpreadArgs): Profile {
  return defaultCoreProfile({ PodTopologySpread: args });
}

/** What the random cases reached, on the reference's side (checked after the property). */
interface Coverage {
  cases: number;
  /** Cases where PodTopologySpread rejected some node for skew / for a missing key. */
  skew: number;
  missingLabel: number;
  /** Cases where PodTopologySpread scored (not skipped at PreScore) some feasible node. */
  scored: number;
  /** Cases where PodTopologySpread's normalized scores differ between feasible nodes. */
  scoreSpread: number;
  /** Cases whose pod has no constraints of its own yet PodTopologySpread acted (defaults). */
  defaults: number;
  /** Cases where some node lies outside NodeAffinity's PreFilterResult. */
  preFilterResult: number;
}

async function compareExplain(
  c: SpreadCluster,
  pod: Pod,
  args: PodTopologySpreadArgs,
  seed: number,
  cov: Coverage,
) {
  const { ref, ev, names } = await explainBoth(c, pod, profileOf(args), seed);
  expect({ error: ev.error !== undefined }).toEqual({ error: ref.error !== undefined });
  if (ref.error !== undefined) return;

  cov.cases++;
  const spreadFilters = ref.nodes.filter((n) => n.filter?.plugin === "PodTopologySpread");
  if (spreadFilters.some((n) => n.filter?.reasons[0] === ERR_REASON_CONSTRAINTS_NOT_MATCH))
    cov.skew++;
  if (spreadFilters.some((n) => n.filter?.reasons[0] === ERR_REASON_NODE_LABEL_NOT_MATCH))
    cov.missingLabel++;
  const spreadScores = ref.nodes.flatMap((n) => {
    const s = n.scores?.PodTopologySpread;
    return s === undefined ? [] : [s.normalized];
  });
  if (spreadScores.length > 0) cov.scored++;
  if (new Set(spreadScores).size > 1) cov.scoreSpread++;
  if (
    pod.spec.topologySpreadConstraints.length === 0 &&
    (spreadFilters.length > 0 || spreadScores.length > 0)
  )
    cov.defaults++;
  if (ref.nodes.some((n) => n.filter?.reasons[0]?.includes("didn't satisfy plugin(s)")))
    cov.preFilterResult++;

  // Filter verdicts and the scores of feasible nodes, node by node.
  compareNodes(c, ref, ev, {
    conditional: ["PodTopologySpread"],
    reasons: (rn, code) => {
      if (code === CoreCode.PodTopologySpreadMissingLabel) {
        expect({ node: rn.name, reasons: rn.filter?.reasons }).toEqual({
          node: rn.name,
          reasons: [ERR_REASON_NODE_LABEL_NOT_MATCH],
        });
        expect(rn.filter?.reasons[0]).toContain("(missing required label)");
      } else if (code === CoreCode.PodTopologySpread) {
        expect({ node: rn.name, reasons: rn.filter?.reasons }).toEqual({
          node: rn.name,
          reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH],
        });
      }
    },
  });

  // PreScore runs only when some node passed Filter. InterPodAffinity skips for every pod here
  // (no pod affinity terms anywhere); PodTopologySpread's skip must match the reference's.
  if (ref.nodes.some((n) => n.feasible)) {
    expect(ref.skipped.preScore).toContain("InterPodAffinity");
    const skipped = coreSkips(ev, ["PodTopologySpread"]);
    // VolumeBinding's PreScore always skips (storage capacity scoring is off by default).
    const refSkipped = ref.skipped.preScore.filter(
      (p) => p !== "InterPodAffinity" && p !== "VolumeBinding",
    );
    expect(skipped.sort()).toEqual([...refSkipped].sort());
  }
  expect(ev.selected < 0 ? null : names[ev.selected]).toEqual(ref.selected);
}

describe("WASM core vs TypeScript reference: PodTopologySpread", () => {
  it("agrees on every verdict, score and selection in explain mode (600 random cases)", async () => {
    const cov: Coverage = {
      cases: 0,
      skew: 0,
      missingLabel: 0,
      scored: 0,
      scoreSpread: 0,
      defaults: 0,
      preFilterResult: 0,
    };
    await fc.assert(
      fc.asyncProperty(
        spreadClusterArb(150, 1, 3).chain((c) =>
          fc.tuple(
            fc.constant(c),
            spreadPodArb(c.nodes.length, "incoming"),
            spreadArgsArb,
            fc.nat(),
          ),
        ),
        async ([c, pod, args, seed]) => {
          await compareExplain(c, pod, args, seed, cov);
        },
      ),
      { numRuns: 600, interruptAfterTimeLimit: 120_000 },
    );
    // The generator reaches every outcome (guards against it silently drifting).
    expect(cov.cases).toBe(600);
    // (Typical counts: skew 100+, missingLabel 240, scored 310, scoreSpread 190, defaults 15,
    // preFilterResult 15.)
    expectReached(cov, {
      skew: 40,
      missingLabel: 100,
      scored: 150,
      scoreSpread: 80,
      defaults: 3,
      preFilterResult: 3,
    });
  }, 300_000);

  it("agrees on placements and the start index over sequences with sampling (120 sequences)", async () => {
    const stats = { placed: 0, unschedulable: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 100, max: 400 })
          .chain((n) =>
            fc.tuple(
              spreadClusterArb(n, n, 1),
              fc.array(
                fc.oneof(
                  { weight: 4, arbitrary: spreadPodArb(n, "t", { minConstraints: 1 }) },
                  { weight: 1, arbitrary: spreadPodArb(n, "t") },
                ),
                { minLength: 1, maxLength: 3 },
              ),
              fc.array(fc.nat(), { minLength: 10, maxLength: 80, size: "max" }),
              spreadArgsArb,
              fc.nat(),
              fc.constantFrom(0, 30, 100),
            ),
          ),
        async ([c, templates, picks, args, seed, pct]) => {
          const pods = fromTemplates(templates, picks);
          await compareCountedSequence(c, pods, profileOf(args), seed, pct, stats);
        },
      ),
      { numRuns: 120, interruptAfterTimeLimit: 120_000 },
    );
    // Most pods place; some sequences run out of room under hard constraints.
    expect(stats.placed).toBeGreaterThan(stats.unschedulable);
    expect(stats.unschedulable).toBeGreaterThan(0);
  }, 300_000);
});
