/**
 * Arena layout: typed-array columns bump-allocated inside one `ArrayBuffer` or one
 * `WebAssembly.Memory`, each column starting on a 16-byte boundary.
 *
 * Why this shape (toolchain.md §3, §4, §7):
 * - The core is struct-of-arrays: one column per field, indexed by node. JavaScript owns the
 *   layout; the WebAssembly core never allocates and only receives **byte offsets** (plain
 *   numbers) of the columns it reads.
 * - 16-byte alignment lets the SIMD kernel use aligned `v128` loads on every column, whatever the
 *   element type (`i32x4`, `f64x2`).
 * - Allocation happens in two phases. {@link LayoutPlan} only reserves offsets; {@link
 *   LayoutPlan.commit} then sizes the backing store **once** and only afterwards creates the
 *   typed-array views. A non-shared `WebAssembly.Memory.grow` detaches the old `ArrayBuffer`: every
 *   existing view silently becomes length 0 (reads give `undefined`, writes are dropped). Growing
 *   once, before any view exists, makes that impossible for the views made here. With a shared
 *   memory, old views stay attached but do not cover new pages. If anything grows the memory
 *   later, {@link Arena.detached} reports it and the views must be rebuilt.
 *
 * Everything works over a plain `ArrayBuffer` too, so the TypeScript reference implementation and
 * the tests use the exact same layout without WebAssembly.
 */

/** Every column starts at a multiple of this many bytes. */
export const COLUMN_ALIGN = 16;

/** WebAssembly page size. */
export const WASM_PAGE_BYTES = 65536;

/** Element types a column may have. */
export type ColumnType = "u8" | "i32" | "u32" | "f64";

/** The typed array that views a column of each type. */
export interface ColumnArrayTypes {
  u8: Uint8Array;
  i32: Int32Array;
  u32: Uint32Array;
  f64: Float64Array;
}

/** Bytes per element of each column type. */
export const BYTES_PER_ELEMENT: { readonly [T in ColumnType]: number } = {
  u8: 1,
  i32: 4,
  u32: 4,
  f64: 8,
};

/** A reserved column: where it lives and what it holds. */
export interface Column<T extends ColumnType = ColumnType> {
  readonly name: string;
  readonly type: T;
  /** Number of elements. */
  readonly length: number;
  /** Byte offset from the start of the buffer/memory (a multiple of {@link COLUMN_ALIGN}). */
  readonly offset: number;
  readonly byteLength: number;
}

/** Rounds `n` up to a multiple of `align` (a power of two). */
export function alignUp(n: number, align: number = COLUMN_ALIGN): number {
  return Math.ceil(n / align) * align;
}

/**
 * Phase one: reserves 16-byte-aligned columns, bump-allocating byte offsets from `base`.
 *
 * `base` is where the region starts in the buffer or memory. In a WebAssembly memory pass the
 * module's `__heap_base` (or any offset above its static data); several plans may be laid out
 * back to back by starting the next one at the previous plan's {@link end}.
 */
export class LayoutPlan {
  readonly base: number;
  #end: number;
  readonly #columns: Column[] = [];
  #committed = false;

  constructor(base = 0) {
    if (!Number.isSafeInteger(base) || base < 0) throw new RangeError(`invalid base ${base}`);
    this.base = alignUp(base);
    this.#end = this.base;
  }

  /** Reserves a column of `length` elements of `type`. Zero-length columns are allowed. */
  column<T extends ColumnType>(name: string, type: T, length: number): Column<T> {
    if (this.#committed) throw new Error(`LayoutPlan: column "${name}" added after commit`);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`LayoutPlan: column "${name}" has invalid length ${length}`);
    }
    const offset = this.#end;
    const byteLength = length * BYTES_PER_ELEMENT[type];
    this.#end = alignUp(offset + byteLength);
    const col: Column<T> = { name, type, length, offset, byteLength };
    this.#columns.push(col);
    return col;
  }

  /** First free byte after the last column (16-byte aligned). */
  get end(): number {
    return this.#end;
  }

  /** Bytes reserved from {@link base} to {@link end}. */
  get byteLength(): number {
    return this.#end - this.base;
  }

  get columns(): readonly Column[] {
    return this.#columns;
  }

  /**
   * Phase two: provides the backing store and creates the views.
   *
   * - `memory`: grows it (with one `grow` call, only if it is too small) to cover {@link end},
   *   then views `memory.buffer`. Throws a RangeError when the memory cannot grow that far.
   * - `buffer`: uses it as is (it must cover {@link end}).
   * - neither: allocates a fresh `ArrayBuffer` of exactly {@link end} bytes.
   *
   * The reserved region `[base, end)` is zero-filled.
   */
  commit(target: { memory?: WebAssembly.Memory; buffer?: ArrayBufferLike } = {}): Arena {
    if (this.#committed) throw new Error("LayoutPlan: already committed");
    if (target.memory !== undefined && target.buffer !== undefined) {
      throw new Error("LayoutPlan.commit: pass either memory or buffer, not both");
    }
    let buffer: ArrayBufferLike;
    if (target.memory !== undefined) {
      growMemoryTo(target.memory, this.#end);
      buffer = target.memory.buffer;
    } else if (target.buffer !== undefined) {
      buffer = target.buffer;
      if (buffer.byteLength < this.#end) {
        throw new RangeError(
          `LayoutPlan.commit: buffer has ${buffer.byteLength} bytes, needs ${this.#end}`,
        );
      }
    } else {
      buffer = new ArrayBuffer(this.#end);
    }
    this.#committed = true;
    new Uint8Array(buffer, this.base, this.byteLength).fill(0);
    return new Arena(buffer, target.memory, this.base, this.#end, this.#columns);
  }
}

/**
 * Grows `memory` with a single `grow` call so that it holds at least `byteLength` bytes; does
 * nothing when it is already large enough. Call it before creating views (see module comment).
 */
export function growMemoryTo(memory: WebAssembly.Memory, byteLength: number): void {
  const have = memory.buffer.byteLength;
  if (have >= byteLength) return;
  const pages = Math.ceil((byteLength - have) / WASM_PAGE_BYTES);
  try {
    memory.grow(pages);
  } catch (e) {
    throw new RangeError(
      `cannot grow WebAssembly memory by ${pages} page(s) to hold ${byteLength} bytes (has ${have}): ${String(e)}`,
    );
  }
}

/** Phase-two result: the backing store plus one view per column. */
export class Arena {
  /** The buffer the views were created on. */
  readonly buffer: ArrayBufferLike;
  /** The memory the arena lives in, when it lives in one. */
  readonly memory: WebAssembly.Memory | undefined;
  readonly base: number;
  readonly end: number;
  readonly columns: readonly Column[];
  readonly #views = new Map<Column, ColumnArrayTypes[ColumnType]>();

  constructor(
    buffer: ArrayBufferLike,
    memory: WebAssembly.Memory | undefined,
    base: number,
    end: number,
    columns: readonly Column[],
  ) {
    this.buffer = buffer;
    this.memory = memory;
    this.base = base;
    this.end = end;
    this.columns = columns;
    for (const c of columns) this.#views.set(c, makeView(buffer, c));
  }

  /** The typed-array view of a column of this arena. */
  view<T extends ColumnType>(col: Column<T>): ColumnArrayTypes[T] {
    const v = this.#views.get(col);
    if (v === undefined) throw new Error(`Arena: column "${col.name}" is not part of this arena`);
    return v as ColumnArrayTypes[T];
  }

  /**
   * True when the memory was grown after the views were made: with a non-shared memory the views
   * are then detached (length 0); with a shared one they no longer match `memory.buffer`.
   * Always false for an arena over a plain buffer.
   */
  get detached(): boolean {
    return this.memory !== undefined && this.memory.buffer !== this.buffer;
  }

  /** Column name → byte offset, for handing to the WebAssembly core. */
  offsets(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.columns) out[c.name] = c.offset;
    return out;
  }
}

function makeView(buffer: ArrayBufferLike, c: Column): ColumnArrayTypes[ColumnType] {
  switch (c.type) {
    case "u8":
      return new Uint8Array(buffer, c.offset, c.length);
    case "i32":
      return new Int32Array(buffer, c.offset, c.length);
    case "u32":
      return new Uint32Array(buffer, c.offset, c.length);
    case "f64":
      return new Float64Array(buffer, c.offset, c.length);
  }
}
