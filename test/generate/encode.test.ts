/**
 * The encoder is the decoder's inverse: every bundled manifest, and random pods and nodes,
 * read back equal after encoding and writing as YAML.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  encodeKept,
  encodeNamespace,
  encodeNode,
  encodePod,
  KWOK_NODE_ANNOTATION,
} from "../../src/generate/encode.ts";
import {
  collectManifestsFromString,
  type LoadResult,
  loadManifests,
  loadManifestsFromString,
} from "../../src/manifest/index.ts";
import type { Container, Node, Pod } from "../../src/model/types.ts";
import { clusterArb, podArb } from "../helpers/random-cluster.ts";
import { normalize } from "./helpers.ts";

function encodeAll(r: Pick<LoadResult, "nodes" | "pods" | "namespaces" | "kept">): string {
  const docs = [
    ...r.namespaces.map(encodeNamespace),
    ...r.kept.map(encodeKept),
    ...r.nodes.map((n) => encodeNode(n)),
    ...r.pods.map(encodePod),
  ];
  return docs.map((d) => `---\n${stringify(d, { version: "1.1" })}`).join("");
}

function sameObjects(a: LoadResult, b: LoadResult): void {
  expect(normalize(b.nodes)).toEqual(normalize(a.nodes));
  expect(normalize(b.pods)).toEqual(normalize(a.pods));
  expect(normalize(b.namespaces)).toEqual(normalize(a.namespaces));
  expect(normalize(b.kept)).toEqual(normalize(a.kept));
}

/**
 * The pod with a limit equal to the request for each extended resource, as API validation
 * requires (the random pods are built for the scheduler, not the API server).
 */
function withExtendedLimits(pod: Pod): Pod {
  const fix = (c: Container): Container => {
    const limits = new Map(c.resources.limits);
    for (const [name, q] of c.resources.requests) {
      if (name.includes("/") && !name.includes("kubernetes.io/")) limits.set(name, q);
    }
    return { ...c, resources: { ...c.resources, limits } };
  };
  return {
    ...pod,
    spec: {
      ...pod.spec,
      containers: pod.spec.containers.map(fix),
      initContainers: pod.spec.initContainers.map(fix),
    },
  };
}

/** The node with its taints unique by key and effect, as API validation requires. */
function withUniqueTaints(node: Node): Node {
  const seen = new Set<string>();
  const taints = node.spec.taints.filter((t) => {
    const id = `${t.key}\u0000${t.effect}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return { ...node, spec: { ...node.spec, taints } };
}

describe("encode → YAML → decode", () => {
  for (const inputs of [
    ["fixtures/cluster"],
    ["fixtures/explain/cluster.yaml", "fixtures/explain/pods"],
    ["fixtures/explain/preemption"],
    ["fixtures/lists"],
  ]) {
    it(`gives back every object of ${inputs.join(" ")}`, async () => {
      const loaded = await loadManifests(inputs);
      const again = loadManifestsFromString(encodeAll(loaded), "again.yaml");
      expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      sameObjects(loaded, again);
    });
  }

  it("gives back random nodes and pods", () => {
    const arb = fc.tuple(clusterArb(6), fc.array(podArb(6, "p"), { maxLength: 4 }));
    fc.assert(
      fc.property(arb, ([c, pending]) => {
        const pods = [
          ...c.bound,
          ...pending.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p-${i}` } })),
        ].map(withExtendedLimits);
        const nodes = c.nodes.map(withUniqueTaints);
        const text = encodeAll({ nodes, pods, namespaces: [], kept: [] });
        const again = collectManifestsFromString(text, "again.yaml");
        // What API validation would still reject is not an encoder problem.
        fc.pre(again.diagnostics.length === 0);
        expect(normalize(again.nodes)).toEqual(normalize(nodes));
        // The builders' pods carry no admitted priority; admission gives them 0.
        const admitted = pods.map((p) => ({
          ...p,
          spec: {
            ...p.spec,
            priority: p.spec.priority ?? 0,
            preemptionPolicy: p.spec.preemptionPolicy ?? "PreemptLowerPriority",
          },
        }));
        expect(normalize(again.pods)).toEqual(normalize(admitted));
      }),
      { numRuns: 200 },
    );
  });

  it("leaves defaults out and marks KWOK nodes on request", async () => {
    const loaded = await loadManifests(["fixtures/cluster"]);
    const pod = encodePod(loaded.pods.find((p) => p.metadata.name === "web-1")!);
    expect(pod).not.toHaveProperty("status");
    expect(pod["spec"]).not.toHaveProperty("schedulerName");
    const node = encodeNode(loaded.nodes[0]!, { kwok: true });
    expect((node["metadata"] as { annotations: Record<string, string> }).annotations).toMatchObject(
      {
        [KWOK_NODE_ANNOTATION]: "fake",
      },
    );
  });
});
