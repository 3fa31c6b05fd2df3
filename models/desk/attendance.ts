import { and, asc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { people, sessions, signups } from "../db/schema";
import { auditAs } from "../audit";
import { TEXT } from "../limits";
import { NotFound } from "../errors";
import { isStaff } from "../permissions";
import { isInt, requireCheckinRights, requireStaff, type DeskContext } from "./context";
import { InvalidDeskInput, NotConfirmed, SessionCancelled, SessionNotStarted } from "./errors";
import { CHECKIN_OPENS_BEFORE_MS } from "./checkin";

export type Attendance = "attended" | "no_show" | "no_show_excused";
const ATTENDANCES: readonly Attendance[] = ["attended", "no_show", "no_show_excused"];
const DAY = 24 * 3600_000;
export const NO_SHOW_WINDOW_DAYS = 90;

/**
 * Staff set the attendance afterwards (a late arrival, an excuse phoned in). The session
 * must have begun, and only a confirmed booking has an attendance. The reason of an excused
 * no-show may be about health: it stays out of the audit log.
 */
export async function setAttendance(
  db: Db,
  ctx: DeskContext,
  input: { signupId: number; attendance: unknown; reason?: unknown; attended?: unknown },
): Promise<{ signupId: number; attendance: Attendance; attendedCount: number | null; reason: string | null }> {
  const now = ctx.now ?? new Date();
  requireStaff(ctx);
  if (!ATTENDANCES.includes(input.attendance as Attendance)) throw new InvalidDeskInput("attendance");
  const attendance = input.attendance as Attendance;
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (attendance === "no_show_excused" && (reason.length < 1 || reason.length > TEXT.attendanceReason)) throw new InvalidDeskInput("reason");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        sessionId: signups.sessionId,
        status: signups.status,
        partySize: signups.partySize,
        previous: signups.attendance,
        startsAt: sessions.startsAt,
        sessionStatus: sessions.status,
      })
      .from(signups)
      .innerJoin(sessions, eq(sessions.id, signups.sessionId))
      .where(and(eq(signups.id, input.signupId), eq(signups.stationId, ctx.stationId)))
      .for("update", { of: signups });
    if (!row) throw new NotFound("signup");
    if (row.sessionStatus === "cancelled") throw new SessionCancelled();
    if (row.status !== "confirmed") throw new NotConfirmed();
    // "Attended" may be set from the doors' opening; a no-show only once the session has begun.
    const earliest = attendance === "attended" ? row.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS : row.startsAt.getTime();
    if (now.getTime() < earliest) throw new SessionNotStarted();
    const attendedCount = attendance === "attended" ? (input.attended ?? row.partySize) : null;
    if (attendedCount !== null && !isInt(attendedCount, 1, row.partySize)) throw new InvalidDeskInput("attended");
    const kept = attendance === "no_show_excused" ? reason : null;
    await tx
      .update(signups)
      .set({
        attendance,
        attendedCount: attendedCount as number | null,
        attendanceReason: kept,
        attendanceAt: now,
        attendanceByAccountId: ctx.actor.accountId,
      })
      .where(eq(signups.id, input.signupId));
    await auditAs(tx, ctx, {
      action: "attendance.set",
      targetType: "signup",
      targetId: input.signupId,
      details: { sessionId: row.sessionId, attendance, previous: row.previous, attendedCount },
    });
    return { signupId: input.signupId, attendance, attendedCount: attendedCount as number | null, reason: kept };
  });
}

/**
 * "结束签到": the confirmed people not checked in become no-shows, in one statement, and the
 * session is marked closed — an explicit act of the coordinator, never a timer. Closing
 * again changes nothing and says so.
 */
export async function closeCheckin(
  db: Db,
  ctx: DeskContext,
  sessionId: number,
): Promise<{ alreadyClosed: boolean; noShows: number; attended: number }> {
  const now = ctx.now ?? new Date();
  requireStaff(ctx);
  return db.transaction(async (tx) => {
    const [session] = await tx
      .select({ startsAt: sessions.startsAt, status: sessions.status, closedAt: sessions.checkinClosedAt })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.stationId, ctx.stationId)))
      .for("update");
    if (!session) throw new NotFound("session");
    if (session.status === "cancelled") throw new SessionCancelled();
    if (now < session.startsAt) throw new SessionNotStarted();
    const [attended] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(signups)
      .where(and(eq(signups.sessionId, sessionId), eq(signups.attendance, "attended")));
    if (session.closedAt) return { alreadyClosed: true, noShows: 0, attended: Number(attended?.n ?? 0) };
    const marked = await tx
      .update(signups)
      .set({ attendance: "no_show", attendanceAt: now, attendanceByAccountId: ctx.actor.accountId })
      .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "confirmed"), isNull(signups.attendance)))
      .returning({ id: signups.id });
    await tx.update(sessions).set({ checkinClosedAt: now, checkinClosedByAccountId: ctx.actor.accountId }).where(eq(sessions.id, sessionId));
    await auditAs(tx, ctx, {
      action: "checkin.close",
      targetType: "session",
      targetId: sessionId,
      details: { noShows: marked.length, noShowSignupIds: marked.map((m) => m.id) },
    });
    return { alreadyClosed: false, noShows: marked.length, attended: Number(attended?.n ?? 0) };
  });
}

/** No-shows of each person over the last 90 days, in one query for a whole list (attendee lists, proxy search). */
export async function noShowCounts(db: DbOrTx, stationId: number, personIds: readonly number[], now = new Date()): Promise<Map<number, number>> {
  const counts = new Map<number, number>(personIds.map((id) => [id, 0]));
  if (personIds.length === 0) return counts;
  const rows = await db
    .select({ personId: signups.personId, n: sql<number>`count(*)::int` })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .where(
      and(
        eq(signups.stationId, stationId),
        inArray(signups.personId, [...personIds]),
        eq(signups.attendance, "no_show"),
        gte(sessions.startsAt, new Date(now.getTime() - NO_SHOW_WINDOW_DAYS * DAY)),
        lt(sessions.startsAt, now),
      ),
    )
    .groupBy(signups.personId);
  for (const row of rows) counts.set(row.personId, Number(row.n));
  return counts;
}

export interface SheetRow {
  signupId: number;
  personId: number;
  fullName: string;
  phoneLast4: string | null;
  partySize: number;
  status: "confirmed" | "waitlisted";
  walkIn: boolean;
  attendance: Attendance | null;
  attendedCount: number | null;
  /** Staff only: the person's needs (wheelchair …) and recent no-shows. */
  needs: string | null;
  noShows90d: number;
}

/**
 * The check-in sheet: confirmed people and the waitlist, searchable by a part of the name or
 * the last 4 digits of the phone. Desk volunteers see what the desk needs, not the needs notes.
 */
export async function checkinSheet(db: Db, ctx: DeskContext, sessionId: number, query = ""): Promise<SheetRow[]> {
  await requireCheckinRights(db, ctx, sessionId);
  const [session] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.stationId, ctx.stationId)));
  if (!session) throw new NotFound("session");
  const q = query.trim();
  const filter = !q
    ? undefined
    : /^\d{4}$/.test(q)
      ? sql`right(${people.phone}, 4) = ${q}`
      : sql`${people.fullName} ILIKE ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
  const rows = await db
    .select({
      signupId: signups.id,
      personId: signups.personId,
      fullName: people.fullName,
      phone: people.phone,
      partySize: signups.partySize,
      status: signups.status,
      walkIn: signups.walkIn,
      attendance: signups.attendance,
      attendedCount: signups.attendedCount,
      needs: people.needs,
    })
    .from(signups)
    .innerJoin(people, eq(people.id, signups.personId))
    .where(and(eq(signups.sessionId, sessionId), eq(signups.stationId, ctx.stationId), inArray(signups.status, ["confirmed", "waitlisted"]), filter))
    .orderBy(sql`${signups.status} = 'waitlisted'`, asc(people.fullName), asc(signups.id));
  const staff = isStaff(ctx.actor);
  const noShows = staff
    ? await noShowCounts(
        db,
        ctx.stationId,
        rows.map((r) => r.personId),
        ctx.now,
      )
    : new Map<number, number>();
  return rows.map((r) => ({
    signupId: r.signupId,
    personId: r.personId,
    fullName: r.fullName,
    phoneLast4: r.phone ? r.phone.slice(-4) : null,
    partySize: r.partySize,
    status: r.status as "confirmed" | "waitlisted",
    walkIn: r.walkIn,
    attendance: r.attendance,
    attendedCount: r.attendedCount,
    needs: staff ? r.needs : null,
    noShows90d: noShows.get(r.personId) ?? 0,
  }));
}

export interface SheetSummary {
  /** When 结束签到 was pressed (null: still open). */
  closedAt: Date | null;
  /** People checked in so far (attended counts, walk-ins included). */
  arrived: number;
  /** People expected in the room: booked places plus the parties seated at the door. */
  expected: number;
  capacity: number;
}

/** The sheet's header figures, one statement: who is here, who is expected, whether it is closed. */
export async function sheetSummary(db: DbOrTx, stationId: number, sessionId: number): Promise<SheetSummary> {
  const [row] = await db
    .select({
      closedAt: sessions.checkinClosedAt,
      capacity: sessions.capacity,
      taken: sessions.taken,
      arrived: sql<number>`coalesce((select sum(s.attended_count) from signups s where s.session_id = ${sessionId} and s.attendance = 'attended'), 0)::int`,
      seated: sql<number>`coalesce((select sum(s.party_size) from signups s where s.session_id = ${sessionId} and s.status = 'confirmed' and s.walk_in), 0)::int`,
    })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.stationId, stationId)));
  if (!row) throw new NotFound("session");
  return { closedAt: row.closedAt, arrived: Number(row.arrived), expected: row.taken + Number(row.seated), capacity: row.capacity };
}
