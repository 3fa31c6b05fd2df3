import { asc, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../../models/db";
import { availability, blackouts, personSkills, rosterNeeds, sessions, skills } from "../../models/db/schema";
import { createActivity } from "../../models/activities";
import { WEEKDAYS } from "../../models/recurrence";
import type { Role } from "../../models/auth";
import type { Actor } from "../../models/permissions";
import { ZONE, makeActor, testActivityInput } from "./signup-fixtures";

/**
 * Roster fixtures, written as plain inserts (not through models/rosters) so a test of the
 * model does not build its world with the code under test.
 */

let skillCounter = 0;

export async function makeSkill(db: Db, stationId: number, options: { slug?: string; restricted?: boolean; nameZh?: string; nameEn?: string } = {}) {
  const slug = options.slug ?? `skill-${process.pid % 10000}-${++skillCounter}`;
  const [row] = await db
    .insert(skills)
    .values({
      stationId,
      slug,
      nameZh: options.nameZh ?? `技能${skillCounter}`,
      nameEn: options.nameEn ?? `Skill ${skillCounter}`,
      restricted: options.restricted ?? false,
    })
    .returning({ id: skills.id });
  return row!.id;
}

/** A need on a whole series (`activityId`) or on one session (`sessionId`). */
export async function makeNeed(
  db: Db,
  stationId: number,
  options: { activityId?: number; sessionId?: number; skillId: number; headCount?: number; startOffsetMinutes?: number; endOffsetMinutes?: number },
) {
  const [row] = await db
    .insert(rosterNeeds)
    .values({
      stationId,
      activityId: options.activityId ?? null,
      sessionId: options.sessionId ?? null,
      skillId: options.skillId,
      headCount: options.headCount ?? 1,
      startOffsetMinutes: options.startOffsetMinutes ?? 0,
      endOffsetMinutes: options.endOffsetMinutes ?? 0,
    })
    .returning({ id: rosterNeeds.id });
  return row!.id;
}

export interface VolunteerSkill {
  skillId: number;
  /** Default true: a confirmed skill counts even when restricted. */
  confirmed?: boolean;
  specialty?: string;
}

/** An account (volunteer by default) holding the given skills; returns it as an Actor. */
export async function makeVolunteer(
  db: Db,
  stationId: number,
  options: { skills?: VolunteerSkill[]; roles?: Role[]; name?: string } = {},
): Promise<Actor & { token: string; email: string }> {
  const actor = await makeActor(db, stationId, options.roles ?? ["volunteer"], options.name ?? "志愿者");
  if (options.skills?.length) {
    await db.insert(personSkills).values(
      options.skills.map((s) => ({
        personId: actor.personId,
        skillId: s.skillId,
        specialty: s.specialty ?? "",
        confirmedAt: s.confirmed === false ? null : new Date(),
      })),
    );
  }
  return actor;
}

/** Weekly availability rows (weekday 1 = Monday; "HH:MM" local). */
export async function makeAvailability(db: Db, personId: number, slots: { weekday: number; startTime: string; endTime: string }[]) {
  if (slots.length) await db.insert(availability).values(slots.map((s) => ({ personId, ...s })));
}

export async function makeBlackout(db: Db, personId: number, fromDate: string, toDate = fromDate) {
  const [row] = await db.insert(blackouts).values({ personId, fromDate, toDate }).returning({ id: blackouts.id });
  return row!.id;
}

/** A weekly series of `count` sessions (09:00–11:00 Shanghai), the first `daysAhead` days from now. */
export async function makeSeries(db: Db, stationId: number, options: { count: number; daysAhead?: number; title?: string; capacity?: number }) {
  const start = DateTime.now()
    .setZone(ZONE)
    .plus({ days: options.daysAhead ?? 3 });
  const weekday = WEEKDAYS[start.weekday - 1]!;
  const activityId = await createActivity(
    db,
    { stationId, timeZone: ZONE, actorAccountId: null, horizonDays: 60 },
    await testActivityInput(db, stationId, {
      title: options.title ?? "太极拳",
      location: "驿站活动室",
      capacity: options.capacity ?? 20,
      startDate: start.toISODate()!,
      rule: { freq: "WEEKLY", interval: 1, byWeekday: [weekday], count: options.count },
    }),
  );
  const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.activityId, activityId)).orderBy(asc(sessions.startsAt));
  return { activityId, sessionIds: rows.map((r) => r.id) };
}
