/**
 * Queueing hints (src/sim/queueing-hints.ts): hand-checked rows per plugin — which events move a
 * pod its plugin rejected — and engine timelines where an event that cannot help no longer
 * retries the pod (schedulingAttempts counts the cycles).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { restrictToCore } from "../../src/core/scheduler.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import { defaultRegistry, withImplementedPlugins } from "../../src/reference/index.ts";
import { simulate } from "../../src/sim/engine.ts";
import {
  Action,
  isPodWorthRequeuing,
  nodeUpdateActions,
  type QueueEvent,
} from "../../src/sim/queueing-hints.ts";
import type { ClusterEvent, PodArrival } from "../../src/sim/types.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const small = (name: string, o: Parameters<typeof makeNode>[0] = {}): Node =>
  makeNode({ name, allocatable: { cpu: "1", memory: "2Gi", pods: "10" }, ...o });
const big = (name: string, o: Parameters<typeof makeNode>[0] = {}): Node =>
  makeNode({ name, allocatable: { cpu: "4", memory: "8Gi", pods: "10" }, ...o });
const wants2 = makePod({ name: "w", requests: { cpu: "2" } });
const assigned = (p: Pod, node = "n1"): Pod => ({ ...p, spec: { ...p.spec, nodeName: node } });
const podAdd = (p: Pod): QueueEvent => ({ resource: "Pod", action: Action.Add, pod: p });
const podDelete = (p: Pod): QueueEvent => ({ resource: "Pod", action: Action.Delete, pod: p });
const nodeAdd = (n: Node): QueueEvent => ({ resource: "Node", action: Action.Add, node: n });
const nodeUpdate = (old: Node, node: Node): QueueEvent[] =>
  nodeUpdateActions(old, node).map((action) => ({ resource: "Node", action, node, old }));
const moves = (pod: Pod, rejectors: string[], evs: QueueEvent | QueueEvent[]) =>
  (Array.isArray(evs) ? evs : [evs]).some((ev) => isPodWorthRequeuing(pod, rejectors, ev));

const ports = [{ containerPort: 80, hostPort: 80 }];
const sel = (app: string) => ({ matchLabels: { app }, matchExpressions: [] });
/** A pod labelled `app` spread over zones (DoNotSchedule) among the pods labelled `app`. */
const spreading = (app: string): Pod =>
  makePod({
    labels: { app },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "zone",
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: sel(app),
        matchLabelKeys: [],
      },
    ],
  });
/** A pod with one required (anti-)affinity term to pods labelled `app` on the same host. */
const requiring = (kind: "podAffinity" | "podAntiAffinity", app: string): Pod =>
  makePod({
    affinity: {
      [kind]: {
        preferredDuringSchedulingIgnoredDuringExecution: [],
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: sel(app),
            namespaces: [],
            matchLabelKeys: [],
            mismatchLabelKeys: [],
            topologyKey: "kubernetes.io/hostname",
          },
        ],
      },
    },
  });

describe("queueing hints", () => {
  it("node updates: one action per changed aspect (cordoning gives none)", () => {
    const n = small("n1");
    expect(nodeUpdateActions(n, { ...n, spec: { ...n.spec, unschedulable: true } })).toEqual([]);
    const cordoned = { ...n, spec: { ...n.spec, unschedulable: true } };
    expect(nodeUpdateActions(cordoned, n)).toEqual([Action.UpdateNodeTaint]);
    const tainted = small("n1", { taints: [{ key: "k", effect: "NoSchedule" }] });
    expect(nodeUpdateActions(n, tainted)).toEqual([Action.UpdateNodeTaint]);
    expect(nodeUpdateActions(n, small("n1", { labels: { a: "b" } }))).toEqual([
      Action.UpdateNodeLabel,
    ]);
    expect(nodeUpdateActions(n, big("n1"))).toEqual([Action.UpdateNodeAllocatable]);
  });

  it.each<[string, Pod, string[], QueueEvent | QueueEvent[], boolean]>([
    ["no rejectors (an Error): any event", wants2, [], podAdd(assigned(makePod())), true],
    // NodeResourcesFit
    [
      "Fit: an assigned pod deleted",
      wants2,
      ["NodeResourcesFit"],
      podDelete(assigned(makePod())),
      true,
    ],
    ["Fit: an unassigned pod deleted", wants2, ["NodeResourcesFit"], podDelete(makePod()), false],
    ["Fit: a node added that fits", wants2, ["NodeResourcesFit"], nodeAdd(big("n9")), true],
    ["Fit: a node added too small", wants2, ["NodeResourcesFit"], nodeAdd(small("n9")), false],
    [
      "Fit: allocatable grown to fit",
      wants2,
      ["NodeResourcesFit"],
      nodeUpdate(small("n1"), big("n1")),
      true,
    ],
    [
      "Fit: a label change (not registered)",
      wants2,
      ["NodeResourcesFit"],
      nodeUpdate(small("n1"), small("n1", { labels: { a: "b" } })),
      false,
    ],
    [
      "Fit: a taint change (buildQueueingHintMap's fallback)",
      wants2,
      ["NodeResourcesFit"],
      nodeUpdate(small("n1"), small("n1", { taints: [{ key: "k", effect: "NoSchedule" }] })),
      true,
    ],
    [
      "Fit: an assigned pod added",
      wants2,
      ["NodeResourcesFit"],
      podAdd(assigned(makePod())),
      false,
    ],
    // NodeUnschedulable
    [
      "NodeUnschedulable: uncordoned",
      makePod(),
      ["NodeUnschedulable"],
      nodeUpdate(small("n1", { unschedulable: true }), small("n1")),
      true,
    ],
    [
      "NodeUnschedulable: a schedulable node added",
      makePod(),
      ["NodeUnschedulable"],
      nodeAdd(small("n9")),
      true,
    ],
    [
      "NodeUnschedulable: a cordoned node added",
      makePod(),
      ["NodeUnschedulable"],
      nodeAdd(small("n9", { unschedulable: true })),
      false,
    ],
    // TaintToleration
    [
      "TaintToleration: the taint removed",
      makePod(),
      ["TaintToleration"],
      nodeUpdate(small("n1", { taints: [{ key: "k", effect: "NoSchedule" }] }), small("n1")),
      true,
    ],
    [
      "TaintToleration: a taint added",
      makePod(),
      ["TaintToleration"],
      nodeUpdate(small("n1"), small("n1", { taints: [{ key: "k", effect: "NoSchedule" }] })),
      false,
    ],
    [
      "TaintToleration: a PreferNoSchedule node added",
      makePod(),
      ["TaintToleration"],
      nodeAdd(small("n9", { taints: [{ key: "k", effect: "PreferNoSchedule" }] })),
      true,
    ],
    // NodeAffinity
    [
      "NodeAffinity: a matching node added",
      makePod({ nodeSelector: { disk: "ssd" } }),
      ["NodeAffinity"],
      nodeAdd(small("n9", { labels: { disk: "ssd" } })),
      true,
    ],
    [
      "NodeAffinity: a node added that does not match",
      makePod({ nodeSelector: { disk: "ssd" } }),
      ["NodeAffinity"],
      nodeAdd(small("n9")),
      false,
    ],
    [
      "NodeAffinity: a node relabelled to match",
      makePod({ nodeSelector: { disk: "ssd" } }),
      ["NodeAffinity"],
      nodeUpdate(small("n1"), small("n1", { labels: { disk: "ssd" } })),
      true,
    ],
    [
      "NodeAffinity: an assigned pod deleted",
      makePod({ nodeSelector: { disk: "ssd" } }),
      ["NodeAffinity"],
      podDelete(assigned(makePod())),
      false,
    ],
    // NodePorts
    [
      "NodePorts: the pod holding the port deleted",
      makePod({ containers: [{ ports }] }),
      ["NodePorts"],
      podDelete(assigned(makePod({ containers: [{ ports }] }))),
      true,
    ],
    [
      "NodePorts: a pod without the port deleted",
      makePod({ containers: [{ ports }] }),
      ["NodePorts"],
      podDelete(assigned(makePod())),
      false,
    ],
    // PodTopologySpread
    [
      "PodTopologySpread: a matching pod bound",
      spreading("a"),
      ["PodTopologySpread"],
      podAdd(assigned(makePod({ labels: { app: "a" } }))),
      true,
    ],
    [
      "PodTopologySpread: another namespace's pod bound",
      spreading("a"),
      ["PodTopologySpread"],
      podAdd(assigned(makePod({ namespace: "other", labels: { app: "a" } }))),
      false,
    ],
    // InterPodAffinity
    [
      "InterPodAffinity: a pod the affinity wants bound",
      requiring("podAffinity", "db"),
      ["InterPodAffinity"],
      podAdd(assigned(makePod({ labels: { app: "db" } }))),
      true,
    ],
    [
      "InterPodAffinity: an unrelated pod bound",
      requiring("podAffinity", "db"),
      ["InterPodAffinity"],
      podAdd(assigned(makePod({ labels: { app: "web" } }))),
      false,
    ],
    [
      "InterPodAffinity: a pod the anti-affinity avoids deleted",
      requiring("podAntiAffinity", "db"),
      ["InterPodAffinity"],
      podDelete(assigned(makePod({ labels: { app: "db" } }))),
      true,
    ],
    // An OR over rejectors.
    [
      "two rejectors: either's hint moves it",
      wants2,
      ["NodeAffinity", "NodeResourcesFit"],
      podDelete(assigned(makePod())),
      true,
    ],
  ])("%s", (_name, pod, rejectors, evs, want) => {
    expect(moves(pod, rejectors, evs)).toBe(want);
  });
});

const profile: Profile = restrictToCore(
  withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, defaultRegistry()),
);

const at = (time: number, template: Pod, duration = Number.POSITIVE_INFINITY): PodArrival => ({
  time,
  template,
  duration,
  name: template.metadata.name,
});

describe("queueing hints in the engine", () => {
  it("a pod rejected by NodeAffinity is not retried when pods complete, only when a matching node joins", async () => {
    // n1 runs ten short pods (done at t = 1 … 10); `picky` needs disk=ssd and fails at 0. The
    // completions are assigned-pod deletions: NodeAffinity does not register them, so picky
    // stays unschedulable until the ssd node joins at 20 (Node/Add, matching) and binds then.
    const shorts = Array.from({ length: 10 }, (_, i) =>
      at(0, makePod({ name: `s${i}`, requests: { cpu: "10m" } }), i + 1),
    );
    const events: ClusterEvent[] = [
      { time: 20, kind: "addNode", node: small("ssd", { labels: { disk: "ssd" } }) },
    ];
    const picky = makePod({ name: "picky", nodeSelector: { disk: "ssd" } });
    const r = await simulate(
      {
        name: "t",
        nodes: [big("n1")],
        profile,
        arrivals: [...shorts, at(0, picky)],
        events,
        seed: 1,
      },
      { build: "debug", audit: true },
    );
    expect(r.pods).toMatchObject({ submitted: 11, scheduled: 11 });
    // Ten short pods once each, picky at 0 and at 20: 12 cycles (before hints: one retry per
    // completion as well).
    expect(r.schedulingAttempts).toBe(12);
    expect(r.latency.max).toBe(20);
  });

  it("a pod rejected by NodeResourcesFit retries when a bound pod completes", async () => {
    // n1 (1 cpu) runs `a` (800m) until t = 5; `b` (800m) fails at 0 and binds at 5.
    const r = await simulate(
      {
        name: "t",
        nodes: [small("n1")],
        profile,
        arrivals: [
          at(0, makePod({ name: "a", requests: { cpu: "800m" } }), 5),
          at(0, makePod({ name: "b", requests: { cpu: "800m" } })),
        ],
        seed: 1,
      },
      { build: "debug", audit: true },
    );
    expect(r.pods).toMatchObject({ submitted: 2, scheduled: 2 });
    expect(r.schedulingAttempts).toBe(3);
    expect(r.latency.max).toBe(5);
  });

  it("never leaves a pod waiting that would fit (random runs with node changes, audited)", async () => {
    // The engine's audit (EngineOptions.audit) checks after every instant that no unschedulable
    // pod passes Filter on some node: a hint that skipped an event which helped would show.
    const taint = { key: "dedicated", value: "x", effect: "NoSchedule" as const };
    const nodeOf = (name: string, i: number, cpu: string, f: { ssd: boolean; tainted: boolean }) =>
      makeNode({
        name,
        zone: `z${i % 2}`,
        labels: f.ssd ? { disk: "ssd" } : {},
        taints: f.tainted ? [taint] : [],
        allocatable: { cpu, memory: "4Gi", pods: "6" },
      });
    const flagsArb = fc.record({ ssd: fc.boolean(), tainted: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(flagsArb, { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 40 }),
            cpu: fc.constantFrom("100m", "400m", "900m"),
            prio: fc.constantFrom(0, 10),
            d: fc.integer({ min: 1, max: 30 }),
            ssd: fc.boolean(),
            tolerates: fc.boolean(),
            port: fc.boolean(),
            spread: fc.boolean(),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 60 }),
            kind: fc.constantFrom(
              "fail",
              "recover",
              "cordon",
              "uncordon",
              "setTaints",
              "untaint",
              "addNode",
              "removeNode",
            ),
            n: fc.nat(7),
            flags: flagsArb,
          }),
          { maxLength: 6 },
        ),
        async (flags, specs, evs) => {
          const n = flags.length;
          const nodes = flags.map((f, i) => nodeOf(`n${i}`, i, "1", f));
          const arrivals = specs
            .map((s, i) =>
              at(
                s.t,
                makePod({
                  name: `p${i}`,
                  priority: s.prio,
                  labels: { app: s.spread ? "s" : "x" },
                  containers: [{ requests: { cpu: s.cpu }, ...(s.port ? { ports } : {}) }],
                  ...(s.ssd ? { nodeSelector: { disk: "ssd" } } : {}),
                  ...(s.tolerates
                    ? { tolerations: [{ key: "dedicated", operator: "Exists" as const }] }
                    : {}),
                  ...(s.spread
                    ? { topologySpreadConstraints: spreading("s").spec.topologySpreadConstraints }
                    : {}),
                }),
                s.d,
              ),
            )
            .sort((a, b) => a.time - b.time);
          const events: ClusterEvent[] = evs.map((e, k) => {
            const name = `n${e.n % Math.max(1, n)}`;
            switch (e.kind) {
              case "addNode":
                return { time: e.t, kind: "addNode", node: nodeOf(`x${k}`, e.n, "2", e.flags) };
              case "setTaints":
                return { time: e.t, kind: "setTaints", node: name, taints: [taint] };
              case "untaint":
                return { time: e.t, kind: "setTaints", node: name, taints: [] };
              default:
                return { time: e.t, kind: e.kind, node: name } as ClusterEvent;
            }
          });
          // A node removed twice, or an event for a removed node, is an input error: keep the
          // first removal of each node and drop later events naming it.
          const removed = new Set<string>();
          const valid = [...events]
            .sort((a, b) => a.time - b.time)
            .filter((e) => {
              if (e.kind === "addNode" || e.kind === "deletePods") return true;
              if (removed.has(e.node)) return false;
              if (e.kind === "removeNode") removed.add(e.node);
              return true;
            });
          const r = await simulate(
            { name: "t", nodes, profile, arrivals, events: valid, seed: 1, endTime: 2000 },
            { build: "debug", audit: true },
          );
          const p = r.pods;
          expect(
            p.completed + p.preempted + p.evicted + p.running + p.unschedulable + p.pending,
          ).toBe(p.submitted);
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);
});
