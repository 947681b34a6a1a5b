/**
 * The scheduling core on a scheduler_perf-shaped workload: the default profile placing pods like
 * pod-default (100m, 500Mi) on nodes like node-default (4 CPU, 32Gi, 110 pods), with adaptive
 * sampling and with percentageOfNodesToScore 100; the TypeScript reference and a naive JS scan
 * measured in the same run, so the ratios are comparable across machines.
 *
 * The cluster never fills (50,000 × 100m of 5,000 × 4 CPU), so every visited node is feasible
 * and a cycle evaluates exactly numToFind(N, p) nodes: that is the node-visit count per pod.
 * "wasm" selects through the core's incremental per-class tree (O(log N) per cycle), so its
 * ns per node-visit is an effective figure; "wasm linear scan" visits every node as
 * kube-scheduler does and gives the real per-visit cost. Both place identically.
 */
import { Bench } from "tinybench";
import { instantiateCore } from "../src/core/boundary.ts";
import { numToFind } from "../src/core/sampling.ts";
import { WasmScheduler } from "../src/core/scheduler.ts";
import type { Pod } from "../src/model/types.ts";
import { newFramework, newSchedulerState, Snapshot, scheduleOne } from "../src/reference/index.ts";
import { defaultNodes, defaultPod, defaultProfile } from "./scenario.ts";

/** Task labels of the topology workloads (bench/index.ts reports their ratios). */
export const SPREAD = "zone spread maxSkew 1";
export const ANTI_AFFINITY = "required anti-affinity on hostname";
export const PREFERRED_AFFINITY = "preferred affinity on zone";

export interface CoreBenchOptions {
  readonly nodes: number;
  /** Pods per WASM iteration. */
  readonly pods: number;
  /** Pods per reference iteration (the reference is ~100× slower). */
  readonly refPodsSampled: number;
  readonly refPodsFull: number;
  /** Pods per iteration with a zone spread constraint (core / reference). */
  readonly spreadPods: number;
  readonly refSpreadPods: number;
  /** Pods per iteration with required anti-affinity on hostname (at most one per node). */
  readonly antiAffinityPods: number;
  /** Reference pods per iteration for the InterPodAffinity workloads. */
  readonly refAffinityPods: number;
  readonly iterations: number;
}

export const FULL: CoreBenchOptions = {
  nodes: 5000,
  pods: 50_000,
  refPodsSampled: 1000,
  refPodsFull: 100,
  spreadPods: 20_000,
  refSpreadPods: 100,
  antiAffinityPods: 4000,
  refAffinityPods: 50,
  iterations: 7,
};

export const QUICK: CoreBenchOptions = {
  nodes: 5000,
  pods: 10_000,
  refPodsSampled: 300,
  refPodsFull: 30,
  spreadPods: 5000,
  refSpreadPods: 30,
  antiAffinityPods: 2000,
  refAffinityPods: 20,
  iterations: 5,
};

/** What each task did, to turn latencies into pods/s and ns per node-visit. */
export interface TaskWork {
  readonly pods: number;
  readonly visitsPerPod: number;
}

export async function coreBench(
  o: CoreBenchOptions,
): Promise<{ bench: Bench; work: Map<string, TaskWork> }> {
  const nodes = defaultNodes(o.nodes);
  const pod = defaultPod();
  const profile = defaultProfile();
  const bench = new Bench({ name: "core", iterations: o.iterations, time: 0, warmupIterations: 1 });
  const work = new Map<string, TaskWork>();
  // Correctness guard: the same first placements from both engines.
  {
    const w = await WasmScheduler.create({ nodes, profile, seed: 1 });
    const snap = new Snapshot(nodes, []);
    const fwk = newFramework(
      profile,
      (await import("../src/reference/index.ts")).defaultRegistry(),
    );
    const st = newSchedulerState({ seed: 1 });
    for (let i = 0; i < 50; i++) {
      const r = scheduleOne(pod, snap, fwk, st);
      const got = w.scheduleName(pod);
      if (r.kind !== "Scheduled" || r.node !== got) {
        throw new Error(`bench: engines disagree at pod ${i}: ${got} vs ${JSON.stringify(r)}`);
      }
    }
  }

  for (const pct of [0, 100]) {
    const label = pct === 0 ? "adaptive sampling" : "percentageOfNodesToScore 100";
    const visits = numToFind(o.nodes, pct);

    for (const incremental of [true, false]) {
      let wasm: WasmScheduler | undefined;
      let cls = 0;
      const wName = `wasm${incremental ? "" : " linear scan"}: ${o.pods} pods, ${label}`;
      work.set(wName, { pods: o.pods, visitsPerPod: visits });
      bench.add(
        wName,
        () => {
          const s = wasm as WasmScheduler;
          for (let i = 0; i < o.pods; i++) s.scheduleClass(cls);
        },
        {
          beforeEach: async () => {
            wasm = await WasmScheduler.create({
              nodes,
              profile,
              seed: 1,
              percentageOfNodesToScore: pct,
              incremental,
            });
            cls = wasm.classes.classOf(pod);
          },
        },
      );
    }

    const refPods = pct === 0 ? o.refPodsSampled : o.refPodsFull;
    const rName = `reference: ${refPods} pods, ${label}`;
    work.set(rName, { pods: refPods, visitsPerPod: visits });
    let snap: Snapshot | undefined;
    let state = newSchedulerState();
    const registry = (await import("../src/reference/index.ts")).defaultRegistry();
    const fwk = newFramework(profile, registry);
    bench.add(
      rName,
      () => {
        for (let i = 0; i < refPods; i++) scheduleOne(pod, snap as Snapshot, fwk, state);
      },
      {
        beforeEach: () => {
          snap = new Snapshot(nodes, []);
          state = newSchedulerState({ seed: 1, percentageOfNodesToScore: pct });
        },
      },
    );
  }

  /**
   * A topology workload, default sampling: `wasmPods` pods per core iteration and `refPods` per
   * reference iteration, each from an empty cluster (the reference's per-pod cost grows with the
   * pods already placed, so its figure is the cheap start of the same run: a conservative ratio).
   */
  const topology = async (label: string, p: Pod, wasmPods: number, refPods: number) => {
    let wasm: WasmScheduler | undefined;
    let cls = 0;
    const sName = `wasm: ${wasmPods} pods, ${label}`;
    work.set(sName, { pods: wasmPods, visitsPerPod: numToFind(o.nodes, 0) });
    bench.add(
      sName,
      () => {
        const s = wasm as WasmScheduler;
        for (let i = 0; i < wasmPods; i++) s.scheduleClass(cls);
      },
      {
        beforeEach: async () => {
          wasm = await WasmScheduler.create({ nodes, profile, seed: 1 });
          cls = wasm.classes.classOf(p);
        },
      },
    );
    const registry = (await import("../src/reference/index.ts")).defaultRegistry();
    const fwk = newFramework(profile, registry);
    let snap: Snapshot | undefined;
    let state = newSchedulerState();
    const rName = `reference: ${refPods} pods, ${label}`;
    work.set(rName, { pods: refPods, visitsPerPod: numToFind(o.nodes, 0) });
    bench.add(
      rName,
      () => {
        for (let i = 0; i < refPods; i++) scheduleOne(p, snap as Snapshot, fwk, state);
      },
      {
        beforeEach: () => {
          snap = new Snapshot(nodes, []);
          state = newSchedulerState({ seed: 1 });
        },
      },
    );
  };
  const labelled = { ...pod, metadata: { ...pod.metadata, labels: { app: "bench" } } };
  const selector = { matchLabels: { app: "bench" }, matchExpressions: [] };
  const term = (topologyKey: string) => ({
    labelSelector: selector,
    namespaces: [],
    topologyKey,
    matchLabelKeys: [],
    mismatchLabelKeys: [],
  });
  const none = {
    requiredDuringSchedulingIgnoredDuringExecution: [],
    preferredDuringSchedulingIgnoredDuringExecution: [],
  };
  // PodTopologySpread: pods spread over zones with maxSkew 1 (DoNotSchedule).
  await topology(
    SPREAD,
    {
      ...labelled,
      spec: {
        ...pod.spec,
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule" as const,
            labelSelector: selector,
            matchLabelKeys: [],
          },
        ],
      },
    },
    o.spreadPods,
    o.refSpreadPods,
  );
  // InterPodAffinity: required anti-affinity to the pod's own group on hostname (one per node,
  // scheduler_perf's SchedulingPodAntiAffinity shape) — fewer pods than nodes, so all place.
  await topology(
    ANTI_AFFINITY,
    {
      ...labelled,
      spec: {
        ...pod.spec,
        affinity: {
          podAntiAffinity: {
            ...none,
            requiredDuringSchedulingIgnoredDuringExecution: [term("kubernetes.io/hostname")],
          },
        },
      },
    },
    o.antiAffinityPods,
    o.refAffinityPods,
  );
  // InterPodAffinity: preferred affinity (weight 1) to the pod's own group on zone.
  await topology(
    PREFERRED_AFFINITY,
    {
      ...labelled,
      spec: {
        ...pod.spec,
        affinity: {
          podAffinity: {
            ...none,
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 1, podAffinityTerm: term("topology.kubernetes.io/zone") },
            ],
          },
        },
      },
    },
    o.spreadPods,
    o.refAffinityPods,
  );

  // A naive scan in plain JS over typed arrays: every node, fit + LeastAllocated + balanced.
  const n = o.nodes;
  const aCpu = new Int32Array(n).fill(4000);
  const aMem = new Float64Array(n).fill(32 * 2 ** 30);
  const aPods = new Int32Array(n).fill(110);
  const rCpu = new Int32Array(n);
  const rMem = new Float64Array(n);
  const cnt = new Int32Array(n);
  const naiveName = `naive JS scan: ${o.pods} pods, all nodes`;
  work.set(naiveName, { pods: o.pods, visitsPerPod: n });
  bench.add(
    naiveName,
    () => {
      const pc = 100;
      const pm = 500 * 2 ** 20;
      for (let k = 0; k < o.pods; k++) {
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

  // The filter alone over every node (NodeResourcesFit cpu/memory/pods through the SIMD path and
  // the class's static verdicts): the per-visit cost of the resource filter.
  const filterScheduler = await WasmScheduler.create({ nodes, profile, seed: 1 });
  const filterClass = filterScheduler.classes.classOf(pod);
  const kernelCalls = 2000;
  const kName = `wasm filter kernel: ${kernelCalls} scans of ${n} nodes`;
  work.set(kName, { pods: kernelCalls, visitsPerPod: n });
  bench.add(kName, () => {
    for (let k = 0; k < kernelCalls; k++) filterScheduler.countFeasible(filterClass);
  });

  // The JS↔WASM boundary alone: a call that does nothing but store a global.
  const core = await instantiateCore();
  const calls = 1_000_000;
  const bName = `boundary: ${calls} calls`;
  work.set(bName, { pods: calls, visitsPerPod: 0 });
  bench.add(bName, () => {
    for (let k = 0; k < calls; k++) core.setNextStart(k);
  });

  return { bench, work };
}
