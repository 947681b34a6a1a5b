/** NodeVolumeLimits — rows in the spirit of upstream `nodevolumelimits/csi_test.go` TestCSILimits. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/model/types.ts";
import {
  ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED,
  filter,
} from "../../../src/reference/plugins/nodevolumelimits/index.ts";
import { csiAttachLimitKey, VolumeState } from "../../../src/reference/plugins/volumes/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import {
  boundPVC,
  claimVolume,
  csiNode,
  inlineVolume,
  pv,
  pvc,
  storageClass,
} from "./volume-support.ts";

const EBS = "ebs.csi.aws.com";
const exceed = { code: "Unschedulable", reasons: [ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED] };
const node = makeNode({ name: "node-1" });
const podWith = (name: string, ...claims: string[]): Pod =>
  makePod({ name, volumes: claims.map((c) => claimVolume(c)) });
const csiPV = (name: string, driver = EBS) => pv(name, { csi: { driver, volumeHandle: name } });
const ebsPV = (name: string) => pv(name, { awsElasticBlockStore: { volumeID: name } });

function state(
  limit: number | undefined,
  extra: Parameters<typeof VolumeState.fromKept>[0] = [],
  annotations = {},
) {
  return VolumeState.fromKept([
    ...["a", "b", "c"].flatMap((x) => [boundPVC(`csi-${x}`, `pv-csi-${x}`), csiPV(`pv-csi-${x}`)]),
    ...["a", "b"].flatMap((x) => [boundPVC(`ebs-${x}`, `pv-ebs-${x}`), ebsPV(`pv-ebs-${x}`)]),
    ...(limit === undefined ? [] : [csiNode("node-1", [{ name: EBS, count: limit }], annotations)]),
    ...extra,
  ]);
}

describe("NodeVolumeLimits", () => {
  it.each([
    [
      "fits: 2 attached + 1 new ≤ 3",
      podWith("new", "csi-c"),
      [podWith("e", "csi-a", "csi-b")],
      3,
      null,
    ],
    [
      "exceeds: 2 attached + 1 new > 2",
      podWith("new", "csi-c"),
      [podWith("e", "csi-a", "csi-b")],
      2,
      exceed,
    ],
    [
      "the same volume counts once",
      podWith("new", "csi-a"),
      [podWith("e", "csi-a", "csi-b")],
      2,
      null,
    ],
    [
      "no limit on the node",
      podWith("new", "csi-c"),
      [podWith("e", "csi-a", "csi-b")],
      undefined,
      null,
    ],
    [
      "in-tree EBS PVs count when the node has a CSINode (migration on)",
      podWith("new", "ebs-b"),
      [podWith("e", "csi-a", "ebs-a")],
      2,
      exceed,
    ],
    ["two new volumes over the limit", podWith("new", "csi-a", "csi-b", "csi-c"), [], 2, exceed],
  ] as [string, Pod, Pod[], number | undefined, unknown][])(
    "%s",
    (_n, pod, existing, limit, want) => {
      expect(filter(pod, node, existing, state(limit))).toEqual(want);
    },
  );

  it("in-tree EBS volumes do not count without a CSINode, node allocatable limits apply", () => {
    const n = makeNode({
      name: "node-1",
      allocatable: { cpu: "4", memory: "16Gi", pods: "110", [csiAttachLimitKey(EBS)]: "1" },
    });
    expect(
      filter(podWith("new", "ebs-b"), n, [podWith("e", "ebs-a")], state(undefined)),
    ).toBeNull();
    expect(filter(podWith("new", "csi-b"), n, [podWith("e", "csi-a")], state(undefined))).toEqual(
      exceed,
    );
  });

  it("unbound claims count by their class's provisioner", () => {
    const s = state(1, [
      storageClass("sc", "WaitForFirstConsumer", EBS),
      pvc("unbound", { storageClassName: "sc" }),
    ]);
    expect(filter(podWith("new", "unbound"), node, [podWith("e", "csi-a")], s)).toEqual(exceed);
  });

  it("inline EBS volumes count (migrated), missing claims are unresolvable", () => {
    const inline = makePod({
      name: "i",
      volumes: [inlineVolume("v", "awsElasticBlockStore", { volumeID: "aws://us-east-1a/vol-1" })],
    });
    expect(filter(inline, node, [podWith("e", "csi-a")], state(1))).toEqual(exceed);
    expect(filter(podWith("new", "missing"), node, [], state(1))).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [`looking up PVC default/missing: persistentvolumeclaim "missing" not found`],
    });
  });

  it("long driver names get a hashed limit key", () => {
    expect(csiAttachLimitKey(EBS)).toBe("attachable-volumes-csi-ebs.csi.aws.com");
    const long = csiAttachLimitKey("a-very-long-csi-driver-name.storage.example.com");
    expect(long.startsWith("attachable-volumes-csi-a-very-long-csi-dri")).toBe(true);
    expect(long.length).toBe(23 + 23 + 16);
  });
});
