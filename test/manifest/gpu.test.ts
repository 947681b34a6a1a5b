/** GPU sharing fields of Pods and Nodes (src/model/gpu.ts): decoding and errors with paths. */
import { describe, expect, it } from "vitest";
import { nodeGpus, podGpuRequest } from "../../src/model/gpu.ts";
import { makeNode } from "../helpers/builders.ts";
import { diagnosticsOf, podObject, validPod } from "./helpers.ts";

const P = "o.json: Pod default/p";
const gpuContainer = (n: string) => ({
  containers: [
    {
      name: "app",
      image: "x",
      resources: { requests: { "nvidia.com/gpu": n }, limits: { "nvidia.com/gpu": n } },
    },
  ],
});

describe("a pod's GPU request", () => {
  it("whole GPUs from nvidia.com/gpu, fractions and models from annotations", () => {
    expect(podGpuRequest(validPod())).toBeNull();
    expect(podGpuRequest(validPod(gpuContainer("2")))).toEqual({
      numGpu: 2,
      gpuMilli: 1000,
      models: [],
    });
    const shared = validPod(
      {},
      { annotations: { "gantry.dev/gpu-milli": "250", "gantry.dev/gpu-model": "T4|V100M16" } },
    );
    expect(podGpuRequest(shared)).toEqual({ numGpu: 1, gpuMilli: 250, models: ["T4", "V100M16"] });
    const two = validPod(
      {},
      { annotations: { "gantry.dev/gpu-milli": "1000", "gantry.dev/gpu-count": "2" } },
    );
    expect(podGpuRequest(two)).toEqual({ numGpu: 2, gpuMilli: 1000, models: [] });
  });

  it("reports bad annotations at their paths", () => {
    const errs = diagnosticsOf(
      podObject(gpuContainer("1"), {
        annotations: { "gantry.dev/gpu-milli": "0", "gantry.dev/gpu-count": "x" },
      }),
    );
    expect(errs).toEqual([
      `${P}: metadata.annotations[gantry.dev/gpu-milli]: "0" is not an integer in 1..1000`,
      `${P}: metadata.annotations[gantry.dev/gpu-milli]: cannot be combined with a nvidia.com/gpu request`,
      `${P}: metadata.annotations[gantry.dev/gpu-count]: "x" is not an integer in 1..16`,
    ]);
    expect(diagnosticsOf(podObject({}, { annotations: { "gantry.dev/gpu-count": "2" } }))).toEqual([
      `${P}: metadata.annotations[gantry.dev/gpu-count]: needs gantry.dev/gpu-milli`,
    ]);
    expect(diagnosticsOf(podObject({}, { annotations: { "gantry.dev/gpu-model": "T4" } }))).toEqual(
      [
        `${P}: metadata.annotations[gantry.dev/gpu-model]: only applies to a GPU pod (nvidia.com/gpu request or gantry.dev/gpu-milli)`,
      ],
    );
  });
});

describe("a node's GPU devices", () => {
  it("count from allocatable nvidia.com/gpu, model from the label", () => {
    const n = makeNode({
      allocatable: { cpu: "8", "nvidia.com/gpu": "4" },
      labels: { "gantry.dev/gpu-model": "A100" },
    });
    expect(nodeGpus(n)).toEqual({ count: 4, model: "A100" });
    expect(nodeGpus(makeNode())).toEqual({ count: 0, model: "" });
  });

  it("more than 16 devices is an error", () => {
    const errs = diagnosticsOf({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n" },
      status: { allocatable: { cpu: "8", "nvidia.com/gpu": "32" } },
    });
    expect(errs).toEqual([
      "o.json: Node n: status.allocatable[nvidia.com/gpu]: 32 GPUs: gantry models at most 16 devices per node",
    ]);
  });
});
