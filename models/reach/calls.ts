import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx } from "../db";
import { recordAudit } from "../audit";
import { isStaff, type Actor } from "../permissions";
import { NotAllowed } from "../errors";
import { caredPeopleCondition } from "./care";
import { decideReach, reachColumns, reachFactsOf, reachJoins, type BookedPersonRow, type ReachRoute, type ReachRow } from "./reach";
import { InvalidReachInput, NotOnCallList } from "./errors";

/**
 * The call list (ADR 20): for one local day, everyone booked on a session that day whose way of
 * being reached is not their own email — through a caretaker's or a family member's mail, or
 * by nobody — so someone phones them. Waitlisted people are on it too, marked, because a
 * waitlisted person without email cannot learn of a promotion any other way. Staff see the
 * whole station; anyone else only the people in their care (caredPeopleCondition).
 */

export interface CallScope {
  stationId: number;
  timeZone: string;
  actor: Actor;
  /** "care": only the people in the actor's care, even for staff (the caretaker's own page). */
  only?: "care";
}

export interface CallRow extends BookedPersonRow {
  location: string;
  status: "confirmed" | "waitlisted";
  route: Exclude<ReachRoute, "own">;
  caretaker: { id: number; fullName: string } | null;
  called: { at: Date; by: string; byAccountId: number | null } | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local date "YYYY-MM-DD" → its [from, to) at the station. Malformed or out of 2000–2100 → InvalidReachInput("date"). */
export function dayBounds(date: string, zone: string): { from: Date; to: Date } {
  const day = DATE.test(date) ? DateTime.fromISO(date, { zone }) : null;
  if (!day?.isValid || day.year < 2000 || day.year > 2100) throw new InvalidReachInput("date");
  return { from: day.startOf("day").toJSDate(), to: day.startOf("day").plus({ days: 1 }).toJSDate() };
}

/** Tomorrow at the station: the list's default day. */
export const tomorrowAt = (zone: string, now: Date): string => DateTime.fromJSDate(now, { zone }).plus({ days: 1 }).toISODate()!;

/** Whom this actor's list covers: everyone for staff, the people in their care otherwise. */
const scopeOf = (scope: CallScope) =>
  isStaff(scope.actor) && scope.only !== "care" ? sql`true` : caredPeopleCondition(scope.stationId, scope.actor.personId);

export async function callList(db: DbOrTx, scope: CallScope, date: string): Promise<CallRow[]> {
  const { from, to } = dayBounds(date, scope.timeZone);
  const result = await db.execute<ReachRow>(sql`
    SELECT ${reachColumns(null)},
           p.phone AS phone, s.id AS session_id, a.title, s.starts_at, coalesce(s.location, a.location) AS location, sg.status::text AS status,
           cm.called_at, cm.called_by_account_id, cmp.full_name AS called_by_name
    FROM signups sg
    JOIN sessions s ON s.id = sg.session_id
    JOIN activities a ON a.id = s.activity_id
    JOIN people p ON p.id = sg.person_id
    ${reachJoins(scope.stationId)}
    LEFT JOIN call_marks cm ON cm.person_id = sg.person_id AND cm.session_id = sg.session_id AND cm.station_id = sg.station_id
    LEFT JOIN accounts cma ON cma.id = cm.called_by_account_id
    LEFT JOIN people cmp ON cmp.id = cma.person_id
    WHERE sg.station_id = ${scope.stationId} AND s.station_id = ${scope.stationId}
      AND sg.status IN ('confirmed', 'waitlisted') AND s.status = 'scheduled'
      AND s.starts_at >= ${from.toISOString()}::timestamptz AND s.starts_at < ${to.toISOString()}::timestamptz
      AND ${scopeOf(scope)}
    ORDER BY s.starts_at, a.title, s.id, p.full_name, p.id`);
  const rows: CallRow[] = [];
  for (const row of result.rows) {
    const facts = reachFactsOf(row);
    const reach = decideReach(facts);
    if (reach.route === "own") continue;
    rows.push({
      personId: facts.person.personId,
      fullName: facts.person.name,
      phone: (row.phone as string | null) ?? null,
      sessionId: Number(row.session_id),
      title: String(row.title),
      startsAt: new Date(row.starts_at as string | Date),
      location: String(row.location ?? ""),
      status: row.status === "waitlisted" ? "waitlisted" : "confirmed",
      route: reach.route,
      caretaker:
        facts.caretaker && facts.caretaker.personId !== facts.person.personId
          ? { id: facts.caretaker.personId, fullName: facts.caretaker.name }
          : null,
      called: row.called_at
        ? {
            at: new Date(row.called_at as string | Date),
            by: String(row.called_by_name ?? ""),
            byAccountId: row.called_by_account_id == null ? null : Number(row.called_by_account_id),
          }
        : null,
    });
  }
  return rows;
}

/** The person's active booking on the session, if they are on this actor's list at all; else NotOnCallList. */
async function requireOnList(tx: DbOrTx, scope: CallScope, personId: number, sessionId: number) {
  const result = await tx.execute<{ id: number }>(sql`
    SELECT sg.id FROM signups sg
    JOIN sessions s ON s.id = sg.session_id
    JOIN people p ON p.id = sg.person_id
    WHERE sg.station_id = ${scope.stationId} AND s.station_id = ${scope.stationId} AND p.station_id = ${scope.stationId}
      AND sg.person_id = ${personId} AND sg.session_id = ${sessionId}
      AND sg.status IN ('confirmed', 'waitlisted') AND s.status = 'scheduled'
      AND ${scopeOf(scope)}`);
  if (!result.rows.length) throw new NotOnCallList();
}

export interface CallMark {
  personId: number;
  sessionId: number;
  at: Date;
  byAccountId: number | null;
  /** False when the call was already marked: the first mark stands (who and when), nothing is written. */
  created: boolean;
}

/** "已电话通知": marks that the actor phoned the person about the session. Marking twice keeps the first mark. */
export async function markCalled(db: Db, scope: CallScope, input: { personId: number; sessionId: number }, now = new Date()): Promise<CallMark> {
  return db.transaction(async (tx) => {
    await requireOnList(tx, scope, input.personId, input.sessionId);
    const inserted = await tx.execute<{ called_at: string | Date }>(sql`
      INSERT INTO call_marks (station_id, person_id, session_id, called_at, called_by_account_id)
      VALUES (${scope.stationId}, ${input.personId}, ${input.sessionId}, ${now.toISOString()}::timestamptz, ${scope.actor.accountId})
      ON CONFLICT (person_id, session_id) DO NOTHING
      RETURNING called_at`);
    if (inserted.rows.length) {
      await recordAudit(tx, {
        stationId: scope.stationId,
        actorAccountId: scope.actor.accountId,
        action: "call.marked",
        targetType: "person",
        targetId: input.personId,
        details: { sessionId: input.sessionId },
      });
      return { ...input, at: now, byAccountId: scope.actor.accountId, created: true };
    }
    const existing = await tx.execute<{ called_at: string | Date; called_by_account_id: number | null }>(sql`
      SELECT called_at, called_by_account_id FROM call_marks
      WHERE person_id = ${input.personId} AND session_id = ${input.sessionId} AND station_id = ${scope.stationId}`);
    const row = existing.rows[0]!;
    return {
      ...input,
      at: new Date(row.called_at),
      byAccountId: row.called_by_account_id == null ? null : Number(row.called_by_account_id),
      created: false,
    };
  });
}

/** Takes a mark back: the one who marked it, or staff. No mark: nothing to do (false). */
export async function unmarkCalled(db: Db, scope: CallScope, input: { personId: number; sessionId: number }): Promise<boolean> {
  return db.transaction(async (tx) => {
    await requireOnList(tx, scope, input.personId, input.sessionId);
    const found = await tx.execute<{ id: number; called_by_account_id: number | null }>(sql`
      SELECT id, called_by_account_id FROM call_marks
      WHERE person_id = ${input.personId} AND session_id = ${input.sessionId} AND station_id = ${scope.stationId}
      FOR UPDATE`);
    const mark = found.rows[0];
    if (!mark) return false;
    if (!isStaff(scope.actor) && Number(mark.called_by_account_id) !== scope.actor.accountId) throw new NotAllowed();
    await tx.execute(sql`DELETE FROM call_marks WHERE id = ${mark.id}`);
    await recordAudit(tx, {
      stationId: scope.stationId,
      actorAccountId: scope.actor.accountId,
      action: "call.unmarked",
      targetType: "person",
      targetId: input.personId,
      details: { sessionId: input.sessionId },
    });
    return true;
  });
}
