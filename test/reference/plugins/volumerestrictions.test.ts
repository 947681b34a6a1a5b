/** VolumeRestrictions — upstream TestGCEDiskConflicts, TestAWSDiskConflicts, TestRBDDiskConflicts, TestISCSIDiskConflicts, TestAccessModeConflicts. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../../src/model/types.ts";
import {
  ERR_REASON_DISK_CONFLICT,
  ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT,
  filter,
  usedClaimKeys,
} from "../../../src/reference/plugins/volumerestrictions/index.ts";
import { VolumeState } from "../../../src/reference/plugins/volumes/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { claimVolume, inlineVolume, pvc } from "./volume-support.ts";

const node = makeNode({ name: "n" });
const vol = (source: string, spec: Record<string, unknown>) =>
  makePod({ name: `p-${JSON.stringify(spec)}`, volumes: [inlineVolume("v", source, spec)] });
const conflict = { code: "Unschedulable", reasons: [ERR_REASON_DISK_CONFLICT] };
const none = new VolumeState();

describe("VolumeRestrictions: disk conflicts", () => {
  const gce = (pdName: string, readOnly = false) => vol("gcePersistentDisk", { pdName, readOnly });
  const aws = (volumeID: string) => vol("awsElasticBlockStore", { volumeID });
  const rbd = (monitors: string[], image: string, readOnly = false) =>
    vol("rbd", { monitors, pool: "p", image, readOnly });
  const iscsi = (iqn: string, readOnly = false) =>
    vol("iscsi", { iqn, readOnly, targetPortal: "127.0.0.1:3260", lun: 0 });
  it.each([
    ["GCE nothing", gce("foo"), [], null],
    ["GCE one state", gce("foo"), [gce("foo")], conflict],
    ["GCE other disk", gce("foo"), [gce("bar")], null],
    ["GCE both read-only", gce("foo", true), [gce("foo", true)], null],
    ["GCE one read-only", gce("foo", true), [gce("foo")], conflict],
    ["AWS same volume", aws("foo"), [aws("foo")], conflict],
    ["AWS other volume", aws("foo"), [aws("bar")], null],
    ["RBD shared monitor", rbd(["a", "b"], "img"), [rbd(["b", "c"], "img")], conflict],
    ["RBD no shared monitor", rbd(["a"], "img"), [rbd(["c"], "img")], null],
    ["RBD other image", rbd(["a"], "img"), [rbd(["a"], "img2")], null],
    ["RBD both read-only", rbd(["a"], "img", true), [rbd(["a"], "img", true)], null],
    [
      "ISCSI same iqn",
      iscsi("iqn.2016-12.server:storage.target01"),
      [iscsi("iqn.2016-12.server:storage.target01")],
      conflict,
    ],
    ["ISCSI other iqn", iscsi("iqn.a"), [iscsi("iqn.b")], null],
    ["ISCSI both read-only", iscsi("iqn.a", true), [iscsi("iqn.a", true)], null],
  ] as [string, Pod, Pod[], unknown][])("%s", (_n, pod, existing, want) => {
    expect(filter(pod, node, existing, none)).toEqual(want);
  });
});

describe("VolumeRestrictions: ReadWriteOncePod", () => {
  const state = VolumeState.fromKept([
    pvc("rwop", { accessModes: ["ReadWriteOncePod"] }),
    pvc("rwo", { accessModes: ["ReadWriteOnce"] }),
  ]);
  const user = (claim: string, name: string) => makePod({ name, volumes: [claimVolume(claim)] });
  it("a claim in use anywhere rejects the pod on every node", () => {
    const used = usedClaimKeys([user("rwop", "other")]);
    expect(filter(user("rwop", "me"), node, [], state, used)).toEqual({
      code: "Unschedulable",
      reasons: [ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT],
    });
    expect(filter(user("rwop", "me"), node, [], state, new Set())).toBeNull();
    expect(
      filter(user("rwo", "me"), node, [], state, usedClaimKeys([user("rwo", "other")])),
    ).toBeNull();
  });
  it("a missing claim is UnschedulableAndUnresolvable", () => {
    expect(filter(user("nope", "me"), node, [], state)).toEqual({
      code: "UnschedulableAndUnresolvable",
      reasons: [`persistentvolumeclaim "nope" not found`],
    });
  });
});
