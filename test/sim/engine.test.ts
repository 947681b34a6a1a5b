/**
 * The discrete-event engine: hand-checked timelines for the scheduling queue (PrioritySort,
 * backoff, the unschedulable flush), pod lifecycles, preemption, node failure with eviction and
 * re-creation; invariants (the engine's audit: no over-commit, every pod in one place) over random
 * runs; determinism.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore } from "../../src/core/scheduler.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import { defaultRegistry, withImplementedPlugins } from "../../src/reference/index.ts";
import { simulate } from "../../src/sim/engine.ts";
import type { RunResult } from "../../src/sim/metrics.ts";
import type { ClusterEvent, PodArrival, SimulationInput } from "../../src/sim/types.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const profile: Profile = restrictToCore(
  withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, defaultRegistry()),
);

const node = (name: string, cpu = "1", zone = "z1"): Node =>
  makeNode({ name, zone, allocatable: { cpu, memory: "4Gi", pods: "10" } });

const controlled = [
  { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "rs-uid", controller: true },
];

function pod(name: string, cpu: string, o: { priority?: number; owned?: boolean } = {}): Pod {
  const p = makePod({
    name,
    requests: { cpu, memory: "100Mi" },
    ...(o.priority === undefined ? {} : { priority: o.priority }),
  });
  return o.owned ? { ...p, metadata: { ...p.metadata, ownerReferences: controlled } } : p;
}

const at = (time: number, template: Pod, duration = Number.POSITIVE_INFINITY): PodArrival => ({
  time,
  template,
  duration,
  name: template.metadata.name,
});

async function run(
  nodes: Node[],
  arrivals: PodArrival[],
  extra: Partial<SimulationInput> = {},
): Promise<RunResult> {
  return simulate(
    { name: "t", nodes, profile, arrivals, seed: 1, ...extra },
    { build: "debug", audit: true },
  );
}

describe("simulation engine", () => {
  it("binds in PrioritySort order: higher priority first, then earlier queueing", async () => {
    // One node with room for one 600m pod; three arrive at once. The high-priority one wins;
    // the others stay unschedulable until it completes at t=5, then the earlier-queued one of
    // equal priority goes (a completion moves both to activeQ: their 1 s backoff is over).
    const r = await run(
      [node("n0")],
      [
        at(0, pod("low-a", "600m", { priority: 1 }), 5),
        at(0, pod("high", "600m", { priority: 10 }), 5),
        at(0, pod("low-b", "600m", { priority: 1 }), 5),
      ],
    );
    expect(r.pods).toMatchObject({ submitted: 3, scheduled: 3, completed: 3, running: 0 });
    // high at 0, low-a at 5, low-b at 10: latencies 0, 5, 10.
    expect(r.latency).toMatchObject({ count: 3, max: 10 });
    expect(r.latency.mean).toBeCloseTo(5, 6);
    expect(r.simulatedSeconds).toBe(15);
  });

  it("retries after the backoff: 1 s after the first failure, then 2 s, 4 s …", async () => {
    // n0 holds a 900m pod until t=0.5; the 600m pod fails at 0 and at… its move happens at 0.5
    // (completion), but its backoff (1 s from the attempt at 0) runs until 1: bound at 1.
    const r = await run(
      [node("n0")],
      [at(0, pod("big", "900m"), 0.5), at(0, pod("waiting", "600m"), 1)],
    );
    expect(r.latency.max).toBe(1);
    expect(r.schedulingAttempts).toBe(3);
  });

  it("flushes pods unschedulable for 5 minutes even without a cluster event", async () => {
    // The 600m pod never fits while the 900m pod runs (it ends at 1000 s); no event moves it,
    // so it is retried by the flush at 300 s (every 30 s, age ≥ 300 s) and fails again, then at
    // 630 s and 960 s; the completion at 1000 s moves it, its backoff over: bound at 1000.
    const r = await run(
      [node("n0")],
      [at(0, pod("big", "900m"), 1000), at(0, pod("waiting", "600m"), 1)],
    );
    expect(r.latency.max).toBe(1000);
    expect(r.schedulingAttempts).toBe(1 + 1 + 3 + 1);
  });

  it("preempts lower-priority pods: victims deleted, the preemptor bound after its backoff", async () => {
    const r = await run(
      [node("n0")],
      [at(0, pod("low", "800m", { priority: 1 })), at(2, pod("high", "800m", { priority: 100 }))],
    );
    expect(r.pods).toMatchObject({ submitted: 2, scheduled: 2, preempted: 1, running: 1 });
    // high fails at 2, preempts low, retries at 3 (1 s backoff).
    expect(r.latency.max).toBe(1);
  });

  it("reserves a preemptor's nominated node against pods of lower priority", async () => {
    // high preempts low at 2 and is nominated to n0; mid arrives at 2.5: n0 has room, but not
    // beside the nominated high (upstream's RunFilterPluginsWithNominatedPods), so mid waits and
    // high binds at 3 (its backoff). Without the reservation mid would take n0 at 2.5.
    const r = await run(
      [node("n0")],
      [
        at(0, pod("low", "800m", { priority: 1 })),
        at(2, pod("high", "800m", { priority: 100 })),
        at(2.5, pod("mid", "800m", { priority: 50 })),
      ],
    );
    expect(r.pods).toMatchObject({ submitted: 3, scheduled: 2, preempted: 1, unschedulable: 1 });
    expect(r.latency.max).toBe(1);
  });

  it("evicts a failed node's pods after 300 s and re-creates controlled ones elsewhere", async () => {
    // All three pods land on n0 (the only node at 0); n1 joins at 5; n0 fails at 10 (unreachable
    // taints), its pods are evicted at 310; the two controlled ones come back and land on n1,
    // the bare one is gone.
    const events: ClusterEvent[] = [
      { time: 5, kind: "addNode", node: node("n1", "2", "z2") },
      { time: 10, kind: "fail", node: "n0" },
    ];
    const r = await run(
      [node("n0", "2")],
      [
        at(0, pod("a", "500m", { owned: true })),
        at(0, pod("b", "500m", { owned: true })),
        at(0, pod("bare", "500m")),
      ],
      { events, endTime: 400 },
    );
    expect(r.pods).toMatchObject({ submitted: 5, scheduled: 5, evicted: 3, running: 2 });
    expect(r.nodesUsed.final).toBe(1);
    // The re-created pods are bound the moment they are created.
    expect(r.latency.max).toBe(0);
  });

  it("ends when nothing can change: a pod that never fits is left unschedulable", async () => {
    const r = await run([node("n0")], [at(0, pod("huge", "8"))]);
    expect(r.pods).toMatchObject({ submitted: 1, scheduled: 0, unschedulable: 1 });
    expect(r.simulatedSeconds).toBe(0);
  });

  it("deletes a namespace's pods, pending and running, oldest first", async () => {
    const inNs = (name: string, ns: string, cpu: string) => {
      const p = pod(name, cpu);
      return { ...p, metadata: { ...p.metadata, namespace: ns } };
    };
    const r = await run(
      [node("n0")],
      [
        at(0, inNs("a0", "a", "600m")),
        at(1, inNs("a1", "a", "600m")),
        at(2, inNs("b0", "b", "300m")),
      ],
      { events: [{ time: 3, kind: "deletePods", namespace: "a" }] },
    );
    // a0 runs, a1 waits (unschedulable), b0 runs; deleting namespace a removes both a-pods.
    expect(r.pods).toMatchObject({ submitted: 3, scheduled: 2, running: 1, unschedulable: 0 });
    expect(r.allocation.final.cpu).toBeCloseTo(0.3, 9);
  });

  it("accounts every pod exactly once and releases everything (random runs, audited)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 50 }),
            cpu: fc.constantFrom("100m", "300m", "700m", "1200m"),
            prio: fc.constantFrom(0, 5, 50),
            d: fc.integer({ min: 1, max: 40 }),
            owned: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 60 }),
            kind: fc.constantFrom("fail", "recover", "cordon", "uncordon"),
            n: fc.nat(5),
          }),
          { maxLength: 4 },
        ),
        async (n, specs, evs) => {
          const nodes = Array.from({ length: n }, (_, i) => node(`n${i}`, "1", `z${i % 2}`));
          const arrivals = specs
            .map((s, i) => at(s.t, pod(`p${i}`, s.cpu, { priority: s.prio, owned: s.owned }), s.d))
            .sort((a, b) => a.time - b.time);
          const events = evs.map(
            (e) => ({ time: e.t, kind: e.kind, node: `n${e.n % n}` }) as ClusterEvent,
          );
          const r = await run(nodes, arrivals, { events, endTime: 2000 });
          const p = r.pods;
          expect(
            p.completed + p.preempted + p.evicted + p.running + p.unschedulable + p.pending,
          ).toBe(p.submitted);
          if (p.running === 0) {
            expect(r.nodesUsed.final).toBe(0);
            for (const v of Object.values(r.allocation.final)) expect(v).toBeCloseTo(0, 9);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("is deterministic: the same input and seed give the same result", async () => {
    const nodes = Array.from({ length: 20 }, (_, i) => node(`n${i}`, "2", `z${i % 3}`));
    const arrivals = () =>
      Array.from({ length: 300 }, (_, i) =>
        at(i * 0.1, pod(`p${i}`, i % 3 === 0 ? "700m" : "200m", { priority: i % 4 }), 5 + (i % 7)),
      );
    // Everything but the wall-clock figures.
    const strip = (r: RunResult) => ({
      ...r,
      wallSeconds: 0,
      podsPerSecond: 0,
      eventsPerSecond: 0,
      measured: {
        ...r.measured,
        wallSeconds: 0,
        podsPerSecond: 0,
        samples: r.measured.samples.length,
      },
    });
    const a = await run(nodes, arrivals());
    const b = await run(nodes, arrivals());
    expect(strip(a)).toEqual(strip(b));
  });
});
