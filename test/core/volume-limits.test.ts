/**
 * The core's NodeVolumeLimits host filter (src/core/volume-limits.ts) keeps the new pod's
 * volumes per cycle, each node's limits and each node's attached volumes between cycles. Each
 * step below changes one thing those caches depend on — the pods on a node, a claim's binding,
 * a node's CSINode, the pod being scheduled — and checks the verdict against the reference's
 * evaluator (recomputed from scratch) and the hand-checked expectation.
 */
import { describe, expect, it } from "vitest";
import { nodeVolumeLimitsFilter } from "../../src/core/volume-limits.ts";
import { hasVolumes } from "../../src/core/volumes.ts";
import type { Node, Pod } from "../../src/model/types.ts";
import {
  ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED,
  filter as referenceFilter,
} from "../../src/reference/plugins/nodevolumelimits/index.ts";
import {
  csiMigrationKey,
  decodeCSINode,
  decodePersistentVolumeClaim,
  VolumeState,
} from "../../src/reference/plugins/volumes/index.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import {
  boundPVC,
  claimVolume,
  csiNode,
  inlineVolume,
  pv,
} from "../reference/plugins/volume-support.ts";

const EBS = "ebs.csi.aws.com";
const csiPV = (name: string) => pv(name, { csi: { driver: EBS, volumeHandle: name } });
const podWith = (name: string, ...claims: string[]): Pod =>
  makePod({ name, volumes: claims.map((c) => claimVolume(c)) });
const ebsInline = (name: string, volumeID: string): Pod =>
  makePod({
    name,
    volumes: [inlineVolume("disk", "awsElasticBlockStore", { volumeID })],
  });

/** n1 and n2 allow one EBS volume each (CSINode); n3 has no CSINode (no migration, no limit). */
function setup() {
  const state = VolumeState.fromKept([
    ...["a", "b", "c"].flatMap((x) => [boundPVC(`claim-${x}`, `pv-${x}`), csiPV(`pv-${x}`)]),
    csiNode("n1", [{ name: EBS, count: 1 }]),
    csiNode("n2", [{ name: EBS, count: 1 }]),
  ]);
  const nodes = ["n1", "n2", "n3"].map((name) =>
    makeNode({ name, allocatable: { cpu: "4", memory: "8Gi", pods: "110" } }),
  );
  const core = nodeVolumeLimitsFilter(state, hasVolumes);
  /** The core's verdict, checked equal to the reference's. */
  const verdict = (pod: Pod, node: Node, on: readonly Pod[]) => {
    core.begin?.(pod);
    const got = core.filter(pod, node, on);
    const ref = referenceFilter(pod, node, on, state);
    expect(got === null ? null : got.reasons).toEqual(ref === null ? null : ref.reasons);
    return got === null ? "fits" : got.reasons.join(", ");
  };
  return { state, nodes, verdict };
}

const EXCEEDED = ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED;

describe("core NodeVolumeLimits caches", () => {
  it("follows the pods on a node (added, removed, replaced)", () => {
    const { nodes, verdict } = setup();
    const [n1] = nodes as [Node];
    const a = podWith("a", "claim-a");
    const incoming = podWith("new", "claim-b");
    expect(verdict(incoming, n1, [])).toBe("fits");
    expect(verdict(incoming, n1, [a])).toBe(EXCEEDED);
    // The same array object mutated in place, as the core's per-node pod lists are.
    const on = [a];
    expect(verdict(incoming, n1, on)).toBe(EXCEEDED);
    on.pop();
    expect(verdict(incoming, n1, on)).toBe("fits");
    on.push(podWith("a2", "claim-b"));
    // The volume the new pod wants is attached already: it does not count twice.
    expect(verdict(incoming, n1, on)).toBe("fits");
  });

  it("follows a claim re-bound between cycles (the storage lookups are re-checked)", () => {
    const { state, nodes, verdict } = setup();
    const [n1] = nodes as [Node];
    const on = [podWith("a", "claim-a")];
    const incoming = podWith("new", "claim-b");
    expect(verdict(incoming, n1, on)).toBe(EXCEEDED);
    // claim-a now points at pv-b, the volume the new pod uses: nothing new to attach.
    state.putPVC(decodePersistentVolumeClaim(boundPVC("claim-a", "pv-b")));
    expect(verdict(incoming, n1, on)).toBe("fits");
    state.putPVC(decodePersistentVolumeClaim(boundPVC("claim-a", "pv-c")));
    expect(verdict(incoming, n1, on)).toBe(EXCEEDED);
  });

  it("follows the pod being scheduled without a begin (a new cycle for another pod)", () => {
    const { nodes, verdict } = setup();
    const [n1] = nodes as [Node];
    const on = [podWith("a", "claim-a")];
    expect(verdict(podWith("same", "claim-a"), n1, on)).toBe("fits");
    expect(verdict(podWith("other", "claim-b"), n1, on)).toBe(EXCEEDED);
  });

  it("counts migrated in-tree volumes only where the node's CSINode turns migration on", () => {
    const { state, nodes, verdict } = setup();
    const [n1, , n3] = nodes as [Node, Node, Node];
    const on = [ebsInline("a", "vol-a")];
    const incoming = ebsInline("new", "vol-b");
    expect(verdict(incoming, n1, on)).toBe(EXCEEDED);
    // No CSINode: migration is off, nothing counts.
    expect(verdict(incoming, n3, on)).toBe("fits");
    // n3 gets a CSINode with a limit of 1: the same pods now exceed it.
    state.putCSINode(decodeCSINode(csiNode("n3", [{ name: EBS, count: 1 }])));
    expect(verdict(incoming, n3, on)).toBe(EXCEEDED);
    // A higher limit through a new CSINode object for n1.
    state.putCSINode(decodeCSINode(csiNode("n1", [{ name: EBS, count: 2 }])));
    expect(verdict(incoming, n1, on)).toBe("fits");
  });

  it("keys CSINodes by what isCSIMigrationOn reads of them", () => {
    const plain = decodeCSINode(csiNode("x", [{ name: EBS, count: 1 }]));
    const portworx = decodeCSINode(
      csiNode("y", [], {
        "storage.alpha.kubernetes.io/migrated-plugins": "kubernetes.io/portworx-volume",
      }),
    );
    expect([csiMigrationKey(undefined), csiMigrationKey(plain), csiMigrationKey(portworx)]).toEqual(
      ["none", "ga", "ga+portworx"],
    );
  });
});
