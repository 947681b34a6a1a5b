/**
 * A profile with its plugins instantiated (upstream `frameworkImpl`): ordered plugin lists per
 * extension point, score weights, and the handle plugins use to reach the current snapshot.
 */

import type { Profile, ProfileSelection } from "../external.ts";
import { Pcg32 } from "../rand.ts";
import {
  type FilterPlugin,
  type FrameworkHandle,
  isFilterPlugin,
  isPostFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isReservePlugin,
  isScorePlugin,
  type Plugin,
  type PostFilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from "./interfaces.ts";
import { runFilterPlugins, runPreFilterExtension } from "./phases.ts";
import type { RUN_EXTENSION_POINTS } from "./profile.ts";
import type { Registry } from "./registry.ts";
import type { Snapshot } from "./snapshot.ts";

type RunPoint = (typeof RUN_EXTENSION_POINTS)[number];

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  /** Always ≥ 1: an absent or 0 weight counts as 1. */
  readonly weight: number;
}

export interface Framework {
  readonly profileName: string;
  readonly percentageOfNodesToScore?: number;
  readonly preFilterPlugins: readonly PreFilterPlugin[];
  readonly filterPlugins: readonly FilterPlugin[];
  readonly preScorePlugins: readonly PreScorePlugin[];
  readonly scorePlugins: readonly WeightedScorePlugin[];
  /** PostFilter plugins (DefaultPreemption), run when no node is feasible. */
  readonly postFilterPlugins: readonly PostFilterPlugin[];
  /** Reserve plugins (gantry's GpuShare), run on the selected node before the pod is assumed. */
  readonly reservePlugins: readonly ReservePlugin[];
  /**
   * The profile's by-name classic strategy (`Profile.selection`): when set, every node is
   * filtered and the strategy replaces Score and selectHost (see `selection.ts`).
   */
  readonly selection?: ProfileSelection;
  /** Points the plugins' {@link Handle} at the snapshot of the cycle about to run. */
  setSnapshot(snapshot: Snapshot): void;
  /**
   * Points the handle's `rng()` at the generator of the scheduler about to run a cycle
   * (initially a private `new Pcg32(0)`).
   */
  setRng(rng: Pcg32): void;
}

/**
 * Instantiates every plugin the profile names at the points this framework runs (once per name,
 * with its `pluginConfig` args) and arranges them per extension point. Throws when a plugin is not in the registry (filter the
 * profile with `withImplementedPlugins` first) or does not implement an extension point it is
 * enabled at.
 */
export function newFramework(profile: Profile, registry: Registry): Framework {
  let current: Snapshot | undefined;
  let rng = new Pcg32(0n);
  // The handle's runners need the framework, which needs the plugins, which need the handle.
  let self: Framework | undefined;
  const fwkOf = (): Framework => {
    if (!self) throw new Error("the framework is still being built");
    return self;
  };
  const handle: FrameworkHandle = {
    snapshot() {
      if (!current) throw new Error("no snapshot: the framework has not run a cycle yet");
      return current;
    },
    runFilterPluginsWithNominatedPods: (state, pod, nodeInfo) =>
      runFilterPlugins(fwkOf(), state, pod, nodeInfo),
    runPreFilterExtensionAddPod: (state, podToSchedule, podToAdd, nodeInfo) =>
      runPreFilterExtension(fwkOf(), "AddPod", state, podToSchedule, podToAdd, nodeInfo),
    runPreFilterExtensionRemovePod: (state, podToSchedule, podToRemove, nodeInfo) =>
      runPreFilterExtension(fwkOf(), "RemovePod", state, podToSchedule, podToRemove, nodeInfo),
    rng: () => rng,
    pluginArgs: (name) => profile.pluginConfig.get(name),
  };
  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin => {
    let plugin = instances.get(name);
    if (plugin) return plugin;
    const factory = registry.get(name);
    if (!factory) throw new Error(`plugin ${JSON.stringify(name)} is not implemented`);
    const args = profile.pluginConfig.get(name);
    plugin = factory(args, handle);
    instances.set(name, plugin);
    return plugin;
  };
  const at = <T extends Plugin>(point: RunPoint, guard: (p: Plugin) => p is T): T[] =>
    profile.plugins[point].map((ref) => {
      const p = instance(ref.name);
      if (!guard(p)) throw new Error(`plugin ${JSON.stringify(ref.name)} does not extend ${point}`);
      return p;
    });

  const scorePlugins = at("score", isScorePlugin).map((plugin, i) => {
    const weight = profile.plugins.score[i]?.weight ?? 0;
    return { plugin, weight: weight === 0 ? 1 : weight };
  });
  self = {
    profileName: profile.schedulerName,
    percentageOfNodesToScore: profile.percentageOfNodesToScore,
    preFilterPlugins: at("preFilter", isPreFilterPlugin),
    filterPlugins: at("filter", isFilterPlugin),
    preScorePlugins: at("preScore", isPreScorePlugin),
    scorePlugins,
    postFilterPlugins: at("postFilter", isPostFilterPlugin),
    reservePlugins: at("reserve", isReservePlugin),
    ...(profile.selection ? { selection: profile.selection } : {}),
    setSnapshot(snapshot: Snapshot) {
      current = snapshot;
    },
    setRng(r: Pcg32) {
      rng = r;
    },
  };
  return self;
}
