import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { consentWithdrawnSql, ownAddressSql } from "../privacy/mail-consent";
import { isStaff } from "../permissions";
import { caredPeopleCondition } from "./care";
import type { CallScope } from "./calls";

/**
 * Waitlist offers the mail cannot reach (ADR 26, addendum): a consultation slot is held for the
 * first in line whether or not they read mail — their place in line is theirs — and when the
 * offer mail can never reach them, the hold is on the call list so that someone phones them
 * before it runs out. Such a hold running out does not end their entry (they were never told):
 * they wait on, in their place.
 *
 * The offer is about the person only (signupId null, ADR 20): it reaches their own address or
 * nobody. It cannot when they have no address, withdrew their mail consent, or stopped the
 * waitlist mails (the "waitlist" group on the account page).
 */
export type OfferUnreached = "no_address" | "no_mail_consent" | "opted_out";

/** Why the offer mail cannot reach `person` (a people id expression), or NULL when it can. */
export const offerUnreachedSql = (person: SQL): SQL => sql`(CASE
  WHEN NOT ${ownAddressSql(person)} THEN 'no_address'
  WHEN ${consentWithdrawnSql(person, "mail")} THEN 'no_mail_consent'
  WHEN EXISTS (SELECT 1 FROM people op WHERE op.id = ${person} AND 'consultation_offer' = ANY(op.mail_opt_outs)) THEN 'opted_out'
  END)`;

export interface OfferCallRow {
  personId: number;
  fullName: string;
  phone: string | null;
  offerId: number;
  startsAt: Date;
  endsAt: Date;
  location: string;
  providerName: string;
  heldUntil: Date;
  reason: OfferUnreached;
}

/**
 * The slots held now for people the offer mail cannot reach, soonest running out first: the
 * station's for staff, the people in their care for anyone else. No service and no topic: the
 * person knows what they waited for, and the offer's page (for staff and carers) names it.
 */
export async function offerCallList(db: DbOrTx, scope: CallScope, now: Date): Promise<OfferCallRow[]> {
  const whose = isStaff(scope.actor) && scope.only !== "care" ? sql`true` : caredPeopleCondition(scope.stationId, scope.actor.personId);
  const result = await db.execute<{
    person_id: number;
    full_name: string;
    phone: string | null;
    offer_id: number;
    starts_at: string | Date;
    ends_at: string | Date;
    location: string | null;
    provider_name: string | null;
    held_until: string | Date;
    reason: OfferUnreached;
  }>(sql`
    SELECT * FROM (
      SELECT p.id AS person_id, p.full_name, p.phone, k.id AS offer_id, k.starts_at, k.ends_at, k.location,
             pr.full_name AS provider_name, k.held_until, ${offerUnreachedSql(sql`p.id`)} AS reason
      FROM consultations k
      JOIN people p ON p.id = k.person_id
      JOIN people pr ON pr.id = k.provider_person_id
      WHERE k.station_id = ${scope.stationId} AND p.station_id = ${scope.stationId}
        AND k.status::text = 'held' AND k.held_until > ${now.toISOString()}::timestamptz
        AND ${whose}
    ) offers
    WHERE reason IS NOT NULL
    ORDER BY held_until, offer_id`);
  return result.rows.map((r) => ({
    personId: Number(r.person_id),
    fullName: r.full_name,
    phone: r.phone,
    offerId: Number(r.offer_id),
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    location: r.location ?? "",
    providerName: r.provider_name ?? "",
    heldUntil: new Date(r.held_until),
    reason: r.reason,
  }));
}

/** Whether the offer mail can reach the person (see offerUnreachedSql). */
export async function offerMailReaches(db: DbOrTx, personId: number): Promise<boolean> {
  const result = await db.execute<{ reason: string | null }>(sql`SELECT ${offerUnreachedSql(sql`${personId}::int`)} AS reason`);
  return (result.rows[0]?.reason ?? null) === null;
}

/**
 * How the station will tell someone on a consultation waitlist that a slot is held for them:
 * by the offer mail when it reaches them, else by a phone call (ADR 26). A page that confirms
 * the waitlist says which, and never promises a mail that cannot arrive.
 */
export async function offerReachedBy(db: DbOrTx, personId: number): Promise<"mail" | "phone"> {
  return (await offerMailReaches(db, personId)) ? "mail" : "phone";
}
