import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../../models/db";
import { people } from "../../models/db/schema";
import { createActivity, type ActivityInput } from "../../models/activities";
import { sessions, signups } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import { categoryId, makeAccount } from "./fixtures";
import type { Role } from "../../models/auth";

export const ZONE = "Asia/Shanghai";

/**
 * What the tests' activities share: two hours in the clinic category from 09:00, once, no
 * description or leader. `fields` name the rest: title, place, places, day, and any rules.
 */
export async function testActivityInput(
  db: Db,
  stationId: number,
  fields: Pick<ActivityInput, "title" | "location" | "capacity" | "startDate"> & Partial<ActivityInput>,
): Promise<ActivityInput> {
  return {
    categoryId: await categoryId(db, stationId, "clinic"),
    description: "",
    leader: "",
    durationMinutes: 120,
    startTime: "09:00",
    rule: null,
    exdates: [],
    ...fields,
  };
}

/** A one-off session `daysAhead` days from now at 09:00 Shanghai, with the given rules. */
export async function makeSession(
  db: Db,
  stationId: number,
  options: {
    capacity: number;
    maxPartySize?: number;
    daysAhead?: number;
    opensDays?: number;
    closesMinutes?: number;
    cancelDeadlineMinutes?: number;
    title?: string;
  },
) {
  const start = DateTime.now()
    .setZone(ZONE)
    .plus({ days: options.daysAhead ?? 3 })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const activityId = await createActivity(
    db,
    { stationId, timeZone: ZONE, actorAccountId: null, horizonDays: 60 },
    await testActivityInput(db, stationId, {
      title: options.title ?? "公益义诊",
      location: "驿站医疗保健区",
      capacity: options.capacity,
      startDate: start.toISODate()!,
      maxPartySize: options.maxPartySize ?? 3,
      signupOpensDays: options.opensDays ?? 14,
      signupClosesMinutes: options.closesMinutes ?? 60,
      cancelDeadlineMinutes: options.cancelDeadlineMinutes ?? 120,
    }),
  );

  const [session] = await db.select().from(sessions).where(eq(sessions.activityId, activityId));
  return { activityId, sessionId: session!.id, startsAt: session!.startsAt };
}

/** `count` people without accounts (residents booked by others), in one insert. */
export async function makePeople(db: Db, stationId: number, count: number, prefix = "居民") {
  const rows = await db
    .insert(people)
    .values(Array.from({ length: count }, (_, i) => ({ stationId, fullName: `${prefix}${i + 1}` })))
    .returning({ id: people.id });
  return rows.map((r) => r.id);
}

/** An account with roles, as the Actor the models take. */
export async function makeActor(db: Db, stationId: number, roles: Role[], name?: string): Promise<Actor & { token: string; email: string }> {
  const account = await makeAccount(db, stationId, roles, name);
  return { accountId: account.accountId, personId: account.personId, roles, token: account.token, email: account.email };
}

/**
 * How many people (party sizes summed) hold a confirmed place in the session: what the signup
 * races count after the rush, and what their naive controls read before inserting.
 */
export async function confirmedPeople(db: Db, sessionId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${signups.partySize}), 0)::int` })
    .from(signups)
    .where(and(eq(signups.sessionId, sessionId), eq(signups.status, "confirmed")));
  return row!.n;
}
