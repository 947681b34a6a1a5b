/**
 * Deployments and ReplicaSets through the real engine, in simulated time: rolling updates within
 * maxSurge / maxUnavailable at every instant, Recreate, re-creation after a node failure, the
 * ReplicaSet objects PodTopologySpread's default constraints follow, scale-down victims, Failed
 * pods replaced.
 */
import { describe, expect, it } from "vitest";
import type { KeptObject, Pod } from "../../../src/model/types.ts";
import { Snapshot } from "../../../src/reference/framework/snapshot.ts";
import { defaultSelector } from "../../../src/reference/plugins/podtopologyspread/common.ts";
import { selectorMatches } from "../../../src/reference/plugins/podtopologyspread/label-selector.ts";
import type { Controller, ControlPlaneApi, PodEnd } from "../../../src/sim/controlplane/api.ts";
import {
  DeploymentController,
  POD_TEMPLATE_HASH_LABEL,
  resolveFenceposts,
} from "../../../src/sim/controlplane/deployment.ts";
import { deploymentManifest, nodeManifest, runWith, scenarioOf } from "./run-helpers.ts";

const threeNodes = [
  nodeManifest("node-a", "4", "zone-a"),
  nodeManifest("node-b", "4", "zone-b"),
  nodeManifest("node-c", "4", "zone-c"),
];

/** An observer: runs `check` after every callback and every `poll` seconds until `until`. */
function observer(
  check: (api: ControlPlaneApi) => void,
  o: {
    poll?: number;
    until?: number;
    bound?: (key: string, pod: Pod, node: string, now: number) => void;
    ended?: (key: string, pod: Pod, end: PodEnd, now: number) => void;
  } = {},
): Controller {
  let api!: ControlPlaneApi;
  const tick = () => {
    check(api);
    if (o.poll !== undefined && api.now + o.poll <= (o.until ?? 0)) {
      api.timer(api.now + o.poll, tick);
    }
  };
  return {
    start(a) {
      api = a;
      tick();
    },
    podBound(key, pod, node) {
      o.bound?.(key, pod, node, api.now);
      check(api);
    },
    podEnded(key, pod, end) {
      o.ended?.(key, pod, end, api.now);
      check(api);
    },
  };
}

const deploymentOf = (own: readonly Controller[]) =>
  own.find(
    (c): c is DeploymentController => c instanceof DeploymentController,
  ) as DeploymentController;

describe("Deployment controller", () => {
  it("resolves maxSurge rounding up and maxUnavailable rounding down", () => {
    const pct = (value: number) => ({ value, percent: true });
    expect(resolveFenceposts(pct(25), pct(25), 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(pct(10), pct(10), 5)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(pct(0), pct(10), 5)).toEqual({ surge: 0, unavailable: 1 });
  });

  it("rolls out within maxSurge and maxUnavailable at every instant", async () => {
    const scenario = await scenarioOf(
      [...threeNodes, deploymentManifest("web", 10, "100m", { minReadySeconds: 5 })],
      [{ at: "100s", kind: "rollout", deployment: "web", image: "web:2" }],
      { endTime: "400s" },
    );
    let d!: DeploymentController;
    let maxLive = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const seen: string[] = [];
    const result = await runWith(scenario, (own) => {
      d = deploymentOf(own);
      return [
        observer(
          (api) => {
            if (api.now < 100) return;
            const live = d.sets.reduce((n, s) => n + s.size, 0);
            const available = d.sets.reduce((n, s) => n + s.available(), 0);
            // 25 % of 10: surge 3 (rounded up), unavailable 2 (rounded down).
            if (live > 13 || available < 8)
              seen.push(`t=${api.now} live ${live} available ${available}`);
            maxLive = Math.max(maxLive, live);
            minAvailable = Math.min(minAvailable, available);
          },
          { poll: 1, until: 400 },
        ),
      ];
    });
    expect(seen).toEqual([]);
    // Both bounds are reached (surge 2 or unavailability 3 would show here).
    expect(maxLive).toBe(13);
    expect(minAvailable).toBe(8);
    // The rollout finished: the new set holds every pod, the old one none.
    expect(d.sets.map((s) => [s.replicas, s.size, s.available()])).toEqual([
      [0, 0, 0],
      [10, 10, 10],
    ]);
    expect(d.newSet?.id.template.spec.containers[0]?.image).toBe("web:2");
    expect(d.newSet?.id.template.metadata.labels[POD_TEMPLATE_HASH_LABEL]).toBeTruthy();
    expect(result.pods.running).toBe(10);
    expect(result.pods.submitted).toBe(20);
  });

  it("Recreate removes every old pod before the new set starts", async () => {
    const scenario = await scenarioOf(
      [...threeNodes, deploymentManifest("web", 6, "100m", { strategy: { type: "Recreate" } })],
      [{ at: "50s", kind: "rollout", deployment: "web" }],
      { endTime: "100s" },
    );
    let d!: DeploymentController;
    const both: number[] = [];
    const result = await runWith(scenario, (own) => {
      d = deploymentOf(own);
      return [
        observer(
          (api) => {
            if (d.sets.filter((s) => s.size > 0).length > 1) both.push(api.now);
          },
          { poll: 1, until: 100 },
        ),
      ];
    });
    expect(both).toEqual([]);
    expect(d.sets.map((s) => s.size)).toEqual([0, 6]);
    // The restart annotation made the new revision.
    expect(d.newSet?.id.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toBe(
      "50s",
    );
    expect(result.pods.running).toBe(6);
  });

  it("re-creates the pods of a failed node elsewhere after 300 s", async () => {
    const scenario = await scenarioOf(
      [...threeNodes, deploymentManifest("web", 6, "500m")],
      [{ at: "60s", kind: "fail", node: "node-b" }],
    );
    const bindings: [number, string][] = [];
    const ends: [number, PodEnd][] = [];
    const result = await runWith(scenario, () => [
      observer(() => {}, {
        bound: (_k, _p, node, now) => bindings.push([now, node]),
        ended: (_k, _p, end, now) => ends.push([now, end]),
      }),
    ]);
    const initial = bindings.filter(([t]) => t === 0).map(([, n]) => n);
    expect(initial.sort()).toEqual(["node-a", "node-a", "node-b", "node-b", "node-c", "node-c"]);
    // Evicted by the unreachable taint's default tolerationSeconds (300 s), replaced at once.
    expect(ends).toEqual([
      [360, "Evicted"],
      [360, "Evicted"],
    ]);
    const later = bindings.filter(([t]) => t > 0);
    expect(later.map(([t]) => t)).toEqual([360, 360]);
    expect(later.every(([, n]) => n !== "node-b")).toBe(true);
    // The engine's re-creation of owned workload pods did not fire for the controller's pods.
    expect(result.pods.submitted).toBe(8);
    expect(result.pods.evicted).toBe(2);
    expect(result.pods.running).toBe(6);
  });

  it("publishes its ReplicaSet, so the system default spread selector follows the pods' owner", async () => {
    const scenario = await scenarioOf([...threeNodes, deploymentManifest("web", 3, "100m")]);
    const put: KeptObject[] = [];
    const pods: Pod[] = [];
    await runWith(scenario, (own) => {
      const d = deploymentOf(own);
      const start = d.start.bind(d);
      d.start = (api) =>
        start({
          ...api,
          get now() {
            return api.now;
          },
          createPod: (p, duration, fails) => api.createPod(p, duration, fails),
          putObject: (o) => {
            put.push(o);
            api.putObject?.(o);
          },
        } as ControlPlaneApi);
      return [observer(() => {}, { bound: (_k, pod) => pods.push(pod) })];
    });
    expect(put.map((o) => o.kind)).toEqual(["ReplicaSet"]);
    const rs = put[0] as KeptObject;
    const pod = pods[0] as Pod;
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        name: rs.metadata.name,
        uid: rs.metadata.uid,
        controller: true,
      },
    ]);
    const hash = pod.metadata.labels[POD_TEMPLATE_HASH_LABEL] as string;
    expect(rs.metadata.name).toBe(`web-${hash}`);
    const selector = defaultSelector(pod, new Snapshot([], [], { kept: put }));
    expect(selectorMatches(selector, pod.metadata.labels)).toBe(true);
    // The ReplicaSet's selector (with its hash) is part of it: the app label alone does not match.
    expect(selectorMatches(selector, { app: "web" })).toBe(false);
  });

  it("scales down unassigned pods first, then the doubled-up node's, and scales up again", async () => {
    const scenario = await scenarioOf(
      [
        nodeManifest("node-a", "1", "zone-a"),
        nodeManifest("node-b", "500m", "zone-b"),
        deploymentManifest("web", 5, "400m"),
      ],
      [
        { at: "10s", kind: "scale", deployment: "default/web", replicas: 2 },
        { at: "20s", kind: "scale", deployment: "web", replicas: 4 },
      ],
    );
    const nodeOf = new Map<string, string>();
    const deleted: [string, string | undefined][] = [];
    let d!: DeploymentController;
    const result = await runWith(scenario, (own) => {
      d = deploymentOf(own);
      return [
        observer(() => {}, {
          bound: (k, _p, node) => nodeOf.set(k, node),
          ended: (k, _p, end, now) => {
            expect([now, end]).toEqual([10, "Deleted"]);
            deleted.push([k, nodeOf.get(k)]);
            nodeOf.delete(k);
          },
        }),
      ];
    });
    // 2 on node-a, 1 on node-b, 2 pending; to 2 replicas: both pending pods, then one of node-a's.
    expect(deleted.map(([, n]) => n ?? "pending").sort()).toEqual(["node-a", "pending", "pending"]);
    // Back to 4: one more fits node-a, the last one stays pending.
    expect([...nodeOf.values()].sort()).toEqual(["node-a", "node-a", "node-b"]);
    expect(d.sets[0]?.size).toBe(4);
    expect(result.pods.unschedulable).toBe(1);
  });

  it("replaces pods that end Failed (gantry.dev/failure-probability)", async () => {
    const scenario = await scenarioOf(
      [
        ...threeNodes,
        deploymentManifest("batch", 2, "100m", {
          annotations: { "gantry.dev/duration": "30s", "gantry.dev/failure-probability": "1" },
        }),
      ],
      [],
      { endTime: "100s" },
    );
    const ends: [number, PodEnd][] = [];
    const result = await runWith(scenario, () => [
      observer(() => {}, { ended: (_k, _p, end, now) => ends.push([now, end]) }),
    ]);
    expect(ends).toEqual([
      [30, "Failed"],
      [30, "Failed"],
      [60, "Failed"],
      [60, "Failed"],
      [90, "Failed"],
      [90, "Failed"],
    ]);
    expect(result.pods.running).toBe(2);
  });
});
