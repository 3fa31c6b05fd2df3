import { sql, type SQL } from "drizzle-orm";
import { householdConsents } from "../db/schema";

/**
 * The one statement of "this household's consent is in force" (ADR 19): a consent not withdrawn,
 * given to the household's present caretaker. `household` names the `households` row it tests
 * (the table itself, or an alias such as `h`); every reader — the permission check, the households
 * pages, 我的联系户, mail through the caretaker, the call list, the import — uses this one, so a
 * withdrawal or a reassignment cuts them all at once.
 */
export function consentInForce(household = "households"): SQL<boolean> {
  // An identifier, never a value: only plain names are accepted, so nothing can be injected.
  if (!/^[a-z_][a-z0-9_]*$/.test(household)) throw new Error(`not a table alias: ${household}`);
  const h = sql.raw(`"${household}"`);
  return sql<boolean>`exists (select 1 from ${householdConsents} c
    where c.household_id = ${h}.id and c.withdrawn_at is null and c.caretaker_id = ${h}.caretaker_id)`;
}
