import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseNodeCsv, parsePodCsv, typicalPods } from "../../src/gpu/index.ts";

// traces.md §0: the v2023 CSVs live in shared/traces/alibaba-gpu-v2023/ beside the checkout.
const DIR = fileURLToPath(new URL("../../../shared/traces/alibaba-gpu-v2023/", import.meta.url));
const file = (name: string) => `${DIR}${name}`;
const present = existsSync(file("openb_pod_list_default.csv"));

describe("CSV parsing", () => {
  it("reads both pod-list headers and the node list", () => {
    const pods = parsePodCsv(
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\n" +
        "p0,12000,16384,1,1000,,LS\np1,6000,12288,1,460,V100M16|V100M32,BE\np2,4000,0,0,0,,LS\n",
    );
    expect(pods.map((p) => [p.cpuMilli, p.numGpu, p.gpuMilli, p.gpuSpec])).toEqual([
      [12000, 1, 1000, []],
      [6000, 1, 460, ["V100M16", "V100M32"]],
      [4000, 0, 0, []],
    ]);
    const multi = parsePodCsv("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np,1000,5,8,1000\n");
    expect(multi[0]).toMatchObject({ numGpu: 8, gpuMilli: 1000, gpuSpec: [], memoryMib: 5 });
    const nodes = parseNodeCsv("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\n");
    expect(nodes[0]).toMatchObject({ name: "n0", model: "P100", cpuAllocatable: 64000 });
    expect(nodes[0]?.gpuUsed).toEqual([0, 0]);
  });
});

describe.skipIf(!present)("Alibaba GPU v2023 trace (traces.md §1, §3.6)", () => {
  it("default trace: 35 of 91 specs kept, 95.26% coverage, top (3152, 810, 1, –) ≈ 13.5%", () => {
    const t = typicalPods(parsePodCsv(readFileSync(file("openb_pod_list_default.csv"), "utf8")));
    expect(t.totalPods).toBe(8152);
    expect(t.distinct).toBe(91);
    expect(t.pods).toHaveLength(35);
    expect(t.coverage * 100).toBeCloseTo(95.26, 2);
    const top = t.pods[0]!;
    expect([top.cpuMilli, top.gpuMilli, top.numGpu, top.gpuSpec]).toEqual([3152, 810, 1, ""]);
    expect(top.p * 100).toBeCloseTo(13.5, 1);
    expect(t.pods.slice(1, 6).map((p) => [p.cpuMilli, p.gpuMilli, p.numGpu])).toEqual([
      [11300, 1000, 1],
      [11400, 1000, 1],
      [3152, 1000, 1],
      [11908, 470, 1],
      [12500, 0, 0],
    ]);
  });

  it("gpuspec33 keeps 127 of 330 specs; multigpu50 keeps 43 of 91", () => {
    const g = typicalPods(parsePodCsv(readFileSync(file("openb_pod_list_gpuspec33.csv"), "utf8")));
    expect([g.pods.length, g.distinct]).toEqual([127, 330]);
    const m = typicalPods(parsePodCsv(readFileSync(file("openb_pod_list_multigpu50.csv"), "utf8")));
    expect([m.pods.length, m.distinct]).toEqual([43, 91]);
  });

  it("gpu_node list: 1213 nodes, 6212 GPUs", () => {
    const nodes = parseNodeCsv(readFileSync(file("openb_node_list_gpu_node.csv"), "utf8"));
    expect(nodes).toHaveLength(1213);
    expect(nodes.reduce((s, n) => s + n.gpuUsed.length, 0)).toBe(6212);
  });
});
