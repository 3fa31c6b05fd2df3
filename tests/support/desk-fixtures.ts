import { eq, sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { assignments, rosterNeeds, sessions, skills } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import { makeActor } from "./signup-fixtures";

/**
 * Front-desk fixtures, as plain inserts: a volunteer confirmed on a session's registration-desk
 * need, built without the roster models.
 */
export async function makeDeskVolunteer(db: Db, stationId: number, sessionId: number): Promise<Actor & { token: string }> {
  const volunteer = await makeActor(db, stationId, ["volunteer"], "签到志愿者");
  await rosterOnDesk(db, stationId, sessionId, volunteer.personId);
  return volunteer;
}

/** Confirms a person on a new registration-desk need of the session. */
export async function rosterOnDesk(db: Db, stationId: number, sessionId: number, personId: number) {
  const [existing] = await db.select({ id: skills.id }).from(skills).where(eq(skills.slug, "registration-desk"));
  const skillId =
    existing?.id ??
    (await db.insert(skills).values({ stationId, slug: "registration-desk", nameZh: "签到接待", nameEn: "Registration desk" }).returning())[0]!.id;
  const [need] = await db.insert(rosterNeeds).values({ stationId, sessionId, skillId, headCount: 1 }).returning({ id: rosterNeeds.id });
  const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
  await db.insert(assignments).values({
    stationId,
    needId: need!.id,
    sessionId,
    personId,
    during: sql`tstzrange(${session!.startsAt.toISOString()}::timestamptz, ${session!.endsAt.toISOString()}::timestamptz, '[)')` as unknown as string,
    status: "confirmed",
  });
}
