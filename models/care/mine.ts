import { and, asc, eq, gt, inArray, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { activities, households, people, sessions, signups } from "../db/schema";
import type { Actor } from "../permissions";
import { caretakerOf, memberFields, selectHouseholds, type HouseholdRow } from "./households";

export interface CarePerson {
  id: number;
  fullName: string;
  phone: string | null;
  birthYear: number | null;
  needs: string | null;
}

export interface CareHousehold extends Omit<HouseholdRow, "peopleCount"> {
  /** The caller's own household (they live there). */
  own: boolean;
  /** The caller looks after it. */
  inCare: boolean;
  /** The caller may act for its people: they look after it, hold the volunteer role, and it agreed (ADR 19). */
  mayAct: boolean;
  people: CarePerson[];
}

/**
 * The caller's own household and the households in their care, with their people, in two
 * statements. What of it each screen shows is decided by `own`, `inCare` and `mayAct`: a
 * household that has not agreed shows its caretaker the names only.
 */
export async function householdsOf(db: DbOrTx, stationId: number, actor: Actor): Promise<CareHousehold[]> {
  const ownId = sql`(select p.household_id from ${people} p where p.id = ${actor.personId} and p.station_id = ${stationId})`;
  const rows = await selectHouseholds(db, { own: sql<boolean>`"households"."id" is not distinct from ${ownId}` })
    .where(and(eq(households.stationId, stationId), or(eq(households.caretakerId, actor.personId), sql`${households.id} = ${ownId}`)))
    .orderBy(sql`${households.id} = ${ownId} desc nulls last`, asc(households.label), asc(households.id));
  if (rows.length === 0) return [];
  const members = await db
    .select(memberFields)
    .from(people)
    .where(
      and(
        eq(people.stationId, stationId),
        inArray(
          people.householdId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(people.birthYear), asc(people.id));
  const volunteer = actor.roles.includes("volunteer");
  return rows.map((r) => {
    const inCare = r.caretakerId === actor.personId;
    const consent = !!r.consent;
    return {
      id: r.id,
      label: r.label,
      address: r.address,
      landline: r.landline,
      caretaker: caretakerOf(r),
      consent,
      own: !!r.own,
      inCare,
      mayAct: inCare && consent && volunteer,
      people: members.filter((m) => m.householdId === r.id).map(({ householdId: _, ...m }) => m),
    };
  });
}

export interface UpcomingSignup {
  id: number;
  personId: number;
  sessionId: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: "confirmed" | "waitlisted";
  sessionStatus: "scheduled" | "cancelled";
  waitlistPosition: number | null;
  cancelDeadlineMinutes: number;
}

/** The coming bookings and waitlist places of several people, in one statement (no query per person). */
export async function upcomingSignupsOf(db: DbOrTx, stationId: number, personIds: readonly number[], now = new Date()): Promise<UpcomingSignup[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .select({
      id: signups.id,
      personId: signups.personId,
      sessionId: signups.sessionId,
      title: activities.title,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      status: signups.status,
      sessionStatus: sessions.status,
      waitlistPosition: sql<number | null>`case when ${signups.status} = 'waitlisted' then (
        select count(*)::int from ${signups} w
        where w.session_id = ${signups.sessionId} and w.status = 'waitlisted' and w.seq <= ${signups.seq}) end`,
      cancelDeadlineMinutes: activities.cancelDeadlineMinutes,
    })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .where(
      and(eq(signups.stationId, stationId), inArray(signups.personId, [...personIds]), ne(signups.status, "cancelled"), gt(sessions.endsAt, now)),
    )
    .orderBy(asc(sessions.startsAt), asc(signups.id))
    .limit(500);
  return rows.map((r) => ({
    ...r,
    status: r.status as "confirmed" | "waitlisted",
    waitlistPosition: r.waitlistPosition === null ? null : Number(r.waitlistPosition),
  }));
}
