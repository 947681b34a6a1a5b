/**
 * kube-scheduler configuration (`kubescheduler.config.k8s.io/v1` KubeSchedulerConfiguration):
 * parse → default → validate → resolve, with upstream v1.35 semantics.
 *
 *     const config = loadSchedulerConfig(await readFile(path, "utf8"), path);
 *     const profile = profileFor(config, pod.spec.schedulerName);
 *
 * Every problem of a file is collected and thrown at once as an {@link InputError}; warnings
 * (ignored fields and the like) go to `options.diagnostics` when given.
 */
import { Diagnostics, InputError } from "../diagnostics.ts";
import { Reporter } from "./decode.ts";
import { type DefaultedConfig, defaultConfig, type LoadOptions } from "./defaults.ts";
import { parseSchedulerConfig } from "./load.ts";
import { EXTENSION_POINTS, type ExtensionPoint } from "./names.ts";
import { checkResolvedQueueSort, resolveProfile } from "./resolve.ts";
import type { KubeSchedulerConfiguration, PluginArgsByName, Profile } from "./types.ts";
import { sameQueueSortSets, validateConfig } from "./validate.ts";

export { DEFAULT_SCHEDULER_NAME, type LoadOptions } from "./defaults.ts";
export {
  CONFIG_API_VERSION,
  EXTENSION_POINTS,
  type ExtensionPoint,
  GANTRY_PLUGIN_EXTENSION_POINTS,
  GantryPluginName,
  type InTreePluginName,
  isGantryPlugin,
  isKnownPlugin,
  type KnownPluginName,
  PLUGIN_EXTENSION_POINTS,
  PluginName,
  pluginExtensionPoints,
} from "./names.ts";
export * from "./types.ts";

/** Options of {@link loadSchedulerConfig}. */
export interface LoadSchedulerConfigOptions extends LoadOptions {
  /** Receives warnings (and, before an InputError is thrown, errors too). */
  readonly diagnostics?: Diagnostics;
}

function finish(r: Reporter, defaulted: DefaultedConfig): KubeSchedulerConfiguration {
  validateConfig(r, defaulted);
  const profiles = defaulted.profiles.map((p) => resolveProfile(r, p));
  if (sameQueueSortSets(defaulted.profiles)) {
    checkResolvedQueueSort(
      r,
      profiles,
      defaulted.profiles.map((p) => p.path),
    );
  }
  return {
    percentageOfNodesToScore: defaulted.percentageOfNodesToScore,
    podInitialBackoffSeconds: defaulted.podInitialBackoffSeconds,
    podMaxBackoffSeconds: defaulted.podMaxBackoffSeconds,
    parallelism: defaulted.parallelism,
    profiles,
  };
}

/**
 * Loads a KubeSchedulerConfiguration from YAML or JSON text (`file` names it in diagnostics) and
 * returns it defaulted, validated and resolved.
 * @throws InputError carrying every diagnostic when the file has any error.
 */
export function loadSchedulerConfig(
  text: string,
  file: string,
  options: LoadSchedulerConfigOptions = {},
): KubeSchedulerConfiguration {
  const diagnostics = new Diagnostics();
  const r = new Reporter(diagnostics, file);
  const decoded = parseSchedulerConfig(r, text);
  // Decoding drops only the malformed parts, so validating the rest still reports real problems.
  const config = decoded ? finish(r, defaultConfig(decoded, options)) : undefined;
  for (const d of diagnostics.items) options.diagnostics?.add(d);
  if (!config || diagnostics.hasErrors) throw new InputError(diagnostics.items);
  return config;
}

/** The configuration kube-scheduler v1.35 runs with when given none. */
export function defaultSchedulerConfig(options: LoadOptions = {}): KubeSchedulerConfiguration {
  const r = new Reporter(new Diagnostics(), "<default>");
  const config = finish(r, defaultConfig({ profiles: [] }, options));
  if (r.diagnostics.hasErrors)
    throw new Error("gantry bug: the default scheduler config is invalid");
  return config;
}

/** The profile serving pods with `spec.schedulerName === schedulerName`, if any. */
export function profileFor(
  config: KubeSchedulerConfiguration,
  schedulerName: string,
): Profile | undefined {
  return config.profiles.find((p) => p.schedulerName === schedulerName);
}

/** Typed access to a plugin's defaulted args in a profile. */
export function pluginArgs<N extends keyof PluginArgsByName>(
  profile: Profile,
  plugin: N,
): PluginArgsByName[N] | undefined {
  return profile.pluginConfig.get(plugin) as PluginArgsByName[N] | undefined;
}

/** A configured plugin that gantry does not implement, and where the profile uses it. */
export interface UnsupportedPlugin {
  readonly plugin: string;
  readonly extensionPoints: readonly ExtensionPoint[];
}

/**
 * The plugins a profile runs that are not in `implemented`, each with the extension points it is
 * enabled at, in first-use order — so callers can refuse (or loudly report) a configuration
 * instead of silently dropping a plugin.
 */
export function unsupportedPlugins(
  profile: Profile,
  implemented: ReadonlySet<string>,
): UnsupportedPlugin[] {
  const byPlugin = new Map<string, ExtensionPoint[]>();
  for (const point of EXTENSION_POINTS) {
    for (const { name } of profile.plugins[point]) {
      if (implemented.has(name)) continue;
      const points = byPlugin.get(name) ?? [];
      points.push(point);
      byPlugin.set(name, points);
    }
  }
  return [...byPlugin].map(([plugin, extensionPoints]) => ({ plugin, extensionPoints }));
}
