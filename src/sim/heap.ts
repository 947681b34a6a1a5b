/**
 * A binary min-heap of integer ids ordered by a comparator over the ids (the keys live in the
 * caller's arrays). Backed by an Int32Array that doubles as it fills: no allocation per push.
 */
export class IdHeap {
  #ids = new Int32Array(64);
  #size = 0;
  readonly #less: (a: number, b: number) => boolean;

  /** `less(a, b)`: whether id `a` comes out before id `b` (must be a strict total order). */
  constructor(less: (a: number, b: number) => boolean) {
    this.#less = less;
  }

  get size(): number {
    return this.#size;
  }

  push(id: number): void {
    if (this.#size === this.#ids.length) {
      const grown = new Int32Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    const ids = this.#ids;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = ids[parent] as number;
      if (!this.#less(id, p)) break;
      ids[i] = p;
      i = parent;
    }
    ids[i] = id;
  }

  /** The first id, or -1 when empty. */
  peek(): number {
    return this.#size === 0 ? -1 : (this.#ids[0] as number);
  }

  /** Removes and returns the first id (-1 when empty). */
  pop(): number {
    if (this.#size === 0) return -1;
    const ids = this.#ids;
    const top = ids[0] as number;
    const last = ids[--this.#size] as number;
    const n = this.#size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.#less(ids[r] as number, ids[l] as number)) c = r;
      if (!this.#less(ids[c] as number, last)) break;
      ids[i] = ids[c] as number;
      i = c;
    }
    if (n > 0) ids[i] = last;
    return top;
  }
}
