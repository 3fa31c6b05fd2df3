// Many signed-in residents at once, for the tests that rush a session through real servers:
// people with an email, accounts, the resident role and a live session each, a few hundred
// rows per statement (the one-at-a-time `makeAccount` would spend most of the test on them).
import crypto from "node:crypto";
import type { Db } from "../../models/db";
import { accounts, authSessions, people, stationRoles } from "../../models/db/schema";
import { writeSessionToken } from "../../app/lib/cookies.server";

export interface BulkResidents {
  personIds: number[];
  /** `Cookie` header values (`hearth_session=…`), one per person, same order. */
  cookies: string[];
}

export async function makeSignedInResidents(db: Db, stationId: number, count: number, prefix = "居民"): Promise<BulkResidents> {
  const run = crypto.randomBytes(3).toString("hex");
  const personIds: number[] = [];
  const cookies: string[] = [];
  for (let i = 0; i < count; i += 500) {
    const n = Math.min(500, count - i);
    const emails = Array.from({ length: n }, (_, k) => `bulk-${process.pid}-${run}-${i + k + 1}@test.example`);
    const made = await db
      .insert(people)
      .values(emails.map((email, k) => ({ stationId, fullName: `${prefix}${i + k + 1}`, email })))
      .returning({ id: people.id });
    const accountRows = await db
      .insert(accounts)
      .values(made.map((p, k) => ({ email: emails[k]!, passwordHash: "!no-login", personId: p.id })))
      .returning({ id: accounts.id });
    await db.insert(stationRoles).values(accountRows.map((a) => ({ accountId: a.id, stationId, role: "resident" as const })));
    const tokens = accountRows.map(() => crypto.randomBytes(32).toString("base64url"));
    const now = new Date();
    await db.insert(authSessions).values(
      accountRows.map((a, k) => ({
        // As models/auth.ts stores it: the token's SHA-256, never the token.
        id: crypto.createHash("sha256").update(tokens[k]!).digest("hex"),
        accountId: a.id,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
      })),
    );
    personIds.push(...made.map((p) => p.id));
    for (const token of tokens) cookies.push((await writeSessionToken(new Request("http://localhost/"), token)).split(";")[0]!);
  }
  return { personIds, cookies };
}
