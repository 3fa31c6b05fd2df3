import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "../db";
import { stationZone } from "../rosters/common";
import { parseYear } from "./period";

export interface TrendMonth {
  month: string;
  /** False for months still to come (their figures are 0, not measured). */
  reached: boolean;
  sessionsHeld: number;
  attended: number;
  noShows: number;
  noShowRate: number | null;
  visits: number;
  residentsServed: number;
}

const n = (value: unknown) => Number(value ?? 0);

/** The year view's 12-month trend, by the station's local month: four grouped queries for the whole year. */
export async function yearTrend(db: DbOrTx, stationId: number, year: unknown, now = new Date()): Promise<{ year: number; months: TrendMonth[] }> {
  const zone = await stationZone(db, stationId);
  const y = parseYear(year, zone, now);
  const start = DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone });
  const from = start.toJSDate().toISOString();
  const to = start.plus({ years: 1 }).toJSDate().toISOString();
  const heldBefore = new Date(Math.min(start.plus({ years: 1 }).toMillis(), now.getTime())).toISOString();
  const monthOf = (column: ReturnType<typeof sql.raw>) => sql`extract(month FROM ${column} AT TIME ZONE ${zone})::int`;
  const [held, signupRows, visitRows, served] = await Promise.all([
    db.execute<{ month: number; held: number }>(sql`
      SELECT ${monthOf(sql.raw("starts_at"))} AS month, count(*)::int AS held FROM sessions
      WHERE station_id = ${stationId} AND status = 'scheduled' AND starts_at >= ${from}::timestamptz AND starts_at < ${heldBefore}::timestamptz
      GROUP BY 1`),
    db.execute<{ month: number; attended: number; no_shows: number; booked_signups: number }>(sql`
      SELECT ${monthOf(sql.raw("s.starts_at"))} AS month,
             coalesce(sum(g.attended_count), 0)::int AS attended,
             count(*) FILTER (WHERE g.attendance = 'no_show')::int AS no_shows,
             count(*) FILTER (WHERE NOT g.walk_in)::int AS booked_signups
      FROM signups g JOIN sessions s ON s.id = g.session_id
      WHERE g.station_id = ${stationId} AND g.status = 'confirmed' AND s.status = 'scheduled'
        AND s.starts_at >= ${from}::timestamptz AND s.starts_at < ${heldBefore}::timestamptz
      GROUP BY 1`),
    db.execute<{ month: number; visits: number }>(sql`
      SELECT extract(month FROM local_day)::int AS month, sum(count)::int AS visits FROM visits
      WHERE station_id = ${stationId} AND local_day BETWEEN ${`${y}-01-01`}::date AND ${`${y}-12-31`}::date
      GROUP BY 1`),
    db.execute<{ month: number; people: number }>(sql`
      SELECT month, count(DISTINCT person_id)::int AS people FROM (
        SELECT ${monthOf(sql.raw("s.starts_at"))} AS month, g.person_id FROM signups g JOIN sessions s ON s.id = g.session_id
        WHERE g.station_id = ${stationId} AND g.attendance = 'attended' AND s.starts_at >= ${from}::timestamptz AND s.starts_at < ${to}::timestamptz
        UNION ALL
        SELECT extract(month FROM local_day)::int, person_id FROM visits
        WHERE station_id = ${stationId} AND person_id IS NOT NULL AND local_day BETWEEN ${`${y}-01-01`}::date AND ${`${y}-12-31`}::date
      ) served GROUP BY month`),
  ]);
  const index = <T extends { month: number }>(rows: T[]) => new Map(rows.map((r) => [n(r.month), r]));
  const [h, g, v, p] = [index(held.rows), index(signupRows.rows), index(visitRows.rows), index(served.rows)];
  const nowMonth = DateTime.fromJSDate(now, { zone }).startOf("month");
  const months = Array.from({ length: 12 }, (_, i): TrendMonth => {
    const m = i + 1;
    const s = g.get(m);
    const bookedSignups = n(s?.booked_signups);
    return {
      month: start.plus({ months: i }).toFormat("yyyy-MM"),
      reached: start.plus({ months: i }) <= nowMonth,
      sessionsHeld: n(h.get(m)?.held),
      attended: n(s?.attended),
      noShows: n(s?.no_shows),
      noShowRate: bookedSignups > 0 ? n(s?.no_shows) / bookedSignups : null,
      visits: n(v.get(m)?.visits),
      residentsServed: n(p.get(m)?.people),
    };
  });
  return { year: y, months };
}
