/**
 * The host side of InterPodAffinity in the core (assembly/plugins/interpodaffinity.ts documents
 * the domain counters and term blocks the core reads).
 *
 * - Terms are processed with the reference's helpers (src/reference/plugins/interpodaffinity/
 *   affinity-term.ts: `podAffinityInfo`, `mergeNamespaces`, `termMatches`), so both engines start
 *   from the same terms; the counting and scoring are the core's own.
 * - A domain counter counts, per value of one topology key, the placed pods satisfying one
 *   predicate over pod classes: "matches the incoming term t", "matches all of a pod's required
 *   affinity terms", or "carries the existing-pod term T" (with multiplicity). Created on first
 *   use and filled from the placements recorded so far.
 * - Existing pods' terms are registered when their class is first seen (before any pod of it is
 *   placed); a registration makes every class's blocks stale (`termEpoch`), a new counter every
 *   class's counter records, so a class always checks the terms of every pod that can be bound.
 */

import type { NodeTable } from "../encode/node-table.ts";
import type { PodClass, PodClassTable } from "../encode/pod-class.ts";
import type { Namespace } from "../model/types.ts";
import type { Snapshot } from "../reference/framework/snapshot.ts";
import {
  type AffinityTerm,
  mergeNamespaces,
  podAffinityInfo,
  podMatchesAllAffinityTerms,
  termMatches,
} from "../reference/plugins/interpodaffinity/affinity-term.ts";
import { CoreLimitError, type DomainIndex } from "./domains.ts";
import type { Placements } from "./spread.ts";

/** Distinct domain counters per scheduler. */
export const MAX_DOMAIN_COUNTERS = 64;
/** Term blocks per class, and domain-counter records per class (a term carried twice counts twice). */
export const MAX_IPA_BLOCKS = 32;
export const MAX_DC_RECORDS = 64;
/** i32 words per block (assembly/plugins/interpodaffinity.ts). */
export const IPA_WORDS = 4;

/** What the core needs to know of a class's terms (block counts by kind, in block order). */
export interface ClassInterPod {
  readonly aff: number;
  readonly anti: number;
  readonly exist: number;
  readonly score: number;
  /** The pod matches all of its own required affinity terms (the first-pod exception). */
  readonly selfMatch: boolean;
  /**
   * Only anti-affinity blocks, each over a key whose every value is on one node: a node's verdict
   * then changes only when the node itself changes, so the class may select through its
   * incremental tree (assembly/select.ts).
   */
  readonly local: boolean;
  /** A term of the pod does not parse: PreFilter rejects it (or PreScore fails). */
  readonly error?: "preFilter" | "preScore";
  /** The host's term epoch the blocks were written at (stale when it moved on). */
  readonly epoch: number;
}

export const NO_INTERPOD: ClassInterPod = {
  aff: 0,
  anti: 0,
  exist: 0,
  score: 0,
  selfMatch: false,
  local: true,
  epoch: -1,
};

type Kind = "requiredAffinity" | "requiredAnti" | "preferredAffinity" | "preferredAnti";

/** An existing pod's term, identified across classes by its processed form and weight. */
interface OwnerTerm {
  readonly kind: Kind;
  readonly id: string;
  readonly term: AffinityTerm;
  readonly weight: number;
}

interface DomainCounter {
  /** Pods of `cls` count this many times (0: not at all). */
  readonly times: (cls: PodClass) => number;
  readonly domainColumn: number;
  /** Its key's values are each on one node (see ClassInterPod.local). */
  readonly unique: boolean;
  /** Byte offsets of the sums (i32 × domains) and the total (i32). */
  readonly sums: number;
  readonly total: number;
}

export class InterPodHost {
  readonly #buffer: ArrayBufferLike;
  /** `MAX_DOMAIN_COUNTERS` areas of (N + 1) i32: sums, then the total. */
  readonly #area: number;
  readonly #table: NodeTable;
  readonly #domains: DomainIndex;
  readonly #objects: Snapshot;
  readonly #namespaces: readonly Namespace[];
  readonly #hardWeight: number;
  readonly #ignorePreferredOfExisting: boolean;
  readonly #filterOn: boolean;
  readonly #scoreOn: boolean;
  readonly #counters = new Map<string, DomainCounter>();
  readonly #counterList: DomainCounter[] = [];
  readonly #owners = new Map<string, OwnerTerm>();
  readonly #registered = new Set<number>();
  /** The pods placed so far (to fill counters created later). */
  readonly #placements: Placements;
  readonly #classes: PodClassTable;
  /** Per class: the counter records it counts in, and the epoch they were computed at. */
  readonly #records: { epoch: number; records: DomainCounter[] }[] = [];
  #epoch = 0;
  /** Bumped when an existing-pod term is registered: blocks written before are stale. */
  #termEpoch = 0;

  constructor(
    buffer: ArrayBufferLike,
    area: number,
    table: NodeTable,
    domains: DomainIndex,
    objects: Snapshot,
    classes: PodClassTable,
    placements: Placements,
    options: {
      hardPodAffinityWeight: number;
      ignorePreferredTermsOfExistingPods: boolean;
      filter: boolean;
      score: boolean;
    },
  ) {
    this.#buffer = buffer;
    this.#area = area;
    this.#table = table;
    this.#domains = domains;
    this.#objects = objects;
    this.#classes = classes;
    this.#placements = placements;
    this.#namespaces = objects.namespaces();
    this.#hardWeight = options.hardPodAffinityWeight;
    this.#ignorePreferredOfExisting = options.ignorePreferredTermsOfExistingPods;
    this.#filterOn = options.filter;
    this.#scoreOn = options.score;
  }

  /** Bumped whenever an existing-pod term is registered: blocks written before are stale. */
  get termEpoch(): number {
    return this.#termEpoch;
  }

  /** Registers the pod (anti-)affinity terms pods of `cls` carry as existing pods' terms. */
  register(cls: PodClass): void {
    if (this.#registered.has(cls.id)) return;
    this.#registered.add(cls.id);
    const info = podAffinityInfo(cls.exemplar);
    const lists: [Kind, readonly (AffinityTerm & { weight?: number })[]][] = [
      ["requiredAffinity", info.requiredAffinityTerms],
      ["requiredAnti", info.requiredAntiAffinityTerms],
      ["preferredAffinity", info.preferredAffinityTerms],
      ["preferredAnti", info.preferredAntiAffinityTerms],
    ];
    for (const [kind, terms] of lists) {
      for (const t of terms) {
        const weight = t.weight ?? 0;
        const id = `${kind}|${weight}|${termId(t)}|${t.topologyKey}`;
        if (this.#owners.has(id)) continue;
        this.#owners.set(id, { kind, id, term: t, weight });
        this.#epoch++;
        this.#termEpoch++;
      }
    }
  }

  /**
   * Writes the class's blocks at `at` (MAX_IPA_BLOCKS × IPA_WORDS i32), creating domain
   * counters as needed. Throws CoreLimitError beyond the limits above.
   */
  encodeClass(cls: PodClass, at: number): ClassInterPod {
    this.register(cls);
    const pod = cls.exemplar;
    const info = podAffinityInfo(pod);
    if (info.parseErrors.length > 0) {
      const error = this.#filterOn ? "preFilter" : this.#scoreOn ? "preScore" : undefined;
      const epoch = this.#termEpoch;
      return error === undefined ? { ...NO_INTERPOD, epoch } : { ...NO_INTERPOD, error, epoch };
    }
    const nsLabels = this.#objects.namespaceLabels(pod.metadata.namespace);
    const blocks: { counter: DomainCounter; weight: number }[] = [];
    const add = (counter: DomainCounter, weight = 0) => blocks.push({ counter, weight });
    let aff = 0;
    let anti = 0;
    let exist = 0;
    let selfMatch = false;
    if (this.#filterOn) {
      const affinity = info.requiredAffinityTerms.map((t) => mergeNamespaces(t, this.#namespaces));
      const allId = `all|${affinity.map(termId).join("|")}`;
      for (const t of affinity) {
        add(
          this.#counter(allId, t.topologyKey, (c) =>
            podMatchesAllAffinityTerms(affinity, c.exemplar) ? 1 : 0,
          ),
        );
      }
      aff = affinity.length;
      selfMatch = podMatchesAllAffinityTerms(affinity, pod);
      for (const raw of info.requiredAntiAffinityTerms) {
        add(this.#matching(mergeNamespaces(raw, this.#namespaces)));
        anti++;
      }
      for (const o of this.#owners.values()) {
        if (o.kind !== "requiredAnti" || !termMatches(o.term, pod, nsLabels)) continue;
        add(this.#owned(o));
        exist++;
      }
    }
    const hasPreferred =
      info.preferredAffinityTerms.length > 0 || info.preferredAntiAffinityTerms.length > 0;
    let score = 0;
    if (this.#scoreOn && (hasPreferred || !this.#ignorePreferredOfExisting)) {
      for (const t of info.preferredAffinityTerms) {
        add(this.#matching(mergeNamespaces(t, this.#namespaces)), t.weight);
        score++;
      }
      for (const t of info.preferredAntiAffinityTerms) {
        add(this.#matching(mergeNamespaces(t, this.#namespaces)), -t.weight);
        score++;
      }
      for (const o of this.#owners.values()) {
        // Existing pods' required affinity terms score with hardPodAffinityWeight (when > 0),
        // their preferred terms with their own weights; required anti-affinity does not score.
        let weight: number;
        if (o.kind === "requiredAffinity") weight = this.#hardWeight;
        else if (o.kind === "preferredAffinity") weight = o.weight;
        else if (o.kind === "preferredAnti") weight = -o.weight;
        else continue;
        if (o.kind === "requiredAffinity" && weight <= 0) continue;
        if (!termMatches(o.term, pod, nsLabels)) continue;
        add(this.#owned(o), weight);
        score++;
      }
    }
    if (blocks.length > MAX_IPA_BLOCKS) {
      throw new CoreLimitError(`InterPodAffinity: more than ${MAX_IPA_BLOCKS} terms for one pod`);
    }
    const words = new Int32Array(this.#buffer, at, MAX_IPA_BLOCKS * IPA_WORDS);
    blocks.forEach(({ counter, weight }, b) => {
      words[b * IPA_WORDS] = counter.domainColumn;
      words[b * IPA_WORDS + 1] = counter.sums;
      words[b * IPA_WORDS + 2] = counter.total;
      words[b * IPA_WORDS + 3] = weight;
    });
    const local = aff === 0 && score === 0 && blocks.every((b) => b.counter.unique);
    return { aff, anti, exist, score, selfMatch, local, epoch: this.#termEpoch };
  }

  /** Whether the PreFilter would skip: no required term, no matching existing anti-affinity pod. */
  preFilterSkips(info: ClassInterPod, at: number): boolean {
    if (info.aff > 0 || info.anti > 0) return false;
    const words = new Int32Array(this.#buffer, at, MAX_IPA_BLOCKS * IPA_WORDS);
    const view = new Int32Array(this.#buffer);
    for (let b = 0; b < info.exist; b++) {
      if (view[(words[b * IPA_WORDS + 2] as number) / 4] !== 0) return false;
    }
    return true;
  }

  /** Whether PreScore would skip: no score term has a matching pod on a node with its key. */
  preScoreSkips(info: ClassInterPod, at: number): boolean {
    const words = new Int32Array(this.#buffer, at, MAX_IPA_BLOCKS * IPA_WORDS);
    const view = new Int32Array(this.#buffer);
    const from = info.aff + info.anti + info.exist;
    for (let b = from; b < from + info.score; b++) {
      if (view[(words[b * IPA_WORDS + 2] as number) / 4] !== 0) return false;
    }
    return true;
  }

  /**
   * The domain-counter records pods of `cls` count in, written as 3 u32 each at `at`; returns
   * how many. Recomputed when counters were added since the class last asked.
   */
  recordsOf(cls: PodClass, at: number): number {
    this.register(cls);
    let entry = this.#records[cls.id];
    if (entry === undefined || entry.epoch !== this.#epoch) {
      const records: DomainCounter[] = [];
      for (const c of this.#counterList) {
        for (let k = c.times(cls); k > 0; k--) records.push(c);
      }
      if (records.length > MAX_DC_RECORDS) {
        throw new CoreLimitError(
          `InterPodAffinity: pods of one class count in more than ${MAX_DC_RECORDS} term counters`,
        );
      }
      entry = { epoch: this.#epoch, records };
      this.#records[cls.id] = entry;
    }
    const out = new Uint32Array(this.#buffer, at, 3 * MAX_DC_RECORDS);
    entry.records.forEach((c, k) => {
      out[3 * k] = c.domainColumn;
      out[3 * k + 1] = c.sums;
      out[3 * k + 2] = c.total;
    });
    return entry.records.length;
  }

  /** Whether the class's counter records are stale (or its terms not registered yet). */
  stale(cls: PodClass): boolean {
    return !this.#registered.has(cls.id) || this.#records[cls.id]?.epoch !== this.#epoch;
  }

  /** The counter of pods matching the (namespace-merged) incoming term `t`. */
  #matching(t: AffinityTerm): DomainCounter {
    return this.#counter(`match|${termId(t)}`, t.topologyKey, (c) =>
      termMatches(t, c.exemplar, undefined) ? 1 : 0,
    );
  }

  /** The counter of pods carrying the existing-pod term `o` (once per copy they carry). */
  #owned(o: OwnerTerm): DomainCounter {
    return this.#counter(`owner|${o.id}`, o.term.topologyKey, (c) => ownerTimes(c, o));
  }

  #counter(predicate: string, key: string, times: (cls: PodClass) => number): DomainCounter {
    const id = `${predicate}\u0000${key}`;
    const known = this.#counters.get(id);
    if (known !== undefined) return known;
    if (this.#counterList.length === MAX_DOMAIN_COUNTERS) {
      throw new CoreLimitError(
        `InterPodAffinity: more than ${MAX_DOMAIN_COUNTERS} distinct (term, topology key) counters`,
      );
    }
    const n = this.#table.count;
    const dom = this.#domains.of(key, "InterPodAffinity");
    const sums = this.#area + this.#counterList.length * (n + 1) * 4;
    const counter: DomainCounter = {
      times,
      domainColumn: dom.column,
      unique: dom.unique,
      sums,
      total: sums + n * 4,
    };
    this.#counters.set(id, counter);
    this.#counterList.push(counter);
    this.#epoch++;
    const view = new Int32Array(this.#buffer, sums, n + 1);
    view.fill(0);
    const domains = new Int32Array(this.#buffer, dom.column, n);
    const memo = new Map<number, number>();
    this.#placements.forEach((classId, node) => {
      let k = memo.get(classId);
      if (k === undefined) {
        k = times(this.#classes.get(classId));
        memo.set(classId, k);
      }
      const d = domains[node] as number;
      if (k === 0 || d < 0) return;
      view[d] = (view[d] as number) + k;
      view[n] = (view[n] as number) + k;
    });
    return counter;
  }
}

/** How many copies of the existing-pod term `o` pods of `cls` carry. */
function ownerTimes(cls: PodClass, o: OwnerTerm): number {
  const info = podAffinityInfo(cls.exemplar);
  const list: readonly (AffinityTerm & { weight?: number })[] =
    o.kind === "requiredAffinity"
      ? info.requiredAffinityTerms
      : o.kind === "requiredAnti"
        ? info.requiredAntiAffinityTerms
        : o.kind === "preferredAffinity"
          ? info.preferredAffinityTerms
          : info.preferredAntiAffinityTerms;
  let times = 0;
  for (const t of list) {
    if (
      t.topologyKey === o.term.topologyKey &&
      (t.weight ?? 0) === o.weight &&
      termId(t) === termId(o.term)
    ) {
      times++;
    }
  }
  return times;
}

/** A processed term's identity without its topology key: namespaces and both selectors. */
function termId(t: AffinityTerm): string {
  return JSON.stringify([
    [...t.namespaces].sort(),
    t.namespaceSelector.requirements,
    t.selector.requirements,
  ]);
}
