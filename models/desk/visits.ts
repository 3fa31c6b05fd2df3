import { and, desc, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx } from "../db";
import { people, serviceLines, stations, visits } from "../db/schema";
import { auditAs } from "../audit";
import { VISIT_COUNT } from "../limits";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { isInt, requireTallyRights, type DeskContext } from "./context";
import { InvalidDeskInput, ServiceLineRemoved, UndoTooLate } from "./errors";

const DAY = 24 * 3600_000;
/** Staff may enter taps for the past month (a paper sheet from a day the tablet was down). */
export const BACKFILL_DAYS = 31;
/** Clock skew between a tablet and the server. */
const FUTURE_SLACK_MS = 60_000;

export interface VisitTally {
  id: number;
  serviceLineId: number;
  localDay: string;
  count: number;
  at: Date;
}

/**
 * One tap, one row: taps never read-modify-write a counter, so concurrent taps cannot
 * overwrite each other. One statement: the line must be this station's and live, and the
 * local day is the station's, computed by the database from the same row it checks.
 */
export async function tallyVisit(
  db: Db,
  ctx: DeskContext,
  input: { serviceLineId: unknown; count?: unknown; personId?: unknown; at?: unknown },
): Promise<VisitTally> {
  const now = ctx.now ?? new Date();
  requireTallyRights(ctx);
  if (!isInt(input.serviceLineId, 1, 2 ** 31 - 1)) throw new InvalidDeskInput("serviceLineId");
  const count = input.count ?? 1;
  if (!isInt(count, VISIT_COUNT.min, VISIT_COUNT.max)) throw new InvalidDeskInput("count");
  const personId = input.personId ?? null;
  if (personId !== null && !isInt(personId, 1, 2 ** 31 - 1)) throw new InvalidDeskInput("personId");
  const at = input.at === undefined ? now : input.at instanceof Date ? input.at : typeof input.at === "string" ? new Date(input.at) : null;
  if (!at || Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + FUTURE_SLACK_MS) throw new InvalidDeskInput("at");
  // Volunteers count today's taps; staff may backfill up to a month.
  const oldest = isStaff(ctx.actor) ? now.getTime() - BACKFILL_DAYS * DAY : now.getTime() - 12 * 3600_000;
  if (at.getTime() < oldest) throw new InvalidDeskInput("at");
  const rows = await db.execute<{ id: number; local_day: string; at: Date | string }>(sql`
    INSERT INTO ${visits} (station_id, service_line_id, local_day, count, person_id, recorded_by_account_id, at)
    SELECT sl.station_id, sl.id, (${at.toISOString()}::timestamptz AT TIME ZONE st.time_zone)::date, ${count}, p.id, ${ctx.actor.accountId}, ${at.toISOString()}::timestamptz
    FROM ${serviceLines} sl
    JOIN ${stations} st ON st.id = sl.station_id
    LEFT JOIN ${people} p ON p.id = ${personId}::int AND p.station_id = sl.station_id
    WHERE sl.id = ${input.serviceLineId} AND sl.station_id = ${ctx.stationId} AND sl.archived_at IS NULL
      AND (${personId}::int IS NULL OR p.id IS NOT NULL)
    RETURNING id, local_day::text AS local_day, at`);
  const row = rows.rows[0];
  if (row) return { id: Number(row.id), serviceLineId: input.serviceLineId, localDay: row.local_day, count, at: new Date(row.at) };
  // Nothing written: say why.
  const [line] = await db
    .select({ archivedAt: serviceLines.archivedAt })
    .from(serviceLines)
    .where(and(eq(serviceLines.id, input.serviceLineId), eq(serviceLines.stationId, ctx.stationId)));
  if (!line) throw new NotFound("service_line");
  if (line.archivedAt) throw new ServiceLineRemoved();
  throw new NotFound("person");
}

async function localToday(db: DbOrTx, stationId: number, now: Date): Promise<string> {
  const [row] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  if (!row) throw new NotFound("station");
  return DateTime.fromJSDate(now, { zone: row.zone }).toISODate()!;
}

/** Undoes a tap, on its own day only; a volunteer undoes their own taps, staff anyone's. */
export async function undoVisit(db: Db, ctx: DeskContext, visitId: unknown): Promise<void> {
  const now = ctx.now ?? new Date();
  requireTallyRights(ctx);
  if (!isInt(visitId, 1, Number.MAX_SAFE_INTEGER)) throw new InvalidDeskInput("visitId");
  const today = await localToday(db, ctx.stationId, now);
  await db.transaction(async (tx) => {
    const [visit] = await tx
      .select({ localDay: visits.localDay, by: visits.recordedByAccountId, serviceLineId: visits.serviceLineId, count: visits.count })
      .from(visits)
      .where(and(eq(visits.id, visitId), eq(visits.stationId, ctx.stationId)))
      .for("update");
    if (!visit) throw new NotFound("visit");
    if (visit.by !== ctx.actor.accountId && !isStaff(ctx.actor)) throw new NotAllowed();
    if (visit.localDay !== today) throw new UndoTooLate();
    await tx.delete(visits).where(eq(visits.id, visitId));
    // Taps are not audited one by one (the row itself says who and when); taking one back is.
    await auditAs(tx, ctx, {
      action: "visit.undo",
      targetType: "visit",
      targetId: null,
      details: { visitId, serviceLineId: visit.serviceLineId, count: visit.count, localDay: visit.localDay },
    });
  });
}

/** Today's latest taps at the station, for the tally's undo list. */
export async function recentVisits(db: DbOrTx, ctx: DeskContext, limit = 10) {
  requireTallyRights(ctx);
  const today = await localToday(db, ctx.stationId, ctx.now ?? new Date());
  return db
    .select({
      id: visits.id,
      serviceLineId: visits.serviceLineId,
      nameZh: serviceLines.nameZh,
      nameEn: serviceLines.nameEn,
      count: visits.count,
      at: visits.at,
      mine: sql<boolean>`${visits.recordedByAccountId} = ${ctx.actor.accountId}`,
    })
    .from(visits)
    .innerJoin(serviceLines, eq(serviceLines.id, visits.serviceLineId))
    .where(and(eq(visits.stationId, ctx.stationId), eq(visits.localDay, today)))
    .orderBy(desc(visits.at), desc(visits.id))
    .limit(Math.min(Math.max(1, limit), 50));
}

/** Today's count per line, for the buttons' badges. */
export async function todaysCounts(db: DbOrTx, ctx: DeskContext): Promise<Map<number, number>> {
  requireTallyRights(ctx);
  const today = await localToday(db, ctx.stationId, ctx.now ?? new Date());
  const rows = await db
    .select({ id: visits.serviceLineId, n: sql<number>`sum(${visits.count})::int` })
    .from(visits)
    .where(and(eq(visits.stationId, ctx.stationId), eq(visits.localDay, today)))
    .groupBy(visits.serviceLineId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
