import { spendMailBudget } from "#models/rate-limits";
import { hasAnyRole } from "#models/auth";
import { STAFF, type AuthorisedContext } from "./guard.server";

/**
 * Counts one mail-sending action of the signed-in viewer against their account's budget
 * (models/rate-limits.ts `mailSelf` / `mailForOthers`); past it, a TooManyMails domain error,
 * which forms and the API already turn into a 429 in the viewer's language. `forPerson` is
 * whom the action is for; unknown until the model reads the row (a cancel by id), staff are
 * counted as acting for others.
 */
export async function spendMailBudgetOf(ctx: AuthorisedContext, forPerson?: number): Promise<void> {
  const forOthers = forPerson === undefined ? hasAnyRole(ctx.viewer, STAFF) : forPerson !== ctx.viewer.personId;
  await spendMailBudget(ctx.db, ctx.viewer.accountId, forOthers);
}

/**
 * A booking for several people (ADR 25): one action per person, oneself against `mailSelf`,
 * the others against `mailForOthers`, all counted before anything is written.
 */
export async function spendMailBudgetForPeople(ctx: AuthorisedContext, personIds: readonly number[]): Promise<void> {
  const others = personIds.filter((id) => id !== ctx.viewer.personId).length;
  if (others < personIds.length) await spendMailBudget(ctx.db, ctx.viewer.accountId, false, personIds.length - others);
  if (others > 0) await spendMailBudget(ctx.db, ctx.viewer.accountId, true, others);
}
