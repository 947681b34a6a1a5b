/**
 * `gantry explain` when the pod fits nowhere and DefaultPreemption runs: the `preemption` field of
 * the JSON document and its line in the table, on `fixtures/explain/preemption/` (see
 * cluster.yaml's header; each outcome is hand-checked in the pod files' comments).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const CLUSTER = "fixtures/explain/preemption/cluster.yaml";
const POD = (name: string) => `fixtures/explain/preemption/${name}.yaml`;

interface Doc {
  schemaVersion: number;
  selected: string | null;
  message: string | null;
  nodes: { name: string; feasible: boolean; filter?: { plugin: string; reasons: string[] } }[];
  notRun: { plugin: string }[];
  preemption?: { node: string | null; victims: string[]; message: string | null };
}

async function explainJson(...args: string[]): Promise<Doc> {
  const r = await runCli(["explain", "--json", ...args]);
  expect(r.stderr).not.toContain("error:");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

describe("gantry explain: preemption", () => {
  it("nominates the node whose victims break no PodDisruptionBudget", async () => {
    const doc = await explainJson("--cluster", CLUSTER, "--pod", POD("urgent"));
    expect(doc.selected).toBeNull();
    expect(doc.message).toBe("0/3 nodes are available: 3 Insufficient cpu.");
    expect(doc.nodes.every((n) => !n.feasible)).toBe(true);
    expect(doc.preemption).toEqual({ node: "node-3", victims: ["shop/batch-3"], message: null });
    expect(doc.notRun.map((p) => p.plugin)).not.toContain("DefaultPreemption");
  });

  it("does not depend on the seed here (every node is dry-run, node-3 wins outright)", async () => {
    for (const seed of ["1", "7", "123456789"]) {
      const doc = await explainJson("--cluster", CLUSTER, "--pod", POD("urgent"), "--seed", seed);
      expect(doc.preemption?.node).toBe("node-3");
    }
  });

  it("reports a pod that may not preempt (preemptionPolicy Never from its PriorityClass)", async () => {
    const doc = await explainJson("--cluster", CLUSTER, "--pod", POD("polite"));
    expect(doc.preemption).toEqual({
      node: null,
      victims: [],
      message: "preemption: not eligible due to preemptionPolicy=Never.",
    });
  });

  it("reports why preemption does not help when no pod has a lower priority", async () => {
    const doc = await explainJson("--cluster", CLUSTER, "--pod", POD("lowly"));
    expect(doc.preemption).toEqual({
      node: null,
      victims: [],
      message:
        "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    });
  });

  it("has no preemption field when the pod fits", async () => {
    const doc = await explainJson(
      "--cluster",
      "fixtures/explain/cluster.yaml",
      "--pod",
      "fixtures/explain/pods/web.yaml",
    );
    expect(doc.selected).not.toBeNull();
    expect(doc).not.toHaveProperty("preemption");
  });

  it("shows the nomination and the victims in the table", async () => {
    const r = await runCli(["explain", "--cluster", CLUSTER, "--pod", POD("urgent")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("preemption: nominated to node-3; 1 victim: shop/batch-3\n");
    expect(r.stderr).toMatch(/unschedulable: 0\/3 nodes are available: 3 Insufficient cpu\.\n$/);
    const never = await runCli(["explain", "--cluster", CLUSTER, "--pod", POD("polite")]);
    expect(never.stderr).toContain(
      "preemption: no node: not eligible due to preemptionPolicy=Never.\n",
    );
  });
});
