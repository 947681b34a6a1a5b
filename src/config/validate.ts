/**
 * Validate stage: upstream `ValidateKubeSchedulerConfiguration`
 * (`pkg/scheduler/apis/config/validation/validation.go`) on the defaulted config, reporting every
 * problem with its field path and upstream's wording:
 *
 * - `parallelism` > 0; `percentageOfNodesToScore` (global and per profile) in [0, 100];
 *   `podInitialBackoffSeconds` > 0; `podMaxBackoffSeconds` ≥ the initial backoff;
 * - every profile named, names unique; the `queueSort` plugin set identical in all profiles;
 * - plugins removed from v1 (`EBSLimits`, …) rejected wherever named;
 * - `pluginConfig`: one entry per plugin, naming an in-tree plugin, args valid
 *   (`validate-args.ts`).
 *
 * gantry additions (upstream would fail later, at framework start, or not at all):
 * pluginConfig for a name that is neither an in-tree nor a gantry plugin is an error; args for an in-tree plugin
 * that the profile does not enable, and `disabled` entries naming no plugin, are warnings.
 * Plugin-list checks that upstream makes while building the framework live in `resolve.ts`.
 */
import { joinPath } from "../diagnostics.ts";
import type { Reporter } from "./decode.ts";
import { type DefaultedConfig, type DefaultedProfile, enabledPluginNames } from "./defaults.ts";
import { duplicate, invalid, NO_SUCH_PLUGIN, required } from "./messages.ts";
import { CONFIG_API_VERSION, EXTENSION_POINTS, isKnownPlugin, REMOVED_PLUGINS } from "./names.ts";
import type { V1PluginSet } from "./v1.ts";
import { validatePluginArgs } from "./validate-args.ts";

const REMOVED_MESSAGE = `was invalid in version ${JSON.stringify(CONFIG_API_VERSION)} (KubeSchedulerConfiguration is version ${JSON.stringify(CONFIG_API_VERSION)})`;

function validatePercentage(r: Reporter, path: string, value: number | undefined): void {
  if (value !== undefined && (value < 0 || value > 100)) {
    r.error(path, invalid(value, "not in valid range [0-100]"));
  }
}

function validatePluginNames(r: Reporter, profile: DefaultedProfile): void {
  for (const point of ["multiPoint", ...EXTENSION_POINTS] as const) {
    const set = profile.plugins[point];
    for (const p of set.enabled) {
      if (REMOVED_PLUGINS.has(p.name) && p.path) r.error(p.path, invalid(p.name, REMOVED_MESSAGE));
    }
    for (const p of set.disabled) {
      if (p.path && p.name !== "*" && !isKnownPlugin(p.name) && !REMOVED_PLUGINS.has(p.name)) {
        r.warn(
          p.path,
          `${JSON.stringify(p.name)} is not a kube-scheduler v1.35 or gantry plugin; disabling it has no effect`,
        );
      }
    }
  }
}

function validatePluginConfig(r: Reporter, profile: DefaultedProfile): void {
  const seen = new Set<string>();
  const enabled = new Set(enabledPluginNames(profile.plugins));
  for (const pc of profile.pluginConfig) {
    if (!pc.path) continue; // appended defaults are valid by construction
    if (seen.has(pc.name)) r.error(pc.path, duplicate(pc.name));
    else seen.add(pc.name);
    if (REMOVED_PLUGINS.has(pc.name)) {
      r.error(pc.path, invalid(pc.name, REMOVED_MESSAGE));
      continue;
    }
    if (!isKnownPlugin(pc.name)) {
      r.error(joinPath(pc.path, "name"), invalid(pc.name, NO_SUCH_PLUGIN));
      continue;
    }
    if (!enabled.has(pc.name)) {
      r.warn(pc.path, `plugin ${pc.name} is not enabled in this profile; its args are unused`);
    }
    if (pc.args) validatePluginArgs(r, joinPath(pc.path, "args"), pc.args);
  }
}

/** A plugin set as upstream compares it (names, weights, disabled names; not where written). */
function canonicalSet(set: V1PluginSet): unknown {
  return {
    enabled: set.enabled.map((p) =>
      p.weight === undefined ? { name: p.name } : { name: p.name, weight: p.weight },
    ),
    disabled: set.disabled.map((p) => ({ name: p.name })),
  };
}

/** Reports every profile whose merged `queueSort` set differs from the first profile's. */
function validateCommonQueueSort(r: Reporter, profiles: readonly DefaultedProfile[]): void {
  const first = profiles[0];
  if (!first) return;
  const canon = JSON.stringify(canonicalSet(first.plugins.queueSort));
  for (const p of profiles.slice(1)) {
    const curr = canonicalSet(p.plugins.queueSort);
    if (JSON.stringify(curr) !== canon) {
      r.error(
        joinPath(p.path, "plugins.queueSort"),
        invalid(curr, "must be the same for all profiles"),
      );
    }
  }
}

/** Whether all profiles' merged `queueSort` sets are identical (what upstream validation compares). */
export function sameQueueSortSets(profiles: readonly DefaultedProfile[]): boolean {
  const sets = profiles.map((p) => JSON.stringify(canonicalSet(p.plugins.queueSort)));
  return sets.every((s) => s === sets[0]);
}

/** Validates a defaulted configuration, reporting every problem. */
export function validateConfig(r: Reporter, c: DefaultedConfig): void {
  if (c.parallelism <= 0) {
    r.error("parallelism", invalid(c.parallelism, "should be an integer value greater than zero"));
  }
  const names = new Map<string, string>();
  for (const profile of c.profiles) {
    const namePath = joinPath(profile.path, "schedulerName");
    if (profile.schedulerName === "") r.error(namePath, required());
    validatePercentage(
      r,
      joinPath(profile.path, "percentageOfNodesToScore"),
      profile.percentageOfNodesToScore,
    );
    validatePluginNames(r, profile);
    validatePluginConfig(r, profile);
    const first = names.get(profile.schedulerName);
    if (first !== undefined) {
      r.error(namePath, `${duplicate(profile.schedulerName)} (also the name of ${first})`);
    } else if (profile.schedulerName !== "") {
      names.set(profile.schedulerName, profile.path);
    }
  }
  validateCommonQueueSort(r, c.profiles);
  validatePercentage(r, "percentageOfNodesToScore", c.percentageOfNodesToScore);
  if (c.podInitialBackoffSeconds <= 0) {
    r.error(
      "podInitialBackoffSeconds",
      invalid(c.podInitialBackoffSeconds, "must be greater than 0"),
    );
  }
  if (c.podMaxBackoffSeconds < c.podInitialBackoffSeconds) {
    r.error(
      "podMaxBackoffSeconds",
      invalid(c.podMaxBackoffSeconds, "must be greater than or equal to PodInitialBackoffSeconds"),
    );
  }
}
