/**
 * Recurring series for Hearth: a subset of RFC 5545 RRULE (FREQ=DAILY|WEEKLY|MONTHLY with
 * INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL), expanded in the series' own time zone.
 *
 * Deliberate choices (everything else follows RFC 5545):
 * - DTSTART counts only if it matches the rule. RFC 5545 always makes DTSTART the first
 *   instance, but the series editor picks a start date and a pattern independently, so a
 *   "Mondays" series starting on a Wednesday must not produce a stray Wednesday.
 * - An occurrence is identified by its local date (`key`): that is what exdates name and what
 *   bookings attach to, and it stays stable whatever the UTC offset does.
 * - UNTIL is a local date, inclusive. A parsed UTC UNTIL is reduced to its local date in the
 *   series' zone, because the model is date-granular.
 */
import { DateTime, IANAZone } from "luxon";

export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export const WEEKDAYS: readonly Weekday[] = Object.freeze(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);

export interface RecurrenceRule {
  freq: "DAILY" | "WEEKLY" | "MONTHLY";
  interval: number;
  byWeekday?: Weekday[];
  byMonthDay?: number;
  byNthWeekday?: { nth: number; weekday: Weekday };
  count?: number;
  until?: string;
}

export interface SeriesSpec {
  rule: RecurrenceRule | null;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  timeZone: string;
  exdates: string[];
}

export interface Occurrence {
  key: string;
  startsAt: Date;
  endsAt: Date;
}

export class RecurrenceError extends Error {
  override name = "RecurrenceError";
}

// --- Calendar arithmetic ------------------------------------------------------------------
// Local dates are day numbers (days since 1970-01-01) computed in UTC, so the process time
// zone never leaks in and "next day" is exact even on 23- or 25-hour days.

type Freq = RecurrenceRule["freq"];
const FREQS: readonly Freq[] = ["DAILY", "WEEKLY", "MONTHLY"];
const DAY_MS = 86_400_000;
/** Look-ahead bound for nextOccurrences, so a rule that never matches cannot loop forever. */
const SCAN_DAYS = 20 * 366;

function dayOf(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, does not remap years 0..99 to 19xx
  return Math.round(t.getTime() / DAY_MS);
}
function ymd(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const daysInMonth = (y: number, m: number): number => ymd(dayOf(y, m + 1, 0)).d;
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7; // 0 = MO; day 0 was a Thursday
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekday = (w: unknown): w is Weekday => WEEKDAYS.includes(w as Weekday);

function parseDay(iso: unknown): number | null {
  const m = typeof iso === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? dayOf(y, mo, d) : null;
}

function localDay(instant: Date, zone: string): number {
  if (Number.isNaN(instant.getTime())) throw new RecurrenceError("invalid instant");
  const dt = DateTime.fromJSDate(instant, { zone });
  return dayOf(dt.year, dt.month, dt.day);
}

// --- Validation ---------------------------------------------------------------------------

/** Problems that do not depend on the start date (shared by parse, format and expansion). */
function ruleProblems(rule: RecurrenceRule): string[] {
  const out: string[] = [];
  const { freq, byWeekday: wds, byMonthDay: md, byNthWeekday: nw } = rule;
  const isInt = (n: unknown, ok: (n: number) => boolean) => Number.isInteger(n) && ok(n as number);
  if (!FREQS.includes(freq)) out.push("freq");
  if (!isInt(rule.interval, (n) => n >= 1)) out.push("interval");
  if (rule.count !== undefined && !isInt(rule.count, (n) => n >= 1)) out.push("count");
  if (rule.until !== undefined && parseDay(rule.until) === null) out.push("until");
  if (rule.count !== undefined && rule.until !== undefined) out.push("count_and_until");
  if (
    wds !== undefined &&
    (freq !== "WEEKLY" || !Array.isArray(wds) || wds.length === 0 || !wds.every(isWeekday) || new Set(wds).size !== wds.length)
  )
    out.push("by_weekday");
  if (md !== undefined && (freq !== "MONTHLY" || !isInt(md, (n) => n === -1 || (n >= 1 && n <= 31)))) {
    out.push("by_month_day");
  }
  if (nw !== undefined && (freq !== "MONTHLY" || !isWeekday(nw.weekday) || !isInt(nw.nth, (n) => n === -1 || (n >= 1 && n <= 5)))) out.push("nth");
  if (md !== undefined && nw !== undefined) out.push("monthly_pattern");
  return out;
}

/** Problem codes for the series form; empty when the rule is usable with this start date. */
export function validateRule(rule: RecurrenceRule, startDate: string): string[] {
  const out = ruleProblems(rule);
  const start = parseDay(startDate);
  const until = parseDay(rule.until);
  if (start === null) out.push("start_date");
  if (start !== null && until !== null && until < start) out.push("until_before_start");
  return out;
}

function assertRule(rule: RecurrenceRule): void {
  const problems = ruleProblems(rule);
  if (problems.length > 0) throw new RecurrenceError(`invalid recurrence rule: ${problems.join(", ")}`);
}
function assertZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) throw new RecurrenceError(`unknown time zone: ${zone}`);
}

// --- Expansion ----------------------------------------------------------------------------
// Rules are walked period by period (day, Monday-based week, month), so a window far in the
// future is reached by arithmetic instead of by stepping through every day since DTSTART.

interface Series {
  spec: SeriesSpec;
  start: number;
  hour: number;
  minute: number;
  rule: RecurrenceRule | null;
  weekdays: number[]; // WEEKLY: sorted weekday indices
  monthDay: number; // MONTHLY without byNthWeekday: 1..31 or -1
  until: number;
  exdates: Set<string>;
}

function prepare(spec: SeriesSpec): Series {
  const start = parseDay(spec.startDate);
  if (start === null) throw new RecurrenceError(`invalid startDate: ${spec.startDate}`);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.startTime);
  if (!t) throw new RecurrenceError(`invalid startTime: ${spec.startTime}`);
  if (!Number.isFinite(spec.durationMinutes) || spec.durationMinutes < 0) {
    throw new RecurrenceError(`invalid durationMinutes: ${spec.durationMinutes}`);
  }
  assertZone(spec.timeZone);
  // Only structural problems are fatal: an UNTIL before the start (e.g. a series ended before
  // it began) is simply an empty series.
  if (spec.rule) assertRule(spec.rule);
  const rule = spec.rule;
  return {
    spec,
    start,
    rule,
    hour: Number(t[1]),
    minute: Number(t[2]),
    weekdays: (rule?.byWeekday?.map((w) => WEEKDAYS.indexOf(w)) ?? [weekdayOf(start)]).sort((a, b) => a - b),
    monthDay: rule?.byMonthDay ?? ymd(start).d,
    until: parseDay(rule?.until) ?? Infinity,
    exdates: new Set(spec.exdates),
  };
}

function periodOf(freq: Freq, day: number): number {
  if (freq === "DAILY") return day;
  if (freq === "WEEKLY") return Math.floor((day + 3) / 7); // WKST=MO: week 0 starts on day -3
  const { y, m } = ymd(day);
  return y * 12 + m - 1;
}

/** Days of period p, the first one and the matching ones (ascending). Invalid dates are skipped, never clamped. */
function period(s: Series, freq: Freq, p: number): { first: number; days: number[] } {
  if (freq === "DAILY") return { first: p, days: [p] };
  if (freq === "WEEKLY") return { first: p * 7 - 3, days: s.weekdays.map((w) => p * 7 - 3 + w) };
  const [y, m] = [Math.floor(p / 12), (((p % 12) + 12) % 12) + 1];
  const first = dayOf(y, m, 1);
  const dim = daysInMonth(y, m);
  const nw = s.rule?.byNthWeekday;
  let d = s.monthDay === -1 ? dim : s.monthDay;
  if (nw) {
    const wd = WEEKDAYS.indexOf(nw.weekday);
    d = nw.nth > 0 ? 1 + ((wd - weekdayOf(first) + 7) % 7) + (nw.nth - 1) * 7 : dim - ((weekdayOf(first + dim - 1) - wd + 7) % 7);
  }
  return { first, days: d <= dim ? [first + d - 1] : [] };
}

/** Occurrence days up to `last` (inclusive) that may reach `from`, honouring COUNT, minus exdates. */
function* occurrenceDays(s: Series, from: number, last: number): Generator<number> {
  const { rule, start } = s;
  const end = Math.min(last, s.until);
  if (!rule) {
    if (start <= end && !s.exdates.has(isoOf(start))) yield start;
    return;
  }
  const firstPeriod = periodOf(rule.freq, start);
  let p = firstPeriod;
  // COUNT is anchored at DTSTART, so with COUNT every earlier instance must be counted;
  // without it, jump straight to the first in-interval period that can reach `from`.
  if (rule.count === undefined && from > start) {
    p += Math.ceil((periodOf(rule.freq, from) - firstPeriod) / rule.interval) * rule.interval;
  }
  let seen = 0;
  for (; ; p += rule.interval) {
    const { first, days } = period(s, rule.freq, p);
    if (first > end) return;
    for (const day of days) {
      if (day < start) continue;
      if (day > end) return;
      // Exdates are dropped after counting: RFC 5545 does not give COUNT back for EXDATEs.
      if (!s.exdates.has(isoOf(day))) yield day;
      if (++seen === rule.count) return;
    }
  }
}

/**
 * Wall-clock time in the series' zone, resolved as RFC 5545 §3.3.5 prescribes:
 * - a time inside a spring-forward gap takes the offset before the gap, i.e. it moves forward
 *   by the gap length (02:30 -> 03:30 in New York); luxon already does exactly this;
 * - an ambiguous fall-back time means its first occurrence (the pre-change offset), whereas
 *   luxon picks the later one, so that case is corrected here.
 */
function occurrenceOn(s: Series, day: number): Occurrence {
  const { y, m, d } = ymd(day);
  const zone = s.spec.timeZone;
  const dt = DateTime.fromObject({ year: y, month: m, day: d, hour: s.hour, minute: s.minute }, { zone });
  let ms = dt.toMillis();
  const before = DateTime.fromMillis(ms - DAY_MS, { zone }).offset;
  if (before > dt.offset) {
    const alt = DateTime.fromMillis(ms - (before - dt.offset) * 60_000, { zone });
    if (alt.day === d && alt.hour === s.hour && alt.minute === s.minute) ms = alt.toMillis();
  }
  // Duration is elapsed time: a 60-minute visit lasts 60 real minutes even across a DST change.
  return { key: isoOf(day), startsAt: new Date(ms), endsAt: new Date(ms + s.spec.durationMinutes * 60_000) };
}

/** Occurrences whose start lies in [from, to), ascending. Independent of the window. */
export function expandSeries(spec: SeriesSpec, from: Date, to: Date): Occurrence[] {
  const s = prepare(spec);
  // A day of slack below: a gap shift can push an occurrence's instant onto the next local day.
  const lo = localDay(from, spec.timeZone) - 1;
  const hi = localDay(to, spec.timeZone);
  const out: Occurrence[] = [];
  for (const day of occurrenceDays(s, lo, hi)) {
    const occ = occurrenceOn(s, day);
    if (occ.startsAt >= from && occ.startsAt < to) out.push(occ);
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** The next n occurrences starting at or after `from`, looking ahead at most ~20 years. */
export function nextOccurrences(spec: SeriesSpec, from: Date, n: number): Occurrence[] {
  const s = prepare(spec);
  const lo = localDay(from, spec.timeZone) - 1;
  const out: Occurrence[] = [];
  if (!(n >= 1)) return out;
  for (const day of occurrenceDays(s, lo, Math.max(lo, s.start) + SCAN_DAYS)) {
    const occ = occurrenceOn(s, day);
    if (occ.startsAt >= from && out.push(occ) >= n) break;
  }
  return out;
}

// --- RRULE text ---------------------------------------------------------------------------

const UTC_STAMP = "yyyyMMdd'T'HHmmss'Z'";

/** RRULE value (no "RRULE:" prefix). UNTIL is the end of the until-day in UTC, per RFC 5545. */
export function formatRRule(rule: RecurrenceRule, timeZone: string): string {
  assertRule(rule);
  assertZone(timeZone);
  const parts = [`FREQ=${rule.freq}`, `INTERVAL=${rule.interval}`];
  if (rule.byWeekday) parts.push(`BYDAY=${rule.byWeekday.join(",")}`);
  if (rule.byNthWeekday) parts.push(`BYDAY=${rule.byNthWeekday.nth}${rule.byNthWeekday.weekday}`);
  if (rule.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) {
    // The second before the next local midnight: 23:59:59, except where a DST gap swallows
    // the end of the day and a literal 23:59:59 would land on the following day.
    const next = isoOf((parseDay(rule.until) ?? 0) + 1);
    parts.push(`UNTIL=${DateTime.fromISO(next, { zone: timeZone }).minus({ seconds: 1 }).toUTC().toFormat(UTC_STAMP)}`);
  }
  return parts.join(";");
}

const SUPPORTED_PARTS = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"]);

/** Inverse of formatRRule (also accepts UNTIL=YYYYMMDD); rejects anything outside the subset. */
export function parseRRule(text: string, timeZone: string): RecurrenceRule {
  assertZone(timeZone);
  function fail(why: string): never {
    throw new RecurrenceError(`unsupported RRULE "${text}": ${why}`);
  }
  const fields = new Map<string, string>();
  // Names and values are case-insensitive in RFC 5545; tolerate the prefix and a stray ';'.
  for (const part of text
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, "")
    .split(";")) {
    if (part === "") continue;
    const [key = "", value = "", ...extra] = part.split("=");
    if (value === "" || extra.length > 0) fail(`malformed part ${part}`);
    if (!SUPPORTED_PARTS.has(key)) fail(`${key} is not supported`);
    if (fields.has(key)) fail(`${key} repeated`);
    fields.set(key, value);
  }
  const int = (key: string, re: RegExp): number | undefined => {
    const v = fields.get(key);
    return v === undefined ? undefined : re.test(v) ? Number(v) : fail(`bad ${key}`);
  };

  const freq = fields.get("FREQ") as Freq | undefined;
  if (!freq || !FREQS.includes(freq)) return fail("FREQ must be DAILY, WEEKLY or MONTHLY");
  // Another week start would change which weeks an INTERVAL>1 weekly rule selects.
  if ((fields.get("WKST") ?? "MO") !== "MO") fail("only WKST=MO is supported");
  const rule: RecurrenceRule = { freq, interval: int("INTERVAL", /^\d+$/) ?? 1 };

  const byDay = fields.get("BYDAY");
  if (byDay !== undefined && freq === "WEEKLY") {
    rule.byWeekday = byDay.split(",").map((w) => (isWeekday(w) ? w : fail(`bad weekday ${w}`)));
  } else if (byDay !== undefined && freq === "MONTHLY") {
    const m = /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay) ?? fail("MONTHLY BYDAY must be one ordinal weekday, e.g. 2TU");
    rule.byNthWeekday = { nth: Number(m[1]), weekday: m[2] as Weekday };
  } else if (byDay !== undefined) {
    fail("BYDAY is only supported with WEEKLY or MONTHLY");
  }
  const byMonthDay = int("BYMONTHDAY", /^[+-]?\d{1,2}$/);
  if (byMonthDay !== undefined) rule.byMonthDay = byMonthDay;
  const count = int("COUNT", /^\d+$/);
  if (count !== undefined) rule.count = count;
  const until = fields.get("UNTIL");
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z)?$/.exec(until) ?? fail("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ");
    rule.until = m[4]
      ? (DateTime.fromFormat(until, UTC_STAMP, { zone: "utc" }).setZone(timeZone).toISODate() ?? fail("bad UNTIL"))
      : `${m[1]}-${m[2]}-${m[3]}`;
  }
  assertRule(rule);
  return rule;
}
