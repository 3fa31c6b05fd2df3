import { and, eq, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "../db";
import { people, sessions, signups } from "../db/schema";
import { auditAs } from "../audit";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { normalisePhone, type NewPerson } from "../people";
import { describePersonConflict, isCommitmentClash } from "../commitments";
import { verifyCheckinCode } from "./codes";
import { isInt, requireCheckinRights, type DeskContext } from "./context";
import { CheckinClosed, CheckinNotOpen, InvalidDeskInput, OverCapacity, SessionCancelled } from "./errors";
import { recordNeedsConsentForNew } from "../privacy/consents";
import { lockSession, type LockedSession } from "../signups";

/** Check-in opens this long before the start ("before the doors open" is refused). */
export const CHECKIN_OPENS_BEFORE_MS = 3600_000;

export interface CheckinResult {
  signupId: number;
  sessionId: number;
  personId: number;
  partySize: number;
  attendedCount: number;
  checkedInAt: Date;
  /** Registered at the door (no booking, or off the waitlist). */
  walkIn: boolean;
  /** The person was checked in already: nothing was written. */
  alreadyCheckedIn: boolean;
  /** Booked places plus walk-ins now pass the capacity (only staff can get here). */
  overCapacity: boolean;
  expected: number;
  capacity: number;
}

/** The session row locked for a check-in: check-ins of one session queue, so the capacity sum stays true. */
async function lockCheckinSession(tx: Tx, stationId: number, sessionId: number): Promise<LockedSession> {
  const session = await lockSession(tx, sessionId, stationId);
  if (!session) throw new NotFound("session");
  return session;
}

/** The rules every check-in and undo passes: a session that runs, doors open, and after 结束签到 staff only. */
function assertCheckinOpen(ctx: DeskContext, session: LockedSession, now: Date) {
  if (session.status === "cancelled") throw new SessionCancelled();
  const opensAt = new Date(session.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS);
  if (now < opensAt) throw new CheckinNotOpen(opensAt);
  if (session.checkinClosedAt && !isStaff(ctx.actor)) throw new CheckinClosed();
}

/** People expected in the room: booked places plus the parties seated at the door. */
async function expectedPeople(tx: Tx, session: LockedSession): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(sum(${signups.partySize}), 0)::int` })
    .from(signups)
    .where(and(eq(signups.sessionId, session.id), eq(signups.status, "confirmed"), eq(signups.walkIn, true)));
  return session.taken + Number(row?.n ?? 0);
}

interface CheckinInput {
  personId: number;
  /** People of the party who came (default: all of it). */
  attended?: number;
  /** For a walk-in: the party that came (default 1). */
  partySize?: number;
  via: "person" | "code" | "walk_in";
}

/**
 * Seats a person at the door (a confirmed signup) in a savepoint: when the commitments ledger
 * refuses it — they hold a place or a shift elsewhere at that time — the refusal names it, and
 * the desk can cancel the other booking first (docs/decisions/0015-commitments-ledger.md).
 */
async function seatOrNameClash<T>(tx: Tx, session: LockedSession, personId: number, write: (sp: Tx) => Promise<T>): Promise<T> {
  try {
    return await tx.transaction(write);
  } catch (error) {
    if (isCommitmentClash(error)) throw await describePersonConflict(tx, personId, session.startsAt, session.endsAt);
    throw error;
  }
}

async function checkInLocked(tx: Tx, ctx: DeskContext, session: LockedSession, input: CheckinInput, now: Date): Promise<CheckinResult> {
  const staff = isStaff(ctx.actor);
  const [signup] = await tx
    .select({
      id: signups.id,
      status: signups.status,
      partySize: signups.partySize,
      walkIn: signups.walkIn,
      attendance: signups.attendance,
      attendedCount: signups.attendedCount,
      attendanceAt: signups.attendanceAt,
    })
    .from(signups)
    .where(and(eq(signups.sessionId, session.id), eq(signups.personId, input.personId), ne(signups.status, "cancelled")))
    .for("update");
  const base = { sessionId: session.id, personId: input.personId, capacity: session.capacity };

  // Twice is harmless: the second check-in reports the first and writes nothing.
  if (signup?.attendance === "attended") {
    return {
      ...base,
      signupId: signup.id,
      partySize: signup.partySize,
      attendedCount: signup.attendedCount!,
      checkedInAt: signup.attendanceAt!,
      walkIn: signup.walkIn,
      alreadyCheckedIn: true,
      overCapacity: false,
      expected: await expectedPeople(tx, session),
    };
  }

  let signupId: number;
  let partySize: number;
  let walkIn = false;
  let expected = await expectedPeople(tx, session);
  if (!signup || signup.status === "waitlisted") {
    // Not booked (or only waitlisted): seated at the door, past the booked places.
    partySize = signup ? signup.partySize : (input.partySize ?? 1);
    if (!isInt(partySize, 1, 10)) throw new InvalidDeskInput("partySize");
    if (expected + partySize > session.capacity && !staff) throw new OverCapacity(session.capacity);
    walkIn = true;
    expected += partySize;
    if (signup) {
      await seatOrNameClash(tx, session, input.personId, (sp) =>
        sp.update(signups).set({ status: "confirmed", walkIn: true, confirmedAt: now }).where(eq(signups.id, signup.id)),
      );
      await tx
        .update(sessions)
        .set({ waitlistedParties: sql`${sessions.waitlistedParties} - 1` })
        .where(eq(sessions.id, session.id));
      signupId = signup.id;
    } else {
      const [seq] = await tx
        .update(sessions)
        .set({ signupSeq: sql`${sessions.signupSeq} + 1` })
        .where(eq(sessions.id, session.id))
        .returning({ seq: sessions.signupSeq });
      const [row] = await seatOrNameClash(tx, session, input.personId, (sp) =>
        sp
          .insert(signups)
          .values({
            stationId: ctx.stationId,
            sessionId: session.id,
            personId: input.personId,
            partySize,
            status: "confirmed",
            seq: seq!.seq,
            walkIn: true,
            bookedByAccountId: ctx.actor.accountId,
            createdAt: now,
            confirmedAt: now,
          })
          .returning({ id: signups.id }),
      );
      signupId = row!.id;
    }
  } else {
    signupId = signup.id;
    partySize = signup.partySize;
    walkIn = signup.walkIn;
  }
  const attendedCount = input.attended ?? partySize;
  if (!isInt(attendedCount, 1, partySize)) throw new InvalidDeskInput("attended");
  await tx
    .update(signups)
    .set({ attendance: "attended", attendedCount, attendanceReason: null, attendanceAt: now, attendanceByAccountId: ctx.actor.accountId })
    .where(eq(signups.id, signupId));
  const afterClose = session.checkinClosedAt !== null;
  await auditAs(tx, ctx, {
    action: afterClose ? "checkin.after_close" : "checkin",
    targetType: "signup",
    targetId: signupId,
    details: { sessionId: session.id, via: input.via, walkIn, attendedCount, previous: signup?.attendance ?? null },
  });
  return {
    ...base,
    signupId,
    partySize,
    attendedCount,
    checkedInAt: now,
    walkIn,
    alreadyCheckedIn: false,
    overCapacity: expected > session.capacity,
    expected,
  };
}

async function requirePersonHere(tx: Tx, stationId: number, personId: number) {
  const [row] = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)));
  if (!row) throw new NotFound("person");
}

/**
 * Checks a person in: their booking, their waitlisted signup, or — not booked at all — a
 * walk-in signup made on the spot. One transaction under the session's row lock.
 */
export async function checkIn(db: Db, ctx: DeskContext, input: { sessionId: number; personId: number; attended?: number; partySize?: number }) {
  const now = ctx.now ?? new Date();
  if (!isInt(input.personId, 1, 2 ** 31 - 1)) throw new InvalidDeskInput("personId");
  await requireCheckinRights(db, ctx, input.sessionId);
  return db.transaction(async (tx) => {
    const session = await lockCheckinSession(tx, ctx.stationId, input.sessionId);
    assertCheckinOpen(ctx, session, now);
    await requirePersonHere(tx, ctx.stationId, input.personId);
    return checkInLocked(tx, ctx, session, { ...input, via: "person" }, now);
  });
}

/**
 * Checks in the holder of a QR code. Staff only: a code is useless to anyone else. A forged,
 * foreign, cancelled or expired code is "not found", and nothing is written.
 */
export async function checkInByCode(db: Db, ctx: DeskContext, input: { sessionId: number; code: unknown; attended?: number }) {
  const now = ctx.now ?? new Date();
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  const check = await verifyCheckinCode(db, ctx.stationId, input.sessionId, input.code, now);
  if (!check.ok) throw new NotFound("checkin_code");
  return db.transaction(async (tx) => {
    const session = await lockCheckinSession(tx, ctx.stationId, input.sessionId);
    assertCheckinOpen(ctx, session, now);
    return checkInLocked(tx, ctx, session, { personId: check.personId, attended: input.attended, via: "code" }, now);
  });
}

/**
 * A walk-in who did not book: found by name and phone, or registered (as in 代人报名), and
 * checked in — all in ONE transaction, so a refused check-in leaves no stray person behind.
 */
export async function checkInWalkIn(db: Db, ctx: DeskContext, input: { sessionId: number; person: NewPerson; partySize?: number }) {
  const now = ctx.now ?? new Date();
  const fullName = typeof input.person?.fullName === "string" ? input.person.fullName.trim() : "";
  if (fullName.length < 1 || fullName.length > 100) throw new InvalidDeskInput("fullName");
  const birthYear = input.person.birthYear ?? null;
  if (birthYear !== null && !isInt(birthYear, 1900, now.getUTCFullYear())) throw new InvalidDeskInput("birthYear");
  const phone = normalisePhone(input.person.phone);
  await requireCheckinRights(db, ctx, input.sessionId);
  return db.transaction(async (tx) => {
    const session = await lockCheckinSession(tx, ctx.stationId, input.sessionId);
    assertCheckinOpen(ctx, session, now);
    const [known] = phone
      ? await tx
          .select({ id: people.id })
          .from(people)
          .where(and(eq(people.stationId, ctx.stationId), eq(people.fullName, fullName), eq(people.phone, phone)))
          .orderBy(people.id)
          .limit(1)
      : [];
    let personId = known?.id;
    if (personId === undefined) {
      const [row] = await tx
        .insert(people)
        .values({ stationId: ctx.stationId, fullName, phone, birthYear, needs: input.person.needs || null })
        .returning({ id: people.id });
      personId = row!.id;
      // Needs only with the person's consent to keep them, recorded with the person (ADR 22).
      if (input.person.needs)
        await recordNeedsConsentForNew(tx, { stationId: ctx.stationId, actorAccountId: ctx.actor.accountId }, personId, input.person.needsConsent);
      // By id only: needs and phone stay out of the log.
      await auditAs(tx, ctx, {
        action: "person.create",
        targetType: "person",
        targetId: personId,
      });
    }
    const result = await checkInLocked(tx, ctx, session, { personId, partySize: input.partySize, via: "walk_in" }, now);
    return { ...result, registered: known === undefined };
  });
}

/**
 * Undoes a check-in (a wrong tap). A walk-in signup made by the check-in goes away with it;
 * a booking goes back to "not checked in" — or, once check-in is closed, to no-show (staff only).
 */
export async function undoCheckIn(db: Db, ctx: DeskContext, input: { sessionId: number; personId: number }) {
  const now = ctx.now ?? new Date();
  await requireCheckinRights(db, ctx, input.sessionId);
  return db.transaction(async (tx) => {
    const session = await lockCheckinSession(tx, ctx.stationId, input.sessionId);
    assertCheckinOpen(ctx, session, now);
    const [signup] = await tx
      .select({ id: signups.id, walkIn: signups.walkIn })
      .from(signups)
      .where(and(eq(signups.sessionId, session.id), eq(signups.personId, input.personId), eq(signups.attendance, "attended")))
      .for("update");
    if (!signup) throw new NotFound("checkin");
    const closed = session.checkinClosedAt !== null;
    const cleared = { attendance: null, attendedCount: null, attendanceReason: null, attendanceAt: null, attendanceByAccountId: null };
    if (signup.walkIn) {
      await tx
        .update(signups)
        .set({ ...cleared, status: "cancelled", cancelledAt: now, cancelledByAccountId: ctx.actor.accountId })
        .where(eq(signups.id, signup.id));
    } else if (closed) {
      await tx
        .update(signups)
        .set({ ...cleared, attendance: "no_show", attendanceAt: now, attendanceByAccountId: ctx.actor.accountId })
        .where(eq(signups.id, signup.id));
    } else {
      await tx.update(signups).set(cleared).where(eq(signups.id, signup.id));
    }
    await auditAs(tx, ctx, {
      action: closed ? "checkin.undo_after_close" : "checkin.undo",
      targetType: "signup",
      targetId: signup.id,
      details: { sessionId: session.id, walkIn: signup.walkIn },
    });
    return { signupId: signup.id, attendance: signup.walkIn ? null : closed ? ("no_show" as const) : null, walkInRemoved: signup.walkIn };
  });
}
