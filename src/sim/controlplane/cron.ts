/**
 * Cron schedules as the CronJob controller reads them: robfig/cron v3's `ParseStandard` (five
 * fields `minute hour day-of-month month day-of-week`, and descriptors) and `SpecSchedule.Next`,
 * in UTC.
 *
 * - Fields: `*` or `?` (every value), numbers, names (`jan`–`dec`, `sun`–`sat`, any case), ranges
 *   `a-b`, steps `*\/n`, `a-b/n` and `a/n` (= `a-max/n`), lists `x,y,z`. Bounds: minute 0–59, hour
 *   0–23, day of month 1–31, month 1–12, day of week 0–6 (0 = Sunday).
 * - Descriptors: `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`.
 *   `@every <duration>` is rejected (CronJob schedules are calendar schedules), and so are
 *   `TZ=`/`CRON_TZ=` prefixes (the API server's validation: use `timeZone`).
 * - Day matching: when day-of-month or day-of-week is unrestricted (`*` or `?`, without a step
 *   greater than 1) both must match — i.e. the other decides; when both are restricted, either
 *   may match (`0 0 1 * 1` fires on the 1st and on every Monday), as cron and robfig do.
 * - `next(t)` is the first matching whole minute strictly after `t`; none within five years of
 *   `t` (e.g. `0 0 30 2 *`) → `undefined`, as robfig returns the zero time.
 */

/** A field's allowed range and names. */
interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DOW_NAMES: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: MONTH_NAMES };
const DOW: Bounds = { min: 0, max: 6, names: DOW_NAMES };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** One parsed field: the allowed values, and whether it was unrestricted (robfig's star bit). */
interface FieldSet {
  readonly values: readonly boolean[];
  readonly star: boolean;
}

/** `mustParseInt`: a non-negative decimal integer. */
function parseNumber(s: string, expr: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: ${expr}`);
  const n = Number(s);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(s: string, b: Bounds, expr: string): number {
  const named = b.names?.[s.toLowerCase()];
  return named ?? parseNumber(s, expr);
}

/** robfig's `getRange` for one comma-separated part, OR-ed into `values`; returns the star bit. */
function parseRange(expr: string, b: Bounds, values: boolean[]): boolean {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, b, expr);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, b, expr);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1]!, expr);
    if (singleDigit) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < b.min)
    throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end)
    throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) values[v] = true;
  return star;
}

function parseField(text: string, b: Bounds): FieldSet {
  const values: boolean[] = new Array(b.max + 1).fill(false);
  let star = false;
  for (const part of text.split(",")) star = parseRange(part, b, values) || star;
  return { values, star };
}

/** A parsed schedule. */
export class CronSchedule {
  private readonly minute: FieldSet;
  private readonly hour: FieldSet;
  private readonly dom: FieldSet;
  private readonly month: FieldSet;
  private readonly dow: FieldSet;

  private constructor(fields: readonly [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet]) {
    [this.minute, this.hour, this.dom, this.month, this.dow] = fields;
  }

  /** Parses `spec`; throws an Error with robfig's message (or the API server's) when invalid. */
  static parse(spec: string): CronSchedule {
    const text = spec.trim();
    if (text === "") throw new Error("empty spec string");
    if (/^(CRON_)?TZ=/.test(text)) {
      throw new Error("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    }
    let fields = text;
    if (text.startsWith("@")) {
      if (text.startsWith("@every")) {
        throw new Error("@every is not supported in a CronJob schedule (use a cron expression)");
      }
      const d = DESCRIPTORS[text];
      if (d === undefined) throw new Error(`unrecognized descriptor: ${text}`);
      fields = d;
    }
    const parts = fields.split(/\s+/);
    if (parts.length !== 5) {
      throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(" ")}]`);
    }
    const [mi, h, dom, mo, dow] = parts as [string, string, string, string, string];
    return new CronSchedule([
      parseField(mi, MINUTE),
      parseField(h, HOUR),
      parseField(dom, DOM),
      parseField(mo, MONTH),
      parseField(dow, DOW),
    ]);
  }

  /** robfig's `dayMatches`: AND when either day field is unrestricted, else OR. */
  private dayMatches(d: Date): boolean {
    const domMatch = this.dom.values[d.getUTCDate()] === true;
    const dowMatch = this.dow.values[d.getUTCDay()] === true;
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** Whether the whole minute starting at `ms` (Unix milliseconds, UTC) matches. */
  matches(ms: number): boolean {
    const d = new Date(ms);
    return (
      this.minute.values[d.getUTCMinutes()] === true &&
      this.hour.values[d.getUTCHours()] === true &&
      this.month.values[d.getUTCMonth() + 1] === true &&
      this.dayMatches(d)
    );
  }

  /**
   * The first matching whole minute strictly after `ms` (Unix milliseconds, UTC), or `undefined`
   * when none comes within five years (robfig's `SpecSchedule.Next`).
   */
  next(ms: number): number | undefined {
    let t = (Math.floor(ms / 60_000) + 1) * 60_000;
    const yearLimit = new Date(t).getUTCFullYear() + 5;
    for (;;) {
      const d = new Date(t);
      const y = d.getUTCFullYear();
      if (y > yearLimit) return undefined;
      const mo = d.getUTCMonth();
      if (!this.month.values[mo + 1]) {
        t = Date.UTC(y, mo + 1, 1);
        continue;
      }
      if (!this.dayMatches(d)) {
        t = Date.UTC(y, mo, d.getUTCDate() + 1);
        continue;
      }
      if (!this.hour.values[d.getUTCHours()]) {
        t = Date.UTC(y, mo, d.getUTCDate(), d.getUTCHours() + 1);
        continue;
      }
      if (!this.minute.values[d.getUTCMinutes()]) {
        t += 60_000;
        continue;
      }
      return t;
    }
  }
}
