import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  COLUMN_ALIGN,
  type ColumnType,
  growMemoryTo,
  LayoutPlan,
  WASM_PAGE_BYTES,
} from "../../src/encode/layout.ts";

const TYPES: ColumnType[] = ["u8", "i32", "u32", "f64"];

describe("LayoutPlan", () => {
  it("aligns every column to 16 bytes, in order, without overlap", () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.array(fc.tuple(fc.constantFrom(...TYPES), fc.nat(37)), { maxLength: 20 }),
        (base, specs) => {
          const plan = new LayoutPlan(base);
          expect(plan.base % COLUMN_ALIGN).toBe(0);
          expect(plan.base).toBeGreaterThanOrEqual(base);
          let prevEnd = plan.base;
          specs.forEach(([type, length], i) => {
            const c = plan.column(`c${i}`, type, length);
            expect(c.offset % COLUMN_ALIGN).toBe(0);
            expect(c.offset).toBeGreaterThanOrEqual(prevEnd);
            prevEnd = c.offset + c.byteLength;
          });
          expect(plan.end % COLUMN_ALIGN).toBe(0);
          expect(plan.end).toBeGreaterThanOrEqual(prevEnd);
          const arena = plan.commit();
          expect(arena.buffer.byteLength).toBe(plan.end);
          for (const c of plan.columns) {
            const v = arena.view(c);
            expect(v.byteOffset).toBe(c.offset);
            expect(v.length).toBe(c.length);
          }
        },
      ),
    );
  });

  it("creates typed views sharing one buffer", () => {
    const plan = new LayoutPlan();
    const a = plan.column("a", "u8", 3);
    const b = plan.column("b", "f64", 2);
    const c = plan.column("c", "i32", 5);
    expect([a.offset, b.offset, c.offset]).toEqual([0, 16, 32]);
    expect(plan.end).toBe(64);
    const arena = plan.commit();
    const vb = arena.view(b);
    expect(vb).toBeInstanceOf(Float64Array);
    expect(arena.view(a)).toBeInstanceOf(Uint8Array);
    expect(arena.view(c)).toBeInstanceOf(Int32Array);
    vb[1] = 1.5;
    expect(new Float64Array(arena.buffer, 24, 1)[0]).toBe(1.5);
    expect(arena.offsets()).toEqual({ a: 0, b: 16, c: 32 });
    expect(arena.detached).toBe(false);
  });

  it("zero-fills its region of a reused buffer, leaving the rest alone", () => {
    const buffer = new ArrayBuffer(128);
    new Uint8Array(buffer).fill(7);
    const plan = new LayoutPlan(20);
    const col = plan.column("x", "i32", 4);
    expect(col.offset).toBe(32);
    const arena = plan.commit({ buffer });
    expect([...arena.view(col)]).toEqual([0, 0, 0, 0]);
    expect(new Uint8Array(buffer)[31]).toBe(7);
    expect(new Uint8Array(buffer)[48]).toBe(7);
  });

  it("rejects misuse", () => {
    const plan = new LayoutPlan();
    expect(() => plan.column("bad", "i32", -1)).toThrow(RangeError);
    expect(() => plan.column("bad", "i32", 1.5)).toThrow(RangeError);
    expect(() => new LayoutPlan(-16)).toThrow(RangeError);
    const col = plan.column("x", "f64", 4);
    expect(() => plan.commit({ buffer: new ArrayBuffer(16) })).toThrow(/needs 32/);
    const arena = plan.commit();
    expect(() => plan.column("late", "u8", 1)).toThrow(/after commit/);
    expect(() => plan.commit()).toThrow(/already committed/);
    const other = new LayoutPlan().column("x", "f64", 4);
    expect(() => arena.view(other)).toThrow(/not part of this arena/);
    expect(arena.view(col)).toHaveLength(4);
  });
});

describe("WebAssembly.Memory arenas", () => {
  it("grows the memory once, to the final size, before creating views", () => {
    const memory = new WebAssembly.Memory({ initial: 0 });
    const grow = vi.spyOn(memory, "grow");
    const plan = new LayoutPlan(1024);
    const cols = [
      plan.column("a", "i32", 10_000),
      plan.column("b", "f64", 10_000),
      plan.column("c", "u8", 3),
    ];
    const arena = plan.commit({ memory });
    expect(grow).toHaveBeenCalledTimes(1);
    expect(grow).toHaveBeenCalledWith(Math.ceil(plan.end / WASM_PAGE_BYTES));
    expect(arena.buffer).toBe(memory.buffer);
    for (const c of cols) expect(arena.view(c).buffer).toBe(memory.buffer);
    expect(arena.view(cols[1]!).byteOffset).toBe(cols[1]!.offset);
    expect(arena.detached).toBe(false);
  });

  it("does not grow a memory that is large enough", () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const grow = vi.spyOn(memory, "grow");
    const plan = new LayoutPlan();
    plan.column("a", "f64", 100);
    plan.commit({ memory });
    expect(grow).not.toHaveBeenCalled();
  });

  it("documents the hazard: a later grow detaches the views", () => {
    const memory = new WebAssembly.Memory({ initial: 0 });
    const plan = new LayoutPlan();
    const col = plan.column("a", "i32", 8);
    const arena = plan.commit({ memory });
    const view = arena.view(col);
    view[0] = 42;
    memory.grow(1);
    expect(arena.detached).toBe(true);
    expect(view.length).toBe(0);
    expect(new Int32Array(memory.buffer, col.offset, 1)[0]).toBe(42);
  });

  it("reports a memory that cannot grow far enough", () => {
    const memory = new WebAssembly.Memory({ initial: 0, maximum: 1 });
    const plan = new LayoutPlan();
    plan.column("a", "f64", WASM_PAGE_BYTES);
    expect(() => plan.commit({ memory })).toThrow(/cannot grow WebAssembly memory/);
    expect(() => growMemoryTo(memory, 10)).not.toThrow();
    expect(memory.buffer.byteLength).toBe(WASM_PAGE_BYTES);
  });
});
