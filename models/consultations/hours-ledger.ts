import { and, eq, gte, isNull, or, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx, Tx } from "../db";
import { providerHours } from "../db/schema";
import { getConfig } from "../config";
import { CONSULTATION } from "../limits";
import { describePersonConflict, isCommitmentClash } from "../commitments";
import type { PersonConflict } from "../errors";

/**
 * Consultation hours in the commitments ledger (docs/decisions/0027-consultation-hours-commitments.md):
 * each local day of a provider's weekly hours is a row of kind 'hours', materialised from today to
 * the calendar's horizon like sessions are (ADR 2), and an extra stretch is one row written by its
 * own trigger. The engine then refuses hours over the provider's shifts, signups, consultations
 * had and other hours, and those over the hours, under concurrency; a consultation the provider
 * gives inside them is the one pair it allows.
 */

/**
 * The local days [today, today + horizon] the ledger holds weekly hours for: the calendar's
 * horizon, and never less than a service may book ahead (a booking needs its day of hours there).
 */
export function hoursHorizon(zone: string, now: Date): { fromDate: string; toDate: string } {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const days = Math.max(getConfig().CALENDAR_HORIZON_DAYS, CONSULTATION.bookAheadDays.max + 1);
  return { fromDate: today.toISODate()!, toDate: today.plus({ days }).toISODate()! };
}

/**
 * Writes the weekly hours' days in the range (less the provider's days off). Strict: a clash
 * fails the statement (23P01); otherwise days already there or clashing are left out, so that a
 * second run, or two workers at once, add nothing twice.
 */
export async function materialiseHours(db: DbOrTx, hoursId: number, range: { fromDate: string; toDate: string }, strict: boolean): Promise<number> {
  const result = await db.execute<{ added: number }>(
    sql`SELECT materialise_provider_hours(${hoursId}::int, ${range.fromDate}::date, ${range.toDate}::date, ${strict}) AS added`,
  );
  return Number(result.rows[0]?.added ?? 0);
}

/** Rolls every station's hours still running forward to the horizon (before the sessions, so a shift on a new day meets them). */
export async function extendHoursHorizon(db: Db, station: { id: number; timeZone: string }, now: Date): Promise<number> {
  const range = hoursHorizon(station.timeZone, now);
  const running = await db
    .select({ id: providerHours.id })
    .from(providerHours)
    .where(and(eq(providerHours.stationId, station.id), or(isNull(providerHours.untilDate), gte(providerHours.untilDate, range.fromDate))));
  let added = 0;
  for (const row of running) added += await materialiseHours(db, row.id, range, false);
  return added;
}

export interface WeeklyHours {
  stationId: number;
  providerPersonId: number;
  serviceId: number;
  weekday: number;
  startTime: string;
  endTime: string;
  fromDate: string;
  untilDate: string | null;
}

/**
 * Writes `write` (the hours and their ledger rows) in a savepoint; when the ledger refuses, names
 * the provider's first commitment that one of the hours' days overlaps, as a 409.
 */
export async function withHoursClashNamed<T>(
  tx: Tx,
  hours: WeeklyHours,
  range: { fromDate: string; toDate: string },
  write: (sp: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await tx.transaction(write);
  } catch (error) {
    if (!isCommitmentClash(error)) throw error;
    throw await describeHoursClash(tx, hours, range);
  }
}

/** The first of the hours' days (in range, not a day off) that overlaps another of the provider's commitments, named. */
async function describeHoursClash(tx: Tx, h: WeeklyHours, range: { fromDate: string; toDate: string }): Promise<PersonConflict> {
  const until = h.untilDate !== null && h.untilDate < range.toDate ? h.untilDate : range.toDate;
  const from = h.fromDate > range.fromDate ? h.fromDate : range.fromDate;
  const result = await tx.execute<{ lo: string | Date; hi: string | Date }>(sql`
    WITH days AS (
      SELECT tstzrange((d::date + ${h.startTime}::time) AT TIME ZONE st.time_zone, (d::date + ${h.endTime}::time) AT TIME ZONE st.time_zone, '[)') AS during
      FROM stations st CROSS JOIN generate_series(${from}::date::timestamp, ${until}::date::timestamp, interval '1 day') AS d
      WHERE st.id = ${h.stationId} AND extract(isodow FROM d) = ${h.weekday}
        AND NOT EXISTS (SELECT 1 FROM provider_hours_changes c WHERE c.kind = 'off' AND c.service_id = ${h.serviceId}
                          AND c.provider_person_id = ${h.providerPersonId} AND c.local_date = d::date))
    SELECT lower(days.during) AS lo, upper(days.during) AS hi
    FROM days JOIN commitments c ON c.person_id = ${h.providerPersonId} AND c.during && days.during AND c.kind <> 'consulting'
    ORDER BY lower(days.during) LIMIT 1`);
  const row = result.rows[0];
  const [lo, hi] = row ? [new Date(row.lo), new Date(row.hi)] : [new Date(0), new Date(0)];
  return describePersonConflict(tx, h.providerPersonId, lo, hi, { writing: "hours" });
}
