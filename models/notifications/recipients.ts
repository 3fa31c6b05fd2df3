import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db";
import { accounts, people, signups } from "../db/schema";
import type { NotificationKind } from "../db/schema";

export type Locale = "zh-CN" | "en";

export interface Recipient {
  personId: number;
  address: string;
  /** The recipient's own name, for the greeting. */
  name: string;
  locale: Locale;
  /** Set when the mail goes to the booker instead: the name of the person it is about. */
  forName: string | null;
}

export type RecipientDecision = { ok: true; recipient: Recipient } | { ok: false; reason: "no_address" | "opted_out" };

const booker = alias(people, "booker");
const bookerAccount = alias(accounts, "booker_account");
const ownAccount = alias(accounts, "own_account");

/**
 * Who receives a mail about `personId`: the person at their own address (people.email, else
 * their account's login); failing that, whoever booked the signup for them, marked "for
 * <name>"; failing that, nobody. The recipient's opt-outs and language apply, not the
 * subject person's: it is the recipient who reads it and who unsubscribed.
 */
export async function resolveRecipient(
  db: DbOrTx,
  input: { kind: NotificationKind; personId: number; signupId: number | null },
): Promise<RecipientDecision> {
  const [subject] = await db
    .select({
      name: people.fullName,
      email: people.email,
      accountEmail: ownAccount.email,
      locale: people.locale,
      optOuts: people.mailOptOuts,
    })
    .from(people)
    .leftJoin(ownAccount, eq(ownAccount.personId, people.id))
    .where(eq(people.id, input.personId));
  if (!subject) return { ok: false, reason: "no_address" };
  const own = subject.email?.trim() || subject.accountEmail;
  if (own)
    return decide(
      input.kind,
      { personId: input.personId, address: own, name: subject.name, locale: asLocale(subject.locale), forName: null },
      subject.optOuts,
    );
  if (input.signupId === null) return { ok: false, reason: "no_address" };
  const [by] = await db
    .select({
      personId: booker.id,
      name: booker.fullName,
      email: booker.email,
      accountEmail: bookerAccount.email,
      locale: booker.locale,
      optOuts: booker.mailOptOuts,
    })
    .from(signups)
    .innerJoin(bookerAccount, eq(bookerAccount.id, signups.bookedByAccountId))
    .innerJoin(booker, eq(booker.id, bookerAccount.personId))
    .where(eq(signups.id, input.signupId));
  if (!by || by.personId === input.personId) return { ok: false, reason: "no_address" };
  const address = by.email?.trim() || by.accountEmail;
  // A booker who signs in by phone and gave no email has no address either.
  if (!address) return { ok: false, reason: "no_address" };
  return decide(input.kind, { personId: by.personId, address, name: by.name, locale: asLocale(by.locale), forName: subject.name }, by.optOuts);
}

function decide(kind: NotificationKind, recipient: Recipient, optOuts: string[]): RecipientDecision {
  if (optOuts.includes(kind)) return { ok: false, reason: "opted_out" };
  return { ok: true, recipient };
}

const asLocale = (value: string): Locale => (value === "en" ? "en" : "zh-CN");
