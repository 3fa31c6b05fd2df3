import type { DateTime } from "luxon";

/**
 * Weekly availability windows, shared by the assignment check (a warning to staff) and the
 * suggestion (a rule), so that both agree on what "available" means: windows of one day are
 * merged first (09:00–12:00 and 12:00–14:00 cover 11:00–13:00), and a shift over midnight
 * must be covered on each local day it touches.
 */

/** Weekly availability in station-local time; endTime may be "24:00". */
export interface AvailabilityWindow {
  weekday: number;
  startTime: string;
  endTime: string;
}

/** A part of a shift inside one local day, in minutes after that day's midnight. */
export interface DayPart {
  date: string;
  weekday: number;
  from: number;
  to: number;
}

/** Per weekday (index 1 … 7): merged, sorted [from, to) windows in minutes. */
export type MergedWindows = [number, number][][];

/** "HH:MM" → minutes after midnight ("24:00" → 1440). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function mergeWindows(windows: readonly AvailabilityWindow[]): MergedWindows {
  const byDay: MergedWindows = Array.from({ length: 8 }, () => []);
  for (const w of windows) byDay[w.weekday]?.push([clockMinutes(w.startTime), clockMinutes(w.endTime)]);
  return byDay.map((list) => {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: [number, number][] = [];
    for (const [from, to] of list) {
      const last = merged[merged.length - 1];
      // Adjacent windows (08:00–12:00, 12:00–18:00) make one long one.
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    return merged;
  });
}

/** Splits a shift (both ends in the station's zone) at local midnights. */
export function dayParts(start: DateTime, end: DateTime): DayPart[] {
  const date = (d: DateTime) => `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
  // Nearly every shift stays within one local day: no further zone arithmetic then.
  if (date(start) === date(end))
    return [{ date: date(start), weekday: start.weekday, from: start.hour * 60 + start.minute, to: end.hour * 60 + end.minute }];
  const parts: DayPart[] = [];
  let cursor = start;
  while (cursor < end) {
    const midnight = cursor.startOf("day");
    const next = midnight.plus({ days: 1 });
    const until = end < next ? end : next;
    parts.push({
      date: date(cursor),
      weekday: cursor.weekday,
      from: cursor.hour * 60 + cursor.minute,
      to: until.equals(next) ? 1440 : until.hour * 60 + until.minute,
    });
    cursor = until;
  }
  return parts;
}

export function coversPart(windows: MergedWindows, part: DayPart): boolean {
  return (windows[part.weekday] ?? []).some(([from, to]) => from <= part.from && part.to <= to);
}

/** Is the shift inside the windows? None declared: nothing to compare with, so yes. */
export function withinWindows(windows: readonly AvailabilityWindow[], start: DateTime, end: DateTime): boolean {
  if (!windows.length) return true;
  const merged = mergeWindows(windows);
  return dayParts(start, end).every((part) => coversPart(merged, part));
}
