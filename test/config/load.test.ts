import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/config/decode.ts";
import { loadSchedulerConfig, pluginArgs, profileFor } from "../../src/config/index.ts";
import { InputError } from "../../src/diagnostics.ts";
import { at, errorsOf, errorsOfBody, fixture, HEADER, load, warningsOf } from "./helpers.ts";

describe("documentation examples", () => {
  it("multiple profiles: no-scoring-scheduler disables all preScore/score plugins", () => {
    const c = loadSchedulerConfig(fixture("multiple-profiles.yaml"), "multiple-profiles.yaml");
    expect(c.profiles.map((p) => p.schedulerName)).toEqual([
      "default-scheduler",
      "no-scoring-scheduler",
    ]);
    const def = profileFor(c, "default-scheduler");
    const noScoring = profileFor(c, "no-scoring-scheduler");
    expect(at(def, "score")).toHaveLength(9);
    expect(at(noScoring, "preScore")).toEqual([]);
    expect(at(noScoring, "score")).toEqual([]);
    expect(at(noScoring, "filter")).toEqual(at(def, "filter"));
    expect(at(noScoring, "queueSort")).toEqual(["PrioritySort"]);
    // pluginConfig is defaulted for every multiPoint-enabled plugin, scored or not.
    expect(noScoring?.pluginConfig.has("NodeResourcesFit")).toBe(true);
    expect(profileFor(c, "nope")).toBeUndefined();
  });

  it("resource bin packing: MostAllocated with extended resources", () => {
    const p = loadSchedulerConfig(fixture("bin-packing-most-allocated.yaml"), "f").profiles[0];
    expect(p?.schedulerName).toBe("default-scheduler");
    expect(p && pluginArgs(p, "NodeResourcesFit")).toEqual({
      kind: "NodeResourcesFitArgs",
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: {
        type: "MostAllocated",
        resources: [
          { name: "cpu", weight: 1 },
          { name: "memory", weight: 1 },
          { name: "intel.com/foo", weight: 3 },
          { name: "intel.com/bar", weight: 3 },
        ],
      },
    });
    expect(at(p, "score")).toContain("NodeResourcesFit:1");
  });

  it("resource bin packing: RequestedToCapacityRatio", () => {
    const p = loadSchedulerConfig(fixture("bin-packing-rtc.yaml"), "f").profiles[0];
    expect(p && pluginArgs(p, "NodeResourcesFit")?.scoringStrategy).toEqual({
      type: "RequestedToCapacityRatio",
      resources: [
        { name: "intel.com/foo", weight: 3 },
        { name: "intel.com/bar", weight: 3 },
      ],
      requestedToCapacityRatio: {
        shape: [
          { utilization: 0, score: 0 },
          { utilization: 100, score: 10 },
        ],
      },
    });
  });

  it("PodTopologySpread cluster-level default constraints (List)", () => {
    const p = loadSchedulerConfig(fixture("topology-spread-list.yaml"), "f").profiles[0];
    expect(p && pluginArgs(p, "PodTopologySpread")).toEqual({
      kind: "PodTopologySpreadArgs",
      defaultingType: "List",
      defaultConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          matchLabelKeys: [],
        },
      ],
    });
  });

  it("PodTopologySpread with defaults disabled (empty List)", () => {
    const p = load(`profiles:
- pluginConfig:
  - name: PodTopologySpread
    args:
      defaultConstraints: []
      defaultingType: List
`).profiles[0];
    expect(p && pluginArgs(p, "PodTopologySpread")).toMatchObject({
      defaultConstraints: [],
      defaultingType: "List",
    });
  });

  it("node affinity per scheduling profile", () => {
    const c = loadSchedulerConfig(fixture("node-affinity-per-profile.yaml"), "f");
    const foo = profileFor(c, "foo-scheduler");
    expect(foo && pluginArgs(foo, "NodeAffinity")).toEqual({
      kind: "NodeAffinityArgs",
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: "scheduler-profile", operator: "In", values: ["foo"] }],
              matchFields: [],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [],
      },
    });
    const def = profileFor(c, "default-scheduler");
    expect(def && pluginArgs(def, "NodeAffinity")).toEqual({ kind: "NodeAffinityArgs" });
  });

  it("the scheduler-perf-tuning page's v1alpha1 file is rejected with a migration hint", () => {
    const errs = errorsOf(fixture("v1alpha1-perf-tuning.yaml"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(
      /^apiVersion: Unsupported value: "kubescheduler\.config\.k8s\.io\/v1alpha1": supported values: "kubescheduler\.config\.k8s\.io\/v1" \(.*scheduler-configuration-migrations\)$/,
    );
  });

  it("the docs' out-of-tree score plugins are reported, not dropped", () => {
    expect(
      errorsOfBody(`profiles:
  - plugins:
      score:
        disabled:
        - name: PodTopologySpread
        enabled:
        - name: MyCustomPluginA
          weight: 2
        - name: MyCustomPluginB
          weight: 1
`),
    ).toEqual([
      'profiles[0].plugins.score.enabled[0]: Invalid value: "MyCustomPluginA": no such plugin in kube-scheduler v1.35 or gantry (other out-of-tree plugins are not supported)',
      'profiles[0].plugins.score.enabled[1]: Invalid value: "MyCustomPluginB": no such plugin in kube-scheduler v1.35 or gantry (other out-of-tree plugins are not supported)',
    ]);
  });
});

describe("parsing", () => {
  it("accepts JSON, args with their own apiVersion/kind, and warns about process settings", () => {
    const c = loadSchedulerConfig(fixture("json-config.json"), "json-config.json");
    expect(c.percentageOfNodesToScore).toBe(30);
    const p = c.profiles[0];
    expect(p && pluginArgs(p, "InterPodAffinity")?.hardPodAffinityWeight).toBe(5);
    expect(warningsOf(fixture("json-config.json"))).toEqual([
      "clientConnection: configures the scheduler process, not placement; ignored",
      "leaderElection: configures the scheduler process, not placement; ignored",
    ]);
  });

  it("an empty body is the default configuration", () => {
    const c = load("");
    expect(c.profiles).toHaveLength(1);
    expect(c.profiles[0]?.schedulerName).toBe("default-scheduler");
  });

  it("reports unknown fields with their full path", () => {
    expect(
      errorsOfBody(`profiles:
- plugins:
    score:
      enabled:
      - name: ImageLocality
      - name: NodeResourcesFit
        wieght: 3
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        typo: MostAllocated
bogus: 1
featureGates: {Foo: true}
`),
    ).toEqual([
      "bogus: unknown field",
      "featureGates: unknown field (feature gates are kube-scheduler command-line flags (--feature-gates), not configuration fields)",
      "profiles[0].plugins.score.enabled[1].wieght: unknown field",
      "profiles[0].pluginConfig[0].args.scoringStrategy.typo: unknown field",
      'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    ]);
  });

  it("reports wrong types", () => {
    expect(
      errorsOfBody(`percentageOfNodesToScore: "50"
parallelism: 1.5
profiles:
- schedulerName: 7
  plugins:
    filter: [NodeName]
  pluginConfig:
  - name: DefaultPreemption
    args:
      minCandidateNodesAbsolute: true
`),
    ).toEqual([
      "parallelism: expected an integer, got number 1.5",
      'percentageOfNodesToScore: expected an integer, got string "50"',
      "profiles[0].schedulerName: expected a string, got number 7",
      "profiles[0].plugins.filter: expected an object, got array",
      "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: expected an integer, got boolean true",
    ]);
  });

  it("requires apiVersion and kind", () => {
    expect(errorsOf("profiles: []\n")).toEqual([
      'apiVersion: Required value: must be "kubescheduler.config.k8s.io/v1"',
      'kind: Required value: must be "KubeSchedulerConfiguration"',
    ]);
    expect(errorsOf("apiVersion: kubescheduler.config.k8s.io/v1\nkind: Policy\n")).toEqual([
      'kind: Unsupported value: "Policy": supported values: "KubeSchedulerConfiguration" (scheduler Policy files were removed in Kubernetes v1.23)',
    ]);
    expect(
      errorsOf(
        "apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n",
      )[0],
    ).toMatch(/^apiVersion: Unsupported value: "kubescheduler\.config\.k8s\.io\/v1beta3"/);
  });

  it("rejects args of the wrong kind or version", () => {
    expect(
      errorsOfBody(`profiles:
- pluginConfig:
  - name: PodTopologySpread
    args: {kind: NodeResourcesFitArgs}
  - name: InterPodAffinity
    args: {apiVersion: kubescheduler.config.k8s.io/v1beta3}
`),
    ).toEqual([
      'profiles[0].pluginConfig[0].args: Invalid value: "NodeResourcesFitArgs": has to match plugin args (kind PodTopologySpreadArgs)',
      'profiles[0].pluginConfig[1].args.apiVersion: Unsupported value: "kubescheduler.config.k8s.io/v1beta3": supported values: "kubescheduler.config.k8s.io/v1"',
    ]);
  });

  it("rejects extenders, which change placements", () => {
    const errs = errorsOfBody(
      "extenders:\n- urlPrefix: http://127.0.0.1:8888\n  filterVerb: filter\n",
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^extenders: scheduler extenders are not supported/);
    expect(load("extenders: []\n").profiles).toHaveLength(1);
  });

  it("warns about ignored fields and args of arg-less plugins", () => {
    expect(
      warningsOf(`${HEADER}enableProfiling: true
delayCacheUntilActive: true
profiles:
- pluginConfig:
  - name: ImageLocality
    args: {foo: 1}
  - name: VolumeZone
`),
    ).toEqual([
      "enableProfiling: not modelled by gantry; ignored",
      "delayCacheUntilActive: not modelled by gantry; ignored",
      "profiles[0].pluginConfig[0].args: plugin ImageLocality takes no args; ignored",
    ]);
  });

  it("reports YAML syntax errors and document count", () => {
    expect(errorsOf("a: [\n")[0]).toMatch(/^: invalid YAML at line \d+, column \d+: /);
    expect(errorsOf(`${HEADER}---\n${HEADER}`)).toEqual([
      ": expected exactly one YAML document (a KubeSchedulerConfiguration), found 2",
    ]);
    expect(errorsOf("# nothing\n")).toEqual([
      ": empty file: expected a KubeSchedulerConfiguration document",
    ]);
    expect(errorsOf(`${HEADER}parallelism: 1\nparallelism: 2\n`)[0]).toMatch(
      /invalid YAML.*unique/,
    );
  });

  it("throws an InputError whose message lists every diagnostic", () => {
    try {
      load("parallelism: 0\npodInitialBackoffSeconds: 0\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toBe(
        [
          "sched.yaml: parallelism: Invalid value: 0: should be an integer value greater than zero",
          "sched.yaml: podInitialBackoffSeconds: Invalid value: 0: must be greater than 0",
        ].join("\n"),
      );
    }
  });
});

describe("parseDuration", () => {
  it("reads Go durations in seconds", () => {
    expect(parseDuration("10s")).toBe(10);
    expect(parseDuration("1m30s")).toBe(90);
    expect(parseDuration("1.5h")).toBe(5400);
    expect(parseDuration("500ms")).toBe(0.5);
    expect(parseDuration("-2s")).toBe(-2);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("10")).toBeUndefined();
    expect(parseDuration("s")).toBeUndefined();
  });

  it("decodes DynamicResources timeouts", () => {
    const p = load(`profiles:
- pluginConfig:
  - name: DynamicResources
    args: {filterTimeout: 2s, bindingTimeout: 5m}
`).profiles[0];
    expect(p && pluginArgs(p, "DynamicResources")).toEqual({
      kind: "DynamicResourcesArgs",
      filterTimeoutSeconds: 2,
      bindingTimeoutSeconds: 300,
    });
  });
});
