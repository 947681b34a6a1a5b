/**
 * NodeTable: the cluster's nodes in struct-of-arrays form, laid out by {@link LayoutPlan} in one
 * `ArrayBuffer` or `WebAssembly.Memory` for the scheduling core (toolchain.md §7).
 *
 * ## Shape
 *
 * `count` real nodes, in the order given to {@link NodeTable.build} (kube-scheduler's zone
 * round-robin order is a separate concern: {@link zoneRoundRobinOrder}), followed by padding
 * nodes up to `capacity` = `count` rounded up to a multiple of 4, so a SIMD kernel can process 4
 * nodes per step without a scalar tail. Padding nodes have every column 0 — in particular
 * `allowedPods` = 0, so `podCount + 1 > allowedPods` rejects them in every fit check — plus
 * {@link NODE_FLAG_PADDING} in `flags`.
 *
 * ## Columns
 *
 * Every column starts on a 16-byte boundary. `N` = capacity. Units follow semantics §2.3/§2.4:
 * cpu in integer millicores, memory and ephemeral storage in integer bytes held in an f64 (exact
 * below 2^53), scalar resources in integer units held in an f64.
 *
 * | column                   | type | length        | content                                                    |
 * |--------------------------|------|---------------|------------------------------------------------------------|
 * | `allocMilliCPU`          | i32  | N             | allocatable cpu, millicores                                |
 * | `allocMemory`            | f64  | N             | allocatable memory, bytes                                  |
 * | `allocEphemeralStorage`  | f64  | N             | allocatable ephemeral-storage, bytes                       |
 * | `allowedPods`            | i32  | N             | allocatable `pods` (0 on padding nodes)                    |
 * | `reqMilliCPU`            | i32  | N             | Σ requests of assigned pods (§2.1), millicores             |
 * | `reqMemory`              | f64  | N             | Σ requests, bytes                                          |
 * | `reqEphemeralStorage`    | f64  | N             | Σ requests, bytes                                          |
 * | `nonZeroMilliCPU`        | i32  | N             | Σ non-zero requests (§2.2), millicores                     |
 * | `nonZeroMemory`          | f64  | N             | Σ non-zero requests, bytes                                 |
 * | `podCount`               | i32  | N             | number of assigned pods                                    |
 * | `flags`                  | u8   | N             | bit 0 {@link NODE_FLAG_UNSCHEDULABLE}, bit 1 {@link NODE_FLAG_PADDING} |
 * | `scalarNameIds`          | i32  | S             | interned name of scalar resource s                         |
 * | `allocScalar[<name>]`    | f64  | N (one per s) | allocatable of scalar resource s, units                    |
 * | `reqScalar[<name>]`      | f64  | N (one per s) | Σ requests of scalar resource s, units                     |
 * | `labelOffsets`           | i32  | N+1           | CSR row starts into `labelKeys`/`labelValues`              |
 * | `labelKeys`              | i32  | L             | interned label key, ascending by id within a node          |
 * | `labelValues`            | i32  | L             | interned label value                                       |
 * | `taintOffsets`           | i32  | N+1           | CSR row starts into the taint columns                      |
 * | `taintKeys`              | i32  | T             | interned taint key, in the node's order                    |
 * | `taintValues`            | i32  | T             | interned taint value                                       |
 * | `taintEffects`           | u8   | T             | {@link TAINT_EFFECT} code                                  |
 * | `imageOffsets`           | i32  | N+1           | CSR row starts into the image columns                      |
 * | `imageIds`               | i32  | I             | interned image name, ascending by id within a node         |
 * | `imageSizes`             | f64  | I             | the image's size in bytes (cluster-wide, see below)        |
 * | `imageNodeCounts`        | i32  | I             | number of nodes that have the image (cluster-wide)         |
 *
 * The S scalar resources are the names accepted by `isScalarResourceName` that appear in some
 * node's allocatable (plus any `scalarResources` passed to `build`), in first-seen order. A pod
 * request for a scalar resource with no column is not recorded by {@link NodeTable.assume}: no
 * node offers it, so the fit filter fails on it regardless of what is requested, and scoring
 * ignores it (§4.1, §4.2).
 *
 * Row `i` of a CSR spans `[offsets[i], offsets[i+1])`; padding rows are empty.
 *
 * Images follow kube-scheduler's image state cache: a node lists every name of every image in its
 * `status.images` (deduplicated per node); the size of a name is the `sizeBytes` of the first
 * image carrying that name, visiting nodes in build order; the node count is the number of nodes
 * listing the name. Both are repeated on each entry so ImageLocality needs one lookup per
 * (node, image).
 *
 * Byte offsets of every column are available from {@link NodeTable.offsets} for the WebAssembly
 * core; the typed-array views are the public readonly fields of the same names.
 */
import {
  isScalarResourceName,
  type NodeAllocatable,
  type NonZeroRequests,
  nodeAllocatable,
  type Resources,
} from "../model/requests.ts";
import type { Node, TaintEffect } from "../model/types.ts";
import type { Interner } from "./intern.ts";
import { type Arena, type Column, LayoutPlan } from "./layout.ts";

/** `flags` bit: `spec.unschedulable` is true. */
export const NODE_FLAG_UNSCHEDULABLE = 1;
/** `flags` bit: a padding node (never a real node; never fits). */
export const NODE_FLAG_PADDING = 2;

/** Encoding of taint effects in `taintEffects` (and of toleration effects in pod classes). */
export const TAINT_EFFECT: { readonly [E in TaintEffect]: number } = {
  NoSchedule: 0,
  PreferNoSchedule: 1,
  NoExecute: 2,
};

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** Options of {@link NodeTable.build}. */
export interface NodeTableOptions {
  /** Interner shared with the other tables of the simulation. */
  readonly interner: Interner;
  /** Lay the table out in this memory (grown once, before any view exists). Default: a fresh ArrayBuffer. */
  readonly memory?: WebAssembly.Memory;
  /** Byte offset where the table starts (rounded up to 16); in a wasm memory, at or above `__heap_base`. Default 0. */
  readonly base?: number;
  /** Scalar resource names to give columns even if no node offers them. */
  readonly scalarResources?: Iterable<string>;
}

/** Zone key of a node (upstream `GetZoneKey`); `""` when it has neither region nor zone. */
export function zoneKey(node: Node): string {
  const labels = node.metadata.labels;
  const zone =
    labels["failure-domain.beta.kubernetes.io/zone"] ?? labels["topology.kubernetes.io/zone"] ?? "";
  const region =
    labels["failure-domain.beta.kubernetes.io/region"] ??
    labels["topology.kubernetes.io/region"] ??
    "";
  if (region === "" && zone === "") return "";
  return `${region}:\u0000:${zone}`;
}

/**
 * kube-scheduler's snapshot node order (semantics §1.2; upstream `nodeTree.list`): nodes grouped
 * by zone key (region + zone; the deprecated `failure-domain.beta.kubernetes.io/*` labels take
 * precedence over `topology.kubernetes.io/*` when present), zones in order of first appearance,
 * nodes in input order within a zone; the list takes one node from each zone in turn, skipping
 * exhausted zones. Returns indices into `nodes`.
 */
export function zoneRoundRobinOrder(nodes: readonly Node[]): number[] {
  const zones = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    const key = zoneKey(node);
    let members = zones.get(key);
    if (members === undefined) {
      members = [];
      zones.set(key, members);
    }
    members.push(i);
  });
  const groups = [...zones.values()];
  const out: number[] = [];
  for (let round = 0; out.length < nodes.length; round++) {
    for (const g of groups) {
      const i = g[round];
      if (i !== undefined) out.push(i);
    }
  }
  return out;
}

interface ScalarColumns {
  readonly alloc: Column<"f64">;
  readonly req: Column<"f64">;
}

/** Nodes in struct-of-arrays form; see the module comment for the layout. */
export class NodeTable {
  /** Real nodes. */
  readonly count: number;
  /** `count` rounded up to a multiple of 4; the length of every per-node column. */
  readonly capacity: number;
  /** The nodes, in table order. */
  readonly nodes: readonly Node[];
  /** Converted allocatable of each real node. */
  readonly allocatable: readonly NodeAllocatable[];
  readonly interner: Interner;
  readonly arena: Arena;

  readonly allocMilliCPU: Int32Array;
  readonly allocMemory: Float64Array;
  readonly allocEphemeralStorage: Float64Array;
  readonly allowedPods: Int32Array;
  readonly reqMilliCPU: Int32Array;
  readonly reqMemory: Float64Array;
  readonly reqEphemeralStorage: Float64Array;
  readonly nonZeroMilliCPU: Int32Array;
  readonly nonZeroMemory: Float64Array;
  readonly podCount: Int32Array;
  readonly flags: Uint8Array;

  /** Scalar resource names with columns, in column order. */
  readonly scalarNames: readonly string[];
  readonly scalarNameIds: Int32Array;
  /** `allocScalar[s]` is the allocatable column of `scalarNames[s]`. */
  readonly allocScalar: readonly Float64Array[];
  /** `reqScalar[s]` is the requested column of `scalarNames[s]`. */
  readonly reqScalar: readonly Float64Array[];

  readonly labelOffsets: Int32Array;
  readonly labelKeys: Int32Array;
  readonly labelValues: Int32Array;
  readonly taintOffsets: Int32Array;
  readonly taintKeys: Int32Array;
  readonly taintValues: Int32Array;
  readonly taintEffects: Uint8Array;
  readonly imageOffsets: Int32Array;
  readonly imageIds: Int32Array;
  readonly imageSizes: Float64Array;
  readonly imageNodeCounts: Int32Array;

  readonly #scalarIndex: Map<string, number>;
  readonly #nameIndex: Map<string, number>;
  readonly #scalarColumns: readonly ScalarColumns[];

  private constructor(
    nodes: readonly Node[],
    allocatable: readonly NodeAllocatable[],
    interner: Interner,
    arena: Arena,
    cols: Record<string, Column>,
    scalarNames: readonly string[],
    scalarColumns: readonly ScalarColumns[],
  ) {
    this.count = nodes.length;
    this.capacity = alignCount(nodes.length);
    this.nodes = nodes;
    this.allocatable = allocatable;
    this.interner = interner;
    this.arena = arena;
    const v = <T extends Column["type"]>(name: string, _type: T) =>
      arena.view(cols[name] as Column<T>);
    this.allocMilliCPU = v("allocMilliCPU", "i32");
    this.allocMemory = v("allocMemory", "f64");
    this.allocEphemeralStorage = v("allocEphemeralStorage", "f64");
    this.allowedPods = v("allowedPods", "i32");
    this.reqMilliCPU = v("reqMilliCPU", "i32");
    this.reqMemory = v("reqMemory", "f64");
    this.reqEphemeralStorage = v("reqEphemeralStorage", "f64");
    this.nonZeroMilliCPU = v("nonZeroMilliCPU", "i32");
    this.nonZeroMemory = v("nonZeroMemory", "f64");
    this.podCount = v("podCount", "i32");
    this.flags = v("flags", "u8");
    this.scalarNameIds = v("scalarNameIds", "i32");
    this.labelOffsets = v("labelOffsets", "i32");
    this.labelKeys = v("labelKeys", "i32");
    this.labelValues = v("labelValues", "i32");
    this.taintOffsets = v("taintOffsets", "i32");
    this.taintKeys = v("taintKeys", "i32");
    this.taintValues = v("taintValues", "i32");
    this.taintEffects = v("taintEffects", "u8");
    this.imageOffsets = v("imageOffsets", "i32");
    this.imageIds = v("imageIds", "i32");
    this.imageSizes = v("imageSizes", "f64");
    this.imageNodeCounts = v("imageNodeCounts", "i32");
    this.scalarNames = scalarNames;
    this.#scalarColumns = scalarColumns;
    this.allocScalar = scalarColumns.map((c) => arena.view(c.alloc));
    this.reqScalar = scalarColumns.map((c) => arena.view(c.req));
    this.#scalarIndex = new Map(scalarNames.map((name, s) => [name, s]));
    this.#nameIndex = new Map(nodes.map((n, i) => [n.metadata.name, i]));
  }

  /**
   * Encodes `nodes` (in the given order). Cost: O(nodes + labels + taints + images); one
   * allocation of the backing store.
   */
  static build(nodes: readonly Node[], options: NodeTableOptions): NodeTable {
    const { interner } = options;
    const n = nodes.length;
    const cap = alignCount(n);
    const allocatable = nodes.map(nodeAllocatable);
    allocatable.forEach((a, i) => {
      const name = nodes[i]?.metadata.name;
      if (a.milliCPU > INT32_MAX) {
        throw new RangeError(
          `Node ${name}: allocatable cpu ${a.milliCPU}m does not fit an i32 column`,
        );
      }
      if (a.allowedPodNumber > INT32_MAX) {
        throw new RangeError(
          `Node ${name}: allocatable pods ${a.allowedPodNumber} does not fit an i32 column`,
        );
      }
    });

    // Scalar resources, first-seen order.
    const scalarNames: string[] = [];
    const seenScalar = new Set<string>();
    const addScalar = (name: string) => {
      if (!seenScalar.has(name)) {
        seenScalar.add(name);
        scalarNames.push(name);
      }
    };
    for (const a of allocatable) for (const name of a.scalar.keys()) addScalar(name);
    for (const name of options.scalarResources ?? []) {
      if (!isScalarResourceName(name)) {
        throw new Error(`NodeTable: "${name}" is not a scalar resource name`);
      }
      addScalar(name);
    }

    // Labels: per node, sorted by key id.
    const labelRows = nodes.map((node) =>
      Object.entries(node.metadata.labels)
        .map(([k, val]) => [interner.id(k), interner.id(val)] as const)
        .sort((x, y) => x[0] - y[0]),
    );
    // Taints: per node, in order.
    const taintRows = nodes.map((node) =>
      node.spec.taints.map(
        (t) => [interner.id(t.key), interner.id(t.value), TAINT_EFFECT[t.effect]] as const,
      ),
    );
    // Images: cluster-wide size (first seen) and node count per name; per node deduplicated.
    const imageInfo = new Map<number, { size: number; nodes: number }>();
    const imageRows = nodes.map((node) => {
      const ids = new Set<number>();
      for (const image of node.status.images) {
        for (const name of image.names) {
          const id = interner.id(name);
          if (ids.has(id)) continue;
          ids.add(id);
          const info = imageInfo.get(id);
          if (info === undefined) imageInfo.set(id, { size: image.sizeBytes, nodes: 1 });
          else info.nodes++;
        }
      }
      return [...ids].sort((x, y) => x - y);
    });

    const plan = new LayoutPlan(options.base ?? 0);
    const cols: Record<string, Column> = {};
    const col = <T extends Column["type"]>(name: string, type: T, length: number): Column<T> => {
      const c = plan.column(name, type, length);
      cols[name] = c;
      return c;
    };
    col("allocMilliCPU", "i32", cap);
    col("allocMemory", "f64", cap);
    col("allocEphemeralStorage", "f64", cap);
    col("allowedPods", "i32", cap);
    col("reqMilliCPU", "i32", cap);
    col("reqMemory", "f64", cap);
    col("reqEphemeralStorage", "f64", cap);
    col("nonZeroMilliCPU", "i32", cap);
    col("nonZeroMemory", "f64", cap);
    col("podCount", "i32", cap);
    col("flags", "u8", cap);
    col("scalarNameIds", "i32", scalarNames.length);
    const scalarColumns = scalarNames.map((name) => ({
      alloc: col(`allocScalar[${name}]`, "f64", cap),
      req: col(`reqScalar[${name}]`, "f64", cap),
    }));
    const labelTotal = labelRows.reduce((s, r) => s + r.length, 0);
    const taintTotal = taintRows.reduce((s, r) => s + r.length, 0);
    const imageTotal = imageRows.reduce((s, r) => s + r.length, 0);
    col("labelOffsets", "i32", cap + 1);
    col("labelKeys", "i32", labelTotal);
    col("labelValues", "i32", labelTotal);
    col("taintOffsets", "i32", cap + 1);
    col("taintKeys", "i32", taintTotal);
    col("taintValues", "i32", taintTotal);
    col("taintEffects", "u8", taintTotal);
    col("imageOffsets", "i32", cap + 1);
    col("imageIds", "i32", imageTotal);
    col("imageSizes", "f64", imageTotal);
    col("imageNodeCounts", "i32", imageTotal);

    const arena = plan.commit(options.memory === undefined ? {} : { memory: options.memory });
    const t = new NodeTable(nodes, allocatable, interner, arena, cols, scalarNames, scalarColumns);

    scalarNames.forEach((name, s) => {
      t.scalarNameIds[s] = interner.id(name);
    });
    for (let i = 0; i < n; i++) {
      const a = allocatable[i] as NodeAllocatable;
      t.allocMilliCPU[i] = a.milliCPU;
      t.allocMemory[i] = a.memory;
      t.allocEphemeralStorage[i] = a.ephemeralStorage;
      t.allowedPods[i] = a.allowedPodNumber;
      if ((nodes[i] as Node).spec.unschedulable) t.flags[i] = NODE_FLAG_UNSCHEDULABLE;
      for (const [name, value] of a.scalar) {
        (t.allocScalar[t.#scalarIndex.get(name) as number] as Float64Array)[i] = value;
      }
    }
    for (let i = n; i < cap; i++) t.flags[i] = NODE_FLAG_PADDING;

    fillCsr(t.labelOffsets, labelRows, cap, (row, at) => {
      for (const [k, val] of row) {
        t.labelKeys[at] = k;
        t.labelValues[at++] = val;
      }
    });
    fillCsr(t.taintOffsets, taintRows, cap, (row, at) => {
      for (const [k, val, effect] of row) {
        t.taintKeys[at] = k;
        t.taintValues[at] = val;
        t.taintEffects[at++] = effect;
      }
    });
    fillCsr(t.imageOffsets, imageRows, cap, (row, at) => {
      for (const id of row) {
        const info = imageInfo.get(id) as { size: number; nodes: number };
        t.imageIds[at] = id;
        t.imageSizes[at] = info.size;
        t.imageNodeCounts[at++] = info.nodes;
      }
    });
    return t;
  }

  /** Table index of the node named `name`, or -1. */
  indexOf(name: string): number {
    return this.#nameIndex.get(name) ?? -1;
  }

  /** Column index of scalar resource `name`, or -1 when no column exists. */
  scalarIndex(name: string): number {
    return this.#scalarIndex.get(name) ?? -1;
  }

  /** Byte offset of every column by name (`allocScalar[<name>]`/`reqScalar[<name>]` for scalars). */
  offsets(): Record<string, number> {
    return this.arena.offsets();
  }

  /** Byte offsets of the scalar columns, in {@link scalarNames} order. */
  scalarOffsets(): { alloc: number[]; req: number[] } {
    return {
      alloc: this.#scalarColumns.map((c) => c.alloc.offset),
      req: this.#scalarColumns.map((c) => c.req.offset),
    };
  }

  /**
   * Accounts a pod bound to node `nodeIndex` (upstream `NodeInfo.AddPod`): adds its §2.1
   * requests and §2.2 non-zero requests and increments the pod count. Scalar requests without a
   * column are skipped (see the module comment). Throws if a value would leave its column's exact
   * range (i32 for cpu, safe integers for the f64 columns); the table is unchanged then.
   */
  assume(nodeIndex: number, podReq: Resources, nonZero: NonZeroRequests): void {
    this.#apply(nodeIndex, podReq, nonZero, 1);
  }

  /** Reverses {@link assume} (upstream `NodeInfo.RemovePod`). Throws when the node has no pods. */
  forget(nodeIndex: number, podReq: Resources, nonZero: NonZeroRequests): void {
    if (this.podCount[this.#checkIndex(nodeIndex)] === 0) {
      throw new Error(`NodeTable.forget: node ${this.nodes[nodeIndex]?.metadata.name} has no pods`);
    }
    this.#apply(nodeIndex, podReq, nonZero, -1);
  }

  /** Zeroes every requested column and pod count (the state right after {@link build}). */
  clearRequested(): void {
    this.reqMilliCPU.fill(0);
    this.reqMemory.fill(0);
    this.reqEphemeralStorage.fill(0);
    this.nonZeroMilliCPU.fill(0);
    this.nonZeroMemory.fill(0);
    this.podCount.fill(0);
    for (const c of this.reqScalar) c.fill(0);
  }

  #checkIndex(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`NodeTable: node index ${i} out of range [0, ${this.count})`);
    }
    return i;
  }

  #apply(i: number, req: Resources, nz: NonZeroRequests, sign: 1 | -1): void {
    this.#checkIndex(i);
    const name = this.nodes[i]?.metadata.name;
    const cpu = i32(this.reqMilliCPU[i] as number, req.milliCPU, sign, name, "cpu");
    const nzCpu = i32(this.nonZeroMilliCPU[i] as number, nz.milliCPU, sign, name, "non-zero cpu");
    const mem = exact(this.reqMemory[i] as number, req.memory, sign, name, "memory");
    const eph = exact(
      this.reqEphemeralStorage[i] as number,
      req.ephemeralStorage,
      sign,
      name,
      "ephemeral-storage",
    );
    const nzMem = exact(this.nonZeroMemory[i] as number, nz.memory, sign, name, "non-zero memory");
    const scalars: [Float64Array, number][] = [];
    for (const [rName, value] of req.scalar) {
      const s = this.#scalarIndex.get(rName);
      if (s === undefined) continue;
      const column = this.reqScalar[s] as Float64Array;
      scalars.push([column, exact(column[i] as number, value, sign, name, rName)]);
    }
    this.reqMilliCPU[i] = cpu;
    this.nonZeroMilliCPU[i] = nzCpu;
    this.reqMemory[i] = mem;
    this.reqEphemeralStorage[i] = eph;
    this.nonZeroMemory[i] = nzMem;
    for (const [column, value] of scalars) column[i] = value;
    this.podCount[i] = (this.podCount[i] as number) + sign;
  }
}

function alignCount(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function i32(
  cur: number,
  delta: number,
  sign: number,
  node: string | undefined,
  what: string,
): number {
  const r = cur + sign * delta;
  if (!Number.isInteger(r) || r > INT32_MAX || r < INT32_MIN) {
    throw new RangeError(`Node ${node}: requested ${what} ${r} leaves the i32 range`);
  }
  return r;
}

function exact(
  cur: number,
  delta: number,
  sign: number,
  node: string | undefined,
  what: string,
): number {
  const r = cur + sign * delta;
  if (!Number.isSafeInteger(r)) {
    throw new RangeError(`Node ${node}: requested ${what} ${r} is not exact in an f64`);
  }
  return r;
}

function fillCsr<R extends readonly unknown[]>(
  offsets: Int32Array,
  rows: readonly R[],
  capacity: number,
  write: (row: R, at: number) => void,
): void {
  let at = 0;
  for (let i = 0; i < capacity; i++) {
    offsets[i] = at;
    const row = rows[i];
    if (row !== undefined) {
      write(row, at);
      at += row.length;
    }
  }
  offsets[capacity] = at;
}
