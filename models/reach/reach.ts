import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { STAFF_ROLES } from "../auth";
import { caredHouseholds } from "./care";

/**
 * How a booked person is reached (ADR 20): at their own email; else through the caretaker of
 * their household, when she has an address; else through whoever booked them, when that is
 * not station staff (a coordinator who booked a phone caller must not get the mail in her own
 * mailbox, worded for someone else); else by no mail at all — a phone call. Mail and the call
 * list both ask decideReach, so they cannot disagree about who is reached how.
 */
export type ReachRoute = "own" | "caretaker" | "booker" | "none";
export type Locale = "zh-CN" | "en";

export interface Contact {
  personId: number;
  name: string;
  address: string | null;
  locale: Locale;
  /** This contact opted out of the mail kind asked about (false when no kind was asked). */
  optedOut: boolean;
}

/** What decideReach needs to know of one booked person; loaded by reachFacts. */
export interface ReachFacts {
  person: Contact;
  caretaker: Contact | null;
  booker: (Contact & { staff: boolean }) | null;
}

/** A booked person and the session, as the lists of people to phone name them. */
export interface BookedPersonRow {
  personId: number;
  fullName: string;
  phone: string | null;
  sessionId: number;
  title: string;
  startsAt: Date;
}

export type Reach = { route: "none" } | { route: Exclude<ReachRoute, "none">; contact: Contact };

export function decideReach(facts: ReachFacts): Reach {
  if (facts.person.address) return { route: "own", contact: facts.person };
  const { caretaker, booker } = facts;
  if (caretaker && caretaker.personId !== facts.person.personId && caretaker.address) return { route: "caretaker", contact: caretaker };
  if (booker && !booker.staff && booker.personId !== facts.person.personId && booker.address) return { route: "booker", contact: booker };
  return { route: "none" };
}

const staffRoles = sql.join(
  STAFF_ROLES.map((r) => sql`${r}`),
  sql`, `,
);

/**
 * The columns reachFacts reads, for a query over people `p` LEFT JOINed to signups `sg` with
 * reachJoins. `kind` (a mail kind) fills the opted-out flags; null leaves them false.
 */
export const reachColumns = (kind: string | null): SQL => {
  const opted = (alias: string) => (kind === null ? sql`false` : sql`${kind}::text = ANY(${sql.raw(alias)}.mail_opt_outs)`);
  return sql`
    p.id AS r_person_id, p.full_name AS r_person_name, p.locale AS r_person_locale, ${opted("p")} AS r_person_opted,
    coalesce(nullif(btrim(p.email), ''), r_oa.email) AS r_person_address,
    r_cp.id AS r_caretaker_id, r_cp.full_name AS r_caretaker_name, r_cp.locale AS r_caretaker_locale, ${opted("r_cp")} AS r_caretaker_opted,
    coalesce(nullif(btrim(r_cp.email), ''), r_ca.email) AS r_caretaker_address,
    r_bp.id AS r_booker_id, r_bp.full_name AS r_booker_name, r_bp.locale AS r_booker_locale, ${opted("r_bp")} AS r_booker_opted,
    coalesce(nullif(btrim(r_bp.email), ''), r_ba.email) AS r_booker_address,
    EXISTS (SELECT 1 FROM station_roles r_sr WHERE r_sr.account_id = r_ba.id AND r_sr.station_id = p.station_id
                                               AND r_sr.role IN (${staffRoles})) AS r_booker_staff`;
};

/** The joins reachColumns reads from: the person's account, their household's caretaker (and account), the booker. */
export const reachJoins = (stationId: number | SQL): SQL => sql`
  LEFT JOIN accounts r_oa ON r_oa.person_id = p.id
  LEFT JOIN (${caredHouseholds(stationId)}) r_ch ON r_ch.id = p.household_id
  LEFT JOIN people r_cp ON r_cp.id = r_ch.caretaker_id AND r_cp.station_id = p.station_id
  LEFT JOIN accounts r_ca ON r_ca.person_id = r_cp.id
  LEFT JOIN accounts r_ba ON r_ba.id = sg.booked_by_account_id
  LEFT JOIN people r_bp ON r_bp.id = r_ba.person_id`;

export type ReachRow = Record<string, unknown>;

const asLocale = (value: unknown): Locale => (value === "en" ? "en" : "zh-CN");
const text = (value: unknown) => (typeof value === "string" && value ? value : null);
const flag = (value: unknown) => value === true || value === "t";

function contact(row: ReachRow, prefix: "person" | "caretaker" | "booker"): Contact | null {
  const id = row[`r_${prefix}_id`];
  if (id === null || id === undefined) return null;
  return {
    personId: Number(id),
    name: String(row[`r_${prefix}_name`]),
    address: text(row[`r_${prefix}_address`]),
    locale: asLocale(row[`r_${prefix}_locale`]),
    optedOut: flag(row[`r_${prefix}_opted`]),
  };
}

/** The facts of one row read with reachColumns. */
export function reachFactsOf(row: ReachRow): ReachFacts {
  const booker = contact(row, "booker");
  return {
    person: contact(row, "person")!,
    caretaker: contact(row, "caretaker"),
    booker: booker ? { ...booker, staff: flag(row.r_booker_staff) } : null,
  };
}

/**
 * How `personId` is reached about `signupId` (null: about something that is not a booking,
 * where only their own address counts), and with the opt-outs of `kind` filled in.
 */
export async function reachOf(
  db: DbOrTx,
  input: { personId: number; signupId: number | null; kind: string | null },
): Promise<{ facts: ReachFacts; reach: Reach } | undefined> {
  const result = await db.execute<ReachRow>(sql`
    SELECT ${reachColumns(input.kind)}
    FROM people p
    LEFT JOIN signups sg ON sg.id = ${input.signupId} AND sg.person_id = p.id
    ${reachJoins(sql`(SELECT station_id FROM people WHERE id = ${input.personId})`)}
    WHERE p.id = ${input.personId}`);
  const row = result.rows[0];
  if (!row) return undefined;
  let facts = reachFactsOf(row);
  if (input.signupId === null) facts = { person: facts.person, caretaker: null, booker: null };
  return { facts, reach: decideReach(facts) };
}
