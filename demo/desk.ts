/**
 * The front desk's history for the demo: the service lines, about 200 drop-in visits a day
 * over the last three months and this one, and attendance on every past booking (most came,
 * some did not, a few excused) with the ended sessions' check-in closed — so the monthly
 * figures and their charts show a real station on first start.
 * Deterministic (a fixed seed; attendance from the signup's id), and bulk: visits go in
 * 2,000 rows a statement, attendance in one UPDATE.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../models/db";
import { sessions, visits } from "../models/db/schema";
import { insertServiceLines } from "../models/desk/service-lines";
import { Random } from "./random";
import { demoResidents } from "./station-rows";

const ROWS_PER_STATEMENT = 2000;
/** Share of the day's visits per line, in the order of DEFAULT_SERVICE_LINES. */
const LINE_WEIGHTS = [0.42, 0.14, 0.08, 0.12, 0.24];
/** One visit in this many is tied to a known resident (found by name at the desk). */
const NAMED_ONE_IN = 4;

export async function seedDemoDesk(db: Db, ctx: { stationId: number; timeZone: string; deskAccountId: number; now: Date }) {
  const random = new Random(20261204);
  const lines = await insertServiceLines(db, ctx.stationId);
  const residents = await demoResidents(db, ctx.stationId);

  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).startOf("day");
  const rows: (typeof visits.$inferInsert)[] = [];
  for (let day = today.startOf("month").minus({ months: 3 }); day < today; day = day.plus({ days: 1 })) {
    // Quieter at the weekend; the station opens 08:00–17:00.
    const total = day.weekday >= 6 ? random.int(100, 140) : random.int(180, 230);
    for (let i = 0; i < total; i++) {
      let pick = random.float();
      let line = 0;
      while (line < LINE_WEIGHTS.length - 1 && pick >= LINE_WEIGHTS[line]!) pick -= LINE_WEIGHTS[line++]!;
      const at = day.set({ hour: 8 }).plus({ minutes: random.int(0, 9 * 60 - 1) });
      rows.push({
        stationId: ctx.stationId,
        serviceLineId: lines[line]!,
        localDay: day.toISODate()!,
        count: 1,
        personId: residents.length && random.int(1, NAMED_ONE_IN) === 1 ? residents[random.int(0, residents.length - 1)]! : null,
        recordedByAccountId: ctx.deskAccountId,
        at: at.toJSDate(),
      });
    }
  }

  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await tx.insert(visits).values(rows.slice(i, i + ROWS_PER_STATEMENT));
    // Past bookings: 85 in 100 came (a party of three sometimes without one), 10 did not, 5 excused.
    await tx.execute(sql`
      UPDATE signups g SET
        attendance = (CASE WHEN (g.id * 7919) % 100 < 85 THEN 'attended' WHEN (g.id * 7919) % 100 < 95 THEN 'no_show' ELSE 'no_show_excused' END)::attendance,
        attended_count = CASE WHEN (g.id * 7919) % 100 < 85 THEN greatest(1, g.party_size - ((g.id * 31) % 5 = 0)::int) END,
        attendance_reason = CASE WHEN (g.id * 7919) % 100 >= 95 THEN '家中有事，已电话请假' END,
        attendance_at = s.starts_at + interval '5 minutes',
        attendance_by_account_id = ${ctx.deskAccountId}
      FROM sessions s
      WHERE s.id = g.session_id AND g.station_id = ${ctx.stationId} AND g.status = 'confirmed' AND s.status = 'scheduled' AND s.ends_at < ${ctx.now.toISOString()}::timestamptz`);
    await tx
      .update(sessions)
      .set({ checkinClosedAt: sql`${sessions.endsAt} + interval '10 minutes'`, checkinClosedByAccountId: ctx.deskAccountId })
      .where(and(eq(sessions.stationId, ctx.stationId), eq(sessions.status, "scheduled"), lt(sessions.endsAt, ctx.now)));
  });
  return { serviceLines: lines.length, visits: rows.length };
}
