import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { manualHours } from "../db/schema";
import { auditAs } from "../audit";
import { requirePerson } from "../people";
import { isInt, isIsoDate, requireStaff, stationZone } from "./common";
import { InvalidRosterInput } from "./errors";
import type { HoursExportGroupRow, HoursExportPersonRow, MonthHours, RosterContext } from "./types";

/**
 * Hours per month of one year. Attended shifts credit their own length (set-up included)
 * automatically — only while confirmed: staff cancelling a shift afterwards (recorded by
 * mistake, say) keeps its attendance as history but takes its hours back — in the month they started (station time); hours entered by hand are kept
 * apart, so both stay visible.
 */
export async function hoursFor(db: DbOrTx, stationId: number, personId: number, opts: { year: number }): Promise<MonthHours[]> {
  if (!isInt(opts.year, 2000, 2100)) throw new InvalidRosterInput("year");
  const zone = await stationZone(db, stationId);
  const [attended, manual] = await Promise.all([
    db.execute<{ month: number; minutes: number }>(sql`
      SELECT extract(month FROM lower(during) AT TIME ZONE ${zone})::int AS month,
             coalesce(sum(extract(epoch FROM upper(during) - lower(during)) / 60), 0)::int AS minutes
      FROM assignments
      WHERE person_id = ${personId} AND station_id = ${stationId} AND status = 'confirmed' AND attendance = 'attended'
        AND extract(year FROM lower(during) AT TIME ZONE ${zone}) = ${opts.year}
      GROUP BY 1`),
    db.execute<{ month: number; minutes: number }>(sql`
      SELECT extract(month FROM work_date)::int AS month, sum(minutes)::int AS minutes
      FROM manual_hours
      WHERE person_id = ${personId} AND station_id = ${stationId} AND extract(year FROM work_date) = ${opts.year}
      GROUP BY 1`),
  ]);
  const months: MonthHours[] = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, attendedMinutes: 0, manualMinutes: 0 }));
  for (const row of attended.rows) months[Number(row.month) - 1]!.attendedMinutes = Number(row.minutes);
  for (const row of manual.rows) months[Number(row.month) - 1]!.manualMinutes = Number(row.minutes);
  return months;
}

/** Staff record hours worked outside the roster (a home visit, a training day). */
export async function addManualHours(
  db: Db,
  ctx: RosterContext,
  input: { personId: number; workDate: string; minutes: number; note: string },
): Promise<{ id: number }> {
  requireStaff(ctx);
  if (!isIsoDate(input.workDate)) throw new InvalidRosterInput("workDate");
  if (!isInt(input.minutes, 1, 1440)) throw new InvalidRosterInput("minutes");
  const note = (input.note ?? "").trim();
  if (note.length > 200) throw new InvalidRosterInput("note");
  await requirePerson(db, ctx.stationId, input.personId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(manualHours)
      .values({
        stationId: ctx.stationId,
        personId: input.personId,
        workDate: input.workDate,
        minutes: input.minutes,
        note,
        createdByAccountId: ctx.actor.accountId,
      })
      .returning({ id: manualHours.id });
    await auditAs(tx, ctx, {
      action: "hours.add",
      targetType: "person",
      targetId: input.personId,
      details: { manualHoursId: row!.id, workDate: input.workDate, minutes: input.minutes },
    });
    return { id: row!.id };
  });
}

export async function listManualHours(db: DbOrTx, stationId: number, personId: number, opts: { year: number }) {
  return db
    .select({ id: manualHours.id, workDate: manualHours.workDate, minutes: manualHours.minutes, note: manualHours.note })
    .from(manualHours)
    .where(
      and(eq(manualHours.stationId, stationId), eq(manualHours.personId, personId), sql`extract(year FROM ${manualHours.workDate}) = ${opts.year}`),
    )
    .orderBy(manualHours.workDate, manualHours.id);
}

/**
 * Hours of everyone in [from, to] (local dates, both included): one row per person with any,
 * and one per service group summing its members.
 */
export async function hoursExport(
  db: DbOrTx,
  stationId: number,
  opts: { from: string; to: string },
): Promise<{ people: HoursExportPersonRow[]; groups: HoursExportGroupRow[] }> {
  if (!isIsoDate(opts.from)) throw new InvalidRosterInput("from");
  if (!isIsoDate(opts.to) || opts.to < opts.from) throw new InvalidRosterInput("to");
  const zone = await stationZone(db, stationId);
  const perPerson = await db.execute<{ person_id: number; name: string; attended: number; manual: number; shifts: number }>(sql`
    WITH att AS (
      SELECT person_id, sum(extract(epoch FROM upper(during) - lower(during)) / 60)::int AS minutes, count(*)::int AS shifts
      FROM assignments
      WHERE station_id = ${stationId} AND status = 'confirmed' AND attendance = 'attended'
        AND (lower(during) AT TIME ZONE ${zone})::date BETWEEN ${opts.from}::date AND ${opts.to}::date
      GROUP BY person_id
    ), man AS (
      SELECT person_id, sum(minutes)::int AS minutes
      FROM manual_hours
      WHERE station_id = ${stationId} AND work_date BETWEEN ${opts.from}::date AND ${opts.to}::date
      GROUP BY person_id
    )
    SELECT p.id AS person_id, p.full_name AS name, coalesce(att.minutes, 0) AS attended, coalesce(man.minutes, 0) AS manual, coalesce(att.shifts, 0) AS shifts
    FROM people p LEFT JOIN att ON att.person_id = p.id LEFT JOIN man ON man.person_id = p.id
    WHERE p.station_id = ${stationId} AND (att.person_id IS NOT NULL OR man.person_id IS NOT NULL)
    ORDER BY p.full_name, p.id`);
  const peopleRows: HoursExportPersonRow[] = perPerson.rows.map((r) => ({
    personId: Number(r.person_id),
    name: r.name,
    attendedMinutes: Number(r.attended),
    manualMinutes: Number(r.manual),
    shifts: Number(r.shifts),
  }));
  const byPerson = new Map(peopleRows.map((r) => [r.personId, r]));
  const members = await db.execute<{ group_id: number; name_zh: string; name_en: string; person_id: number | null }>(sql`
    SELECT g.id AS group_id, g.name_zh, g.name_en, m.person_id
    FROM service_groups g LEFT JOIN service_group_members m ON m.group_id = g.id
    WHERE g.station_id = ${stationId}
    ORDER BY g.id`);
  const groups = new Map<number, HoursExportGroupRow>();
  for (const m of members.rows) {
    const id = Number(m.group_id);
    const group = groups.get(id) ?? { groupId: id, nameZh: m.name_zh, nameEn: m.name_en, people: 0, attendedMinutes: 0, manualMinutes: 0 };
    groups.set(id, group);
    if (m.person_id === null) continue;
    group.people++;
    const hours = byPerson.get(Number(m.person_id));
    if (hours) {
      group.attendedMinutes += hours.attendedMinutes;
      group.manualMinutes += hours.manualMinutes;
    }
  }
  return { people: peopleRows, groups: [...groups.values()] };
}
