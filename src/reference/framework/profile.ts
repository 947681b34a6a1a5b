/**
 * Profiles: the reference framework runs a resolved `Profile` from `src/config/types.ts`
 * (plugin lists per extension point, score weights resolved, defaulted args in `pluginConfig`).
 * Plugins the registry does not implement must be removed first: {@link unimplementedPlugins}
 * lists them, {@link withImplementedPlugins} removes them.
 */
import type { PluginRef, Profile } from "../external.ts";
import type { Registry } from "./registry.ts";

/** The extension points the reference framework runs. */
export const RUN_EXTENSION_POINTS = [
  "preFilter",
  "filter",
  "postFilter",
  "preScore",
  "score",
  "reserve",
] as const;

export interface UnimplementedPlugin {
  readonly name: string;
  /** The profile's extension points that list it, in the profile's point order. */
  readonly extensionPoints: readonly string[];
}

/**
 * Plugins the profile enables at any extension point (including those the reference framework
 * does not run, e.g. queueSort, postFilter, bind) that `registry` does not implement, in order of
 * first appearance.
 */
export function unimplementedPlugins(profile: Profile, registry: Registry): UnimplementedPlugin[] {
  const points = new Map<string, string[]>();
  for (const [point, refs] of Object.entries(profile.plugins) as [string, readonly PluginRef[]][]) {
    for (const ref of refs) {
      if (registry.has(ref.name)) continue;
      const list = points.get(ref.name) ?? [];
      if (!list.includes(point)) list.push(point);
      points.set(ref.name, list);
    }
  }
  return [...points].map(([name, extensionPoints]) => ({ name, extensionPoints }));
}

/** The profile with every plugin `registry` does not implement removed from every point. */
export function withImplementedPlugins(profile: Profile, registry: Registry): Profile {
  const plugins = Object.fromEntries(
    Object.entries(profile.plugins).map(([point, refs]: [string, readonly PluginRef[]]) => [
      point,
      refs.filter((ref) => registry.has(ref.name)),
    ]),
  ) as unknown as Profile["plugins"];
  return { ...profile, plugins };
}
