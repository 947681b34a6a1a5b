/**
 * Resolve stage: what kube-scheduler's framework does with a defaulted profile when it starts
 * (`pkg/scheduler/framework/runtime/framework.go`: `NewFramework`, `updatePluginList`,
 * `expandMultiPointPlugins`, `getScoreWeights`), producing the ordered per-extension-point
 * plugin lists of a {@link Profile}.
 *
 * Per extension point:
 * 1. the point's own enabled plugins, in order (each must exist, implement the point, and appear
 *    once);
 * 2. unless the point disables `"*"`, multiPoint plugins that implement the point and are not
 *    disabled there are merged in. Order: plugins of the point's own list that are also in
 *    multiPoint (the user re-configured them; their order kept), then the remaining multiPoint
 *    plugins in multiPoint order, then the rest of the point's own list.
 *
 * Score weights: the first of the `score` entries, then the `multiPoint` entries, that names the
 * plugin; 0 or unset becomes 1. So a default plugin re-enabled under `score` without a weight gets
 * 1, not its default weight.
 *
 * Framework start-up failures are reported as diagnostics at the user's field path. gantry's
 * own plugins (`GantryPluginName`) are accepted beside the in-tree ones, and `GpuShare` with
 * `gpuSelection: fgd` needs `FGDScore` at the score point.
 */
import { joinPath } from "../diagnostics.ts";
import type { Reporter } from "./decode.ts";
import type { DefaultedProfile } from "./defaults.ts";
import { duplicate, invalid, NO_SUCH_PLUGIN, required } from "./messages.ts";
import {
  EXTENSION_POINTS,
  type ExtensionPoint,
  implementsPoint,
  isKnownPlugin,
  pluginExtensionPoints,
  REMOVED_PLUGINS,
} from "./names.ts";
import type { PluginArgs, PluginRef, Profile, ResolvedPlugins } from "./types.ts";
import type { V1Plugin } from "./v1.ts";

/** Resolves one defaulted profile; problems go to `r`. */
export function resolveProfile(r: Reporter, profile: DefaultedProfile): Profile {
  const pluginsPath = joinPath(profile.path, "plugins");
  const at = (p: V1Plugin, point: string): string => p.path ?? joinPath(pluginsPath, point);
  const multiPoint = profile.plugins.multiPoint.enabled;

  // Unknown multiPoint plugins are reported once, not once per extension point.
  for (const p of multiPoint) {
    if (!isKnownPlugin(p.name) && !REMOVED_PLUGINS.has(p.name)) {
      r.error(at(p, "multiPoint"), invalid(p.name, NO_SUCH_PLUGIN));
    }
  }
  const reportedDuplicates = new Set<string>();

  const names = {} as Record<ExtensionPoint, string[]>;
  for (const point of EXTENSION_POINTS) {
    const set = profile.plugins[point];
    const own: string[] = [];
    for (const p of set.enabled) {
      if (REMOVED_PLUGINS.has(p.name)) continue; // reported by validation
      if (!isKnownPlugin(p.name)) {
        r.error(at(p, point), invalid(p.name, NO_SUCH_PLUGIN));
      } else if (!implementsPoint(p.name, point)) {
        const has = pluginExtensionPoints(p.name).join(", ");
        r.error(
          at(p, point),
          invalid(
            p.name,
            `plugin does not implement the ${point} extension point (it implements ${has})`,
          ),
        );
      } else if (own.includes(p.name)) {
        r.error(at(p, point), duplicate(p.name));
      } else {
        own.push(p.name);
      }
    }
    const disabled = new Set(set.disabled.map((p) => p.name));
    if (multiPoint.length === 0 || disabled.has("*")) {
      names[point] = own;
      continue;
    }
    const fromMulti: string[] = [];
    const overridden = new Set<string>();
    for (const p of multiPoint) {
      if (!isKnownPlugin(p.name) || !implementsPoint(p.name, point) || disabled.has(p.name)) {
        continue;
      }
      if (own.includes(p.name)) {
        overridden.add(p.name);
      } else if (fromMulti.includes(p.name)) {
        if (!reportedDuplicates.has(p.name)) {
          r.error(at(p, "multiPoint"), duplicate(p.name));
          reportedDuplicates.add(p.name);
        }
      } else {
        fromMulti.push(p.name);
      }
    }
    names[point] = [
      ...own.filter((n) => overridden.has(n)),
      ...fromMulti,
      ...own.filter((n) => !overridden.has(n)),
    ];
  }

  const weights = new Map<string, number>();
  for (const p of [...profile.plugins.score.enabled, ...multiPoint]) {
    if (weights.has(p.name) || !isKnownPlugin(p.name) || !implementsPoint(p.name, "score"))
      continue;
    weights.set(p.name, p.weight ? p.weight : 1);
  }
  for (const p of [...profile.plugins.score.enabled, ...multiPoint]) {
    if (p.weight !== undefined && p.weight < 0 && p.path && names.score.includes(p.name)) {
      r.warn(
        joinPath(p.path, "weight"),
        "a negative weight inverts this plugin's score (kube-scheduler accepts it)",
      );
    }
  }

  const plugins = {} as Record<ExtensionPoint, PluginRef[]>;
  for (const point of EXTENSION_POINTS) {
    plugins[point] = names[point].map((name) => ({
      name,
      weight: point === "score" ? (weights.get(name) ?? 1) : 0,
    }));
  }

  if (plugins.queueSort.length !== 1) {
    r.error(
      joinPath(pluginsPath, "queueSort"),
      plugins.queueSort.length === 0
        ? required("a queue sort plugin must be enabled")
        : invalid(plugins.queueSort.length, "only one queue sort plugin can be enabled"),
    );
  }
  if (plugins.bind.length === 0) {
    r.error(joinPath(pluginsPath, "bind"), required("at least one bind plugin is needed"));
  }

  const pluginConfig = new Map<string, PluginArgs>();
  for (const pc of profile.pluginConfig) {
    if (pc.args && !pluginConfig.has(pc.name)) pluginConfig.set(pc.name, pc.args);
  }
  checkGpuSelection(r, profile, plugins);
  return {
    schedulerName: profile.schedulerName,
    ...(profile.percentageOfNodesToScore === undefined
      ? {}
      : { percentageOfNodesToScore: profile.percentageOfNodesToScore }),
    plugins: plugins as ResolvedPlugins,
    pluginConfig,
  };
}

/**
 * gantry: `GpuShare` with `gpuSelection: fgd` takes FGD's typical pods from `FGDScore`, so when
 * GpuShare runs (filter or reserve) FGDScore must be enabled at the score point of the same
 * profile; reported at the user's `…args.gpuSelection`.
 */
function checkGpuSelection(
  r: Reporter,
  profile: DefaultedProfile,
  plugins: Readonly<Record<ExtensionPoint, readonly PluginRef[]>>,
): void {
  const pc = profile.pluginConfig.find((c) => c.name === "GpuShare");
  if (pc?.args?.kind !== "GpuShareArgs" || pc.args.gpuSelection !== "fgd") return;
  const runs = (point: ExtensionPoint, name: string) => plugins[point].some((p) => p.name === name);
  if (!runs("filter", "GpuShare") && !runs("reserve", "GpuShare")) return;
  if (runs("score", "FGDScore")) return;
  const at = joinPath(
    joinPath(pc.path ?? joinPath(profile.path, "pluginConfig"), "args"),
    "gpuSelection",
  );
  r.error(at, invalid("fgd", "requires the FGDScore score plugin enabled in this profile"));
}

/**
 * Checks that all resolved profiles sort the queue with the same plugin (there is one queue),
 * as upstream's `profile.NewMap` does. Only meaningful when the literal `queueSort` sets agree.
 */
export function checkResolvedQueueSort(
  r: Reporter,
  profiles: readonly Profile[],
  paths: readonly string[],
): void {
  const first = profiles[0]?.plugins.queueSort.map((p) => p.name) ?? [];
  profiles.slice(1).forEach((p, i) => {
    const curr = p.plugins.queueSort.map((q) => q.name);
    if (JSON.stringify(curr) !== JSON.stringify(first)) {
      r.error(
        joinPath(paths[i + 1] ?? "profiles", "plugins.queueSort"),
        invalid(
          curr,
          `must be the same for all profiles (the first profile sorts with ${JSON.stringify(first)})`,
        ),
      );
    }
  });
}
