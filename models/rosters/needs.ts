import { and, asc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { activities, assignments, people, rosterNeeds, sessions, skills } from "../db/schema";
import { auditAs } from "../audit";
import { NotFound } from "../errors";
import { MINUTE, isInt, requireStaff, rethrowBusy } from "./common";
import { InvalidRosterInput, NeedInUse } from "./errors";
import { requireSkill } from "./skills";
import { retimeNeedAssignments } from "./assignments";
import type { RosterContext, RosterNeed, RosterSessionInfo, Shift, ShiftAssignment } from "./types";

export interface NeedInput {
  activityId?: number;
  sessionId?: number;
  skillId: number;
  headCount: number;
  startOffsetMinutes?: number;
  endOffsetMinutes?: number;
}

export interface NeedChange {
  headCount?: number;
  startOffsetMinutes?: number;
  endOffsetMinutes?: number;
}

const skillRef = { id: skills.id, slug: skills.slug, nameZh: skills.nameZh, nameEn: skills.nameEn };

const needColumns = {
  id: rosterNeeds.id,
  activityId: rosterNeeds.activityId,
  sessionId: rosterNeeds.sessionId,
  skill: skillRef,
  headCount: rosterNeeds.headCount,
  startOffsetMinutes: rosterNeeds.startOffsetMinutes,
  endOffsetMinutes: rosterNeeds.endOffsetMinutes,
};

function validateChange(input: NeedChange) {
  if (input.headCount !== undefined && !isInt(input.headCount, 1, 50)) throw new InvalidRosterInput("headCount");
  if (input.startOffsetMinutes !== undefined && !isInt(input.startOffsetMinutes, 0, 240)) throw new InvalidRosterInput("startOffsetMinutes");
  if (input.endOffsetMinutes !== undefined && !isInt(input.endOffsetMinutes, 0, 240)) throw new InvalidRosterInput("endOffsetMinutes");
}

/** A need on a whole series (activityId: every session inherits it) or on one session. */
export async function addNeed(db: DbOrTx, ctx: RosterContext, input: NeedInput): Promise<{ id: number }> {
  requireStaff(ctx);
  if ((input.activityId === undefined) === (input.sessionId === undefined)) throw new InvalidRosterInput("owner");
  if (input.headCount === undefined) throw new InvalidRosterInput("headCount");
  validateChange(input);
  await requireSkill(db, ctx.stationId, input.skillId);
  if (input.activityId !== undefined) {
    const [row] = await db
      .select({ id: activities.id })
      .from(activities)
      .where(and(eq(activities.id, input.activityId), eq(activities.stationId, ctx.stationId)));
    if (!row) throw new NotFound("activity");
  } else {
    const [row] = await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, input.sessionId!), eq(sessions.stationId, ctx.stationId)));
    if (!row) throw new NotFound("session");
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(rosterNeeds)
      .values({
        stationId: ctx.stationId,
        activityId: input.activityId ?? null,
        sessionId: input.sessionId ?? null,
        skillId: input.skillId,
        headCount: input.headCount,
        startOffsetMinutes: input.startOffsetMinutes ?? 0,
        endOffsetMinutes: input.endOffsetMinutes ?? 0,
      })
      .returning({ id: rosterNeeds.id });
    await auditAs(tx, ctx, {
      action: "need.create",
      targetType: "roster_need",
      targetId: row!.id,
      details: { activityId: input.activityId ?? null, sessionId: input.sessionId ?? null, skillId: input.skillId, headCount: input.headCount },
    });
    return { id: row!.id };
  });
}

export async function requireNeed(db: DbOrTx, stationId: number, needId: number) {
  const [row] = await db
    .select(needColumns)
    .from(rosterNeeds)
    .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
    .where(and(eq(rosterNeeds.id, needId), eq(rosterNeeds.stationId, stationId)));
  if (!row) throw new NotFound("need");
  return row;
}

/**
 * Changes a need. A lower head count keeps the people already on it (nobody is dropped
 * silently); new offsets re-time the need's active assignments in the same transaction.
 */
export async function updateNeed(db: DbOrTx, ctx: RosterContext, needId: number, input: NeedChange): Promise<void> {
  requireStaff(ctx);
  validateChange(input);
  await requireNeed(db, ctx.stationId, needId);
  const values: NeedChange = {};
  if (input.headCount !== undefined) values.headCount = input.headCount;
  if (input.startOffsetMinutes !== undefined) values.startOffsetMinutes = input.startOffsetMinutes;
  if (input.endOffsetMinutes !== undefined) values.endOffsetMinutes = input.endOffsetMinutes;
  if (!Object.keys(values).length) return;
  const now = ctx.now ?? new Date();
  // Re-timing takes row and person locks: a deadlock or lock timeout is "busy", not a 500.
  await db
    .transaction(async (tx) => {
      // The row lock waits for assignments in flight (they read the need FOR SHARE), so the
      // re-timing below sees them and any later one reads the new offsets.
      await tx.update(rosterNeeds).set(values).where(eq(rosterNeeds.id, needId));
      // Future shifts only (a past shift's time is what was worked); each person told.
      const retimed =
        values.startOffsetMinutes !== undefined || values.endOffsetMinutes !== undefined ? await retimeNeedAssignments(tx, needId, now) : [];
      await auditAs(tx, ctx, {
        action: "need.update",
        targetType: "roster_need",
        targetId: needId,
        details: { ...values, retimed: retimed.length },
      });
    })
    .catch(rethrowBusy);
}

/**
 * Removes a need nobody was ever assigned to. Assignments are history (hours worked), so a
 * need with any is kept: lower its head count instead.
 */
export async function removeNeed(db: DbOrTx, ctx: RosterContext, needId: number): Promise<void> {
  requireStaff(ctx);
  await requireNeed(db, ctx.stationId, needId);
  await db
    .transaction(async (tx) => {
      // The row lock waits for assignments in flight (they hold the need FOR SHARE), so the
      // check below sees them; one starting later waits for this and finds no need.
      const [still] = await tx.select({ id: rosterNeeds.id }).from(rosterNeeds).where(eq(rosterNeeds.id, needId)).for("update");
      if (!still) throw new NotFound("need");
      const [used] = await tx.select({ id: assignments.id }).from(assignments).where(eq(assignments.needId, needId)).limit(1);
      if (used) throw new NeedInUse();
      await tx.delete(rosterNeeds).where(eq(rosterNeeds.id, needId));
      await auditAs(tx, ctx, {
        action: "need.remove",
        targetType: "roster_need",
        targetId: needId,
      });
    })
    .catch(rethrowBusy);
}

/** The station's needs declared on one activity or one session, in skill order. */
async function listNeedsOf(db: DbOrTx, stationId: number, owner: SQL): Promise<RosterNeed[]> {
  return db
    .select(needColumns)
    .from(rosterNeeds)
    .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
    .where(and(owner, eq(rosterNeeds.stationId, stationId)))
    .orderBy(asc(skills.sortOrder), asc(rosterNeeds.id));
}

export async function listActivityNeeds(db: DbOrTx, stationId: number, activityId: number): Promise<RosterNeed[]> {
  return listNeedsOf(db, stationId, eq(rosterNeeds.activityId, activityId));
}

/** The needs declared on one session only (not the inherited ones). */
export async function listSessionOwnNeeds(db: DbOrTx, stationId: number, sessionId: number): Promise<RosterNeed[]> {
  return listNeedsOf(db, stationId, eq(rosterNeeds.sessionId, sessionId));
}

const statusOrder: Record<ShiftAssignment["status"], number> = { confirmed: 0, proposed: 1, declined: 2, cancelled: 3 };

/**
 * The shifts of the given sessions: the series' needs every session inherits plus each
 * session's own, with who is on them. Three queries whatever the number of sessions.
 */
export async function sessionShifts(db: DbOrTx, stationId: number, sessionIds: number[]): Promise<Map<number, Shift[]>> {
  const ids = [...new Set(sessionIds)];
  if (!ids.length) return new Map();
  const sessionRows = await db
    .select({ id: sessions.id, activityId: sessions.activityId, startsAt: sessions.startsAt, endsAt: sessions.endsAt })
    .from(sessions)
    .where(and(inArray(sessions.id, ids), eq(sessions.stationId, stationId)));
  return shiftsOf(db, stationId, sessionRows);
}

type SessionTimes = Pick<RosterSessionInfo, "id" | "activityId" | "startsAt" | "endsAt">;

/** The shifts of sessions already read (the station's own): their needs and assignments, two queries. */
async function shiftsOf(db: DbOrTx, stationId: number, sessionRows: SessionTimes[]): Promise<Map<number, Shift[]>> {
  const result = new Map<number, Shift[]>();
  if (!sessionRows.length) return result;
  const ids = sessionRows.map((s) => s.id);
  const activityIds = [...new Set(sessionRows.map((s) => s.activityId))];
  const [needRows, assignmentRows] = await Promise.all([
    db
      .select(needColumns)
      .from(rosterNeeds)
      .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
      .where(and(eq(rosterNeeds.stationId, stationId), or(inArray(rosterNeeds.activityId, activityIds), inArray(rosterNeeds.sessionId, ids))))
      .orderBy(asc(skills.sortOrder), asc(rosterNeeds.id)),
    db
      .select({
        id: assignments.id,
        needId: assignments.needId,
        sessionId: assignments.sessionId,
        personId: assignments.personId,
        name: people.fullName,
        status: assignments.status,
        attendance: assignments.attendance,
      })
      .from(assignments)
      .innerJoin(people, eq(people.id, assignments.personId))
      .where(and(inArray(assignments.sessionId, ids), eq(assignments.stationId, stationId)))
      .orderBy(asc(assignments.id)),
  ]);
  const bySlot = new Map<string, ShiftAssignment[]>();
  for (const a of assignmentRows) {
    const key = `${a.needId}:${a.sessionId}`;
    const list = bySlot.get(key) ?? [];
    list.push({ id: a.id, personId: a.personId, name: a.name, status: a.status, attendance: a.attendance });
    bySlot.set(key, list);
  }
  for (const session of sessionRows) {
    const shifts: Shift[] = [];
    for (const need of needRows) {
      const inherited = need.activityId === session.activityId;
      if (!inherited && need.sessionId !== session.id) continue;
      const list = (bySlot.get(`${need.id}:${session.id}`) ?? []).sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || a.id - b.id);
      shifts.push({
        needId: need.id,
        sessionId: session.id,
        skill: need.skill,
        headCount: need.headCount,
        startsAt: new Date(session.startsAt.getTime() - need.startOffsetMinutes * MINUTE),
        endsAt: new Date(session.endsAt.getTime() + need.endOffsetMinutes * MINUTE),
        filled: list.filter((a) => a.status === "proposed" || a.status === "confirmed").length,
        assignments: list,
        inherited,
      });
    }
    result.set(session.id, shifts);
  }
  return result;
}

/** Sessions as the roster pages head them: the location is the session's own or else its activity's. */
export function selectRosterSessions(db: DbOrTx) {
  return db
    .select({
      id: sessions.id,
      activityId: sessions.activityId,
      title: activities.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
      status: sessions.status,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId));
}

/** Sessions starting in [from, to) and their shifts, for the coordinators' week grid. */
export async function weekShifts(
  db: DbOrTx,
  stationId: number,
  from: Date,
  to: Date,
): Promise<{ sessions: RosterSessionInfo[]; shifts: Map<number, Shift[]> }> {
  const rows = await selectRosterSessions(db)
    .where(and(eq(sessions.stationId, stationId), gte(sessions.startsAt, from), lt(sessions.startsAt, to)))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  // The rows already carry what the shifts are timed from: no second read of the same sessions.
  return { sessions: rows, shifts: await shiftsOf(db, stationId, rows) };
}
