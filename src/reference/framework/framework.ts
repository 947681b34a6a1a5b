/**
 * A profile with its plugins instantiated (upstream `frameworkImpl`): ordered plugin lists per
 * extension point, score weights, and the handle plugins use to reach the current snapshot.
 */

import type { Profile } from "../external.ts";
import {
  type FilterPlugin,
  type Handle,
  isFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  type Plugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "./interfaces.ts";
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
  /** Points the plugins' {@link Handle} at the snapshot of the cycle about to run. */
  setSnapshot(snapshot: Snapshot): void;
}

/**
 * Instantiates every plugin the profile names at the points this framework runs (once per name,
 * with its `pluginConfig` args) and arranges them per extension point. Throws when a plugin is not in the registry (filter the
 * profile with `withImplementedPlugins` first) or does not implement an extension point it is
 * enabled at.
 */
export function newFramework(profile: Profile, registry: Registry): Framework {
  let current: Snapshot | undefined;
  const handle: Handle = {
    snapshot() {
      if (!current) throw new Error("no snapshot: the framework has not run a cycle yet");
      return current;
    },
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
  return {
    profileName: profile.schedulerName,
    percentageOfNodesToScore: profile.percentageOfNodesToScore,
    preFilterPlugins: at("preFilter", isPreFilterPlugin),
    filterPlugins: at("filter", isFilterPlugin),
    preScorePlugins: at("preScore", isPreScorePlugin),
    scorePlugins,
    setSnapshot(snapshot: Snapshot) {
      current = snapshot;
    },
  };
}
