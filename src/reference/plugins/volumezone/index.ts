/**
 * VolumeZone (upstream `plugins/volumezone/volume_zone.go`, v1.35). PreFilter + Filter: the
 * zone / region labels of the PVs bound to the pod's claims (`persistentVolumeClaim` volumes
 * only) must match the node's. Labels read, in this order: `failure-domain.beta.kubernetes.io/
 * zone`, `…/region`, `topology.kubernetes.io/zone`, `…/region`; a value may list several zones
 * separated by `__`; a beta key on the PV also matches the GA key on the node. A node with none
 * of the four labels fits (single-zone clusters).
 */
import type { Labels, Node, Pod } from "../../../model/types.ts";
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
  LABEL_BETA_REGION,
  LABEL_BETA_ZONE,
  LABEL_REGION,
  LABEL_ZONE,
  type PersistentVolume,
  type VolumeRejection,
  type VolumeState,
  volumeStateOf,
} from "../volumes/index.ts";

export const NAME = "VolumeZone";
export const ERR_REASON_CONFLICT = "node(s) had no available volume zone";

const TOPOLOGY_LABELS = [LABEL_BETA_ZONE, LABEL_BETA_REGION, LABEL_ZONE, LABEL_REGION] as const;

function toGA(label: string): string {
  if (label === LABEL_BETA_REGION) return LABEL_REGION;
  if (label === LABEL_BETA_ZONE) return LABEL_ZONE;
  return label;
}

/** One topology label of a PV: its key and the set of values (`__`-separated). */
export interface PVTopology {
  readonly pvName: string;
  readonly key: string;
  readonly values: ReadonlySet<string>;
}

/** `LabelZonesToSet`: split on `__`, trimmed; an empty element makes the label invalid (ignored). */
function labelZonesToSet(value: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const z of value.split("__")) {
    const t = z.trim();
    if (t === "") return undefined;
    out.add(t);
  }
  return out;
}

export function pvTopologies(pv: PersistentVolume): PVTopology[] {
  const out: PVTopology[] = [];
  for (const key of TOPOLOGY_LABELS) {
    const value = pv.labels[key];
    if (value === undefined) continue;
    const values = labelZonesToSet(value);
    if (values) out.push({ pvName: pv.name, key, values });
  }
  return out;
}

/** PreFilter (`getPVbyPod`): the topologies, or the rejection; `[]` means Skip. */
export function preFilter(pod: Pod, state: VolumeState): PVTopology[] | VolumeRejection {
  const reject = (msg: string): VolumeRejection => ({
    code: "UnschedulableAndUnresolvable",
    reasons: [msg],
  });
  const out: PVTopology[] = [];
  for (const v of pod.spec.volumes) {
    if (!v.persistentVolumeClaim) continue;
    const name = v.persistentVolumeClaim.claimName;
    if (name === "") return reject("PersistentVolumeClaim had no name");
    const pvc = state.pvc(pod.metadata.namespace, name);
    if (!pvc) return reject(`persistentvolumeclaim "${name}" not found`);
    if (pvc.volumeName === "") {
      const sc = pvc.storageClassName;
      if (sc === "") return reject("PersistentVolumeClaim had no pv name and storageClass name");
      const cls = state.storageClass(sc);
      if (!cls) return reject(`storageclass.storage.k8s.io "${sc}" not found`);
      if (cls.volumeBindingMode === "WaitForFirstConsumer") continue;
      return reject("PersistentVolume had no name");
    }
    const pv = state.pv(pvc.volumeName);
    if (!pv) return reject(`persistentvolume "${pvc.volumeName}" not found`);
    out.push(...pvTopologies(pv));
  }
  return out;
}

export function fits(topologies: readonly PVTopology[], labels: Labels): boolean {
  if (!TOPOLOGY_LABELS.some((l) => Object.hasOwn(labels, l))) return true;
  for (const t of topologies) {
    let v = Object.hasOwn(labels, t.key) ? labels[t.key] : undefined;
    if (v === undefined) {
      const ga = toGA(t.key);
      v = Object.hasOwn(labels, ga) ? labels[ga] : undefined;
    }
    if (v === undefined || !t.values.has(v)) return false;
  }
  return true;
}

/** The pure evaluator: PreFilter's rejection, else the zone check on `node`. */
export function filter(
  pod: Pod,
  node: Node,
  _podsOnNode: readonly Pod[],
  state: VolumeState,
): VolumeRejection | null {
  if (pod.spec.volumes.length === 0) return null;
  const pre = preFilter(pod, state);
  if (!Array.isArray(pre)) return pre;
  return fits(pre, node.metadata.labels)
    ? null
    : { code: "UnschedulableAndUnresolvable", reasons: [ERR_REASON_CONFLICT] };
}

const STATE_KEY = `PreFilter${NAME}`;

export class VolumeZonePlugin implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    const pre = preFilter(pod, volumeStateOf(this.handle.snapshot()));
    if (!Array.isArray(pre)) return { result: null, status: newStatus(pre.code, ...pre.reasons) };
    if (pre.length === 0) return { result: null, status: newStatus("Skip") };
    state.write(STATE_KEY, pre);
    return { result: null, status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (pod.spec.volumes.length === 0) return SUCCESS;
    let topologies = state.read<PVTopology[]>(STATE_KEY);
    if (!topologies) {
      const pre = preFilter(pod, volumeStateOf(this.handle.snapshot()));
      if (!Array.isArray(pre)) return newStatus(pre.code, ...pre.reasons);
      topologies = pre;
    }
    return fits(topologies, nodeInfo.node.metadata.labels)
      ? SUCCESS
      : newStatus("UnschedulableAndUnresolvable", ERR_REASON_CONFLICT);
  }
}

export const newVolumeZone: PluginFactory = (_args, handle) => new VolumeZonePlugin(handle);
