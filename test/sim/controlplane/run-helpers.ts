/**
 * Helpers for control-plane tests through the real engine: a scenario written inline (nodes and
 * workload objects as `cluster.manifests`), simulated with the core's profile and, optionally,
 * extra controllers after the scenario's (observers that see every callback last).
 */
import { loadScenarioFromString } from "../../../src/scenario/index.ts";
import type { Scenario } from "../../../src/scenario/types.ts";
import type { Controller } from "../../../src/sim/controlplane/api.ts";
import { simulate } from "../../../src/sim/engine.ts";
import type { RunResult } from "../../../src/sim/metrics.ts";
import { coreProfile } from "../../../src/sim/profile.ts";

/** A Node manifest: `cpu` cores, 8 GiB, 110 pods, in `zone`. */
export function nodeManifest(name: string, cpu: string, zone: string): object {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone },
    },
    status: { capacity: { cpu, memory: "8Gi", pods: "110" } },
  };
}

/** A Deployment manifest of `replicas` pods requesting `cpu` each, labelled `app: <name>`. */
export function deploymentManifest(
  name: string,
  replicas: number,
  cpu: string,
  extra: { strategy?: object; minReadySeconds?: number; annotations?: object } = {},
): object {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      ...(extra.strategy ? { strategy: extra.strategy } : {}),
      ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          ...(extra.annotations ? { annotations: extra.annotations } : {}),
        },
        spec: {
          containers: [
            { name: "app", image: `${name}:1`, resources: { requests: { cpu, memory: "64Mi" } } },
          ],
        },
      },
    },
  };
}

/** Loads a scenario of `manifests` and `events` (JSON is YAML). */
export async function scenarioOf(
  manifests: readonly object[],
  events: readonly object[] = [],
  simulation: object = {},
): Promise<Scenario> {
  const doc = {
    apiVersion: "gantry.dev/v1alpha1",
    kind: "Scenario",
    metadata: { name: "control-plane-test" },
    cluster: { manifests },
    events,
    simulation: { seed: 1, ...simulation },
  };
  return loadScenarioFromString(JSON.stringify(doc), "test.yaml");
}

/**
 * Simulates `scenario`, audited, with the controllers `observers` returns (given the scenario's
 * own, for inspection) after the scenario's.
 */
export async function runWith(
  scenario: Scenario,
  observers: (own: readonly Controller[]) => readonly Controller[] = () => [],
): Promise<RunResult> {
  const input = scenario.toSimulationInput();
  const base = input.controllers;
  return simulate(
    {
      ...input,
      profile: coreProfile(input.profile).profile,
      controllers: () => {
        const own = base?.() ?? [];
        return [...own, ...observers(own)];
      },
    },
    { build: "debug", audit: true },
  );
}
