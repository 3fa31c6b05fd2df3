import type { Db } from "./db";
import { PEOPLE_PER_BOOKING } from "./limits";
import { DomainError, domainErrorOf, InvalidBookingPeople } from "./errors";
import { requireCanActForAll, SESSION_BOOKINGS } from "./permissions";
import { assertSignupPossible, requireSignupRules, signUp, type SignupContext, type SignupResult } from "./signups";

export interface PartyRequest {
  personId: number;
  partySize: number;
}

/** What became of one person of a booking for several: a place, a waiting place, or a refusal and its reason. */
export type PersonOutcome = { personId: number; partySize: number } & (
  { status: "confirmed" | "waitlisted"; signup: SignupResult } | { status: "refused"; error: DomainError }
);

/**
 * Books several people (a family, a caretaker's households) onto one session in one request
 * (ADR 25), answering person by person. Refused whole, before anything is written: a list
 * that is empty, too long or names someone twice, a session that is not there or not taking
 * signups, a party over the activity's limit, and anyone the actor may not act for (404, as if
 * they did not exist). Then each person is one `signUp` — one locked statement, committed on
 * its own — in the order given: the first named has the first claim on the last place.
 *
 * Deliberately not one transaction: a transaction would hold the session's row lock from the
 * first statement to the commit, so every other booking of the session waits for all of ours,
 * and the per-session gate in front of the lock could then wait on itself (our second statement
 * queued behind requests that wait for our lock). Each statement holds only its own lock and
 * waits for nothing of ours, so no cycle can form, between requests or within one. A person's
 * refusal (already booked, elsewhere at that time, the station busy) leaves the others booked.
 */
export async function signUpMany(db: Db, ctx: SignupContext, sessionId: number, parties: readonly PartyRequest[]): Promise<PersonOutcome[]> {
  const ids = parties.map((p) => p.personId);
  if (ids.length < PEOPLE_PER_BOOKING.min || ids.length > PEOPLE_PER_BOOKING.max || new Set(ids).size !== ids.length)
    throw new InvalidBookingPeople(PEOPLE_PER_BOOKING.max);
  const now = ctx.now ?? new Date();
  const rules = await requireSignupRules(db, ctx.stationId, sessionId);
  for (const party of parties) assertSignupPossible(rules, party.partySize, now);
  await requireCanActForAll(db, ctx.stationId, ctx.actor, ids, SESSION_BOOKINGS);
  const outcomes: PersonOutcome[] = [];
  for (const { personId, partySize } of parties) {
    try {
      const signup = await signUp(db, { ...ctx, now }, { sessionId, personId, partySize });
      outcomes.push({ personId, partySize, status: signup.status, signup });
    } catch (error) {
      const refusal = domainErrorOf(error);
      if (!refusal) throw error;
      outcomes.push({ personId, partySize, status: "refused", error: refusal });
    }
  }
  return outcomes;
}
