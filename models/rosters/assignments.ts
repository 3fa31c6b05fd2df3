import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx, Tx } from "../db";
import { activities, assignments, availability, blackouts, people, personSkills, rosterNeeds, sessions, skills, stations } from "../db/schema";
import { pgErrorOf } from "../db/errors";
import { recordAudit, auditAs } from "../audit";
import { NotAllowed, NotFound, PersonConflict } from "../errors";
import { isStaff } from "../permissions";
import { MINUTE, formatWhen, rangeOf, rethrowBusy } from "./common";
import { withinWindows } from "./availability-windows";
import {
  AssignmentState,
  AttendanceTooEarly,
  BlackoutDay,
  NeedFull,
  NeedRetimeConflict,
  NeedRetimeSignupConflict,
  NeedRetimeWeeklyLimit,
  NeedSessionMismatch,
  NotQualified,
  ShiftClosed,
  ShiftConflict,
  ShiftRoleRequired,
  SignupConflict,
  WeeklyLimit,
} from "./errors";
import { cancelPendingForAssignments, mailAssigned, mailCancelled, mailRetimed } from "./mail";
import type { AssignResult, AssignWarning, Attendance, AssignmentStatus, RespondAction, RosterContext } from "./types";
import { takesShifts } from "../policies/shifts";
import { findClash, personConflict } from "../commitments";

export interface AssignInput {
  needId: number;
  sessionId: number;
  personId: number;
}

/** Minutes of a person's active shifts starting in the week from `weekStart` (a station-local Monday). */
async function weekRosteredMinutes(tx: DbOrTx, personId: number, weekStart: DateTime): Promise<number> {
  const [{ used } = { used: 0 }] = await tx
    .select({ used: sql<number>`coalesce(sum(extract(epoch FROM upper(${assignments.during}) - lower(${assignments.during})) / 60), 0)::int` })
    .from(assignments)
    .where(
      and(
        eq(assignments.personId, personId),
        sql`${assignments.status} IN ('proposed', 'confirmed')`,
        sql`lower(${assignments.during}) >= ${weekStart.toJSDate().toISOString()}::timestamptz`,
        sql`lower(${assignments.during}) < ${weekStart.plus({ weeks: 1 }).toJSDate().toISOString()}::timestamptz`,
      ),
    );
  return used;
}

/** The per-session advisory lock: exclusive for whoever cancels or moves the session's shifts. */
async function lockSessionRoster(tx: DbOrTx, sessionId: number, mode: "shared" | "exclusive") {
  const key = `roster-session:${sessionId}`;
  await tx.execute(
    mode === "shared"
      ? sql`SELECT pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`
      : sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`,
  );
}

/**
 * Puts a person on a shift (one need of one session). Taking an open shift oneself
 * confirms it; staff assigning someone proposes it until the person confirms.
 */
export async function assign(db: Db, ctx: RosterContext, input: AssignInput): Promise<AssignResult> {
  try {
    return await db.transaction((tx) => assignInTx(tx, ctx, input));
  } catch (error) {
    rethrowBusy(error);
  }
}

/**
 * The same inside a caller's transaction. Places are serialised per (need, session) by a
 * transaction-scoped advisory lock — not the session row, which is the signups' hot row —
 * and a person's assignments by a second one, so the count, the weekly sum and the insert
 * see every earlier commit. Overlaps are refused by the EXCLUDE constraint itself.
 */
export async function assignInTx(tx: Tx, ctx: RosterContext, input: AssignInput): Promise<AssignResult> {
  const now = ctx.now ?? new Date();
  const self = input.personId === ctx.actor.personId;
  const staff = isStaff(ctx.actor);
  if (!self && !staff) throw new NotAllowed();
  // Anyone signed in has a person; only volunteers and doctors (or staff) work shifts.
  if (self && !staff && !takesShifts(ctx.actor.roles)) throw new ShiftRoleRequired();

  const [facts] = await tx
    .select({
      needActivityId: rosterNeeds.activityId,
      needSessionId: rosterNeeds.sessionId,
      headCount: rosterNeeds.headCount,
      startOffset: rosterNeeds.startOffsetMinutes,
      endOffset: rosterNeeds.endOffsetMinutes,
      skillId: rosterNeeds.skillId,
      restricted: skills.restricted,
    })
    .from(rosterNeeds)
    .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
    .where(and(eq(rosterNeeds.id, input.needId), eq(rosterNeeds.stationId, ctx.stationId)))
    // FOR SHARE: a change of the need's minutes waits for this assignment (and re-times it),
    // or this one waits for the change and takes the new times.
    .for("share", { of: rosterNeeds });
  if (!facts) throw new NotFound("need");
  // Shared with other assignments, exclusive against a cancel or move of the session (which
  // take it before touching its shifts): the status and times read next are then final until
  // commit, or the cancel/move waits for this insert and sees it.
  // The row first (FOR KEY SHARE, as the insert's foreign key would anyway): a cancel holding
  // it FOR UPDATE finishes before we take the advisory lock it is about to ask for.
  await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, input.sessionId)).for("key share");
  await lockSessionRoster(tx, input.sessionId, "shared");
  const [session] = await tx
    .select({
      activityId: sessions.activityId,
      title: activities.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      status: sessions.status,
      zone: stations.timeZone,
      stationMax: stations.maxWeeklyShiftMinutes,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(stations, eq(stations.id, sessions.stationId))
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.stationId, ctx.stationId)));
  if (!session) throw new NotFound("session");
  if (facts.needSessionId !== null ? facts.needSessionId !== input.sessionId : facts.needActivityId !== session.activityId)
    throw new NeedSessionMismatch();
  const [person] = await tx
    .select({ max: people.maxWeeklyShiftMinutes })
    .from(people)
    .where(and(eq(people.id, input.personId), eq(people.stationId, ctx.stationId)));
  if (!person) throw new NotFound("person");
  if (session.status === "cancelled" || session.startsAt <= now) throw new ShiftClosed();

  const startsAt = new Date(session.startsAt.getTime() - facts.startOffset * MINUTE);
  const endsAt = new Date(session.endsAt.getTime() + facts.endOffset * MINUTE);
  const minutes = Math.round((endsAt.getTime() - startsAt.getTime()) / MINUTE);
  const zone = session.zone;

  const [skill] = await tx
    .select({ confirmedAt: personSkills.confirmedAt })
    .from(personSkills)
    .where(and(eq(personSkills.personId, input.personId), eq(personSkills.skillId, facts.skillId)));
  if (!skill || (facts.restricted && !skill.confirmedAt)) throw new NotQualified();

  const warnings: AssignWarning[] = [];
  const local = DateTime.fromJSDate(startsAt, { zone });
  const day = local.toISODate()!;
  const [blackout] = await tx
    .select({ id: blackouts.id })
    .from(blackouts)
    .where(and(eq(blackouts.personId, input.personId), sql`${day}::date BETWEEN ${blackouts.fromDate} AND ${blackouts.toDate}`))
    .limit(1);
  if (blackout) {
    // Self-signup on a day one said one cannot come is a mistake; staff may know better.
    if (!staff || self) throw new BlackoutDay();
    warnings.push("blackout");
  }
  if (staff && !self && !(await withinAvailability(tx, input.personId, startsAt, endsAt, zone))) warnings.push("outside_availability");

  // A person who signed up to attend a session at that time cannot also work then.
  const clash = await signupClash(tx, input.personId, startsAt, endsAt);
  if (clash) throw new SignupConflict(clash.title, formatWhen(new Date(clash.starts_at), new Date(clash.ends_at), zone));

  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`roster-need:${input.needId}:${input.sessionId}`}, 0))`);
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`roster-person:${input.personId}`}, 0))`);

  const [{ active } = { active: 0 }] = await tx
    .select({ active: sql<number>`count(*)::int` })
    .from(assignments)
    .where(
      and(eq(assignments.needId, input.needId), eq(assignments.sessionId, input.sessionId), sql`${assignments.status} IN ('proposed', 'confirmed')`),
    );
  if (active >= facts.headCount) throw new NeedFull();

  // The station-local ISO week (Monday to Monday) the shift starts in.
  const used = await weekRosteredMinutes(tx, input.personId, local.startOf("week"));
  const max = person.max ?? session.stationMax;
  if (used + minutes > max) throw new WeeklyLimit(Math.round((max / 60) * 10) / 10);

  const status = self ? "confirmed" : "proposed";
  let id: number;
  try {
    // A savepoint, so that after a refused insert the transaction can still say what collided.
    id = await tx.transaction(async (sp) => {
      const [row] = await sp
        .insert(assignments)
        .values({
          stationId: ctx.stationId,
          needId: input.needId,
          sessionId: input.sessionId,
          personId: input.personId,
          during: sql`tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, '[)')` as unknown as string,
          status,
          assignedByAccountId: ctx.actor.accountId,
        })
        .returning({ id: assignments.id });
      return row!.id;
    });
  } catch (error) {
    const pgError = pgErrorOf(error);
    if (pgError?.code === "23P01") throw await describeCollision(tx, input.personId, startsAt, endsAt, zone);
    // Already on this very shift (the partial unique index): the same answer as an overlap.
    if (pgError?.code === "23505" && pgError.constraint === "assignments_one_active")
      throw await describeCollision(tx, input.personId, startsAt, endsAt, zone);
    throw error;
  }
  await auditAs(tx, ctx, {
    action: "assignment.create",
    targetType: "assignment",
    targetId: id,
    details: { needId: input.needId, sessionId: input.sessionId, personId: input.personId, status, warnings },
  });
  await mailAssigned(
    tx,
    { stationId: ctx.stationId, assignmentId: id, sessionId: input.sessionId, personId: input.personId, title: session.title, startsAt, endsAt },
    now,
    !self,
  );
  return { id, status, warnings };
}

/** The first session the person signed up to attend (or wait for) that overlaps the time. */
async function signupClash(tx: DbOrTx, personId: number, startsAt: Date, endsAt: Date) {
  const result = await tx.execute<{ title: string; starts_at: string | Date; ends_at: string | Date }>(sql`
    SELECT a.title, s.starts_at, s.ends_at
    FROM signups sg JOIN sessions s ON s.id = sg.session_id JOIN activities a ON a.id = s.activity_id
    WHERE sg.person_id = ${personId} AND sg.status IN ('confirmed', 'waitlisted') AND s.status = 'scheduled'
      AND tstzrange(s.starts_at, s.ends_at, '[)') && tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, '[)')
    ORDER BY s.starts_at LIMIT 1`);
  return result.rows[0];
}

/**
 * Names what holds the person at that time, from the commitments ledger (the engine's authority
 * on who is where): another shift, or a session they are confirmed to attend. `exceptId` is the
 * assignment being written or moved.
 */
async function describeCollision(
  tx: DbOrTx,
  personId: number,
  startsAt: Date,
  endsAt: Date,
  zone: string,
  exceptId = 0,
): Promise<ShiftConflict | SignupConflict | PersonConflict> {
  const clash = await findClash(tx, personId, startsAt, endsAt, exceptId ? { assignmentId: exceptId } : {});
  if (!clash) return new ShiftConflict("", formatWhen(startsAt, endsAt, zone));
  const when = formatWhen(clash.startsAt, clash.endsAt, zone);
  if (clash.kind === "attending") return new SignupConflict(clash.title, when);
  if (clash.kind === "shift") return new ShiftConflict(clash.title, when);
  // Consultation hours, or a consultation given or had: told as such (ADR 27), not as a shift.
  return personConflict(clash);
}

/** Is the shift inside the person's weekly windows (merged, as the suggestion sees them)? */
async function withinAvailability(db: DbOrTx, personId: number, startsAt: Date, endsAt: Date, zone: string): Promise<boolean> {
  const slots = await db
    .select({ weekday: availability.weekday, startTime: availability.startTime, endTime: availability.endTime })
    .from(availability)
    .where(eq(availability.personId, personId));
  return withinWindows(slots, DateTime.fromJSDate(startsAt, { zone }), DateTime.fromJSDate(endsAt, { zone }));
}

type RespondResult = { id: number; status: AssignmentStatus; attendance: Attendance | null };

/**
 * The answers to an assignment. confirm/decline: the person or staff, from "proposed";
 * cancel: staff, or the person themself before the shift starts; attendance: staff only,
 * once the shift has started. Repeating an answer already given changes nothing.
 */
export async function respond(db: Db, ctx: RosterContext, assignmentId: number, action: RespondAction): Promise<RespondResult> {
  const now = ctx.now ?? new Date();
  const staff = isStaff(ctx.actor);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .select({
          personId: assignments.personId,
          sessionId: assignments.sessionId,
          status: assignments.status,
          attendance: assignments.attendance,
          lo: sql<string>`lower(${assignments.during})`,
          hi: sql<string>`upper(${assignments.during})`,
          title: activities.title,
        })
        .from(assignments)
        .innerJoin(sessions, eq(sessions.id, assignments.sessionId))
        .innerJoin(activities, eq(activities.id, sessions.activityId))
        .where(and(eq(assignments.id, assignmentId), eq(assignments.stationId, ctx.stationId)))
        .for("update", { of: assignments });
      // Someone else's shift is "not found" to a volunteer: its existence is not their business.
      if (!row || (!staff && row.personId !== ctx.actor.personId)) throw new NotFound("assignment");
      const own = row.personId === ctx.actor.personId;
      const startsAt = new Date(row.lo);
      const endsAt = new Date(row.hi);
      const facts = { stationId: ctx.stationId, assignmentId, sessionId: row.sessionId, personId: row.personId, title: row.title, startsAt, endsAt };
      const unchanged = { id: assignmentId, status: row.status, attendance: row.attendance };

      let status: AssignmentStatus = row.status;
      let attendance: Attendance | null = row.attendance;
      switch (action) {
        case "confirm":
          if (row.status === "confirmed") return unchanged;
          if (row.status !== "proposed") throw new AssignmentState(row.status);
          status = "confirmed";
          break;
        case "decline":
          if (row.status === "declined") return unchanged;
          if (row.status !== "proposed") throw new AssignmentState(row.status);
          status = "declined";
          break;
        case "cancel":
          if (row.status === "cancelled") return unchanged;
          if (row.status === "declined") throw new AssignmentState(row.status);
          // A person leaves a shift before it starts; afterwards only staff change the record.
          if (!staff && startsAt <= now) throw new ShiftClosed();
          status = "cancelled";
          break;
        case "attended":
        case "no_show":
        case "no_show_excused":
          if (!staff) throw new NotAllowed();
          if (startsAt > now) throw new AttendanceTooEarly();
          if (row.status !== "confirmed") throw new AssignmentState(row.status);
          if (row.attendance === action) return unchanged;
          attendance = action;
          break;
        default:
          throw new AssignmentState(String(action));
      }
      await tx.update(assignments).set({ status, attendance, updatedAt: now }).where(eq(assignments.id, assignmentId));
      await auditAs(tx, ctx, {
        action: `assignment.${action}`,
        targetType: "assignment",
        targetId: assignmentId,
        details: { personId: row.personId, from: row.status, to: status, attendance },
      });
      if (status === "declined") await cancelPendingForAssignments(tx, [assignmentId], "assignment_declined");
      if (status === "cancelled") await mailCancelled(tx, facts, now, !own);
      return { id: assignmentId, status, attendance };
    });
  } catch (error) {
    rethrowBusy(error);
  }
}

// Assignments (a) with their session (s), activity (act) and need (n); a shift's due time is
// its session's, widened by its need's set-up and clear-up minutes.
const shiftJoins = sql.raw(`assignments a
    JOIN sessions s ON s.id = a.session_id
    JOIN activities act ON act.id = s.activity_id
    JOIN roster_needs n ON n.id = a.need_id`);
const dueLo = sql.raw(`s.starts_at - n.start_offset_minutes * interval '1 minute'`);
const dueHi = sql.raw(`s.ends_at + n.end_offset_minutes * interval '1 minute'`);
// The time a shift has (old_lo, old_hi) and the time now due (lo, hi).
const shiftTimes = sql`lower(a.during) AS old_lo, upper(a.during) AS old_hi, ${dueLo} AS lo, ${dueHi} AS hi`;

/** A shift its session's move or cancellation cancelled: the system did it, not a person. */
async function auditCancelledWithSession(
  tx: DbOrTx,
  row: { id: number; person_id: number; station_id: number },
  reason: "session_moved_conflict" | "session_cancelled",
): Promise<void> {
  await recordAudit(tx, {
    stationId: row.station_id,
    actorAccountId: null,
    action: "assignment.cancel",
    targetType: "assignment",
    targetId: row.id,
    details: { personId: row.person_id, reason },
  });
}

/** Moves one shift in a savepoint, so that a clash with another of the person's (23P01) leaves the transaction usable. */
async function moveShift(tx: DbOrTx, id: number, startsAt: Date, endsAt: Date): Promise<void> {
  await tx.transaction(async (sp) => {
    await sp.execute(sql`UPDATE assignments SET during = ${rangeOf(startsAt, endsAt)}, updated_at = now() WHERE id = ${id}`);
  });
}

/**
 * A session moved: its active assignments take the new time (with their need's offsets).
 * Call inside the transaction that moves the session, after its row is updated. One that
 * would now collide with another of the person's shifts is cancelled (and the person told)
 * rather than block the move. Returns the ids re-timed and cancelled.
 */
export async function retimeSessionAssignments(tx: DbOrTx, sessionId: number, now = new Date()): Promise<{ retimed: number[]; cancelled: number[] }> {
  await lockSessionRoster(tx, sessionId, "exclusive");
  const rows = await tx.execute<{
    id: number;
    person_id: number;
    station_id: number;
    title: string;
    old_lo: string | Date;
    old_hi: string | Date;
    lo: string | Date;
    hi: string | Date;
  }>(sql`
    SELECT a.id, a.person_id, a.station_id, act.title, ${shiftTimes}
    FROM ${shiftJoins}
    WHERE a.session_id = ${sessionId} AND a.status IN ('proposed', 'confirmed')
      AND a.during <> tstzrange(${dueLo}, ${dueHi}, '[)')
    ORDER BY a.id`);
  const retimed: number[] = [];
  const cancelled: number[] = [];
  for (const row of rows.rows) {
    const startsAt = new Date(row.lo);
    const endsAt = new Date(row.hi);
    const facts = { stationId: row.station_id, assignmentId: row.id, sessionId, personId: row.person_id, title: row.title, startsAt, endsAt };
    try {
      await moveShift(tx, row.id, startsAt, endsAt);
      retimed.push(row.id);
      await mailRetimed(tx, facts, { startsAt: new Date(row.old_lo), endsAt: new Date(row.old_hi) }, now);
    } catch (error) {
      if (pgErrorOf(error)?.code !== "23P01") throw error;
      await tx.update(assignments).set({ status: "cancelled", updatedAt: now }).where(eq(assignments.id, row.id));
      await auditCancelledWithSession(tx, row, "session_moved_conflict");
      cancelled.push(row.id);
      await mailCancelled(tx, facts, now, true);
    }
  }
  return { retimed, cancelled };
}

/**
 * A session cancelled: its active assignments are cancelled and their people told. Call
 * inside the transaction that cancels the session.
 */
export async function cancelSessionAssignments(tx: DbOrTx, sessionId: number, now = new Date()): Promise<number[]> {
  // Waits for assignments in flight on the session; later ones then read it cancelled.
  await lockSessionRoster(tx, sessionId, "exclusive");
  const rows = await tx.execute<{ id: number; person_id: number; station_id: number; title: string; lo: string | Date; hi: string | Date }>(sql`
    UPDATE assignments a SET status = 'cancelled', updated_at = now()
    FROM sessions s JOIN activities act ON act.id = s.activity_id
    WHERE a.session_id = ${sessionId} AND s.id = a.session_id AND a.status IN ('proposed', 'confirmed')
    RETURNING a.id, a.person_id, a.station_id, act.title, lower(a.during) AS lo, upper(a.during) AS hi`);
  for (const row of rows.rows) {
    await auditCancelledWithSession(tx, row, "session_cancelled");
    await mailCancelled(
      tx,
      {
        stationId: row.station_id,
        assignmentId: row.id,
        sessionId,
        personId: row.person_id,
        title: row.title,
        startsAt: new Date(row.lo),
        endsAt: new Date(row.hi),
      },
      now,
      true,
    );
  }
  return rows.rows.map((r) => r.id);
}

/**
 * A need's set-up/clear-up minutes changed: its active future assignments take the new
 * times, row by row. Unlike a moved session (where a clash cancels the shift), this is
 * refused as a whole — the coordinator is at the form — when a shift would overlap another
 * of the person's or take them over their weekly maximum. Call inside the transaction that
 * updated the need's row (which waited for assignments in flight: they read it FOR SHARE).
 */
export async function retimeNeedAssignments(tx: DbOrTx, needId: number, now: Date): Promise<number[]> {
  const rows = await tx.execute<{
    id: number;
    person_id: number;
    session_id: number;
    station_id: number;
    name: string;
    title: string;
    zone: string;
    max: number;
    old_lo: string | Date;
    old_hi: string | Date;
    lo: string | Date;
    hi: string | Date;
  }>(sql`
    SELECT a.id, a.person_id, a.session_id, a.station_id, p.full_name AS name, act.title, st.time_zone AS zone,
           coalesce(p.max_weekly_shift_minutes, st.max_weekly_shift_minutes) AS max, ${shiftTimes}
    FROM ${shiftJoins}
    JOIN people p ON p.id = a.person_id
    JOIN stations st ON st.id = a.station_id
    WHERE a.need_id = ${needId} AND a.status IN ('proposed', 'confirmed')
      AND s.starts_at > ${now.toISOString()}::timestamptz
      AND a.during <> tstzrange(${dueLo}, ${dueHi}, '[)')
    ORDER BY a.person_id, a.id`);
  // The same per-person lock as assignInTx, in person order, so each weekly sum below is final.
  for (const personId of [...new Set(rows.rows.map((r) => Number(r.person_id)))]) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`roster-person:${personId}`}, 0))`);
  }
  for (const row of rows.rows) {
    const startsAt = new Date(row.lo);
    const endsAt = new Date(row.hi);
    try {
      await moveShift(tx, row.id, startsAt, endsAt);
    } catch (error) {
      if (pgErrorOf(error)?.code !== "23P01") throw error;
      const clash = await describeCollision(tx, row.person_id, startsAt, endsAt, row.zone, row.id);
      // Consultation hours or a consultation: told as such, naming the person (ADR 27).
      if (clash instanceof PersonConflict) throw clash;
      const named = [row.name, String(clash.params.title), String(clash.params.when)] as const;
      throw clash instanceof SignupConflict ? new NeedRetimeSignupConflict(...named) : new NeedRetimeConflict(...named);
    }
  }
  for (const row of rows.rows) {
    // As assignInTx: nobody works a shift while attending a session they signed up for.
    const signup = await signupClash(tx, row.person_id, new Date(row.lo), new Date(row.hi));
    if (signup)
      throw new NeedRetimeSignupConflict(row.name, signup.title, formatWhen(new Date(signup.starts_at), new Date(signup.ends_at), row.zone));
    // The week's sum changes only if the shift grew or moved into another week; a week already
    // over a since-lowered maximum is not this change's doing.
    const weekStart = DateTime.fromJSDate(new Date(row.lo), { zone: row.zone }).startOf("week");
    const longer = new Date(row.hi).getTime() - new Date(row.lo).getTime() > new Date(row.old_hi).getTime() - new Date(row.old_lo).getTime();
    const otherWeek = +DateTime.fromJSDate(new Date(row.old_lo), { zone: row.zone }).startOf("week") !== +weekStart;
    if (!longer && !otherWeek) continue;
    const used = await weekRosteredMinutes(tx, row.person_id, weekStart);
    const max = Number(row.max);
    if (used > max) throw new NeedRetimeWeeklyLimit(row.name, Math.round((max / 60) * 10) / 10);
  }
  for (const row of rows.rows) {
    const facts = {
      stationId: row.station_id,
      assignmentId: row.id,
      sessionId: row.session_id,
      personId: row.person_id,
      title: row.title,
      startsAt: new Date(row.lo),
      endsAt: new Date(row.hi),
    };
    await mailRetimed(tx, facts, { startsAt: new Date(row.old_lo), endsAt: new Date(row.old_hi) }, now);
  }
  return rows.rows.map((r) => r.id);
}
