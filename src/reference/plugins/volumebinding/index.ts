/**
 * VolumeBinding (upstream `plugins/volumebinding/{volume_binding.go,binder.go}` and
 * `component-helpers/storage/volume` `FindMatchingVolume`, v1.35). PreFilter, Filter,
 * PreScore (always Skip: storage capacity scoring is off by default), Reserve (binds: gantry
 * models PreBind and the PV controller's completion at Reserve, see {@link bindVolumes}).
 *
 * The pure evaluators ({@link preFilter}, {@link filter}, {@link eligibleNodes},
 * {@link bindVolumes}) work on a {@link VolumeState} without the framework.
 *
 * Not modelled: CSIStorageCapacity (every node has enough capacity, so `node(s) did not have
 * enough free storage` never appears), in-tree → CSI PV translation before the node-affinity
 * check (translation only renames zone topology keys), PV list order (upstream's cache order is
 * random; here PVs are visited by name, so the first of equally small PVs by name wins).
 */
import type { Node, Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  Handle,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
  PreScorePlugin,
  ReservePlugin,
  ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { ParsedNodeSelector } from "../../helpers/node-selector.ts";
import { parseSelector, selectorMatches } from "../defaultpreemption/pdb.ts";
import {
  ANN_BIND_COMPLETED,
  ANN_SELECTED_NODE,
  claimKey,
  ephemeralClaimError,
  LABEL_HOSTNAME,
  matchTopologySelectorTerms,
  NOT_SUPPORTED_PROVISIONER,
  nodeLabelsOnly,
  type PersistentVolume,
  type PersistentVolumeClaim,
  podVolumeClaimName,
  type VolumeChanges,
  type VolumeRejection,
  type VolumeState,
  volumeStateOf,
} from "../volumes/index.ts";

export const NAME = "VolumeBinding";

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
export const ERR_REASON_NOT_ENOUGH_SPACE = "node(s) did not have enough free storage";
export const ERR_REASON_PV_NOT_EXIST =
  "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
export const ERR_REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

/** The pod's claims, split as `GetPodVolumeClaims` does. */
export interface PodVolumeClaims {
  readonly boundClaims: readonly PersistentVolumeClaim[];
  readonly unboundClaimsDelayBinding: readonly PersistentVolumeClaim[];
  readonly unboundClaimsImmediate: readonly PersistentVolumeClaim[];
  /** Class → its PVs, listed at PreFilter. */
  readonly unboundVolumesDelayBinding: ReadonlyMap<string, readonly PersistentVolume[]>;
}

/** What a pod needs on a node: PVs to bind to claims, and claims to provision. */
export interface PodVolumes {
  readonly staticBindings: readonly {
    readonly pvc: PersistentVolumeClaim;
    readonly pv: PersistentVolume;
  }[];
  readonly dynamicProvisions: readonly PersistentVolumeClaim[];
}

export type PreFilterVerdict =
  | { readonly kind: "skip" }
  | { readonly kind: "reject"; readonly rejection: VolumeRejection }
  | { readonly kind: "ok"; readonly claims: PodVolumeClaims };

function isFullyBound(pvc: PersistentVolumeClaim): boolean {
  return pvc.volumeName !== "" && Object.hasOwn(pvc.annotations, ANN_BIND_COMPLETED);
}

/** `IsDelayBindingMode`: the claim's class exists and is WaitForFirstConsumer. */
function isDelayBinding(pvc: PersistentVolumeClaim, state: VolumeState): boolean {
  if (pvc.storageClassName === "") return false;
  return state.storageClass(pvc.storageClassName)?.volumeBindingMode === "WaitForFirstConsumer";
}

/**
 * PreFilter: `podHasPVCs` (a missing claim, a Lost or terminating claim, an ephemeral claim not
 * owned by the pod → UnschedulableAndUnresolvable with upstream's message), Skip without claims,
 * then `GetPodVolumeClaims`; unbound Immediate claims (or prebound ones, `volumeName` set without
 * the bind-completed annotation) → UnschedulableAndUnresolvable `pod has unbound immediate
 * PersistentVolumeClaims`.
 */
export function preFilter(pod: Pod, state: VolumeState): PreFilterVerdict {
  const reject = (msg: string): PreFilterVerdict => ({
    kind: "reject",
    rejection: { code: "UnschedulableAndUnresolvable", reasons: [msg] },
  });
  const claims: PersistentVolumeClaim[] = [];
  for (const v of pod.spec.volumes) {
    const name = podVolumeClaimName(pod, v);
    if (name === undefined) continue;
    const pvc = state.pvc(pod.metadata.namespace, name);
    if (!pvc) {
      return reject(
        v.ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`
          : `persistentvolumeclaim "${name}" not found`,
      );
    }
    if (pvc.phase === "Lost") {
      return reject(
        `persistentvolumeclaim "${pvc.name}" bound to non-existent persistentvolume "${pvc.volumeName}"`,
      );
    }
    if (pvc.deletionTimestamp !== undefined) {
      return reject(`persistentvolumeclaim "${pvc.name}" is being deleted`);
    }
    if (v.ephemeral) {
      const err = ephemeralClaimError(pod, pvc);
      if (err) return reject(err);
    }
    claims.push(pvc);
  }
  if (claims.length === 0) return { kind: "skip" };
  const boundClaims: PersistentVolumeClaim[] = [];
  const delay: PersistentVolumeClaim[] = [];
  const immediate: PersistentVolumeClaim[] = [];
  for (const pvc of claims) {
    if (isFullyBound(pvc)) boundClaims.push(pvc);
    else if (isDelayBinding(pvc, state) && pvc.volumeName === "") delay.push(pvc);
    else immediate.push(pvc);
  }
  if (immediate.length > 0) return reject(ERR_REASON_UNBOUND_IMMEDIATE);
  const unboundVolumesDelayBinding = new Map<string, readonly PersistentVolume[]>();
  for (const pvc of delay) {
    unboundVolumesDelayBinding.set(pvc.storageClassName, state.listPVs(pvc.storageClassName));
  }
  return {
    kind: "ok",
    claims: {
      boundClaims,
      unboundClaimsDelayBinding: delay,
      unboundClaimsImmediate: immediate,
      unboundVolumesDelayBinding,
    },
  };
}

/**
 * `GetEligibleNodes`: for bound claims whose PVs pin them to hosts (`kubernetes.io/hostname In`
 * terms of the required node affinity; the values are taken as node names), the intersection of
 * those host sets; `null` when nothing restricts the nodes (no such PV, or a bound PV missing).
 */
export function eligibleNodes(claims: PodVolumeClaims, state: VolumeState): Set<string> | null {
  let eligible: Set<string> | null = null;
  for (const pvc of claims.boundClaims) {
    const pv = state.pv(pvc.volumeName);
    if (!pv) return null;
    const names = localPVNodeNames(pv);
    if (names.size === 0) continue;
    const prev: Set<string> | null = eligible;
    eligible = prev === null ? names : new Set([...prev].filter((n: string) => names.has(n)));
  }
  return eligible;
}

/** `GetLocalPersistentVolumeNodeNames`: union over terms of the intersection of hostname `In` values. */
function localPVNodeNames(pv: PersistentVolume): Set<string> {
  const result = new Set<string>();
  for (const term of pv.nodeAffinity?.nodeSelectorTerms ?? []) {
    let nodes: Set<string> | undefined;
    for (const e of term.matchExpressions) {
      if (e.key !== LABEL_HOSTNAME || e.operator !== "In") continue;
      const vals = new Set(e.values);
      nodes = nodes === undefined ? vals : new Set([...nodes].filter((n) => vals.has(n)));
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return result;
}

/** `volume.CheckNodeAffinity`: no required affinity matches; terms ORed over the node's labels. */
export function pvMatchesNode(pv: PersistentVolume, node: Node): boolean {
  if (!pv.nodeAffinity) return true;
  return new ParsedNodeSelector(pv.nodeAffinity).matches(nodeLabelsOnly(node.metadata.labels));
}

function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.name || ref.namespace !== pvc.namespace) return false;
  return ref.uid === "" || ref.uid === pvc.uid;
}

/**
 * `FindMatchingVolume` (scheduler path, delayed binding): the PV prebound to the claim (`null`
 * when its node affinity does not match the node), else the smallest available PV of the
 * claim's class with capacity ≥ the request, the claim's volume mode, access modes and
 * volume-attributes class, matching the claim's selector and the node; `null` when none.
 * Without a node (the PV controller binding an Immediate claim) node affinity is not checked.
 * Throws on an invalid claim selector (upstream: an error for the cycle).
 */
export function findMatchingVolume(
  pvc: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  node: Node | undefined,
  excluded: ReadonlySet<string>,
): PersistentVolume | null {
  let smallest: PersistentVolume | null = null;
  const selector = pvc.selector === undefined ? undefined : parseSelector(pvc.selector);
  if (pvc.selector !== undefined && selector === undefined) {
    throw new Error(
      `error creating internal label selector for claim: ${claimKey(pvc.namespace, pvc.name)}`,
    );
  }
  for (const pv of volumes) {
    if (excluded.has(pv.name)) continue;
    if (pv.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    if (pv.capacity.cmp(pvc.request) < 0) continue;
    if (pv.volumeMode !== pvc.volumeMode) continue;
    if (
      pvc.volumeAttributesClassName !== "" &&
      pvc.volumeAttributesClassName !== pv.volumeAttributesClassName
    ) {
      continue;
    }
    if (pv.deletionTimestamp !== undefined) continue;
    const affinityOk = node === undefined || pvMatchesNode(pv, node);
    if (isVolumeBoundToClaim(pv, pvc)) return affinityOk ? pv : null;
    if (pv.phase !== "Available") continue;
    if (selector && !selectorMatches(selector, pv.labels)) continue;
    if (pv.storageClassName !== pvc.storageClassName) continue;
    if (!affinityOk) continue;
    if (!pvc.accessModes.every((m) => pv.accessModes.includes(m))) continue;
    if (smallest === null || smallest.capacity.cmp(pv.capacity) > 0) smallest = pv;
  }
  return smallest;
}

/** Result of {@link findPodVolumes}: conflict reasons (empty = fits) and the volumes to bind. */
export interface FindResult {
  readonly reasons: readonly string[];
  readonly podVolumes: PodVolumes;
  /** An internal error (upstream `framework.AsStatus(err)`). */
  readonly error?: string;
}

/** `FindPodVolumes`: bound claims' PV affinity, then matching PVs or provisioning for the rest. */
export function findPodVolumes(
  claims: PodVolumeClaims,
  node: Node,
  state: VolumeState,
): FindResult {
  let unboundSatisfied = true;
  let boundSatisfied = true;
  let boundPVsFound = true;
  let staticBindings: { pvc: PersistentVolumeClaim; pv: PersistentVolume }[] = [];
  let dynamicProvisions: PersistentVolumeClaim[] = [];
  const done = (error?: string): FindResult => {
    const reasons: string[] = [];
    if (error === undefined) {
      if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
      if (!boundPVsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
    }
    return {
      reasons,
      podVolumes: { staticBindings, dynamicProvisions },
      ...(error === undefined ? {} : { error }),
    };
  };
  for (const pvc of claims.boundClaims) {
    const pv = state.pv(pvc.volumeName);
    if (!pv) {
      boundPVsFound = false;
      break;
    }
    if (!pvMatchesNode(pv, node)) {
      boundSatisfied = false;
      break;
    }
  }
  if (claims.unboundClaimsDelayBinding.length === 0) return done();
  const toMatch: PersistentVolumeClaim[] = [];
  const toProvision: PersistentVolumeClaim[] = [];
  for (const pvc of claims.unboundClaimsDelayBinding) {
    const selected = pvc.annotations[ANN_SELECTED_NODE];
    if (selected !== undefined) {
      if (selected !== node.metadata.name) {
        unboundSatisfied = false;
        return done();
      }
      toProvision.push(pvc);
    } else {
      toMatch.push(pvc);
    }
  }
  if (toMatch.length > 0) {
    // findMatchingVolumes: claims by increasing request (stable), each takes the smallest fit.
    const sorted = [...toMatch].sort((a, b) => a.request.cmp(b.request));
    const chosen = new Set<string>();
    let found = true;
    for (const pvc of sorted) {
      let pv: PersistentVolume | null;
      try {
        pv = findMatchingVolume(
          pvc,
          claims.unboundVolumesDelayBinding.get(pvc.storageClassName) ?? [],
          node,
          chosen,
        );
      } catch (e) {
        return done((e as Error).message);
      }
      if (pv === null) {
        toProvision.push(pvc);
        found = false;
        continue;
      }
      chosen.add(pv.name);
      staticBindings.push({ pvc, pv });
    }
    unboundSatisfied = found;
  }
  if (toProvision.length > 0) {
    // checkVolumeProvisions
    const provisions: PersistentVolumeClaim[] = [];
    for (const pvc of toProvision) {
      if (pvc.storageClassName === "") {
        return done(`no class for claim "${claimKey(pvc.namespace, pvc.name)}"`);
      }
      const cls = state.storageClass(pvc.storageClassName);
      if (!cls) return done(`failed to find storage class "${pvc.storageClassName}"`);
      if (cls.provisioner === "" || cls.provisioner === NOT_SUPPORTED_PROVISIONER) {
        unboundSatisfied = false;
        dynamicProvisions = [];
        return done();
      }
      if (!matchTopologySelectorTerms(cls.allowedTopologies, node.metadata.labels)) {
        unboundSatisfied = false;
        dynamicProvisions = [];
        return done();
      }
      provisions.push(pvc);
    }
    unboundSatisfied = true;
    dynamicProvisions = provisions;
  }
  staticBindings = [...staticBindings];
  return done();
}

/**
 * The pure Filter: PreFilter's verdict (its rejection, or null on Skip), then `FindPodVolumes`
 * on the node: conflict reasons → UnschedulableAndUnresolvable with all of them, in upstream's
 * order (node affinity, bind conflict, not enough space, PV not found); an internal error →
 * `Error`. Does not apply {@link eligibleNodes} (a PreFilterResult, which the host intersects
 * with other plugins').
 */
export function filter(
  pod: Pod,
  node: Node,
  _podsOnNode: readonly Pod[],
  state: VolumeState,
): VolumeRejection | null {
  const pre = preFilter(pod, state);
  if (pre.kind === "skip") return null;
  if (pre.kind === "reject") return pre.rejection;
  return filterWithClaims(pre.claims, node, state);
}

export function filterWithClaims(
  claims: PodVolumeClaims,
  node: Node,
  state: VolumeState,
): VolumeRejection | null {
  const r = findPodVolumes(claims, node, state);
  if (r.error !== undefined) return { code: "Error", reasons: [r.error] };
  if (r.reasons.length > 0) return { code: "UnschedulableAndUnresolvable", reasons: r.reasons };
  return null;
}

/** What {@link bindVolumes} did: claim key → PV name, and the changes for {@link VolumeState.revert}. */
export interface BindResult {
  readonly bound: readonly (readonly [string, string])[];
  readonly provisioned: readonly (readonly [string, string])[];
  readonly changes: VolumeChanges;
}

/**
 * Reserve + PreBind + the PV controller for a pod placed on `node`: finds the pod's volumes on
 * the node as Filter did, binds each matched claim to its PV and provisions the rest
 * ({@link VolumeState.provision}). Mutates `state`. Throws when the pod does not fit the node
 * (Filter should have said so) or PreFilter rejects it; a pod without claims (or with all of
 * them bound) changes nothing.
 */
export function bindVolumes(pod: Pod, node: Node, state: VolumeState): BindResult {
  const pre = preFilter(pod, state);
  if (pre.kind === "reject") throw new Error(pre.rejection.reasons.join(", "));
  if (pre.kind === "skip" || pre.claims.unboundClaimsDelayBinding.length === 0) {
    return { bound: [], provisioned: [], changes: { changes: [] } };
  }
  const r = findPodVolumes(pre.claims, node, state);
  if (r.error !== undefined) throw new Error(r.error);
  if (r.reasons.length > 0) throw new Error(r.reasons.join(", "));
  return applyPodVolumes(r.podVolumes, node, state);
}

function applyPodVolumes(pv: PodVolumes, node: Node, state: VolumeState): BindResult {
  const bound: [string, string][] = [];
  const provisioned: [string, string][] = [];
  const changes = state.recording(() => {
    for (const b of pv.staticBindings) {
      const key = claimKey(b.pvc.namespace, b.pvc.name);
      state.bind(key, b.pv.name);
      bound.push([key, b.pv.name]);
    }
    for (const pvc of pv.dynamicProvisions) {
      const key = claimKey(pvc.namespace, pvc.name);
      provisioned.push([key, state.provision(pvc, node)]);
    }
  });
  return { bound, provisioned, changes };
}

// ---------------------------------------------------------------------------------------------
// The framework plugin

const STATE_KEY = NAME;

interface CycleData {
  readonly claims: PodVolumeClaims;
  readonly byNode: Map<string, PodVolumes>;
  changes?: VolumeChanges;
}

export class VolumeBindingPlugin
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ReservePlugin
{
  readonly name = NAME;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  private volumes(): VolumeState {
    return volumeStateOf(this.handle.snapshot());
  }

  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    const pre = preFilter(pod, this.volumes());
    if (pre.kind === "skip") return { result: null, status: newStatus("Skip") };
    if (pre.kind === "reject") {
      return { result: null, status: newStatus(pre.rejection.code, ...pre.rejection.reasons) };
    }
    state.write(STATE_KEY, { claims: pre.claims, byNode: new Map() } satisfies CycleData);
    const eligible = eligibleNodes(pre.claims, this.volumes());
    return { result: eligible ? { nodeNames: eligible } : null, status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const data = state.read<CycleData>(STATE_KEY);
    if (!data) return newStatus("Error", `reading "${STATE_KEY}" from cycleState: not found`);
    const r = findPodVolumes(data.claims, nodeInfo.node, this.volumes());
    if (r.error !== undefined) return newStatus("Error", r.error);
    if (r.reasons.length > 0) return newStatus("UnschedulableAndUnresolvable", ...r.reasons);
    data.byNode.set(nodeInfo.name, r.podVolumes);
    return SUCCESS;
  }

  /** Storage capacity scoring (StorageCapacityScoring, alpha) is off: always Skip. */
  preScore(): Status {
    return newStatus("Skip");
  }

  score(): number {
    return 0;
  }

  /**
   * Binds the pod's unbound claims for the chosen node (upstream assumes them here and binds at
   * PreBind; gantry binds at once). Nothing to do when PreFilter skipped.
   */
  reserve(state: CycleState, _pod: Pod, nodeName: string): Status {
    const data = state.read<CycleData>(STATE_KEY);
    const pv = data?.byNode.get(nodeName);
    if (!data || !pv) return SUCCESS;
    const node = this.handle.snapshot().get(nodeName)?.node;
    if (!node) return newStatus("Error", `node "${nodeName}" not found`);
    try {
      data.changes = applyPodVolumes(pv, node, this.volumes()).changes;
    } catch (e) {
      return newStatus("Error", (e as Error).message);
    }
    return SUCCESS;
  }

  unreserve(state: CycleState): void {
    const data = state.read<CycleData>(STATE_KEY);
    if (!data?.changes) return;
    this.volumes().revert(data.changes);
    data.changes = undefined;
  }
}

export const newVolumeBinding: PluginFactory = (_args, handle) => new VolumeBindingPlugin(handle);
