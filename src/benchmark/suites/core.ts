/**
 * The scheduling core on a scheduler_perf-shaped workload (tinybench): the default profile placing
 * pods like pod-default (100m, 500Mi) on nodes like node-default (4 CPU, 32Gi, 110 pods), with
 * adaptive sampling and with percentageOfNodesToScore 100; the TypeScript reference and a naive JS
 * scan measured in the same run, so their ratios are comparable across machines.
 *
 * The cluster never fills, so every visited node is feasible and a cycle evaluates exactly
 * numToFind(N, p) nodes: that is the node-visit count per pod, and every scheduling task is
 * reported in **ns per node-visit** (a sample per iteration). "wasm" selects through the core's
 * incremental per-class tree (O(log N) per cycle), so its figure is an effective one; "wasm linear
 * scan" visits every node as kube-scheduler does and gives the real per-visit cost. Both place
 * identically (checked against the reference before measuring).
 *
 * Also: **per-plugin kernels** (the linear scan at 100 % with one plugin enabled, and with none:
 * the scan's frame), the resource filter alone, and the **JS↔WASM boundary** (a call that only
 * stores a global, ns per call).
 */
import { Bench } from "tinybench";
import type { Profile } from "../../config/types.ts";
import { instantiateCore } from "../../core/boundary.ts";
import { numToFind } from "../../core/sampling.ts";
import { WasmScheduler } from "../../core/scheduler.ts";
import type { Node, Pod } from "../../model/types.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
} from "../../reference/index.ts";
import {
  ANTI_AFFINITY,
  defaultNodes,
  defaultPod,
  defaultProfile,
  onlyPlugin,
  PREFERRED_AFFINITY,
  SPREAD,
  topologyPod,
} from "./shapes.ts";

/** Sizes of the core suite. */
export interface CoreSuiteOptions {
  readonly nodes: number;
  /** Pods per WASM iteration. */
  readonly pods: number;
  /** Pods per reference iteration (the reference is ~100× slower). */
  readonly refPodsSampled: number;
  readonly refPodsFull: number;
  /** Pods per iteration with a zone spread constraint / preferred affinity (core / reference). */
  readonly spreadPods: number;
  readonly refSpreadPods: number;
  /** Pods per iteration with required anti-affinity on hostname (at most one per node). */
  readonly antiAffinityPods: number;
  /** Reference pods per iteration for the InterPodAffinity workloads. */
  readonly refAffinityPods: number;
  /** Pods per iteration of the naive JS scan (it visits every node). */
  readonly naivePods: number;
  /** Pods per iteration of each per-plugin kernel (linear scan at 100 %). */
  readonly kernelPods: number;
  /** Whether to run the topology workloads and the adaptive-sampling linear scan. */
  readonly topology: boolean;
  /** Samples per task. */
  readonly iterations: number;
}

/** Plugins with a per-plugin kernel (those of the default profile the core runs). */
export const KERNEL_PLUGINS = [
  "NodeResourcesFit",
  "NodeResourcesBalancedAllocation",
  "TaintToleration",
  "NodeAffinity",
  "NodeUnschedulable",
  "NodeName",
  "NodePorts",
  "ImageLocality",
  "PodTopologySpread",
  "InterPodAffinity",
] as const;

/** One measured task: its samples are converted from ms per iteration to `unit`. */
export interface CoreTask {
  readonly name: string;
  /** `ns/visit` (scheduling, kernels) or `ns/call` (boundary). */
  readonly unit: "ns/visit" | "ns/call";
  /** Visits (or calls) per iteration: ns/unit = ms · 10⁶ / perIteration. */
  readonly perIteration: number;
  readonly group: "core" | "reference" | "kernel" | "baseline";
}

/** Task names the runner builds ratios from. */
export const CORE_NAMES = {
  wasm: (pods: number, label: string) => `wasm: ${pods} pods, ${label}`,
  linear: (pods: number, label: string) => `wasm linear scan: ${pods} pods, ${label}`,
  reference: (pods: number, label: string) => `reference: ${pods} pods, ${label}`,
  naive: (pods: number) => `naive JS scan: ${pods} pods, all nodes`,
  kernel: (plugin: string) => `kernel: ${plugin === "" ? "no plugins (scan frame)" : plugin}`,
  boundary: (calls: number) => `boundary: ${calls} calls`,
};
export const SAMPLED = "adaptive sampling";
export const FULL_SCAN = "percentageOfNodesToScore 100";

/** The core suite's tinybench, its tasks' units, and a placement checksum. */
export async function coreSuite(
  o: CoreSuiteOptions,
): Promise<{ bench: Bench; tasks: Map<string, CoreTask>; placements: PlacementCheck }> {
  const nodes = defaultNodes(o.nodes);
  const pod = defaultPod();
  const profile = defaultProfile();
  const registry = defaultRegistry();
  const bench = new Bench({
    name: "core",
    iterations: o.iterations,
    time: 0,
    warmupIterations: 1,
    warmupTime: 0,
    retainSamples: true,
  });
  const tasks = new Map<string, CoreTask>();
  const placements = await checkPlacements(nodes, pod, profile);

  const wasmTask = (
    name: string,
    p: Pod,
    count: number,
    prof: Profile,
    pct: number,
    incremental: boolean,
    group: CoreTask["group"],
    fresh = false,
  ) => {
    let wasm: WasmScheduler | undefined;
    let cls = 0;
    tasks.set(name, {
      name,
      unit: "ns/visit",
      perIteration: count * numToFind(o.nodes, pct),
      group,
    });
    bench.add(
      name,
      () => {
        const s = wasm as WasmScheduler;
        for (let i = 0; i < count; i++) s.scheduleClass(cls);
      },
      {
        // One scheduler per task (creating 5,000 nodes per iteration would dominate the run):
        // the presets keep (iterations + 1) × pods well under the cluster's 40 pods a node, so
        // every visited node stays feasible. `fresh`: a new one per iteration (anti-affinity
        // places at most one pod a node).
        [fresh ? "beforeEach" : "beforeAll"]: async () => {
          wasm = await WasmScheduler.create({
            nodes,
            profile: prof,
            seed: 1,
            percentageOfNodesToScore: pct,
            incremental,
          });
          cls = wasm.classes.classOf(p);
        },
      },
    );
  };
  const referenceTask = (name: string, p: Pod, count: number, pct: number) => {
    const fwk = newFramework(profile, registry);
    let snap: Snapshot | undefined;
    let state = newSchedulerState();
    tasks.set(name, {
      name,
      unit: "ns/visit",
      perIteration: count * numToFind(o.nodes, pct),
      group: "reference",
    });
    bench.add(
      name,
      () => {
        for (let i = 0; i < count; i++) scheduleOne(p, snap as Snapshot, fwk, state);
      },
      {
        beforeEach: () => {
          snap = new Snapshot(nodes, []);
          state = newSchedulerState({ seed: 1, percentageOfNodesToScore: pct });
        },
      },
    );
  };

  for (const pct of [0, 100]) {
    const label = pct === 0 ? SAMPLED : FULL_SCAN;
    wasmTask(CORE_NAMES.wasm(o.pods, label), pod, o.pods, profile, pct, true, "core");
    if (pct === 100 || o.topology) {
      wasmTask(CORE_NAMES.linear(o.pods, label), pod, o.pods, profile, pct, false, "core");
    }
    const refPods = pct === 0 ? o.refPodsSampled : o.refPodsFull;
    referenceTask(CORE_NAMES.reference(refPods, label), pod, refPods, pct);
  }

  // Topology workloads, default sampling, each iteration from an empty cluster (the reference's
  // per-pod cost grows with the pods already placed, so its figure is the cheap start of the same
  // run: a conservative ratio).
  if (o.topology) {
    const workloads = [
      [SPREAD, o.spreadPods, o.refSpreadPods],
      [ANTI_AFFINITY, o.antiAffinityPods, o.refAffinityPods],
      [PREFERRED_AFFINITY, o.spreadPods, o.refAffinityPods],
    ] as const;
    for (const [label, wasmPods, refPods] of workloads) {
      const p = topologyPod(label);
      const fresh = label === ANTI_AFFINITY;
      wasmTask(CORE_NAMES.wasm(wasmPods, label), p, wasmPods, profile, 0, true, "core", fresh);
      referenceTask(CORE_NAMES.reference(refPods, label), p, refPods, 0);
    }
  }

  // Per-plugin kernels: the linear scan over every node with one plugin (its filter and score),
  // and with none (the frame every plugin's cost is on top of).
  for (const plugin of ["", ...KERNEL_PLUGINS]) {
    if (plugin !== "" && !profileHas(profile, plugin)) continue;
    const p =
      plugin === "PodTopologySpread"
        ? topologyPod(SPREAD)
        : plugin === "InterPodAffinity"
          ? topologyPod(PREFERRED_AFFINITY)
          : pod;
    wasmTask(
      CORE_NAMES.kernel(plugin),
      p,
      o.kernelPods,
      onlyPlugin(profile, plugin),
      100,
      false,
      "kernel",
    );
  }

  // A naive scan in plain JS over typed arrays: every node, fit + LeastAllocated + balanced.
  const n = o.nodes;
  const aCpu = new Int32Array(n).fill(4000);
  const aMem = new Float64Array(n).fill(32 * 2 ** 30);
  const aPods = new Int32Array(n).fill(110);
  const rCpu = new Int32Array(n);
  const rMem = new Float64Array(n);
  const cnt = new Int32Array(n);
  const naiveName = CORE_NAMES.naive(o.naivePods);
  tasks.set(naiveName, {
    name: naiveName,
    unit: "ns/visit",
    perIteration: o.naivePods * n,
    group: "baseline",
  });
  bench.add(
    naiveName,
    () => {
      const pc = 100;
      const pm = 500 * 2 ** 20;
      for (let k = 0; k < o.naivePods; k++) {
        let best = -1;
        let bestScore = -1;
        for (let i = 0; i < n; i++) {
          if (cnt[i]! + 1 > aPods[i]! || pc > aCpu[i]! - rCpu[i]! || pm > aMem[i]! - rMem[i]!)
            continue;
          const c = rCpu[i]! + pc;
          const m = rMem[i]! + pm;
          const least =
            (Math.trunc(((aCpu[i]! - c) * 100) / aCpu[i]!) +
              Math.trunc(((aMem[i]! - m) * 100) / aMem[i]!)) >>
            1;
          const bal = Math.trunc((1 - Math.abs((c / aCpu[i]! - m / aMem[i]!) / 2)) * 100);
          const s = least + bal;
          if (s > bestScore) {
            bestScore = s;
            best = i;
          }
        }
        if (best >= 0) {
          rCpu[best]! += pc;
          rMem[best]! += pm;
          cnt[best]! += 1;
        }
      }
    },
    {
      beforeEach: () => {
        rCpu.fill(0);
        rMem.fill(0);
        cnt.fill(0);
      },
    },
  );

  // The resource filter alone over every node (NodeResourcesFit cpu/memory/pods through the SIMD
  // path and the class's static verdicts).
  const filterScheduler = await WasmScheduler.create({ nodes, profile, seed: 1 });
  const filterClass = filterScheduler.classes.classOf(pod);
  const kernelCalls = Math.max(1, Math.round(o.pods / 5));
  const fName = `wasm filter kernel: ${kernelCalls} scans of ${n} nodes`;
  tasks.set(fName, {
    name: fName,
    unit: "ns/visit",
    perIteration: kernelCalls * n,
    group: "kernel",
  });
  bench.add(fName, () => {
    for (let k = 0; k < kernelCalls; k++) filterScheduler.countFeasible(filterClass);
  });

  // The JS↔WASM boundary alone: a call that does nothing but store a global.
  const core = await instantiateCore();
  const calls = Math.max(1000, o.pods * 100);
  const bName = CORE_NAMES.boundary(calls);
  tasks.set(bName, { name: bName, unit: "ns/call", perIteration: calls, group: "baseline" });
  bench.add(bName, () => {
    for (let k = 0; k < calls; k++) core.setNextStart(k);
  });

  return { bench, tasks, placements };
}

function profileHas(profile: Profile, plugin: string): boolean {
  return (
    profile.plugins.filter.some((r) => r.name === plugin) ||
    profile.plugins.score.some((r) => r.name === plugin)
  );
}

/** Deterministic facts of the core's placements, checked against the reference. */
export interface PlacementCheck {
  /** Pods placed by both engines before measuring. */
  readonly pods: number;
  /** Distinct nodes they went to. */
  readonly distinctNodes: number;
  /** FNV-1a (32-bit) of the node names in placement order. */
  readonly checksum: number;
}

/** The same first placements from both engines (throws when they differ), summarised. */
async function checkPlacements(
  nodes: readonly Node[],
  pod: Pod,
  profile: Profile,
): Promise<PlacementCheck> {
  const count = Math.min(200, nodes.length);
  const w = await WasmScheduler.create({ nodes, profile, seed: 1 });
  const snap = new Snapshot(nodes, []);
  const fwk = newFramework(profile, defaultRegistry());
  const st = newSchedulerState({ seed: 1 });
  const seen = new Set<string>();
  let h = 0x811c9dc5;
  for (let i = 0; i < count; i++) {
    const r = scheduleOne(pod, snap, fwk, st);
    const got = w.scheduleName(pod) ?? "";
    if (r.kind !== "Scheduled" || r.node !== got) {
      throw new Error(`bench: engines disagree at pod ${i}: ${got} vs ${JSON.stringify(r)}`);
    }
    seen.add(got);
    for (let k = 0; k < got.length; k++) {
      h ^= got.charCodeAt(k);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return { pods: count, distinctNodes: seen.size, checksum: h >>> 0 };
}
