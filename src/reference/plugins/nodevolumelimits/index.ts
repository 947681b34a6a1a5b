/**
 * NodeVolumeLimits (upstream `plugins/nodevolumelimits/csi.go`, CSILimits, v1.35). PreFilter
 * (Skip unless the pod has a claim, a generic ephemeral volume or a migratable inline volume) +
 * Filter: the unique CSI volumes (`<driver>/<volumeHandle>`) of the pods on the node plus the new
 * pod's, per driver, must stay within the node's limit: the CSINode driver's
 * `allocatable.count`, else the node's allocatable `attachable-volumes-csi-<driver>`. A volume
 * the node already has does not count twice. Over the limit → Unschedulable `node(s) exceed max
 * volume count`.
 *
 * Which volumes count: a claim bound to a CSI PV (its driver and handle); an in-tree PV or inline
 * volume of a migratable plugin when migration is on for the node (`isCSIMigrationOn`: AWS EBS,
 * GCE PD, Azure Disk, Cinder whenever the node has a CSINode); an unbound claim (or one whose PV
 * is missing) by its class's provisioner, with a handle unique to the claim. Inline identities
 * come from `VolumeWithSpec.sourceSpec`; without it an inline volume counts as a volume of its
 * own (`<namespace>/<pod>/<volume>`).
 */
import type { Node, Pod } from "../../../model/types.ts";
import { nodeAllocatable } from "../../external.ts";
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
  type CSINode,
  csiAttachLimitKey,
  csiDriverOfInTreePlugin,
  ephemeralClaimError,
  isAttachableVolumeResourceName,
  isCSIMigrationOn,
  LABEL_BETA_ZONE,
  LABEL_ZONE,
  migratablePlugin,
  type PersistentVolumeClaim,
  podVolumeClaimName,
  podVolumeSource,
  translatedHandle,
  type VolumeRejection,
  type VolumeState,
  volumeStateOf,
} from "../volumes/index.ts";

export const NAME = "NodeVolumeLimits";
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = "node(s) exceed max volume count";

/** Prefix of the handles given to claims counted by their class (upstream: 32 random characters). */
const UNBOUND_HANDLE_PREFIX = "gantry-unbound";

/** PreFilter: whether Filter has anything to do for the pod. */
export function needsFilter(pod: Pod): boolean {
  return pod.spec.volumes.some(
    (v) =>
      v.persistentVolumeClaim !== undefined ||
      v.ephemeral ||
      migratablePlugin(v.source) !== undefined,
  );
}

class LookupError extends Error {
  readonly notFound: boolean;
  constructor(message: string, notFound: boolean) {
    super(message);
    this.notFound = notFound;
  }
}

/**
 * A storage lookup a resolution made: `again()` repeats it, `got` is what it gave. A cache of a
 * resolution stays valid while every lookup gives the same (immutable) object again.
 */
export interface StorageRead {
  readonly again: () => unknown;
  readonly got: unknown;
}

/** Looks up with `f`, recording the lookup in `reads` when given. */
function read<T>(reads: StorageRead[] | undefined, f: () => T): T {
  const got = f();
  reads?.push({ again: f, got });
  return got;
}

/** `getCSIDriverInfoFromSC`. */
function driverFromClass(
  pvc: PersistentVolumeClaim,
  csiNode: CSINode | undefined,
  state: VolumeState,
  reads: StorageRead[] | undefined,
): [string, string] | undefined {
  if (pvc.storageClassName === "") return undefined;
  const name = pvc.storageClassName;
  const cls = read(reads, () => state.storageClass(name));
  if (!cls) return undefined;
  const handle = `${UNBOUND_HANDLE_PREFIX}-${pvc.namespace}/${pvc.name}`;
  const driver = csiDriverOfInTreePlugin(cls.provisioner);
  if (driver !== undefined) {
    return isCSIMigrationOn(csiNode, cls.provisioner) ? [driver, handle] : undefined;
  }
  return [cls.provisioner, handle];
}

/** `getCSIDriverInfo`: the driver and handle of a claim's volume. */
function driverOfClaim(
  pvc: PersistentVolumeClaim,
  csiNode: CSINode | undefined,
  state: VolumeState,
  reads: StorageRead[] | undefined,
): [string, string] | undefined {
  if (pvc.volumeName === "") return driverFromClass(pvc, csiNode, state, reads);
  const name = pvc.volumeName;
  const pv = read(reads, () => state.pv(name));
  if (!pv) return driverFromClass(pvc, csiNode, state, reads);
  if (pv.source.csi) return [pv.source.csi.driver, pv.source.csi.volumeHandle];
  const plugin = migratablePlugin(pv.source.kind);
  if (!plugin || !isCSIMigrationOn(csiNode, plugin.plugin)) return undefined;
  const zone = pv.labels[LABEL_ZONE] ?? pv.labels[LABEL_BETA_ZONE];
  const handle = translatedHandle(pv.source, zone);
  return handle ? [plugin.driver, handle] : undefined;
}

/**
 * `filterAttachableVolumes`: adds `<driver>/<handle>` → attach-limit key for each counted volume
 * of `pod`. A missing claim throws a `LookupError` for the new pod and is skipped for a pod on
 * the node; an ephemeral claim not owned by its pod throws.
 */
function attachableVolumes(
  pod: Pod,
  csiNode: CSINode | undefined,
  state: VolumeState,
  newPod: boolean,
  out: Map<string, string>,
  reads?: StorageRead[],
): void {
  for (const v of pod.spec.volumes) {
    const claimName = podVolumeClaimName(pod, v);
    if (claimName === undefined) {
      const plugin = migratablePlugin(v.source);
      if (!plugin || !isCSIMigrationOn(csiNode, plugin.plugin)) continue;
      const handle =
        translatedHandle(podVolumeSource(pod, v)) ??
        `${pod.metadata.namespace}/${pod.metadata.name}/${v.name}`;
      out.set(`${plugin.driver}/${handle}`, csiAttachLimitKey(plugin.driver));
      continue;
    }
    if (claimName === "") throw new LookupError("PersistentVolumeClaim had no name", false);
    const namespace = pod.metadata.namespace;
    const pvc = read(reads, () => state.pvc(namespace, claimName));
    if (!pvc) {
      if (newPod) {
        throw new LookupError(
          `looking up PVC ${pod.metadata.namespace}/${claimName}: persistentvolumeclaim "${claimName}" not found`,
          true,
        );
      }
      continue;
    }
    if (v.ephemeral) {
      const err = ephemeralClaimError(pod, pvc);
      if (err) throw new LookupError(err, false);
    }
    const info = driverOfClaim(pvc, csiNode, state, reads);
    if (!info || info[0] === "" || info[1] === "") continue;
    out.set(`${info[0]}/${info[1]}`, csiAttachLimitKey(info[0]));
  }
}

/**
 * The counted volumes of `pod` on a node with `csiNode` (`<driver>/<handle>` → attach-limit
 * key), or the rejection: for the pod being scheduled (`newPod`) a missing claim is
 * UnschedulableAndUnresolvable; any other lookup failure is an Error. `reads` collects the
 * lookups made (for caches, see {@link StorageRead}). The CSINode is read only through
 * `isCSIMigrationOn`, so the result is the same for CSINodes with the same `csiMigrationKey`.
 */
export function podAttachables(
  pod: Pod,
  csiNode: CSINode | undefined,
  state: VolumeState,
  newPod: boolean,
  reads?: StorageRead[],
): Map<string, string> | VolumeRejection {
  const out = new Map<string, string>();
  try {
    attachableVolumes(pod, csiNode, state, newPod, out, reads);
  } catch (e) {
    if (newPod && e instanceof LookupError && e.notFound) {
      return { code: "UnschedulableAndUnresolvable", reasons: [e.message] };
    }
    return { code: "Error", reasons: [(e as Error).message] };
  }
  return out;
}

/** The node's `attachable-volumes-*` allocatable, once per Node object (nodes are immutable). */
const allocatableCache = new WeakMap<Node, ReadonlyMap<string, number>>();

function allocatableLimits(node: Node): ReadonlyMap<string, number> {
  let m = allocatableCache.get(node);
  if (m === undefined) {
    const limits = new Map<string, number>();
    for (const [k, v] of nodeAllocatable(node).scalar) {
      if (isAttachableVolumeResourceName(k)) limits.set(k, v);
    }
    m = limits;
    allocatableCache.set(node, m);
  }
  return m;
}

/**
 * The attachable volumes of a pod already on a node, cached per Pod object while the storage state
 * (its version) and the node's CSINode are the same: a pod's volumes resolve to the same driver
 * handles until a claim or PV changes.
 */
const attachedCache = new WeakMap<
  Pod,
  { version: number; csiNode: CSINode | undefined; out: ReadonlyMap<string, string> }
>();

function attachedOf(
  pod: Pod,
  csiNode: CSINode | undefined,
  state: VolumeState,
): ReadonlyMap<string, string> {
  const c = attachedCache.get(pod);
  if (c !== undefined && c.version === state.version && c.csiNode === csiNode) return c.out;
  const out = new Map<string, string>();
  attachableVolumes(pod, csiNode, state, false, out);
  attachedCache.set(pod, { version: state.version, csiNode, out });
  return out;
}

/** `getVolumeLimits`: the node's `attachable-volumes-*` allocatable, overridden by the CSINode counts. */
export function volumeLimits(node: Node, csiNode: CSINode | undefined): Map<string, number> {
  const limits = new Map(allocatableLimits(node));
  for (const d of csiNode?.drivers ?? []) {
    if (d.allocatableCount !== undefined) limits.set(csiAttachLimitKey(d.name), d.allocatableCount);
  }
  return limits;
}

/** The pure evaluator (PreFilter's Skip included). */
export function filter(
  pod: Pod,
  node: Node,
  podsOnNode: readonly Pod[],
  state: VolumeState,
): VolumeRejection | null {
  if (!needsFilter(pod) || pod.spec.volumes.length === 0) return null;
  const csiNode = state.csiNode(node.metadata.name);
  const newVolumes = podAttachables(pod, csiNode, state, true);
  if (!(newVolumes instanceof Map)) return newVolumes;
  if (newVolumes.size === 0) return null;
  const limits = volumeLimits(node, csiNode);
  if (limits.size === 0) return null;
  const attached = new Map<string, string>();
  try {
    for (const p of podsOnNode) {
      if (p.spec.volumes.length === 0) continue;
      for (const [u, k] of attachedOf(p, csiNode, state)) attached.set(u, k);
    }
  } catch (e) {
    return { code: "Error", reasons: [(e as Error).message] };
  }
  const attachedCount = new Map<string, number>();
  for (const [unique, key] of attached) {
    newVolumes.delete(unique);
    attachedCount.set(key, (attachedCount.get(key) ?? 0) + 1);
  }
  const newCount = new Map<string, number>();
  for (const key of newVolumes.values()) newCount.set(key, (newCount.get(key) ?? 0) + 1);
  for (const [key, count] of newCount) {
    const max = limits.get(key);
    if (max !== undefined && (attachedCount.get(key) ?? 0) + count > max) {
      return { code: "Unschedulable", reasons: [ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED] };
    }
  }
  return null;
}

export class NodeVolumeLimitsPlugin implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  preFilter(_state: CycleState, pod: Pod): PreFilterOutput {
    return { result: null, status: needsFilter(pod) ? SUCCESS : newStatus("Skip") };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const r = filter(pod, nodeInfo.node, nodeInfo.pods, volumeStateOf(this.handle.snapshot()));
    return r ? newStatus(r.code, ...r.reasons) : SUCCESS;
  }
}

export const newNodeVolumeLimits: PluginFactory = (_args, handle) =>
  new NodeVolumeLimitsPlugin(handle);
