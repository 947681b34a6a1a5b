/**
 * InterPodAffinity — upstream `interpodaffinity/filtering_test.go` (TestRequiredAffinitySingleNode,
 * TestRequiredAffinityMultipleNodes, TestPreFilterDisabled, TestPreFilterStateAddRemovePod) and
 * `scoring_test.go` (TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight),
 * semantics §4.10 and §6. The Filter and Score tables and gantry's own filter / score cases run on
 * both engines (`describe.each(ENGINES)`): on the WebAssembly core a row is one explain-mode cycle
 * over a profile holding only InterPodAffinity (its PreFilter and Filter, or PreScore and Score),
 * the core's codes 11 / 12 / 13 standing for the three Filter statuses and their reasons, its
 * skip flags for PreFilter's / PreScore's Skip; a PreFilter rejection is compared by code only
 * (the core gives no parse messages). The PreFilter-state tables (AddPod / RemovePod) test the
 * reference's state object and run on it alone.
 *
 * Adaptations: upstream's pods without a namespace (`""`) are in `default` here (gantry's API
 * defaulting), and `makeNode` adds a `kubernetes.io/hostname` label no term uses.
 */
import { describe, expect, it } from "vitest";
import { CoreCode, WasmScheduler } from "../../../src/core/scheduler.ts";
import type {
  Affinity,
  LabelSelectorRequirement,
  Labels,
  Namespace,
  Node,
  Pod,
  PodAffinity,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
} from "../../../src/model/types.ts";
import { CycleState } from "../../../src/reference/framework/cycle-state.ts";
import type { NodeInfo } from "../../../src/reference/framework/node-info.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  type InterPodAffinityPlugin,
  newInterPodAffinity,
  PRE_FILTER_STATE_KEY,
  PreFilterState,
} from "../../../src/reference/plugins/interpodaffinity/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, type Engine, singlePluginProfile, WEIGHT } from "../engines.ts";
import { handleOf, ok, scoresOf, st } from "../support.ts";

// ---------------------------------------------------------------------------------------------
// Builders

type Op = LabelSelectorRequirement["operator"];

const req = (key: string, operator: Op, values: string[] = []): LabelSelectorRequirement => ({
  key,
  operator,
  values,
});

/** A PodAffinityTerm: `exprs` become the labelSelector's matchExpressions. */
const term = (
  topologyKey: string,
  exprs: LabelSelectorRequirement[],
  extra: Partial<PodAffinityTerm> = {},
): PodAffinityTerm => ({
  labelSelector: { matchLabels: {}, matchExpressions: exprs },
  namespaces: [],
  topologyKey,
  matchLabelKeys: [],
  mismatchLabelKeys: [],
  ...extra,
});

const weighted = (weight: number, podAffinityTerm: PodAffinityTerm): WeightedPodAffinityTerm => ({
  weight,
  podAffinityTerm,
});

const podAffinity = (
  required: PodAffinityTerm[] = [],
  preferred: WeightedPodAffinityTerm[] = [],
): PodAffinity => ({
  requiredDuringSchedulingIgnoredDuringExecution: required,
  preferredDuringSchedulingIgnoredDuringExecution: preferred,
});

/** Required affinity / anti-affinity terms (upstream `PodAffinityIn`, `PodAntiAffinityExists`, …). */
const required = (affinity: PodAffinityTerm[], anti: PodAffinityTerm[] = []): Affinity => ({
  ...(affinity.length > 0 ? { podAffinity: podAffinity(affinity) } : {}),
  ...(anti.length > 0 ? { podAntiAffinity: podAffinity(anti) } : {}),
});

/** Upstream `createPodWithAffinityTerms`: both podAffinity and podAntiAffinity set. */
const bothRequired = (affinity: PodAffinityTerm[], anti: PodAffinityTerm[]): Affinity => ({
  podAffinity: podAffinity(affinity),
  podAntiAffinity: podAffinity(anti),
});

const node = (name: string, labels: Labels): Node => makeNode({ name, labels });

let podSeq = 0;
/** A pod; distinct default names keep uids apart. */
const pod = (
  o: {
    name?: string;
    namespace?: string;
    labels?: Labels;
    nodeName?: string;
    affinity?: Affinity;
    deletionTimestamp?: string;
  } = {},
): Pod => makePod({ name: o.name ?? `p${podSeq++}`, ...o });

const namespace = (name: string, labels: Labels = {}): Namespace => ({
  kind: "Namespace",
  metadata: {
    name,
    namespace: "",
    uid: `uid-ns-${name}`,
    labels,
    annotations: {},
    ownerReferences: [],
  },
  source: { file: "<test>" },
});

/** Upstream scoring_test.go `namespaces`. */
const TEAM_NAMESPACES = [
  namespace("subteam1.team1", { team: "team1" }),
  namespace("subteam2.team1", { team: "team1" }),
  namespace("subteam1.team2", { team: "team2" }),
  namespace("subteam2.team2", { team: "team2" }),
];

const teamSelector = (team: string) => ({
  matchLabels: {},
  matchExpressions: [req("team", "In", [team])],
});

function setup(
  nodes: readonly Node[],
  pods: readonly Pod[],
  namespaces: readonly Namespace[],
  args?: unknown,
) {
  const snapshot = new Snapshot(nodes, pods, { namespaces });
  const plugin = newInterPodAffinity(args, handleOf(snapshot)) as InterPodAffinityPlugin;
  const info = (name: string) => snapshot.get(name) as NodeInfo;
  return { snapshot, plugin, info };
}

/** PreFilter, then (unless it did not succeed) Filter on every node in the given order. */
function runFilters(
  incoming: Pod,
  nodes: readonly Node[],
  pods: readonly Pod[],
  namespaces: readonly Namespace[] = TEAM_NAMESPACES,
) {
  const { snapshot, plugin, info } = setup(nodes, pods, namespaces);
  const state = new CycleState();
  const pre = plugin.preFilter(state, incoming, snapshot.nodeInfoList);
  if (pre.status.code !== "Success") return { preFilter: st(pre.status), filters: undefined };
  expect(pre.result).toBeNull();
  const filters = nodes.map((n) => st(plugin.filter(state, incoming, info(n.metadata.name))));
  return { preFilter: ok, filters };
}

/** PreScore, then Score on every node and NormalizeScore (upstream's scoring test loop). */
function runScores(
  incoming: Pod,
  nodes: readonly Node[],
  pods: readonly Pod[],
  args: unknown = { hardPodAffinityWeight: 1 },
  namespaces: readonly Namespace[] = TEAM_NAMESPACES,
) {
  const { snapshot, plugin, info } = setup(nodes, pods, namespaces, args);
  const state = new CycleState();
  const pre = plugin.preScore(state, incoming, snapshot.nodeInfoList);
  if (pre.code !== "Success") return { preScore: st(pre), raw: undefined, scores: undefined };
  const scores = nodes.map((n) => {
    const s = plugin.score(state, incoming, info(n.metadata.name));
    if (typeof s !== "number") throw new Error(`score failed: ${s.reasons.join(", ")}`);
    return { name: n.metadata.name, score: s };
  });
  const raw = scores.map((s) => ({ ...s }));
  expect(st(plugin.normalizeScore(state, incoming, scores))).toEqual(ok);
  return { preScore: ok, raw, scores };
}

type Status = { code: string; reasons: readonly string[] };
type FilterRun = { preFilter: Status | { code: string }; filters: Status[] | undefined };

/** The core's InterPodAffinity codes as the reference's Filter statuses. */
const STATUS_OF_CODE: Readonly<Record<number, Status>> = {
  [CoreCode.Pass]: ok,
  [CoreCode.InterPodAffinity]: {
    code: "UnschedulableAndUnresolvable",
    reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
  },
  [CoreCode.InterPodAffinityAnti]: {
    code: "Unschedulable",
    reasons: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH],
  },
  [CoreCode.InterPodAffinityExisting]: {
    code: "Unschedulable",
    reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH],
  },
};

/** {@link runFilters} on `engine`; on the core a PreFilter rejection is `{ code }` alone. */
async function runFiltersOn(
  engine: Engine,
  incoming: Pod,
  nodes: readonly Node[],
  pods: readonly Pod[],
  namespaces: readonly Namespace[] = TEAM_NAMESPACES,
): Promise<FilterRun> {
  if (engine === "reference") return runFilters(incoming, nodes, pods, namespaces);
  const core = await WasmScheduler.create({
    nodes,
    boundPods: pods,
    profile: singlePluginProfile({ filter: "InterPodAffinity" }),
    objects: { namespaces },
    seed: 7,
    build: "debug",
  });
  const ev = core.evaluate(incoming);
  expect(ev.error).toBeUndefined();
  if (nodes.length > 0 && ev.codes.every((c) => c === CoreCode.InterPodAffinityPreFilter)) {
    return { preFilter: { code: "UnschedulableAndUnresolvable" }, filters: undefined };
  }
  const names = core.nodeNames;
  const filters = nodes.map((n) => {
    const code = ev.codes[names.indexOf(n.metadata.name)] as number;
    return STATUS_OF_CODE[code] ?? { code: `core code ${code}`, reasons: [] };
  });
  if (ev.skipped.interPodAffinityPreFilter) {
    // A skipped plugin filters nothing: every node passes.
    expect(filters).toEqual(nodes.map(() => ok));
    return { preFilter: skip, filters: undefined };
  }
  return { preFilter: ok, filters };
}

/** An expected PreFilter / PreScore status as `engine` states it (the core: a failure's code only). */
function statusOn(engine: Engine, want: Status): Status | { code: string } {
  if (engine === "wasm" && want.code !== "Success" && want.code !== "Skip") {
    return { code: want.code };
  }
  return want;
}

/** {@link runScores} on `engine`: the core's PreScore outcome, raw and normalized scores. */
async function runScoresOn(
  engine: Engine,
  incoming: Pod,
  nodes: readonly Node[],
  pods: readonly Pod[],
  args: unknown = { hardPodAffinityWeight: 1 },
  namespaces: readonly Namespace[] = TEAM_NAMESPACES,
) {
  if (engine === "reference") return runScores(incoming, nodes, pods, args, namespaces);
  const core = await WasmScheduler.create({
    nodes,
    boundPods: pods,
    profile: singlePluginProfile({ score: "InterPodAffinity", args }),
    objects: { namespaces },
    seed: 7,
    build: "debug",
  });
  const ev = core.evaluate(incoming);
  if (ev.error !== undefined)
    return { preScore: { code: "Error" }, raw: undefined, scores: undefined };
  const names = core.nodeNames;
  const byName = new Map(ev.feasible.map((node, p) => [names[node] as string, ev.scores[p]]));
  // The only score plugin: every total is WEIGHT × its normalized score (0 when skipped).
  for (const [name, sc] of byName) {
    expect({ name, total: sc?.total }).toEqual({
      name,
      total: ev.skipped.interPodAffinity ? 0 : WEIGHT * (sc?.interPod ?? Number.NaN),
    });
  }
  if (ev.skipped.interPodAffinity || nodes.length === 0) {
    return { preScore: skip, raw: undefined, scores: undefined };
  }
  const pick = (f: (sc: (typeof ev.scores)[number]) => number) =>
    nodes.map((n) => {
      const sc = byName.get(n.metadata.name);
      return { name: n.metadata.name, score: sc === undefined ? Number.NaN : f(sc) };
    });
  return { preScore: ok, raw: pick((sc) => sc.interPodRaw), scores: pick((sc) => sc.interPod) };
}

const skip = { code: "Skip", reasons: [] };
const affinityFail = {
  code: "UnschedulableAndUnresolvable",
  reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH],
};
const antiFail = { code: "Unschedulable", reasons: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH] };
const existingFail = {
  code: "Unschedulable",
  reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH],
};
const BAD_VALUE_MSG = `values[0][service]: Invalid value: "{{.bad-value.}}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;

// ---------------------------------------------------------------------------------------------
// TestRequiredAffinitySingleNode

describe("InterPodAffinity Filter — TestRequiredAffinitySingleNode", () => {
  const podLabel = { service: "securityscan" };
  const podLabel2 = { security: "S1" };
  const existing = pod({ labels: podLabel, nodeName: "node1" });
  const node1 = node("node1", { region: "r1", zone: "z11" });
  const inSvc = (values: string[]) => [req("service", "In", values)];

  type Row = {
    name: string;
    pod: Pod;
    pods?: Pod[];
    preFilter?: { code: string; reasons: readonly string[] };
    filter?: { code: string; reasons: readonly string[] };
  };
  const rows: Row[] = [
    {
      name: "no required pod affinity, no existing pods: Skip",
      pod: pod(),
      preFilter: skip,
    },
    {
      name: "required affinity with In matching the existing pod",
      pod: pod({
        labels: podLabel2,
        affinity: required([term("region", inSvc(["securityscan", "value2"]))]),
      }),
      pods: [existing],
    },
    {
      name: "required affinity with NotIn matching the existing pod",
      pod: pod({
        labels: podLabel2,
        affinity: required([
          term("region", [req("service", "NotIn", ["securityscan3", "value3"])]),
        ]),
      }),
      pods: [existing],
    },
    {
      name: "affinity not satisfied: the matching pod is in another namespace",
      pod: pod({
        labels: podLabel2,
        affinity: bothRequired(
          [term("", inSvc(["securityscan", "value2"]), { namespaces: ["DiffNameSpace"] })],
          [],
        ),
      }),
      pods: [pod({ namespace: "ns", labels: podLabel, nodeName: "node1" })],
      filter: affinityFail,
    },
    {
      name: "affinity not satisfied: labelSelector does not match the existing pod",
      pod: pod({
        labels: podLabel,
        affinity: required([term("", inSvc(["antivirusscan", "value2"]))]),
      }),
      pods: [existing],
      filter: affinityFail,
    },
    {
      name: "affinity with different operators in several required terms",
      pod: pod({
        labels: podLabel2,
        affinity: bothRequired(
          [
            term("region", [req("service", "Exists"), req("wrongkey", "DoesNotExist")]),
            term("region", [
              req("service", "In", ["securityscan"]),
              req("service", "NotIn", ["WrongValue"]),
            ]),
          ],
          [],
        ),
      }),
      pods: [existing],
    },
    {
      name: "matchExpressions are ANDed: one item does not match",
      pod: pod({
        labels: podLabel2,
        affinity: bothRequired(
          [
            term("region", [req("service", "Exists"), req("wrongkey", "DoesNotExist")]),
            term("region", [
              req("service", "In", ["securityscan2"]),
              req("service", "NotIn", ["WrongValue"]),
            ]),
          ],
          [],
        ),
      }),
      pods: [existing],
      filter: affinityFail,
    },
    {
      name: "affinity and anti-affinity satisfied",
      pod: pod({
        labels: podLabel2,
        affinity: required(
          [term("region", inSvc(["securityscan", "value2"]))],
          [term("node", inSvc(["antivirusscan", "value2"]))],
        ),
      }),
      pods: [existing],
    },
    {
      name: "affinity, anti-affinity and anti-affinity symmetry satisfied",
      pod: pod({
        labels: podLabel2,
        affinity: required(
          [term("region", inSvc(["securityscan", "value2"]))],
          [term("node", inSvc(["antivirusscan", "value2"]))],
        ),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel,
          affinity: required([], [term("node", inSvc(["antivirusscan", "value2"]))]),
        }),
      ],
    },
    {
      name: "affinity satisfied, anti-affinity not",
      pod: pod({
        labels: podLabel2,
        affinity: required(
          [term("region", inSvc(["securityscan", "value2"]))],
          [term("zone", inSvc(["securityscan", "value2"]))],
        ),
      }),
      pods: [existing],
      filter: antiFail,
    },
    {
      name: "affinity and anti-affinity satisfied, anti-affinity symmetry not",
      pod: pod({
        labels: podLabel,
        affinity: required(
          [term("region", inSvc(["securityscan", "value2"]))],
          [term("node", inSvc(["antivirusscan", "value2"]))],
        ),
      }),
      pods: [
        pod({
          labels: podLabel,
          nodeName: "node1",
          affinity: required([], [term("zone", inSvc(["securityscan", "value2"]))]),
        }),
      ],
      filter: existingFail,
    },
    {
      name: "pod does not match its own NotIn term; the matching pod is on a node outside the snapshot",
      pod: pod({
        labels: podLabel,
        affinity: required([term("region", [req("service", "NotIn", ["securityscan", "value2"])])]),
      }),
      pods: [pod({ labels: { service: "securityscan" }, nodeName: "node2" })],
      filter: affinityFail,
    },
    {
      name: "existing pod's anti-affinity applies to a pod without constraints",
      pod: pod({ labels: podLabel }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel,
          affinity: required([], [term("zone", inSvc(["securityscan", "value2"]))]),
        }),
      ],
      filter: existingFail,
    },
    {
      name: "existing pod's NotIn anti-affinity does not match: Skip",
      pod: pod({ labels: podLabel }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel,
          affinity: required(
            [],
            [term("zone", [req("service", "NotIn", ["securityscan", "value2"])])],
          ),
        }),
      ],
      preFilter: skip,
    },
    {
      name: "anti-affinity with the existing pod fails before the symmetry check",
      pod: pod({
        labels: podLabel,
        affinity: required(
          [],
          [term("region", [req("service", "Exists")]), term("region", [req("security", "Exists")])],
        ),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel2,
          affinity: required([], [term("zone", [req("security", "Exists")])]),
        }),
      ],
      filter: antiFail,
    },
    {
      name: "symmetry a1: partial match on the terms",
      pod: pod({
        labels: podLabel,
        affinity: required(
          [],
          [term("zone", [req("service", "Exists")]), term("zone", [req("security", "Exists")])],
        ),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel2,
          affinity: required([], [term("zone", [req("security", "Exists")])]),
        }),
      ],
      filter: antiFail,
    },
    {
      name: "symmetry a2: partial match on the terms",
      pod: pod({
        labels: podLabel2,
        affinity: required([], [term("zone", [req("security", "Exists")])]),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: podLabel,
          affinity: required(
            [],
            [term("zone", [req("service", "Exists")]), term("zone", [req("security", "Exists")])],
          ),
        }),
      ],
      filter: existingFail,
    },
    {
      name: "symmetry b1: partial match on the terms",
      pod: pod({
        labels: { abc: "", xyz: "" },
        affinity: required(
          [],
          [term("zone", [req("abc", "Exists")]), term("zone", [req("def", "Exists")])],
        ),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: { def: "", xyz: "" },
          affinity: required(
            [],
            [term("zone", [req("abc", "Exists")]), term("zone", [req("def", "Exists")])],
          ),
        }),
      ],
      filter: antiFail,
    },
    {
      name: "symmetry b2: partial match on the terms",
      pod: pod({
        labels: { def: "", xyz: "" },
        affinity: required(
          [],
          [term("zone", [req("abc", "Exists")]), term("zone", [req("def", "Exists")])],
        ),
      }),
      pods: [
        pod({
          nodeName: "node1",
          labels: { abc: "", xyz: "" },
          affinity: required(
            [],
            [term("zone", [req("abc", "Exists")]), term("zone", [req("def", "Exists")])],
          ),
        }),
      ],
      filter: antiFail,
    },
    {
      name: "invalid affinity label value fails PreFilter",
      pod: pod({
        labels: podLabel,
        affinity: required([
          term("region", inSvc(["{{.bad-value.}}"])),
          term("node", inSvc(["antivirusscan", "value2"])),
        ]),
      }),
      preFilter: {
        code: "UnschedulableAndUnresolvable",
        reasons: [`parsing pod: requiredAffinityTerms: ${BAD_VALUE_MSG}`],
      },
    },
    {
      name: "invalid label value in the second affinity term fails PreFilter",
      pod: pod({
        labels: podLabel,
        affinity: required([
          term("region", inSvc(["foo"])),
          term("node", inSvc(["{{.bad-value.}}"])),
        ]),
      }),
      preFilter: {
        code: "UnschedulableAndUnresolvable",
        reasons: [`parsing pod: requiredAffinityTerms: ${BAD_VALUE_MSG}`],
      },
    },
    {
      name: "affinity with a namespaceSelector",
      pod: pod({
        labels: podLabel2,
        affinity: bothRequired(
          [
            term("region", inSvc(["securityscan", "value2"]), {
              namespaceSelector: teamSelector("team1"),
            }),
          ],
          [],
        ),
      }),
      pods: [pod({ nodeName: "node1", namespace: "subteam1.team1", labels: podLabel })],
    },
    {
      name: "affinity with a non-matching namespaceSelector",
      pod: pod({
        labels: podLabel2,
        affinity: bothRequired(
          [
            term("region", inSvc(["securityscan", "value2"]), {
              namespaceSelector: teamSelector("team1"),
            }),
          ],
          [],
        ),
      }),
      pods: [pod({ nodeName: "node1", namespace: "subteam1.team2", labels: podLabel })],
      filter: affinityFail,
    },
    {
      name: "anti-affinity with a matching namespaceSelector",
      pod: pod({
        namespace: "subteam1.team1",
        labels: podLabel2,
        affinity: bothRequired(
          [],
          [
            term("zone", inSvc(["securityscan", "value2"]), {
              namespaceSelector: teamSelector("team1"),
            }),
          ],
        ),
      }),
      pods: [pod({ nodeName: "node1", namespace: "subteam2.team1", labels: podLabel })],
      filter: antiFail,
    },
    {
      name: "anti-affinity with an all-matching namespaceSelector {}",
      pod: pod({
        namespace: "subteam1.team1",
        labels: podLabel2,
        affinity: bothRequired(
          [],
          [
            term("zone", inSvc(["securityscan", "value2"]), {
              namespaceSelector: { matchLabels: {}, matchExpressions: [] },
            }),
          ],
        ),
      }),
      pods: [pod({ nodeName: "node1", namespace: "subteam2.team1", labels: podLabel })],
      filter: antiFail,
    },
    {
      name: "anti-affinity with a non-matching namespaceSelector",
      pod: pod({
        namespace: "subteam1.team1",
        labels: podLabel2,
        affinity: bothRequired(
          [],
          [
            term("zone", inSvc(["securityscan", "value2"]), {
              namespaceSelector: teamSelector("team1"),
            }),
          ],
        ),
      }),
      pods: [pod({ nodeName: "node1", namespace: "subteam1.team2", labels: podLabel })],
    },
  ];

  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(rows)("$name", async (row) => {
      const got = await runFiltersOn(engine, row.pod, [node1], row.pods ?? []);
      expect(got.preFilter).toEqual(statusOn(engine, row.preFilter ?? ok));
      if (got.filters) expect(got.filters).toEqual([row.filter ?? ok]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// TestRequiredAffinityMultipleNodes

describe("InterPodAffinity Filter — TestRequiredAffinityMultipleNodes", () => {
  const rgChina = { region: "China" };
  const rgChinaAzAz1 = { region: "China", az: "az1" };
  const rgIndia = { region: "India" };
  const rzh = (region: string, zone: string, hostname: string) => ({ region, zone, hostname });
  const exists = (key: string, topologyKey: string) => term(topologyKey, [req(key, "Exists")]);
  const inTerm = (key: string, topologyKey: string, values: string[]) =>
    term(topologyKey, [req(key, "In", values)]);

  type Row = {
    name: string;
    pod: Pod;
    pods: Pod[];
    nodes: Node[];
    preFilter?: { code: string; reasons: readonly string[] };
    filters: ({ code: string; reasons: readonly string[] } | undefined)[];
  };
  const rows: Row[] = [
    {
      name: "all nodes sharing the topology value of a node with a matching pod fit",
      pod: pod({ affinity: required([inTerm("foo", "region", ["bar"])]) }),
      pods: [pod({ name: "p1", nodeName: "node1", labels: { foo: "bar" } })],
      nodes: [node("node1", rgChina), node("node2", rgChinaAzAz1), node("node3", rgIndia)],
      filters: [undefined, undefined, affinityFail],
    },
    {
      name: "first pod of a self-affine collection is not blocked",
      pod: pod({
        labels: { foo: "bar", service: "securityscan" },
        affinity: required([
          inTerm("foo", "zone", ["bar"]),
          inTerm("service", "zone", ["securityscan"]),
        ]),
      }),
      pods: [pod({ name: "p1", nodeName: "nodeA", labels: { foo: "bar" } })],
      nodes: [
        node("nodeA", { zone: "az1", hostname: "h1" }),
        node("nodeB", { zone: "az2", hostname: "h2" }),
      ],
      filters: [undefined, undefined],
    },
    {
      name: "first pod of the collection only on nodes with the topology keys",
      pod: pod({
        labels: { foo: "bar", service: "securityscan" },
        affinity: required([
          inTerm("foo", "zone", ["bar"]),
          inTerm("service", "zone", ["securityscan"]),
        ]),
      }),
      pods: [pod({ name: "p1", nodeName: "nodeA", labels: { foo: "bar" } })],
      nodes: [
        node("nodeA", { zoneLabel: "az1", hostname: "h1" }),
        node("nodeB", { zoneLabel: "az2", hostname: "h2" }),
      ],
      filters: [affinityFail, affinityFail],
    },
    {
      name: "anti-affinity: nodes sharing the topology value of a matching pod are excluded",
      pod: pod({ affinity: required([], [inTerm("foo", "region", ["abc"])]) }),
      pods: [pod({ nodeName: "nodeA", labels: { foo: "abc" } })],
      nodes: [
        node("nodeA", { region: "r1", hostname: "nodeA" }),
        node("nodeB", { region: "r1", hostname: "nodeB" }),
      ],
      filters: [antiFail, antiFail],
    },
    {
      name: "anti-affinity matches when any term matches",
      pod: pod({
        affinity: required(
          [],
          [inTerm("foo", "region", ["abc"]), inTerm("service", "zone", ["securityscan"])],
        ),
      }),
      pods: [pod({ nodeName: "nodeA", labels: { foo: "abc", service: "securityscan" } })],
      nodes: [
        node("nodeA", { region: "r1", zone: "z1", hostname: "nodeA" }),
        node("nodeB", { region: "r1", zone: "z2", hostname: "nodeB" }),
      ],
      filters: [antiFail, antiFail],
    },
    {
      name: "anti-affinity: nodeC in another region fits",
      pod: pod({ affinity: required([], [inTerm("foo", "region", ["abc"])]) }),
      pods: [pod({ nodeName: "nodeA", labels: { foo: "abc" } })],
      nodes: [node("nodeA", rgChina), node("nodeB", rgChinaAzAz1), node("nodeC", rgIndia)],
      filters: [antiFail, antiFail, undefined],
    },
    {
      name: "anti-affinity: the pod on nodeC is in another namespace",
      pod: pod({
        namespace: "NS1",
        labels: { foo: "123" },
        affinity: required([], [inTerm("foo", "region", ["bar"])]),
      }),
      pods: [
        pod({ nodeName: "nodeA", namespace: "NS1", labels: { foo: "bar" } }),
        pod({
          nodeName: "nodeC",
          namespace: "NS2",
          affinity: required([], [inTerm("foo", "region", ["123"])]),
        }),
      ],
      nodes: [node("nodeA", rgChina), node("nodeB", rgChinaAzAz1), node("nodeC", rgIndia)],
      filters: [antiFail, antiFail, undefined],
    },
    {
      name: "existing pod's anti-affinity term with a topology key no node has: Skip",
      pod: pod({ labels: { foo: "" } }),
      pods: [
        pod({ nodeName: "nodeA", affinity: required([], [exists("foo", "invalid-node-label")]) }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z1", "nodeB"))],
      preFilter: skip,
      filters: [],
    },
    {
      name: "incoming anti-affinity: the selector matches but no node has the topology key",
      pod: pod({
        nodeName: "nodeA",
        affinity: required([], [exists("foo", "invalid-node-label")]),
      }),
      pods: [pod({ nodeName: "nodeA", labels: { foo: "" } })],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z1", "nodeB"))],
      filters: [undefined, undefined],
    },
    {
      name: "existing pods' anti-affinity: every node violates one existing pod's term",
      pod: pod({ labels: { foo: "", bar: "" } }),
      pods: [
        pod({ nodeName: "nodeA", affinity: required([], [exists("foo", "zone")]) }),
        pod({ nodeName: "nodeA", affinity: required([], [exists("bar", "region")]) }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [existingFail, existingFail],
    },
    {
      name: "incoming anti-affinity: every node violates at least one term",
      pod: pod({ affinity: required([], [exists("foo", "zone"), exists("bar", "region")]) }),
      pods: [
        pod({ nodeName: "nodeA", labels: { foo: "" } }),
        pod({ nodeName: "nodeB", labels: { bar: "" } }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [antiFail, antiFail],
    },
    {
      name: "existing pod's anti-affinity: a term with an unknown topology key counts nowhere",
      pod: pod({ labels: { foo: "", bar: "" } }),
      pods: [
        pod({
          nodeName: "nodeA",
          affinity: required([], [exists("foo", "invalid-node-label"), exists("bar", "zone")]),
        }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [existingFail, undefined],
    },
    {
      name: "incoming anti-affinity: a term with an unknown topology key counts nowhere",
      pod: pod({
        affinity: required([], [exists("foo", "invalid-node-label"), exists("bar", "zone")]),
      }),
      pods: [pod({ name: "podA", nodeName: "nodeA", labels: { foo: "", bar: "" } })],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [antiFail, undefined],
    },
    {
      name: "existing pod's anti-affinity: all terms with valid topology keys",
      pod: pod({ labels: { foo: "", bar: "" } }),
      pods: [
        pod({
          nodeName: "nodeA",
          affinity: required([], [exists("foo", "region"), exists("bar", "zone")]),
        }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [existingFail, existingFail],
    },
    {
      name: "incoming anti-affinity: all terms with valid topology keys",
      pod: pod({ affinity: required([], [exists("foo", "region"), exists("bar", "zone")]) }),
      pods: [pod({ nodeName: "nodeA", labels: { foo: "", bar: "" } })],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [antiFail, antiFail],
    },
    {
      name: "existing pods' anti-affinity: only nodeC fits",
      pod: pod({ labels: { foo: "", bar: "" } }),
      pods: [
        pod({
          nodeName: "nodeA",
          affinity: required([], [exists("foo", "zone"), exists("labelA", "zone")]),
        }),
        pod({
          nodeName: "nodeB",
          affinity: required([], [exists("bar", "zone"), exists("labelB", "zone")]),
        }),
      ],
      nodes: [
        node("nodeA", rzh("r1", "z1", "nodeA")),
        node("nodeB", rzh("r1", "z2", "nodeB")),
        node("nodeC", rzh("r1", "z3", "nodeC")),
      ],
      filters: [existingFail, existingFail, undefined],
    },
    {
      name: "incoming affinity: one pod matches all terms, both nodes share its topology",
      pod: pod({ affinity: required([exists("foo", "region"), exists("bar", "zone")]) }),
      pods: [pod({ name: "pod1", nodeName: "nodeA", labels: { foo: "", bar: "" } })],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z1", "nodeB"))],
      filters: [undefined, undefined],
    },
    {
      name: "incoming affinity: the terms must be matched by the same pod",
      pod: pod({ affinity: required([exists("foo", "region"), exists("bar", "zone")]) }),
      pods: [
        pod({ name: "pod1", nodeName: "nodeA", labels: { foo: "" } }),
        pod({ name: "pod2", nodeName: "nodeB", labels: { bar: "" } }),
      ],
      nodes: [node("nodeA", rzh("r1", "z1", "nodeA")), node("nodeB", rzh("r1", "z2", "nodeB"))],
      filters: [affinityFail, affinityFail],
    },
  ];

  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(rows)("$name", async (row) => {
      const got = await runFiltersOn(engine, row.pod, row.nodes, row.pods, [namespace("NS1")]);
      expect(got.preFilter).toEqual(statusOn(engine, row.preFilter ?? ok));
      if (got.filters) expect(got.filters).toEqual(row.filters.map((f) => f ?? ok));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// TestPreFilterDisabled

describe("InterPodAffinity — TestPreFilterDisabled", () => {
  it("Filter without PreFilter state is an Error", () => {
    const { plugin, info } = setup([makeNode({ name: "n" })], [], []);
    expect(st(plugin.filter(new CycleState(), pod(), info("n")))).toEqual({
      code: "Error",
      reasons: [`error reading "PreFilterInterPodAffinity" from cycleState: not found`],
    });
  });

  it("AddPod / RemovePod without PreFilter state are Errors", () => {
    const { plugin, info } = setup([makeNode({ name: "n" })], [], []);
    const want = {
      code: "Error",
      reasons: [`error reading "PreFilterInterPodAffinity" from cycleState: not found`],
    };
    expect(st(plugin.addPod(new CycleState(), pod(), pod(), info("n")))).toEqual(want);
    expect(st(plugin.removePod(new CycleState(), pod(), pod(), info("n")))).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------------
// TestPreFilterStateAddRemovePod

describe("InterPodAffinity — TestPreFilterStateAddRemovePod", () => {
  const label1 = { region: "r1", zone: "z11" };
  const label2 = { region: "r1", zone: "z12" };
  const label3 = { region: "r2", zone: "z21" };
  const selector1 = { foo: "bar" };
  const antiFooBar = podAffinity([term("region", [req("foo", "In", ["bar"])])]);
  const complexTerms = [
    term("region", [req("foo", "In", ["bar", "buzz"])]),
    term("zone", [req("service", "NotIn", ["bar", "security", "test"])]),
  ];
  const antiComplex = podAffinity(complexTerms);
  const affinityComplex = podAffinity(complexTerms);
  const nodes = [node("nodeA", label1), node("nodeB", label2), node("nodeC", label3)];

  const rows = [
    {
      name: "anti-affinity terms are updated after adding and removing a pod",
      pending: pod({
        name: "pending",
        labels: selector1,
        affinity: { podAntiAffinity: antiFooBar },
      }),
      existing: [
        pod({ name: "p1", labels: selector1, nodeName: "nodeA" }),
        pod({ name: "p2", nodeName: "nodeC", affinity: { podAntiAffinity: antiFooBar } }),
      ],
      added: pod({
        name: "addedPod",
        labels: selector1,
        nodeName: "nodeB",
        affinity: { podAntiAffinity: antiFooBar },
      }),
      anti: { "region=r1": 2 },
      affinity: {},
    },
    {
      name: "complex anti-affinity terms are updated after adding and removing a pod",
      pending: pod({
        name: "pending",
        labels: selector1,
        affinity: { podAntiAffinity: antiComplex },
      }),
      existing: [
        pod({ name: "p1", labels: selector1, nodeName: "nodeA" }),
        pod({ name: "p2", nodeName: "nodeC", affinity: { podAntiAffinity: antiFooBar } }),
      ],
      added: pod({
        name: "addedPod",
        labels: selector1,
        nodeName: "nodeA",
        affinity: { podAntiAffinity: antiComplex },
      }),
      anti: { "region=r1": 2, "zone=z11": 2, "zone=z21": 1 },
      affinity: {},
    },
    {
      name: "affinity and anti-affinity are updated after adding and removing a pod",
      pending: pod({
        name: "pending",
        labels: selector1,
        affinity: { podAffinity: affinityComplex },
      }),
      existing: [
        pod({ name: "p1", labels: selector1, nodeName: "nodeA" }),
        pod({
          name: "p2",
          nodeName: "nodeC",
          affinity: { podAntiAffinity: antiFooBar, podAffinity: affinityComplex },
        }),
      ],
      added: pod({
        name: "addedPod",
        labels: selector1,
        nodeName: "nodeA",
        affinity: { podAntiAffinity: antiComplex },
      }),
      anti: {},
      affinity: { "region=r1": 2, "zone=z11": 2 },
    },
  ];

  const counters = (s: PreFilterState) => ({
    existingAnti: s.existingAntiAffinityCounts.toRecord(),
    affinity: s.affinityCounts.toRecord(),
    anti: s.antiAffinityCounts.toRecord(),
  });

  function preFiltered(pending: Pod, pods: readonly Pod[]) {
    const { snapshot, plugin, info } = setup(nodes, pods, []);
    const state = new CycleState();
    expect(st(plugin.preFilter(state, pending, snapshot.nodeInfoList).status)).toEqual(ok);
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!(s instanceof PreFilterState)) throw new Error("no PreFilter state");
    return { plugin, state, s, info };
  }

  it.each(rows)("$name", (row) => {
    const all = counters(preFiltered(row.pending, [...row.existing, row.added]).s);
    const { plugin, state, s, info } = preFiltered(row.pending, row.existing);
    const original = counters(s.clone());
    const addedNode = info(row.added.spec.nodeName);

    expect(st(plugin.addPod(state, row.pending, row.added, addedNode))).toEqual(ok);
    expect(s.antiAffinityCounts.toRecord()).toEqual(row.anti);
    expect(s.affinityCounts.toRecord()).toEqual(row.affinity);
    expect(counters(s)).toEqual(all);

    expect(st(plugin.removePod(state, row.pending, row.added, addedNode))).toEqual(ok);
    expect(counters(s)).toEqual(original);
  });

  it("clone is independent of the original", () => {
    const row = rows[0];
    if (!row) throw new Error("no row");
    const { s, info } = preFiltered(row.pending, row.existing);
    const copy = s.clone();
    copy.updateWithPod(row.added, info("nodeB").node, 1);
    expect(s.antiAffinityCounts.toRecord()).toEqual({ "region=r1": 1 });
    expect(copy.antiAffinityCounts.toRecord()).toEqual({ "region=r1": 2 });
  });
});

// ---------------------------------------------------------------------------------------------
// TestPreferredAffinity

describe("InterPodAffinity Score — TestPreferredAffinity", () => {
  const rgChina = { region: "China" };
  const rgIndia = { region: "India" };
  const azAz1 = { az: "az1" };
  const azAz2 = { az: "az2" };
  const rgChinaAzAz1 = { region: "China", az: "az1" };
  const s1 = { security: "S1" };
  const s2 = { security: "S2" };
  const sec = (op: Op, values: string[]) => [req("security", op, values)];

  const stayWithS1InRegion: Affinity = {
    podAffinity: podAffinity([], [weighted(5, term("region", sec("In", ["S1"])))]),
  };
  const stayWithS2InRegion: Affinity = {
    podAffinity: podAffinity([], [weighted(6, term("region", sec("In", ["S2"])))]),
  };
  const affinity3: Affinity = {
    podAffinity: podAffinity(
      [],
      [
        weighted(
          8,
          term("region", [req("security", "NotIn", ["S1"]), req("security", "In", ["S2"])]),
        ),
        weighted(2, term("region", [req("security", "Exists"), req("wrongkey", "DoesNotExist")])),
      ],
    ),
  };
  const hardAffinity: Affinity = {
    podAffinity: podAffinity([
      term("region", sec("In", ["S1", "value2"])),
      term("region", [req("security", "Exists"), req("wrongkey", "DoesNotExist")]),
    ]),
  };
  const awayFromS1InAz: Affinity = {
    podAntiAffinity: podAffinity([], [weighted(5, term("az", sec("In", ["S1"])))]),
  };
  const awayFromS2InAz: Affinity = {
    podAntiAffinity: podAffinity([], [weighted(5, term("az", sec("In", ["S2"])))]),
  };
  const stayWithS1InRegionAwayFromS2InAz: Affinity = {
    podAffinity: podAffinity([], [weighted(8, term("region", sec("In", ["S1"])))]),
    podAntiAffinity: podAffinity([], [weighted(5, term("az", sec("In", ["S2"])))]),
  };
  const nsSelectorTerm = term("region", sec("In", ["S1"]), {
    namespaces: ["subteam2.team2"],
    namespaceSelector: teamSelector("team1"),
  });
  const affinityNamespaceSelector: Affinity = {
    podAffinity: podAffinity([], [weighted(5, nsSelectorTerm)]),
  };
  const antiAffinityNamespaceSelector: Affinity = {
    podAntiAffinity: podAffinity([], [weighted(5, nsSelectorTerm)]),
  };
  const invalidAffinityLabels: Affinity = {
    podAffinity: podAffinity([], [weighted(8, term("region", sec("In", ["{{.bad-value.}}"])))]),
  };
  const invalidAntiAffinityLabels: Affinity = {
    podAntiAffinity: podAffinity([], [weighted(5, term("az", sec("In", ["{{.bad-value.}}"])))]),
  };

  type Row = {
    name: string;
    pod: Pod;
    pods: Pod[];
    nodes: Node[];
    expected?: [string, number][];
    ignorePreferredTermsOfExistingPods?: boolean;
    preScore?: { code: string; reasons: readonly string[] };
  };
  const three = [node("node1", rgChina), node("node2", rgIndia), node("node3", azAz1)];
  const rows: Row[] = [
    {
      name: "all nodes are the same priority as Affinity is nil: Skip",
      pod: pod({ labels: s1 }),
      pods: [],
      nodes: three,
      preScore: skip,
    },
    {
      name: "affinity: matching topology key and pods gets the high score",
      pod: pod({ labels: s1, affinity: stayWithS1InRegion }),
      pods: [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", labels: s2 }),
        pod({ nodeName: "node3", labels: s1 }),
      ],
      nodes: three,
      expected: [
        ["node1", 100],
        ["node2", 0],
        ["node3", 0],
      ],
    },
    {
      name: "all nodes sharing the topology value of a matching pod get the same score",
      pod: pod({ affinity: stayWithS1InRegion }),
      pods: [pod({ nodeName: "node1", labels: s1 })],
      nodes: [node("node1", rgChina), node("node2", rgChinaAzAz1), node("node3", rgIndia)],
      expected: [
        ["node1", 100],
        ["node2", 100],
        ["node3", 0],
      ],
    },
    {
      name: "affinity: the region with more matching pods gets the high score",
      pod: pod({ labels: s1, affinity: stayWithS2InRegion }),
      pods: ["node1", "node1", "node2", "node3", "node4", "node5"].map((n) =>
        pod({ nodeName: n, labels: s2 }),
      ),
      nodes: [
        node("node1", rgChina),
        node("node2", rgIndia),
        node("node3", rgChina),
        node("node4", rgChina),
        node("node5", rgIndia),
      ],
      expected: [
        ["node1", 100],
        ["node2", 0],
        ["node3", 100],
        ["node4", 100],
        ["node5", 0],
      ],
    },
    {
      name: "affinity: different operators and values, some match failures",
      pod: pod({ labels: s1, affinity: affinity3 }),
      pods: [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", labels: s2 }),
        pod({ nodeName: "node3", labels: s1 }),
      ],
      nodes: three,
      expected: [
        ["node1", 20],
        ["node2", 100],
        ["node3", 0],
      ],
    },
    {
      name: "affinity symmetry: existing pods' preferred terms",
      pod: pod({ labels: s2 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: stayWithS1InRegion }),
        pod({ nodeName: "node2", labels: s2, affinity: stayWithS2InRegion }),
      ],
      nodes: three,
      expected: [
        ["node1", 0],
        ["node2", 100],
        ["node3", 0],
      ],
    },
    {
      name: "affinity symmetry with a namespace selector",
      pod: pod({ namespace: "subteam1.team1", labels: s1 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: affinityNamespaceSelector }),
        pod({ nodeName: "node2", labels: s2, affinity: stayWithS2InRegion }),
      ],
      nodes: three,
      expected: [
        ["node1", 100],
        ["node2", 0],
        ["node3", 0],
      ],
    },
    {
      name: "anti-affinity symmetry with a namespace selector",
      pod: pod({ namespace: "subteam1.team1", labels: s1 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: antiAffinityNamespaceSelector }),
        pod({ nodeName: "node2", labels: s2, affinity: stayWithS2InRegion }),
      ],
      nodes: three,
      expected: [
        ["node1", 0],
        ["node2", 100],
        ["node3", 100],
      ],
    },
    {
      name: "affinity symmetry: existing pods' required terms (hardPodAffinityWeight 1)",
      pod: pod({ labels: s1 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: hardAffinity }),
        pod({ nodeName: "node2", labels: s2, affinity: hardAffinity }),
      ],
      nodes: three,
      expected: [
        ["node1", 100],
        ["node2", 100],
        ["node3", 0],
      ],
    },
    {
      name: "anti-affinity: the node without matching pods gets the high score",
      pod: pod({ labels: s1, affinity: awayFromS1InAz }),
      pods: [pod({ nodeName: "node1", labels: s1 }), pod({ nodeName: "node2", labels: s2 })],
      nodes: [node("node1", azAz1), node("node2", rgChina)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "anti-affinity: the node without the topology key gets the high score",
      pod: pod({ labels: s1, affinity: awayFromS1InAz }),
      pods: [pod({ nodeName: "node1", labels: s1 }), pod({ nodeName: "node2", labels: s1 })],
      nodes: [node("node1", azAz1), node("node2", rgChina)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "anti-affinity: the node with more matching pods gets the low score",
      pod: pod({ labels: s1, affinity: awayFromS1InAz }),
      pods: [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", labels: s2 }),
      ],
      nodes: [node("node1", azAz1), node("node2", rgIndia)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "anti-affinity symmetry",
      pod: pod({ labels: s2 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: awayFromS2InAz }),
        pod({ nodeName: "node2", labels: s2, affinity: awayFromS1InAz }),
      ],
      nodes: [node("node1", azAz1), node("node2", azAz2)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "affinity and anti-affinity preferred terms",
      pod: pod({ labels: s1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      pods: [pod({ nodeName: "node1", labels: s1 }), pod({ nodeName: "node2", labels: s1 })],
      nodes: [node("node1", rgChina), node("node2", azAz1)],
      expected: [
        ["node1", 100],
        ["node2", 0],
      ],
    },
    {
      name: "affinity and anti-affinity, pods with the same labels",
      pod: pod({ labels: s1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      pods: ["node1", "node1", "node2", "node3", "node3", "node4", "node5"].map((n) =>
        pod({ nodeName: n, labels: s1 }),
      ),
      nodes: [
        node("node1", rgChinaAzAz1),
        node("node2", rgIndia),
        node("node3", rgChina),
        node("node4", rgChina),
        node("node5", rgIndia),
      ],
      expected: [
        ["node1", 100],
        ["node2", 0],
        ["node3", 100],
        ["node4", 100],
        ["node5", 0],
      ],
    },
    {
      name: "affinity, anti-affinity and symmetry together",
      pod: pod({ labels: s1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      pods: [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", labels: s2 }),
        pod({ nodeName: "node3", affinity: stayWithS1InRegionAwayFromS2InAz }),
        pod({ nodeName: "node4", affinity: awayFromS1InAz }),
      ],
      nodes: [
        node("node1", rgChina),
        node("node2", azAz1),
        node("node3", rgIndia),
        node("node4", azAz2),
      ],
      expected: [
        ["node1", 100],
        ["node2", 0],
        ["node3", 100],
        ["node4", 0],
      ],
    },
    {
      name: "partial nodes in a topology without pods with affinity (issue 82796)",
      pod: pod({ labels: s1 }),
      pods: [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", affinity: stayWithS1InRegionAwayFromS2InAz }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgChina)],
      expected: [
        ["node1", 0],
        ["node2", 0],
      ],
    },
    {
      name: "invalid affinity fails PreScore",
      pod: pod({ affinity: invalidAffinityLabels }),
      pods: [],
      nodes: [node("node1", rgChina), node("node2", rgChina)],
      preScore: {
        code: "Error",
        reasons: [
          `failed to parse pod: preferredAffinityTerms: ${BAD_VALUE_MSG.replace("service", "security")}`,
        ],
      },
    },
    {
      name: "invalid anti-affinity fails PreScore",
      pod: pod({ affinity: invalidAntiAffinityLabels }),
      pods: [],
      nodes: [node("node1", rgChina), node("node2", rgChina)],
      preScore: {
        code: "Error",
        reasons: [
          `failed to parse pod: preferredAntiAffinityTerms: ${BAD_VALUE_MSG.replace("service", "security")}`,
        ],
      },
    },
    {
      name: "affinity with pods matching the namespaceSelector",
      pod: pod({ namespace: "subteam1.team1", labels: s1, affinity: affinityNamespaceSelector }),
      pods: [
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team2", labels: s1 }),
        pod({ nodeName: "node2", namespace: "subteam2.team1", labels: s1 }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      expected: [
        ["node1", 100],
        ["node2", 0],
      ],
    },
    {
      name: "affinity with pods matching both the namespaceSelector and namespaces",
      pod: pod({ namespace: "subteam1.team1", labels: s1, affinity: affinityNamespaceSelector }),
      pods: [
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam2.team2", labels: s1 }),
        pod({ nodeName: "node2", namespace: "subteam2.team1", labels: s1 }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      expected: [
        ["node1", 100],
        ["node2", 0],
      ],
    },
    {
      name: "anti-affinity with pods matching the namespaceSelector",
      pod: pod({
        namespace: "subteam1.team1",
        labels: s1,
        affinity: antiAffinityNamespaceSelector,
      }),
      pods: [
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team2", labels: s1 }),
        pod({ nodeName: "node2", namespace: "subteam2.team1", labels: s1 }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "anti-affinity with pods matching both the namespaceSelector and namespaces",
      pod: pod({
        namespace: "subteam1.team1",
        labels: s1,
        affinity: antiAffinityNamespaceSelector,
      }),
      pods: [
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam1.team1", labels: s1 }),
        pod({ nodeName: "node1", namespace: "subteam2.team2", labels: s1 }),
        pod({ nodeName: "node2", namespace: "subteam2.team1", labels: s1 }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "ignore preferred terms of existing pods: Skip",
      pod: pod({ labels: s2 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: stayWithS1InRegionAwayFromS2InAz }),
        pod({ nodeName: "node2", labels: s2, affinity: stayWithS2InRegion }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      ignorePreferredTermsOfExistingPods: true,
      preScore: skip,
    },
    {
      name: "do not ignore preferred terms of existing pods",
      pod: pod({ labels: s2 }),
      pods: [
        pod({ nodeName: "node1", labels: s1, affinity: stayWithS1InRegionAwayFromS2InAz }),
        pod({ nodeName: "node2", labels: s2, affinity: stayWithS2InRegion }),
      ],
      nodes: [node("node1", rgChina), node("node2", rgIndia)],
      expected: [
        ["node1", 0],
        ["node2", 100],
      ],
    },
    {
      name: "no nodes to score: Skip",
      pod: pod({ labels: s2 }),
      pods: [],
      nodes: [],
      preScore: skip,
    },
  ];

  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(rows)("$name", async (row) => {
      const args = {
        hardPodAffinityWeight: 1,
        ignorePreferredTermsOfExistingPods: row.ignorePreferredTermsOfExistingPods ?? false,
      };
      const got = await runScoresOn(engine, row.pod, row.nodes, row.pods, args);
      expect(got.preScore).toEqual(statusOn(engine, row.preScore ?? ok));
      if (row.expected) expect(got.scores).toEqual(scoresOf(...row.expected));
      if (engine === "wasm" && got.raw !== undefined) {
        expect(got.raw).toEqual(runScores(row.pod, row.nodes, row.pods, args).raw);
      }
    });

    it("raw scores: affinity3 sums weights per region (2, 10, 0)", async () => {
      const got = await runScoresOn(engine, pod({ labels: s1, affinity: affinity3 }), three, [
        pod({ nodeName: "node1", labels: s1 }),
        pod({ nodeName: "node2", labels: s2 }),
        pod({ nodeName: "node3", labels: s1 }),
      ]);
      expect(got.raw).toEqual(scoresOf(["node1", 2], ["node2", 10], ["node3", 0]));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// TestPreferredAffinityWithHardPodAffinitySymmetricWeight

describe("InterPodAffinity Score — TestPreferredAffinityWithHardPodAffinitySymmetricWeight", () => {
  const serviceS1 = { service: "S1" };
  const hardPodAffinity: Affinity = {
    podAffinity: podAffinity([
      term("region", [req("service", "In", ["S1"])], {
        namespaces: ["default", "subteam2.team2"],
        namespaceSelector: teamSelector("team1"),
      }),
    ]),
  };
  const nodes = [
    node("node1", { region: "China" }),
    node("node2", { region: "India" }),
    node("node3", { az: "az1" }),
  ];
  const existing = () => [
    pod({ nodeName: "node1", affinity: hardPodAffinity }),
    pod({ nodeName: "node2", affinity: hardPodAffinity }),
  ];
  const rows = [
    { name: "with default weight", namespace: "default", weight: 1, skip: false },
    { name: "with zero weight", namespace: "default", weight: 0, skip: true },
    { name: "with no matching namespace", namespace: "subteam1.team2", weight: 1, skip: true },
    {
      name: "with matching NamespaceSelector",
      namespace: "subteam1.team1",
      weight: 1,
      skip: false,
    },
    { name: "with matching Namespaces", namespace: "subteam2.team2", weight: 1, skip: false },
  ];

  describe.each(ENGINES)("[%s]", (engine) => {
    it.each(rows)("$name", async (row) => {
      const incoming = pod({ namespace: row.namespace, labels: serviceS1 });
      const got = await runScoresOn(engine, incoming, nodes, existing(), {
        hardPodAffinityWeight: row.weight,
      });
      if (row.skip) {
        expect(got.preScore).toEqual(skip);
        return;
      }
      expect(got.preScore).toEqual(ok);
      expect(got.scores).toEqual(scoresOf(["node1", 100], ["node2", 100], ["node3", 0]));
    });

    it("the weight is what each existing pod's required term adds (raw 7 per region)", async () => {
      const got = await runScoresOn(engine, pod({ labels: serviceS1 }), nodes, existing(), {
        hardPodAffinityWeight: 7,
      });
      expect(got.raw).toEqual(scoresOf(["node1", 7], ["node2", 7], ["node3", 0]));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// gantry's own cases (semantics §4.10, §6)

describe.each(ENGINES)(
  "InterPodAffinity — term model and normalization edge cases [%s]",
  (engine) => {
    const nodes = [node("n1", { zone: "a" }), node("n2", { zone: "b" }), node("n3", { zone: "c" })];

    it("NormalizeScore truncates 100 × (raw − min) / (max − min) with negative raws", async () => {
      // Preferred anti-affinity −3 on zone a, affinity +4 on zone c: raws −3, 0, 4.
      const incoming = pod({
        affinity: {
          podAffinity: podAffinity([], [weighted(4, term("zone", [req("app", "In", ["c"])]))]),
          podAntiAffinity: podAffinity([], [weighted(3, term("zone", [req("app", "In", ["a"])]))]),
        },
      });
      const got = await runScoresOn(engine, incoming, nodes, [
        pod({ nodeName: "n1", labels: { app: "a" } }),
        pod({ nodeName: "n3", labels: { app: "c" } }),
      ]);
      expect(got.raw).toEqual(scoresOf(["n1", -3], ["n2", 0], ["n3", 4]));
      // 100 × 3/7 = 42.86 → 42.
      expect(got.scores).toEqual(scoresOf(["n1", 0], ["n2", 42], ["n3", 100]));
    });

    it("NormalizeScore gives 0 everywhere when all raws are equal and positive (§6)", async () => {
      const incoming = pod({
        affinity: {
          podAffinity: podAffinity([], [weighted(5, term("region", [req("app", "Exists")]))]),
        },
      });
      const got = await runScoresOn(
        engine,
        incoming,
        [node("n1", { region: "r" }), node("n2", { region: "r" })],
        [pod({ nodeName: "n1", labels: { app: "x" } })],
      );
      expect(got.raw).toEqual(scoresOf(["n1", 5], ["n2", 5]));
      expect(got.scores).toEqual(scoresOf(["n1", 0], ["n2", 0]));
    });

    it("a nil labelSelector matches no pod; {} matches every pod of the namespace", async () => {
      const existing = [pod({ nodeName: "n1", labels: { app: "x" } })];
      const nilSelector = pod({
        affinity: required([], [{ ...term("zone", []), labelSelector: undefined }]),
      });
      expect((await runFiltersOn(engine, nilSelector, nodes, existing)).filters).toEqual([
        ok,
        ok,
        ok,
      ]);
      const emptySelector = pod({ affinity: required([], [term("zone", [])]) });
      expect((await runFiltersOn(engine, emptySelector, nodes, existing)).filters).toEqual([
        antiFail,
        ok,
        ok,
      ]);
      const otherNamespace = [pod({ nodeName: "n1", namespace: "other", labels: { app: "x" } })];
      expect((await runFiltersOn(engine, emptySelector, nodes, otherNamespace)).filters).toEqual([
        ok,
        ok,
        ok,
      ]);
    });

    it("terminating pods count (unlike PodTopologySpread)", async () => {
      const incoming = pod({ affinity: required([], [term("zone", [req("app", "Exists")])]) });
      const terminating = pod({
        nodeName: "n2",
        labels: { app: "x" },
        deletionTimestamp: "2026-01-01T00:00:00Z",
      });
      expect((await runFiltersOn(engine, incoming, nodes, [terminating])).filters).toEqual([
        ok,
        antiFail,
        ok,
      ]);
    });

    it("matchLabelKeys / mismatchLabelKeys add In / NotIn on the owner's label values", async () => {
      const existing = [
        pod({ nodeName: "n1", labels: { app: "web", version: "v1" } }),
        pod({ nodeName: "n2", labels: { app: "web", version: "v2" } }),
        pod({ nodeName: "n3", labels: { app: "db", version: "v1" } }),
      ];
      const labels = { app: "web", version: "v1" };
      const matchKeys = pod({
        labels,
        affinity: required(
          [],
          [term("zone", [req("app", "Exists")], { matchLabelKeys: ["app", "absent"] })],
        ),
      });
      expect((await runFiltersOn(engine, matchKeys, nodes, existing)).filters).toEqual([
        antiFail,
        antiFail,
        ok,
      ]);
      const mismatchKeys = pod({
        labels,
        affinity: required(
          [],
          [term("zone", [req("app", "In", ["web"])], { mismatchLabelKeys: ["version"] })],
        ),
      });
      expect((await runFiltersOn(engine, mismatchKeys, nodes, existing)).filters).toEqual([
        ok,
        antiFail,
        ok,
      ]);
    });

    it("an existing pod's namespaceSelector is matched against the incoming pod's Namespace labels", async () => {
      const incoming = pod({ namespace: "subteam2.team1", labels: { app: "x" } });
      const existing = [
        pod({
          nodeName: "n1",
          affinity: required(
            [],
            [term("zone", [req("app", "Exists")], { namespaceSelector: teamSelector("team1") })],
          ),
        }),
      ];
      expect((await runFiltersOn(engine, incoming, nodes, existing)).filters).toEqual([
        existingFail,
        ok,
        ok,
      ]);
      // Without the Namespace object the incoming pod's namespace has no labels: no match, Skip.
      expect((await runFiltersOn(engine, incoming, nodes, existing, [])).preFilter).toEqual(skip);
    });
  },
);

describe("InterPodAffinity — term model and normalization edge cases", () => {
  const nodes = [node("n1", { zone: "a" }), node("n2", { zone: "b" }), node("n3", { zone: "c" })];

  it("NormalizeScore leaves the scores alone when the topology scores are empty", () => {
    const { plugin } = setup(nodes, [], []);
    const state = new CycleState();
    // A PreScore that produced nothing returns Skip; NormalizeScore on such a state is a no-op.
    state.write("PreScoreInterPodAffinity", {
      topologyScore: { size: 0 },
      podInfo: undefined,
      namespaceLabels: undefined,
    });
    const scores = scoresOf(["n1", 3], ["n2", -1]);
    expect(st(plugin.normalizeScore(state, pod(), scores))).toEqual(ok);
    expect(scores).toEqual(scoresOf(["n1", 3], ["n2", -1]));
  });

  it("an invalid operator, key or value count is a parse error", () => {
    const bad = (expr: LabelSelectorRequirement) =>
      runFilters(pod({ affinity: required([], [term("zone", [expr])]) }), nodes, []).preFilter;
    expect(bad(req("app", "In"))).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [
        "parsing pod: requiredAntiAffinityTerms: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
      ],
    });
    expect(bad(req("app", "Exists", ["x"]))).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [
        `parsing pod: requiredAntiAffinityTerms: values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
      ],
    });
    expect(bad({ key: "app", operator: "Gt" as Op, values: ["1"] })).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [
        `parsing pod: requiredAntiAffinityTerms: "Gt" is not a valid label selector operator`,
      ],
    });
  });

  it("parse errors of several lists are aggregated in brackets", () => {
    const incoming = pod({
      affinity: {
        podAffinity: podAffinity([term("zone", [req("a", "In")])]),
        podAntiAffinity: podAffinity([], [weighted(1, term("zone", [req("b", "NotIn")]))]),
      },
    });
    const empty =
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty";
    expect(runFilters(incoming, nodes, []).preFilter).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [
        `parsing pod: [requiredAffinityTerms: ${empty}, preferredAntiAffinityTerms: ${empty}]`,
      ],
    });
  });

  it("rejects hardPodAffinityWeight outside 0..100", () => {
    const snapshot = new Snapshot([], []);
    expect(() => newInterPodAffinity({ hardPodAffinityWeight: 101 }, handleOf(snapshot))).toThrow(
      "hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]",
    );
  });
});
