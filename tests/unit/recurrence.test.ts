import { describe, it, expect } from "vitest";
import { DateTime } from "luxon";
import {
  WEEKDAYS,
  RecurrenceError,
  expandSeries,
  formatRRule,
  nextOccurrences,
  parseRRule,
  validateRule,
  type Occurrence,
  type RecurrenceRule,
  type SeriesSpec,
} from "../../models/recurrence.js";

const SH = "Asia/Shanghai";
const NY = "America/New_York";
const BERLIN = "Europe/Berlin";

function series(rule: RecurrenceRule | null, overrides: Partial<SeriesSpec> = {}): SeriesSpec {
  return {
    rule,
    startDate: "2024-01-01",
    startTime: "07:30",
    durationMinutes: 30,
    timeZone: SH,
    exdates: [],
    ...overrides,
  };
}

/** Midnight of a local date in a zone, as an instant. */
const at = (iso: string, zone = SH): Date => DateTime.fromISO(iso, { zone }).toJSDate();
const keys = (occ: Occurrence[]): string[] => occ.map((o) => o.key);
const local = (o: Occurrence, zone = SH): string => DateTime.fromJSDate(o.startsAt, { zone }).toFormat("yyyy-MM-dd HH:mm");
const expandYear = (spec: SeriesSpec, year: number): Occurrence[] =>
  expandSeries(spec, at(`${year}-01-01`, spec.timeZone), at(`${year + 1}-01-01`, spec.timeZone));

describe("instants and local rendering", () => {
  it("maps 07:30 Asia/Shanghai to 23:30Z the previous day, keyed by the local date", () => {
    const occ = expandSeries(
      series({ freq: "DAILY", interval: 1 }, { startDate: "2024-03-01", durationMinutes: 45 }),
      new Date("2024-02-29T00:00:00Z"),
      new Date("2024-03-03T00:00:00Z"),
    );
    expect(occ.map((o) => [o.key, o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ["2024-03-01", "2024-02-29T23:30:00.000Z", "2024-03-01T00:15:00.000Z"],
      ["2024-03-02", "2024-03-01T23:30:00.000Z", "2024-03-02T00:15:00.000Z"],
      // Starts on 2024-03-02 in UTC, yet it is the 2024-03-03 occurrence.
      ["2024-03-03", "2024-03-02T23:30:00.000Z", "2024-03-03T00:15:00.000Z"],
    ]);
    expect(occ.map((o) => local(o))).toEqual(["2024-03-01 07:30", "2024-03-02 07:30", "2024-03-03 07:30"]);
  });

  it("treats the window as half-open instants [from, to)", () => {
    const spec = series({ freq: "DAILY", interval: 1 });
    const exact = new Date("2024-01-01T23:30:00Z"); // 2024-01-02 07:30 Shanghai
    expect(keys(expandSeries(spec, exact, new Date("2024-01-02T23:30:00Z")))).toEqual(["2024-01-02"]);
    expect(keys(expandSeries(spec, new Date("2024-01-01T00:00:00Z"), exact))).toEqual([]);
    expect(expandSeries(spec, exact, exact)).toEqual([]);
  });

  it("exports weekdays in RFC order starting Monday", () => {
    expect(WEEKDAYS).toEqual(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
  });
});

describe("DST zones keep the wall-clock time", () => {
  it("keeps 07:30 New York local across the spring and autumn changes", () => {
    const spec = series(
      { freq: "WEEKLY", interval: 1, byWeekday: ["SA", "SU"] },
      {
        timeZone: NY,
        startDate: "2024-03-09",
      },
    );
    const occ = expandSeries(spec, at("2024-03-09", NY), at("2024-03-11", NY));
    expect(occ.map((o) => o.startsAt.toISOString())).toEqual([
      "2024-03-09T12:30:00.000Z", // EST, UTC-5
      "2024-03-10T11:30:00.000Z", // EDT, UTC-4
    ]);
    expect(occ.map((o) => local(o, NY))).toEqual(["2024-03-09 07:30", "2024-03-10 07:30"]);
    const autumn = expandSeries(spec, at("2024-11-02", NY), at("2024-11-04", NY));
    expect(autumn.map((o) => o.startsAt.toISOString())).toEqual(["2024-11-02T11:30:00.000Z", "2024-11-03T12:30:00.000Z"]);
  });

  it("moves a non-existent spring-forward time forward by the gap (02:30 -> 03:30)", () => {
    const spec = series({ freq: "DAILY", interval: 1 }, { timeZone: NY, startDate: "2024-03-09", startTime: "02:30" });
    const occ = expandSeries(spec, at("2024-03-09", NY), at("2024-03-12", NY));
    expect(occ.map((o) => [o.key, o.startsAt.toISOString()])).toEqual([
      ["2024-03-09", "2024-03-09T07:30:00.000Z"],
      ["2024-03-10", "2024-03-10T07:30:00.000Z"],
      ["2024-03-11", "2024-03-11T06:30:00.000Z"],
    ]);
    expect(local(occ[1]!, NY)).toBe("2024-03-10 03:30");
  });

  it("resolves an ambiguous fall-back time to its first occurrence (RFC 5545)", () => {
    const ny = series(null, { timeZone: NY, startDate: "2024-11-03", startTime: "01:30", durationMinutes: 60 });
    const [o] = expandSeries(ny, at("2024-11-03", NY), at("2024-11-04", NY));
    expect(o?.startsAt.toISOString()).toBe("2024-11-03T05:30:00.000Z"); // 01:30 EDT
    expect(o?.endsAt.toISOString()).toBe("2024-11-03T06:30:00.000Z"); // 60 elapsed minutes
    const berlin = series(null, { timeZone: BERLIN, startDate: "2024-10-27", startTime: "02:30" });
    expect(nextOccurrences(berlin, at("2024-10-27", BERLIN), 1)[0]?.startsAt.toISOString()).toBe(
      "2024-10-27T00:30:00.000Z", // 02:30 CEST
    );
  });

  it("handles the Europe/Berlin spring gap and ordinary days around it", () => {
    const spec = series({ freq: "DAILY", interval: 1 }, { timeZone: BERLIN, startDate: "2024-03-30", startTime: "02:30" });
    expect(nextOccurrences(spec, at("2024-03-30", BERLIN), 3).map((o) => o.startsAt.toISOString())).toEqual([
      "2024-03-30T01:30:00.000Z",
      "2024-03-31T01:30:00.000Z", // 03:30 CEST
      "2024-04-01T00:30:00.000Z",
    ]);
  });
});

describe("DAILY", () => {
  it("steps every N days from the start date", () => {
    const spec = series({ freq: "DAILY", interval: 3 }, { startDate: "2024-02-25" });
    expect(keys(expandSeries(spec, at("2024-02-20"), at("2024-03-10")))).toEqual([
      "2024-02-25",
      "2024-02-28",
      "2024-03-02",
      "2024-03-05",
      "2024-03-08",
    ]);
  });

  it("stays aligned to the start date when the window starts far later", () => {
    const spec = series({ freq: "DAILY", interval: 7 }, { startDate: "2024-01-03" }); // Wednesdays
    const occ = expandSeries(spec, at("2031-06-01"), at("2031-06-30"));
    expect(keys(occ)).toEqual(["2031-06-04", "2031-06-11", "2031-06-18", "2031-06-25"]);
  });
});

describe("WEEKLY", () => {
  it("every 2 weeks on MO, WE, FR, counting weeks from the start week (WKST=MO)", () => {
    const spec = series({ freq: "WEEKLY", interval: 2, byWeekday: ["FR", "MO", "WE"] }, { startDate: "2024-01-03" });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2024-02-01")))).toEqual([
      // Monday 2024-01-01 is in the first week but before the start date, so it is not produced.
      "2024-01-03",
      "2024-01-05",
      "2024-01-15",
      "2024-01-17",
      "2024-01-19",
      "2024-01-29",
      "2024-01-31",
    ]);
  });

  it("keeps the biweekly phase in a window years later", () => {
    const spec = series({ freq: "WEEKLY", interval: 2, byWeekday: ["TU"] }, { startDate: "2024-01-02" });
    // 2024-01-02 + 2 weeks * 130 = 2028-12-26; the in-between week is off.
    expect(keys(expandSeries(spec, at("2028-12-20"), at("2029-01-20")))).toEqual(["2028-12-26", "2029-01-09"]);
  });

  it("splits weeks on Monday, so SU belongs to the week before the following MO", () => {
    // RFC 5545's own WKST example: with WKST=SU this would give 01-07, 01-08, 01-21, 01-22.
    const spec = series({ freq: "WEEKLY", interval: 2, byWeekday: ["SU", "MO"], count: 5 }, { startDate: "2024-01-07" });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2024-03-01")))).toEqual([
      "2024-01-07",
      "2024-01-15",
      "2024-01-21",
      "2024-01-29",
      "2024-02-04",
    ]);
  });

  it("defaults to the weekday of the start date", () => {
    const spec = series({ freq: "WEEKLY", interval: 1 }, { startDate: "2024-05-01" }); // Wednesday
    expect(keys(nextOccurrences(spec, at("2024-01-01"), 3))).toEqual(["2024-05-01", "2024-05-08", "2024-05-15"]);
  });
});

describe("MONTHLY", () => {
  it("2nd Tuesday", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 2, weekday: "TU" } });
    expect(keys(expandYear(spec, 2024))).toEqual([
      "2024-01-09",
      "2024-02-13",
      "2024-03-12",
      "2024-04-09",
      "2024-05-14",
      "2024-06-11",
      "2024-07-09",
      "2024-08-13",
      "2024-09-10",
      "2024-10-08",
      "2024-11-12",
      "2024-12-10",
    ]);
  });

  it("last Friday (-1FR)", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: -1, weekday: "FR" } });
    expect(keys(expandYear(spec, 2024))).toEqual([
      "2024-01-26",
      "2024-02-23",
      "2024-03-29",
      "2024-04-26",
      "2024-05-31",
      "2024-06-28",
      "2024-07-26",
      "2024-08-30",
      "2024-09-27",
      "2024-10-25",
      "2024-11-29",
      "2024-12-27",
    ]);
  });

  it("5th Thursday skips months without one", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 5, weekday: "TH" } });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2026-01-01")))).toEqual([
      "2024-02-29",
      "2024-05-30",
      "2024-08-29",
      "2024-10-31",
      "2025-01-30",
      "2025-05-29",
      "2025-07-31",
      "2025-10-30",
    ]);
  });

  it("last day of month (-1), in a leap and a non-leap February", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byMonthDay: -1 }, { startDate: "2023-12-01" });
    expect(keys(expandSeries(spec, at("2023-12-01"), at("2024-05-01")))).toEqual([
      "2023-12-31",
      "2024-01-31",
      "2024-02-29",
      "2024-03-31",
      "2024-04-30",
    ]);
    expect(keys(expandSeries(spec, at("2025-02-01"), at("2025-03-01")))).toEqual(["2025-02-28"]);
  });

  it("the 31st skips short months instead of clamping (leap and non-leap February)", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byMonthDay: 31 }, { startDate: "2023-01-01" });
    expect(keys(expandSeries(spec, at("2023-01-01"), at("2024-05-01")))).toEqual([
      "2023-01-31",
      "2023-03-31",
      "2023-05-31",
      "2023-07-31",
      "2023-08-31",
      "2023-10-31",
      "2023-12-31",
      "2024-01-31",
      "2024-03-31",
    ]);
  });

  it("defaults to the start date's day of month, so a start on the 31st also skips", () => {
    const spec = series({ freq: "MONTHLY", interval: 1 }, { startDate: "2024-01-31" });
    expect(keys(nextOccurrences(spec, at("2024-01-01"), 4))).toEqual(["2024-01-31", "2024-03-31", "2024-05-31", "2024-07-31"]);
  });

  it("BYMONTHDAY=30 never lands in February; 29 does only in leap years", () => {
    const d30 = series({ freq: "MONTHLY", interval: 1, byMonthDay: 30 }, { startDate: "2023-01-01" });
    expect(keys(expandSeries(d30, at("2023-01-01"), at("2023-04-01")))).toEqual(["2023-01-30", "2023-03-30"]);
    expect(keys(expandSeries(d30, at("2024-01-01"), at("2024-04-01")))).toEqual(["2024-01-30", "2024-03-30"]);
    const d29 = series({ freq: "MONTHLY", interval: 1, byMonthDay: 29 }, { startDate: "2023-01-01" });
    expect(keys(expandSeries(d29, at("2023-02-01"), at("2023-03-01")))).toEqual([]);
    expect(keys(expandSeries(d29, at("2024-02-01"), at("2024-03-01")))).toEqual(["2024-02-29"]);
  });

  it("every 3 months from the start month", () => {
    const spec = series({ freq: "MONTHLY", interval: 3, byMonthDay: 15 }, { startDate: "2024-02-10" });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2025-06-01")))).toEqual([
      "2024-02-15",
      "2024-05-15",
      "2024-08-15",
      "2024-11-15",
      "2025-02-15",
      "2025-05-15",
    ]);
    expect(keys(expandSeries(spec, at("2030-01-01"), at("2030-12-31")))).toEqual(["2030-02-15", "2030-05-15", "2030-08-15", "2030-11-15"]);
  });
});

describe("DTSTART that does not match the rule", () => {
  it("is not an occurrence, and COUNT starts at the first match", () => {
    const spec = series({ freq: "WEEKLY", interval: 1, byWeekday: ["MO"], count: 2 }, { startDate: "2024-01-03" });
    expect(keys(expandSeries(spec, at("2023-12-01"), at("2024-03-01")))).toEqual(["2024-01-08", "2024-01-15"]);
  });

  it("monthly on the 15th starting on the 20th begins next month", () => {
    const spec = series({ freq: "MONTHLY", interval: 1, byMonthDay: 15 }, { startDate: "2024-01-20" });
    expect(keys(nextOccurrences(spec, at("2024-01-01"), 2))).toEqual(["2024-02-15", "2024-03-15"]);
  });
});

describe("COUNT, UNTIL and exdates", () => {
  it("COUNT limits the total from the start, independent of the window", () => {
    const spec = series({ freq: "DAILY", interval: 2, count: 4 });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2024-12-31")))).toEqual(["2024-01-01", "2024-01-03", "2024-01-05", "2024-01-07"]);
    expect(keys(expandSeries(spec, at("2024-01-04"), at("2024-12-31")))).toEqual(["2024-01-05", "2024-01-07"]);
    expect(expandSeries(spec, at("2024-01-08"), at("2025-01-01"))).toEqual([]);
  });

  it("UNTIL is inclusive of the until-day", () => {
    const daily = series({ freq: "DAILY", interval: 1, until: "2024-01-04" }, { startTime: "23:45" });
    expect(keys(expandSeries(daily, at("2023-12-01"), at("2024-02-01")))).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]);
    const monthly = series({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 2, weekday: "TU" }, until: "2024-03-12" });
    expect(keys(expandSeries(monthly, at("2024-01-01"), at("2025-01-01")))).toEqual(["2024-01-09", "2024-02-13", "2024-03-12"]);
  });

  it("exdates remove occurrences and do not give COUNT back", () => {
    const spec = series({ freq: "DAILY", interval: 1, count: 5 }, { exdates: ["2024-01-02", "2024-01-05", "2024-02-01"] });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2024-03-01")))).toEqual(["2024-01-01", "2024-01-03", "2024-01-04"]);
    expect(keys(nextOccurrences(spec, at("2024-01-01"), 10))).toEqual(["2024-01-01", "2024-01-03", "2024-01-04"]);
  });

  it("exdates apply to weekly series without COUNT", () => {
    const spec = series({ freq: "WEEKLY", interval: 1, byWeekday: ["MO", "TH"] }, { exdates: ["2024-01-04"] });
    expect(keys(expandSeries(spec, at("2024-01-01"), at("2024-01-09")))).toEqual(["2024-01-01", "2024-01-08"]);
  });
});

describe("one-off series (rule null)", () => {
  const spec = series(null, { startDate: "2024-06-15", startTime: "14:00", durationMinutes: 90 });

  it("yields only the start date", () => {
    const occ = expandSeries(spec, at("2024-01-01"), at("2025-01-01"));
    expect(occ.map((o) => [o.key, o.startsAt.toISOString(), o.endsAt.toISOString()])).toEqual([
      ["2024-06-15", "2024-06-15T06:00:00.000Z", "2024-06-15T07:30:00.000Z"],
    ]);
    expect(nextOccurrences(spec, at("2024-01-01"), 5)).toHaveLength(1);
  });

  it("yields nothing outside the window or when excluded", () => {
    expect(expandSeries(spec, at("2024-06-16"), at("2025-01-01"))).toEqual([]);
    expect(nextOccurrences(spec, new Date("2024-06-15T06:00:01Z"), 5)).toEqual([]);
    expect(expandSeries({ ...spec, exdates: ["2024-06-15"] }, at("2024-01-01"), at("2025-01-01"))).toEqual([]);
  });
});

describe("window independence (horizon extension)", () => {
  const specs: [string, SeriesSpec][] = [
    ["daily", series({ freq: "DAILY", interval: 1 })],
    ["daily count + exdates", series({ freq: "DAILY", interval: 3, count: 40 }, { exdates: ["2024-01-04", "2024-02-06"] })],
    ["weekly x2", series({ freq: "WEEKLY", interval: 2, byWeekday: ["MO", "WE", "FR"] }, { startDate: "2024-01-03" })],
    ["weekly count", series({ freq: "WEEKLY", interval: 3, byWeekday: ["SU", "SA"], count: 17 }, { startDate: "2024-01-06" })],
    ["monthly nth until", series({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 5, weekday: "TH" }, until: "2026-10-30" })],
    ["monthly 31 x2", series({ freq: "MONTHLY", interval: 2, byMonthDay: 31 })],
    ["monthly last, NY", series({ freq: "MONTHLY", interval: 1, byMonthDay: -1, count: 20 }, { timeZone: NY, startTime: "01:30" })],
  ];
  // Cuts at midnight, at an exact occurrence start (07:30 Shanghai = 23:30Z) and mid-day.
  const a = new Date("2023-12-25T00:00:00Z");
  const cuts = [new Date("2024-01-14T23:30:00Z"), new Date("2024-03-01T16:00:00Z"), new Date("2024-11-03T05:30:00Z")];
  const c = new Date("2027-01-01T00:00:00Z");

  for (const [name, spec] of specs) {
    it(`${name}: [a,b) + [b,c) equals [a,c) with unique keys`, () => {
      const whole = expandSeries(spec, a, c);
      expect(whole.length).toBeGreaterThan(2);
      const bounds = [a, ...cuts, c];
      const pieces = bounds.slice(1).flatMap((to, i) => expandSeries(spec, bounds[i]!, to));
      expect(pieces).toEqual(whole);
      expect(new Set(keys(whole)).size).toBe(whole.length);
      expect(nextOccurrences(spec, cuts[0]!, 5)).toEqual(whole.filter((o) => o.startsAt >= cuts[0]!).slice(0, 5));
    });
  }

  it("stays window-independent when a gap pushes an occurrence onto the next local day", () => {
    // Samoa skipped 2011-12-30 entirely; RFC 5545 resolves 10:00 that day with the offset
    // before the gap, which is the same instant as 10:00 on the 31st.
    const apia = "Pacific/Apia";
    const spec = series({ freq: "DAILY", interval: 1 }, { timeZone: apia, startDate: "2011-12-28", startTime: "10:00" });
    const [a, b, c] = [at("2011-12-28", apia), at("2011-12-31", apia), at("2012-01-02", apia)];
    const whole = expandSeries(spec, a, c);
    expect(whole.map((o) => [o.key, o.startsAt.toISOString()])).toEqual([
      ["2011-12-28", "2011-12-28T20:00:00.000Z"],
      ["2011-12-29", "2011-12-29T20:00:00.000Z"],
      ["2011-12-30", "2011-12-30T20:00:00.000Z"],
      ["2011-12-31", "2011-12-30T20:00:00.000Z"],
      ["2012-01-01", "2011-12-31T20:00:00.000Z"],
    ]);
    expect([...expandSeries(spec, a, b), ...expandSeries(spec, b, c)]).toEqual(whole);
  });

  it("expanding one month of a 20-year daily series is fast", () => {
    const spec = series({ freq: "DAILY", interval: 1, until: "2044-01-01" });
    const started = performance.now();
    let occ: Occurrence[] = [];
    for (let i = 0; i < 200; i++) occ = expandSeries(spec, at("2043-06-01"), at("2043-07-01"));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(occ).toHaveLength(30);
    expect(occ[0]?.key).toBe("2043-06-01");
  });
});

describe("nextOccurrences", () => {
  it("returns the next n from a point inside the series", () => {
    const spec = series({ freq: "WEEKLY", interval: 1, byWeekday: ["TU", "TH"] });
    // 2024-01-09 07:30 Shanghai has already started at 00:00Z, so it is excluded.
    expect(keys(nextOccurrences(spec, new Date("2024-01-09T00:00:00Z"), 3))).toEqual(["2024-01-11", "2024-01-16", "2024-01-18"]);
    expect(nextOccurrences(spec, at("2024-01-01"), 0)).toEqual([]);
  });

  it("terminates for ended rules and for rules that never match", () => {
    const ended = series({ freq: "DAILY", interval: 1, until: "2024-01-03" });
    expect(keys(nextOccurrences(ended, at("2023-01-01"), 10))).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
    expect(nextOccurrences(ended, at("2030-01-01"), 10)).toEqual([]);
    // Every 12 months on the 30th, starting in February: never matches.
    const never = series({ freq: "MONTHLY", interval: 12, byMonthDay: 30 }, { startDate: "2024-02-01" });
    expect(nextOccurrences(never, at("2024-01-01"), 3)).toEqual([]);
  });
});

describe("formatRRule / parseRRule", () => {
  it("formats the subset", () => {
    expect(formatRRule({ freq: "WEEKLY", interval: 1, byWeekday: ["MO", "WE"], count: 10 }, SH)).toBe("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;COUNT=10");
    expect(formatRRule({ freq: "MONTHLY", interval: 2, byNthWeekday: { nth: 2, weekday: "TU" } }, SH)).toBe("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU");
    expect(formatRRule({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: -1, weekday: "FR" } }, SH)).toBe("FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR");
    expect(formatRRule({ freq: "MONTHLY", interval: 1, byMonthDay: -1 }, SH)).toBe("FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1");
  });

  it("writes UNTIL as the end of the until-day in UTC", () => {
    expect(formatRRule({ freq: "DAILY", interval: 1, until: "2024-03-31" }, SH)).toBe("FREQ=DAILY;INTERVAL=1;UNTIL=20240331T155959Z");
    expect(formatRRule({ freq: "DAILY", interval: 1, until: "2024-07-01" }, NY)).toBe("FREQ=DAILY;INTERVAL=1;UNTIL=20240702T035959Z");
  });

  const rules: RecurrenceRule[] = [
    { freq: "DAILY", interval: 1 },
    { freq: "DAILY", interval: 5, count: 3 },
    { freq: "WEEKLY", interval: 2, byWeekday: ["FR", "MO"], until: "2024-12-31" },
    { freq: "WEEKLY", interval: 1 },
    { freq: "MONTHLY", interval: 1, byMonthDay: 31, until: "2025-01-01" },
    { freq: "MONTHLY", interval: 3, byNthWeekday: { nth: 5, weekday: "TH" }, count: 8 },
    { freq: "MONTHLY", interval: 1, byNthWeekday: { nth: -1, weekday: "SU" }, until: "2024-03-31" },
  ];
  for (const zone of [SH, NY, BERLIN, "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]) {
    it(`round-trips in ${zone}`, () => {
      for (const rule of rules) expect(parseRRule(formatRRule(rule, zone), zone)).toEqual(rule);
    });
  }

  it("accepts date-only UNTIL, defaults, case and prefix variations", () => {
    expect(parseRRule("FREQ=DAILY;UNTIL=20240229", SH)).toEqual({ freq: "DAILY", interval: 1, until: "2024-02-29" });
    expect(parseRRule("RRULE:freq=weekly;byday=tu,th;wkst=MO", SH)).toEqual({
      freq: "WEEKLY",
      interval: 1,
      byWeekday: ["TU", "TH"],
    });
    expect(parseRRule("FREQ=MONTHLY;BYDAY=+2TU;", SH)).toEqual({
      freq: "MONTHLY",
      interval: 1,
      byNthWeekday: { nth: 2, weekday: "TU" },
    });
    // A UTC UNTIL is read as the local date in the series' zone.
    expect(parseRRule("FREQ=DAILY;UNTIL=20240331T200000Z", SH).until).toBe("2024-04-01");
    expect(parseRRule("FREQ=DAILY;UNTIL=20240331T200000Z", NY).until).toBe("2024-03-31");
  });

  it.each([
    "",
    "INTERVAL=2",
    "FREQ=YEARLY",
    "FREQ=HOURLY",
    "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    "FREQ=MONTHLY;BYMONTH=3;BYMONTHDAY=1",
    "FREQ=DAILY;COUNT=3;UNTIL=20240101",
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=DAILY;INTERVAL=-1",
    "FREQ=DAILY;COUNT=0",
    "FREQ=DAILY;COUNT=2.5",
    "FREQ=DAILY;FREQ=WEEKLY",
    "FREQ=DAILY;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=WEEKLY;BYDAY=2TU",
    "FREQ=WEEKLY;BYDAY=MO,MO",
    "FREQ=WEEKLY;WKST=SU",
    "FREQ=WEEKLY;BYMONTHDAY=3",
    "FREQ=MONTHLY;BYDAY=TU",
    "FREQ=MONTHLY;BYDAY=6TU",
    "FREQ=MONTHLY;BYDAY=0TU",
    "FREQ=MONTHLY;BYDAY=-2FR",
    "FREQ=MONTHLY;BYDAY=1MO,3MO",
    "FREQ=MONTHLY;BYMONTHDAY=32",
    "FREQ=MONTHLY;BYMONTHDAY=0",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=1MO",
    "FREQ=DAILY;UNTIL=20240230",
    "FREQ=DAILY;UNTIL=20240301T000000",
    "FREQ=DAILY;UNTIL=2024-03-01",
    "FREQ",
    "FREQ=DAILY;COUNT",
  ])("rejects %j", (text) => {
    expect(() => parseRRule(text, SH)).toThrow(RecurrenceError);
  });

  it("rejects invalid rules and zones when formatting", () => {
    expect(() => formatRRule({ freq: "DAILY", interval: 0 }, SH)).toThrow(RecurrenceError);
    expect(() => formatRRule({ freq: "DAILY", interval: 1 }, "Mars/Olympus")).toThrow(RecurrenceError);
    expect(() => parseRRule("FREQ=DAILY", "Mars/Olympus")).toThrow(RecurrenceError);
  });
});

describe("validateRule", () => {
  it("accepts valid rules", () => {
    expect(validateRule({ freq: "WEEKLY", interval: 2, byWeekday: ["MO"], until: "2024-01-01" }, "2024-01-01")).toEqual([]);
    expect(validateRule({ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: -1, weekday: "FR" }, count: 3 }, "2024-01-01")).toEqual([]);
    expect(validateRule({ freq: "MONTHLY", interval: 1, byMonthDay: -1 }, "2024-01-01")).toEqual([]);
  });

  it.each<[RecurrenceRule, string, string[]]>([
    [{ freq: "DAILY", interval: 0 }, "2024-01-01", ["interval"]],
    [{ freq: "DAILY", interval: 1.5 }, "2024-01-01", ["interval"]],
    [{ freq: "YEARLY" as "DAILY", interval: 1 }, "2024-01-01", ["freq"]],
    [{ freq: "DAILY", interval: 1, count: 0 }, "2024-01-01", ["count"]],
    [{ freq: "DAILY", interval: 1, count: 3, until: "2024-02-01" }, "2024-01-01", ["count_and_until"]],
    [{ freq: "DAILY", interval: 1, until: "2023-12-31" }, "2024-01-01", ["until_before_start"]],
    [{ freq: "DAILY", interval: 1, until: "2024-02-30" }, "2024-01-01", ["until"]],
    [{ freq: "MONTHLY", interval: 1, byMonthDay: 0 }, "2024-01-01", ["by_month_day"]],
    [{ freq: "MONTHLY", interval: 1, byMonthDay: -2 }, "2024-01-01", ["by_month_day"]],
    [{ freq: "WEEKLY", interval: 1, byMonthDay: 3 }, "2024-01-01", ["by_month_day"]],
    [{ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 6, weekday: "MO" } }, "2024-01-01", ["nth"]],
    [{ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 0, weekday: "MO" } }, "2024-01-01", ["nth"]],
    [{ freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 1, weekday: "XX" as "MO" } }, "2024-01-01", ["nth"]],
    [{ freq: "DAILY", interval: 1, byNthWeekday: { nth: 1, weekday: "MO" } }, "2024-01-01", ["nth"]],
    [{ freq: "WEEKLY", interval: 1, byWeekday: [] }, "2024-01-01", ["by_weekday"]],
    [{ freq: "WEEKLY", interval: 1, byWeekday: ["MO", "MO"] }, "2024-01-01", ["by_weekday"]],
    [{ freq: "MONTHLY", interval: 1, byWeekday: ["MO"] }, "2024-01-01", ["by_weekday"]],
    [{ freq: "MONTHLY", interval: 1, byMonthDay: 1, byNthWeekday: { nth: 1, weekday: "MO" } }, "2024-01-01", ["monthly_pattern"]],
    [{ freq: "DAILY", interval: 1 }, "2024-13-01", ["start_date"]],
    [{ freq: "DAILY", interval: 0, count: 1, until: "2023-01-01" }, "2024-01-01", ["interval", "count_and_until", "until_before_start"]],
  ])("%j from %s -> %j", (rule, start, codes) => {
    expect(validateRule(rule, start)).toEqual(codes);
  });
});

describe("invalid series specs", () => {
  it("throw RecurrenceError instead of looping or guessing", () => {
    const from = at("2024-01-01");
    const to = at("2024-02-01");
    expect(() => expandSeries(series({ freq: "DAILY", interval: 0 }), from, to)).toThrow(RecurrenceError);
    expect(() => expandSeries(series(null, { timeZone: "Nowhere/Land" }), from, to)).toThrow(RecurrenceError);
    expect(() => expandSeries(series(null, { startDate: "2024-02-30" }), from, to)).toThrow(RecurrenceError);
    expect(() => expandSeries(series(null, { startTime: "24:00" }), from, to)).toThrow(RecurrenceError);
    expect(() => nextOccurrences(series(null), new Date("nope"), 1)).toThrow(RecurrenceError);
  });

  it("an UNTIL before the start is an empty series rather than an error", () => {
    const spec = series({ freq: "DAILY", interval: 1, until: "2023-12-31" });
    expect(expandSeries(spec, at("2023-01-01"), at("2025-01-01"))).toEqual([]);
  });
});
