import type { Db } from "./db";
import { pgErrorOf } from "./db/errors";
import { AlreadySignedUp } from "./errors";
import { createPerson, findPersonByNameAndPhone, requirePerson, type NewPerson } from "./people";
import type { Actor } from "./permissions";
import { assertSignupPossible, getActiveSignup, requireSignupRules, signUp, type SignupResult } from "./signups";

/** Who is booked: someone already known, or a caller or walk-in to register now. */
export type WalkInPerson = { personId: number } | { newPerson: NewPerson & { fullName: string } };

/**
 * A coordinator books for a caller or a walk-in (代人报名): an existing person, or one registered
 * on the spot, then the signup. All of it is one transaction: a refused or failed booking
 * leaves no stray person behind, and a caller registered before (same name and phone) is
 * booked as that person instead of a twin.
 */
export async function bookWalkIn(
  db: Db,
  ctx: { stationId: number; actor: Actor; now?: Date },
  input: { sessionId: number; partySize: number; person: WalkInPerson },
): Promise<SignupResult & { name: string }> {
  // The cheap refusals first (window closed, party too large), before anything is written.
  assertSignupPossible(await requireSignupRules(db, ctx.stationId, input.sessionId), input.partySize, ctx.now);
  let knownPersonId = "personId" in input.person ? input.person.personId : undefined;
  try {
    return await db.transaction(async (tx) => {
      if ("newPerson" in input.person) {
        const { newPerson } = input.person;
        knownPersonId = await findPersonByNameAndPhone(tx, ctx.stationId, newPerson.fullName, newPerson.phone);
        knownPersonId ??= await createPerson(tx, { stationId: ctx.stationId, actorAccountId: ctx.actor.accountId }, newPerson);
      }
      const personId = knownPersonId!;
      const result = await signUp(tx, ctx, { sessionId: input.sessionId, personId, partySize: input.partySize });
      return { ...result, name: (await requirePerson(tx, ctx.stationId, personId)).fullName };
    });
  } catch (error) {
    // Already on the list: inside the transaction the unique violation aborts it before the
    // model can look the signup up, so it is looked up here, after the rollback.
    const code = pgErrorOf(error)?.code;
    if ((code === "23505" || code === "25P02") && knownPersonId !== undefined) {
      const existing = await getActiveSignup(db, input.sessionId, knownPersonId);
      if (existing) throw new AlreadySignedUp(existing.id);
    }
    throw error;
  }
}
