/**
 * fixtures/scenarios/platform.yaml end to end (the README's second example): a scenario written
 * only with workload objects — Deployment, StatefulSet with zonal volumes (WaitForFirstConsumer),
 * DaemonSet, Job, CronJob — runs in simulated time and every controller does its part.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/model/types.ts";
import { loadScenario } from "../../../src/scenario/index.ts";
import type { Controller, PodEnd } from "../../../src/sim/controlplane/api.ts";
import { simulate } from "../../../src/sim/engine.ts";
import { coreProfile } from "../../../src/sim/profile.ts";

interface Seen {
  bound: { t: number; key: string; node: string }[];
  ended: { t: number; key: string; end: PodEnd }[];
}

/** A controller that only listens: every binding and end, with the time. */
function spy(seen: Seen): Controller {
  let api: { readonly now: number } | undefined;
  return {
    start(a) {
      api = a;
    },
    podBound(key: string, _pod: Pod, node: string) {
      seen.bound.push({ t: api?.now ?? -1, key, node });
    },
    podEnded(key: string, _pod: Pod, end: PodEnd) {
      seen.ended.push({ t: api?.now ?? -1, key, end });
    },
  };
}

describe("fixtures/scenarios/platform.yaml", () => {
  it("runs every controller: rollout, zonal StatefulSet volumes, DaemonSet, Job, CronJob", async () => {
    const scenario = await loadScenario(
      new URL("../../../fixtures/scenarios/platform.yaml", import.meta.url).pathname,
    );
    const input = scenario.toSimulationInput();
    const zone = new Map(
      [...scenario.nodes].map((n) => [
        n.metadata.name,
        n.metadata.labels["topology.kubernetes.io/zone"],
      ]),
    );
    zone.set("node-12", "eu-west-1a");
    zone.set("node-13", "eu-west-1b");
    const seen: Seen = { bound: [], ended: [] };
    const controllers = input.controllers;
    const r = await simulate({
      ...input,
      profile: coreProfile(input.profile).profile,
      controllers: (claims) => [...(controllers?.(claims) ?? []), spy(seen)],
    });
    const bound = (prefix: string) => seen.bound.filter((b) => b.key.startsWith(prefix));

    // StatefulSet: db-0, db-1, db-2 in order (OrderedReady), one per zone (DoNotSchedule spread).
    const db = bound("data/db-");
    expect(db.slice(0, 3).map((b) => b.key)).toEqual(["data/db-0", "data/db-1", "data/db-2"]);
    expect(new Set(db.slice(0, 3).map((b) => zone.get(b.node))).size).toBe(3);
    // The replica in eu-west-1a is evicted 300 s after the zone fails (40m) and comes back in the
    // same zone — on node-12, the only live node there — because its disk was provisioned there.
    const lost = db.slice(0, 3).find((b) => zone.get(b.node) === "eu-west-1a");
    expect(lost).toBeDefined();
    expect(seen.ended).toContainEqual({ t: 2700, key: lost?.key, end: "Evicted" });
    expect(db.at(-1)).toEqual({ t: 2700, key: lost?.key, node: "node-12" });

    // DaemonSet: one pod per node, the two nodes added at 20m included.
    const logs = bound("ops/logs-");
    expect(new Set(logs.map((b) => b.node)).size).toBe(14);
    expect(logs.filter((b) => b.t === 1200)).toHaveLength(2);

    // Job: 12 completions, at most 4 at a time (failed attempts retried).
    const reindexEnds = seen.ended.filter((e) => e.key.startsWith("data/reindex-"));
    expect(reindexEnds.filter((e) => e.end === "Succeeded")).toHaveLength(12);

    // CronJob */15: runs at 0, 15, 30, 45 and 60 minutes (the end, 1h, included).
    const reports = bound("ops/report-").map((b) => b.t);
    expect(reports).toEqual([0, 900, 1800, 2700, 3600]);

    // Deployment: 18 replicas, then the rollout at 30m replaces all of them.
    const web = bound("shop/web-");
    expect(web.filter((b) => b.t === 0)).toHaveLength(18);
    expect(web.filter((b) => b.t >= 1800).length).toBeGreaterThanOrEqual(18);
    expect(r.pods.unschedulable).toBe(0);
  });
});
