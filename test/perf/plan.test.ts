/**
 * Op → simulation plan, hand-checked on fixtures/perf/plan/performance-config.yaml: the op
 * timeline (op k at k seconds, createPodSets unrolled), `$param` substitution, namespace naming
 * (`namespace-<unrolled op index>`), labelNodePrepareStrategy's round robin, nodes before and
 * after the first pod, rate-limited deletions, churn in both modes, gated pods held out, and
 * the skip reasons (volumes, node allocatable, pod groups, DRA claims, Go conditionals).
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Node } from "../../src/model/types.ts";
import { loadPerfConfig, type PerfConfig } from "../../src/perf/config.ts";
import { SkipWorkload, TemplateFiles } from "../../src/perf/objects.ts";
import {
  planArrivals,
  planWorkload,
  simulationInput,
  type WorkloadPlan,
} from "../../src/perf/plan.ts";
import { runPerf } from "../../src/perf/run.ts";
import type { ClusterEvent } from "../../src/sim/types.ts";

const PLAN = "fixtures/perf/plan/performance-config.yaml";
const SHARED = "../shared/scheduler-perf";

let config: PerfConfig;
beforeAll(async () => {
  config = await loadPerfConfig(PLAN);
});

function plan(testCase: string, horizon = 30, cfg = config): WorkloadPlan {
  const tc = cfg.testCases.find((t) => t.name === testCase)!;
  return planWorkload(tc, tc.workloads[0]!, new TemplateFiles(), { horizon });
}

function skipReason(testCase: string, cfg = config, workload?: string): string {
  const tc = cfg.testCases.find((t) => t.name === testCase)!;
  const w =
    workload === undefined ? tc.workloads[0]! : tc.workloads.find((x) => x.name === workload)!;
  try {
    planWorkload(tc, w, new TemplateFiles());
  } catch (e) {
    if (e instanceof SkipWorkload) return e.reason;
    throw e;
  }
  throw new Error(`${testCase} was not skipped`);
}

const event = (e: ClusterEvent): string => {
  if (e.kind === "addNode") return `${e.time} addNode ${e.node.metadata.name}`;
  if (e.kind === "deletePods") return `${e.time} deletePods ${e.namespace} ${e.count ?? "all"}`;
  return `${e.time} ${e.kind} ${"node" in e ? e.node : ""}`;
};

describe("plan: every simulated op", () => {
  it("runs ops one second apart, unrolling createPodSets", () => {
    const p = plan("Plan");
    expect(p.name).toBe("Plan/small");
    expect(p.timeline.map((o) => [o.index, o.opcode, o.time, o.namespace ?? ""])).toEqual([
      [0, "createNodes", 0, ""],
      [1, "createNamespaces", 1, ""],
      [2, "createPods", 2, "namespace-2"],
      [3, "createPods", 3, "team-0"],
      [4, "createPods", 4, "team-1"],
      [5, "deletePods", 5, "namespace-2"],
      [6, "createNodes", 6, ""],
      [7, "barrier", 7, ""],
      [8, "createPods", 8, "namespace-8"],
    ]);
    expect(p.measure).toEqual({ time: 8, namespace: "namespace-8", pods: 6, opIndex: 8 });
    expect(p.endTime).toBe(38);
  });

  it("names nodes deterministically and spreads labels round robin", () => {
    const p = plan("Plan");
    const labels = (n: Node) => [
      n.metadata.name,
      n.metadata.labels["topology.kubernetes.io/zone"],
      n.metadata.labels["kubernetes.io/hostname"],
    ];
    expect(p.nodes.map(labels)).toEqual([
      ["node-0-0", "zone-a", "node-0-0"],
      ["node-0-1", "zone-b", "node-0-1"],
      ["node-0-2", "zone-c", "node-0-2"],
      ["node-0-3", "zone-a", "node-0-3"],
      ["node-0-4", "zone-b", "node-0-4"],
    ]);
    // The built-in node: 4 CPU, 32Gi, 110 pods.
    const alloc = p.nodes[0]!.status.allocatable;
    expect([...alloc.keys()].sort()).toEqual(["cpu", "memory", "pods"]);
  });

  it("adds nodes created after the first pod as addNode events, with the template's generateName", () => {
    const p = plan("Plan");
    const late = p.events.filter((e) => e.kind === "addNode");
    expect(late.map(event)).toEqual(["6 addNode worker-6-0", "6 addNode worker-6-1"]);
    expect(late[0]?.kind === "addNode" && late[0].node.metadata.labels).toEqual({
      pool: "late",
      "kubernetes.io/hostname": "worker-6-0",
    });
  });

  it("deletes the namespace's pods at deletePodsPerSecond", () => {
    const p = plan("Plan");
    expect(p.events.filter((e) => e.kind === "deletePods").map(event)).toEqual([
      "5.5 deletePods namespace-2 1",
      "6 deletePods namespace-2 1",
      "6.5 deletePods namespace-2 1",
    ]);
  });

  it("substitutes $params: counts, countMultiplierParam, templateParams", () => {
    const p = plan("Plan");
    const arrivals = [...planArrivals(p)];
    expect(arrivals.length).toBe(3 + 2 + 2 + 6);
    expect(p.groups.map((g) => [g.time, g.count])).toEqual([
      [2, 3],
      [3, 2],
      [4, 2],
      [8, 6],
    ]);
    const measured = arrivals.slice(7);
    expect(measured.map((a) => a.name)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `indexed-${i}`));
    const pod = measured[4]!.template;
    expect(pod.metadata).toMatchObject({
      name: "indexed-4",
      namespace: "namespace-8",
      labels: { slot: "0", half: "half-1" },
    });
    const req = pod.spec.containers[0]!.resources.requests;
    expect(req.get("cpu")?.toString()).toBe("200m");
    expect(req.get("memory")?.toString()).toBe("500Mi");
    // Pods of a static template share one object; the engine names them <name>-<n>.
    expect(arrivals[0]!.template).toBe(arrivals[1]!.template);
    expect(arrivals[0]!.template.metadata).toMatchObject({
      name: "plain-2",
      namespace: "namespace-2",
    });
    expect(arrivals.every((a) => a.duration === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it("creates the namespaces: templated ones with their labels, and the pods' own", () => {
    const p = plan("Plan");
    expect(
      Object.fromEntries(
        p.namespaces.map((n) => [n.metadata.name, n.metadata.labels["team"] ?? ""]),
      ),
    ).toEqual({ "team-0": "devops", "team-1": "devops", "namespace-2": "", "namespace-8": "" });
  });

  it("maps the plan onto the simulation input (measure window, end, objects)", () => {
    const p = plan("Plan");
    const input = simulationInput(p, {} as never, { seed: 3 });
    expect(input.measure).toEqual({ from: 8, to: 8 + 1e-6 });
    expect(input.endTime).toBe(38);
    expect(input.seed).toBe(3);
    expect(input.nodes).toHaveLength(5);
    expect(input.objects?.namespaces).toHaveLength(4);
  });

  it("churns in recreate mode: create, delete, create … half an interval late", () => {
    const p = plan("Churn", 3);
    expect(p.nodes.map((n) => n.metadata.name)).toEqual(["node-0-0", "node-0-1"]);
    expect(p.events.map(event)).toEqual([
      "1.5 addNode churn-node-1-0",
      "2.5 removeNode churn-node-1-0",
      "2.5 deletePods namespace-1 1",
      "3.5 addNode churn-node-1-1",
      "4.5 removeNode churn-node-1-1",
      "4.5 deletePods namespace-1 1",
    ]);
    expect(p.groups.map((g) => [g.time, g.count, g.at(0).template.metadata.namespace])).toEqual([
      [1.5, 1, "namespace-1"],
      [2, 4, "namespace-2"],
      [3.5, 1, "namespace-1"],
    ]);
    expect(p.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Service objects from .*service.yaml are not modelled/),
      ]),
    );
  });

  it("churns in create mode up to `number` ticks, in the given namespace", () => {
    const p = plan("ChurnCreate", 3);
    expect(p.groups.map((g) => [g.time, g.at(0).template.metadata.namespace])).toEqual([
      [1.25, "churned"],
      [1.75, "churned"],
      [2, "namespace-2"],
      [2.25, "churned"],
    ]);
  });

  it("sleeps, and keeps createAny objects", () => {
    const p = plan("SleepAndAny");
    expect(p.timeline.map((o) => [o.opcode, o.time])).toEqual([
      ["createNodes", 0],
      ["createAny", 1],
      ["sleep", 2],
      ["createPods", 5.5],
    ]);
    expect(p.kept.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "Service svc/service-1-0",
    ]);
    expect(p.measure).toMatchObject({ time: 5.5, namespace: "svc" });
  });

  it("submits gated pods (the engine holds them at PreEnqueue)", () => {
    const p = plan("Gated");
    expect(p.podsPlanned).toBe(7);
    const gated = p.groups.find((g) => g.at(0).template.spec.schedulingGates.length > 0);
    expect(gated?.count).toBe(5);
  });

  it("reads template fields case-insensitively, as Go does, and notes it", () => {
    const p = plan("CaseInsensitive");
    const pod = p.groups[0]!.at(0).template;
    expect(pod.spec.topologySpreadConstraints[0]?.nodeTaintsPolicy).toBe("Honor");
    expect(p.notes[0]).toMatch(/NodeTaintsPolicy read as .*nodeTaintsPolicy/);
  });
});

describe("plan: storage", () => {
  it("gives each pod its own PersistentVolume and a claim bound to it (CreatePodWithPersistentVolume)", () => {
    const p = plan("Volumes");
    const ns = p.timeline[1]?.namespace as string;
    const pod = p.groups.at(-1)?.at(0).template;
    expect(pod?.spec.volumes).toEqual([
      {
        name: "vol",
        persistentVolumeClaim: { claimName: "pvc-0", readOnly: false },
        ephemeral: false,
        source: "persistentVolumeClaim",
      },
    ]);
    const pv = p.kept.find((o) => o.kind === "PersistentVolume");
    const pvc = p.kept.find((o) => o.kind === "PersistentVolumeClaim");
    expect(pv?.metadata.name).toBe(`${ns}-vol-0`);
    expect(pv?.body["spec"]).toMatchObject({ claimRef: { namespace: ns, name: "pvc-0" } });
    expect(pvc?.metadata).toMatchObject({ name: "pvc-0", namespace: ns });
    expect(pvc?.body["spec"]).toMatchObject({ volumeName: `${ns}-vol-0` });
  });

  it("applies nodeAllocatableStrategy to the nodes' allocatable", () => {
    const p = plan("NodeAllocatable");
    const node = p.nodes[0];
    expect(node?.status.allocatable.get("attachable-volumes-aws-ebs")?.toString()).toBe("39");
    // No CSI driver listed: no CSINode.
    expect(p.kept.filter((o) => o.kind === "CSINode")).toEqual([]);
  });
});

describe("plan: skip reasons", () => {
  it("skips what gantry does not model, naming the op", () => {
    expect(skipReason("PodGroups")).toBe(
      "op 1 (createPodGroups): createPodGroups: PodGroups (gang scheduling) are not modelled",
    );
    expect(skipReason("Claims")).toMatch(
      /^op 1 \(createPods\): .*pod-claim.yaml: the pod requests DRA resource claims/,
    );
    expect(skipReason("Conditional")).toMatch(
      /^op 1 \(createPods\): .*pod-conditional.yaml: uses Go template control structure \{\{if\}\}/,
    );
    expect(skipReason("Unknown")).toBe('op 1 (frobnicate): opcode "frobnicate" is not supported');
  });

  it.runIf(existsSync(SHARED))(
    "plans upstream's volume workloads and skips the pod-group ones with reasons",
    async () => {
      const volumes = await loadPerfConfig(`${SHARED}/volumes/performance-config.yaml`);
      for (const name of [
        "SchedulingInTreePVs",
        "SchedulingCSIPVs",
        "SchedulingMigratedInTreePVs",
      ]) {
        const tc = volumes.testCases.find((t) => t.name === name)!;
        const w = tc.workloads.find((x) => x.name === "5Nodes")!;
        expect(planWorkload(tc, w, new TemplateFiles()).podsPlanned).toBe(15); // 5 + 10
      }
      const preemption = await loadPerfConfig(
        `${SHARED}/default_preemption/performance-config.yaml`,
      );
      expect(skipReason("PreemptionPodGroupDisruptionMode", preemption)).toMatch(/createPodGroups/);
    },
  );
});

describe("plan: simulated", () => {
  it("runs the hand-checked plan end to end", async () => {
    const report = await runPerf(config, {
      workloads: ["Plan/small", "Churn", "Gated"],
      horizon: 3,
    });
    const byName = Object.fromEntries(report.workloads.map((w) => [w.name, w]));
    expect(byName["Plan/small"]).toMatchObject({
      status: "ran",
      threshold: 100,
      measured: { created: 6, bound: 6, namespace: "namespace-8" },
      pods: { submitted: 13, running: 10 },
    });
    // Churn: the 9-CPU churn pod never fits; the measured pods do.
    expect(byName["Churn/recreate"]).toMatchObject({
      status: "ran",
      measured: { created: 4, bound: 4 },
      pods: { scheduled: 4, unschedulable: 0 },
    });
    expect(byName["Gated/gated"]).toMatchObject({
      pods: { submitted: 7, scheduled: 2, pending: 5 },
    });
  });
});
