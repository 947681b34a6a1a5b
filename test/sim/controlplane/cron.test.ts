import { describe, expect, it } from "vitest";
import { CronSchedule } from "../../../src/sim/controlplane/cron.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? "never" : new Date(ms).toISOString());

/** The first `n` firing times strictly after `from`. */
function firings(spec: string, from: string, n: number): string[] {
  const s = CronSchedule.parse(spec);
  const out: string[] = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = s.next(t);
    out.push(iso(t));
  }
  return out;
}

// 2026-01-01 is a Thursday.
describe("cron schedules (robfig/cron v3 ParseStandard)", () => {
  it.each([
    ["*/5 * * * *", "2026-01-01T00:00:00Z", ["00:05", "00:10", "00:15"]],
    ["*/5 * * * *", "2026-01-01T00:03:30Z", ["00:05", "00:10", "00:15"]],
    ["5/15 * * * *", "2026-01-01T00:00:00Z", ["00:05", "00:20", "00:35"]],
    ["0,30 1-2 * * *", "2026-01-01T00:00:00Z", ["01:00", "01:30", "02:00"]],
    ["30 */6 * * *", "2026-01-01T00:00:00Z", ["00:30", "06:30", "12:30"]],
    ["@hourly", "2026-01-01T00:00:00Z", ["01:00", "02:00", "03:00"]],
  ])("%s from %s", (spec, from, times) => {
    expect(firings(spec, from, 3)).toEqual(times.map((t) => `2026-01-01T${t}:00.000Z`));
  });

  it.each([
    // Day of month restricted, day of week * → day of month only.
    ["0 0 1 * *", ["2026-02-01", "2026-03-01", "2026-04-01"]],
    // Day of week restricted, day of month * or ? → Mondays only.
    ["0 0 * * 1", ["2026-01-05", "2026-01-12", "2026-01-19"]],
    ["0 0 ? * MON", ["2026-01-05", "2026-01-12", "2026-01-19"]],
    // Both restricted → OR: the 1st and every Monday.
    ["0 0 1 * 1", ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-01"]],
    // The classic quirk: "first Monday" written this way fires on days 1–7 and on every Monday.
    ["0 0 1-3 * 1", ["2026-01-02", "2026-01-03", "2026-01-05", "2026-01-12", "2026-01-19"]],
    // A step > 1 on * clears the star: */10 on days OR Sundays.
    ["0 0 */10 * 0", ["2026-01-04", "2026-01-11", "2026-01-18", "2026-01-21", "2026-01-25"]],
    // */1 keeps the star: AND, i.e. Sundays only.
    ["0 0 */1 * 0", ["2026-01-04", "2026-01-11", "2026-01-18", "2026-01-25", "2026-02-01"]],
    ["@weekly", ["2026-01-04", "2026-01-11", "2026-01-18"]],
    ["@daily", ["2026-01-02", "2026-01-03", "2026-01-04"]],
    ["@midnight", ["2026-01-02", "2026-01-03", "2026-01-04"]],
    ["@monthly", ["2026-02-01", "2026-03-01", "2026-04-01"]],
    ["@yearly", ["2027-01-01", "2028-01-01"]],
    ["@annually", ["2027-01-01", "2028-01-01"]],
    ["0 0 29 2 *", ["2028-02-29", "2032-02-29"]],
    ["0 0 * jan,JUL sat,SUN", ["2026-01-03", "2026-01-04", "2026-01-10"]],
  ])("day matching: %s", (spec, days) => {
    expect(firings(spec, "2026-01-01T00:00:00Z", days.length)).toEqual(
      days.map((d) => `${d}T00:00:00.000Z`),
    );
  });

  it("a schedule that never comes within five years returns undefined", () => {
    expect(CronSchedule.parse("0 0 30 2 *").next(at("2026-01-01T00:00:00Z"))).toBeUndefined();
  });

  it("next is strictly after the given time", () => {
    const s = CronSchedule.parse("0 * * * *");
    expect(iso(s.next(at("2026-01-01T01:00:00Z")))).toBe("2026-01-01T02:00:00.000Z");
    expect(iso(s.next(at("2026-01-01T00:59:59.999Z")))).toBe("2026-01-01T01:00:00.000Z");
    expect(s.matches(at("2026-01-01T01:00:00Z"))).toBe(true);
    expect(s.matches(at("2026-01-01T01:01:00Z"))).toBe(false);
  });

  it.each([
    ["", "empty spec string"],
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["*/5/2 * * * *", "too many slashes: */5/2"],
    ["a * * * *", "failed to parse int from a: a"],
    ["0 0 * * sat-sun", "beginning of range (6) beyond end of range (0): sat-sun"],
    ["* * * foo *", "failed to parse int from foo: foo"],
    ["@every 5m", "@every is not supported in a CronJob schedule (use a cron expression)"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
    ["CRON_TZ=UTC 0 * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
  ])("rejects %j", (spec, message) => {
    expect(() => CronSchedule.parse(spec)).toThrow(message);
  });
});
