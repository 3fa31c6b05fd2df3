import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db";
import type { NotificationKind } from "../db/schema";

/**
 * Which consents a mail needs (ADR 22, addendum): every mail needs the `mail` consent of the
 * person whose mailbox it reaches, and a reminder also needs the `booking_reminders` consent of
 * the person booked. Checked twice: when the row is written (nothing is queued that could not be
 * sent) and when it is sent (a consent withdrawn in between skips the row with a reason code).
 *
 * A person never asked about a purpose (no consent row for it, ever) is treated as before
 * consents existed: their mail settings (the opt-outs on the account page) are the record. Only a
 * consent asked and then withdrawn stops the mail. So the people of an existing station, and
 * everyone registered before the registration pages ask, keep their mail; see the addendum.
 */

/**
 * No consent asked: registration's answer to the person's own request, sent to the address they
 * typed; and the coordinators' work notice (a count of households, no personal mail).
 */
export const MAIL_CONSENT_EXEMPT = ["account_welcome", "account_exists", "households_unassigned"] as const satisfies readonly NotificationKind[];
/** Reminders of a booking: these need `booking_reminders` of the person booked as well. */
export const REMINDER_KINDS = ["reminder", "reminder_day_of", "consultation_reminder"] as const satisfies readonly NotificationKind[];

export type ConsentSkip = "no_mail_consent" | "no_reminder_consent";

const list = (kinds: readonly string[]) =>
  sql.join(
    kinds.map((k) => sql`${k}::text`),
    sql`, `,
  );

/** True when `person` was asked for `purpose` and has no consent to it in force now. */
export const consentWithdrawnSql = (person: SQL, purpose: "mail" | "booking_reminders"): SQL => sql`(
  EXISTS (SELECT 1 FROM person_consents wc WHERE wc.person_id = ${person} AND wc.purpose = ${purpose}::text)
  AND NOT EXISTS (SELECT 1 FROM person_consents wc WHERE wc.person_id = ${person} AND wc.purpose = ${purpose}::text AND wc.withdrawn_at IS NULL))`;

/** The person has an address of their own, and so is the one who reads mail about them (ADR 20). */
export const ownAddressSql = (person: SQL): SQL => sql`EXISTS (
  SELECT 1 FROM people ap LEFT JOIN accounts aa ON aa.person_id = ap.id
  WHERE ap.id = ${person} AND coalesce(nullif(btrim(ap.email), ''), aa.email) IS NOT NULL)`;

/**
 * The condition a mail row about `person` of kind `kind` must meet to be written: the person's
 * reminders consent for a reminder, and their mail consent when the mail would reach them at
 * their own address. (Mail reaching a caretaker or booker is decided at sending, when the
 * recipient is known.) For the INSERT … SELECT statements that write mail rows.
 */
export const mayQueueSql = (person: SQL, kind: SQL): SQL => sql`(
  (${kind} IN (${list(MAIL_CONSENT_EXEMPT)}) OR NOT (${ownAddressSql(person)} AND ${consentWithdrawnSql(person, "mail")}))
  AND (${kind} NOT IN (${list(REMINDER_KINDS)}) OR NOT ${consentWithdrawnSql(person, "booking_reminders")}))`;

/** For each draft, whether its mail may be queued (mayQueueSql over a list, in one query). */
export async function mayQueue(db: DbOrTx, drafts: readonly { personId: number; kind: NotificationKind }[]): Promise<boolean[]> {
  if (!drafts.length) return [];
  const values = sql.join(
    drafts.map((d, i) => sql`(${i}::int, ${d.personId}::int, ${d.kind}::text)`),
    sql`, `,
  );
  const result = await db.execute<{ i: number; ok: boolean }>(sql`
    SELECT d.i, ${mayQueueSql(sql`d.person_id`, sql`d.kind`)} AS ok FROM (VALUES ${values}) AS d(i, person_id, kind)`);
  const ok = new Map(result.rows.map((r) => [Number(r.i), r.ok === true || (r.ok as unknown) === "t"]));
  return drafts.map((_, i) => ok.get(i) ?? false);
}

/**
 * Why a mail may not be sent now, or null: checked by the worker once the recipient is known.
 * `subjectId` is the person the mail is about, `recipientId` the one whose mailbox it reaches.
 */
export async function consentSkip(
  db: DbOrTx,
  input: { kind: NotificationKind; subjectId: number; recipientId: number },
): Promise<ConsentSkip | null> {
  const result = await db.execute<{ mail: boolean; reminders: boolean }>(sql`
    SELECT ${consentWithdrawnSql(sql`${input.recipientId}::int`, "mail")} AS mail,
           ${consentWithdrawnSql(sql`${input.subjectId}::int`, "booking_reminders")} AS reminders`);
  const row = result.rows[0]!;
  const yes = (v: unknown) => v === true || v === "t";
  if ((REMINDER_KINDS as readonly string[]).includes(input.kind) && yes(row.reminders)) return "no_reminder_consent";
  if (!(MAIL_CONSENT_EXEMPT as readonly string[]).includes(input.kind) && yes(row.mail)) return "no_mail_consent";
  return null;
}

/** The person withdrew their mail consent (and has not given it again): the account page says no mail goes out. */
export async function mailConsentWithdrawn(db: DbOrTx, personId: number): Promise<boolean> {
  const result = await db.execute<{ withdrawn: boolean }>(sql`SELECT ${consentWithdrawnSql(sql`${personId}::int`, "mail")} AS withdrawn`);
  const value: unknown = result.rows[0]?.withdrawn;
  return value === true || value === "t";
}
