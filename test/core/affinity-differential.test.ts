/**
 * Differential tests for InterPodAffinity: the WebAssembly core against the TypeScript reference
 * over random clusters with zone / hostname / rack topology keys (some missing, a few nodes with
 * no labels), Namespace objects with labels, bound pods across three namespaces (some
 * terminating) — a share of them carrying required and preferred pod affinity / anti-affinity
 * terms of their own — and incoming pods with 0–3 terms of each kind
 * (test/helpers/random-affinity.ts), under random InterPodAffinityArgs. Same structure as
 * test/core/spread-differential.test.ts:
 *
 * - explain mode (every node filtered, every feasible node scored): each node's verdict and
 *   rejecting plugin (InterPodAffinity's three Filter reasons told apart), every InterPodAffinity
 *   raw and normalized score next to the other plugins', every total, the PreFilter and PreScore
 *   skips (InterPodAffinity's included) and the selected node;
 * - sequences of pods from a few templates on 100–300 nodes with node sampling: identical
 *   placements and `nextStartNodeIndex` after every pod, each placement feeding the next pod's
 *   counts (the reference's `scheduleOne` and the core's `scheduleName` both assume the pod);
 * - determinism: the same seed and pods give the same placements twice.
 *
 * The profile is the default one restricted to the core: InterPodAffinity at Filter (last) and
 * Score (weight 2), with PostFilter emptied (no preemption on either side).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InterPodAffinityArgs, Profile } from "../../src/config/types.ts";
import { CoreCode } from "../../src/core/scheduler.ts";
import type { Pod } from "../../src/model/types.ts";
import type { ExplainResult } from "../../src/reference/index.ts";
import {
  mergeNamespaces,
  podAffinityInfo,
  podMatchesAllAffinityTerms,
  termMatches,
} from "../../src/reference/plugins/interpodaffinity/affinity-term.ts";
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
} from "../../src/reference/plugins/interpodaffinity/index.ts";
import {
  compareCountedSequence,
  compareNodes,
  coreOf,
  coreSkips,
  defaultCoreProfile,
  expectReached,
  explainBoth,
} from "../helpers/differential.ts";
import {
  type AffinityCluster,
  affinityArgsArb,
  affinityClusterArb,
  affinityPodArb,
  templatePodArb,
} from "../helpers/random-affinity.ts";
import { fromTemplates } from "../helpers/random-common.ts";

/**
 * The default profile as both engines run it, with the given InterPodAffinity args, and without
 * PostFilter plugins: no preemption on either side, so an unschedulable pod stays unschedulable
 * and only InterPodAffinity's (and the other Filter / Score plugins') verdicts are compared.
 */
function profileOf(args: InterPodAffinityArgs): Profile {
  const p = defaultCoreProfile({ InterPodAffinity: args });
  return { ...p, plugins: { ...p.plugins, postFilter: [] } };
}

/** What the random cases reached, on the reference's side (checked after the property). */
interface Coverage {
  cases: number;
  /** Cases where InterPodAffinity rejected some node for each of its three reasons. */
  affinity: number;
  antiAffinity: number;
  existingAntiAffinity: number;
  /**
   * Cases whose pod has required affinity terms that no bound pod matches but the pod itself
   * does (the first pod of a self-affine group), and some node is feasible.
   */
  firstPod: number;
  /** Cases where InterPodAffinity scored (not skipped at PreScore) some feasible node. */
  scored: number;
  /** Cases where InterPodAffinity's normalized scores differ between feasible nodes. */
  scoreSpread: number;
  /** Scores differ although the pod has no preferred terms: bound pods' terms alone. */
  existingTerms: number;
  /** hardPodAffinityWeight > 0 and a bound pod's required affinity term matches the pod. */
  hardWeight: number;
  /** PreScore skipped for ignorePreferredTermsOfExistingPods (pod without preferred terms). */
  ignoredPreferred: number;
  /** PreFilter skipped (no required terms, no bound pod's anti-affinity matching the pod). */
  preFilterSkip: number;
  /** The pod has a term with a namespaceSelector, and InterPodAffinity rejected or ranked. */
  namespaceSelector: number;
  /** A bound pod's term matches the pod only through its namespaceSelector. */
  existingNamespaceSelector: number;
  /** The pod has a term with matchLabelKeys / mismatchLabelKeys, and InterPodAffinity acted. */
  labelKeys: number;
}

const newCoverage = (): Coverage => ({
  cases: 0,
  affinity: 0,
  antiAffinity: 0,
  existingAntiAffinity: 0,
  firstPod: 0,
  scored: 0,
  scoreSpread: 0,
  existingTerms: 0,
  hardWeight: 0,
  ignoredPreferred: 0,
  preFilterSkip: 0,
  namespaceSelector: 0,
  existingNamespaceSelector: 0,
  labelKeys: 0,
});

/** Every PodAffinityTerm of `pod`, required and preferred, affinity and anti-affinity. */
function podTerms(pod: Pod) {
  const a = pod.spec.affinity;
  return [a?.podAffinity, a?.podAntiAffinity].flatMap((p) => [
    ...(p?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(p?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm),
  ]);
}

/** Records what the reference's explain result `ref` for `pod` reached. */
function recordCoverage(
  c: AffinityCluster,
  pod: Pod,
  args: InterPodAffinityArgs,
  ref: ExplainResult,
  cov: Coverage,
) {
  cov.cases++;
  const ipaFilters = ref.nodes.filter((n) => n.filter?.plugin === "InterPodAffinity");
  const failed = (reason: string) => ipaFilters.some((n) => n.filter?.reasons[0] === reason);
  if (failed(ERR_REASON_AFFINITY_RULES_NOT_MATCH)) cov.affinity++;
  if (failed(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH)) cov.antiAffinity++;
  if (failed(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH)) cov.existingAntiAffinity++;

  const info = podAffinityInfo(pod);
  const required = info.requiredAffinityTerms.map((t) => mergeNamespaces(t, c.namespaces));
  if (
    required.length > 0 &&
    !c.bound.some((b) => podMatchesAllAffinityTerms(required, b)) &&
    podMatchesAllAffinityTerms(required, pod) &&
    ref.nodes.some((n) => n.feasible)
  )
    cov.firstPod++;

  const scores = ref.nodes.flatMap((n) => {
    const s = n.scores?.InterPodAffinity;
    return s === undefined ? [] : [s.normalized];
  });
  const spread = new Set(scores).size > 1;
  if (scores.length > 0) cov.scored++;
  if (spread) cov.scoreSpread++;
  const hasPreferred =
    info.preferredAffinityTerms.length + info.preferredAntiAffinityTerms.length > 0;
  if (spread && !hasPreferred) cov.existingTerms++;
  const nsLabels = c.namespaces.find((n) => n.metadata.name === pod.metadata.namespace)?.metadata
    .labels;
  const labelled = new Set(
    c.nodes.filter((n) => Object.keys(n.metadata.labels).length > 0).map((n) => n.metadata.name),
  );
  if (
    args.hardPodAffinityWeight > 0 &&
    scores.length > 0 &&
    c.bound.some(
      (b) =>
        labelled.has(b.spec.nodeName) &&
        podAffinityInfo(b).requiredAffinityTerms.some((t) => termMatches(t, pod, nsLabels)),
    )
  )
    cov.hardWeight++;
  if (
    args.ignorePreferredTermsOfExistingPods &&
    !hasPreferred &&
    ref.skipped.preScore.includes("InterPodAffinity")
  )
    cov.ignoredPreferred++;
  if (ref.skipped.preFilter.includes("InterPodAffinity")) cov.preFilterSkip++;

  const acted = ipaFilters.length > 0 || spread;
  const terms = podTerms(pod);
  if (acted && terms.some((t) => t.namespaceSelector !== undefined)) cov.namespaceSelector++;
  if (acted && terms.some((t) => t.matchLabelKeys.length + t.mismatchLabelKeys.length > 0))
    cov.labelKeys++;
  if (
    c.bound.some((b) => {
      const i = podAffinityInfo(b);
      return [
        ...i.requiredAntiAffinityTerms,
        ...i.requiredAffinityTerms,
        ...i.preferredAffinityTerms,
        ...i.preferredAntiAffinityTerms,
      ].some(
        (t) =>
          !t.namespaces.has(pod.metadata.namespace) &&
          !t.namespaceSelector.isEverything &&
          termMatches(t, pod, nsLabels),
      );
    })
  )
    cov.existingNamespaceSelector++;
}

async function compareExplain(
  c: AffinityCluster,
  pod: Pod,
  args: InterPodAffinityArgs,
  seed: number,
  cov: Coverage,
) {
  const { ref, ev, names } = await explainBoth(c, pod, profileOf(args), seed);
  expect({ error: ev.error !== undefined }).toEqual({ error: ref.error !== undefined });
  if (ref.error !== undefined) return;
  recordCoverage(c, pod, args, ref, cov);

  // Filter verdicts and the scores of feasible nodes, node by node.
  compareNodes(c, ref, ev, {
    conditional: ["PodTopologySpread", "InterPodAffinity"],
    reasons: (rn, code) => {
      const reasons = (code: string, reason: string) =>
        expect({ node: rn.name, code: rn.filter?.code, reasons: rn.filter?.reasons }).toEqual({
          node: rn.name,
          code,
          reasons: [reason],
        });
      if (code === CoreCode.InterPodAffinity) {
        reasons("UnschedulableAndUnresolvable", ERR_REASON_AFFINITY_RULES_NOT_MATCH);
      } else if (code === CoreCode.InterPodAffinityAnti) {
        reasons("Unschedulable", ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
      } else if (code === CoreCode.InterPodAffinityExisting) {
        reasons("Unschedulable", ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
      } else if (code === CoreCode.InterPodAffinityPreFilter) {
        expect(rn.filter?.reasons[0]).toMatch(/^parsing pod: /);
      }
    },
  });

  // PreFilter: InterPodAffinity skips when the pod has no required terms and no bound pod's
  // anti-affinity matches it (unless PreFilter rejected the pod outright).
  if (!ref.nodes.some((n) => n.filter?.reasons[0]?.startsWith("parsing pod: "))) {
    expect({ preFilterSkip: ev.skipped.interPodAffinityPreFilter }).toEqual({
      preFilterSkip: ref.skipped.preFilter.includes("InterPodAffinity"),
    });
  }
  // PreScore runs only when some node passed Filter; every skip must match the reference's.
  if (ref.nodes.some((n) => n.feasible)) {
    const skipped = coreSkips(ev, ["PodTopologySpread", "InterPodAffinity"]);
    // VolumeBinding's PreScore always skips (storage capacity scoring is off by default).
    expect(skipped.sort()).toEqual(
      ref.skipped.preScore.filter((p) => p !== "VolumeBinding").sort(),
    );
  }
  expect(ev.selected < 0 ? null : names[ev.selected]).toEqual(ref.selected);
}

/** A sequence: a cluster of `min`…`max` nodes, 1–3 templates, 10–80 picks, args, seed, %. */
function sequenceArb(min: number, max: number) {
  return fc
    .integer({ min, max })
    .chain((n) =>
      fc.tuple(
        affinityClusterArb(n, n, 1, 3),
        fc.array(templatePodArb("t"), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 80, size: "max" }),
        affinityArgsArb,
        fc.nat(),
        fc.constantFrom(0, 30, 100),
      ),
    )
    .map(([c, templates, picks, args, seed, pct]) => ({
      c,
      pods: fromTemplates(templates, picks),
      args,
      seed,
      pct,
    }));
}

describe("WASM core vs TypeScript reference: InterPodAffinity", () => {
  it("runs InterPodAffinity at Filter (last) and Score (weight 2), without PostFilter", () => {
    const profile = profileOf({
      kind: "InterPodAffinityArgs",
      hardPodAffinityWeight: 1,
      ignorePreferredTermsOfExistingPods: false,
    });
    expect(profile.plugins.filter.at(-1)?.name).toBe("InterPodAffinity");
    expect(profile.plugins.score.find((p) => p.name === "InterPodAffinity")?.weight).toBe(2);
    expect(profile.plugins.postFilter).toEqual([]);
  });

  it("agrees on every verdict, score and selection in explain mode (600 random cases)", async () => {
    const cov = newCoverage();
    await fc.assert(
      fc.asyncProperty(
        affinityClusterArb(150, 1, 2).chain((c) =>
          fc.tuple(
            fc.constant(c),
            affinityPodArb("incoming", { workloads: c.workloads }),
            affinityArgsArb,
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
    // (Typical counts on the reference's side: affinity 300, antiAffinity 150,
    // existingAntiAffinity 60, firstPod 22, scored 270, scoreSpread 220, existingTerms 15,
    // hardWeight 44, ignoredPreferred 28, preFilterSkip 110, namespaceSelector 360,
    // existingNamespaceSelector 85, labelKeys 245.)
    expectReached(cov, {
      affinity: 180,
      antiAffinity: 70,
      existingAntiAffinity: 25,
      firstPod: 8,
      scored: 160,
      scoreSpread: 130,
      existingTerms: 4,
      hardWeight: 15,
      ignoredPreferred: 8,
      preFilterSkip: 55,
      namespaceSelector: 220,
      existingNamespaceSelector: 35,
      labelKeys: 130,
    });
  }, 300_000);

  it("agrees on placements and the start index over sequences with sampling (120 sequences)", async () => {
    const stats = { placed: 0, unschedulable: 0 };
    await fc.assert(
      fc.asyncProperty(sequenceArb(100, 300), async ({ c, pods, args, seed, pct }) => {
        await compareCountedSequence(c, pods, profileOf(args), seed, pct, stats);
      }),
      { numRuns: 120, interruptAfterTimeLimit: 120_000 },
    );
    // Most pods place; some sequences run out of room under required (anti-)affinity.
    expect(stats.placed).toBeGreaterThan(stats.unschedulable);
    expect(stats.unschedulable).toBeGreaterThan(0);
  }, 300_000);

  it("places the same pods identically twice from the same seed (10 sequences)", async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArb(100, 200), async ({ c, pods, args, seed, pct }) => {
        const run = async () => {
          const core = await coreOf(c, profileOf(args), seed, pct);
          return pods.map((pod) => core.scheduleName(pod));
        };
        expect(await run()).toEqual(await run());
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});
