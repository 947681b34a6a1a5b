/**
 * Topology domains for the core: per topology key, one i32 column of N giving each node's dense
 * index of its value for that key (-1 when the node lacks the key). Shared by PodTopologySpread
 * (src/core/spread.ts) and InterPodAffinity (src/core/interpod.ts); the core reads the columns.
 */
import type { NodeTable } from "../encode/node-table.ts";

/** Distinct topology keys per scheduler. */
export const MAX_KEYS = 16;

/** A topology key's domain column. */
export interface Domains {
  /** Byte offset of the i32 × N column. */
  readonly column: number;
  /** Distinct values (domains are 0 … count − 1). */
  readonly count: number;
  /** The domain of the value "" (`count` when no node has the key with an empty value). */
  readonly empty: number;
  /** Every value is on exactly one node (a domain is a node, as hostnames usually are). */
  readonly unique: boolean;
}

/** The domain columns of one scheduler, created on first use in the `MAX_KEYS × N` area at `base`. */
export class DomainIndex {
  readonly #buffer: ArrayBufferLike;
  readonly #base: number;
  readonly #table: NodeTable;
  readonly #domains = new Map<string, Domains>();

  constructor(buffer: ArrayBufferLike, base: number, table: NodeTable) {
    this.#buffer = buffer;
    this.#base = base;
    this.#table = table;
  }

  /** The domain column of `key`; throws CoreLimitError beyond MAX_KEYS keys. */
  of(key: string, plugin: string): Domains {
    const known = this.#domains.get(key);
    if (known !== undefined) return known;
    if (this.#domains.size === MAX_KEYS) {
      throw new CoreLimitError(`${plugin}: more than ${MAX_KEYS} distinct topology keys`);
    }
    const n = this.#table.count;
    const column = this.#base + this.#domains.size * n * 4;
    const view = new Int32Array(this.#buffer, column, n);
    const index = new Map<string, number>();
    this.#table.nodes.forEach((node, i) => {
      const labels = node.metadata.labels;
      if (!Object.hasOwn(labels, key)) {
        view[i] = -1;
        return;
      }
      const value = labels[key] as string;
      let d = index.get(value);
      if (d === undefined) {
        d = index.size;
        index.set(value, d);
      }
      view[i] = d;
    });
    const withKey = view.reduce((k, d) => (d >= 0 ? k + 1 : k), 0);
    const d: Domains = {
      column,
      count: index.size,
      empty: index.get("") ?? index.size,
      unique: withKey === index.size,
    };
    this.#domains.set(key, d);
    return d;
  }
}

/** A pod class needs more than the core's fixed-size areas hold (counters, keys, terms). */
export class CoreLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CoreLimitError";
  }
}
