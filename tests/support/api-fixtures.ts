// Accounts with API tokens, and the row counts that prove "nothing written".
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { activities, apiTokens, assignments, auditLog, households, notifications, people, sessions, signups } from "../../models/db/schema";
import { createApiToken } from "../../models/api-tokens";
import type { Role } from "../../models/auth";
import { makeAccount } from "./fixtures";
import { giveConsent } from "./care-fixtures";

export interface ApiUser {
  accountId: number;
  personId: number;
  email: string;
  /** An API token (hth_…), not a login cookie. */
  token: string;
  roles: Role[];
}

export async function makeApiUser(db: Db, stationId: number, roles: Role[], name?: string): Promise<ApiUser> {
  const account = await makeAccount(db, stationId, roles, name);
  const { token } = await createApiToken(db, { stationId, accountId: account.accountId }, "test");
  return { accountId: account.accountId, personId: account.personId, email: account.email, token, roles };
}

/** Puts `personId` in a household that the volunteer `caretakerPersonId` looks after, with the household's consent. */
export async function makeCaretaker(db: Db, stationId: number, personId: number, caretakerPersonId: number) {
  const [household] = await db
    .insert(households)
    .values({ stationId, label: "测试户", caretakerId: caretakerPersonId })
    .returning({ id: households.id });
  await db.update(people).set({ householdId: household!.id }).where(eq(people.id, personId));
  await giveConsent(db, stationId, household!.id, caretakerPersonId);
  return household!.id;
}

const watched = { signups, people, activities, sessions, audit_log: auditLog, api_tokens: apiTokens, assignments, notifications };

/** Row counts of every table an API call could write. */
export async function countApiRows(db: Db) {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(watched)) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
    counts[name] = row!.n;
  }
  return counts;
}
