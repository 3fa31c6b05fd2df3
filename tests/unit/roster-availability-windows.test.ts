// The one reading of weekly availability windows, used by assign's warning and the suggestion.
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { clockMinutes, dayParts, mergeWindows, withinWindows } from "../../models/rosters/availability-windows";

const ZONE = "Asia/Shanghai";
// 2026-12-07 is a Monday (weekday 1).
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });

describe("availability windows", () => {
  it("reads clock times, 24:00 included", () => {
    expect([clockMinutes("00:00"), clockMinutes("09:30"), clockMinutes("24:00")]).toEqual([0, 570, 1440]);
  });

  it("merges touching and overlapping windows of a day, keeps apart ones and other days", () => {
    const merged = mergeWindows([
      { weekday: 1, startTime: "12:00", endTime: "14:00" },
      { weekday: 1, startTime: "09:00", endTime: "12:00" },
      { weekday: 1, startTime: "13:00", endTime: "15:00" },
      { weekday: 1, startTime: "16:00", endTime: "17:00" },
      { weekday: 2, startTime: "09:00", endTime: "10:00" },
    ]);
    expect(merged[1]).toEqual([
      [540, 900],
      [960, 1020],
    ]);
    expect(merged[2]).toEqual([[540, 600]]);
    expect(merged[3]).toEqual([]);
  });

  it("09–12 and 12–14 together cover 11–13; a gap between windows does not", () => {
    const touching = [
      { weekday: 1, startTime: "09:00", endTime: "12:00" },
      { weekday: 1, startTime: "12:00", endTime: "14:00" },
    ];
    expect(withinWindows(touching, at("2026-12-07T11:00"), at("2026-12-07T13:00"))).toBe(true);
    const gap = [
      { weekday: 1, startTime: "09:00", endTime: "12:00" },
      { weekday: 1, startTime: "12:30", endTime: "14:00" },
    ];
    expect(withinWindows(gap, at("2026-12-07T11:00"), at("2026-12-07T13:00"))).toBe(false);
    // Another weekday's window does not count.
    expect(withinWindows(touching, at("2026-12-08T11:00"), at("2026-12-08T13:00"))).toBe(false);
    // None declared: no constraint.
    expect(withinWindows([], at("2026-12-07T03:00"), at("2026-12-07T04:00"))).toBe(true);
  });

  it("a shift over midnight must be covered on both days", () => {
    expect(dayParts(at("2026-12-07T22:00"), at("2026-12-08T01:00"))).toEqual([
      { date: "2026-12-07", weekday: 1, from: 1320, to: 1440 },
      { date: "2026-12-08", weekday: 2, from: 0, to: 60 },
    ]);
    const late = [{ weekday: 1, startTime: "20:00", endTime: "24:00" }];
    expect(withinWindows(late, at("2026-12-07T22:00"), at("2026-12-08T00:00"))).toBe(true);
    expect(withinWindows(late, at("2026-12-07T22:00"), at("2026-12-08T01:00"))).toBe(false);
    expect(withinWindows([...late, { weekday: 2, startTime: "00:00", endTime: "02:00" }], at("2026-12-07T22:00"), at("2026-12-08T01:00"))).toBe(true);
  });
});
