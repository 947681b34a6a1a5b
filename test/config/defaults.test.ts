import { describe, expect, it } from "vitest";
import {
  defaultPluginArgs,
  emptyPlugins,
  getDefaultPlugins,
  mergePluginSet,
  mergePlugins,
} from "../../src/config/defaults.ts";
import { defaultSchedulerConfig, pluginArgs } from "../../src/config/index.ts";
import type { V1Plugin, V1PluginSet } from "../../src/config/v1.ts";
import { at } from "./helpers.ts";

describe("defaultSchedulerConfig (v1.35, semantics §1.5/§1.6)", () => {
  const config = defaultSchedulerConfig();
  const profile = config.profiles[0];

  it("has the top-level defaults", () => {
    expect(config.percentageOfNodesToScore).toBe(0);
    expect(config.parallelism).toBe(16);
    expect(config.podInitialBackoffSeconds).toBe(1);
    expect(config.podMaxBackoffSeconds).toBe(10);
    expect(config.profiles.map((p) => p.schedulerName)).toEqual(["default-scheduler"]);
    expect(profile?.percentageOfNodesToScore).toBeUndefined();
  });

  it("runs Filter plugins in the §1.5 order", () => {
    expect(at(profile, "filter")).toEqual([
      "NodeUnschedulable",
      "NodeName",
      "TaintToleration",
      "NodeAffinity",
      "NodePorts",
      "NodeResourcesFit",
      "GpuShare", // gantry's addition (docs/placement-strategies.md)
      "VolumeRestrictions",
      "NodeVolumeLimits",
      "VolumeBinding",
      "VolumeZone",
      "PodTopologySpread",
      "InterPodAffinity",
      "DynamicResources",
    ]);
  });

  it("scores with the default weights", () => {
    // VolumeBinding implements Score (a no-op Skip without StorageCapacityScoring) and so gets
    // weight 1; DynamicResources scores prioritized-list claims (weight 2).
    expect(at(profile, "score")).toEqual([
      "TaintToleration:3",
      "NodeAffinity:2",
      "NodeResourcesFit:1",
      "VolumeBinding:1",
      "PodTopologySpread:2",
      "InterPodAffinity:2",
      "DynamicResources:2",
      "NodeResourcesBalancedAllocation:1",
      "ImageLocality:1",
    ]);
  });

  it("expands every other extension point", () => {
    expect(at(profile, "preEnqueue")).toEqual([
      "SchedulingGates",
      "DynamicResources",
      "DefaultPreemption",
    ]);
    expect(at(profile, "queueSort")).toEqual(["PrioritySort"]);
    expect(at(profile, "preFilter")).toEqual([
      "NodeAffinity",
      "NodePorts",
      "NodeResourcesFit",
      "VolumeRestrictions",
      "NodeVolumeLimits",
      "VolumeBinding",
      "VolumeZone",
      "PodTopologySpread",
      "InterPodAffinity",
      "DynamicResources",
    ]);
    expect(at(profile, "postFilter")).toEqual(["DynamicResources", "DefaultPreemption"]);
    expect(at(profile, "preScore")).toEqual([
      "TaintToleration",
      "NodeAffinity",
      "NodeResourcesFit",
      "VolumeBinding",
      "PodTopologySpread",
      "InterPodAffinity",
      "NodeResourcesBalancedAllocation",
    ]);
    expect(at(profile, "reserve")).toEqual(["GpuShare", "VolumeBinding", "DynamicResources"]);
    expect(at(profile, "permit")).toEqual([]);
    expect(at(profile, "preBind")).toEqual(["VolumeBinding", "DynamicResources"]);
    expect(at(profile, "bind")).toEqual(["DefaultBinder"]);
    expect(at(profile, "postBind")).toEqual([]);
  });

  it("has default args for every enabled plugin with args (§1.6), in name order", () => {
    expect(profile && [...profile.pluginConfig.keys()]).toEqual([
      "DefaultPreemption",
      "DynamicResources",
      "GpuShare",
      "InterPodAffinity",
      "NodeAffinity",
      "NodeResourcesBalancedAllocation",
      "NodeResourcesFit",
      "PodTopologySpread",
      "VolumeBinding",
    ]);
    if (!profile) return;
    expect(pluginArgs(profile, "GpuShare")).toEqual({ kind: "GpuShareArgs", gpuSelection: "best" });
    expect(pluginArgs(profile, "NodeResourcesFit")).toEqual({
      kind: "NodeResourcesFitArgs",
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: {
        type: "LeastAllocated",
        resources: [
          { name: "cpu", weight: 1 },
          { name: "memory", weight: 1 },
        ],
      },
    });
    expect(pluginArgs(profile, "NodeResourcesBalancedAllocation")).toEqual({
      kind: "NodeResourcesBalancedAllocationArgs",
      resources: [
        { name: "cpu", weight: 1 },
        { name: "memory", weight: 1 },
      ],
      formula: "v1.35",
    });
    expect(pluginArgs(profile, "InterPodAffinity")).toEqual({
      kind: "InterPodAffinityArgs",
      hardPodAffinityWeight: 1,
      ignorePreferredTermsOfExistingPods: false,
    });
    expect(pluginArgs(profile, "PodTopologySpread")).toEqual({
      kind: "PodTopologySpreadArgs",
      defaultConstraints: [],
      defaultingType: "System",
    });
    expect(pluginArgs(profile, "NodeAffinity")).toEqual({ kind: "NodeAffinityArgs" });
    expect(pluginArgs(profile, "DefaultPreemption")).toEqual({
      kind: "DefaultPreemptionArgs",
      minCandidateNodesPercentage: 10,
      minCandidateNodesAbsolute: 100,
    });
    expect(pluginArgs(profile, "VolumeBinding")).toEqual({
      kind: "VolumeBindingArgs",
      bindTimeoutSeconds: 600,
      shape: [],
    });
    expect(pluginArgs(profile, "DynamicResources")).toEqual({
      kind: "DynamicResourcesArgs",
      filterTimeoutSeconds: 10,
      bindingTimeoutSeconds: 600,
    });
  });

  it("selects the v1.36 balanced-allocation formula on request", () => {
    const p = defaultSchedulerConfig({ balancedAllocationFormula: "v1.36" }).profiles[0];
    expect(p && pluginArgs(p, "NodeResourcesBalancedAllocation")?.formula).toBe("v1.36");
  });
});

// Upstream pkg/scheduler/apis/config/v1/default_plugins_test.go TestMergePlugins, translated.
const pl = (name: string, weight?: number): V1Plugin =>
  weight === undefined ? { name } : { name, weight };
const set = (enabled: V1Plugin[], disabled: V1Plugin[] = []): V1PluginSet => ({
  enabled,
  disabled,
});

describe("mergePluginSet (upstream TestMergePlugins)", () => {
  const cases: { name: string; custom: V1PluginSet; defaults: V1PluginSet; want: V1PluginSet }[] = [
    {
      name: "AppendCustomPlugin",
      custom: set([pl("CustomPlugin")]),
      defaults: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]),
      want: set([pl("DefaultPlugin1"), pl("DefaultPlugin2"), pl("CustomPlugin")]),
    },
    {
      name: "InsertAfterDefaultPlugins2",
      custom: set([pl("CustomPlugin"), pl("DefaultPlugin2")], [pl("DefaultPlugin2")]),
      defaults: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]),
      want: set(
        [pl("DefaultPlugin1"), pl("CustomPlugin"), pl("DefaultPlugin2")],
        [pl("DefaultPlugin2")],
      ),
    },
    {
      name: "InsertBeforeAllPlugins",
      custom: set([pl("CustomPlugin"), pl("DefaultPlugin1"), pl("DefaultPlugin2")], [pl("*")]),
      defaults: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]),
      want: set([pl("CustomPlugin"), pl("DefaultPlugin1"), pl("DefaultPlugin2")], [pl("*")]),
    },
    {
      name: "ReorderDefaultPlugins",
      custom: set([pl("DefaultPlugin2"), pl("DefaultPlugin1")], [pl("*")]),
      defaults: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]),
      want: set([pl("DefaultPlugin2"), pl("DefaultPlugin1")], [pl("*")]),
    },
    {
      name: "CustomPluginOverrideDefaultPlugin",
      custom: set([pl("Plugin1", 2), pl("Plugin3", 3)]),
      defaults: set([pl("Plugin1"), pl("Plugin2"), pl("Plugin3")]),
      want: set([pl("Plugin1", 2), pl("Plugin2"), pl("Plugin3", 3)]),
    },
    {
      name: "OrderPreserveAfterOverride",
      custom: set([pl("Plugin2", 2), pl("Plugin1", 1)]),
      defaults: set([pl("Plugin1"), pl("Plugin2"), pl("Plugin3")]),
      want: set([pl("Plugin1", 1), pl("Plugin2", 2), pl("Plugin3")]),
    },
    {
      name: "RepeatedCustomPlugin",
      custom: set([pl("Plugin1"), pl("Plugin2", 2), pl("Plugin3"), pl("Plugin2", 4)]),
      defaults: set([pl("Plugin1"), pl("Plugin2"), pl("Plugin3")]),
      want: set([pl("Plugin1"), pl("Plugin2", 4), pl("Plugin3"), pl("Plugin2", 2)]),
    },
    {
      name: "Append disabled Multipoint plugins",
      custom: set([pl("CustomPlugin"), pl("CustomPlugin2")], [pl("DefaultPlugin2")]),
      defaults: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]),
      want: set(
        [pl("DefaultPlugin1"), pl("CustomPlugin"), pl("CustomPlugin2")],
        [pl("DefaultPlugin2")],
      ),
    },
    {
      name: "override default MultiPoint plugins with custom value",
      custom: set([pl("DefaultPlugin", 5)]),
      defaults: set([pl("DefaultPlugin")]),
      want: set([pl("DefaultPlugin", 5)]),
    },
    {
      name: "disabled MultiPoint plugin in default set",
      custom: set([pl("CustomPlugin")]),
      defaults: set([pl("DefaultPlugin")], [pl("DefaultPlugin2")]),
      want: set([pl("DefaultPlugin"), pl("CustomPlugin")], [pl("DefaultPlugin2")]),
    },
    {
      name: "multipoint with only disabled gets merged",
      custom: set([], [pl("DefaultPlugin")]),
      defaults: set([pl("DefaultPlugin")]),
      want: set([], [pl("DefaultPlugin")]),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(mergePluginSet(c.defaults, c.custom)).toEqual(c.want);
    });
  }

  it("ApplyNilCustomPlugin keeps the defaults", () => {
    const defaults = emptyPlugins({ filter: set([pl("DefaultPlugin1"), pl("DefaultPlugin2")]) });
    expect(mergePlugins(defaults, undefined)).toBe(defaults);
  });

  it("merges each extension point independently", () => {
    const merged = mergePlugins(
      getDefaultPlugins(),
      emptyPlugins({
        score: set([], [pl("CustomPlugin2")]),
        multiPoint: set([pl("CustomPlugin")]),
      }),
    );
    expect(merged.score).toEqual(set([], [pl("CustomPlugin2")]));
    expect(merged.multiPoint.enabled.at(-1)).toEqual(pl("CustomPlugin"));
    expect(merged.multiPoint.enabled).toHaveLength(21);
  });
});

describe("defaultPluginArgs (upstream SetDefaults_*Args)", () => {
  it("defaults NodeResourcesFit resources and zero weights", () => {
    expect(
      defaultPluginArgs("NodeResourcesFit", {
        kind: "NodeResourcesFitArgs",
        scoringStrategy: {
          type: "MostAllocated",
          resources: [{ name: "cpu", weight: 0 }, { name: "nvidia.com/gpu" }],
        },
      }),
    ).toMatchObject({
      scoringStrategy: {
        type: "MostAllocated",
        resources: [
          { name: "cpu", weight: 1 },
          { name: "nvidia.com/gpu", weight: 1 },
        ],
      },
    });
    expect(
      defaultPluginArgs("NodeResourcesFit", {
        kind: "NodeResourcesFitArgs",
        scoringStrategy: { type: "MostAllocated" },
      }),
    ).toMatchObject({ scoringStrategy: { resources: [{ name: "cpu" }, { name: "memory" }] } });
  });

  it("keeps an empty strategy type for validation to reject", () => {
    expect(
      defaultPluginArgs("NodeResourcesFit", { kind: "NodeResourcesFitArgs", scoringStrategy: {} }),
    ).toMatchObject({ scoringStrategy: { type: "" } });
  });

  it("defaults PodTopologySpread to System", () => {
    expect(
      defaultPluginArgs("PodTopologySpread", { kind: "PodTopologySpreadArgs", defaultingType: "" }),
    ).toEqual({
      kind: "PodTopologySpreadArgs",
      defaultConstraints: [],
      defaultingType: "System",
    });
  });

  it("fills only the unset DefaultPreemption fields", () => {
    expect(
      defaultPluginArgs("DefaultPreemption", {
        kind: "DefaultPreemptionArgs",
        minCandidateNodesPercentage: 50,
      }),
    ).toEqual({
      kind: "DefaultPreemptionArgs",
      minCandidateNodesPercentage: 50,
      minCandidateNodesAbsolute: 100,
    });
  });
});
