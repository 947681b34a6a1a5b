/**
 * The framework's PostFilter support (semantics §1.1 step 5, §5): scheduleOne runs PostFilter
 * when no node is feasible, reports the nomination and the victims and binds nothing; the
 * preemption offset is the cycle's one PRNG draw; RunPostFilterPlugins' rules; the dry-run
 * copies (CycleState.clone, NodeInfo.clone/removePod) and the PreFilterExtensions hooks.
 */
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import { EXTENSION_POINTS } from "../../src/config/names.ts";
import type { PluginRef, Profile } from "../../src/config/types.ts";
import type { Pod } from "../../src/model/types.ts";
import { CycleState, type StateData } from "../../src/reference/framework/cycle-state.ts";
import type {
  PostFilterPlugin,
  PreFilterPlugin,
} from "../../src/reference/framework/interfaces.ts";
import { runPostFilterPlugins } from "../../src/reference/framework/phases.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  newStatus,
  Pcg32,
  Registry,
  Snapshot,
  SUCCESS,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";

const defaultProfile = () => defaultSchedulerConfig().profiles[0] as Profile;

function defaultFramework() {
  const registry = defaultRegistry();
  return newFramework(withImplementedPlugins(defaultProfile(), registry), registry);
}

/** `n` nodes of 1 CPU, each full with one low-priority 1-CPU pod. */
function fullCluster(n: number) {
  const nodes = Array.from({ length: n }, (_, i) =>
    makeNode({ name: `n${i}`, allocatable: { cpu: "1", memory: "4Gi", pods: "110" } }),
  );
  const pods = nodes.map((node, i) =>
    makePod({
      name: `low-${i}`,
      nodeName: node.metadata.name,
      priority: 10,
      requests: { cpu: "1" },
    }),
  );
  return { nodes, pods };
}

const urgent = (o: Partial<Parameters<typeof makePod>[0]> = {}) =>
  makePod({ name: "urgent", priority: 1000, requests: { cpu: "1" }, ...o });

describe("scheduleOne: PostFilter (§1.1 step 5)", () => {
  it("returns the nomination and the victims, and binds nothing", () => {
    const { nodes, pods } = fullCluster(3);
    const snapshot = new Snapshot(nodes, pods);
    const r = scheduleOne(urgent(), snapshot, defaultFramework(), newSchedulerState());
    expect(r.kind).toBe("Unschedulable");
    if (r.kind !== "Unschedulable") return;
    const nominated = r.postFilter?.nominatedNodeName;
    expect(nominated).toMatch(/^n[012]$/);
    expect(r.postFilter?.status.code).toBe("Success");
    const i = Number(nominated?.slice(1));
    expect(r.postFilter?.victims.map((v) => v.metadata.name)).toEqual([`low-${i}`]);
    expect(r.message).toBe("0/3 nodes are available: 3 Insufficient cpu.");
    // Not bound, nothing deleted: every node still holds exactly its low-priority pod.
    for (const info of snapshot.nodeInfoList) {
      expect(info.pods.map((p) => p.metadata.name)).toEqual([`low-${info.name.slice(1)}`]);
      expect(info.requested.milliCPU).toBe(1000);
    }
  });

  it("is deterministic for a seed: the nominated node is the candidate at the drawn offset", () => {
    // Five identical candidates tie on every criterion, so the first visited one — the
    // potential node at the offset nextBounded(5) — is nominated.
    const { nodes, pods } = fullCluster(5);
    const seen = new Set<string>();
    for (const seed of [0, 1, 2, 3, 4, 5, 42, 1234]) {
      const snapshot = new Snapshot(nodes, pods);
      const state = newSchedulerState({ seed });
      const twin = new Pcg32(BigInt(seed));
      const offset = twin.nextBounded(5);
      const r1 = scheduleOne(urgent(), snapshot, defaultFramework(), state);
      const expected = snapshot.nodeInfoList[offset]?.name;
      expect(r1.kind === "Unschedulable" && r1.postFilter?.nominatedNodeName).toBe(expected);
      expect(state.rng.nextU32()).toBe(twin.nextU32()); // exactly one draw in the cycle
      const again = scheduleOne(
        urgent(),
        new Snapshot(nodes, pods),
        defaultFramework(),
        newSchedulerState({ seed }),
      );
      expect(again).toEqual(r1);
      seen.add(expected ?? "");
    }
    expect(seen.size).toBeGreaterThan(1); // the seed matters
  });

  it("reports why preemption does not help, in upstream's FitError form", () => {
    const { nodes, pods } = fullCluster(2);
    const state = newSchedulerState();
    const r = scheduleOne(
      urgent({ priority: 10 }),
      new Snapshot(nodes, pods),
      defaultFramework(),
      state,
    );
    expect(r).toMatchObject({
      kind: "Unschedulable",
      postFilter: { nominatedNodeName: "", victims: [] },
      message:
        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..",
    });
    expect(state.rng.nextU32()).toBe(nextAfterOne(0)); // one draw: the offset over 2 nodes
  });

  it("does not draw and leaves the nomination alone for a preemptionPolicy Never pod", () => {
    const { nodes, pods } = fullCluster(3);
    const state = newSchedulerState({ seed: 9 });
    const r = scheduleOne(
      urgent({ preemptionPolicy: "Never" }),
      new Snapshot(nodes, pods),
      defaultFramework(),
      state,
    );
    expect(r.kind === "Unschedulable" && r.postFilter).toMatchObject({
      victims: [],
      status: {
        ...newStatus("Unschedulable", "preemption: not eligible due to preemptionPolicy=Never."),
        plugin: "DefaultPreemption",
      },
    });
    expect(state.rng.nextU32()).toBe(new Pcg32(9n).nextU32());
  });

  it("never makes nodes rejected as UnschedulableAndUnresolvable candidates", () => {
    const { nodes, pods } = fullCluster(2);
    const cordoned = nodes.map((n, i) =>
      i === 0 ? { ...n, spec: { ...n.spec, unschedulable: true } } : n,
    );
    const r = scheduleOne(
      urgent(),
      new Snapshot(cordoned, pods),
      defaultFramework(),
      newSchedulerState(),
    );
    expect(r.kind === "Unschedulable" && r.postFilter?.nominatedNodeName).toBe("n1");
  });

  it("does not run PostFilter when a node fits, nor without PostFilter plugins", () => {
    const { nodes, pods } = fullCluster(2);
    const roomy = [...nodes, makeNode({ name: "free", allocatable: { cpu: "2", pods: "110" } })];
    const r = scheduleOne(
      urgent(),
      new Snapshot(roomy, pods),
      defaultFramework(),
      newSchedulerState(),
    );
    expect(r).toMatchObject({ kind: "Scheduled", node: "free" });

    const registry = defaultRegistry();
    const p = defaultProfile();
    const noPost = { ...p, plugins: { ...p.plugins, postFilter: [] } } as Profile;
    const fwk = newFramework(withImplementedPlugins(noPost, registry), registry);
    const u = scheduleOne(urgent(), new Snapshot(nodes, pods), fwk, newSchedulerState());
    expect(u.kind).toBe("Unschedulable");
    expect(u.kind === "Unschedulable" && u.postFilter).toBeUndefined();
  });

  it("runs PostFilter after a PreFilter rejection: Unschedulable makes every node a candidate", () => {
    const reject = (code: "Unschedulable" | "UnschedulableAndUnresolvable"): PreFilterPlugin => ({
      name: "Rejecter",
      preFilter: () => ({ result: null, status: newStatus(code, "rejected") }),
    });
    const { nodes, pods } = fullCluster(2);
    for (const code of ["Unschedulable", "UnschedulableAndUnresolvable"] as const) {
      const registry = defaultRegistry();
      registry.register("Rejecter", () => reject(code));
      const fwk = newFramework(
        profileOf({
          preFilter: ["Rejecter", "NodeResourcesFit"],
          filter: ["NodeResourcesFit"],
          postFilter: ["DefaultPreemption"],
        }),
        registry,
      );
      const r = scheduleOne(urgent(), new Snapshot(nodes, pods), fwk, newSchedulerState());
      if (r.kind !== "Unschedulable") throw new Error(r.kind);
      if (code === "Unschedulable") {
        // NodeResourcesFit's PreFilter never ran, so its Filter fails for want of state: an
        // error on every node, hence an Error from PostFilter — as upstream would.
        expect(r.postFilter?.status.code).toBe("Error");
      } else {
        expect(r.message).toBe(
          "0/2 nodes are available: rejected. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..",
        );
      }
    }
  });
});

function nextAfterOne(seed: number): number {
  const r = new Pcg32(BigInt(seed));
  r.nextBounded(2);
  return r.nextU32();
}

function profileOf(points: Partial<Record<string, string[]>>): Profile {
  const plugins = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, []])) as unknown as Record<
    string,
    PluginRef[]
  >;
  for (const [point, list] of Object.entries(points)) {
    plugins[point] = (list ?? []).map((name) => ({ name, weight: 0 }));
  }
  return {
    schedulerName: "default-scheduler",
    plugins: plugins as unknown as Profile["plugins"],
    pluginConfig: new Map(),
  };
}

describe("runPostFilterPlugins", () => {
  const post = (name: string, r: ReturnType<PostFilterPlugin["postFilter"]>): PostFilterPlugin => ({
    name,
    postFilter: () => r,
  });
  const run = (...plugins: PostFilterPlugin[]) => {
    const registry = new Registry();
    for (const p of plugins) registry.register(p.name, () => p);
    const fwk = newFramework(profileOf({ postFilter: plugins.map((p) => p.name) }), registry);
    return runPostFilterPlugins(
      fwk,
      new CycleState(),
      makePod(),
      new (class {
        get = () => newStatus("Unschedulable");
        nodesForStatusCode = () => [];
      })(),
    );
  };
  const victim = makePod({ name: "v" });

  it("returns the first success", () => {
    const r = run(
      post("A", { nominatedNodeName: "", victims: [], status: newStatus("Unschedulable", "a") }),
      post("B", { nominatedNodeName: "n1", victims: [victim], status: SUCCESS }),
      post("C", { nominatedNodeName: "n2", victims: [], status: SUCCESS }),
    );
    expect(r).toEqual({ nominatedNodeName: "n1", victims: [victim], status: SUCCESS });
  });

  it("collects Unschedulable reasons (attributed to the first) and keeps the last nomination", () => {
    const r = run(
      post("A", { nominatedNodeName: "", victims: [], status: newStatus("Unschedulable", "a") }),
      post("B", { victims: [], status: newStatus("Unschedulable", "b") }),
    );
    expect(r).toEqual({
      nominatedNodeName: "",
      victims: [],
      status: { code: "Unschedulable", reasons: ["a", "b"], plugin: "A" },
    });
  });

  it("stops at UnschedulableAndUnresolvable or an error", () => {
    const stop = run(
      post("A", { victims: [], status: newStatus("UnschedulableAndUnresolvable", "x") }),
      post("B", { nominatedNodeName: "n", victims: [], status: SUCCESS }),
    );
    expect(stop.status).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: ["x"],
      plugin: "A",
    });
    const err = run(
      post("A", { nominatedNodeName: "n", victims: [], status: newStatus("Error", "boom") }),
      post("B", { nominatedNodeName: "n", victims: [], status: SUCCESS }),
    );
    expect(err).toEqual({ victims: [], status: { code: "Error", reasons: ["boom"], plugin: "A" } });
  });
});

describe("dry-run copies and PreFilterExtensions (§5.4)", () => {
  it("CycleState.clone deep-copies StateData values and shares the rest", () => {
    class Counter implements StateData {
      n: number;
      constructor(n: number) {
        this.n = n;
      }
      clone(): Counter {
        return new Counter(this.n);
      }
    }
    const s = new CycleState();
    const plain = { n: 1 };
    s.write("counter", new Counter(1));
    s.write("plain", plain);
    s.skipFilterPlugins.add("X");
    const c = s.clone();
    c.read<Counter>("counter")!.n = 5;
    c.skipFilterPlugins.add("Y");
    expect(s.read<Counter>("counter")!.n).toBe(1);
    expect(c.read("plain")).toBe(plain);
    expect([...c.skipFilterPlugins]).toEqual(["X", "Y"]);
    expect([...s.skipFilterPlugins]).toEqual(["X"]);
  });

  it("NodeInfo.clone and removePod undo addPod on the copy only", () => {
    const node = makeNode({ name: "n" });
    const a = makePod({
      name: "a",
      nodeName: "n",
      requests: { cpu: "500m", memory: "1Gi", "example.com/gpu": "1" },
      containers: [{ requests: { cpu: "500m" }, ports: [{ hostPort: 8080 }] }],
    });
    const b = makePod({ name: "b", nodeName: "n", requests: { cpu: "250m" } });
    const info = new Snapshot([node], [a, b]).get("n")!;
    const copy = info.clone();
    copy.removePod(a);
    expect(copy.pods.map((p) => p.metadata.name)).toEqual(["b"]);
    expect(copy.requested.milliCPU).toBe(250);
    expect(copy.usedPorts.checkConflict("", "TCP", 8080)).toBe(false);
    expect(info.pods.map((p) => p.metadata.name)).toEqual(["a", "b"]);
    expect(info.requested.milliCPU).toBe(750);
    expect(info.usedPorts.checkConflict("", "TCP", 8080)).toBe(true);
    copy.addPod(a);
    expect(copy.requested).toEqual(info.requested);
    expect(copy.nonZeroRequested).toEqual(info.nonZeroRequested);
    expect(() => copy.removePod(makePod({ name: "ghost" }))).toThrow(
      "no corresponding pod ghost in pods of node n",
    );
  });

  it("the dry run calls RemovePod/AddPod of non-skipped PreFilter plugins on the copies", () => {
    const calls: string[] = [];
    const hooked = (name: string, skip: boolean): PreFilterPlugin => ({
      name,
      preFilter: () => ({ result: null, status: skip ? newStatus("Skip") : SUCCESS }),
      addPod: (state, _p, added, info) => {
        calls.push(`${name} add ${added.metadata.name}@${info.name} (${info.pods.length})`);
        expect(state.read("mark")).toBe("cycle");
        return SUCCESS;
      },
      removePod: (_s, _p, removed, info) => {
        calls.push(`${name} remove ${removed.metadata.name}@${info.name} (${info.pods.length})`);
        return SUCCESS;
      },
    });
    const registry = defaultRegistry();
    registry.register("Hooked", () => hooked("Hooked", false));
    registry.register("Skipped", () => hooked("Skipped", true));
    const fwk = newFramework(
      profileOf({
        preFilter: ["NodeResourcesFit", "Hooked", "Skipped"],
        filter: ["NodeResourcesFit"],
        postFilter: ["DefaultPreemption"],
      }),
      registry,
    );
    const node = makeNode({ name: "n", allocatable: { cpu: "1", pods: "110" } });
    const pods: Pod[] = [
      makePod({ name: "small", nodeName: "n", priority: 1, requests: { cpu: "200m" } }),
      makePod({ name: "big", nodeName: "n", priority: 2, requests: { cpu: "800m" } }),
    ];
    const snapshot = new Snapshot([node], pods);
    const r = scheduleOne(
      makePod({ name: "p", priority: 100, requests: { cpu: "700m" } }),
      snapshot,
      withMark(fwk),
      newSchedulerState(),
    );
    expect(r.kind === "Unschedulable" && r.postFilter?.victims.map((v) => v.metadata.name)).toEqual(
      ["big"],
    );
    expect(calls).toEqual([
      "Hooked remove small@n (1)",
      "Hooked remove big@n (0)",
      "Hooked add big@n (1)",
      "Hooked remove big@n (0)",
      "Hooked add small@n (1)",
    ]);
    expect(snapshot.get("n")!.pods).toHaveLength(2);
  });
});

/** Marks every cycle state the framework's PreFilter writes to, to check the hooks get a copy of it. */
function withMark<T extends { preFilterPlugins: readonly PreFilterPlugin[] }>(fwk: T): T {
  const [first, ...rest] = fwk.preFilterPlugins;
  if (!first) return fwk;
  const marking: PreFilterPlugin = {
    name: first.name,
    preFilter: (state, pod, nodes) => {
      state.write("mark", "cycle");
      return first.preFilter(state, pod, nodes);
    },
  };
  return { ...fwk, preFilterPlugins: [marking, ...rest] };
}
