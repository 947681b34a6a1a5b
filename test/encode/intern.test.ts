import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Interner } from "../../src/encode/intern.ts";

describe("Interner", () => {
  it("assigns dense ids from 0 in first-seen order", () => {
    const it = new Interner();
    expect(it.size).toBe(0);
    expect(it.id("zone")).toBe(0);
    expect(it.id("a")).toBe(1);
    expect(it.id("zone")).toBe(0);
    expect(it.id("")).toBe(2);
    expect(it.size).toBe(3);
    expect([0, 1, 2].map((i) => it.str(i))).toEqual(["zone", "a", ""]);
  });

  it("lookup never assigns", () => {
    const it = new Interner();
    it.id("x");
    expect(it.lookup("x")).toBe(0);
    expect(it.lookup("y")).toBe(-1);
    expect(it.size).toBe(1);
  });

  it("str rejects unknown ids", () => {
    const it = new Interner();
    it.id("x");
    expect(() => it.str(1)).toThrow(RangeError);
    expect(() => it.str(-1)).toThrow(RangeError);
    expect(() => it.str(0.5)).toThrow(RangeError);
  });

  it("round-trips any strings; size counts distinct strings", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (strings) => {
        const it = new Interner();
        const ids = strings.map((s) => it.id(s));
        expect(ids.map((id) => it.str(id))).toEqual(strings);
        expect(it.size).toBe(new Set(strings).size);
        expect(new Set(ids)).toEqual(new Set(Array.from({ length: it.size }, (_, i) => i)));
        for (const s of strings) expect(it.lookup(s)).toBe(it.id(s));
      }),
    );
  });
});
