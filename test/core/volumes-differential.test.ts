/**
 * The volume plugins: the WASM core (host-evaluated filters, claims bound when a pod is placed)
 * against the TypeScript reference (framework plugins, binding at Reserve) over random zonal
 * storage (fast-check): WaitForFirstConsumer and pre-bound claims, PVs with zone node affinity,
 * CSI attach limits per node, pods sharing claims, ReadWriteOncePod claims. Same placements pod by pod, same bindings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultSchedulerConfig } from "../../src/config/index.ts";
import type { Profile } from "../../src/config/types.ts";
import { WasmScheduler } from "../../src/core/scheduler.ts";
import type { KeptObject, Node, Pod } from "../../src/model/types.ts";
import {
  defaultRegistry,
  newFramework,
  newSchedulerState,
  Snapshot,
  scheduleOne,
  withImplementedPlugins,
} from "../../src/reference/index.ts";
import { VolumeState, volumeStateOf } from "../../src/reference/plugins/volumes/index.ts";
import { coreProfile } from "../../src/sim/profile.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import { claimVolume, kept, pv, pvc, storageClass } from "../reference/plugins/volume-support.ts";

const registry = defaultRegistry();
const profile = coreProfile(
  withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, registry),
).profile;
const ZONES = ["za", "zb", "zc"];

const zoneAffinity = (zone: string) => ({
  required: {
    nodeSelectorTerms: [
      {
        matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }],
      },
    ],
  },
});

interface Case {
  readonly nodes: { zone: number; limit: number }[];
  readonly pvs: { zone: number; size: number }[];
  readonly claims: { size: number; once: boolean }[];
  readonly pods: { claims: number[] }[];
  readonly seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  nodes: fc.array(fc.record({ zone: fc.nat(2), limit: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 8,
  }),
  pvs: fc.array(fc.record({ zone: fc.nat(2), size: fc.integer({ min: 1, max: 4 }) }), {
    maxLength: 10,
  }),
  claims: fc.array(fc.record({ size: fc.integer({ min: 1, max: 4 }), once: fc.boolean() }), {
    minLength: 1,
    maxLength: 8,
  }),
  pods: fc.array(fc.record({ claims: fc.uniqueArray(fc.nat(7), { maxLength: 2 }) }), {
    minLength: 1,
    maxLength: 14,
  }),
  seed: fc.nat(1000),
});

function build(c: Case): { nodes: Node[]; kept: KeptObject[]; pods: Pod[] } {
  const nodes = c.nodes.map((n, i) => makeNode({ name: `n${i}`, zone: ZONES[n.zone] as string }));
  const objects: KeptObject[] = [storageClass("zonal", "WaitForFirstConsumer")];
  c.nodes.forEach((n, i) => {
    objects.push(
      kept("CSINode", `n${i}`, {
        spec: {
          drivers: [{ name: "ebs.csi.aws.com", nodeID: `n${i}`, allocatable: { count: n.limit } }],
        },
      }),
    );
  });
  c.pvs.forEach((p, i) => {
    objects.push(
      pv(`pv${i}`, {
        storageClassName: "zonal",
        capacity: { storage: `${p.size}Gi` },
        accessModes: ["ReadWriteOnce", "ReadWriteOncePod"],
        csi: { driver: "ebs.csi.aws.com", volumeHandle: `vol-${i}` },
        nodeAffinity: zoneAffinity(ZONES[p.zone] as string),
      }),
    );
  });
  c.claims.forEach((cl, i) => {
    objects.push(
      pvc(`c${i}`, {
        storageClassName: "zonal",
        // ReadWriteOncePod claims: one pod in the whole cluster (VolumeRestrictions).
        accessModes: [cl.once ? "ReadWriteOncePod" : "ReadWriteOnce"],
        resources: { requests: { storage: `${cl.size}Gi` } },
      }),
    );
  });
  const pods = c.pods.map((p, k) =>
    makePod({
      name: `p${k}`,
      requests: { cpu: "100m" },
      volumes: p.claims.filter((j) => j < c.claims.length).map((j) => claimVolume(`c${j}`)),
    }),
  );
  return { nodes, kept: objects, pods };
}

describe("volume plugins: core vs reference", () => {
  it("agree on placements and claim bindings over random zonal storage (150 cases)", async () => {
    let placedWithClaims = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const { nodes, kept: objects, pods } = build(c);
        const snapshot = new Snapshot(nodes, [], { kept: objects });
        const fwk = newFramework(profile, registry);
        const state = newSchedulerState({ seed: c.seed, percentageOfNodesToScore: 100 });
        const volumes = VolumeState.fromKept(objects);
        const core = await WasmScheduler.create({
          nodes,
          profile,
          seed: c.seed,
          percentageOfNodesToScore: 100,
          objects: { kept: objects },
          volumes,
          build: "debug",
        });
        pods.forEach((pod, k) => {
          const r = scheduleOne(pod, snapshot, fwk, state);
          const want = r.kind === "Scheduled" ? r.node : null;
          const got = core.scheduleName(pod);
          expect({ pod: k, node: got }).toEqual({ pod: k, node: want });
          if (got !== null && pod.spec.volumes.length > 0) placedWithClaims++;
        });
        const refState = volumeStateOf(snapshot);
        for (let j = 0; j < c.claims.length; j++) {
          expect({ claim: j, pv: volumes.pvc("default", `c${j}`)?.volumeName }).toEqual({
            claim: j,
            pv: refState.pvc("default", `c${j}`)?.volumeName,
          });
        }
      }),
      { numRuns: 150 },
    );
    expect(placedWithClaims).toBeGreaterThan(100);
  }, 120_000);
});
