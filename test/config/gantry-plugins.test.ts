/**
 * gantry's out-of-tree plugins in KubeSchedulerConfiguration (docs/placement-strategies.md):
 * registered beside the in-tree ones, GpuShareArgs / FGDScoreArgs decoded, defaulted and
 * validated with field paths.
 */
import { describe, expect, it } from "vitest";
import {
  GANTRY_PLUGIN_EXTENSION_POINTS,
  isKnownPlugin,
  pluginArgs,
} from "../../src/config/index.ts";
import { isInTreePlugin } from "../../src/config/names.ts";
import { at, errorsOfBody, load } from "./helpers.ts";

const FGD_PROFILE = `profiles:
  - plugins:
      multiPoint:
        enabled:
        - name: FGDScore
          weight: 1
`;

describe("gantry plugins", () => {
  it("are known but not in-tree", () => {
    for (const name of Object.keys(GANTRY_PLUGIN_EXTENSION_POINTS)) {
      expect(isKnownPlugin(name)).toBe(true);
      expect(isInTreePlugin(name)).toBe(false);
    }
    expect(GANTRY_PLUGIN_EXTENSION_POINTS.GpuShare).toEqual(["filter", "reserve"]);
  });

  it("score plugins can be enabled and weighed; GpuShare runs by default", () => {
    const c = load(`profiles:
  - plugins:
      score:
        enabled:
        - {name: BestFit, weight: 3}
        - {name: GpuPackingScore}
`);
    const p = c.profiles[0];
    expect(at(p, "score")).toContain("BestFit:3");
    expect(at(p, "score")).toContain("GpuPackingScore:1");
    expect(at(p, "filter")).toContain("GpuShare");
    expect(p?.selection).toBeUndefined();
    expect(p && pluginArgs(p, "GpuShare")).toEqual({ kind: "GpuShareArgs", gpuSelection: "best" });
  });

  it("FirstFit at filter is rejected (score only)", () => {
    expect(
      errorsOfBody(`profiles:
  - plugins:
      filter:
        enabled:
        - name: FirstFit
`),
    ).toEqual([
      'profiles[0].plugins.filter.enabled[0]: Invalid value: "FirstFit": plugin does not implement the filter extension point (it implements score)',
    ]);
  });

  it("decodes and defaults FGDScoreArgs: cpu as a quantity, p = weight / Σ weights", () => {
    const c = load(`${FGD_PROFILE}    pluginConfig:
    - name: FGDScore
      args:
        typicalPods:
        - {cpu: 500m, gpuMilli: 250, numGpu: 1, models: [V100M16], weight: 3}
        - {cpu: 2, gpuMilli: 0, numGpu: 0, weight: 1}
    - name: GpuShare
      args: {gpuSelection: fgd}
`);
    const p = c.profiles[0];
    expect(p && pluginArgs(p, "FGDScore")).toEqual({
      kind: "FGDScoreArgs",
      typicalPods: [
        { cpuMilli: 500, gpuMilli: 250, numGpu: 1, models: ["V100M16"], weight: 3, p: 0.75 },
        { cpuMilli: 2000, gpuMilli: 0, numGpu: 0, models: [], weight: 1, p: 0.25 },
      ],
      popularityThreshold: 95,
    });
    expect(p && pluginArgs(p, "GpuShare")).toEqual({ kind: "GpuShareArgs", gpuSelection: "fgd" });
  });

  it("FGDScoreArgs without typical pods keeps the popularity threshold", () => {
    const c = load(`${FGD_PROFILE}    pluginConfig:
    - name: FGDScore
      args: {popularityThreshold: 90.5}
`);
    const p = c.profiles[0];
    expect(p && pluginArgs(p, "FGDScore")).toEqual({
      kind: "FGDScoreArgs",
      popularityThreshold: 90.5,
    });
  });

  it("unknown keys and a bad gpuSelection are errors with paths", () => {
    expect(
      errorsOfBody(`profiles:
  - pluginConfig:
    - name: GpuShare
      args: {gpuSelection: worst, extra: 1}
`),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.extra: unknown field",
      'profiles[0].pluginConfig[0].args.gpuSelection: Unsupported value: "worst": supported values: "best", "random", "fgd"',
    ]);
  });

  it("gpuSelection fgd needs FGDScore in the same profile", () => {
    expect(
      errorsOfBody(`profiles:
  - pluginConfig:
    - name: GpuShare
      args: {gpuSelection: fgd}
`),
    ).toEqual([
      'profiles[0].pluginConfig[0].args.gpuSelection: Invalid value: "fgd": requires the FGDScore score plugin enabled in this profile',
    ]);
    // With FGDScore disabled again at score, still an error.
    expect(
      errorsOfBody(`profiles:
  - plugins:
      multiPoint:
        enabled: [{name: FGDScore}]
      score:
        disabled: [{name: FGDScore}]
    pluginConfig:
    - name: GpuShare
      args: {gpuSelection: fgd}
`),
    ).toHaveLength(1);
  });

  it("bad typical pods are reported field by field", () => {
    expect(
      errorsOfBody(`${FGD_PROFILE}    pluginConfig:
    - name: FGDScore
      args:
        popularityThreshold: 0
        typicalPods:
        - {cpu: 1, gpuMilli: 1001, numGpu: 1, weight: 1}
        - {cpu: 1, gpuMilli: 500, numGpu: 0, weight: 0}
        - {cpu: -1, gpuMilli: 1000, numGpu: 17, models: [""], weight: 1}
        - {cpu: 1x, gpuMilli: 1000, numGpu: 1, weight: 1, cpuMilli: 5}
        - {gpuMilli: 1000, numGpu: 1}
`),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.typicalPods[3].cpuMilli: unknown field",
      'profiles[0].pluginConfig[0].args.typicalPods[3].cpu: "1x" is not a valid quantity',
      "profiles[0].pluginConfig[0].args.typicalPods[4].cpu: Required value",
      "profiles[0].pluginConfig[0].args.typicalPods[4].weight: Required value",
      "profiles[0].pluginConfig[0].args.popularityThreshold: Invalid value: 0: not in valid range (0, 100]",
      "profiles[0].pluginConfig[0].args.typicalPods[0].gpuMilli: Invalid value: 1001: not in valid range [1, 1000]",
      "profiles[0].pluginConfig[0].args.typicalPods[1].gpuMilli: Invalid value: 500: must be 0 when numGpu is 0",
      "profiles[0].pluginConfig[0].args.typicalPods[1].weight: Invalid value: 0: must be a positive number",
      'profiles[0].pluginConfig[0].args.typicalPods[2].cpu: Invalid value: "-1000m": must be ≥ 0',
      "profiles[0].pluginConfig[0].args.typicalPods[2].numGpu: Invalid value: 17: not in valid range [0, 16]",
      "profiles[0].pluginConfig[0].args.typicalPods[2].models[0]: Required value: can not be empty",
      "profiles[0].pluginConfig[0].args.typicalPods[4].weight: Invalid value: 0: must be a positive number",
    ]);
  });

  it("an empty typical-pod list is an error", () => {
    expect(
      errorsOfBody(`${FGD_PROFILE}    pluginConfig:
    - name: FGDScore
      args: {typicalPods: []}
`),
    ).toEqual([
      "profiles[0].pluginConfig[0].args.typicalPods: Required value: at least one typical pod (omit typicalPods to derive them from the workload)",
    ]);
  });

  it("the profile's selection is not settable from the file", () => {
    expect(
      errorsOfBody(`profiles:
  - selection: {strategy: BestFit, decreasing: false}
`),
    ).toEqual(["profiles[0].selection: unknown field"]);
  });
});
