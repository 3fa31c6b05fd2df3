import { DateTime } from "luxon";
import { InvalidReportPeriod } from "../desk/errors";

export interface MonthPeriod {
  /** "2026-12" */
  month: string;
  year: number;
  monthNumber: number;
  /** First and last local day, "YYYY-MM-DD". */
  firstDay: string;
  lastDay: string;
  /** The month's bounds as instants, in the station's zone: [from, to). */
  from: Date;
  to: Date;
  days: number;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** "2026-12" → the month at the station; malformed (2026-13) or still to come → InvalidReportPeriod. */
export function parseMonth(month: unknown, zone: string, now: Date): MonthPeriod {
  const match = typeof month === "string" ? MONTH.exec(month) : null;
  if (!match) throw new InvalidReportPeriod("format");
  const year = Number(match[1]);
  const monthNumber = Number(match[2]);
  if (year < 2000 || year > 2100 || monthNumber < 1 || monthNumber > 12) throw new InvalidReportPeriod("format");
  const start = DateTime.fromObject({ year, month: monthNumber, day: 1 }, { zone });
  if (start > DateTime.fromJSDate(now, { zone }).startOf("month")) throw new InvalidReportPeriod("future");
  return monthPeriod(start);
}

export function monthPeriod(start: DateTime): MonthPeriod {
  const end = start.plus({ months: 1 });
  return {
    month: start.toFormat("yyyy-MM"),
    year: start.year,
    monthNumber: start.month,
    firstDay: start.toISODate()!,
    lastDay: end.minus({ days: 1 }).toISODate()!,
    from: start.toJSDate(),
    to: end.toJSDate(),
    days: start.daysInMonth!,
  };
}

/** A year for the trend: 2000–2100 and not still to come. */
export function parseYear(year: unknown, zone: string, now: Date): number {
  const value = typeof year === "string" && /^\d{4}$/.test(year) ? Number(year) : typeof year === "number" ? year : NaN;
  if (!Number.isInteger(value) || value < 2000 || value > 2100) throw new InvalidReportPeriod("format");
  if (value > DateTime.fromJSDate(now, { zone }).year) throw new InvalidReportPeriod("future");
  return value;
}

export type AgeBand = "under60" | "60to69" | "70to79" | "80plus" | "unknown";
export const AGE_BANDS: readonly AgeBand[] = ["under60", "60to69", "70to79", "80plus", "unknown"];

/** The band of a person in a year, from their birth year alone (what the station knows). */
export function ageBand(birthYear: number | null, year: number): AgeBand {
  if (birthYear === null) return "unknown";
  const age = year - birthYear;
  return age < 60 ? "under60" : age < 70 ? "60to69" : age < 80 ? "70to79" : "80plus";
}
