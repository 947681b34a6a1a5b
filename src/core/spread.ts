/**
 * The host side of PodTopologySpread in the core (assembly/plugins/podtopologyspread.ts
 * documents the per-constraint blocks the core reads).
 *
 * - Constraints per pod class: the pod's own, or the default ones (System or the args' List)
 *   when a Service / ReplicaSet / StatefulSet selects the pod — derived with the reference's
 *   constraint preparation (src/reference/plugins/podtopologyspread/common.ts), so both engines
 *   start from the same constraints; the counting and scoring are the core's own.
 * - Counter columns: one i32 column per (selector, namespace), the matching pods per node,
 *   kept up to date by the core's assume / forget (each class knows the columns it counts in).
 *   A column created late is filled from the placements recorded so far.
 * - Domain columns: per topology key, the dense index of each node's value (-1 without the key).
 */

import type { NodeTable } from "../encode/node-table.ts";
import type { PodClass, PodClassTable } from "../encode/pod-class.ts";
import type { Pod, TopologySpreadConstraint } from "../model/types.ts";
import type { Snapshot } from "../reference/framework/snapshot.ts";
import { RequiredNodeAffinity } from "../reference/helpers/node-selector.ts";
import {
  buildDefaultConstraints,
  filterConstraints,
  LABEL_HOSTNAME,
  matchNodeInclusionPolicies,
  type SpreadConstraint,
} from "../reference/plugins/podtopologyspread/common.ts";
import {
  isEmptySelector,
  type Selector,
  selectorMatches,
} from "../reference/plugins/podtopologyspread/label-selector.ts";
import { CoreLimitError, type DomainIndex } from "./domains.ts";

/** The pods placed so far: calls `f(classId, node)` once per pod. */
export interface Placements {
  forEach(f: (classId: number, node: number) => void): void;
}

/** Constraints per class the core takes. */
export const MAX_SPREAD = 8;
/** Distinct (selector, namespace) counters, and distinct topology keys, per scheduler. */
export const MAX_COUNTERS = 128;
/** i32 words per constraint block (assembly/plugins/podtopologyspread.ts). */
export const SPREAD_WORDS = 13;

/** Byte offsets of the spread columns in the core's memory. */
export interface SpreadLayout {
  /** MAX_COUNTERS + 1 i32 columns of N (the last one stays 0: the `{}` selector's counter). */
  readonly counters: number;
  /** MAX_SPREAD i32 columns of N + 2 (per-cycle sums) and u8 columns of N + 2 (registered). */
  readonly sums: number;
  readonly reg: number;
}

/** A class slot's PodTopologySpread areas (MAX_SPREAD of each; see the module comment). */
export interface SpreadSlot {
  /** Constraint blocks: MAX_SPREAD × SPREAD_WORDS i32. */
  readonly blocks: number;
  /** Inclusion columns: MAX_SPREAD u8 columns of N. */
  readonly incl: number;
  /** DoNotSchedule sums (i32 × N + 2), flags (u8 × N + 2), contributions (i32 × N) per constraint. */
  readonly sums: number;
  readonly reg: number;
  readonly contrib: number;
  /** The i64 change-log position of the sums; set to -1 whenever the slot gets a new class. */
  readonly seq: number;
}

/** What the core needs to know of a class's spread constraints. */
export interface ClassSpread {
  readonly n: number;
  readonly hard: number;
  readonly requireAll: boolean;
  /** Set when preparing the constraints fails (an invalid selector): PreFilter / PreScore Error. */
  readonly error?: "preFilter" | "preScore";
}

interface Counter {
  readonly selector: Selector;
  readonly namespace: string;
  readonly column: number;
}

export class SpreadHost {
  readonly #buffer: ArrayBufferLike;
  readonly #layout: SpreadLayout;
  readonly #table: NodeTable;
  readonly #classes: PodClassTable;
  readonly #objects: Snapshot;
  readonly #defaults: readonly TopologySpreadConstraint[];
  readonly #systemDefaulted: boolean;
  readonly #hardOn: boolean;
  readonly #softOn: boolean;
  readonly #counters = new Map<string, Counter>();
  readonly #counterList: Counter[] = [];
  readonly #domains: DomainIndex;
  /** The pods placed so far, as (class id, node) pairs (to fill counters created later). */
  readonly #placements: Placements;
  /** Per class: the counter columns it counts in, and the counter count they were computed at. */
  readonly #classCounters: { epoch: number; columns: number[] }[] = [];

  constructor(
    buffer: ArrayBufferLike,
    layout: SpreadLayout,
    table: NodeTable,
    classes: PodClassTable,
    objects: Snapshot,
    domains: DomainIndex,
    placements: Placements,
    options: {
      defaults: readonly TopologySpreadConstraint[];
      systemDefaulted: boolean;
      hard: boolean;
      soft: boolean;
    },
  ) {
    this.#buffer = buffer;
    this.#layout = layout;
    this.#table = table;
    this.#classes = classes;
    this.#objects = objects;
    this.#domains = domains;
    this.#placements = placements;
    this.#defaults = options.defaults;
    this.#systemDefaulted = options.systemDefaulted;
    this.#hardOn = options.hard;
    this.#softOn = options.soft;
  }

  /** The constraints of a pod (own, or default), as the reference prepares them. */
  #constraints(pod: Pod, action: "DoNotSchedule" | "ScheduleAnyway"): SpreadConstraint[] {
    if (pod.spec.topologySpreadConstraints.length > 0) {
      return filterConstraints(pod.spec.topologySpreadConstraints, pod.metadata.labels, action);
    }
    return buildDefaultConstraints(this.#defaults, pod, this.#objects, action);
  }

  /**
   * Writes the class's constraint blocks at `blocks` (MAX_SPREAD × SPREAD_WORDS i32) and their
   * inclusion columns at `incl` (MAX_SPREAD u8 columns of N), creating counters and domain
   * columns as needed. Throws CoreLimitError beyond the limits above.
   */
  encodeClass(cls: PodClass, slot: SpreadSlot): ClassSpread {
    const { blocks, incl } = slot;
    const pod = cls.exemplar;
    let hard: SpreadConstraint[] = [];
    let soft: SpreadConstraint[] = [];
    if (this.#hardOn) {
      try {
        hard = this.#constraints(pod, "DoNotSchedule");
      } catch {
        return { n: 0, hard: 0, requireAll: false, error: "preFilter" };
      }
    }
    if (this.#softOn) {
      try {
        soft = this.#constraints(pod, "ScheduleAnyway");
      } catch {
        return { n: 0, hard: 0, requireAll: false, error: "preScore" };
      }
    }
    const all = [...hard, ...soft];
    if (all.length > MAX_SPREAD) {
      throw new CoreLimitError(
        `PodTopologySpread: more than ${MAX_SPREAD} topology spread constraints`,
      );
    }
    const n = this.#table.count;
    const words = new Int32Array(this.#buffer, blocks, MAX_SPREAD * SPREAD_WORDS);
    const required = new RequiredNodeAffinity(pod);
    all.forEach((c, k) => {
      const counter = this.#counter(c.selector, pod.metadata.namespace);
      const dom = this.#domains.of(c.topologyKey, "PodTopologySpread");
      const inclusion = new Uint8Array(this.#buffer, incl + k * n, n);
      this.#table.nodes.forEach((node, i) => {
        inclusion[i] = matchNodeInclusionPolicies(c, pod, node, required) ? 1 : 0;
      });
      const w = k * SPREAD_WORDS;
      words[w] = c.topologyKey === LABEL_HOSTNAME ? 1 : 0;
      words[w + 1] = c.maxSkew;
      words[w + 2] = c.minDomains;
      words[w + 3] = counter;
      words[w + 4] = incl + k * n;
      words[w + 5] = dom.column;
      words[w + 6] = dom.count;
      words[w + 7] = dom.empty;
      words[w + 8] = selectorMatches(c.selector, pod.metadata.labels) ? 1 : 0;
      // DoNotSchedule constraints keep their sums in the slot (incremental); the others per cycle.
      const own = k < hard.length;
      words[w + 9] = (own ? slot.sums : this.#layout.sums) + k * (n + 2) * 4;
      words[w + 10] = (own ? slot.reg : this.#layout.reg) + k * (n + 2);
      words[w + 11] = 0;
      words[w + 12] = own ? slot.contrib + k * n * 4 : 0;
    });
    const requireAll = pod.spec.topologySpreadConstraints.length > 0 || !this.#systemDefaulted;
    return { n: all.length, hard: hard.length, requireAll };
  }

  /** The counter column of (selector, namespace), created (and filled) on first use. */
  #counter(selector: Selector, namespace: string): number {
    const n = this.#table.count;
    // An empty (`{}`) selector counts 0 pods (semantics §6): the shared zero column.
    if (isEmptySelector(selector) || selector.nothing) {
      return this.#layout.counters + MAX_COUNTERS * n * 4;
    }
    const key = `${namespace}\u0000${JSON.stringify(selector)}`;
    const known = this.#counters.get(key);
    if (known !== undefined) return known.column;
    if (this.#counterList.length === MAX_COUNTERS) {
      throw new CoreLimitError(
        `PodTopologySpread: more than ${MAX_COUNTERS} distinct spread selectors`,
      );
    }
    const column = this.#layout.counters + this.#counterList.length * n * 4;
    const counter: Counter = { selector, namespace, column };
    this.#counters.set(key, counter);
    this.#counterList.push(counter);
    const view = new Int32Array(this.#buffer, column, n);
    const memo = new Map<number, boolean>();
    this.#placements.forEach((classId, node) => {
      let yes = memo.get(classId);
      if (yes === undefined) {
        yes = counts(this.#classes.get(classId), counter);
        memo.set(classId, yes);
      }
      if (yes) view[node] = (view[node] as number) + 1;
    });
    return column;
  }

  /**
   * The counter columns pods of `cls` count in, written as u32 at `at`; returns how many.
   * Recomputed when counters were added since the class last asked.
   */
  countersOf(cls: PodClass, at: number): number {
    let entry = this.#classCounters[cls.id];
    if (entry === undefined || entry.epoch !== this.#counterList.length) {
      const columns: number[] = [];
      for (const c of this.#counterList) if (counts(cls, c)) columns.push(c.column);
      entry = { epoch: this.#counterList.length, columns };
      this.#classCounters[cls.id] = entry;
    }
    new Uint32Array(this.#buffer, at, MAX_COUNTERS).set(entry.columns);
    return entry.columns.length;
  }

  /** Whether the class's counter list is stale (a counter was added since it was written). */
  stale(cls: PodClass): boolean {
    return this.#classCounters[cls.id]?.epoch !== this.#counterList.length;
  }

  /**
   * Preemption's dry run: the counter columns upstream's RemovePod / AddPod would change for
   * `victim` although the PreFilter counting leaves it out — the preemptor's DoNotSchedule
   * constraints (same namespace, selector matching the victim) whose selector is `{}` or whose
   * victim is terminating. Distinct columns (constraints sharing one read it once each).
   */
  dryRunColumns(preemptor: PodClass, victim: Pod): number[] {
    if (!this.#hardOn) return [];
    const pod = preemptor.exemplar;
    if (victim.metadata.namespace !== pod.metadata.namespace) return [];
    let hard: SpreadConstraint[];
    try {
      hard = this.#constraints(pod, "DoNotSchedule");
    } catch {
      return [];
    }
    const terminating = victim.metadata.deletionTimestamp !== undefined;
    const out = new Set<number>();
    for (const c of hard) {
      if (!selectorMatches(c.selector, victim.metadata.labels)) continue;
      if (terminating || isEmptySelector(c.selector)) {
        out.add(this.#counter(c.selector, pod.metadata.namespace));
      }
    }
    return [...out];
  }
}

/** Whether pods of `cls` count in `counter`: same namespace, not terminating, selector matches. */
function counts(cls: PodClass, counter: Counter): boolean {
  const meta = cls.exemplar.metadata;
  return (
    meta.namespace === counter.namespace &&
    meta.deletionTimestamp === undefined &&
    selectorMatches(counter.selector, meta.labels)
  );
}
