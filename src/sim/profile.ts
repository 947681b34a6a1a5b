/**
 * The profile a simulation runs: the configured one, less what gantry cannot run yet — plugins
 * the reference does not implement (the volume plugins, DynamicResources) and those the core
 * does not run — with the dropped names returned so commands report them (never silently).
 */
import type { Profile } from "../config/types.ts";
import { restrictToCore } from "../core/scheduler.ts";
import { defaultRegistry, withImplementedPlugins } from "../reference/index.ts";

/** Plugin names anywhere in `profile`'s extension points. */
function pluginNames(profile: Profile): Set<string> {
  const out = new Set<string>();
  for (const refs of Object.values(profile.plugins) as unknown as { name: string }[][]) {
    for (const r of refs) out.add(r.name);
  }
  return out;
}

/** Plugins the simulation models itself: the queue's sort, scheduling gates and the binding. */
const MODELLED = new Set(["PrioritySort", "SchedulingGates", "DefaultBinder"]);

/** `profile` restricted to what the core runs, and the plugins that were dropped (sorted). */
export function coreProfile(profile: Profile): { profile: Profile; dropped: string[] } {
  const restricted = restrictToCore(withImplementedPlugins(profile, defaultRegistry()));
  const kept = pluginNames(restricted);
  const dropped = [...pluginNames(profile)].filter((n) => !kept.has(n) && !MODELLED.has(n)).sort();
  return { profile: restricted, dropped };
}
