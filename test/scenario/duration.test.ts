import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, parseRunTime } from "../../src/scenario/duration.ts";

describe("formatDuration", () => {
  it("writes Go's Duration.String()", () => {
    const cases: [number, string][] = [
      [0, "0s"],
      [1.5, "1.5s"],
      [90, "1m30s"],
      [3600, "1h0m0s"],
      [5400.25, "1h30m0.25s"],
      [0.25, "250ms"],
      [0.0015, "1.5ms"],
      [2e-6, "2µs"],
      [3e-9, "3ns"],
      [-61, "-1m1s"],
      [Number.POSITIVE_INFINITY, "never"],
    ];
    for (const [s, text] of cases) expect(formatDuration(s)).toBe(text);
  });

  it("reads back to the nanosecond", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (s) => {
        expect(Math.abs(parseDuration(formatDuration(s))! - s)).toBeLessThanOrEqual(
          1e-9 + s * 1e-15,
        );
      }),
    );
  });

  it("parses run times: durations and never", () => {
    expect(parseRunTime("never")).toBe(Number.POSITIVE_INFINITY);
    expect(parseRunTime("2m")).toBe(120);
    expect(parseRunTime("-2m")).toBeUndefined();
    expect(parseRunTime("soon")).toBeUndefined();
  });
});
