import type { Db } from "./db";
import { EmailTaken, PhoneTaken, SignInNameRequired, TooManyAttempts } from "./errors";
import { findAccountBySignInName, normaliseEmail, normaliseMobile, registerResident, type NewResident } from "./auth";
import { enqueue } from "./notifications/enqueue";
import { hashPassword } from "./passwords";
import { hit, minutesOf } from "./rate-limits";

const MAIL_USEFUL_MS = 7 * 24 * 3600_000;

/**
 * Self-registration as the open form sees it, with an email, a mobile number, or both (ADR 12,
 * ADR 21). The answer depends only on what was typed, never on who is registered, so the form
 * cannot be used to find out who has an account:
 * - a new email gets its account and a welcome mail; a taken one gets nothing new, and its owner
 *   a mail saying someone tried (and how to sign in);
 * - a mobile number cannot be sent anything: a new one gets its account (signing in with the
 *   number), a taken one gets nothing and nobody is told. The page says so in both cases alike
 *   ("if this number was not registered before…"), and where to go when sign-in fails;
 * - with both, the email decides; a phone that is already another account's sign-in number is
 *   kept as the new person's contact number only.
 * Limited per client address and per email and phone named, which also bounds the mails a
 * stranger can make us send to one person. Every path hashes the password, so timing does not
 * tell them apart either. Returns which answer to show.
 */
export async function requestRegistration(db: Db, input: NewResident & { ip: string }): Promise<{ answer: "email" | "phone" }> {
  const email = input.email ? normaliseEmail(input.email) : null;
  const phone = normaliseMobile(input.phone);
  if (!email && !phone) throw new SignInNameRequired();
  const hits = await Promise.all([
    hit(db, "registerAddress", input.ip),
    ...(email ? [hit(db, "registerTarget", `email:${email}`)] : []),
    ...(phone ? [hit(db, "registerTarget", `phone:${phone}`)] : []),
  ]);
  for (const h of hits) if (!h.ok) throw new TooManyAttempts(minutesOf(h.retryAfterMs));
  const answer = email ? ("email" as const) : ("phone" as const);
  const now = new Date();
  const mail = (kind: "account_welcome" | "account_exists", personId: number, dedupeKey: string) => ({
    stationId: input.stationId,
    kind,
    dedupeKey,
    personId,
    dueAt: now,
    expiresAt: new Date(now.getTime() + MAIL_USEFUL_MS),
  });
  const emailOwner = email ? await findAccountBySignInName(db, { email }) : undefined;
  const phoneOwner = phone ? await findAccountBySignInName(db, { phone }) : undefined;
  // Nothing to make: a taken email, or only a phone and it is taken.
  const makes = email ? !emailOwner : !phoneOwner;
  if (makes) {
    try {
      await registerResident(db, { ...input, email, phone, phoneSignsIn: !phoneOwner }, async (tx, created) => {
        if (email) await enqueue(tx, [mail("account_welcome", created.personId, `account_welcome:${created.accountId}`)]);
      });
      return { answer };
    } catch (error) {
      // Registered by a parallel request in between: answer as for any taken name.
      if (!(error instanceof EmailTaken) && !(error instanceof PhoneTaken)) throw error;
    }
  } else {
    // The new-account path hashes the password; so does this one, or its speed would tell.
    await hashPassword(input.password);
  }
  const owner = email ? (emailOwner ?? (await findAccountBySignInName(db, { email }))) : undefined;
  if (owner) await enqueue(db, [mail("account_exists", owner.personId, `account_exists:${owner.id}:${now.getTime()}`)]);
  return { answer };
}
