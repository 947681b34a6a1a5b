/**
 * Admission (namespaces, ResourceQuota, LimitRange) through the real engine and on its own:
 * upstream's messages, quotas charged at creation and released at the end, LimitRange defaults
 * that change placement, and the acceptance run of issue 8 on plain manifests.
 */
import { describe, expect, it } from "vitest";
import { Quantity } from "../../../src/model/quantity.ts";
import type { Pod } from "../../../src/model/types.ts";
import { scenarioFromManifests } from "../../../src/scenario/index.ts";
import { Admission } from "../../../src/sim/controlplane/admission.ts";
import type { Controller, ControlPlaneApi } from "../../../src/sim/controlplane/api.ts";
import { makePod } from "../../helpers/builders.ts";
import { deploymentManifest, nodeManifest, runWith, scenarioOf } from "./run-helpers.ts";

const q = (s: string) => Quantity.parse(s);

function pod(name: string, namespace: string, requests: Record<string, string> = {}): Pod {
  const p = makePod({ name, requests });
  return { ...p, metadata: { ...p.metadata, namespace } };
}

const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const quota = (name: string, ns: string, hard: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name, namespace: ns },
  spec: { hard },
});

/** A manifest Pod in `ns` arriving at `arrival`, running for `duration`. */
function podManifest(name: string, ns: string, arrival: string, duration: string, cpu = "100m") {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      annotations: { "gantry.dev/arrival": arrival, "gantry.dev/duration": duration },
    },
    spec: { containers: [{ name: "app", image: "app:1", resources: { requests: { cpu } } }] },
  };
}

describe("admission", () => {
  it("rejects pods in namespaces that do not exist, with upstream's message", () => {
    const a = new Admission({ namespaces: ["shop"] });
    expect(a.admit(pod("a", "ghost"))).toEqual({
      ok: false,
      reason: 'namespaces "ghost" not found',
    });
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease", "shop"]) {
      expect(a.admit(pod("a", ns)).ok).toBe(true);
    }
  });

  it("charges quotas at creation, releases them at the end, and words rejections as upstream", () => {
    const a = new Admission({
      namespaces: ["team"],
      quotas: [
        { name: "compute", namespace: "team", hard: new Map([["requests.cpu", q("1200m")]]) },
        { name: "pods", namespace: "team", hard: new Map([["pods", q("2")]]) },
      ],
    });
    const p = pod("a", "team", { cpu: "500m" });
    const first = a.admit(p);
    expect(first.ok).toBe(true);
    expect(a.admit(p).ok).toBe(true);
    expect(a.admit(p)).toEqual({
      ok: false,
      reason:
        "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1200m",
    });
    expect(a.admit(pod("b", "team", { cpu: "100m" }))).toEqual({
      ok: false,
      reason: "exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2",
    });
    a.release(p);
    expect(a.used("team", "pods")?.get("pods")?.toString()).toBe("1");
    expect(a.used("team", "compute")?.get("requests.cpu")?.toString()).toBe("500m");
    expect(a.admit(pod("c", "team", { cpu: "100m" })).ok).toBe(true);
    // A cpu quota requires every container to request cpu.
    expect(a.admit(pod("d", "team"))).toEqual({
      ok: false,
      reason: "failed quota: compute: must specify requests.cpu for: app",
    });
  });

  it("applies LimitRange defaults and rejects containers outside min / max", () => {
    const a = new Admission({
      namespaces: ["team"],
      limitRanges: [
        {
          name: "lr",
          namespace: "team",
          default: new Map([["cpu", q("1")]]),
          defaultRequest: new Map([["cpu", q("250m")]]),
          min: new Map(),
          max: new Map([["cpu", q("1")]]),
        },
      ],
    });
    const r = a.admit(pod("a", "team"));
    expect(r.ok).toBe(true);
    const c = r.ok ? r.pod.spec.containers[0] : undefined;
    expect(c?.resources.requests.get("cpu")?.toString()).toBe("250m");
    expect(c?.resources.limits.get("cpu")?.toString()).toBe("1");
    const big = makePod({ name: "big", requests: { cpu: "2" }, limits: { cpu: "2" } });
    expect(a.admit({ ...big, metadata: { ...big.metadata, namespace: "team" } })).toEqual({
      ok: false,
      reason: "maximum cpu usage per Container is 1, but limit is 2",
    });
  });

  it("a quota of 2 pods admits exactly 2, and the next once one has ended", async () => {
    const scenario = await scenarioOf([
      nodeManifest("node-a", "4", "zone-a"),
      namespace("team"),
      quota("two", "team", { pods: "2" }),
      podManifest("p1", "team", "0s", "60s"),
      podManifest("p2", "team", "0s", "60s"),
      podManifest("p3", "team", "0s", "60s"),
      podManifest("p4", "team", "30s", "60s"),
      podManifest("p5", "team", "90s", "60s"),
    ]);
    const result = await runWith(scenario);
    expect(result.pods.submitted).toBe(3);
    expect(result.pods.scheduled).toBe(3);
    expect(result.admission).toEqual({ rejected: 2, byReason: { "exceeded quota: two": 2 } });
  });

  it("keeps a Deployment over quota at the quota, retrying with backoff and warning events", async () => {
    const scenario = await scenarioOf(
      [
        nodeManifest("node-a", "4", "zone-a"),
        namespace("team"),
        quota("two", "team", { pods: "2" }),
        {
          ...deploymentManifest("api", 4, "100m"),
          metadata: { name: "api", namespace: "team" },
        },
        // Keeps the run going until t = 100 s: retries alone (weak timers) would not.
        podManifest("keeper", "default", "0s", "100s"),
      ],
      [],
      { endTime: "100s" },
    );
    let api!: ControlPlaneApi;
    const live: number[] = [];
    const watcher: Controller = {
      start(a) {
        api = a;
      },
      podBound() {
        live.push(api.now);
      },
    };
    const result = await runWith(scenario, () => [watcher]);
    expect(result.pods.submitted).toBe(3);
    expect(live).toEqual([0, 0]);
    // Retries after 1, 2, 4, 8, 16, 32 s (t = 1, 3, 7, 15, 31, 63), each rejected; 127 is past the end.
    expect(result.admission.rejected).toBe(7);
    expect(result.events).toEqual({ warnings: 7, byReason: { FailedCreate: 7 } });
  });

  it("rejects pods of undeclared namespaces (a warning at load) and LimitRange defaults shape placement", async () => {
    const limitRange = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "defaults", namespace: "team" },
      spec: { limits: [{ type: "Container", defaultRequest: { cpu: "1500m" } }] },
    };
    const noRequests = (name: string, ns: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: ns },
      spec: { containers: [{ name: "app", image: "app:1" }] },
    });
    const scenario = await scenarioOf([
      nodeManifest("node-a", "4", "zone-a"),
      namespace("team"),
      limitRange,
      noRequests("a", "team"),
      noRequests("b", "team"),
      noRequests("c", "team"),
      noRequests("d", "ghost"),
    ]);
    expect(scenario.warnings.map((w) => w.message)).toContain(
      'namespace "ghost" does not exist: the pod will be rejected (give a Namespace object)',
    );
    const result = await runWith(scenario);
    // 1.5 cores each by default: two fit the 4-core node, the third does not.
    expect(result.pods.scheduled).toBe(2);
    expect(result.pods.unschedulable).toBe(1);
    expect(result.admission).toEqual({
      rejected: 1,
      byReason: { 'namespaces "ghost" not found': 1 },
    });
  });
});

describe("issue 8 acceptance: gantry run on plain manifests", () => {
  it("schedules exactly 13 pods and reports the quota rejections", async () => {
    const scenario = await scenarioFromManifests(["fixtures/manifests/control-plane"]);
    const result = await runWith(scenario);
    // 5 web + 3 DaemonSet + 3 Job completions + 2 of the 4 team/api replicas.
    expect(result.pods.scheduled).toBe(13);
    expect(result.pods.submitted).toBe(13);
    expect(result.pods.completed).toBe(3);
    expect(result.pods.running).toBe(10);
    expect(result.admission.rejected).toBeGreaterThan(0);
    expect(Object.keys(result.admission.byReason)).toEqual(["exceeded quota: pods"]);
    expect(result.events.byReason["FailedCreate"]).toBe(result.admission.rejected);
  });
});
