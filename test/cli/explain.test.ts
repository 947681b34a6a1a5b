/**
 * `gantry explain` on the fixtures in `fixtures/explain/` (see cluster.yaml's header for the
 * nodes). Verdicts and scores are checked by hand against kube-scheduler v1.35's formulas.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const CLUSTER = "fixtures/explain/cluster.yaml";
const WEB = "fixtures/explain/pods/web.yaml";
const HUGE = "fixtures/explain/pods/huge.yaml";
const SSD = "fixtures/explain/pods/ssd.yaml";
const TWO = "fixtures/explain/pods/two-pods.yaml";
const MOST = "fixtures/explain/most-allocated.yaml";

interface Score {
  raw: number;
  normalized: number;
  weight: number;
}
interface Node {
  name: string;
  feasible: boolean;
  filter?: { plugin: string; code: string; reasons: string[] };
  scores?: Record<string, Score>;
  total?: number;
}
interface Doc {
  schemaVersion: number;
  pod: string;
  profile: string;
  seed: number;
  candidates: string[] | null;
  skipped: { preFilter: string[]; preScore: string[] };
  nodes: Node[];
  selected: string | null;
  message: string | null;
  notRun: { plugin: string; extensionPoints: string[] }[];
  ignored: { plugin: string; extensionPoints: string[] }[];
}

async function explainJson(...args: string[]): Promise<{ doc: Doc; stderr: string }> {
  const r = await runCli(["explain", "--json", ...args]);
  expect(r.stderr).not.toContain("error:");
  expect(r.code).toBe(0);
  return { doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

function node(doc: Doc, name: string): Node {
  const n = doc.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

const TAINTED = {
  plugin: "TaintToleration",
  code: "UnschedulableAndUnresolvable",
  reasons: ["node(s) had untolerated taint {dedicated: gpu}"],
};
const CORDONED = {
  plugin: "NodeUnschedulable",
  code: "UnschedulableAndUnresolvable",
  reasons: ["node(s) were unschedulable"],
};

describe("gantry explain --json", () => {
  it("reports every node's verdict, per-plugin scores and the selected node (default profile)", async () => {
    const { doc, stderr } = await explainJson("--cluster", CLUSTER, "--pod", WEB);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      pod: "shop/web",
      profile: "default-scheduler",
      seed: 0,
      candidates: null,
      skipped: {
        preFilter: [
          "NodeAffinity",
          "NodePorts",
          "VolumeRestrictions",
          "NodeVolumeLimits",
          "VolumeBinding",
          "VolumeZone",
          "PodTopologySpread",
          "InterPodAffinity",
        ],
        // VolumeBinding's PreScore skips: storage capacity scoring is off by default.
        preScore: ["NodeAffinity", "VolumeBinding", "PodTopologySpread", "InterPodAffinity"],
      },
      selected: "node-a1",
      message: null,
    });
    // Snapshot order: zone round-robin (a, b, c, a, b, c).
    expect(doc.nodes.map((n) => [n.name, n.feasible])).toEqual([
      ["node-a1", true],
      ["node-b1", true],
      ["node-c1", false],
      ["node-a2", false],
      ["node-b2", false],
      ["node-c2", true],
    ]);
    // Infeasible nodes carry `filter` only; feasible ones `scores` and `total` only.
    expect(node(doc, "node-a2")).toEqual({ name: "node-a2", feasible: false, filter: TAINTED });
    expect(node(doc, "node-b2")).toEqual({ name: "node-b2", feasible: false, filter: CORDONED });
    // 1 CPU / 2Gi requested > 500m / 1Gi allocatable: unresolvable by preemption.
    expect(node(doc, "node-c1")).toEqual({
      name: "node-c1",
      feasible: false,
      filter: {
        plugin: "NodeResourcesFit",
        code: "UnschedulableAndUnresolvable",
        reasons: ["Insufficient cpu", "Insufficient memory"],
      },
    });
    for (const n of doc.nodes.filter((x) => x.feasible)) {
      expect(Object.keys(n).sort()).toEqual(["feasible", "name", "scores", "total"]);
    }

    // node-a1 by hand (4 CPU / 8Gi, empty; pod 1 CPU / 2Gi; NodeAffinity skipped at PreScore):
    // - TaintToleration: 0 intolerable PreferNoSchedule taints; normalized in reverse against the
    //   maximum (node-c2's 1): 100 − 100·0/1 = 100, × 3.
    // - NodeResourcesFit LeastAllocated: cpu (4000 − 1000)·100/4000 = 75, memory (8 − 2)·100/8 =
    //   75 → (75 + 75)/2 = 75.
    // - BalancedAllocation (v1.35): fractions 0.25 and 0.25, std dev 0 → (1 − 0)·100 = 100.
    // - ImageLocality: the 500Mi web image is on 2 of 6 nodes → 524288000·2/6 = 174762666;
    //   100·(174762666 − 23Mi)/(1000Mi − 23Mi) = 15064541800/1024458752 = 14.7 → 14.
    // Total: 100·3 + 75 + 100 + 14 = 489.
    expect(node(doc, "node-a1").scores).toEqual({
      TaintToleration: { raw: 0, normalized: 100, weight: 3 },
      NodeResourcesFit: { raw: 75, normalized: 75, weight: 1 },
      NodeResourcesBalancedAllocation: { raw: 100, normalized: 100, weight: 1 },
      ImageLocality: { raw: 14, normalized: 14, weight: 1 },
    });
    expect(node(doc, "node-a1").total).toBe(489);
    // node-b1 holds worker-0 (2 CPU / 4Gi): cpu and memory 3/4 used → LeastAllocated 25;
    // balanced → 100; same image → 14. 300 + 25 + 100 + 14 = 439.
    expect(node(doc, "node-b1").scores?.["NodeResourcesFit"]?.raw).toBe(25);
    expect(node(doc, "node-b1").total).toBe(439);
    // node-c2 (8 CPU / 16Gi, worker-1 500m / 4Gi, PreferNoSchedule taint): TaintToleration raw 1
    // → 0; cpu (8000 − 1500)·100/8000 = 81, memory (16 − 6)·100/16 = 62 → 143/2 = 71;
    // fractions 0.1875 / 0.375 → std dev 0.09375 → 90; no image → 0. 0 + 71 + 90 + 0 = 161.
    expect(node(doc, "node-c2").scores).toEqual({
      TaintToleration: { raw: 1, normalized: 0, weight: 3 },
      NodeResourcesFit: { raw: 71, normalized: 71, weight: 1 },
      NodeResourcesBalancedAllocation: { raw: 90, normalized: 90, weight: 1 },
      ImageLocality: { raw: 0, normalized: 0, weight: 1 },
    });
    expect(node(doc, "node-c2").total).toBe(161);

    // The machine output is only the JSON document; warnings go to stderr.
    expect(stderr).toMatch(/^warning: profile default-scheduler enables plugins gantry does not/m);
  });

  it("reports configured plugins it did not run, with their extension points", async () => {
    const { doc, stderr } = await explainJson("--cluster", CLUSTER, "--pod", WEB);
    expect(doc.notRun.map((p) => p.plugin)).toEqual(["DynamicResources"]);
    expect(doc.notRun).toContainEqual({
      plugin: "DynamicResources",
      extensionPoints: expect.arrayContaining(["preFilter", "filter"]),
    });
    // Inert for a single pod: queue sorting, binding, gates of a pod that has none.
    expect(doc.ignored).toEqual([
      { plugin: "SchedulingGates", extensionPoints: ["preEnqueue"] },
      { plugin: "PrioritySort", extensionPoints: ["queueSort"] },
      { plugin: "DefaultBinder", extensionPoints: ["bind"] },
    ]);
    const warnings = stderr.split("\n").filter((l) => l.includes("does not implement"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("DynamicResources (");
    expect(warnings[0]).not.toContain("VolumeZone");
    expect(warnings[0]).not.toContain("PrioritySort");
  });

  it("counts SchedulingGates as not run when the pod has gates", async () => {
    const pod = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: { name: gated, namespace: shop }",
      "spec:",
      "  schedulingGates: [{ name: example.com/wait }]",
      "  containers: [{ name: c, image: busybox }]",
    ].join("\n");
    const r = await runCli(["explain", "--json", "--cluster", CLUSTER, "--pod", "-"], pod);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.pod).toBe("shop/gated");
    expect(doc.notRun[0]).toEqual({ plugin: "SchedulingGates", extensionPoints: ["preEnqueue"] });
    expect(doc.ignored.map((p) => p.plugin)).toEqual(["PrioritySort", "DefaultBinder"]);
    expect(r.stderr).toContain("has scheduling gates (example.com/wait)");
  });

  it("reports a pod that fits nowhere with upstream's FitError text", async () => {
    const { doc } = await explainJson("--cluster", CLUSTER, "--pod", HUGE);
    expect(doc.selected).toBeNull();
    expect(doc.nodes.every((n) => !n.feasible && n.filter && !n.scores)).toBe(true);
    expect(node(doc, "node-a1").filter).toEqual({
      plugin: "NodeResourcesFit",
      code: "UnschedulableAndUnresolvable",
      reasons: ["Insufficient cpu"],
    });
    expect(node(doc, "node-a2").filter).toEqual(TAINTED);
    expect(doc.message).toBe(
      "0/6 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}, " +
        "1 node(s) were unschedulable, 4 Insufficient cpu.",
    );
  });

  it("scores preferred node affinity (raw weight, normalized to 100)", async () => {
    const { doc } = await explainJson("--cluster", CLUSTER, "--pod", SSD);
    // No spread constraints and no pod (anti-)affinity anywhere: those two plugins skip.
    expect(doc.skipped.preScore).toEqual([
      "VolumeBinding",
      "PodTopologySpread",
      "InterPodAffinity",
    ]);
    const na = (n: string) => node(doc, n).scores?.["NodeAffinity"];
    expect(na("node-c1")).toEqual({ raw: 80, normalized: 100, weight: 2 });
    expect(na("node-c2")).toEqual({ raw: 80, normalized: 100, weight: 2 });
    expect(na("node-a1")).toEqual({ raw: 0, normalized: 0, weight: 2 });
    // node-c1 (500m / 1Gi) is filled exactly: LeastAllocated 0, balanced 100.
    // 100·3 + 100·2 + 0 + 100 + 0 = 600, ahead of node-a1's 300 + 0 + 87 + 100 + 0 = 487.
    expect(node(doc, "node-c1").total).toBe(600);
    expect(node(doc, "node-a1").total).toBe(487);
    expect(doc.selected).toBe("node-c1");
  });

  it("loads --config (MostAllocated) and --balanced-allocation-formula", async () => {
    const { doc } = await explainJson("--cluster", CLUSTER, "--pod", WEB, "--config", MOST);
    // MostAllocated: node-b1 cpu 3000·100/4000 = 75, memory 6/8 → 75; node-a1 25.
    expect(node(doc, "node-b1").scores?.["NodeResourcesFit"]).toEqual({
      raw: 75,
      normalized: 75,
      weight: 1,
    });
    expect(node(doc, "node-b1").total).toBe(489);
    expect(node(doc, "node-a1").total).toBe(439);
    expect(doc.selected).toBe("node-b1");

    const other = await explainJson(
      ...["--cluster", CLUSTER, "--pod", WEB, "--balanced-allocation-formula", "v1.36"],
    );
    const ba = (d: Doc) => node(d, "node-c2").scores?.["NodeResourcesBalancedAllocation"]?.raw;
    expect(ba(other.doc)).not.toBe(90);
    // The formula flag reaches a --config profile too.
    const withConfig = await explainJson(
      ...["--cluster", CLUSTER, "--pod", WEB, "--config", MOST],
      ...["--balanced-allocation-formula", "v1.36"],
    );
    expect(ba(withConfig.doc)).toBe(ba(other.doc));
  });

  it("--candidates scores only the named nodes; the others count as filtered out", async () => {
    const { doc } = await explainJson(
      ...["--cluster", CLUSTER, "--pod", WEB, "--candidates", "node-c2,node-a2"],
    );
    expect(doc.candidates).toEqual(["node-c2", "node-a2"]);
    // A candidate that fails Filter keeps its real verdict.
    expect(node(doc, "node-a2").filter).toEqual(TAINTED);
    expect(node(doc, "node-a1").filter).toEqual({
      plugin: "",
      code: "UnschedulableAndUnresolvable",
      reasons: ["node(s) were not among the candidates"],
    });
    expect(doc.nodes.filter((n) => n.feasible).map((n) => n.name)).toEqual(["node-c2"]);
    expect(doc.selected).toBe("node-c2");
    expect(node(doc, "node-c2").total).toBe(161);
  });

  it("--profile picks a profile of --config", async () => {
    const { doc } = await explainJson(
      ...["--cluster", CLUSTER, "--pod", WEB, "--config", MOST, "--profile", "no-scoring"],
    );
    expect(doc.profile).toBe("no-scoring");
    expect(doc.skipped.preScore).toEqual([]);
    for (const n of doc.nodes.filter((x) => x.feasible)) {
      expect(n.scores).toEqual({});
      expect(n.total).toBe(1);
    }
    expect(["node-a1", "node-b1", "node-c2"]).toContain(doc.selected);
  });

  it("is deterministic for a seed, and the seed breaks ties", async () => {
    const args = ["--cluster", CLUSTER, "--pod", WEB, "--config", MOST, "--profile", "no-scoring"];
    const pick = async (seed: string) => {
      const { doc } = await explainJson(...args, "--seed", seed);
      expect(doc.seed).toBe(Number(seed));
      return doc.selected;
    };
    const a = await runCli(["explain", "--json", ...args, "--seed", "4"]);
    const b = await runCli(["explain", "--json", ...args, "--seed", "4"]);
    expect(a.stdout).toBe(b.stdout);
    // Three nodes tie at 1; PCG32 draws differ by seed.
    expect([await pick("0"), await pick("2"), await pick("4")]).toEqual([
      "node-b1",
      "node-c2",
      "node-a1",
    ]);
  });

  it("ignores pending pods in --cluster with a warning", async () => {
    const { doc, stderr } = await explainJson("--cluster", "fixtures/cluster", "--pod", WEB);
    expect(doc.nodes).toHaveLength(13);
    expect(stderr).toMatch(
      /warning: --cluster: 6 pending pods \(no spec.nodeName\) ignored: they are not part of the cluster state: web\/web-1, /,
    );
  });

  it("explains an already bound pod as pending, without itself in the state", async () => {
    const pod = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: { name: worker-0, namespace: batch }",
      "spec:",
      "  nodeName: node-b1",
      "  containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 4Gi } } }]",
    ].join("\n");
    const r = await runCli(["explain", "--json", "--cluster", CLUSTER, "--pod", "-"], pod);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "pod batch/worker-0 is bound to node-b1; explaining it as a pending",
    );
    expect(r.stderr).toContain("pod batch/worker-0 is the pod being explained; left out");
    const doc = JSON.parse(r.stdout) as Doc;
    // node-b1 is empty again: LeastAllocated (4000 − 2000)·100/4000 = 50, like node-a1.
    expect(node(doc, "node-b1").scores?.["NodeResourcesFit"]?.raw).toBe(50);
  });
});

describe("gantry explain (table)", () => {
  it("prints a table on stderr with the winner marked and a final selected line", async () => {
    const r = await runCli(["explain", "--cluster", CLUSTER, "--pod", WEB]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "explain shop/web · profile default-scheduler · seed 0 · 6 nodes, 3 feasible",
    );
    expect(r.stderr).toMatch(/^\s+node\s+TT×3\s+NRF×1\s+NRBA×1\s+IL×1\s+total$/m);
    expect(r.stderr).toMatch(/^\*\s+node-a1\s+100 \(0\)\s+75\s+100\s+14\s+489$/m);
    expect(r.stderr).toMatch(/^\s+node-c2\s+0 \(1\)\s+71\s+90\s+0\s+161$/m);
    expect(r.stderr).toContain(
      "TaintToleration: node(s) had untolerated taint {dedicated: gpu}  (node-a2)",
    );
    expect(r.stderr).not.toContain("\u001b[");
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("selected: node-a1");
  });

  it("ends with the unschedulable message when nothing fits", async () => {
    const r = await runCli(["explain", "--cluster", CLUSTER, "--pod", HUGE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^\s+3 {2}NodeResourcesFit: Insufficient cpu {2}\(node-a1, node-b1, node-c2\)$/m,
    );
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(
      "unschedulable: 0/6 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint " +
        "{dedicated: gpu}, 1 node(s) were unschedulable, 4 Insufficient cpu.",
    );
  });

  describe("on a large cluster", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "gantry-explain-"));
      const nodes = Array.from({ length: 120 }, (_, i) =>
        [
          "apiVersion: v1",
          "kind: Node",
          `metadata: { name: n${String(i).padStart(3, "0")} }`,
          "spec:",
          `  unschedulable: ${i >= 30}`,
          `status: { allocatable: { cpu: "${4 + (i % 4)}", memory: 8Gi, pods: "110" } }`,
        ].join("\n"),
      );
      await writeFile(join(dir, "nodes.yaml"), nodes.join("\n---\n"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("lists the top 20 feasible nodes and groups the infeasible ones, all with --all", async () => {
      const args = ["explain", "--cluster", join(dir, "nodes.yaml"), "--pod", WEB];
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const rows = r.stderr.split("\n").filter((l) => /^[* ]\s+n\d{3}\s+\d/.test(l));
      expect(rows).toHaveLength(20);
      expect(r.stderr).toContain("… 10 more feasible nodes (--all lists them)");
      expect(r.stderr).toMatch(
        /^\s+90 {2}NodeUnschedulable: node\(s\) were unschedulable {2}\(n030, n031, n032, \+87 more\)$/m,
      );
      const all = await runCli([...args, "--all"]);
      expect(all.stderr.split("\n").filter((l) => /^[* ]\s+n\d{3}\s+\d/.test(l))).toHaveLength(30);
      expect(all.stderr).toMatch(/^\s+n119\s+NodeUnschedulable: node\(s\) were unschedulable$/m);
    });
  });
});

describe("gantry explain errors (exit 2, no stack)", () => {
  const cases: [string, string[], string][] = [
    [
      "a pod file with two pods",
      ["--pod", TWO],
      `error: ${TWO}: --pod must name a file holding exactly one Pod; found 2 Pods`,
    ],
    [
      "a pod file with other objects",
      ["--pod", CLUSTER],
      `error: ${CLUSTER}: --pod must name a file holding exactly one Pod; found 2 Pods and 8 other objects`,
    ],
    [
      "a missing pod file",
      ["--pod", "fixtures/explain/pods/nope.yaml"],
      "error: fixtures/explain/pods/nope.yaml: no such file or directory",
    ],
    [
      "an unknown profile",
      ["--pod", WEB, "--config", MOST, "--profile", "nope"],
      `error: no profile for scheduler name "nope" in ${MOST}; available profiles: default-scheduler, no-scoring`,
    ],
    [
      "a pod whose scheduler has no profile",
      ["--pod", "-"],
      'error: no profile for scheduler name "custom" (the pod\'s spec.schedulerName) in the default configuration; available profiles: default-scheduler',
    ],
    [
      "unknown candidates",
      ["--pod", WEB, "--candidates", "node-a1,nope,zz"],
      "error: --candidates: no such nodes in the cluster: nope, zz",
    ],
    [
      "a negative seed",
      ["--pod", WEB, "--seed", "-1"],
      'error: --seed: "-1" is not an integer between 0 and 9007199254740991',
    ],
    [
      "an invalid config",
      ["--pod", WEB, "--config", "fixtures/config/invalid-many.yaml"],
      "error: fixtures/config/invalid-many.yaml: percentageOfNodesToScore: Invalid value: 101",
    ],
    [
      "an unknown formula",
      ["--pod", WEB, "--balanced-allocation-formula", "v2"],
      "Allowed choices are v1.35, v1.36.",
    ],
  ];
  const customPod = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: { name: p }",
    "spec: { schedulerName: custom, containers: [{ name: c, image: x }] }",
  ].join("\n");

  it.each(cases)("%s", async (_, args, message) => {
    const r = await runCli(["explain", "--json", "--cluster", CLUSTER, ...args], customPod);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("requires a cluster with nodes", async () => {
    const r = await runCli(["explain", "--cluster", WEB, "--pod", WEB]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: --cluster ${WEB}: no Nodes found`);
    const missing = await runCli(["explain", "--pod", WEB]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--cluster <paths...>' not specified");
  });
});
