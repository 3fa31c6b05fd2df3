import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { accounts } from "./db/schema";
import { EmailTaken, TooManyAttempts } from "./errors";
import { normaliseEmail, registerResident, type NewResident } from "./auth";
import { enqueue } from "./notifications/enqueue";
import { hashPassword } from "./passwords";
import { normalisePhone } from "./people";
import { hit, minutesOf } from "./rate-limits";

const MAIL_USEFUL_MS = 7 * 24 * 3600_000;

/**
 * Self-registration as the open form sees it. The answer is the same whether or not the email
 * already has an account, so the form cannot be used to find out who is registered: a new
 * address gets its account and a welcome mail; a taken one gets nothing new, and its owner a
 * mail saying someone tried (and how to sign in). Limited per client address and per email and
 * phone named, which also bounds the mails a stranger can make us send to one person.
 */
export async function requestRegistration(db: Db, input: NewResident & { ip: string }): Promise<void> {
  const email = normaliseEmail(input.email);
  const phone = normalisePhone(input.phone);
  const hits = await Promise.all([
    hit(db, "registerAddress", input.ip),
    hit(db, "registerTarget", `email:${email}`),
    ...(phone ? [hit(db, "registerTarget", `phone:${phone}`)] : []),
  ]);
  for (const h of hits) if (!h.ok) throw new TooManyAttempts(minutesOf(h.retryAfterMs));
  const now = new Date();
  const mail = (kind: "account_welcome" | "account_exists", personId: number, dedupeKey: string) => ({
    stationId: input.stationId,
    kind,
    dedupeKey,
    personId,
    dueAt: now,
    expiresAt: new Date(now.getTime() + MAIL_USEFUL_MS),
  });
  const existing = await findAccount(db, email);
  if (!existing) {
    try {
      await registerResident(db, input, async (tx, created) => {
        await enqueue(tx, [mail("account_welcome", created.personId, `account_welcome:${created.accountId}`)]);
      });
      return;
    } catch (error) {
      // Registered by a parallel request in between: answer as for any taken address.
      if (!(error instanceof EmailTaken)) throw error;
    }
  } else {
    // The new-account path hashes the password; so does this one, or its speed would tell.
    await hashPassword(input.password);
  }
  const owner = existing ?? (await findAccount(db, email));
  if (owner) await enqueue(db, [mail("account_exists", owner.personId, `account_exists:${owner.id}:${now.getTime()}`)]);
}

async function findAccount(db: Db, email: string) {
  const [row] = await db.select({ id: accounts.id, personId: accounts.personId }).from(accounts).where(eq(accounts.email, email));
  return row;
}
