import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { isTransaction, type Db, type DbOrTx, type Tx } from "./db";
import { activities, auditLog, people, sessions, signups, stations } from "./db/schema";
import { pgErrorOf } from "./db/errors";
import { namedStatement } from "./db/prepared";
import {
  AlreadySignedUp,
  rethrowBusy,
  CancelNotPossible,
  CancelTooLate,
  Conflict,
  InvalidPartySize,
  NotFound,
  PartyTooLarge,
  SignupClosed,
} from "./errors";
import { isStaff, requireCanActFor, canActFor, staffMayActForSql, SESSION_BOOKINGS, type Actor } from "./permissions";
import { throughSessionGate } from "./session-gate";
import { cancelVerdict, type CancelRefusal } from "./policies/signups";
import { describePersonConflict, isCommitmentClash, personConflict } from "./commitments";
import { cancelPendingForSignup, enqueue, notifyPromoted, signupMailInsert } from "./notifications/enqueue";
import { bookerAccounts, bookerPeople, selectPersonBookings } from "./person-bookings";

export type SignupStatus = "confirmed" | "waitlisted" | "cancelled";

export interface SignupResult {
  id: number;
  sessionId: number;
  personId: number;
  partySize: number;
  status: "confirmed" | "waitlisted";
  waitlistPosition?: number;
}

export interface SignupContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The rules that decide whether a session takes signups now. */
export async function requireSignupRules(db: DbOrTx, stationId: number, sessionId: number) {
  const [row] = await db
    .select({
      status: sessions.status,
      startsAt: sessions.startsAt,
      maxPartySize: activities.maxPartySize,
      opensDays: activities.signupOpensDays,
      closesMinutes: activities.signupClosesMinutes,
      cancelDeadlineMinutes: activities.cancelDeadlineMinutes,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.stationId, stationId)));
  if (!row) throw new NotFound("session");
  return row;
}

type Rules = Awaited<ReturnType<typeof requireSignupRules>>;

export function signupWindow(rules: Pick<Rules, "startsAt" | "opensDays" | "closesMinutes">) {
  return {
    opensAt: new Date(rules.startsAt.getTime() - rules.opensDays * DAY),
    closesAt: new Date(rules.startsAt.getTime() - rules.closesMinutes * MINUTE),
  };
}

function assertOpen(rules: Rules, now: Date) {
  if (rules.status === "cancelled") throw new SignupClosed("session_cancelled");
  const { opensAt, closesAt } = signupWindow(rules);
  if (now < opensAt) throw new SignupClosed("not_open");
  if (now > closesAt) throw new SignupClosed("closed");
}

/** The checks signUp makes before taking a place; exported so a caller can make them first. */
export function assertSignupPossible(rules: Rules, partySize: number, now = new Date()) {
  if (!Number.isInteger(partySize) || partySize < 1) throw new InvalidPartySize();
  if (partySize > rules.maxPartySize) throw new PartyTooLarge(rules.maxPartySize);
  assertOpen(rules, now);
}

/**
 * Takes places for a party, or puts it on the waitlist, in ONE statement: it locks the
 * session row, takes the places only if they fit (`taken + party <= capacity`), hands out
 * the arrival number, inserts the signup, its audit row and its mail (confirmation or waitlist
 * notice, and the reminders, timed from the session row it locked). Nothing can interleave between
 * the check and the take, the CHECK on sessions backs it, and a second active signup of the
 * same person is refused by the partial unique index — so a double click leaves one signup.
 */
export async function signUp(
  db: DbOrTx,
  ctx: SignupContext,
  input: { sessionId: number; personId: number; partySize: number },
): Promise<SignupResult> {
  const now = ctx.now ?? new Date();
  if (!Number.isInteger(input.partySize) || input.partySize < 1) throw new InvalidPartySize();
  const proxy = input.personId !== ctx.actor.personId;
  // Signing oneself up needs no lookup: the viewer's roles here already place them at this station.
  // Staff may book for anyone of the station, so for them the statement itself checks that the
  // person is one (not erased): a coordinator's rush of bookings is one round trip each, not two.
  // Others (a volunteer, a housemate) are checked first, by the rules of canActFor.
  const personCheck = proxy && isStaff(ctx.actor);
  if ((proxy && !personCheck) || ctx.actor.roles.length === 0) await requireCanActFor(db, ctx.stationId, ctx.actor, input.personId, SESSION_BOOKINGS);
  // The statement itself checks the session, its window and the party limit: the usual case
  // is one round trip. Only when it takes nothing do we look at why, to say so.
  const row = await throughSessionGate(input.sessionId, () => takePlace(db, ctx, input, now, proxy, personCheck));
  if (!row) {
    if (personCheck) await requireCanActFor(db, ctx.stationId, ctx.actor, input.personId, SESSION_BOOKINGS);
    assertSignupPossible(await requireSignupRules(db, ctx.stationId, input.sessionId), input.partySize, now);
    throw new SignupClosed("closed");
  }
  const result: SignupResult = { id: row.id, sessionId: input.sessionId, personId: input.personId, partySize: input.partySize, status: row.status };
  // The waitlist's length, counted under the lock as this party joined it.
  if (row.status === "waitlisted") result.waitlistPosition = Number(row.position);
  return result;
}

type TakenRow = { id: number; status: "confirmed" | "waitlisted"; seq: number; position: number };

type TakePlaceValues = {
  stationId: number;
  sessionId: number;
  personId: number;
  partySize: number;
  accountId: number;
  now: Date;
  proxy: boolean;
  personCheck: boolean;
};

/**
 * Signing up in ONE statement (see signUp). The person check (`personCheck`) and the session's
 * rules filter the row before it is locked; everything after the lock is what must be under it.
 */
const takePlaceStatement = namedStatement<TakePlaceValues, TakenRow>(
  "signup_take_place",
  (v) => sql`
      WITH locked AS (
        SELECT s.id, s.taken, s.capacity, s.starts_at, s.ends_at, a.reminder_minutes, a.remind_day_of,
               (SELECT st.time_zone FROM ${stations} st WHERE st.id = ${v.stationId}) AS time_zone
        FROM ${sessions} s JOIN ${activities} a ON a.id = s.activity_id
        WHERE s.id = ${v.sessionId} AND s.station_id = ${v.stationId} AND s.status = 'scheduled'
          AND ${v.partySize} <= a.max_party_size
          AND ${v.now}::timestamptz BETWEEN s.starts_at - a.signup_opens_days * interval '1 day'
                                        AND s.starts_at - a.signup_closes_minutes * interval '1 minute'
          -- Staff booking for someone (canActFor): a person of this station, not erased.
          AND (NOT ${v.personCheck}::boolean OR ${staffMayActForSql(v.personId, v.stationId)})
        FOR UPDATE OF s
      ), taken AS (
        UPDATE ${sessions} s
        SET taken = s.taken + CASE WHEN l.taken + ${v.partySize} <= l.capacity THEN ${v.partySize}::int ELSE 0 END,
            waitlisted_parties = s.waitlisted_parties + CASE WHEN l.taken + ${v.partySize} <= l.capacity THEN 0 ELSE 1 END,
            signup_seq = s.signup_seq + 1
        FROM locked l WHERE s.id = l.id
        RETURNING s.id, s.signup_seq AS seq, s.waitlisted_parties AS position, (l.taken + ${v.partySize} <= l.capacity) AS confirmed
      ), inserted AS (
        INSERT INTO ${signups} (station_id, session_id, person_id, party_size, status, seq, booked_by_account_id, confirmed_at)
        SELECT ${v.stationId}, t.id, ${v.personId}, ${v.partySize},
               (CASE WHEN t.confirmed THEN 'confirmed' ELSE 'waitlisted' END)::signup_status,
               t.seq, ${v.accountId}, CASE WHEN t.confirmed THEN ${v.now}::timestamptz END
        FROM taken t
        RETURNING id, status, seq, (SELECT t.position FROM taken t) AS position
      ), audited AS (
        INSERT INTO ${auditLog} (station_id, actor_account_id, action, target_type, target_id, details)
        SELECT ${v.stationId}, ${v.accountId}, 'signup.create', 'signup', i.id,
               jsonb_build_object('sessionId', ${v.sessionId}::int, 'personId', ${v.personId}::int,
                                  'partySize', ${v.partySize}::int, 'status', i.status, 'proxy', ${v.proxy}::boolean)
        FROM inserted i
      ), notified AS (${signupMailInsert(
        sql`SELECT i.id AS signup_id, ${v.stationId}::int AS station_id, ${v.personId}::int AS person_id, l.id AS session_id,
                   CASE WHEN i.status = 'confirmed' THEN 'signup_confirmed' ELSE 'signup_waitlisted' END AS kind,
                   -- The position told on the page: the mail falls back to it if it cannot count at send time.
                   CASE WHEN i.status = 'waitlisted' THEN jsonb_build_object('position', i.position) ELSE '{}'::jsonb END AS payload,
                   i.status = 'confirmed' AS confirmed, l.starts_at, l.ends_at, l.reminder_minutes, l.remind_day_of, l.time_zone
            FROM inserted i CROSS JOIN locked l`,
        v.now,
      )})
      SELECT id, status::text AS status, seq, position FROM inserted`,
);

async function takePlace(
  db: DbOrTx,
  ctx: SignupContext,
  input: { sessionId: number; personId: number; partySize: number },
  now: Date,
  proxy: boolean,
  personCheck: boolean,
): Promise<TakenRow | undefined> {
  const values: TakePlaceValues = {
    stationId: ctx.stationId,
    sessionId: input.sessionId,
    personId: input.personId,
    partySize: input.partySize,
    accountId: ctx.actor.accountId,
    now,
    proxy,
    personCheck,
  };
  // Inside a caller's transaction the statement runs in a savepoint, so that after the ledger
  // refuses it (the person is elsewhere then) the clash can still be read and named.
  try {
    const rows = isTransaction(db)
      ? await db.transaction((sp) => takePlaceStatement(sp as unknown as Db, values))
      : await takePlaceStatement(db as Db, values);
    return rows[0];
  } catch (error) {
    if (pgErrorOf(error)?.code === "23505") {
      const existing = await getActiveSignup(db, input.sessionId, input.personId);
      if (existing) throw new AlreadySignedUp(existing.id);
    }
    if (isCommitmentClash(error)) throw await describeSignupConflict(db, input.sessionId, input.personId);
    rethrowBusy(error);
  }
}

/** The person's commitment that kept them out of the session, as the 409 naming it. */
async function describeSignupConflict(db: DbOrTx, sessionId: number, personId: number) {
  const [session] = await db.select({ startsAt: sessions.startsAt, endsAt: sessions.endsAt }).from(sessions).where(eq(sessions.id, sessionId));
  if (!session) return personConflict(undefined);
  return describePersonConflict(db, personId, session.startsAt, session.endsAt);
}

async function waitlistPosition(db: DbOrTx, sessionId: number, seq: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(signups)
    .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "waitlisted"), sql`${signups.seq} <= ${seq}`));
  return row?.n ?? 1;
}

export async function getActiveSignup(db: DbOrTx, sessionId: number, personId: number) {
  const [row] = await db
    .select({ id: signups.id, status: signups.status, partySize: signups.partySize, seq: signups.seq })
    .from(signups)
    .where(and(eq(signups.sessionId, sessionId), eq(signups.personId, personId), sql`${signups.status} <> 'cancelled'`));
  if (!row) return undefined;
  return {
    ...row,
    waitlistPosition: row.status === "waitlisted" ? await waitlistPosition(db, sessionId, row.seq) : undefined,
  };
}

/**
 * Fills freed places from the waitlist in arrival order, first-fit: a party larger than the
 * places left keeps its position while smaller ones behind it move up; a party is promoted
 * whole or not at all. Call with the session row locked, inside the transaction that freed
 * the places. Nobody is promoted once the signup window has closed.
 */
export async function promoteWaitlist(tx: Tx, stationId: number, sessionId: number, now: Date, actorAccountId: number | null): Promise<number[]> {
  const [session] = await tx
    .select({
      taken: sessions.taken,
      capacity: sessions.capacity,
      status: sessions.status,
      startsAt: sessions.startsAt,
      closesMinutes: activities.signupClosesMinutes,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .where(eq(sessions.id, sessionId));
  if (!session || session.status !== "scheduled") return [];
  if (now > signupWindow({ startsAt: session.startsAt, opensDays: 0, closesMinutes: session.closesMinutes }).closesAt) return [];
  let free = session.capacity - session.taken;
  if (free <= 0) return [];
  const waiting = await tx
    .select({ id: signups.id, partySize: signups.partySize })
    .from(signups)
    .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "waitlisted")))
    .orderBy(asc(signups.seq))
    .for("update");
  const promoted: number[] = [];
  for (const candidate of waiting) {
    if (candidate.partySize > free) continue;
    // One savepoint each: a candidate who is elsewhere at that time (the ledger refuses the
    // confirmation) keeps their place in the queue, and the next one is taken.
    if (!(await confirmUnlessElsewhere(tx, candidate.id, now))) continue;
    promoted.push(candidate.id);
    free -= candidate.partySize;
    if (free === 0) break;
  }
  if (!promoted.length) return [];
  await tx
    .update(sessions)
    .set({ taken: session.capacity - free, waitlistedParties: sql`${sessions.waitlistedParties} - ${promoted.length}` })
    .where(eq(sessions.id, sessionId));
  await tx
    .insert(auditLog)
    .values(
      promoted.map((id) => ({ stationId, actorAccountId, action: "signup.promote", targetType: "signup", targetId: id, details: { sessionId } })),
    );
  await notifyPromoted(tx, promoted, now);
  return promoted;
}

async function confirmUnlessElsewhere(tx: Tx, signupId: number, now: Date): Promise<boolean> {
  try {
    await tx.transaction((sp) => sp.update(signups).set({ status: "confirmed", confirmedAt: now }).where(eq(signups.id, signupId)));
    return true;
  } catch (error) {
    if (isCommitmentClash(error)) return false;
    throw error;
  }
}

export type LockedSession = {
  id: number;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  taken: number;
  status: "scheduled" | "cancelled";
  checkinClosedAt: Date | null;
};

/**
 * Locks a session row for the rest of the transaction; everything that moves places (a cancel,
 * a promotion, a check-in at the door, a move) does this first, so counts read after it are true.
 * With a station, a session of another station is not found (undefined), as if it did not exist.
 * (Roster shifts lock a per-session advisory key instead: see lockSessionRoster.)
 */
export async function lockSession(tx: Tx, sessionId: number, stationId?: number): Promise<LockedSession | undefined> {
  const [row] = await tx
    .select({
      id: sessions.id,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      capacity: sessions.capacity,
      taken: sessions.taken,
      status: sessions.status,
      checkinClosedAt: sessions.checkinClosedAt,
    })
    .from(sessions)
    .where(stationId === undefined ? eq(sessions.id, sessionId) : and(eq(sessions.id, sessionId), eq(sessions.stationId, stationId)))
    .for("update");
  return row;
}

/**
 * Cancels a live signup inside a transaction that holds its session's lock (lockSession): the
 * signup, the session's counters, the audit row, its pending mail, the mail that tells of it
 * (`tell`, unless the session is over), and the waitlist promoted into a freed place. The body of
 * cancelSignup; erasure (models/privacy/erasure.ts) calls it with `tell: null`. Returns the promoted.
 */
export async function releaseSignup(
  tx: Tx,
  a: {
    stationId: number;
    actorAccountId: number | null;
    signup: { id: number; sessionId: number; personId: number; endsAt: Date; status: "confirmed" | "waitlisted"; partySize: number; walkIn: boolean };
    proxy: boolean;
    tell: "signup_cancelled" | "signup_cancelled_by_staff" | null;
    now: Date;
    reason?: string;
  },
): Promise<number[]> {
  const { signup, now } = a;
  await tx.update(signups).set({ status: "cancelled", cancelledAt: now, cancelledByAccountId: a.actorAccountId }).where(eq(signups.id, signup.id));
  await tx
    .update(sessions)
    .set(
      signup.status === "confirmed"
        ? // A walk-in was seated past the booked places: it gives none back.
          { taken: sql`${sessions.taken} - ${signup.walkIn ? 0 : signup.partySize}` }
        : { waitlistedParties: sql`${sessions.waitlistedParties} - 1` },
    )
    .where(eq(sessions.id, signup.sessionId));
  await tx.insert(auditLog).values({
    stationId: a.stationId,
    actorAccountId: a.actorAccountId,
    action: signup.status === "confirmed" ? "signup.cancel" : "signup.leave_waitlist",
    targetType: "signup",
    targetId: signup.id,
    details: { sessionId: signup.sessionId, proxy: a.proxy, ...(a.reason ? { reason: a.reason } : {}) },
  });
  // Its reminders and any unsent confirmation are not sent; the person is told it is off,
  // in other words when staff cancelled it for them.
  await cancelPendingForSignup(tx, signup.id, a.reason);
  // Once the session is over (staff tidying the list afterwards) the mail would be no use.
  if (a.tell && now < signup.endsAt)
    await enqueue(tx, [
      {
        stationId: a.stationId,
        kind: a.tell,
        dedupeKey: `${a.tell}:${signup.id}`,
        personId: signup.personId,
        signupId: signup.id,
        sessionId: signup.sessionId,
        payload: { previousStatus: signup.status, partySize: signup.partySize },
        dueAt: now,
        expiresAt: signup.endsAt,
      },
    ]);
  return signup.status === "confirmed" ? promoteWaitlist(tx, a.stationId, signup.sessionId, now, a.actorAccountId) : [];
}

/** The refusal a cancel meets, as the error the routes and the API turn into a message. */
function refuseCancel(reason: Exclude<CancelRefusal, "already_cancelled">): never {
  throw reason === "deadline" ? new CancelTooLate() : new CancelNotPossible(reason);
}

/** What the cancel policy (`cancelVerdict`) reads of a signup, with whose and which session it is; undefined when the station has no such signup. */
export async function cancelFactsOf(db: DbOrTx, stationId: number, signupId: number) {
  const [signup] = await db
    .select({
      sessionId: signups.sessionId,
      personId: signups.personId,
      status: signups.status,
      sessionStatus: sessions.status,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      cancelDeadlineMinutes: activities.cancelDeadlineMinutes,
    })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .where(and(eq(signups.id, signupId), eq(signups.stationId, stationId)));
  return signup;
}

/**
 * Cancels a signup (a waitlisted one leaves the list). Freed places go to the waitlist in
 * the same transaction. Who may cancel when is `cancelVerdict`'s rule (models/policies),
 * the same one the pages and the API offer their buttons by.
 * Cancelling twice is harmless: the second time nothing changes.
 */
export async function cancelSignup(
  db: Db,
  ctx: SignupContext,
  signupId: number,
  // The page the request came from: a signup of another session or person is "not found" there.
  scope: { sessionId?: number; personId?: number } = {},
): Promise<{ id: number; status: "cancelled"; promoted: number[] }> {
  const now = ctx.now ?? new Date();
  const signup = await cancelFactsOf(db, ctx.stationId, signupId);
  // Someone else's signup is "not found": its existence is nobody else's business.
  if (!signup || !(await canActFor(db, ctx.stationId, ctx.actor, signup.personId, SESSION_BOOKINGS))) throw new NotFound("signup");
  if (
    (scope.sessionId !== undefined && scope.sessionId !== signup.sessionId) ||
    (scope.personId !== undefined && scope.personId !== signup.personId)
  ) {
    throw new NotFound("signup");
  }
  if (signup.status === "cancelled") return { id: signupId, status: "cancelled", promoted: [] };
  const verdict = cancelVerdict(ctx.actor, signup, now);
  if (!verdict.allowed && verdict.reason !== "already_cancelled") refuseCancel(verdict.reason);
  try {
    return await db.transaction(async (tx) => {
      await lockSession(tx, signup.sessionId);
      // Read again under the lock: a concurrent cancel or a promotion may have changed it.
      const [current] = await tx
        .select({ status: signups.status, partySize: signups.partySize, walkIn: signups.walkIn, attendance: signups.attendance })
        .from(signups)
        .where(eq(signups.id, signupId))
        .for("update");
      if (!current || current.status === "cancelled") return { id: signupId, status: "cancelled" as const, promoted: [] };
      // Who came is history: a signup with an attendance is corrected through the attendance, not cancelled.
      if (current.attendance !== null) throw new Conflict("signup_has_attendance");
      // A promotion meanwhile makes a waitlisted party confirmed, and the deadline then applies.
      const again = cancelVerdict(ctx.actor, { ...signup, status: current.status }, now);
      if (!again.allowed && again.reason !== "already_cancelled") refuseCancel(again.reason);
      const kind = isStaff(ctx.actor) && ctx.actor.personId !== signup.personId ? "signup_cancelled_by_staff" : "signup_cancelled";
      const promoted = await releaseSignup(tx, {
        stationId: ctx.stationId,
        actorAccountId: ctx.actor.accountId,
        signup: {
          id: signupId,
          sessionId: signup.sessionId,
          personId: signup.personId,
          endsAt: signup.endsAt,
          status: current.status,
          partySize: current.partySize,
          walkIn: current.walkIn,
        },
        proxy: signup.personId !== ctx.actor.personId,
        tell: kind,
        now,
      });
      return { id: signupId, status: "cancelled" as const, promoted };
    });
  } catch (error) {
    rethrowBusy(error);
  }
}

/** A session's attendee list for staff: confirmed, then the waitlist with positions. */
export async function listSessionSignups(db: Db, stationId: number, sessionId: number) {
  const rows = await db
    .select({
      id: signups.id,
      personId: signups.personId,
      name: people.fullName,
      phone: people.phone,
      needs: people.needs,
      partySize: signups.partySize,
      status: signups.status,
      createdAt: signups.createdAt,
      attendance: signups.attendance,
      attendedCount: signups.attendedCount,
      walkIn: signups.walkIn,
      bookedBy: bookerPeople.fullName,
      bookedByPersonId: bookerAccounts.personId,
    })
    .from(signups)
    .innerJoin(people, eq(people.id, signups.personId))
    .leftJoin(bookerAccounts, eq(bookerAccounts.id, signups.bookedByAccountId))
    .leftJoin(bookerPeople, eq(bookerPeople.id, bookerAccounts.personId))
    .where(and(eq(signups.sessionId, sessionId), eq(signups.stationId, stationId), sql`${signups.status} <> 'cancelled'`))
    .orderBy(asc(signups.seq));
  let position = 0;
  return rows.map(({ bookedByPersonId, bookedBy, ...row }) => ({
    ...row,
    // Only a booking made by someone else names its booker.
    bookedBy: bookedByPersonId !== null && bookedByPersonId !== row.personId ? bookedBy : null,
    waitlistPosition: row.status === "waitlisted" ? ++position : null,
  }));
}

/** Waitlisted people (not parties) per session. */
export async function waitlistedPeople(db: DbOrTx, sessionIds: number[]): Promise<Map<number, number>> {
  if (!sessionIds.length) return new Map();
  const rows = await db
    .select({ sessionId: signups.sessionId, people: sql<number>`sum(${signups.partySize})::int` })
    .from(signups)
    .where(and(inArray(signups.sessionId, sessionIds), eq(signups.status, "waitlisted")))
    .groupBy(signups.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.people]));
}

/** A person's bookings, newest session first, with what the bookings page shows. */
export async function listPersonSignups(db: Db, stationId: number, personId: number) {
  const rows = await selectPersonBookings(
    db,
    {
      id: signups.id,
      sessionId: signups.sessionId,
      title: activities.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
      sessionStatus: sessions.status,
      moved: sessions.moved,
      status: signups.status,
      partySize: signups.partySize,
      // In the same statement, not one count per waitlisted row afterwards (an N+1).
      waitlistPosition: sql<number | null>`case when ${signups.status} = 'waitlisted' then (
        select count(*)::int from ${signups} w
        where w.session_id = ${signups.sessionId} and w.status = 'waitlisted' and w.seq <= ${signups.seq}) end`,
      cancelDeadlineMinutes: activities.cancelDeadlineMinutes,
      bookedBy: bookerPeople.fullName,
      bookedByPersonId: bookerAccounts.personId,
    },
    stationId,
    personId,
  ).limit(200);
  return rows.map(({ bookedByPersonId, bookedBy, ...row }) => ({
    ...row,
    bookedBy: bookedByPersonId !== null && bookedByPersonId !== personId ? bookedBy : null,
    cancelDeadline: new Date(row.startsAt.getTime() - row.cancelDeadlineMinutes * MINUTE),
  }));
}

/**
 * The active signup of each of several people for one session, with the waitlist position, in
 * one statement: the 代人报名 search lists a page of people, and one query per person was an N+1.
 */
export async function activeSignupsOf(
  db: DbOrTx,
  sessionId: number,
  personIds: readonly number[],
): Promise<Map<number, { status: "confirmed" | "waitlisted"; waitlistPosition: number | null }>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.execute<{ person_id: number; status: "confirmed" | "waitlisted"; position: number | null }>(sql`
    SELECT s.person_id, s.status,
      CASE WHEN s.status = 'waitlisted' THEN (
        SELECT count(*)::int FROM ${signups} w WHERE w.session_id = s.session_id AND w.status = 'waitlisted' AND w.seq <= s.seq) END AS position
    FROM ${signups} s
    WHERE s.session_id = ${sessionId} AND s.status <> 'cancelled' AND s.person_id IN (${sql.join(
      personIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return new Map(
    rows.rows.map((r) => [Number(r.person_id), { status: r.status, waitlistPosition: r.position === null ? null : Number(r.position) }]),
  );
}
