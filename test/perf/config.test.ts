/**
 * Reading performance-config.yaml files: the upstream structure, `$param` references,
 * case-insensitive field names, thresholds per topic, upstream's label filter, the ops gantry
 * keeps as "unsupported" (skip reasons), and every malformed input reported with its field path.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/diagnostics.ts";
import {
  labelsEnabled,
  loadPerfConfig,
  paramReferences,
  parsePerfConfig,
  thresholdFor,
} from "../../src/perf/config.ts";

const MISC = "fixtures/perf/scheduler-perf/misc/performance-config.yaml";
const PLAN = "fixtures/perf/plan/performance-config.yaml";
const SHARED = "../shared/scheduler-perf";

function errorsOf(text: string, file = "fixtures/perf/plan/inline.yaml"): string[] {
  try {
    parsePerfConfig(text, file);
  } catch (e) {
    if (e instanceof InputError) return e.message.split("\n");
    throw e;
  }
  return [];
}

describe("performance-config.yaml", () => {
  it("reads misc/ unchanged: test cases, ops, workloads, params, thresholds, feature gates", async () => {
    const c = await loadPerfConfig(MISC);
    expect(c.topic).toBe("misc");
    expect(c.testCases.map((t) => t.name)).toEqual([
      "SchedulingBasic",
      "SchedulingDaemonset",
      "SchedulingWithMixedChurn",
      "SchedulingWhileGated",
      "SchedulingDeletedPodsWithFinalizers",
      "SchedulingWithExtendedResource",
    ]);
    const basic = c.testCases[0]!;
    expect(basic.workloadTemplate.map((o) => o.opcode)).toEqual([
      "createNodes",
      "createPods",
      "createPods",
    ]);
    const w = basic.workloads.find((x) => x.name === "5000Nodes_50000Pods")!;
    expect(w.params).toEqual({ initNodes: 5000, initPods: 5000, measurePods: 50000 });
    expect(thresholdFor(w.threshold, c.topic)).toBe(790);
    expect(w.featureGates).toEqual({ SchedulerAsyncAPICalls: false });
    expect(w.thresholdMetricSelector).toMatchObject({
      name: "SchedulingThroughput",
      dataBucket: "Average",
    });
    expect(paramReferences(basic.workloadTemplate).map((r) => r.name)).toEqual([
      "initNodes",
      "initPods",
      "measurePods",
    ]);
    const measured = basic.workloadTemplate[2]!;
    expect(measured).toMatchObject({ opcode: "createPods", collectMetrics: true });
    // The test case's defaultPodTemplatePath, resolved against the config's directory.
    expect(measured.opcode === "createPods" && measured.podTemplatePath).toBe(
      "fixtures/perf/scheduler-perf/templates/pod-default.yaml",
    );
    const ext = c.testCases[5]!;
    expect(ext.featureGates).toEqual({ DynamicResourceAllocation: true });
  });

  it("matches field names case-insensitively, as Go's JSON decoding does", async () => {
    const c = await loadPerfConfig(PLAN);
    const tc = c.testCases.find((t) => t.name === "CaseInsensitive")!;
    expect(tc.workloadTemplate[0]).toMatchObject({
      opcode: "createNodes",
      count: { kind: "param", name: "nodes" },
    });
    expect(tc.workloadTemplate[1]).toMatchObject({ opcode: "createPods", collectMetrics: true });
  });

  it("takes thresholds per topic (the config's directory)", async () => {
    const c = await loadPerfConfig(PLAN);
    const w = c.testCases.find((t) => t.name === "Churn")!.workloads[0]!;
    expect(w.threshold).toEqual({ value: 0, byTopic: { churn: 50, other: 7 } });
    expect(thresholdFor(w.threshold, "other")).toBe(7);
    expect(thresholdFor(w.threshold, c.topic)).toBe(0);
  });

  it("keeps ops gantry does not simulate, with the reason", async () => {
    const c = await loadPerfConfig(PLAN);
    const op = (tc: string, i: number) =>
      c.testCases.find((t) => t.name === tc)!.workloadTemplate[i];
    expect(op("Volumes", 1)).toMatchObject({
      opcode: "createPods",
      persistentVolumeTemplatePath: expect.stringMatching(/templates\/pv\.yaml$/),
      persistentVolumeClaimTemplatePath: expect.stringMatching(/templates\/pvc\.yaml$/),
    });
    expect(op("NodeAllocatable", 0)).toMatchObject({
      opcode: "createNodes",
      nodeAllocatableStrategy: {
        nodeAllocatable: { "attachable-volumes-aws-ebs": "39" },
        csiNodeAllocatable: {},
        migratedPlugins: [],
      },
    });
    expect(op("PodGroups", 1)).toMatchObject({
      opcode: "unsupported",
      name: "createPodGroups",
      refs: [{ name: "groups" }],
    });
    expect(op("Unknown", 1)).toMatchObject({
      opcode: "unsupported",
      reason: 'opcode "frobnicate" is not supported',
    });
  });

  it("applies upstream's label filter", () => {
    expect(labelsEnabled(["performance"], ["performance", "short"])).toBe(true);
    expect(labelsEnabled(["performance", "short"], ["performance"])).toBe(false);
    expect(labelsEnabled(["+performance", "-short"], ["performance"])).toBe(true);
    expect(
      labelsEnabled(["integration-test", "-performance"], ["integration-test", "performance"]),
    ).toBe(false);
    expect(labelsEnabled([], [])).toBe(true);
    expect(labelsEnabled([""], ["x"])).toBe(true);
  });

  it("reports malformed input with the file, the test case and the field path", () => {
    const errors = errorsOf(`
- name: Bad
  workloadTemplate:
  - opcode: createNodes
    countParm: $nodes
  - opcode: createPods
    countParam: pods
    podTemplatePath: templates/missing.yaml
    collectMetrics: true
  - opcode: churn
    mode: sometimes
    templatePaths: []
  workloads:
  - name: w
    params:
      nodes: 5
  - name: w
    params:
      nodes: "five"
`);
    const f = "fixtures/perf/plan/inline.yaml: test case Bad";
    expect(errors).toEqual(
      expect.arrayContaining([
        `${f}: [0].workloadTemplate[0].countParm: unknown field "countParm"`,
        `${f}: [0].workloadTemplate[1].countParam: "pods" must name a workload parameter as "$name"`,
        expect.stringMatching(
          /^fixtures\/perf\/plan\/inline.yaml: test case Bad: \[0\]\.workloadTemplate\[1\]\.podTemplatePath: "templates\/missing.yaml": no such file/,
        ),
        `${f}: [0].workloadTemplate[2].mode: "sometimes" is not one of create, recreate`,
        `${f}: [0].workloadTemplate[2].templatePaths: at least one template path is required`,
        `${f}: [0].workloads[0].params.nodes: parameter nodes is defined but unused by the workload template (a typo?)`,
        `${f}: [0].workloads[1].name: workload name "w" is not unique`,
      ]),
    );
  });

  it("checks parameters: undefined, wrongly typed, unused", () => {
    const errors = errorsOf(`
- name: Params
  workloadTemplate:
  - opcode: createNodes
    countParam: $nodes
  - opcode: createPods
    countParam: $pods
    collectMetrics: true
  workloads:
  - name: w
    params:
      nodes: many
`);
    expect(errors).toEqual([
      "fixtures/perf/plan/inline.yaml: test case Params: [0].workloads[0].params: parameter pods is undefined (used at [0].workloadTemplate[1].countParam)",
      "fixtures/perf/plan/inline.yaml: test case Params: [0].workloads[0].params.nodes: parameter nodes has the wrong type: must be a number",
    ]);
  });

  it("checks the storage fields: nodeAllocatableStrategy and the PV/PVC template pair", () => {
    const errors = errorsOf(`
- name: Storage
  workloadTemplate:
  - opcode: createNodes
    count: 1
    nodeAllocatableStrategy:
      csiNodeAllocatable:
        ebs.csi.aws.com: {count: -1, extra: 2}
      bogus: 1
  - opcode: createPods
    count: 1
    persistentVolumeTemplatePath: templates/pv.yaml
    collectMetrics: true
  workloads:
  - name: w
`);
    const f = "fixtures/perf/plan/inline.yaml: test case Storage: [0].workloadTemplate";
    expect(errors).toEqual([
      `${f}[0].nodeAllocatableStrategy.bogus: unknown field "bogus"`,
      `${f}[0].nodeAllocatableStrategy.csiNodeAllocatable[ebs.csi.aws.com].extra: unknown field "extra"`,
      `${f}[0].nodeAllocatableStrategy.csiNodeAllocatable[ebs.csi.aws.com].count: must be greater than or equal to 0`,
      `${f}[1]: persistentVolumeTemplatePath and persistentVolumeClaimTemplatePath go together`,
    ]);
  });

  it("requires a measured op, workloads and ops", () => {
    expect(
      errorsOf(`
- name: NoMetrics
  workloadTemplate:
  - opcode: createNodes
    count: 1
  workloads:
  - name: w
`),
    ).toEqual([
      "fixtures/perf/plan/inline.yaml: test case NoMetrics: [0].workloadTemplate: no op in the workload template collects metrics (collectMetrics: true)",
    ]);
    expect(errorsOf("- name: Empty\n")).toEqual([
      "fixtures/perf/plan/inline.yaml: test case Empty: [0].workloadTemplate: no ops defined",
      "fixtures/perf/plan/inline.yaml: test case Empty: [0].workloads: no workloads defined",
    ]);
    expect(errorsOf("kind: Pod\n")).toEqual([
      "fixtures/perf/plan/inline.yaml: must be a list of test cases",
    ]);
    expect(errorsOf("- [unclosed\n")[0]).toMatch(/invalid YAML at line/);
  });

  it.runIf(existsSync(SHARED))("reads every copied upstream config", async () => {
    for (const area of [
      "misc",
      "affinity",
      "topology_spreading",
      "default_preemption",
      "volumes",
    ]) {
      const c = await loadPerfConfig(`${SHARED}/${area}/performance-config.yaml`);
      expect(c.testCases.length).toBeGreaterThan(0);
    }
  });
});
