/**
 * Scenario validation: every problem of a file (and of the files it references) reported at once,
 * each with its file and field path; unknown keys are errors; warnings do not fail a load.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic, InputError } from "../../src/diagnostics.ts";
import { loadScenario, loadScenarioFromString } from "../../src/scenario/index.ts";

/** The formatted errors of loading `text` as `file` (fails the test if it loads). */
async function errorsOf(text: string, file = "scenario.yaml"): Promise<string[]> {
  try {
    await loadScenarioFromString(text, file);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error("expected an InputError");
}

const HEAD = `apiVersion: gantry.dev/v1alpha1
kind: Scenario
metadata: {name: t}
`;

const POOL = `cluster:
  pools:
    - {name: pool, count: 3, instanceType: m5.large}
`;

const stream = (body: string, count = "count: 5") => `${HEAD}${POOL}workload:
  streams:
    - name: s
      ${count}
${body
  .split("\n")
  .map((l) => (l ? `      ${l}` : l))
  .join("\n")}
`;

const TEMPLATE = `template:
  metadata: {name: p}
  spec:
    containers: [{name: app, image: nginx}]`;

describe("scenario validation", () => {
  it("reports every problem of every section at once, with paths", async () => {
    const errors = await errorsOf(`${HEAD}cluster:
  pools:
    - name: general
      zones: [a, {name: b, weight: 0}]
      instanceType: m5.xlarge
    - {name: other, count: 1, allocatable: {cpu: 1.5q}}
workload:
  streams:
    - name: web
      count: 10
      arrival: {process: poisson, rate: 0}
      template:
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx, resources: {requests: {cpu: lots}}}]
    - name: batch
      arrival: {process: bursts, size: 4, every: 5 minutes, jitter: 1}
      duration: {distribution: lognormal, median: 10m, p99: 5m}
      template:
        metadata: {name: batch}
        spec:
          containers: [{name: app, image: nginx}]
scheduler: {profile: fancy}
simulation: {sed: 1, endTime: 1h, measure: {from: 10m, to: 5m}}
events:
  - {at: 10m, kind: cordon, node: ghost}
  - {at: 20m, kind: addNode, pool: nope}
  - {at: -1s, kind: explode}
outputs: {html: x.html}
`);
    expect(errors).toEqual([
      "scenario.yaml: cluster.pools[0].count: required",
      "scenario.yaml: cluster.pools[0].zones[1].weight: must be greater than 0",
      'scenario.yaml: cluster.pools[1].allocatable.cpu: "1.5q" is not a valid quantity',
      "scenario.yaml: workload.streams[0].arrival.rate: must be greater than 0",
      "scenario.yaml: workload.streams[1].arrival.jitter: unknown field",
      'scenario.yaml: workload.streams[1].arrival.every: "5 minutes" is not a valid duration (e.g. "90s", "1h30m")',
      "scenario.yaml: workload.streams[1].duration.p99: must be greater than median",
      'scenario.yaml: events[2].kind: "explode" is not one of addNode, removeNode, cordon, uncordon, fail, recover, setTaints, scale, rollout',
      "scenario.yaml: events[2].at: must not be negative",
      "scenario.yaml: outputs.html: unknown field",
      "scenario.yaml: simulation.sed: unknown field",
      "scenario.yaml: simulation.measure.to: must be after from",
      'scenario.yaml: events[0].node: no node named "ghost" in the cluster at 10m0s',
      'scenario.yaml: events[1].pool: no pool named "nope" (pools: general, other)',
      'scenario.yaml: scheduler.profile: "fancy" is not a built-in profile (default, most-allocated) or strategy (FirstFit, BestFit, WorstFit, Random, DotProduct, FirstFitDecreasing, BestFitDecreasing, GpuRandom, GpuDotProd, GpuClustering, GpuPacking, GpuBestFit, FGD); or give configFile or config',
      'scenario.yaml: Pod default/web: workload.streams[0].template.spec.containers[0].resources.requests.cpu: "lots" is not a valid quantity',
    ]);
  });

  it("rejects what is not a gantry Scenario before anything else", async () => {
    expect(await errorsOf("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n")).toEqual([
      'scenario.yaml: apiVersion: "v1" is not one of gantry.dev/v1alpha1',
      'scenario.yaml: kind: "Pod" is not Scenario (for plain Kubernetes manifests, pass the files themselves)',
    ]);
    expect(await errorsOf("")).toEqual(["scenario.yaml: empty file: expected a Scenario document"]);
    expect(await errorsOf(`${HEAD}---\n${HEAD}`)).toEqual([
      "scenario.yaml: expected exactly one YAML document (a Scenario), found 2",
    ]);
    expect(await errorsOf(`${HEAD}${POOL}foo: 1\n`)).toEqual(["scenario.yaml: foo: unknown field"]);
  });

  it("reports the first YAML syntax error only, with a hint for {{k}} in flow mappings", async () => {
    const errors = await errorsOf(`${HEAD}workload:
  streams:
    - name: s
      labels: {app: web-{{k}}}
`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^scenario\.yaml: invalid YAML at line 7, column \d+: /);
    expect(errors[0]).toContain('quote values holding {{k}}: {app: "web-{{k}}"}');
  });

  it("needs nodes and streams that end", async () => {
    expect(
      await errorsOf(
        `${HEAD}workload:\n  streams:\n    - name: s\n      ${TEMPLATE.replaceAll("\n", "\n      ")}\n      arrival: {process: poisson, rate: 1}\n`,
      ),
    ).toEqual([
      "scenario.yaml: cluster: no nodes: give files, manifests or pools",
      "scenario.yaml: workload.streams[0]: never ends: set count or until (or simulation.endTime)",
    ]);
  });

  it("checks arrival processes and run-time distributions", async () => {
    const cases: [string, string][] = [
      [
        "arrival: {process: diurnal, rate: 1, amplitude: 1.5, period: 1h}",
        "workload.streams[0].arrival.amplitude: must be between 0 and 1, inclusive",
      ],
      [
        "arrival: {process: diurnal, rate: 1, amplitude: 0.5}",
        "workload.streams[0].arrival.period: required",
      ],
      ["arrival: {process: constant}", "workload.streams[0].arrival.rate: required"],
      ["arrival: {rate: 3}", "workload.streams[0].arrival.process: required"],
      [
        'arrival: {process: poisson, rate: "3/d"}',
        'workload.streams[0].arrival.rate: "3/d" is not a valid rate (a number per second, or e.g. "600/m", "50/h")',
      ],
      [
        "duration: {distribution: gamma}",
        'workload.streams[0].duration.distribution: "gamma" is not one of constant, uniform, exponential, normal, lognormal, pareto',
      ],
      [
        "duration: {distribution: exponential, mean: 0s}",
        "workload.streams[0].duration.mean: must be greater than 0",
      ],
      ["duration: {distribution: pareto, xm: 1m}", "workload.streams[0].duration.alpha: required"],
      [
        "duration: {distribution: lognormal, median: 1m, p99: 1h, sigma: 1}",
        "workload.streams[0].duration.sigma: must not be set with p99 (give median and p99, median and sigma, or mu and sigma)",
      ],
      [
        "duration: {distribution: uniform, min: 1h, max: 1m}",
        "workload.streams[0].duration.max: must be greater than or equal to min",
      ],
      [
        "duration: {distribution: constant, value: 1m, clamp: {min: 2m, max: 1m}}",
        "workload.streams[0].duration.clamp.max: must be greater than or equal to min",
      ],
      ["duration: 90", 'workload.streams[0].duration: must be a duration (e.g. "90s", "1h30m")'],
      ["until: 0s", "workload.streams[0].until: must be after start"],
      ["groups: 0", "workload.streams[0].groups: must be greater than or equal to 1"],
      [
        "priority: 5\npriorityClassName: x",
        "workload.streams[0].priority: must not be set with priorityClassName",
      ],
    ];
    for (const [body, error] of cases) {
      const errors = await errorsOf(stream(`${TEMPLATE}\n${body}`));
      expect(errors, body).toContain(`scenario.yaml: ${error}`);
    }
    expect(await errorsOf(stream(`${TEMPLATE}\narrival: {process: allAtOnce}`, ""))).toEqual([
      "scenario.yaml: workload.streams[0].count: required with arrival process allAtOnce",
      "scenario.yaml: workload.streams[0]: never ends: set count or until (or simulation.endTime)",
    ]);
  });

  it("checks templates with the manifest decoder, at their paths in the scenario", async () => {
    expect(
      await errorsOf(
        stream(`template:
  kind: Node
  metadata: {name: p}
  spec:
    nodeName: pool-0
    priority: 7
    containers: [{name: app}]`),
      ),
    ).toEqual([
      'scenario.yaml: Pod default/p: workload.streams[0].template.kind: "Node" is not Pod',
      "scenario.yaml: Pod default/p: workload.streams[0].template.spec.containers[0].image: required",
      "scenario.yaml: Pod default/p: workload.streams[0].template.spec.priority: must not differ from the value of the default priority (0)",
      "scenario.yaml: Pod default/p: workload.streams[0].template.spec.nodeName: must not be set in a stream template (generated pods are scheduled)",
    ]);
    expect(await errorsOf(stream("templates: []"))).toEqual([
      "scenario.yaml: workload.streams[0].templates: must not be empty",
    ]);
    expect(
      await errorsOf(stream(`templates:\n  - {weight: 0, file: x.yaml}\n  - {weight: 1}`)),
    ).toEqual([
      "scenario.yaml: workload.streams[0].templates[0].weight: must be greater than 0",
      "scenario.yaml: workload.streams[0].templates[1].pod: required (or file)",
    ]);
  });

  it("validates {{k}} variants as the last group reads them", async () => {
    const long = "x".repeat(62);
    const errors = await errorsOf(stream(`groups: 100\nlabels:\n  app: ${long}{{k}}\n${TEMPLATE}`));
    expect(errors).toEqual([
      `scenario.yaml: workload.streams[0].labels.app: "${long}99" is not a valid label value: must be no more than 63 characters`,
      `scenario.yaml: Pod default/p: workload.streams[0].template.metadata.labels.app: "${long}99" is not a valid label value: must be no more than 63 characters`,
    ]);
  });

  it("checks the scheduler configuration, inline ones at their scenario paths", async () => {
    const inline = await errorsOf(`${HEAD}${POOL}scheduler:
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
      - plugins:
          score:
            enabled: [{name: NodeResourcesFit, wieght: 2}]
`);
    expect(inline).toEqual([
      "scenario.yaml: scheduler.config.profiles[0].plugins.score.enabled[0].wieght: unknown field",
    ]);
    expect(
      await errorsOf(`${HEAD}${POOL}scheduler:
  profile: other
  config:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
`),
    ).toEqual([
      'scenario.yaml: scheduler.profile: no profile with schedulerName "other" in the configuration (profiles: default-scheduler)',
    ]);
    expect(
      await errorsOf(`${HEAD}${POOL}scheduler: {configFile: nowhere.yaml}\n`, "dir/s.yaml"),
    ).toEqual(["dir/nowhere.yaml: no such file or directory"]);
  });

  it("checks events against the cluster over time", async () => {
    const errors = await errorsOf(`${HEAD}${POOL}simulation: {endTime: 1h}
events:
  - {at: 20m, kind: cordon, node: pool-0}
  - {at: 10m, kind: removeNode, node: pool-0}
  - {at: 5m, kind: recover, node: pool-3}
  - {at: 6m, kind: addNode, pool: pool}
  - {at: 7m, kind: fail, node: pool-3}
  - {at: 8m, kind: setTaints, node: pool-1}
`);
    expect(errors).toEqual([
      "scenario.yaml: events[5].taints: required",
      'scenario.yaml: events[2].node: no node named "pool-3" in the cluster at 5m0s',
      'scenario.yaml: events[0].node: node "pool-0" was removed at 10m0s',
    ]);
  });
});

describe("scenario files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gantry-scenario-"));
    await writeFile(
      join(dir, "nodes.yaml"),
      `apiVersion: v1
kind: Node
metadata: {name: pool-1}
status: {allocatable: {cpu: "2", memory: 4Gi, pods: "10"}}
---
apiVersion: v1
kind: Pod
metadata:
  name: bound
  annotations: {gantry.dev/duration: soon}
spec:
  nodeName: elsewhere
  containers: [{name: app, image: nginx}]
`,
    );
    await writeFile(join(dir, "two.yaml"), "kind: Pod\n---\nkind: Pod\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports problems in referenced files under their own names", async () => {
    const path = join(dir, "s.yaml");
    await writeFile(
      path,
      `${HEAD}${POOL}  files: [nodes.yaml, missing/]
workload:
  streams:
    - name: s
      count: 1
      templates: [{file: two.yaml}, {file: gone.yaml}]
`,
    );
    let errors: string[] = [];
    try {
      await loadScenario(path);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors = e.diagnostics.map(formatDiagnostic);
    }
    expect(errors).toEqual([
      `${dir}/missing/: no such file or directory`,
      `${dir}/s.yaml: cluster.pools[0]: node name "pool-1" is already used (by ${dir}/nodes.yaml: doc 1)`,
      `${dir}/nodes.yaml: doc 2 (Pod default/bound): metadata.annotations[gantry.dev/duration]: "soon" is not a valid duration (a non-negative Go duration such as "90s" or "1h30m", or never)`,
      `${dir}/nodes.yaml: doc 2 (Pod default/bound): spec.nodeName: no node named "elsewhere" in the cluster`,
      `${dir}/two.yaml: must hold exactly one Pod document, found 2`,
      `${dir}/s.yaml: workload.streams[0].templates[1].file: ${dir}/gone.yaml: no such file or directory`,
    ]);
  });

  it("keeps warnings on a scenario that loads", async () => {
    const s = await loadScenarioFromString(
      `${HEAD}${POOL}simulation: {endTime: 1h}
workload:
  streams:
    - name: s
      count: 2
      template:
        metadata: {name: p, annotations: {gantry.dev/arrival: 5s}}
        spec:
          schedulerName: other
          containers: [{name: app, image: nginx}]
events:
  - {at: 2h, kind: cordon, node: pool-0}
`,
      "scenario.yaml",
    );
    expect(s.warnings.map(formatDiagnostic)).toEqual([
      "warning: scenario.yaml: events[0].at: after simulation.endTime (1h0m0s): never happens",
      "warning: scenario.yaml: Pod default/p: workload.streams[0].template.metadata.annotations[gantry.dev/arrival]: ignored: the stream's arrival process times its pods",
      'warning: scenario.yaml: Pod default/p: workload.streams[0].template.spec.schedulerName: "other" is not the scenario\'s profile (default-scheduler): these pods will stay pending',
    ]);
  });
});
