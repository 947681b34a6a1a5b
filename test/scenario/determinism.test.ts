/**
 * Scenario determinism: the same seed gives the same cluster and stream; each pool and each
 * stream draws from its own generator, so adding one changes no other.
 */
import { describe, expect, it } from "vitest";
import { loadScenarioFromString } from "../../src/scenario/index.ts";
import type { PodArrival } from "../../src/sim/types.ts";

const scenario = (pools: string, streams: string) => `apiVersion: gantry.dev/v1alpha1
kind: Scenario
metadata: {name: d}
cluster:
  pools:
${pools}
workload:
  streams:
${streams}
simulation: {seed: 3, endTime: 10m}
`;

const GPU = `    - name: gpu
      count: 30
      instanceType: p3.2xlarge
      zones: [{name: a, weight: 2}, {name: b, weight: 1}]`;
const CPU = `    - name: cpu
      count: 30
      instanceType: m5.large
      zones: [{name: a, weight: 1}, {name: b, weight: 1}]`;
const WEB = `    - name: web
      arrival: {process: poisson, rate: 2}
      duration: {distribution: exponential, mean: 1m}
      groups: 4
      template:
        metadata: {name: web, labels: {app: "web-{{k}}"}}
        spec: {containers: [{name: c, image: i}]}`;
const BATCH = `    - name: batch
      arrival: {process: poisson, rate: 5}
      duration: {distribution: uniform, min: 1s, max: 1m}
      template:
        metadata: {name: batch}
        spec: {containers: [{name: c, image: i}]}`;

const zones = (
  nodes: readonly { metadata: { name: string; labels: Readonly<Record<string, string>> } }[],
  prefix: string,
) =>
  nodes
    .filter((n) => n.metadata.name.startsWith(prefix))
    .map((n) => `${n.metadata.name}@${n.metadata.labels["topology.kubernetes.io/zone"]}`);

const web = (arrivals: Iterable<PodArrival>) =>
  [...arrivals]
    .filter((a) => a.template.metadata.name === "web")
    .map((a) => `${a.time}/${a.template.metadata.labels["app"]}/${a.duration}`);

describe("scenario determinism", () => {
  it("adding a pool leaves another pool's nodes unchanged", async () => {
    const one = await loadScenarioFromString(scenario(GPU, WEB), "s.yaml");
    const two = await loadScenarioFromString(scenario(`${CPU}\n${GPU}`, WEB), "s.yaml");
    expect(zones(two.nodes, "gpu-")).toEqual(zones(one.nodes, "gpu-"));
    expect(new Set(zones(one.nodes, "gpu-").map((z) => z.split("@")[1]))).toEqual(
      new Set(["a", "b"]),
    );
  });

  it("adding a stream leaves another stream's arrivals unchanged", async () => {
    const one = await loadScenarioFromString(scenario(GPU, WEB), "s.yaml");
    const two = await loadScenarioFromString(scenario(GPU, `${BATCH}\n${WEB}`), "s.yaml");
    expect(web(two.arrivals())).toEqual(web(one.arrivals()));
    expect(web(one.arrivals()).length).toBeGreaterThan(1000);
  });

  it("another seed changes drawn zones and arrivals", async () => {
    const a = await loadScenarioFromString(scenario(GPU, WEB), "s.yaml");
    const b = await loadScenarioFromString(scenario(GPU, WEB), "s.yaml", { seed: 4 });
    expect(zones(b.nodes, "gpu-")).not.toEqual(zones(a.nodes, "gpu-"));
    expect(web(b.arrivals())).not.toEqual(web(a.arrivals()));
    const again = await loadScenarioFromString(scenario(GPU, WEB), "s.yaml", { seed: 4 });
    expect(web(again.arrivals())).toEqual(web(b.arrivals()));
  });

  it("resolves outputs against the scenario's directory", async () => {
    const text = `${scenario(GPU, WEB)}outputs: {json: out/result.json}\n`;
    const s = await loadScenarioFromString(text, "runs/s.yaml");
    expect(s.outputs).toEqual({ json: "runs/out/result.json" });
    expect(s.spec.outputs).toEqual({ json: "runs/out/result.json" });
  });

  it("refuses a seed that is not a non-negative safe integer", async () => {
    await expect(
      loadScenarioFromString(scenario(GPU, WEB), "s.yaml", { seed: -1 }),
    ).rejects.toThrow(RangeError);
  });
});
