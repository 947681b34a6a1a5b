/**
 * NodeVolumeLimits (CSI attach limits) as the core's host filter: the reference's rule
 * (src/reference/plugins/nodevolumelimits) — the unique CSI volumes of the pods on a node plus the
 * new pod's must stay within each driver's limit — with what the reference recomputes on every
 * visit kept between visits and cycles:
 *
 * - the new pod's volumes, once per cycle for each CSI migration key (a resolution reads the
 *   node's CSINode only through isCSIMigrationOn: `csiMigrationKey`);
 * - each node's limits, while its CSINode object is the same;
 * - each placed pod's volumes, while every storage lookup its resolution made (claim, PV,
 *   StorageClass) gives the same immutable object again ({@link StorageRead}) — checked only when
 *   the storage version moved;
 * - each node's attached volumes and per-driver counts, while its pods are the same objects in
 *   the same order and their volumes the same.
 *
 * Exactness: the same resolution functions as the reference, so the verdicts are equal; the WASM
 * core vs reference differential tests (test/core/volumes-differential.test.ts) check it.
 */
import type { Node, Pod } from "../model/types.ts";
import {
  ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED,
  NAME,
  needsFilter,
  podAttachables,
  type StorageRead,
  volumeLimits,
} from "../reference/plugins/nodevolumelimits/index.ts";
import {
  type CSINode,
  csiMigrationKey,
  type VolumeRejection,
  type VolumeState,
} from "../reference/plugins/volumes/index.ts";
import type { HostFilter, HostVerdict } from "./host-filters.ts";

/** A pod's counted volumes: unique id (`<driver>/<handle>`) → attach-limit key. */
type Attachables = ReadonlyMap<string, string>;

const NONE: Attachables = new Map();

/** The new pod's volumes not yet on a node, grouped by limit key. */
type ByKey = ReadonlyMap<string, readonly string[]>;

interface PodEntry {
  /** The storage version the reads were last checked at. */
  version: number;
  /** The node's {@link csiMigrationKey} the resolution was for. */
  readonly migration: string;
  readonly reads: readonly StorageRead[];
  readonly out: Attachables;
}

interface NodeEntry {
  /** The storage version it was computed or last confirmed at. */
  version: number;
  readonly migration: string;
  readonly pods: readonly Pod[];
  readonly outs: readonly Attachables[];
  /** Unique ids attached on the node. */
  readonly attached: ReadonlySet<string>;
  /** Attached unique volumes per limit key. */
  readonly counts: ReadonlyMap<string, number>;
}

/** Whether a resolution failed (results are Maps or NodeEntries, rejections neither). */
function isRejection(v: object): v is VolumeRejection {
  return "code" in v && "reasons" in v;
}

const migrationKeys = new WeakMap<CSINode, string>();

/** {@link csiMigrationKey}, once per CSINode object. */
function migrationKeyOf(csiNode: CSINode | undefined): string {
  if (csiNode === undefined) return "none";
  let k = migrationKeys.get(csiNode);
  if (k === undefined) {
    k = csiMigrationKey(csiNode);
    migrationKeys.set(csiNode, k);
  }
  return k;
}

const unchanged = (r: StorageRead): boolean => r.again() === r.got;

function samePods(a: readonly Pod[], b: readonly Pod[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A volume plugin's rejection as the core's host verdict. */
export function hostVerdictOf(r: VolumeRejection): HostVerdict {
  // An internal error fails the cycle upstream; the core reports the node as unresolvable.
  return {
    status: r.code === "Unschedulable" ? "Unschedulable" : "UnschedulableAndUnresolvable",
    reasons: r.reasons,
  };
}

const EXCEEDED: HostVerdict = {
  status: "Unschedulable",
  reasons: [ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED],
};

/** NodeVolumeLimits over `state`, with its caches (one instance per scheduler). */
export function nodeVolumeLimitsFilter(
  state: VolumeState,
  applies: (pod: Pod) => boolean,
): HostFilter {
  /** The pod and storage version `cycle` is for. */
  let cyclePod: Pod | undefined;
  let cycleVersion = -1;
  let needs = false;
  /** This cycle's new-pod volumes per CSI migration key (a rejection for every such node). */
  const cycle = new Map<string, ByKey | VolumeRejection>();
  const beginCycle = (pod: Pod) => {
    cyclePod = pod;
    cycleVersion = state.version;
    needs = needsFilter(pod) && pod.spec.volumes.length > 0;
    cycle.clear();
  };
  const limitsOf = new WeakMap<
    Node,
    { csiNode: CSINode | undefined; limits: ReadonlyMap<string, number> }
  >();
  const podEntries = new WeakMap<Pod, PodEntry>();
  const nodeEntries = new WeakMap<Node, NodeEntry>();

  const newVolumes = (
    pod: Pod,
    csiNode: CSINode | undefined,
    migration: string,
  ): ByKey | VolumeRejection => {
    let v = cycle.get(migration);
    if (v === undefined) {
      const out = podAttachables(pod, csiNode, state, true);
      if (!isRejection(out)) {
        const byKey = new Map<string, string[]>();
        for (const [unique, key] of out) {
          const list = byKey.get(key);
          if (list === undefined) byKey.set(key, [unique]);
          else list.push(unique);
        }
        v = byKey;
      } else v = out;
      cycle.set(migration, v);
    }
    return v;
  };

  const limits = (node: Node, csiNode: CSINode | undefined): ReadonlyMap<string, number> => {
    const c = limitsOf.get(node);
    if (c !== undefined && c.csiNode === csiNode) return c.limits;
    const l = volumeLimits(node, csiNode);
    limitsOf.set(node, { csiNode, limits: l });
    return l;
  };

  /** A placed pod's volumes (a rejection when a lookup fails: an Error upstream). */
  const podVolumes = (
    p: Pod,
    csiNode: CSINode | undefined,
    migration: string,
  ): Attachables | VolumeRejection => {
    if (p.spec.volumes.length === 0) return NONE;
    const c = podEntries.get(p);
    if (c !== undefined && c.migration === migration) {
      if (c.version === state.version) return c.out;
      if (c.reads.every(unchanged)) {
        c.version = state.version;
        return c.out;
      }
    }
    const reads: StorageRead[] = [];
    const out = podAttachables(p, csiNode, state, false, reads);
    if (!isRejection(out)) podEntries.set(p, { version: state.version, migration, reads, out });
    return out;
  };

  const attachedOn = (
    node: Node,
    csiNode: CSINode | undefined,
    migration: string,
    pods: readonly Pod[],
  ): NodeEntry | VolumeRejection => {
    const c = nodeEntries.get(node);
    const same = c !== undefined && c.migration === migration && samePods(c.pods, pods);
    if (same && c.version === state.version) return c;
    const outs: Attachables[] = [];
    for (const p of pods) {
      const v = podVolumes(p, csiNode, migration);
      if (isRejection(v)) return v;
      outs.push(v);
    }
    if (same && c.outs.every((out, i) => out === outs[i])) {
      c.version = state.version;
      return c;
    }
    const attached = new Map<string, string>();
    for (const out of outs) for (const [unique, key] of out) attached.set(unique, key);
    const counts = new Map<string, number>();
    for (const key of attached.values()) counts.set(key, (counts.get(key) ?? 0) + 1);
    const entry: NodeEntry = {
      version: state.version,
      migration,
      pods: [...pods],
      outs,
      attached: new Set(attached.keys()),
      counts,
    };
    nodeEntries.set(node, entry);
    return entry;
  };

  return {
    name: NAME,
    applies,
    begin: beginCycle,
    filter: (pod, node, podsOnNode) => {
      if (pod !== cyclePod || state.version !== cycleVersion) beginCycle(pod);
      if (!needs) return null;
      const csiNode = state.csiNode(node.metadata.name);
      const migration = migrationKeyOf(csiNode);
      const wanted = newVolumes(pod, csiNode, migration);
      if (isRejection(wanted)) return hostVerdictOf(wanted);
      if (wanted.size === 0) return null;
      const max = limits(node, csiNode);
      if (max.size === 0) return null;
      const on = attachedOn(node, csiNode, migration, podsOnNode);
      if (isRejection(on)) return hostVerdictOf(on);
      for (const [key, uniques] of wanted) {
        const limit = max.get(key);
        if (limit === undefined) continue;
        let adding = 0;
        for (const u of uniques) if (!on.attached.has(u)) adding++;
        if (adding > 0 && (on.counts.get(key) ?? 0) + adding > limit) return EXCEEDED;
      }
      return null;
    },
  };
}
