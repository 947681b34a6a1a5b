/**
 * String interning for the compact encoding: label keys and values, taint keys and values,
 * resource names, image names, namespaces — every string the core compares becomes a dense
 * integer id, so the WebAssembly core compares `i32`s instead of strings.
 *
 * One interner is shared by every table of a simulation (node table, pod classes), so equal
 * strings have equal ids everywhere. Ids are dense, assigned from 0 in first-seen order, and never
 * change or get reused.
 */
export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #strings: string[] = [];

  /** The id of `s`, assigning the next free id when `s` is new. */
  id(s: string): number {
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(s);
      this.#ids.set(s, id);
    }
    return id;
  }

  /** The id of `s` if it was interned, else -1 (never assigns). */
  lookup(s: string): number {
    return this.#ids.get(s) ?? -1;
  }

  /** The string of an id; throws a RangeError for an id that was never assigned. */
  str(id: number): string {
    const s = this.#strings[id];
    if (s === undefined) throw new RangeError(`Interner: unknown id ${id} (size ${this.size})`);
    return s;
  }

  /** Number of interned strings; ids are `0 … size-1`. */
  get size(): number {
    return this.#strings.length;
  }
}
