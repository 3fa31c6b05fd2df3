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
