import type { DbOrTx } from "../db";
import type { NotificationKind } from "../db/schema";
import { reachOf, type Locale } from "../reach/reach";

export type { Locale };

export interface Recipient {
  personId: number;
  address: string;
  /** The recipient's own name, for the greeting. */
  name: string;
  locale: Locale;
  /** Set when the mail goes to someone else on the person's behalf: the name of the person it is about. */
  forName: string | null;
  /** Why this recipient reads it: the person themself, their caretaker, or the family member who booked them. */
  via: "own" | "caretaker" | "booker";
}

export type RecipientDecision = { ok: true; recipient: Recipient } | { ok: false; reason: "no_address" | "opted_out" };

/**
 * Who receives a mail about `personId`: the way the person is reached (models/reach, ADR 20)
 * — their own address; for a booking (`signupId` set), else their household's caretaker, else
 * the family member who booked them (never staff); else nobody. The recipient's opt-outs and
 * language apply, not the subject person's: it is the recipient who reads it and who unsubscribed.
 */
export async function resolveRecipient(
  db: DbOrTx,
  input: { kind: NotificationKind; personId: number; signupId: number | null },
): Promise<RecipientDecision> {
  const found = await reachOf(db, { personId: input.personId, signupId: input.signupId, kind: input.kind });
  if (!found || found.reach.route === "none") return { ok: false, reason: "no_address" };
  const { route, contact } = found.reach;
  if (contact.optedOut) return { ok: false, reason: "opted_out" };
  return {
    ok: true,
    recipient: {
      personId: contact.personId,
      address: contact.address!,
      name: contact.name,
      locale: contact.locale,
      forName: route === "own" ? null : found.facts.person.name,
      via: route,
    },
  };
}
