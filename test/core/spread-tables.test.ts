/**
 * PodTopologySpread's upstream table rows on the WebAssembly core: representative rows of
 * TestSingleConstraint, TestMultipleConstraints, TestPreScoreSkip and TestPodTopologySpreadScore
 * (copied, with their hand-checked expectations, from test/reference/plugins/podtopologyspread
 * .test.ts), run through a whole explain-mode cycle over a profile holding only
 * PodTopologySpread: `WasmScheduler.evaluate` on the core, the framework's `explain` on the
 * reference (so the harness itself is checked against the same expectations).
 *
 * Filter rows compare each node's verdict: S (feasible), U (skew: core code PodTopologySpread)
 * or UU (missing topology key: PodTopologySpreadMissingLabel, reason "… (missing required
 * label)"). Score rows compare the normalized scores of the candidate nodes (the table's failed
 * nodes stay in the snapshot but are not candidates, as upstream's PreScore over a subset), and
 * on the core also the raw scores, the PreScore skip, totals = weight × score, and the selected
 * node against the reference's with the same seed.
 */
import { describe, expect, it } from "vitest";
import { EXTENSION_POINTS } from "../../src/config/names.ts";
import type { PluginRef, PodTopologySpreadArgs, Profile } from "../../src/config/types.ts";
import { CoreCode, WasmScheduler } from "../../src/core/scheduler.ts";
import type {
  KeptObject,
  LabelSelector,
  Labels,
  Node,
  Pod,
  TopologySpreadConstraint,
} from "../../src/model/types.ts";
import { defaultRegistry, explain, newFramework, Snapshot } from "../../src/reference/index.ts";
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
} from "../../src/reference/plugins/podtopologyspread/index.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { makeNode, makePod, type PodOptions } from "../helpers/builders.ts";

const ENGINES = ["reference", "wasm"] as const;
type Engine = (typeof ENGINES)[number];

const SEED = 7;
const WEIGHT = 2;
const registry = defaultRegistry();

const HOST = "kubernetes.io/hostname";
const LIST: PodTopologySpreadArgs = {
  kind: "PodTopologySpreadArgs",
  defaultingType: "List",
  defaultConstraints: [],
};
const SYSTEM: PodTopologySpreadArgs = { ...LIST, defaultingType: "System" };

// ---------------------------------------------------------------------------------------------
// Table vocabulary (as in test/reference/plugins/podtopologyspread.test.ts)

const exists = (key: string): LabelSelector => ({
  matchLabels: {},
  matchExpressions: [{ key, operator: "Exists", values: [] }],
});
const fooSelector = exists("foo");
const barSelector = exists("bar");
const labelSel = (matchLabels: Labels): LabelSelector => ({ matchLabels, matchExpressions: [] });
const taints = [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" as const }];

type When = TopologySpreadConstraint["whenUnsatisfiable"];
function tsc(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: When,
  labelSelector?: LabelSelector,
  extra: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint {
  return {
    maxSkew,
    topologyKey,
    whenUnsatisfiable,
    ...(labelSelector ? { labelSelector } : {}),
    matchLabelKeys: [],
    ...extra,
  };
}
const hard = (
  maxSkew: number,
  key: string,
  sel?: LabelSelector,
  e?: Partial<TopologySpreadConstraint>,
) => tsc(maxSkew, key, "DoNotSchedule", sel, e);
const soft = (maxSkew: number, key: string, sel?: LabelSelector) =>
  tsc(maxSkew, key, "ScheduleAnyway", sel);

/** The incoming pod `p`. */
const pod = (labels: Labels, constraints: TopologySpreadConstraint[], o: PodOptions = {}) =>
  makePod({ name: "p", labels, topologySpreadConstraints: constraints, ...o });
/** An existing pod bound to `node`. */
const on = (name: string, node: string, labels: Labels, o: PodOptions = {}) =>
  makePod({ name, nodeName: node, labels, ...o });
/** A node with exactly these labels (no default hostname label unless given). */
function node(name: string, labels: Labels, o: { taints?: typeof taints } = {}): Node {
  const n = makeNode({ name, ...(o.taints ? { taints: o.taints } : {}) });
  return { ...n, metadata: { ...n.metadata, labels } };
}
const zn = (name: string, zone: string) => node(name, { zone, node: name });
const abxy = () => [
  zn("node-a", "zone1"),
  zn("node-b", "zone1"),
  zn("node-x", "zone2"),
  zn("node-y", "zone2"),
];
const foos = (...spec: [string, string][]) => spec.map(([n, nd]) => on(n, nd, { foo: "" }));

function kept(kind: "Service" | "StatefulSet", name: string, selector: unknown): KeptObject {
  const n = makeNode({ name });
  return {
    apiVersion: kind === "Service" ? "v1" : "apps/v1",
    kind,
    metadata: { ...n.metadata, name, namespace: "default" },
    body: { spec: { selector } },
    source: { file: "<test>" },
  };
}
function withOwner(p: Pod, kind: string, name: string): Pod {
  return {
    ...p,
    metadata: {
      ...p.metadata,
      ownerReferences: [
        { apiVersion: "apps/v1", kind, name, uid: `uid-${name}`, controller: true },
      ],
    },
  };
}
function nodeAffinity(key: string, operator: "In" | "NotIn", values: string[]) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }], matchFields: [] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running a row on either engine

/** A profile holding only PodTopologySpread at (Pre)Filter and/or (Pre)Score. */
function spreadProfile(at: "filter" | "score", args: PodTopologySpreadArgs): Profile {
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, [] as PluginRef[]]));
  const ref = (weight: number): PluginRef[] => [{ name: "PodTopologySpread", weight }];
  if (at === "filter") {
    plugins.preFilter = ref(0);
    plugins.filter = ref(0);
  } else {
    plugins.preScore = ref(0);
    plugins.score = ref(WEIGHT);
  }
  return {
    schedulerName: "default-scheduler",
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig: new Map([["PodTopologySpread", args]]),
  };
}

type Verdict = "S" | "U" | "UU";

interface Outcome {
  /** Every node's Filter verdict (filter rows). */
  readonly verdicts: Record<string, Verdict | string>;
  /** Whether PodTopologySpread skipped PreScore (score rows). */
  readonly skipped: boolean;
  /** Candidate → normalized / raw score, in the rows' candidate order (score rows). */
  readonly scores: Record<string, number>;
  readonly raw: Record<string, number>;
  readonly selected: string | null;
}

interface Row {
  readonly pod: Pod;
  /** Nodes scored (score rows) — every node for filter rows. */
  readonly nodes: readonly Node[];
  /** Score rows: nodes in the snapshot that are not candidates (they "failed" Filter). */
  readonly failed?: readonly Node[];
  readonly pods?: readonly Pod[];
  readonly args: PodTopologySpreadArgs;
  readonly objs?: readonly KeptObject[];
}

async function run(engine: Engine, at: "filter" | "score", r: Row): Promise<Outcome> {
  const all = [...r.nodes, ...(r.failed ?? [])];
  const candidates = r.nodes.map((n) => n.metadata.name);
  const restrict = at === "score" && (r.failed ?? []).length > 0;
  const profile = spreadProfile(at, r.args);
  const objects = { kept: r.objs ?? [] };
  if (engine === "reference") {
    const res = explain(
      r.pod,
      new Snapshot(all, r.pods ?? [], objects),
      newFramework(profile, registry),
      { rng: new Pcg32(SEED), ...(restrict ? { candidates } : {}) },
    );
    expect(res.error).toBeUndefined();
    const verdicts: Record<string, string> = {};
    const scores: Record<string, number> = {};
    const raw: Record<string, number> = {};
    for (const n of res.nodes) {
      if (n.feasible) verdicts[n.name] = "S";
      else if (n.filter?.plugin !== "PodTopologySpread") verdicts[n.name] = "other";
      else if (n.filter.reasons[0] === ERR_REASON_NODE_LABEL_NOT_MATCH) {
        expect(n.filter.code).toBe("UnschedulableAndUnresolvable");
        verdicts[n.name] = "UU";
      } else {
        expect(n.filter).toMatchObject({
          code: "Unschedulable",
          reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH],
        });
        verdicts[n.name] = "U";
      }
    }
    for (const name of candidates) {
      const s = res.nodes.find((n) => n.name === name)?.scores?.PodTopologySpread;
      if (s === undefined) continue;
      scores[name] = s.normalized;
      raw[name] = s.raw;
    }
    return {
      verdicts,
      skipped: res.skipped.preScore.includes("PodTopologySpread"),
      scores,
      raw,
      selected: res.selected,
    };
  }
  const core = await WasmScheduler.create({
    nodes: all,
    boundPods: r.pods ?? [],
    profile,
    seed: SEED,
    objects,
    build: "debug",
  });
  const names = core.nodeNames;
  const ev = core.evaluate(
    r.pod,
    restrict ? new Set(candidates.map((c) => names.indexOf(c))) : undefined,
  );
  expect(ev.error).toBeUndefined();
  const verdicts: Record<string, string> = {};
  names.forEach((name, i) => {
    const code = ev.codes[i] as number;
    verdicts[name] =
      code === CoreCode.Pass
        ? "S"
        : code === CoreCode.PodTopologySpread
          ? "U"
          : code === CoreCode.PodTopologySpreadMissingLabel
            ? "UU"
            : `code ${code}`;
  });
  const scores: Record<string, number> = {};
  const raw: Record<string, number> = {};
  const byName = new Map(ev.feasible.map((node, p) => [names[node] as string, ev.scores[p]]));
  if (at === "score") {
    for (const [name, sc] of byName) {
      // The only score plugin: every total is its weighted normalized score (0 when skipped).
      expect({ name, total: sc?.total }).toEqual({
        name,
        total: ev.skipped.spread ? 0 : WEIGHT * (sc?.spread ?? Number.NaN),
      });
    }
    if (!ev.skipped.spread) {
      for (const name of candidates) {
        const sc = byName.get(name);
        if (sc === undefined) continue;
        scores[name] = sc.spread;
        raw[name] = sc.spreadRaw;
      }
    }
  }
  return {
    verdicts,
    skipped: ev.skipped.spread,
    scores,
    raw,
    selected: ev.selected < 0 ? null : (names[ev.selected] ?? null),
  };
}

/** Runs a filter row on `engine`; on the core also checks the selection against the reference. */
async function expectVerdicts(engine: Engine, r: Row, want: Record<string, Verdict>) {
  const got = await run(engine, "filter", r);
  expect(got.verdicts).toEqual(want);
  if (engine === "wasm") {
    const ref = await run("reference", "filter", r);
    expect({ selected: got.selected }).toEqual({ selected: ref.selected });
  }
}

/** Runs a score row on `engine`: normalized scores as the table says, the rest as the reference. */
async function expectScores(engine: Engine, r: Row, want: Record<string, number> | "Skip") {
  const got = await run(engine, "score", r);
  if (want === "Skip") {
    expect({ skipped: got.skipped, scores: got.scores }).toEqual({ skipped: true, scores: {} });
  } else {
    expect({ skipped: got.skipped, scores: got.scores }).toEqual({ skipped: false, scores: want });
  }
  if (engine === "wasm") {
    const ref = await run("reference", "score", r);
    expect({ raw: got.raw, selected: got.selected }).toEqual({
      raw: ref.raw,
      selected: ref.selected,
    });
  }
  return got;
}

// ---------------------------------------------------------------------------------------------
// Rows

const S = "S";
const U = "U";
const UU = "UU";

const twoOneZeroThree = () =>
  foos(
    ["p-a1", "node-a"],
    ["p-a2", "node-a"],
    ["p-b1", "node-b"],
    ["p-y1", "node-y"],
    ["p-y2", "node-y"],
    ["p-y3", "node-y"],
  );
const fooNodes = (o: { taintY?: boolean } = {}) => [
  node("node-a", { node: "node-a", foo: "" }),
  node("node-b", { node: "node-b", foo: "" }),
  node("node-x", { node: "node-x", foo: "" }),
  node("node-y", { node: "node-y" }, o.taintY ? { taints } : {}),
];
const incl = () => foos(["p-b1", "node-a"], ["p-b2", "node-b"], ["p-y1", "node-y"]);

const SINGLE: [string, Row, Record<string, Verdict>][] = [
  [
    "existing pods in a different namespace do not count",
    {
      pod: pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      nodes: abxy(),
      pods: [
        on("p-a1", "node-a", { foo: "" }, { namespace: "ns1" }),
        on("p-b1", "node-a", { foo: "" }, { namespace: "ns2" }),
        ...foos(["p-x1", "node-x"], ["p-y1", "node-y"]),
      ],
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
  ],
  [
    "existing pods do not match null selector",
    {
      pod: pod({ foo: "" }, [hard(1, "zone")]),
      nodes: abxy(),
      pods: foos(["p-x1", "node-x"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
  ],
  [
    "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
    {
      pod: pod({ foo: "" }, [hard(1, "zone", fooSelector)]),
      nodes: [
        zn("node-a", "zone1"),
        node("node-b", { zon: "zone1", node: "node-b" }),
        zn("node-x", "zone2"),
        zn("node-y", "zone2"),
      ],
      pods: foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-x1", "node-x"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": S, "node-b": UU, "node-x": U, "node-y": U },
  ],
  [
    "pod cannot be scheduled as all nodes don't have label 'rack'",
    {
      pod: pod({ foo: "" }, [hard(1, "rack", fooSelector)]),
      nodes: [zn("node-a", "zone1"), zn("node-x", "zone2")],
      args: LIST,
    },
    { "node-a": UU, "node-x": UU },
  ],
  [
    "pods spread across nodes as 2/1/0/3, only node-x fits",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      nodes: abxy(),
      pods: twoOneZeroThree(),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
  ],
  [
    "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
    {
      pod: pod({ bar: "" }, [hard(1, "node", fooSelector)]),
      nodes: abxy(),
      pods: twoOneZeroThree(),
      args: LIST,
    },
    { "node-a": U, "node-b": S, "node-x": S, "node-y": U },
  ],
  [
    "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector)], {
        affinity: nodeAffinity("node", "In", ["node-a", "node-y"]),
      }),
      nodes: abxy(),
      pods: twoOneZeroThree(),
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": S, "node-y": U },
  ],
  [
    "incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits",
    {
      pod: pod({ foo: "" }, [hard(1, "zone", fooSelector)], {
        affinity: nodeAffinity("node", "NotIn", ["node-b"]),
      }),
      nodes: abxy(),
      pods: foos(["p-b1", "node-b"], ["p-b2", "node-b"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
  ],
  [
    "terminating Pods should be excluded",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      nodes: [node("node-a", { node: "node-a" }), node("node-b", { node: "node-b" })],
      pods: [
        on("p-a", "node-a", { foo: "" }, { deletionTimestamp: "2025-01-01T00:00:00Z" }),
        on("p-b", "node-b", { foo: "" }),
      ],
      args: LIST,
    },
    { "node-a": S, "node-b": U },
  ],
  [
    "2/2/1, maxSkew 2, domains < minDomains (4): the third node fits",
    {
      pod: pod({ foo: "" }, [hard(2, "node", fooSelector, { minDomains: 4 })]),
      nodes: [
        node("node-a", { node: "node-a" }),
        node("node-b", { node: "node-b" }),
        node("node-c", { node: "node-c" }),
      ],
      pods: foos(
        ["p-a1", "node-a"],
        ["p-a2", "node-a"],
        ["p-b1", "node-b"],
        ["p-b2", "node-b"],
        ["p-c1", "node-c"],
      ),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-c": S },
  ],
  [
    "zone 2/1, maxSkew 2, domains < minDomains (3): the third and fourth nodes fit",
    {
      pod: pod({ foo: "" }, [hard(2, "zone", fooSelector, { minDomains: 3 })]),
      nodes: abxy(),
      pods: foos(["p-b1", "node-a"], ["p-b2", "node-b"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
  ],
  [
    "NodeAffinityPolicy honored with labelSelectors",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector)], { nodeSelector: { foo: "" } }),
      nodes: fooNodes(),
      pods: incl(),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
  ],
  [
    "NodeAffinityPolicy ignored with labelSelectors",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector, { nodeAffinityPolicy: "Ignore" })], {
        nodeSelector: { foo: "" },
      }),
      nodes: fooNodes(),
      pods: incl(),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
  ],
  [
    "NodeTaintsPolicy honored",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector, { nodeTaintsPolicy: "Honor" })]),
      nodes: fooNodes({ taintY: true }),
      pods: incl(),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": S },
  ],
  [
    "NodeTaintsPolicy ignored",
    {
      pod: pod({ foo: "" }, [hard(1, "node", fooSelector)]),
      nodes: fooNodes({ taintY: true }),
      pods: incl(),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
  ],
  [
    "§6: an empty {} selector counts 0 but the pod matches itself (skew 1 everywhere)",
    {
      pod: pod({ foo: "" }, [hard(1, "zone", labelSel({}))]),
      nodes: abxy(),
      pods: twoOneZeroThree(),
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": S, "node-y": S },
  ],
];

const zoneNode = (sz = fooSelector, sn = fooSelector) => [hard(1, "zone", sz), hard(1, "node", sn)];

const MULTIPLE: [string, Row, Record<string, Verdict>][] = [
  [
    "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
    { pod: pod({ foo: "" }, zoneNode()), nodes: abxy(), pods: twoOneZeroThree(), args: LIST },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
  ],
  [
    "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
    {
      pod: pod({ foo: "" }, zoneNode()),
      nodes: abxy(),
      pods: [...twoOneZeroThree(), ...foos(["p-y4", "node-y"])],
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": U, "node-y": U },
  ],
  [
    "Constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]",
    {
      pod: pod({ foo: "", bar: "" }, zoneNode(fooSelector, barSelector)),
      nodes: abxy(),
      pods: [
        on("p-a1", "node-a", { foo: "" }),
        on("p-a2", "node-a", { foo: "", bar: "" }),
        on("p-y1", "node-y", { foo: "" }),
        on("p-y2", "node-y", { foo: "", bar: "" }),
        on("p-y3", "node-y", { foo: "" }),
      ],
      args: LIST,
    },
    { "node-a": U, "node-b": S, "node-x": U, "node-y": U },
  ],
  [
    "Constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
    {
      pod: pod({ bar: "" }, zoneNode(fooSelector, barSelector)),
      nodes: abxy(),
      pods: [
        on("p-a1", "node-a", { foo: "" }),
        on("p-x1", "node-x", { bar: "" }),
        on("p-y1", "node-y", { bar: "" }),
      ],
      args: LIST,
    },
    { "node-a": S, "node-b": S, "node-x": U, "node-y": U },
  ],
  [
    "two Constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
    {
      pod: pod({ foo: "" }, zoneNode()),
      nodes: [
        zn("node-a", "zone1"),
        zn("node-b", "zone1"),
        node("node-x", { zone: "zone2" }),
        zn("node-y", "zone2"),
      ],
      pods: foos(["p-a1", "node-a"], ["p-y3", "node-y"]),
      args: LIST,
    },
    { "node-a": U, "node-b": S, "node-x": UU, "node-y": U },
  ],
  [
    "two node inclusion Constraints, zone: honor/honor, node: honor/ignore",
    {
      pod: pod({ foo: "" }, [
        hard(1, "zone", fooSelector, { nodeTaintsPolicy: "Honor" }),
        hard(1, "node", fooSelector),
      ]),
      nodes: [
        node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
        node("node-b", { zone: "zone1", node: "node-b", foo: "" }),
        node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
        node("node-y", { zone: "zone2", node: "node-y" }, { taints }),
      ],
      pods: foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": U, "node-b": U, "node-x": S, "node-y": U },
  ],
  [
    "two node inclusion Constraints, zone: honor/ignore, node: honor/ignore",
    {
      pod: pod({ foo: "" }, zoneNode(), { nodeSelector: { foo: "" } }),
      nodes: [
        node("node-a", { zone: "zone1", node: "node-a", foo: "" }),
        node("node-b", { zone: "zone1", node: "node-b" }),
        node("node-x", { zone: "zone2", node: "node-x", foo: "" }),
        node("node-y", { zone: "zone2", node: "node-y", foo: "" }, { taints }),
      ],
      pods: foos(["p-a1", "node-a"], ["p-b1", "node-b"], ["p-y1", "node-y"]),
      args: LIST,
    },
    { "node-a": U, "node-b": S, "node-x": S, "node-y": U },
  ],
];

const hn = (name: string, extra: Labels = {}) => node(name, { [HOST]: name, ...extra });
const hosts = (...names: string[]) => names.map((n) => hn(n));
const spread = (...spec: [string, number][]) =>
  spec.flatMap(([nd, k]) =>
    Array.from({ length: k }, (_, i) => on(`p-${nd}-${i}`, nd, { foo: "" })),
  );
const one = (maxSkew = 1, sel: LabelSelector | undefined = fooSelector) =>
  pod({ foo: "" }, [soft(maxSkew, HOST, sel)]);

const SCORE: [string, Row, Record<string, number> | "Skip"][] = [
  [
    "one constraint on node, no existing pods",
    { pod: one(), nodes: hosts("node-a", "node-b"), args: SYSTEM },
    { "node-a": 100, "node-b": 100 },
  ],
  [
    "one constraint on node, only one node is candidate",
    {
      pod: one(),
      nodes: hosts("node-a"),
      failed: hosts("node-b"),
      pods: spread(["node-a", 2], ["node-b", 1]),
      args: SYSTEM,
    },
    { "node-a": 100 },
  ],
  [
    "one constraint on node, all 4 nodes are candidates",
    {
      pod: one(),
      nodes: hosts("node-a", "node-b", "node-c", "node-d"),
      pods: spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
      args: SYSTEM,
    },
    { "node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0 },
  ],
  [
    "one constraint on node, null selector",
    {
      pod: pod({ foo: "" }, [soft(1, HOST)]),
      nodes: hosts("node-a", "node-b", "node-c", "node-d"),
      pods: spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
      args: SYSTEM,
    },
    { "node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100 },
  ],
  [
    "one constraint on node, all 4 nodes are candidates, maxSkew=3",
    {
      pod: one(3),
      nodes: hosts("node-a", "node-b", "node-c", "node-d"),
      pods: spread(["node-a", 4], ["node-b", 3], ["node-c", 2], ["node-d", 1]),
      args: SYSTEM,
    },
    { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
  ],
  [
    "system defaulting, nodes don't have zone, pods match service",
    {
      pod: pod({ foo: "" }, []),
      nodes: hosts("node-a", "node-b", "node-c", "node-d"),
      pods: spread(["node-a", 4], ["node-b", 3], ["node-c", 2], ["node-d", 1]),
      args: SYSTEM,
      objs: [kept("Service", "svc", { foo: "" })],
    },
    { "node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100 },
  ],
  [
    "one constraint on node, 3 out of 4 nodes are candidates",
    {
      pod: one(),
      nodes: hosts("node-a", "node-b", "node-x"),
      failed: hosts("node-y"),
      pods: spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      args: SYSTEM,
    },
    { "node-a": 33, "node-b": 83, "node-x": 100 },
  ],
  [
    "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
    {
      pod: one(),
      nodes: [hn("node-a"), node("node-b", { n: "node-b" }), hn("node-x")],
      failed: hosts("node-y"),
      pods: spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      args: SYSTEM,
    },
    { "node-a": 16, "node-b": 0, "node-x": 100 },
  ],
  [
    "one constraint on zone, 3 out of 4 nodes are candidates",
    {
      pod: pod({ foo: "" }, [soft(1, "zone", fooSelector)]),
      nodes: [
        hn("node-a", { zone: "zone1" }),
        hn("node-b", { zone: "zone1" }),
        hn("node-x", { zone: "zone2" }),
      ],
      failed: [hn("node-y", { zone: "zone2" })],
      pods: spread(["node-a", 4], ["node-b", 2], ["node-x", 1], ["node-y", 3]),
      args: SYSTEM,
    },
    { "node-a": 75, "node-b": 75, "node-x": 100 },
  ],
  [
    "system defaulting with a StatefulSet owner",
    {
      pod: withOwner(pod({ app: "db" }, []), "StatefulSet", "db"),
      nodes: hosts("node-a", "node-b"),
      pods: [on("d0", "node-a", { app: "db" }), on("d1", "node-a", { app: "db" })],
      args: SYSTEM,
      objs: [kept("StatefulSet", "db", { matchLabels: { app: "db" } })],
    },
    // hostname: ln 4 × 2 + 2 = 4.77 → 5 vs 2 → 100×(5+2−5)/5 = 40, 100.
    { "node-a": 40, "node-b": 100 },
  ],
  [
    "TestPreScoreSkip: the pod doesn't have soft topology spread constraints",
    { pod: makePod({ name: "p" }), nodes: [hn("node-a"), hn("node-b")], args: LIST },
    "Skip",
  ],
  [
    "system defaulting without a selecting Service/ReplicaSet/StatefulSet",
    { pod: pod({ foo: "" }, []), nodes: hosts("node-a", "node-b"), args: SYSTEM },
    "Skip",
  ],
];

describe.each(ENGINES)("PodTopologySpread tables on the %s engine", (engine) => {
  describe("TestSingleConstraint", () => {
    it.each(SINGLE)("%s", async (_name, row, want) => {
      await expectVerdicts(engine, row, want);
    });
  });

  describe("TestMultipleConstraints", () => {
    it.each(MULTIPLE)("%s", async (_name, row, want) => {
      await expectVerdicts(engine, row, want);
    });
  });

  describe("TestPodTopologySpreadScore / TestPreScoreSkip", () => {
    it.each(SCORE)("%s", async (_name, row, want) => {
      await expectScores(engine, row, want);
    });

    it("raw scores: round(Σ cnt × ln(size+2) + maxSkew − 1)", async () => {
      // 2/1/0/3 on 4 hostnames, maxSkew 2: cnt × ln 6 + 1 → 4.58, 2.79, 1, 6.38.
      const got = await expectScores(
        engine,
        {
          pod: one(2),
          nodes: hosts("node-a", "node-b", "node-c", "node-d"),
          pods: spread(["node-a", 2], ["node-b", 1], ["node-d", 3]),
          args: SYSTEM,
        },
        { "node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16 },
      );
      expect(got.raw).toEqual({ "node-a": 5, "node-b": 3, "node-c": 1, "node-d": 6 });
    });
  });
});
