/**
 * VolumeRestrictions (upstream `plugins/volumerestrictions/volume_restrictions.go`, v1.35).
 * PreFilter (+ AddPod/RemovePod), Filter:
 * - disk conflicts with the pods on the node (inline volumes): the same GCE PD unless both
 *   mounts are read-only, the same AWS EBS volume ID, the same iSCSI IQN unless both read-only,
 *   the same RBD image (a shared monitor, same pool and image) unless both read-only →
 *   Unschedulable `node(s) had no available disk`;
 * - ReadWriteOncePod claims already used by a scheduled pod anywhere in the cluster →
 *   Unschedulable `node has pod using PersistentVolumeClaim with the same name and
 *   ReadWriteOncePod access mode` (on every node: preemption may free the claim).
 *
 * Inline volume identities come from `VolumeWithSpec.sourceSpec` (see `volumes/state.ts`): a pod
 * volume without it cannot conflict.
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  Handle,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import {
  claimKey,
  podVolumeSource,
  type VolumeRejection,
  type VolumeSource,
  type VolumeState,
  volumeStateOf,
} from "../volumes/index.ts";

export const NAME = "VolumeRestrictions";
export const ERR_REASON_DISK_CONFLICT = "node(s) had no available disk";
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT =
  "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

const CHECKED = new Set(["gcePersistentDisk", "awsElasticBlockStore", "rbd", "iscsi"]);

function haveOverlap(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

/** `isVolumeConflict` for two inline sources. */
export function sourcesConflict(v: VolumeSource, e: VolumeSource): boolean {
  if (v.kind !== e.kind) return false;
  const bothReadOnly = v.readOnly && e.readOnly;
  switch (v.kind) {
    case "gcePersistentDisk":
      return v.pdName !== undefined && v.pdName === e.pdName && !bothReadOnly;
    case "awsElasticBlockStore":
      return v.volumeID !== undefined && v.volumeID === e.volumeID;
    case "iscsi":
      return v.iqn !== undefined && v.iqn === e.iqn && !bothReadOnly;
    case "rbd":
      return (
        v.rbd !== undefined &&
        e.rbd !== undefined &&
        haveOverlap(v.rbd.monitors, e.rbd.monitors) &&
        v.rbd.pool === e.rbd.pool &&
        v.rbd.image === e.rbd.image &&
        !bothReadOnly
      );
    default:
      return false;
  }
}

/** `satisfyVolumeConflicts`: no checked inline volume of `pod` conflicts with a pod on the node. */
export function satisfiesVolumeConflicts(pod: Pod, podsOnNode: readonly Pod[]): boolean {
  for (const v of pod.spec.volumes) {
    if (!CHECKED.has(v.source)) continue;
    const src = podVolumeSource(pod, v);
    for (const other of podsOnNode) {
      for (const ev of other.spec.volumes) {
        if (ev.source !== v.source) continue;
        if (sourcesConflict(src, podVolumeSource(other, ev))) return false;
      }
    }
  }
  return true;
}

/** The claim keys (`namespace/claimName`) the pods' `persistentVolumeClaim` volumes use. */
export function usedClaimKeys(pods: Iterable<Pod>): Set<string> {
  const out = new Set<string>();
  for (const p of pods) {
    for (const v of p.spec.volumes) {
      if (v.persistentVolumeClaim) {
        out.add(claimKey(p.metadata.namespace, v.persistentVolumeClaim.claimName));
      }
    }
  }
  return out;
}

/** PreFilter's data: the pod's ReadWriteOncePod claim names and how many are in use. */
export interface PreFilterData {
  readonly readWriteOncePodPVCs: ReadonlySet<string>;
  conflictingPVCRefCount: number;
}

/**
 * PreFilter: a missing claim → UnschedulableAndUnresolvable `persistentvolumeclaim "x" not
 * found`; `null` = Skip (no checked inline volume and no RWOP claim in use); else the data.
 * `inUse(key)` says whether a scheduled pod uses claim `namespace/name`.
 */
export function preFilter(
  pod: Pod,
  state: VolumeState,
  inUse: (key: string) => boolean,
): PreFilterData | VolumeRejection | null {
  const needsCheck = pod.spec.volumes.some((v) => CHECKED.has(v.source));
  const rwop = new Set<string>();
  for (const v of pod.spec.volumes) {
    if (!v.persistentVolumeClaim) continue;
    const name = v.persistentVolumeClaim.claimName;
    const pvc = state.pvc(pod.metadata.namespace, name);
    if (!pvc) {
      return {
        code: "UnschedulableAndUnresolvable",
        reasons: [`persistentvolumeclaim "${name}" not found`],
      };
    }
    if (pvc.accessModes.includes("ReadWriteOncePod")) rwop.add(pvc.name);
  }
  let count = 0;
  for (const name of rwop) if (inUse(claimKey(pod.metadata.namespace, name))) count++;
  if (!needsCheck && count === 0) return null;
  return { readWriteOncePodPVCs: rwop, conflictingPVCRefCount: count };
}

export function filterWith(
  pod: Pod,
  podsOnNode: readonly Pod[],
  data: PreFilterData,
): VolumeRejection | null {
  if (!satisfiesVolumeConflicts(pod, podsOnNode)) {
    return { code: "Unschedulable", reasons: [ERR_REASON_DISK_CONFLICT] };
  }
  if (data.conflictingPVCRefCount > 0) {
    return { code: "Unschedulable", reasons: [ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT] };
  }
  return null;
}

/**
 * The pure evaluator. `usedClaims`: the claim keys used by the scheduled pods of the whole
 * cluster ({@link usedClaimKeys}); without it only `podsOnNode` count.
 */
export function filter(
  pod: Pod,
  _node: unknown,
  podsOnNode: readonly Pod[],
  state: VolumeState,
  usedClaims: ReadonlySet<string> = usedClaimKeys(podsOnNode),
): VolumeRejection | null {
  const pre = preFilter(pod, state, (k) => usedClaims.has(k));
  if (pre === null) return null;
  if ("code" in pre) return pre;
  return filterWith(pod, podsOnNode, pre);
}

const STATE_KEY = `PreFilter${NAME}`;

class CycleData implements PreFilterData {
  readonly readWriteOncePodPVCs: ReadonlySet<string>;
  conflictingPVCRefCount: number;

  constructor(d: PreFilterData) {
    this.readWriteOncePodPVCs = d.readWriteOncePodPVCs;
    this.conflictingPVCRefCount = d.conflictingPVCRefCount;
  }

  clone(): CycleData {
    return new CycleData(this);
  }

  /** `conflictingPVCRefCountForPod` (claim names only, as upstream: namespaces are not compared). */
  refsOf(pod: Pod): number {
    let n = 0;
    for (const v of pod.spec.volumes) {
      if (
        v.persistentVolumeClaim &&
        this.readWriteOncePodPVCs.has(v.persistentVolumeClaim.claimName)
      )
        n++;
    }
    return n;
  }
}

export class VolumeRestrictionsPlugin implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutput {
    const snapshot = this.handle.snapshot();
    let used: Set<string> | undefined;
    const inUse = (k: string) => {
      used ??= usedClaimKeys(nodes.flatMap((n) => n.pods));
      return used.has(k);
    };
    const pre = preFilter(pod, volumeStateOf(snapshot), inUse);
    if (pre === null) return { result: null, status: newStatus("Skip") };
    if ("code" in pre) return { result: null, status: newStatus(pre.code, ...pre.reasons) };
    state.write(STATE_KEY, new CycleData(pre));
    return { result: null, status: SUCCESS };
  }

  addPod(state: CycleState, _podToSchedule: Pod, podToAdd: Pod): Status {
    const data = state.read<CycleData>(STATE_KEY);
    if (!data) return newStatus("Error", `cannot read "${STATE_KEY}" from cycleState`);
    data.conflictingPVCRefCount += data.refsOf(podToAdd);
    return SUCCESS;
  }

  removePod(state: CycleState, _podToSchedule: Pod, podToRemove: Pod): Status {
    const data = state.read<CycleData>(STATE_KEY);
    if (!data) return newStatus("Error", `cannot read "${STATE_KEY}" from cycleState`);
    data.conflictingPVCRefCount -= data.refsOf(podToRemove);
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!satisfiesVolumeConflicts(pod, nodeInfo.pods)) {
      return newStatus("Unschedulable", ERR_REASON_DISK_CONFLICT);
    }
    const data = state.read<CycleData>(STATE_KEY);
    if (!data) return newStatus("Error", `cannot read "${STATE_KEY}" from cycleState`);
    return data.conflictingPVCRefCount > 0
      ? newStatus("Unschedulable", ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT)
      : SUCCESS;
  }
}

export const newVolumeRestrictions: PluginFactory = (_args, handle) =>
  new VolumeRestrictionsPlugin(handle);
