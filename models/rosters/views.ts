import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { activities, assignments, blackouts, personSkills, sessions, signups, skills } from "../db/schema";
import { NotFound } from "../errors";
import { DateTime } from "luxon";
import { stationZone } from "./common";
import { selectRosterSessions, sessionShifts, weekShifts } from "./needs";
import { qualifies } from "./skills";
import type { MyShift, OpenShift, RosterSessionInfo, Shift } from "./types";
import { selectShifts } from "./shift-rows";

/**
 * A person's shifts, soonest first. Active ones (proposed, confirmed) by default; with
 * `includeInactive` also the declined and cancelled ones (history).
 */
export async function listMyShifts(
  db: DbOrTx,
  stationId: number,
  personId: number,
  opts: { from?: Date; includeInactive?: boolean } = {},
): Promise<MyShift[]> {
  const rows = await selectShifts(db, {
    assignmentId: assignments.id,
    needId: assignments.needId,
    sessionId: assignments.sessionId,
    title: activities.title,
    location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
    skill: { id: skills.id, slug: skills.slug, nameZh: skills.nameZh, nameEn: skills.nameEn },
    startsAt: sql<string>`lower(${assignments.during})`,
    endsAt: sql<string>`upper(${assignments.during})`,
    status: assignments.status,
    attendance: assignments.attendance,
    sessionStatus: sessions.status,
  })
    .where(
      and(
        eq(assignments.personId, personId),
        eq(assignments.stationId, stationId),
        opts.includeInactive ? undefined : sql`${assignments.status} IN ('proposed', 'confirmed')`,
        opts.from ? sql`upper(${assignments.during}) > ${opts.from.toISOString()}::timestamptz` : undefined,
      ),
    )
    .orderBy(sql`lower(${assignments.during})`, asc(assignments.id));
  return rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt) }));
}

/**
 * Shifts the person could take themself in [from, to): a skill they hold (restricted:
 * confirmed), a free place, not started, not on a blacked-out day, and not at a time they
 * already work or attend something. Six queries whatever the window.
 */
export async function openShiftsFor(
  db: DbOrTx,
  stationId: number,
  personId: number,
  opts: { from: Date; to: Date; now?: Date },
): Promise<OpenShift[]> {
  const now = opts.now ?? new Date();
  const held = await db
    .select({ skillId: personSkills.skillId })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .where(and(eq(personSkills.personId, personId), eq(skills.stationId, stationId), qualifies()));
  if (!held.length) return [];
  const skillIds = new Set(held.map((h) => h.skillId));
  const from = opts.from > now ? opts.from : now;
  const week = await weekShifts(db, stationId, from, opts.to);
  const zone = await stationZone(db, stationId);
  const [busy, attending, off] = await Promise.all([
    db
      .select({ lo: sql<string>`lower(${assignments.during})`, hi: sql<string>`upper(${assignments.during})` })
      .from(assignments)
      .where(
        and(
          eq(assignments.personId, personId),
          sql`${assignments.status} IN ('proposed', 'confirmed')`,
          sql`upper(${assignments.during}) > ${from.toISOString()}::timestamptz`,
        ),
      ),
    db
      .select({ lo: sessions.startsAt, hi: sessions.endsAt })
      .from(signups)
      .innerJoin(sessions, eq(sessions.id, signups.sessionId))
      .where(
        and(
          eq(signups.personId, personId),
          inArray(signups.status, ["confirmed", "waitlisted"]),
          eq(sessions.status, "scheduled"),
          gte(sessions.endsAt, from),
        ),
      ),
    db.select({ fromDate: blackouts.fromDate, toDate: blackouts.toDate }).from(blackouts).where(eq(blackouts.personId, personId)),
  ]);
  const taken = [
    ...busy.map((b) => [new Date(b.lo).getTime(), new Date(b.hi).getTime()] as const),
    ...attending.map((a) => [a.lo.getTime(), a.hi.getTime()] as const),
  ];
  const overlaps = (s: Shift) => taken.some(([lo, hi]) => lo < s.endsAt.getTime() && s.startsAt.getTime() < hi);
  const blackedOut = (s: Shift) => {
    const day = DateTime.fromJSDate(s.startsAt, { zone }).toISODate()!;
    return off.some((b) => b.fromDate <= day && day <= b.toDate);
  };
  const result: OpenShift[] = [];
  for (const session of week.sessions) {
    if (session.status !== "scheduled" || session.startsAt <= now) continue;
    for (const shift of week.shifts.get(session.id) ?? []) {
      if (!skillIds.has(shift.skill.id) || shift.filled >= shift.headCount) continue;
      if (shift.assignments.some((a) => a.personId === personId && (a.status === "proposed" || a.status === "confirmed"))) continue;
      if (overlaps(shift) || blackedOut(shift)) continue;
      result.push({
        needId: shift.needId,
        sessionId: session.id,
        title: session.title,
        location: session.location,
        skill: shift.skill,
        startsAt: shift.startsAt,
        endsAt: shift.endsAt,
        headCount: shift.headCount,
        filled: shift.filled,
      });
    }
  }
  return result;
}

/** One session and its shifts (inherited and its own), for the session roster page and the API. */
export async function getSessionRoster(db: DbOrTx, stationId: number, sessionId: number): Promise<{ session: RosterSessionInfo; shifts: Shift[] }> {
  const [session] = await selectRosterSessions(db).where(and(eq(sessions.id, sessionId), eq(sessions.stationId, stationId)));
  if (!session) throw new NotFound("session");
  const shifts = await sessionShifts(db, stationId, [sessionId]);
  return { session, shifts: shifts.get(sessionId) ?? [] };
}
