import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { streamRandom } from "../../src/generate/random.ts";
import {
  makeGpuNode,
  makeGpuPod,
  POLICIES,
  parseNodeCsv,
  parsePodCsv,
  typicalPods,
} from "../../src/gpu/index.ts";
import { simulateReplay } from "../../src/replay/engine.ts";
import { runReplayTasks } from "../../src/replay/pool.ts";
import { binSeries, summarize } from "../../src/replay/stats.ts";
import type { ReplayTask } from "../../src/replay/task.ts";
import { arrivalOrder, capacityMilli, sortByName } from "../../src/replay/workload.ts";
import { runCli } from "../helpers/cli.ts";
import { referenceReplay } from "./reference.ts";

const DIR = "fixtures/traces/alibaba-gpu-sample";
const NODES = `${DIR}/openb_node_list_gpu_node_sample.csv`;
const PODS = `${DIR}/openb_pod_list_default_sample.csv`;

function loadSample() {
  const nodes = parseNodeCsv(readFileSync(NODES, "utf8"));
  const sorted = sortByName(parsePodCsv(readFileSync(PODS, "utf8")));
  return { nodes, sorted, capacity: capacityMilli(nodes), typical: typicalPods(sorted).pods };
}

describe("arrival order and inflation", () => {
  it("is a permutation of the originals followed by clones, stopping by the documented rule", () => {
    const { sorted, capacity } = loadSample();
    const order = arrivalOrder(sorted, capacity, 1.3, 42);
    const n = sorted.length;
    expect([...order.slice(0, n)].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
    expect(order.slice(0, n)).not.toEqual([...Array(n).keys()]);
    const target = 1.3 * capacity;
    let total = 0;
    for (const i of order) total += sorted[i]!.numGpu * sorted[i]!.gpuMilli;
    expect(order.length).toBeGreaterThan(n);
    // Replay the tune stream: the next draw is the one that would have passed the target.
    const tune = streamRandom(42, "replay/tune");
    for (let k = n; k < order.length; k++) expect(tune.nextBounded(n)).toBe(order[k]);
    const next = sorted[tune.nextBounded(n)]!;
    expect(total + next.gpuMilli).toBeGreaterThan(target);
    // Before each appended clone, the per-GPU test passed.
    let run = 0;
    for (let k = 0; k < n; k++) run += sorted[order[k]!]!.numGpu * sorted[order[k]!]!.gpuMilli;
    for (let k = n; k < order.length; k++) {
      const p = sorted[order[k]!]!;
      expect(run + p.gpuMilli).toBeLessThanOrEqual(target);
      run += p.numGpu * p.gpuMilli;
    }
  });

  it("adds the full numGpu × gpuMilli after testing only gpuMilli (multi-GPU overshoot)", () => {
    // One 1-GPU node (capacity 1000), pods: an 8-GPU pod only. target = 1.0 × 1000.
    const pods = [
      makeGpuPod({ name: "a", cpuMilli: 1, numGpu: 1, gpuMilli: 500 }),
      makeGpuPod({ name: "b", cpuMilli: 1, numGpu: 4, gpuMilli: 1000 }),
    ];
    // total starts at 4500 ≥ target 1000 × 1 → removal path; use a big target instead.
    const order = arrivalOrder(pods, 1000, 5.2, 7); // target 5200, total 4500
    let total = 0;
    for (const i of order) total += pods[i]!.numGpu * pods[i]!.gpuMilli;
    const last = pods[order[order.length - 1]!]!;
    // Appending stopped only when total + next gpuMilli > 5200; a 4-GPU clone (tested with 1000)
    // may push the total to 5200 − 1000 + 4000 at most.
    expect(total).toBeLessThanOrEqual(5200 - 1 + 4000);
    expect(order.length).toBeGreaterThan(2);
    expect(last).toBeDefined();
  });

  it("removes random pods when the trace asks for more than the target", () => {
    const { sorted, capacity } = loadSample();
    const order = arrivalOrder(sorted, capacity, 0.5, 1);
    let total = 0;
    for (const i of order) total += sorted[i]!.numGpu * sorted[i]!.gpuMilli;
    expect(total).toBeLessThanOrEqual(0.5 * capacity);
    expect(new Set(order).size).toBe(order.length);
  });
});

describe("binning and summaries", () => {
  it("means events per rounded arrive%, x ± 1 when a bin is empty", () => {
    // capacity 1000 milli: arrive% = arrived / 10.
    const series = {
      arrived: Float64Array.from([4, 6, 14, 36, 44]), // rounds to 0, 1, 1, 4, 4
      used: Float64Array.from([0, 10, 20, 30, 50]), // alloc% 0, 1, 2, 3, 5
      frag: Float64Array.from([10, 0, 0, 40, 20]),
      placed: 5,
      failed: 0,
    };
    const b = binSeries(series, 1000);
    expect(b.unallocatedGpuPct).toEqual([100, 98.5, 98.5, 96, 96]);
    // x = 2: empty → bins 1 and 3 (3 empty too) → events at 1: alloc (1 + 2)/2.
    // x = 3: empty → bins 2 (empty) and 4 → alloc (3 + 5)/2 = 4.
    expect(b.fragGpuPct).toEqual([1, 0, 0, 3, 3]);
  });

  it("gives null when x and its neighbours are empty", () => {
    const series = {
      arrived: Float64Array.from([0, 100]), // 0 %, 10 %
      used: Float64Array.from([0, 0]),
      frag: Float64Array.from([0, 0]),
      placed: 2,
      failed: 0,
    };
    const b = binSeries(series, 1000);
    expect(b.unallocatedGpuPct[5]).toBeNull();
    expect(b.unallocatedGpuPct[1]).toBe(100);
    expect(b.unallocatedGpuPct[10]).toBe(100);
  });

  it("median, mean and sample sd", () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, mean: 2, sd: 1 });
    const s = summarize([1, 2, 3, 4]);
    expect(s.median).toBe(2.5);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(summarize([7])).toEqual({ median: 7, mean: 7, sd: 0 });
  });
});

describe("engine", () => {
  it.each(POLICIES)("%s matches the plain src/gpu replay event by event", (policy) => {
    const { nodes, sorted, capacity, typical } = loadSample();
    const order = arrivalOrder(sorted, capacity, 1.3, 42);
    const fast = simulateReplay({
      nodes,
      pods: sorted,
      order,
      typical,
      policy,
      rng: streamRandom(42, "t"),
    });
    const ref = referenceReplay({
      nodes,
      pods: sorted,
      order,
      typical,
      policy,
      rng: streamRandom(42, "t"),
    });
    expect(fast.placed).toBe(ref.placed);
    expect(fast.failed).toBe(ref.failed);
    expect([...fast.arrived]).toEqual([...ref.arrived]);
    expect([...fast.used]).toEqual([...ref.used]);
    expect([...fast.frag]).toEqual([...ref.frag]);
    expect(fast.failed).toBeGreaterThan(0); // the sample is pushed to 130 %
  });

  it.each(POLICIES)("%s with tieBreak first matches the plain replay too", (policy) => {
    const { nodes, sorted, capacity, typical } = loadSample();
    const order = arrivalOrder(sorted, capacity, 1.3, 43);
    const args = { nodes: [...nodes].reverse(), pods: sorted, order, typical, policy };
    const fast = simulateReplay({ ...args, rng: streamRandom(43, "t"), tieBreak: "first" });
    const ref = referenceReplay({ ...args, rng: streamRandom(43, "t"), tieBreak: "first" });
    expect([...fast.used]).toEqual([...ref.used]);
    expect([...fast.frag]).toEqual([...ref.frag]);
  });

  it("honours memory and pod limits and GPU models", () => {
    const nodes = [
      makeGpuNode({
        name: "a",
        cpuMilli: 10000,
        memoryMib: 100,
        gpuCount: 1,
        model: "T4",
        maxPods: 1,
      }),
      makeGpuNode({ name: "b", cpuMilli: 10000, memoryMib: 1000, gpuCount: 2, model: "P100" }),
    ];
    const pods = [
      makeGpuPod({ name: "p0", cpuMilli: 1, memoryMib: 500, numGpu: 1, gpuMilli: 1000 }),
      makeGpuPod({ name: "p1", cpuMilli: 1, numGpu: 1, gpuMilli: 500, gpuSpec: "T4" }),
      makeGpuPod({ name: "p2", cpuMilli: 1, numGpu: 1, gpuMilli: 500, gpuSpec: "T4" }),
      makeGpuPod({ name: "p3", cpuMilli: 1, numGpu: 2, gpuMilli: 1000 }),
    ];
    const typical = typicalPods(pods).pods;
    for (const policy of POLICIES) {
      const s = simulateReplay({
        nodes,
        pods,
        order: [0, 1, 2, 3],
        typical,
        policy,
        rng: streamRandom(1, "x"),
      });
      // p0 only fits b (memory); p1 goes to a (T4); p2 fails (a's pod limit); p3 fails (b has 1 free GPU).
      expect([...s.used]).toEqual([1000, 1500, 1500, 1500]);
      expect(s.placed).toBe(2);
    }
  });
});

describe("tasks and pool", () => {
  const tasks: ReplayTask[] = ["FGD", "Random", "BestFit"].flatMap((policy) =>
    [1, 2].map((seed) => ({
      nodesPath: NODES,
      podsPath: PODS,
      policy: policy as ReplayTask["policy"],
      seed,
      inflate: 1.3,
    })),
  );
  const strip = (rs: Awaited<ReturnType<typeof runReplayTasks>>) =>
    rs.map(({ wallMs: _w, ...r }) => r);

  it("is deterministic, in-process and on 2 workers alike", async () => {
    const a = strip(await runReplayTasks(tasks, { workers: 0 }));
    const b = strip(await runReplayTasks(tasks, { workers: 0 }));
    expect(a).toEqual(b);
    const c = strip(await runReplayTasks(tasks, { workers: 2 }));
    expect(c).toEqual(a);
    expect(a[0]).not.toEqual(a[1]); // seeds differ
  }, 60_000);
});

describe("gantry replay CLI", () => {
  const base = ["replay", "alibaba-gpu", "--nodes", NODES, "--pods", PODS];

  it("prints the JSON report, identical for --workers 0 and 2", async () => {
    const a = await runCli([...base, "--seeds", "1-3", "--workers", "0", "--json"]);
    expect(a.code).toBe(0);
    const b = await runCli([...base, "--seeds", "1-3", "--workers", "2", "--json"]);
    expect(b.stdout).toBe(a.stdout);
    const r = JSON.parse(a.stdout);
    expect(Object.keys(r.policies)).toEqual([...POLICIES]);
    const bin = r.policies.FGD.byArrivedPct["100"];
    expect(Object.keys(bin)).toEqual(["unallocatedGpuPct", "fragGpuPct"]);
    expect(Object.keys(bin.unallocatedGpuPct)).toEqual(["median", "mean", "sd"]);
    expect(r.seeds).toEqual([1, 2, 3]);
    // The default is the FGD simulator's rule: the first tied node in a per-seed node order.
    expect(r.trace.tieBreak).toBe("first");
    const f = await runCli([...base, "--seeds", "1-2", "--tie-break", "random", "--json"]);
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).trace.tieBreak).toBe("random");
    const g = await runCli([...base, "--seeds", "1-2", "--json"]);
    expect(JSON.parse(f.stdout).policies).not.toEqual(JSON.parse(g.stdout).policies);
  }, 60_000);

  it("prints the table beside the published values without --json", async () => {
    const r = await runCli([...base, "--policies", "FGD,DotProd", "--workers", "0"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/arrive%\s+FGD\s+DotProd/);
    expect(r.stderr).toMatch(/\(\s*4\.77\)/);
  });

  it.each([
    [
      ["replay", "alibaba-gpu", "--nodes", "nope.csv", "--pods", PODS],
      /--nodes: cannot read "nope\.csv" \(ENOENT\)/,
    ],
    [
      ["replay", "alibaba-gpu", "--nodes", NODES, "--pods", "nope.csv"],
      /--pods: cannot read "nope\.csv"/,
    ],
    [[...base, "--policies", "FGD,Tetris"], /unknown policy "Tetris"/],
    [[...base, "--seeds", "5-1"], /--seeds/],
    [[...base, "--seeds", "x"], /--seeds/],
    [[...base, "--inflate", "-1"], /--inflate/],
    [[...base, "--workers", "many"], /--workers/],
    [[...base, "--tie-break", "last"], /--tie-break/],
    [["replay", "google", "--nodes", NODES, "--pods", PODS], /unknown trace kind "google"/],
    [["replay", "alibaba-gpu", "--nodes", PODS, "--pods", PODS], /--nodes: .*missing column sn/],
  ])("exits 2 on bad input %#", async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });
});

// The real default trace (research use: read from ../shared, never copied), when present: the
// paper's robust ordering at 100 % arrived (traces.md §6) — FGD < BestFit < GpuPacking and
// GpuClustering < DotProd < Random, unallocated GPU % median over two seeds — within a point of
// the published medians for FGD, BestFit and DotProd.
const TRACE = new URL("../../../shared/traces/alibaba-gpu-v2023/", import.meta.url);
const hasTrace = (() => {
  try {
    readFileSync(new URL("openb_pod_list_default.csv", TRACE));
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasTrace)("replay on the real default trace", () => {
  it("keeps the paper's ordering of the six policies at 100 % arrived", async () => {
    const r = await runCli([
      "replay",
      "alibaba-gpu",
      "--nodes",
      new URL("openb_node_list_gpu_node.csv", TRACE).pathname,
      "--pods",
      new URL("openb_pod_list_default.csv", TRACE).pathname,
      "--seeds",
      "42-43",
      "--workers",
      "0",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      policies: Record<
        string,
        { byArrivedPct: Record<string, { unallocatedGpuPct: { median: number } }> }
      >;
    };
    const at100 = (p: string) =>
      doc.policies[p]?.byArrivedPct["100"]?.unallocatedGpuPct.median ?? Number.NaN;
    const [fgd, bestFit, packing, clustering, dotProd, random] = [
      "FGD",
      "BestFit",
      "GpuPacking",
      "GpuClustering",
      "DotProd",
      "Random",
    ].map(at100) as [number, number, number, number, number, number];
    expect(fgd).toBeLessThan(bestFit);
    expect(bestFit).toBeLessThan(Math.min(packing, clustering));
    expect(Math.max(packing, clustering)).toBeLessThan(dotProd);
    expect(dotProd).toBeLessThan(random);
    // Published medians at 100 %: FGD 4.77, BestFit 7.09, DotProd 9.44.
    expect(Math.abs(fgd - 4.77)).toBeLessThan(1);
    expect(Math.abs(bestFit - 7.09)).toBeLessThan(1);
    expect(Math.abs(dotProd - 9.44)).toBeLessThan(1);
  }, 60_000);
});
