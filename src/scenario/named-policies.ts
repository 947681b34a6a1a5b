/**
 * Policies by name (docs/placement-strategies.md): the classic bin-packing strategies, their
 * offline batch variants, and the FGD paper's six GPU policies, each as a {@link Profile} built
 * on gantry's default profile.
 */
import {
  type ClassicStrategy,
  type GantryPluginName,
  type PluginArgs,
  type Profile,
  pluginExtensionPoints,
} from "../config/index.ts";

/** Classic strategies by name: the strategy and whether waiting pods go largest first. */
const CLASSIC: Readonly<Record<string, { strategy: ClassicStrategy; decreasing: boolean }>> = {
  FirstFit: { strategy: "FirstFit", decreasing: false },
  BestFit: { strategy: "BestFit", decreasing: false },
  WorstFit: { strategy: "WorstFit", decreasing: false },
  Random: { strategy: "Random", decreasing: false },
  DotProduct: { strategy: "DotProduct", decreasing: false },
  FirstFitDecreasing: { strategy: "FirstFit", decreasing: true },
  BestFitDecreasing: { strategy: "BestFit", decreasing: true },
};

/** The FGD paper's policies: gantry's name → (score plugin, GpuShare's device choice). */
const GPU: Readonly<
  Record<string, { plugin: GantryPluginName; gpuSelection: "best" | "random" | "fgd" }>
> = {
  GpuRandom: { plugin: "GpuRandomScore", gpuSelection: "random" },
  GpuDotProd: { plugin: "GpuDotProdScore", gpuSelection: "best" },
  GpuClustering: { plugin: "GpuClusteringScore", gpuSelection: "best" },
  GpuPacking: { plugin: "GpuPackingScore", gpuSelection: "best" },
  GpuBestFit: { plugin: "GpuBestFitScore", gpuSelection: "best" },
  FGD: { plugin: "FGDScore", gpuSelection: "fgd" },
};

/** Every policy name this module knows, classic first. */
export const NAMED_POLICIES: readonly string[] = [...Object.keys(CLASSIC), ...Object.keys(GPU)];

/** The paper's name of a GPU policy (replay's vocabulary), e.g. `GpuBestFit` → `BestFit`. */
export const PAPER_NAME: Readonly<Record<string, string>> = {
  GpuRandom: "Random",
  GpuDotProd: "DotProd",
  GpuClustering: "GpuClustering",
  GpuPacking: "GpuPacking",
  GpuBestFit: "BestFit",
  FGD: "FGD",
};

/**
 * The profile of policy `name` on top of `base` (gantry's default profile), or undefined for an
 * unknown name. Classic policies set {@link Profile.selection}; GPU policies keep the filters
 * (GpuShare included), score with their one plugin (weight 1) on every node
 * (`percentageOfNodesToScore: 100`), choose devices with the paper's method, and do not preempt
 * (as the paper's simulator).
 */
export function namedPolicyProfile(name: string, base: Profile): Profile | undefined {
  const classic = CLASSIC[name];
  if (classic !== undefined) return { ...base, selection: classic };
  const gpu = GPU[name];
  if (gpu === undefined) return undefined;
  const filter = base.plugins.filter.some((p) => p.name === "GpuShare")
    ? base.plugins.filter
    : [...base.plugins.filter, { name: "GpuShare", weight: 0 }];
  const reserve = base.plugins.reserve.some((p) => p.name === "GpuShare")
    ? base.plugins.reserve
    : [...base.plugins.reserve, { name: "GpuShare", weight: 0 }];
  const pluginConfig = new Map<string, PluginArgs>(base.pluginConfig);
  pluginConfig.set("GpuShare", { kind: "GpuShareArgs", gpuSelection: gpu.gpuSelection });
  if (gpu.plugin === "FGDScore" && !pluginConfig.has("FGDScore")) {
    pluginConfig.set("FGDScore", { kind: "FGDScoreArgs", popularityThreshold: 95 });
  }
  return {
    ...base,
    percentageOfNodesToScore: 100,
    plugins: {
      ...base.plugins,
      filter,
      reserve,
      // The score plugin's own PreScore, if it has one (GpuRandomScore records the scored nodes).
      preScore: pluginExtensionPoints(gpu.plugin).includes("preScore")
        ? [{ name: gpu.plugin, weight: 0 }]
        : [],
      score: [{ name: gpu.plugin, weight: 1 }],
      // The paper's simulator does not preempt.
      postFilter: [],
    },
    pluginConfig,
  };
}
