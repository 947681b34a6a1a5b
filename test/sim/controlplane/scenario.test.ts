/**
 * The scenario format's control-plane parts: `scale` / `rollout` events and workload objects
 * validated with field paths, stream namespaces created by the scenario.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic, InputError } from "../../../src/diagnostics.ts";
import { loadScenario } from "../../../src/scenario/index.ts";
import type { Controller } from "../../../src/sim/controlplane/api.ts";
import type { DeploymentController } from "../../../src/sim/controlplane/deployment.ts";
import { deploymentManifest, nodeManifest, runWith, scenarioOf } from "./run-helpers.ts";

async function errorsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

describe("scenario control plane", () => {
  it("reports invalid scale and rollout events at their paths", async () => {
    const errors = await errorsOf(
      scenarioOf(
        [nodeManifest("node-a", "4", "zone-a"), deploymentManifest("web", 2, "100m")],
        [
          { at: "10s", kind: "scale", deployment: "shop/nope", replicas: 3 },
          { at: "20s", kind: "scale", deployment: "web", replicas: -1 },
          { at: "30s", kind: "rollout", deployment: "a/b/c" },
          { at: "40s", kind: "rollout", deployment: "web", image: "web:2", node: "x" },
        ],
      ),
    );
    expect(errors).toEqual([
      "test.yaml: events[1].replicas: must be greater than or equal to 0",
      'test.yaml: events[2].deployment: "a/b/c" is not a Deployment reference (namespace/name or name)',
      "test.yaml: events[3].node: unknown field",
      'test.yaml: events[0].deployment: no Deployment "shop/nope" in the manifests (Deployments: default/web)',
    ]);
  });

  it("reports an invalid Deployment at its field paths", async () => {
    const bad = deploymentManifest("web", 2, "100m", {
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } },
    }) as { spec: Record<string, unknown> };
    bad.spec["selector"] = { matchLabels: { app: "other" } };
    const errors = await errorsOf(scenarioOf([nodeManifest("node-a", "4", "zone-a"), bad]));
    expect(errors).toEqual([
      "test.yaml: Deployment default/web: cluster.manifests[1].spec.template.metadata.labels: `selector` does not match template `labels`",
      "test.yaml: Deployment default/web: cluster.manifests[1].spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0",
    ]);
  });

  it("runs fixtures/scenarios/rollout.yaml: rollout, scale-up, zone failure, quota", async () => {
    const scenario = await loadScenario("fixtures/scenarios/rollout.yaml");
    expect(scenario.objects.namespaces?.map((n) => n.metadata.name)).toEqual(["shop", "team"]);
    let own: readonly Controller[] = [];
    const result = await runWith(scenario, (c) => {
      own = c;
      return [];
    });
    const [web, api] = own as DeploymentController[];
    // The web rollout finished at 45 replicas on the new image, every pod available.
    expect(web?.sets.map((s) => [s.replicas, s.size, s.available()])).toEqual([
      [0, 0, 0],
      [45, 45, 45],
    ]);
    expect(web?.newSet?.id.template.spec.containers[0]?.image).toBe("registry.example.com/web:1.1");
    // team/api: LimitRange default 500m each against requests.cpu 2: 4 of 6, also after the
    // zone failure evicted some of them.
    expect(api?.sets[0]?.size).toBe(4);
    expect(result.pods.running).toBe(49);
    expect(result.pods.evicted).toBeGreaterThan(0);
    expect(Object.keys(result.admission.byReason)).toEqual(["exceeded quota: compute"]);
  });
});
