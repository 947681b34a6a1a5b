/** Shared helpers for the scheduler-config tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type KubeSchedulerConfiguration,
  type LoadSchedulerConfigOptions,
  loadSchedulerConfig,
  type Profile,
} from "../../src/config/index.ts";
import type { ExtensionPoint } from "../../src/config/names.ts";
import { Diagnostics, InputError } from "../../src/diagnostics.ts";

export const HEADER =
  "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n";

/** Reads `fixtures/config/<name>`. */
export function fixture(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url)),
    "utf8",
  );
}

/** Loads YAML text with `HEADER` prepended. */
export function load(
  body: string,
  options: LoadSchedulerConfigOptions = {},
): KubeSchedulerConfiguration {
  return loadSchedulerConfig(HEADER + body, "sched.yaml", options);
}

/** Loads and returns the warnings as `path: message` lines. */
export function warningsOf(text: string): string[] {
  const diagnostics = new Diagnostics();
  loadSchedulerConfig(text, "sched.yaml", { diagnostics });
  return diagnostics.warnings().map((d) => `${d.path}: ${d.message}`);
}

/** Loads text expected to fail; returns the errors as `path: message` lines, in report order. */
export function errorsOf(text: string): string[] {
  try {
    loadSchedulerConfig(text, "sched.yaml");
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `${d.path}: ${d.message}`);
  }
  throw new Error("expected the config to be rejected");
}

/** `errorsOf` with `HEADER` prepended. */
export function errorsOfBody(body: string): string[] {
  return errorsOf(HEADER + body);
}

/** A profile's plugin list at one point as `Name` / `Name:weight` strings. */
export function at(profile: Profile | undefined, point: ExtensionPoint): string[] {
  if (!profile) throw new Error("no such profile");
  return profile.plugins[point].map((p) => (point === "score" ? `${p.name}:${p.weight}` : p.name));
}
