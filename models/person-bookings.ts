import { and, desc, eq } from "drizzle-orm";
import { alias, type PgSelectBase, type SelectedFields } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./db";
import { accounts, activities, people, sessions, signups } from "./db/schema";

/** Who made a booking: the account, and the person it belongs to (null on a booking made by no one signed in). */
export const bookerAccounts = alias(accounts, "booker_account");
export const bookerPeople = alias(people, "booker_person");

type BookingJoin = {
  signups: "not-null";
  sessions: "not-null";
  activities: "not-null";
  booker_account: "nullable";
  booker_person: "nullable";
};

/**
 * A person's bookings at a station, newest session first, with their session, its activity and
 * who booked them: what the bookings page lists and the data export hands over. The caller
 * picks the fields and the limit.
 */
export function selectPersonBookings<T extends SelectedFields>(
  db: DbOrTx,
  fields: T,
  stationId: number,
  personId: number,
): PgSelectBase<"signups", T, "partial", BookingJoin> {
  const query = db
    .select(fields as SelectedFields)
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .leftJoin(bookerAccounts, eq(bookerAccounts.id, signups.bookedByAccountId))
    .leftJoin(bookerPeople, eq(bookerPeople.id, bookerAccounts.personId))
    .where(and(eq(signups.stationId, stationId), eq(signups.personId, personId)))
    .orderBy(desc(sessions.startsAt), desc(signups.id));
  // Drizzle's types cannot follow a join chain over a generic selection: the declared type is
  // the one the chain has for the caller's fields (the booker's columns may be null).
  return query as unknown as PgSelectBase<"signups", T, "partial", BookingJoin>;
}
