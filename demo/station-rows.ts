import { and, asc, eq, isNotNull, type SQL } from "drizzle-orm";
import type { Db } from "../models/db";
import { activities, categories, people, sessions } from "../models/db/schema";

/**
 * The demo station's residents (people who live in one of its households), in the order they
 * were seeded: the seeders draw from this one list with their own seeded random, so the demo
 * comes out the same on every start.
 */
export async function demoResidents(db: Db, stationId: number): Promise<number[]> {
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.stationId, stationId), isNotNull(people.householdId)))
    .orderBy(asc(people.id));
  return rows.map((p) => p.id);
}

/** The station's sessions narrowed by `where`, soonest first, each with its counters and its category's slug as `kind`. */
export function demoSessions(db: Db, stationId: number, where: SQL | undefined) {
  return db
    .select({
      id: sessions.id,
      capacity: sessions.capacity,
      taken: sessions.taken,
      seq: sessions.signupSeq,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      kind: categories.slug,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(eq(sessions.stationId, stationId), where))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
}
