import { describe, expect, it } from "vitest";
import { errorsOf, errorsOfBody, fixture, load } from "./helpers.ts";

const args = (name: string, body: string): string =>
  `profiles:\n- pluginConfig:\n  - name: ${name}\n    args:\n${body.replace(/^/gm, "      ")}\n`;

describe("validation reports every error at once, with upstream paths and wording", () => {
  it("invalid-many.yaml", () => {
    expect(errorsOf(fixture("invalid-many.yaml"))).toEqual([
      "profiles[0].plugins.score.enabled[1].wieght: unknown field",
      `profiles[0].pluginConfig[0].args.ignoredResourceGroups[0]: Invalid value: "example.com/foo": resource group name can't contain '/'`,
      'profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
      "profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]",
      'profiles[0].pluginConfig[1]: Duplicate value: "NodeResourcesFit"',
      "profiles[0].pluginConfig[2].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]",
      "profiles[1].percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]",
      'profiles[1].schedulerName: Duplicate value: "default-scheduler" (also the name of profiles[0])',
      "percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]",
      "podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds",
    ]);
  });

  it("top-level values", () => {
    expect(
      errorsOfBody("parallelism: 0\npodInitialBackoffSeconds: 0\npodMaxBackoffSeconds: -1\n"),
    ).toEqual([
      "parallelism: Invalid value: 0: should be an integer value greater than zero",
      "podInitialBackoffSeconds: Invalid value: 0: must be greater than 0",
      "podMaxBackoffSeconds: Invalid value: -1: must be greater than or equal to PodInitialBackoffSeconds",
    ]);
  });

  it("profile names: required among several, unique", () => {
    expect(errorsOfBody("profiles:\n- {}\n- schedulerName: a\n")).toEqual([
      "profiles[0].schedulerName: Required value",
    ]);
    expect(load("profiles:\n- percentageOfNodesToScore: 40\n").profiles[0]).toMatchObject({
      schedulerName: "default-scheduler",
      percentageOfNodesToScore: 40,
    });
  });

  it("queueSort must be the same in all profiles", () => {
    expect(
      errorsOfBody(`profiles:
- schedulerName: a
- schedulerName: b
  plugins:
    queueSort:
      enabled: [{name: PrioritySort}]
      disabled: [{name: "*"}]
`),
    ).toEqual([
      'profiles[1].plugins.queueSort: Invalid value: {"enabled":[{"name":"PrioritySort"}],"disabled":[{"name":"*"}]}: must be the same for all profiles',
    ]);
  });

  it("NodeResourcesFit: RTC shape rules", () => {
    expect(
      errorsOfBody(
        args(
          "NodeResourcesFit",
          `scoringStrategy:
  type: RequestedToCapacityRatio
  requestedToCapacityRatio:
    shape:
    - {utilization: 50, score: 11}
    - {utilization: 50, score: -1}
    - {utilization: 101, score: 5}`,
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 50: values must be sorted in increasing order",
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[0].score: Invalid value: 11: not in valid range [0, 10]",
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[1].score: Invalid value: -1: not in valid range [0, 10]",
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape[2].utilization: Invalid value: 101: not in valid range [0, 100]",
    ]);
    expect(
      errorsOfBody(args("NodeResourcesFit", "scoringStrategy:\n  type: RequestedToCapacityRatio")),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is RequestedToCapacityRatio",
    ]);
    expect(
      errorsOfBody(
        args(
          "NodeResourcesFit",
          "scoringStrategy:\n  type: RequestedToCapacityRatio\n  requestedToCapacityRatio: {}",
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified",
    ]);
    expect(
      errorsOfBody(
        args(
          "NodeResourcesFit",
          "scoringStrategy:\n  type: MostAllocated\n  requestedToCapacityRatio: {shape: []}",
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio: Forbidden: must be nil when type is not RequestedToCapacityRatio",
    ]);
  });

  it("NodeResourcesFit: ignored resources are label names", () => {
    const errs = errorsOfBody(
      args("NodeResourcesFit", 'ignoredResources: ["bad name"]\nignoredResourceGroups: ["a/b"]'),
    );
    expect(errs[0]).toMatch(
      /^profiles\[0\]\.pluginConfig\[0\]\.args\.ignoredResources\[0\]: Invalid value: "bad name": name part must consist of alphanumeric characters/,
    );
    expect(errs[1]).toBe(
      `profiles[0].pluginConfig[0].args.ignoredResourceGroups[0]: Invalid value: "a/b": resource group name can't contain '/'`,
    );
    expect(errs).toHaveLength(2);
  });

  it("NodeResourcesBalancedAllocation: unique resources of weight 1", () => {
    expect(
      errorsOfBody(
        args(
          "NodeResourcesBalancedAllocation",
          "resources:\n- {name: cpu, weight: 2}\n- {name: cpu}",
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.resources[0].weight: Invalid value: 2: must be 1",
      'profiles[0].pluginConfig[0].args.resources[1].name: Duplicate value: "cpu"',
    ]);
  });

  it("DefaultPreemption: ranges and not both zero", () => {
    expect(
      errorsOfBody(
        args(
          "DefaultPreemption",
          "minCandidateNodesPercentage: 101\nminCandidateNodesAbsolute: -1",
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]",
      "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)",
    ]);
    expect(
      errorsOfBody(
        args("DefaultPreemption", "minCandidateNodesPercentage: 0\nminCandidateNodesAbsolute: 0"),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute",
      "profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage",
    ]);
  });

  it("InterPodAffinity: hardPodAffinityWeight in [0, 100]", () => {
    expect(errorsOfBody(args("InterPodAffinity", "hardPodAffinityWeight: -1"))).toEqual([
      "profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]",
    ]);
  });

  it("PodTopologySpread: defaulting type and constraints", () => {
    expect(
      errorsOfBody(
        args(
          "PodTopologySpread",
          `defaultingType: System
defaultConstraints:
- {maxSkew: 0, topologyKey: "", whenUnsatisfiable: ""}
- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {}}
- {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Sometimes}`,
        ),
      ),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.defaultConstraints[1].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod",
      'profiles[0].pluginConfig[0].args.defaultConstraints[3].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
      "profiles[0].pluginConfig[0].args.defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)",
      "profiles[0].pluginConfig[0].args.defaultConstraints[0].topologyKey: Required value: can not be empty",
      "profiles[0].pluginConfig[0].args.defaultConstraints[0].whenUnsatisfiable: Required value: can not be empty",
      'profiles[0].pluginConfig[0].args.defaultConstraints[2]: Duplicate value: "{zone, DoNotSchedule}"',
    ]);
    expect(errorsOfBody(args("PodTopologySpread", "defaultingType: Custom"))).toEqual([
      'profiles[0].pluginConfig[0].args.defaultingType: Unsupported value: "Custom": supported values: "System", "List"',
    ]);
  });

  it("NodeAffinity: addedAffinity is parsed like the scheduler does", () => {
    expect(
      errorsOfBody(
        args(
          "NodeAffinity",
          `addedAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    nodeSelectorTerms:
    - matchExpressions:
      - {key: a, operator: In}
      - {key: b, operator: Exists, values: [x]}
      - {key: c, operator: Gt, values: ["x"]}
      - {key: d, operator: Near, values: ["1"]}
      matchFields:
      - {key: metadata.name, operator: In, values: [n1, n2]}
  preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 1
    preference:
      matchExpressions:
      - {key: "-bad", operator: DoesNotExist}`,
        ),
      ),
    ).toEqual([
      'profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
      "profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
      'profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
      `profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
      'profiles[0].pluginConfig[0].args.addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Invalid value: ["n1","n2"]: must have one element',
      `profiles[0].pluginConfig[0].args.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });

  it("VolumeBinding and DynamicResources", () => {
    expect(
      errorsOfBody(`profiles:
- pluginConfig:
  - name: VolumeBinding
    args:
      bindTimeoutSeconds: -1
      shape: [{utilization: 0, score: 0}]
  - name: DynamicResources
    args: {filterTimeout: -1s, bindingTimeout: 500ms}
`),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value",
      'profiles[0].pluginConfig[0].args.shape: Invalid value: [{"utilization":0,"score":0}]: unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring',
      'profiles[0].pluginConfig[1].args.filterTimeout: Invalid value: "-1s": must be zero or positive',
      'profiles[0].pluginConfig[1].args.bindingTimeout: Invalid value: "0.5s": must be at least 1 second',
    ]);
  });

  it("pluginConfig must name an in-tree plugin; removed plugins are invalid", () => {
    expect(
      errorsOfBody(`profiles:
- plugins:
    filter:
      enabled: [{name: EBSLimits}]
  pluginConfig:
  - name: Coscheduling
    args: {permitWaitingTimeSeconds: 10}
  - name: GCEPDLimits
`),
    ).toEqual([
      'profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
      'profiles[0].pluginConfig[0].name: Invalid value: "Coscheduling": no such plugin in kube-scheduler v1.35 or gantry (other out-of-tree plugins are not supported)',
      'profiles[0].pluginConfig[1]: Invalid value: "GCEPDLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
    ]);
  });
});
