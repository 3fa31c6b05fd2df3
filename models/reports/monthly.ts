import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "../db";
import { hoursExport } from "../rosters/hours";
import { stationZone } from "../rosters/common";
import { AGE_BANDS, ageBand, parseMonth, type AgeBand, type MonthPeriod } from "./period";

/** The sessions' figures, for the whole month and for each category alike. */
export interface AttendanceFigures {
  places: number;
  /** People booked (parties' sizes) on held sessions, walk-ins not included. */
  booked: number;
  /** People who came (attended counts, walk-ins included). */
  attended: number;
  walkIns: number;
  noShows: number;
  noShowsExcused: number;
  /** No-shows over booked signups (not people); null with no booking. */
  noShowRate: number | null;
}

export interface CategoryFigures extends AttendanceFigures {
  categoryId: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  held: number;
  cancelled: number;
}

export interface MonthlyReport extends AttendanceFigures {
  month: string;
  timeZone: string;
  /** False for the current month: its figures are still growing. */
  complete: boolean;
  sessions: { held: number; cancelled: number };
  byCategory: CategoryFigures[];
  visits: { serviceLineId: number; nameZh: string; nameEn: string; reportingLine: string; archived: boolean; count: number }[];
  visitsByReportingLine: { reportingLine: string; count: number }[];
  visitsPerDay: { day: string; count: number }[];
  visitsTotal: number;
  /** Distinct people who attended a session or were named on a visit. */
  residentsServed: number;
  ageBands: Record<AgeBand, number>;
  /** Served this month and never before. */
  newResidents: number;
  volunteerMinutes: number;
  doctorMinutes: number;
  /** One-to-one consultations (ADR 18) that began this month: booked (not cancelled), came, did not; by kind. */
  consultations: ConsultationFigures & { byKind: (ConsultationFigures & { kind: string })[] };
}

export interface ConsultationFigures {
  booked: number;
  attended: number;
  noShows: number;
}

const n = (value: unknown) => Number(value ?? 0);
const rate = (noShows: number, bookedSignups: number) => (bookedSignups > 0 ? noShows / bookedSignups : null);

/**
 * The month's figures, by the station's local month. Each figure is one grouped query over
 * an indexed range (sessions by start, visits by local day); the month's bounds are computed
 * once in the station's zone, so the database compares instants, not converted dates.
 */
export async function monthlyReport(db: DbOrTx, stationId: number, month: unknown, now = new Date()): Promise<MonthlyReport> {
  const zone = await stationZone(db, stationId);
  const period = parseMonth(month, zone, now);
  const heldBefore = new Date(Math.min(period.to.getTime(), now.getTime()));
  const [categories, attendance, lines, days, served, hours, consulted] = await Promise.all([
    sessionsByCategory(db, stationId, period, heldBefore),
    attendanceByCategory(db, stationId, period, heldBefore),
    visitsByLine(db, stationId, period),
    visitsByDay(db, stationId, period),
    residentsServed(db, stationId, period),
    minutesByRole(db, stationId, period),
    consultationsByKind(db, stationId, period, heldBefore),
  ]);
  const byAttendance = new Map(attendance.map((a) => [a.categoryId, a]));
  const byCategory: CategoryFigures[] = categories.map((c) => {
    const a = byAttendance.get(c.categoryId);
    const figures = {
      booked: a?.booked ?? 0,
      attended: a?.attended ?? 0,
      walkIns: a?.walkIns ?? 0,
      noShows: a?.noShows ?? 0,
      noShowsExcused: a?.noShowsExcused ?? 0,
    };
    return { ...c, ...figures, noShowRate: rate(figures.noShows, a?.bookedSignups ?? 0) };
  });
  const sum = (pick: (c: CategoryFigures) => number) => byCategory.reduce((total, c) => total + pick(c), 0);
  const noShows = sum((c) => c.noShows);
  const perDay = new Map(days.map((d) => [d.day, d.count]));
  const first = DateTime.fromISO(period.firstDay, { zone: "utc" });
  const reportingLines = new Map<string, number>();
  for (const line of lines) reportingLines.set(line.reportingLine, (reportingLines.get(line.reportingLine) ?? 0) + line.count);
  return {
    month: period.month,
    timeZone: zone,
    complete: now >= period.to,
    sessions: { held: sum((c) => c.held), cancelled: sum((c) => c.cancelled) },
    places: sum((c) => c.places),
    booked: sum((c) => c.booked),
    attended: sum((c) => c.attended),
    walkIns: sum((c) => c.walkIns),
    noShows,
    noShowsExcused: sum((c) => c.noShowsExcused),
    noShowRate: rate(
      noShows,
      attendance.reduce((t, a) => t + a.bookedSignups, 0),
    ),
    byCategory,
    visits: lines,
    visitsByReportingLine: [...reportingLines].map(([reportingLine, count]) => ({ reportingLine, count })),
    visitsPerDay: Array.from({ length: period.days }, (_, i) => {
      const day = first.plus({ days: i }).toISODate()!;
      return { day, count: perDay.get(day) ?? 0 };
    }),
    visitsTotal: lines.reduce((t, l) => t + l.count, 0),
    residentsServed: served.people,
    ageBands: served.ageBands,
    newResidents: served.newResidents,
    volunteerMinutes: hours.volunteer,
    doctorMinutes: hours.doctor,
    consultations: {
      booked: consulted.reduce((t, c) => t + c.booked, 0),
      attended: consulted.reduce((t, c) => t + c.attended, 0),
      noShows: consulted.reduce((t, c) => t + c.noShows, 0),
      byKind: consulted,
    },
  };
}

/** Consultations that began in the month (and before now), by the service's kind; cancelled ones are not counted. */
async function consultationsByKind(db: DbOrTx, stationId: number, period: MonthPeriod, heldBefore: Date) {
  const rows = await db.execute<{ kind: string; booked: number; attended: number; no_shows: number }>(sql`
    SELECT cs.kind::text AS kind,
           count(*)::int AS booked,
           count(*) FILTER (WHERE c.attendance = 'attended')::int AS attended,
           count(*) FILTER (WHERE c.attendance IN ('no_show', 'no_show_excused'))::int AS no_shows
    FROM consultations c JOIN consultation_services cs ON cs.id = c.service_id
    WHERE c.station_id = ${stationId} AND c.status = 'booked'
      AND c.starts_at >= ${period.from.toISOString()}::timestamptz AND c.starts_at < ${heldBefore.toISOString()}::timestamptz
    GROUP BY cs.kind
    ORDER BY cs.kind`);
  return rows.rows.map((r) => ({ kind: r.kind, booked: n(r.booked), attended: n(r.attended), noShows: n(r.no_shows) }));
}

async function sessionsByCategory(db: DbOrTx, stationId: number, period: MonthPeriod, heldBefore: Date) {
  const rows = await db.execute<{ id: number; slug: string; name_zh: string; name_en: string; held: number; cancelled: number; places: number }>(sql`
    SELECT c.id, c.slug, c.name_zh, c.name_en,
           count(s.id) FILTER (WHERE s.status = 'scheduled' AND s.starts_at < ${heldBefore.toISOString()}::timestamptz)::int AS held,
           count(s.id) FILTER (WHERE s.status = 'cancelled')::int AS cancelled,
           coalesce(sum(s.capacity) FILTER (WHERE s.status = 'scheduled' AND s.starts_at < ${heldBefore.toISOString()}::timestamptz), 0)::int AS places
    FROM categories c
    LEFT JOIN activities a ON a.category_id = c.id AND a.station_id = ${stationId}
    LEFT JOIN sessions s ON s.activity_id = a.id AND s.station_id = ${stationId}
      AND s.starts_at >= ${period.from.toISOString()}::timestamptz AND s.starts_at < ${period.to.toISOString()}::timestamptz
    WHERE c.station_id = ${stationId}
    GROUP BY c.id
    ORDER BY c.sort_order, c.id`);
  return rows.rows.map((r) => ({
    categoryId: n(r.id),
    slug: r.slug,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    held: n(r.held),
    cancelled: n(r.cancelled),
    places: n(r.places),
  }));
}

async function attendanceByCategory(db: DbOrTx, stationId: number, period: MonthPeriod, heldBefore: Date) {
  const rows = await db.execute<{
    category_id: number;
    booked: number;
    booked_signups: number;
    attended: number;
    walk_ins: number;
    no_shows: number;
    excused: number;
  }>(sql`
    SELECT a.category_id,
           coalesce(sum(g.party_size) FILTER (WHERE NOT g.walk_in), 0)::int AS booked,
           count(*) FILTER (WHERE NOT g.walk_in)::int AS booked_signups,
           coalesce(sum(g.attended_count), 0)::int AS attended,
           count(*) FILTER (WHERE g.walk_in AND g.attendance = 'attended')::int AS walk_ins,
           count(*) FILTER (WHERE g.attendance = 'no_show')::int AS no_shows,
           count(*) FILTER (WHERE g.attendance = 'no_show_excused')::int AS excused
    FROM signups g
    JOIN sessions s ON s.id = g.session_id
    JOIN activities a ON a.id = s.activity_id
    WHERE g.station_id = ${stationId} AND g.status = 'confirmed' AND s.status = 'scheduled'
      AND s.starts_at >= ${period.from.toISOString()}::timestamptz AND s.starts_at < ${heldBefore.toISOString()}::timestamptz
    GROUP BY a.category_id`);
  return rows.rows.map((r) => ({
    categoryId: n(r.category_id),
    booked: n(r.booked),
    bookedSignups: n(r.booked_signups),
    attended: n(r.attended),
    walkIns: n(r.walk_ins),
    noShows: n(r.no_shows),
    noShowsExcused: n(r.excused),
  }));
}

async function visitsByLine(db: DbOrTx, stationId: number, period: MonthPeriod) {
  // Every live line (zero or not), and a removed line only when it has visits this month.
  const rows = await db.execute<{ id: number; name_zh: string; name_en: string; reporting_line: string; archived: boolean; count: number }>(sql`
    SELECT l.id, l.name_zh, l.name_en, l.reporting_line, l.archived_at IS NOT NULL AS archived, coalesce(v.count, 0)::int AS count
    FROM service_lines l
    LEFT JOIN (
      SELECT service_line_id, sum(count) AS count FROM visits
      WHERE station_id = ${stationId} AND local_day BETWEEN ${period.firstDay}::date AND ${period.lastDay}::date
      GROUP BY service_line_id
    ) v ON v.service_line_id = l.id
    WHERE l.station_id = ${stationId} AND (l.archived_at IS NULL OR v.count > 0)
    ORDER BY l.sort_order, l.id`);
  return rows.rows.map((r) => ({
    serviceLineId: n(r.id),
    nameZh: r.name_zh,
    nameEn: r.name_en,
    reportingLine: r.reporting_line,
    archived: Boolean(r.archived),
    count: n(r.count),
  }));
}

async function visitsByDay(db: DbOrTx, stationId: number, period: MonthPeriod) {
  const rows = await db.execute<{ day: string; count: number }>(sql`
    SELECT local_day::text AS day, sum(count)::int AS count FROM visits
    WHERE station_id = ${stationId} AND local_day BETWEEN ${period.firstDay}::date AND ${period.lastDay}::date
    GROUP BY local_day`);
  return rows.rows.map((r) => ({ day: r.day, count: n(r.count) }));
}

/** Attended a session, or named on a drop-in visit: served. "New" when never served before the month. */
async function residentsServed(db: DbOrTx, stationId: number, period: MonthPeriod) {
  const from = period.from.toISOString();
  const rows = await db.execute<{ birth_year: number | null; is_new: boolean }>(sql`
    WITH served AS (
      SELECT g.person_id FROM signups g JOIN sessions s ON s.id = g.session_id
      WHERE g.station_id = ${stationId} AND g.attendance = 'attended'
        AND s.starts_at >= ${from}::timestamptz AND s.starts_at < ${period.to.toISOString()}::timestamptz
      UNION
      SELECT person_id FROM visits
      WHERE station_id = ${stationId} AND person_id IS NOT NULL AND local_day BETWEEN ${period.firstDay}::date AND ${period.lastDay}::date
    )
    SELECT p.birth_year,
           NOT EXISTS (
             SELECT 1 FROM signups g JOIN sessions s ON s.id = g.session_id
             WHERE g.person_id = p.id AND g.attendance = 'attended' AND s.starts_at < ${from}::timestamptz
           ) AND NOT EXISTS (
             SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.local_day < ${period.firstDay}::date
           ) AS is_new
    FROM served JOIN people p ON p.id = served.person_id AND p.station_id = ${stationId}`);
  const ageBands = Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  let newResidents = 0;
  for (const r of rows.rows) {
    ageBands[ageBand(r.birth_year === null ? null : n(r.birth_year), period.year)]++;
    if (r.is_new) newResidents++;
  }
  return { people: rows.rows.length, ageBands, newResidents };
}

/** Rostered and hand-entered minutes (models/rosters/hours.ts), split: doctors by their role, everyone else a volunteer. */
async function minutesByRole(db: DbOrTx, stationId: number, period: MonthPeriod) {
  const [hours, doctors] = await Promise.all([
    hoursExport(db, stationId, { from: period.firstDay, to: period.lastDay }),
    db.execute<{ person_id: number }>(sql`
      SELECT DISTINCT a.person_id FROM accounts a JOIN station_roles r ON r.account_id = a.id
      WHERE r.station_id = ${stationId} AND r.role = 'doctor'`),
  ]);
  const doctorIds = new Set(doctors.rows.map((r) => n(r.person_id)));
  let volunteer = 0;
  let doctor = 0;
  for (const p of hours.people) {
    const minutes = p.attendedMinutes + p.manualMinutes;
    if (doctorIds.has(p.personId)) doctor += minutes;
    else volunteer += minutes;
  }
  return { volunteer, doctor };
}
