import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { notifications, sessions } from "../../models/db/schema";
import type { ActivityInput } from "../../models/activities";
import { testActivityInput, ZONE } from "./signup-fixtures";

export { ZONE };

/**
 * The input of a one-off activity on `startDate` at `startTime` Shanghai, two hours long,
 * with the given reminder settings; signups open 14 days before and close 60 minutes before.
 */
export async function timedActivityInput(
  db: Db,
  stationId: number,
  options: { startDate: string; startTime?: string; capacity?: number; reminderMinutes?: number; remindDayOf?: boolean; title?: string },
): Promise<ActivityInput> {
  return testActivityInput(db, stationId, {
    title: options.title ?? "血压测量",
    location: "驿站医疗保健区",
    capacity: options.capacity ?? 10,
    startDate: options.startDate,
    startTime: options.startTime ?? "09:00",
    maxPartySize: 3,
    signupOpensDays: 14,
    signupClosesMinutes: 60,
    cancelDeadlineMinutes: 120,
    reminderMinutes: options.reminderMinutes ?? 1440,
    remindDayOf: options.remindDayOf ?? false,
  });
}

export async function sessionsOf(db: Db, activityId: number) {
  return db.select().from(sessions).where(eq(sessions.activityId, activityId)).orderBy(asc(sessions.startsAt));
}

/** The mail rows of a signup (or of a session), as the assertions compare them. */
export async function mailOf(db: Db, where: { signupId?: number; sessionId?: number }) {
  const rows = await db
    .select({
      kind: notifications.kind,
      dedupeKey: notifications.dedupeKey,
      personId: notifications.personId,
      signupId: notifications.signupId,
      sessionId: notifications.sessionId,
      payload: notifications.payload,
      dueAt: notifications.dueAt,
      expiresAt: notifications.expiresAt,
      status: notifications.status,
      lastError: notifications.lastError,
    })
    .from(notifications)
    .where(
      and(
        where.signupId === undefined ? undefined : eq(notifications.signupId, where.signupId),
        where.sessionId === undefined ? undefined : eq(notifications.sessionId, where.sessionId),
      ),
    )
    .orderBy(asc(notifications.id));
  return rows;
}

export async function countMail(db: Db, dedupeKeyPrefix: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(sql`${notifications.dedupeKey} LIKE ${`${dedupeKeyPrefix}%`}`);
  return row!.n;
}

/** A UTC instant, for readable expectations. */
export const utc = (iso: string) => new Date(iso);
