import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig, unsupportedPlugins } from "../../src/config/index.ts";
import { at, errorsOfBody, HEADER, load, warningsOf } from "./helpers.ts";

const DEFAULT_SCORE = at(defaultSchedulerConfig().profiles[0], "score");
const DEFAULT_FILTER = at(defaultSchedulerConfig().profiles[0], "filter");

describe("multiPoint expansion and per-point overrides (framework semantics)", () => {
  it("a default plugin re-enabled at a point moves to the front there and is re-weighted", () => {
    const p = load(`profiles:
- plugins:
    score:
      enabled:
      - name: ImageLocality
        weight: 5
`).profiles[0];
    expect(at(p, "score")).toEqual([
      "ImageLocality:5",
      ...DEFAULT_SCORE.filter((s) => !s.startsWith("ImageLocality")),
    ]);
  });

  it("re-enabling without a weight gives weight 1, not the default weight", () => {
    const p = load(`profiles:
- plugins:
    score:
      enabled: [{name: TaintToleration}]
`).profiles[0];
    expect(at(p, "score")[0]).toBe("TaintToleration:1");
  });

  it("a multiPoint weight overrides the default weight in place", () => {
    const p = load(`profiles:
- plugins:
    multiPoint:
      enabled: [{name: NodeResourcesFit, weight: 10}]
`).profiles[0];
    expect(at(p, "score")).toEqual(
      DEFAULT_SCORE.map((s) => (s === "NodeResourcesFit:1" ? "NodeResourcesFit:10" : s)),
    );
  });

  it("disabling at one point keeps the plugin at its other points", () => {
    const p = load(`profiles:
- plugins:
    score:
      disabled: [{name: NodeResourcesBalancedAllocation}, {name: ImageLocality}]
    filter:
      disabled: [{name: NodePorts}]
`).profiles[0];
    expect(at(p, "score")).toEqual(DEFAULT_SCORE.slice(0, 7));
    expect(at(p, "preScore")).toContain("NodeResourcesBalancedAllocation");
    expect(at(p, "filter")).toEqual(DEFAULT_FILTER.filter((n) => n !== "NodePorts"));
    expect(at(p, "preFilter")).toContain("NodePorts");
  });

  it("disabling in multiPoint removes the plugin everywhere", () => {
    const p = load(`profiles:
- plugins:
    multiPoint:
      disabled: [{name: NodeResourcesFit}]
`).profiles[0];
    for (const point of ["preFilter", "filter", "preScore", "score"] as const) {
      expect(at(p, point).some((s) => s.startsWith("NodeResourcesFit"))).toBe(false);
    }
    expect(p?.pluginConfig.has("NodeResourcesFit")).toBe(false);
  });

  it('"*" at a point keeps only that point\'s own enabled plugins, in the given order', () => {
    const p = load(`profiles:
- plugins:
    score:
      disabled: [{name: "*"}]
      enabled:
      - {name: NodeResourcesFit, weight: 4}
      - {name: ImageLocality}
`).profiles[0];
    expect(at(p, "score")).toEqual(["NodeResourcesFit:4", "ImageLocality:1"]);
    expect(at(p, "preScore")).toHaveLength(7);
  });

  it('multiPoint "*" drops every default; explicit multiPoint plugins remain', () => {
    const p = load(`profiles:
- plugins:
    multiPoint:
      disabled: [{name: "*"}]
      enabled:
      - name: PrioritySort
      - name: NodeName
      - name: DefaultBinder
      - name: ImageLocality
        weight: 7
`).profiles[0];
    expect(at(p, "filter")).toEqual(["NodeName"]);
    expect(at(p, "score")).toEqual(["ImageLocality:7"]);
    expect(at(p, "preEnqueue")).toEqual([]);
    expect(p && [...p.pluginConfig.keys()]).toEqual([]);
  });

  it("a plugin enabled at one point only, outside multiPoint, follows the expanded ones", () => {
    const p = load(`profiles:
- plugins:
    multiPoint:
      disabled: [{name: ImageLocality}]
    score:
      enabled: [{name: ImageLocality}]
`).profiles[0];
    expect(at(p, "score")).toEqual([
      ...DEFAULT_SCORE.filter((s) => !s.startsWith("ImageLocality")),
      "ImageLocality:1",
    ]);
  });

  it("the v1.36 formula option reaches every profile's balanced-allocation args", () => {
    const c = load("profiles:\n- schedulerName: a\n- schedulerName: b\n", {
      balancedAllocationFormula: "v1.36",
    });
    for (const p of c.profiles) {
      expect(p.pluginConfig.get("NodeResourcesBalancedAllocation")).toMatchObject({
        formula: "v1.36",
      });
    }
  });
});

describe("framework start-up errors", () => {
  it("plugins that do not implement the point, duplicates, queueSort and bind counts", () => {
    expect(
      errorsOfBody(`profiles:
- plugins:
    score:
      enabled: [{name: NodeName}]
    filter:
      enabled: [{name: NodeName}, {name: NodeName}]
    queueSort:
      disabled: [{name: "*"}]
    bind:
      disabled: [{name: DefaultBinder}]
    multiPoint:
      enabled: [{name: Foo}]
`),
    ).toEqual([
      'profiles[0].plugins.multiPoint.enabled[0]: Invalid value: "Foo": no such plugin in kube-scheduler v1.35 or gantry (other out-of-tree plugins are not supported)',
      'profiles[0].plugins.filter.enabled[1]: Duplicate value: "NodeName"',
      'profiles[0].plugins.score.enabled[0]: Invalid value: "NodeName": plugin does not implement the score extension point (it implements filter)',
      "profiles[0].plugins.queueSort: Required value: a queue sort plugin must be enabled",
      "profiles[0].plugins.bind: Required value: at least one bind plugin is needed",
    ]);
  });

  it("two queue sort plugins, and a duplicate multiPoint entry", () => {
    expect(
      errorsOfBody(`profiles:
- plugins:
    queueSort:
      enabled: [{name: PrioritySort}, {name: PrioritySort}]
    multiPoint:
      enabled: [{name: DefaultBinder}, {name: NodeName}, {name: NodeName}]
`),
    ).toEqual([
      'profiles[0].plugins.queueSort.enabled[1]: Duplicate value: "PrioritySort"',
      'profiles[0].plugins.multiPoint.enabled[1]: Duplicate value: "NodeName"',
    ]);
  });

  it("profiles that sort the queue differently through multiPoint", () => {
    // Literal queueSort sets agree (both empty), but the resolved plugins differ.
    expect(
      errorsOfBody(`profiles:
- schedulerName: a
- schedulerName: b
  plugins:
    multiPoint:
      disabled: [{name: PrioritySort}]
`),
    ).toEqual([
      "profiles[1].plugins.queueSort: Required value: a queue sort plugin must be enabled",
      'profiles[1].plugins.queueSort: Invalid value: []: must be the same for all profiles (the first profile sorts with ["PrioritySort"])',
    ]);
  });

  it("warns about ineffective settings", () => {
    expect(
      warningsOf(`${HEADER}profiles:
- plugins:
    score:
      disabled: [{name: NodeResourcesLeastAllocated}]
      enabled: [{name: ImageLocality, weight: -1}]
    multiPoint:
      disabled: [{name: InterPodAffinity}]
  pluginConfig:
  - name: InterPodAffinity
    args: {hardPodAffinityWeight: 2}
`),
    ).toEqual([
      'profiles[0].plugins.score.disabled[0]: "NodeResourcesLeastAllocated" is not a kube-scheduler v1.35 or gantry plugin; disabling it has no effect',
      "profiles[0].pluginConfig[0]: plugin InterPodAffinity is not enabled in this profile; its args are unused",
      "profiles[0].plugins.score.enabled[0].weight: a negative weight inverts this plugin's score (kube-scheduler accepts it)",
    ]);
  });
});

describe("unsupportedPlugins", () => {
  it("lists the plugins gantry has not implemented with the points they run at", () => {
    const profile = defaultSchedulerConfig().profiles[0];
    if (!profile) throw new Error("no profile");
    const implemented = new Set([
      "PrioritySort",
      "SchedulingGates",
      "NodeUnschedulable",
      "NodeName",
      "TaintToleration",
      "NodeAffinity",
      "NodePorts",
      "NodeResourcesFit",
      "GpuShare",
      "PodTopologySpread",
      "InterPodAffinity",
      "DefaultPreemption",
      "NodeResourcesBalancedAllocation",
      "ImageLocality",
      "DefaultBinder",
    ]);
    expect(unsupportedPlugins(profile, implemented)).toEqual([
      {
        plugin: "DynamicResources",
        extensionPoints: [
          "preEnqueue",
          "preFilter",
          "filter",
          "postFilter",
          "score",
          "reserve",
          "preBind",
        ],
      },
      { plugin: "VolumeRestrictions", extensionPoints: ["preFilter", "filter"] },
      { plugin: "NodeVolumeLimits", extensionPoints: ["preFilter", "filter"] },
      {
        plugin: "VolumeBinding",
        extensionPoints: ["preFilter", "filter", "preScore", "score", "reserve", "preBind"],
      },
      { plugin: "VolumeZone", extensionPoints: ["preFilter", "filter"] },
    ]);
    const all = new Set(Object.values(profile.plugins).flatMap((list) => list.map((p) => p.name)));
    expect(unsupportedPlugins(profile, all)).toEqual([]);
  });
});
