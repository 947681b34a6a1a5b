import { describe, expect, it } from "vitest";
import {
  allocate,
  cloneGpuNode,
  fitFailure,
  fits,
  gpuTag,
  makeGpuNode,
  makeGpuPod,
  place,
  remove,
  selectGpus,
  type TargetShape,
} from "../../src/gpu/index.ts";
import { nodeWithFree, scriptedRng } from "./helpers.ts";

describe("makeGpuPod / gpuTag (traces.md §2, §3.3)", () => {
  it("normalises CPU-only, sharing and whole-GPU pods", () => {
    const cpuOnly = makeGpuPod({ cpuMilli: 2000, gpuMilli: 500, gpuSpec: "T4" });
    expect(cpuOnly).toMatchObject({ numGpu: 0, gpuMilli: 0, gpuSpec: [] });
    expect(gpuTag(cpuOnly)).toBe("no-gpu");
    const share = makeGpuPod({ numGpu: 1, gpuMilli: 460, gpuSpec: "V100M16|V100M32" });
    expect(share.gpuSpec).toEqual(["V100M16", "V100M32"]);
    expect(gpuTag(share)).toBe("share-gpu");
    expect(gpuTag(makeGpuPod({ numGpu: 1, gpuMilli: 1000 }))).toBe("1-gpu");
    expect(gpuTag(makeGpuPod({ numGpu: 4, gpuMilli: 1000 }))).toBe("4-gpu");
  });

  it("clamps gpu_milli into (0, 1000]", () => {
    expect(makeGpuPod({ numGpu: 1, gpuMilli: 1500 }).gpuMilli).toBe(1000);
    expect(makeGpuPod({ numGpu: 1, gpuMilli: 0 }).gpuMilli).toBe(1);
    expect(makeGpuPod({ numGpu: 1, gpuMilli: -5 }).gpuMilli).toBe(1);
    expect(makeGpuPod({ numGpu: 2 }).gpuMilli).toBe(1000); // absent → whole GPUs
  });
});

describe("fitFailure (traces.md §2 Feasibility)", () => {
  // 8 cores, 1000 MiB, two T4s: GPU0 has 400 free (600 used), GPU1 is fully free.
  const node = () => nodeWithFree([400, 1000], 8000, { memoryMib: 1000 });

  it("checks cpu and memory", () => {
    expect(fitFailure(makeGpuPod({ cpuMilli: 9000 }), node())).toBe("insufficient-cpu");
    expect(fitFailure(makeGpuPod({ cpuMilli: 8000, memoryMib: 2000 }), node())).toBe(
      "insufficient-memory",
    );
    expect(fits(makeGpuPod({ cpuMilli: 8000, memoryMib: 1000 }), node())).toBe(true);
  });

  it("checks the pod limit", () => {
    const n = makeGpuNode({ cpuMilli: 1000, maxPods: 1 });
    n.podCount = 1;
    expect(fitFailure(makeGpuPod({}), n)).toBe("too-many-pods");
  });

  it("rejects GPU pods on GPU-less nodes, but not CPU-only pods", () => {
    const cpuNode = makeGpuNode({ cpuMilli: 4000, memoryMib: 100 });
    expect(fitFailure(makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 100 }), cpuNode)).toBe(
      "no-gpu",
    );
    expect(fits(makeGpuPod({ cpuMilli: 1000 }), cpuNode)).toBe(true);
  });

  it("checks the model list (empty = any)", () => {
    const p100 = makeGpuPod({ numGpu: 1, gpuMilli: 100, gpuSpec: "P100" });
    expect(fitFailure(p100, node())).toBe("model-not-allowed");
    expect(fits(makeGpuPod({ numGpu: 1, gpuMilli: 100, gpuSpec: "P100|T4" }), node())).toBe(true);
    expect(fits(makeGpuPod({ numGpu: 1, gpuMilli: 100 }), node())).toBe(true);
  });

  it("needs one GPU with ≥ gpu_milli free for a 1-GPU pod", () => {
    expect(fits(makeGpuPod({ numGpu: 1, gpuMilli: 1000 }), node())).toBe(true); // GPU1
    expect(fits(makeGpuPod({ numGpu: 1, gpuMilli: 400 }), node())).toBe(true); // 400 ≥ 400
    const busy = nodeWithFree([400, 400], 8000);
    expect(fitFailure(makeGpuPod({ numGpu: 1, gpuMilli: 401 }), busy)).toBe("insufficient-gpu");
  });

  it("needs k fully free GPUs for a k-GPU pod", () => {
    const two = makeGpuPod({ numGpu: 2, gpuMilli: 1000 });
    expect(fitFailure(two, node())).toBe("insufficient-gpu"); // only GPU1 fully free
    expect(fits(two, nodeWithFree([1000, 999, 1000], 8000))).toBe(true);
    expect(fits(two, nodeWithFree([1000, 999, 999], 8000))).toBe(false);
  });
});

describe("selectGpus (traces.md §3 Which GPU a pod gets)", () => {
  it("takes the first k fully free GPUs in index order for whole-GPU pods", () => {
    const n = nodeWithFree([1000, 700, 1000, 1000], 8000);
    const two = makeGpuPod({ numGpu: 2, gpuMilli: 1000 });
    for (const m of ["best", "random", "fgd"] as const) {
      expect(selectGpus(two, n, m, { rng: scriptedRng([0]), typical: [] })).toEqual([0, 2]);
    }
    expect(selectGpus(makeGpuPod({ numGpu: 4 }), n, "best")).toBeNull();
    expect(selectGpus(makeGpuPod({ cpuMilli: 1 }), n, "best")).toEqual([]);
  });

  it("best: least free that fits, lowest index on ties", () => {
    const n = nodeWithFree([1000, 600, 300, 600], 8000);
    const pod = makeGpuPod({ numGpu: 1, gpuMilli: 500 });
    expect(selectGpus(pod, n, "best")).toEqual([1]); // 600 at 1 and 3 → index 1
    expect(selectGpus(makeGpuPod({ numGpu: 1, gpuMilli: 200 }), n, "best")).toEqual([2]);
    expect(selectGpus(makeGpuPod({ numGpu: 1, gpuMilli: 700 }), n, "best")).toEqual([0]);
  });

  it("random: one draw over the fitting GPUs in index order", () => {
    const n = nodeWithFree([100, 600, 1000, 500], 8000);
    const rng = scriptedRng([2]);
    // candidates for 500: [1, 2, 3]; draw 2 → GPU 3
    expect(selectGpus(makeGpuPod({ numGpu: 1, gpuMilli: 500 }), n, "random", { rng })).toEqual([3]);
    expect(rng.bounds).toEqual([3]);
  });

  it("best and fgd choose different GPUs for a sharing pod", () => {
    // Node: free [600, 1000], 8 cores left. Pod: 500 milli. Typical: one shape
    // (1000 m, 500 ×1, p = 1).
    //   before: both GPUs ≥ 500 → slivers 0 → F = 0.
    //   GPU0 → [100, 1000]: sliver 100 → F = 100, Δ = −100, ⌊100·σ(−0.1)⌋ = ⌊47.50⌋ = 47.
    //   GPU1 → [600, 500]: both ≥ 500 → F = 0, Δ = 0, ⌊100·σ(0)⌋ = 50.
    // best takes the least free that fits (GPU0); FGD takes GPU1 (50 > 47).
    const n = nodeWithFree([600, 1000], 8000);
    const pod = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 500 });
    const typical: TargetShape[] = [{ cpuMilli: 1000, gpuMilli: 500, numGpu: 1, models: [], p: 1 }];
    expect(selectGpus(pod, n, "best")).toEqual([0]);
    expect(selectGpus(pod, n, "fgd", { typical })).toEqual([1]);
  });

  it("fgd breaks score ties by the lowest index", () => {
    // Free [1000, 1000]: both choices give the same state up to symmetry → same score → GPU0.
    const n = nodeWithFree([1000, 1000], 8000);
    const pod = makeGpuPod({ cpuMilli: 1000, numGpu: 1, gpuMilli: 300 });
    const typical: TargetShape[] = [{ cpuMilli: 1000, gpuMilli: 500, numGpu: 1, models: [], p: 1 }];
    expect(selectGpus(pod, n, "fgd", { typical })).toEqual([0]);
  });
});

describe("place / remove (traces.md §3)", () => {
  it("round-trips sharing and whole-GPU pods exactly", () => {
    const n = makeGpuNode({ cpuMilli: 32000, memoryMib: 4096, gpuCount: 4, model: "T4" });
    const before = cloneGpuNode(n);
    const share = makeGpuPod({ cpuMilli: 4000, memoryMib: 512, numGpu: 1, gpuMilli: 300 });
    const a = allocate(n, share, "best");
    expect(a?.gpus).toEqual([0]); // all free: least free is a 1000 tie → index 0
    expect(n.gpuUsed).toEqual([300, 0, 0, 0]);
    const b = allocate(n, makeGpuPod({ cpuMilli: 8000, numGpu: 2 }), "best");
    expect(b?.gpus).toEqual([1, 2]); // first two fully free
    expect(n.gpuUsed).toEqual([300, 1000, 1000, 0]);
    const c = allocate(n, share, "best"); // least free that fits: GPU0 (700)
    expect(c?.gpus).toEqual([0]);
    expect(n.gpuUsed).toEqual([600, 1000, 1000, 0]);
    expect(n.cpuUsed).toBe(16000);
    expect(n.memoryUsed).toBe(1024);
    expect(n.podCount).toBe(3);
    expect([...n.tagCounts]).toEqual([
      ["share-gpu", 2],
      ["2-gpu", 1],
    ]);
    expect(allocate(n, makeGpuPod({ numGpu: 2 }), "best")).toBeNull();
    remove(n, b!);
    remove(n, a!);
    remove(n, c!);
    expect(n).toEqual(before);
  });

  it("caps a GPU at 1000 and undoes only what was added", () => {
    const n = nodeWithFree([500], 1000);
    const before = cloneGpuNode(n);
    const p = place(n, makeGpuPod({ numGpu: 1, gpuMilli: 700 }), [0]);
    expect(n.gpuUsed).toEqual([1000]);
    expect(p.added).toEqual([500]);
    remove(n, p);
    expect(n).toEqual(before);
  });

  it("CPU-only pods take no GPU and no tag", () => {
    const n = nodeWithFree([1000], 4000);
    const p = allocate(n, makeGpuPod({ cpuMilli: 1000 }), "random", { rng: scriptedRng([0]) });
    expect(p?.gpus).toEqual([]);
    expect(n.tagCounts.size).toBe(0);
    expect(n.cpuUsed).toBe(1000);
  });
});
