import fs from "node:fs/promises";
import { and, eq, isNull, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, Tx } from "../db";
import { recordAudit } from "../audit";
import { getConfig } from "../config";
import { Conflict, NotFound, rethrowBusy } from "../errors";
import { accounts, people } from "../db/schema";
import { countSignInAttempt } from "../auth";
import { verifyPassword } from "../passwords";
import { ERASURE_VIA, TEXT } from "../limits";
import { isStaff, type Actor } from "../permissions";
import { lockSession, releaseSignup } from "../signups";
import { enqueue } from "../notifications/enqueue";
import { outboxFile } from "../notifications/outbox";
import { mailCancelled } from "../rosters/mail";
import { endWaitlistOf, offerFreedSlot, type FreedSlot } from "../consultations/waitlist";
import { ErasureNoPassword, ErasureWrongPassword, InvalidErasureInput } from "./errors";
import { tellCoordinators } from "./unassigned";

/**
 * Erasure of a person (ADR 23): everything that names or reaches them goes, in one transaction;
 * what the station counts stays, anonymous. The row of the person stays (as "已删除的居民 #id")
 * because signups, visits, shifts and consultations point at it and the monthly figures count them.
 */

export type ErasureVia = (typeof ERASURE_VIA)[number];

export interface ErasureRequest {
  via: ErasureVia;
  /** What the desk wrote down about the request (never a name or a phone: the form says so). */
  note?: string | null;
}

export interface ErasureContext {
  stationId: number;
  /** Who erases: the person, staff, or null for the retention job. */
  actor: Actor | null;
  now?: Date;
}

/** What went and what stayed, as counts (the pages and the API show them). */
export interface ErasureResult {
  personId: number;
  removed: {
    personalDetails: number;
    needs: number;
    bookingsCancelled: number;
    waitlistsLeft: number;
    shiftsCancelled: number;
    consultationsCancelled: number;
    consultationTopics: number;
    providerHoursEnded: number;
    householdsUnassigned: number;
    householdAddresses: number;
    mails: number;
    tokens: number;
    sessions: number;
    signInCodes: number;
    accountsClosed: number;
  };
  kept: {
    attendances: number;
    pastBookings: number;
    visits: number;
    shiftsWorked: number;
    manualHours: number;
    consultationsHeld: number;
    auditEntries: number;
  };
  /** People moved up from waitlists into the places freed. */
  promoted: number;
}

export const erasedName = (personId: number) => `已删除的居民 #${personId}`;
const erasedHousehold = (householdId: number) => `已删除的家庭 #${householdId}`;

// Audit details keys that could carry personal detail; ids, codes and counts stay.
const PERSONAL_AUDIT_KEYS = [
  "name",
  "fullName",
  "phone",
  "email",
  "needs",
  "topic",
  "address",
  "landline",
  "label",
  "note",
  "reason",
  "before",
  "after",
];

const n = (value: unknown) => Number(value ?? 0);
const rowsOf = <T>(result: { rows: T[] }) => result.rows;

function requestOf(request: ErasureRequest): { via: ErasureVia; note: string | null } {
  if (!ERASURE_VIA.includes(request.via)) throw new InvalidErasureInput("via");
  const note = request.note?.trim() ? request.note.trim() : null;
  // Control characters are refused before this by the request's field schema; the length holds for every caller.
  if (note && note.length > TEXT.note) throw new InvalidErasureInput("note");
  return { via: request.via, note };
}

/**
 * Erases a person of the station. Staff may erase anyone there; a person, themself (the routes
 * ask for their password first); the retention job (actor null) a walk-in nobody has seen for
 * years. An erased or unknown person is "not found", so the second erasure is a 404. The last
 * admin of the station is refused (409 last_admin): nobody could run it afterwards.
 *
 * Locks, compatible with signUp's (ADR 6): the sessions of the person's upcoming bookings FOR
 * UPDATE in id order (signUp and cancel take one session each), then the person's row FOR UPDATE,
 * which waits for any booking of theirs still in flight (its foreign-key check holds a KEY SHARE
 * on the row until it commits); their sessions read again after it are locked too. A deadlock or
 * a lock timeout ends as Busy (503, "try again") with nothing changed.
 */
export async function erasePerson(db: Db, ctx: ErasureContext, personId: number, request: ErasureRequest): Promise<ErasureResult> {
  const now = ctx.now ?? new Date();
  const req = requestOf(request);
  if (ctx.actor && !isStaff(ctx.actor) && ctx.actor.personId !== personId) throw new NotFound("person");
  let mailIds: number[] = [];
  let result: ErasureResult;
  try {
    result = await db.transaction(async (tx) => {
      const erased = await eraseInTx(tx, ctx, personId, req, now);
      mailIds = erased.mailIds;
      return erased.result;
    });
  } catch (error) {
    rethrowBusy(error);
  }
  await removeMailFiles(mailIds);
  return result;
}

/** The rendered mails of an erased person (DATA_DIR/outbox): files are no part of the transaction, so they go once it committed. */
export async function removeMailFiles(ids: readonly number[]) {
  const config = getConfig();
  await Promise.all(ids.map((id) => fs.rm(outboxFile(config, id), { force: true })));
}

/**
 * The erasure inside a caller's transaction (the retention job's): the same statements and locks.
 * The caller removes the returned mails' files once it has committed (removeMailFiles).
 */
export async function eraseInTx(
  tx: Tx,
  ctx: ErasureContext,
  personId: number,
  req: { via: ErasureVia; note: string | null },
  now: Date,
): Promise<{ result: ErasureResult; mailIds: number[] }> {
  const stationId = ctx.stationId;
  const actorAccountId = ctx.actor?.accountId ?? null;
  // Every audit row of the erasure is the station's and the acting account's.
  const audit = (action: string, targetType: string, targetId: number, details: Record<string, unknown>) =>
    recordAudit(tx, { stationId, actorAccountId, action, targetType, targetId, details });
  const [found] = rowsOf(
    await tx.execute<{ id: number }>(sql`SELECT id FROM people WHERE id = ${personId} AND station_id = ${stationId} AND erased_at IS NULL`),
  );
  if (!found) throw new NotFound("person");

  const upcomingSignups = () =>
    tx.execute<{ id: number; session_id: number }>(sql`
      SELECT g.id, g.session_id FROM signups g JOIN sessions s ON s.id = g.session_id
      WHERE g.person_id = ${personId} AND g.status <> 'cancelled' AND g.attendance IS NULL AND s.starts_at > ${now.toISOString()}::timestamptz
      ORDER BY g.session_id`);
  const locked = new Set<number>();
  const lockSessions = async (ids: number[]) => {
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      if (locked.has(id)) continue;
      await lockSession(tx, id);
      locked.add(id);
    }
  };
  await lockSessions(rowsOf(await upcomingSignups()).map((r) => n(r.session_id)));
  const [person] = rowsOf(
    await tx.execute<{ household_id: number | null; needs: string | null; erased_at: unknown }>(
      sql`SELECT household_id, needs, erased_at FROM people WHERE id = ${personId} AND station_id = ${stationId} FOR UPDATE`,
    ),
  );
  // A second erasure waited for the first: the person is gone now.
  if (!person || person.erased_at !== null) throw new NotFound("person");
  const [account] = rowsOf(await tx.execute<{ id: number }>(sql`SELECT id FROM accounts WHERE person_id = ${personId} AND closed_at IS NULL`));
  const accountId = account ? n(account.id) : null;
  if (accountId !== null) await refuseLastAdmin(tx, stationId, accountId);

  // ---- upcoming bookings: cancelled as a cancel would, places freed, waitlists promoted.
  const signupRows = rowsOf(await upcomingSignups());
  await lockSessions(signupRows.map((r) => n(r.session_id)));
  let bookingsCancelled = 0;
  let waitlistsLeft = 0;
  let promoted = 0;
  for (const row of signupRows) {
    const [current] = rowsOf(
      await tx.execute<{
        status: "confirmed" | "waitlisted" | "cancelled";
        party_size: number;
        walk_in: boolean;
        attendance: string | null;
        ends_at: string | Date;
      }>(sql`
        SELECT g.status, g.party_size, g.walk_in, g.attendance, s.ends_at FROM signups g JOIN sessions s ON s.id = g.session_id
        WHERE g.id = ${row.id} FOR UPDATE OF g`),
    );
    if (!current || current.status === "cancelled" || current.attendance !== null) continue;
    const freed = await releaseSignup(tx, {
      stationId,
      actorAccountId,
      signup: {
        id: n(row.id),
        sessionId: n(row.session_id),
        personId,
        endsAt: new Date(current.ends_at),
        status: current.status,
        partySize: n(current.party_size),
        walkIn: current.walk_in,
      },
      proxy: ctx.actor?.personId !== personId,
      // The person asked to be forgotten: no mail goes to them (or their booker) about it.
      tell: null,
      now,
      reason: "person_erased",
    });
    if (current.status === "confirmed") bookingsCancelled++;
    else waitlistsLeft++;
    promoted += freed.length;
  }

  // ---- upcoming shifts: cancelled, their reminders with them; the roster shows the gap.
  const shifts = rowsOf(
    await tx.execute<{ id: number; session_id: number; title: string; lo: string | Date; hi: string | Date }>(sql`
      UPDATE assignments a SET status = 'cancelled', updated_at = now()
      FROM sessions s JOIN activities act ON act.id = s.activity_id
      WHERE a.person_id = ${personId} AND s.id = a.session_id AND a.status IN ('proposed', 'confirmed') AND lower(a.during) > ${now.toISOString()}::timestamptz
      RETURNING a.id, a.session_id, act.title, lower(a.during) AS lo, upper(a.during) AS hi`),
  );
  for (const shift of shifts) {
    await audit("assignment.cancel", "assignment", n(shift.id), { personId, reason: "person_erased" });
    const facts = {
      stationId,
      assignmentId: n(shift.id),
      sessionId: n(shift.session_id),
      personId,
      title: shift.title,
      startsAt: new Date(shift.lo),
      endsAt: new Date(shift.hi),
    };
    await mailCancelled(tx, facts, now, false);
  }

  // ---- consultations: their own and those they give, the other side told (ADR 18's mail).
  const freed = await cancelConsultations(tx, stationId, personId, actorAccountId, now);
  const consultationsCancelled = freed.length;
  const providerHoursEnded = await endProviderHours(tx, stationId, personId, now);
  // Off every waitlist, their held slots passed on; then the slots their bookings freed are
  // offered (ADR 26) — a provider's are no longer in any hours, so none of theirs is.
  await endWaitlistOf(tx, stationId, personId, now);
  for (const slot of freed) await offerFreedSlot(tx, { ...slot, exceptPersonId: personId }, now);
  const topics = rowsOf(
    await tx.execute<{ id: number }>(sql`
      UPDATE consultations SET topic = '', provider_notes = '' WHERE person_id = ${personId} AND (topic <> '' OR provider_notes <> '') RETURNING id`),
  ).length;

  // ---- households: the ones they look after lose their caretaker (the households page lists them as 无联系人),
  // and the coordinators are told by mail and on their home page.
  const unassigned = rowsOf(
    await tx.execute<{ id: number }>(sql`
      UPDATE households SET caretaker_id = NULL WHERE station_id = ${stationId} AND caretaker_id = ${personId} RETURNING id`),
  ).map((r) => n(r.id));
  if (unassigned.length) {
    await tx.execute(sql`
      UPDATE household_consents SET withdrawn_at = ${now.toISOString()}::timestamptz, withdrawn_by = NULL
      WHERE household_id IN (${sql.join(
        unassigned.map((id) => sql`${id}`),
        sql`, `,
      )}) AND withdrawn_at IS NULL`);
    for (const id of unassigned) {
      await audit("household.caretaker", "household", id, { from: personId, to: null, consentEnded: true, cause: "person_erased" });
    }
    await tellCoordinators(tx, stationId, personId, unassigned.length, now);
  }
  // Their own household keeps its address while someone else lives there.
  let householdAddresses = 0;
  if (person.household_id !== null) {
    const householdId = n(person.household_id);
    const cleared = await tx.execute(sql`
      UPDATE households SET label = ${erasedHousehold(householdId)}, address = NULL, landline = NULL
      WHERE id = ${householdId} AND NOT EXISTS (SELECT 1 FROM people m WHERE m.household_id = ${householdId} AND m.id <> ${personId})
      RETURNING id`);
    householdAddresses = cleared.rows.length;
  }

  // ---- what they told the station about their time and skills, and free-text notes about them. Their
  // service group stays: the groups' hours totals count them (the member lists leave the erased out).
  await tx.execute(sql`DELETE FROM availability WHERE person_id = ${personId}`);
  await tx.execute(sql`DELETE FROM blackouts WHERE person_id = ${personId}`);
  await tx.execute(sql`DELETE FROM person_skills WHERE person_id = ${personId}`);
  await tx.execute(sql`UPDATE manual_hours SET note = '' WHERE person_id = ${personId} AND note <> ''`);
  await tx.execute(sql`UPDATE signups SET attendance_reason = '—' WHERE person_id = ${personId} AND attendance_reason IS NOT NULL`);

  // ---- mail: pending mail to or about them is not sent; what was sent loses body, address and subject.
  const mailIds = await eraseMail(tx, personId, now);

  // ---- the account: closed, with every way in (sessions, tokens, codes, remembered addresses).
  let tokens = 0;
  let sessionsEnded = 0;
  let codes = 0;
  if (accountId !== null) {
    const [acc] = rowsOf(
      await tx.execute<{ email: string | null; phone: string | null }>(sql`SELECT email, phone FROM accounts WHERE id = ${accountId}`),
    );
    sessionsEnded = (await tx.execute(sql`DELETE FROM auth_sessions WHERE account_id = ${accountId} RETURNING id`)).rows.length;
    tokens += (await tx.execute(sql`DELETE FROM api_tokens WHERE account_id = ${accountId} RETURNING id`)).rows.length;
    tokens += (await tx.execute(sql`DELETE FROM feed_tokens WHERE account_id = ${accountId} RETURNING id`)).rows.length;
    codes = (await tx.execute(sql`DELETE FROM sign_in_codes WHERE account_id = ${accountId} RETURNING id`)).rows.length;
    // The doctor role stays: the monthly figures split hours worked by it (ADR 23).
    await tx.execute(sql`DELETE FROM station_roles WHERE account_id = ${accountId} AND role <> 'doctor'`);
    await tx.execute(sql`
      UPDATE accounts SET email = NULL, phone = NULL, password_hash = NULL, closed_at = ${now.toISOString()}::timestamptz WHERE id = ${accountId}`);
    // Rate-limit keys end in the target (`…:email:x`) or hold it before an address (`…:account:5|ip`).
    const needles = [`:account:${accountId}`, ...(acc?.email ? [`:email:${acc.email}`] : []), ...(acc?.phone ? [`:phone:${acc.phone}`] : [])];
    await tx.execute(sql`
      DELETE FROM rate_limits WHERE ${sql.join(
        needles.map((needle) => sql`(right(key, ${needle.length}) = ${needle} OR strpos(key, ${`${needle}|`}) > 0)`),
        sql` OR `,
      )}`);
  }

  // ---- the audit log keeps what happened, not who they were.
  await tx.execute(sql`
    UPDATE audit_log SET details = details - ${sql.raw(`array[${PERSONAL_AUDIT_KEYS.map((k) => `'${k}'`).join(", ")}]`)}::text[]
    WHERE station_id = ${stationId} AND (
      (target_type = 'person' AND target_id = ${personId})
      OR (${accountId}::int IS NOT NULL AND target_type = 'account' AND target_id = ${accountId}::int)
      OR details->>'personId' = ${String(personId)} OR details->>'providerPersonId' = ${String(personId)}
      OR (target_type = 'signup' AND target_id IN (SELECT id FROM signups WHERE person_id = ${personId}))
      OR (target_type = 'consultation' AND target_id IN (SELECT id FROM consultations WHERE person_id = ${personId})))`);

  // ---- the person: anonymous from here on.
  await tx.execute(sql`
    UPDATE people SET full_name = ${erasedName(personId)}, phone = NULL, email = NULL, needs = NULL, household_id = NULL,
           mail_opt_outs = '{}', max_weekly_shift_minutes = NULL, erased_at = ${now.toISOString()}::timestamptz
    WHERE id = ${personId}`);

  const kept = await keptCounts(tx, stationId, personId);
  const result: ErasureResult = {
    personId,
    removed: {
      // Name, phone, email (the person's and the account's).
      personalDetails: 1,
      needs: person.needs ? 1 : 0,
      bookingsCancelled,
      waitlistsLeft,
      shiftsCancelled: shifts.length,
      consultationsCancelled,
      consultationTopics: topics,
      providerHoursEnded,
      householdsUnassigned: unassigned.length,
      householdAddresses,
      mails: mailIds.length,
      tokens,
      sessions: sessionsEnded,
      signInCodes: codes,
      accountsClosed: accountId === null ? 0 : 1,
    },
    kept,
    promoted,
  };
  await audit("person.erase", "person", personId, {
    via: req.via,
    ...(req.note ? { request: req.note } : {}),
    removed: result.removed,
    promoted,
  });
  return { result, mailIds };
}

/** Erasing the last admin would leave the station with nobody to run it. Locks the admin roles, so two admins erasing each other cannot both pass. */
async function refuseLastAdmin(tx: Tx, stationId: number, accountId: number) {
  const admins = rowsOf(
    await tx.execute<{ account_id: number }>(sql`
      SELECT r.account_id FROM station_roles r JOIN accounts a ON a.id = r.account_id
      WHERE r.station_id = ${stationId} AND r.role = 'admin' AND a.closed_at IS NULL
      ORDER BY r.account_id FOR UPDATE OF r`),
  ).map((r) => n(r.account_id));
  if (admins.includes(accountId) && admins.length === 1) throw new Conflict("last_admin");
}

/** Upcoming consultations they have or give, cancelled; the other side is told. Returns the slots freed. */
async function cancelConsultations(tx: Tx, stationId: number, personId: number, actorAccountId: number | null, now: Date): Promise<FreedSlot[]> {
  const rows = rowsOf(
    await tx.execute<{ id: number; service_id: number; person_id: number; provider_person_id: number; starts_at: string | Date }>(sql`
      UPDATE consultations SET status = 'cancelled', cancelled_at = ${now.toISOString()}::timestamptz, cancelled_by_account_id = ${actorAccountId}
      WHERE station_id = ${stationId} AND status = 'booked' AND starts_at > ${now.toISOString()}::timestamptz
        AND (person_id = ${personId} OR provider_person_id = ${personId})
      RETURNING id, service_id, person_id, provider_person_id, starts_at`),
  );
  for (const row of rows) {
    const id = n(row.id);
    await tx.execute(sql`
      UPDATE notifications SET status = 'cancelled', last_error = 'person_erased', updated_at = now()
      WHERE consultation_id = ${id} AND kind = 'consultation_booked' AND status = 'pending'`);
    const client = n(row.person_id) === personId;
    // The other side: the provider when the client is erased, the client when their provider is.
    const role = client ? "provider" : "client";
    await enqueue(tx, [
      {
        stationId,
        kind: "consultation_cancelled",
        dedupeKey: `consultation:${id}:consultation_cancelled:${role}`,
        personId: client ? n(row.provider_person_id) : n(row.person_id),
        consultationId: id,
        payload: { role },
        dueAt: now,
        expiresAt: new Date(row.starts_at),
      },
    ]);
    await recordAudit(tx, {
      stationId,
      actorAccountId,
      action: "consultation.cancel",
      targetType: "consultation",
      targetId: id,
      details: { personId: n(row.person_id), reason: "person_erased" },
    });
  }
  return rows.map((r) => ({ stationId, serviceId: n(r.service_id), providerPersonId: n(r.provider_person_id), startsAt: new Date(r.starts_at) }));
}

/** A provider's weekly hours end yesterday (hours not begun yet go), and their future day changes go. */
async function endProviderHours(tx: Tx, stationId: number, personId: number, now: Date) {
  const [station] = rowsOf(await tx.execute<{ time_zone: string }>(sql`SELECT time_zone FROM stations WHERE id = ${stationId}`));
  const today = DateTime.fromJSDate(now, { zone: station?.time_zone ?? "Asia/Shanghai" }).toISODate()!;
  const removed = await tx.execute(sql`
    DELETE FROM provider_hours WHERE station_id = ${stationId} AND provider_person_id = ${personId} AND from_date >= ${today}::date RETURNING id`);
  const ended = await tx.execute(sql`
    UPDATE provider_hours SET until_date = ${today}::date - 1
    WHERE station_id = ${stationId} AND provider_person_id = ${personId} AND (until_date IS NULL OR until_date >= ${today}::date)
    RETURNING id`);
  await tx.execute(sql`DELETE FROM provider_hours_changes WHERE provider_person_id = ${personId} AND local_date >= ${today}::date`);
  return removed.rows.length + ended.rows.length;
}

/**
 * Mail to or about the person: a client's mail about a consultation names its provider, so it
 * goes when either side is erased. Returns the ids whose rendered files must go.
 */
async function eraseMail(tx: Tx, personId: number, now: Date): Promise<number[]> {
  const about = sql`(person_id = ${personId} OR recipient_person_id = ${personId}
    OR signup_id IN (SELECT id FROM signups WHERE person_id = ${personId})
    OR assignment_id IN (SELECT id FROM assignments WHERE person_id = ${personId})
    OR consultation_id IN (SELECT id FROM consultations WHERE person_id = ${personId} OR provider_person_id = ${personId}))`;
  await tx.execute(sql`
    UPDATE notifications SET status = 'cancelled', last_error = 'person_erased', updated_at = ${now.toISOString()}::timestamptz
    WHERE status = 'pending' AND (person_id = ${personId} OR recipient_person_id = ${personId})`);
  // Mail still to be sent to others (a provider told of a cancellation) keeps what it needs to be written.
  const cleared = await tx.execute<{ id: number }>(sql`
    UPDATE notifications SET payload = '{}', recipient = NULL, subject = NULL, last_error = CASE WHEN status = 'cancelled' THEN last_error END,
           updated_at = ${now.toISOString()}::timestamptz
    WHERE status <> 'pending' AND ${about}
    RETURNING id`);
  return cleared.rows.map((r) => n(r.id));
}

async function keptCounts(tx: Tx, stationId: number, personId: number): Promise<ErasureResult["kept"]> {
  const [row] = rowsOf(
    await tx.execute<Record<string, number>>(sql`
      SELECT
        (SELECT count(*) FROM signups WHERE person_id = ${personId} AND attendance IS NOT NULL)::int AS attendances,
        (SELECT count(*) FROM signups g JOIN sessions s ON s.id = g.session_id WHERE g.person_id = ${personId} AND g.status <> 'cancelled')::int AS past_bookings,
        (SELECT count(*) FROM visits WHERE person_id = ${personId})::int AS visits,
        (SELECT count(*) FROM assignments WHERE person_id = ${personId} AND attendance = 'attended')::int AS shifts_worked,
        (SELECT count(*) FROM manual_hours WHERE person_id = ${personId})::int AS manual_hours,
        (SELECT count(*) FROM consultations WHERE (person_id = ${personId} OR provider_person_id = ${personId}) AND attendance IS NOT NULL)::int AS consultations_held,
        (SELECT count(*) FROM audit_log WHERE station_id = ${stationId} AND ((target_type = 'person' AND target_id = ${personId}) OR details->>'personId' = ${String(personId)}))::int AS audit_entries`),
  );
  return {
    attendances: n(row?.attendances),
    pastBookings: n(row?.past_bookings),
    visits: n(row?.visits),
    shiftsWorked: n(row?.shifts_worked),
    manualHours: n(row?.manual_hours),
    consultationsHeld: n(row?.consultations_held),
    auditEntries: n(row?.audit_entries),
  };
}

/**
 * A person erases themself, confirming with their password (checked under the sign-in limits,
 * so a stolen session cannot guess it quickly). An account with no password (made at the desk)
 * is sent to set one first, or to ask at the desk.
 */
export async function eraseOwn(db: Db, ctx: { stationId: number; actor: Actor; password: string; ip: string; now?: Date }): Promise<ErasureResult> {
  const [row] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, ctx.actor.accountId));
  if (!row) throw new NotFound("person");
  if (!row.passwordHash) throw new ErasureNoPassword();
  const succeeded = await countSignInAttempt(db, `account:${ctx.actor.accountId}`, ctx.ip);
  if (!(await verifyPassword(row.passwordHash, ctx.password))) throw new ErasureWrongPassword();
  // Before the erasure, which then removes the counters it leaves.
  await succeeded();
  return erasePerson(db, { stationId: ctx.stationId, actor: ctx.actor, now: ctx.now }, ctx.actor.personId, { via: "self" });
}

/** The person staff are about to erase, by name; undefined when unknown here or erased already. */
export async function getErasablePerson(db: Db, stationId: number, personId: number): Promise<{ id: number; fullName: string } | undefined> {
  const [row] = await db
    .select({ id: people.id, fullName: people.fullName })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId), isNull(people.erasedAt)));
  return row;
}
