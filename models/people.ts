import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "./db";
import { households, people } from "./db/schema";
import { recordAudit } from "./audit";
import { NotFound } from "./errors";
import { recordNeedsConsentForNew } from "./privacy/consents";

export interface NewPerson {
  fullName: string;
  phone?: string | null;
  email?: string | null;
  birthYear?: number | null;
  needs?: string | null;
  /** How the person's health_needs consent was given, when `needs` is set (ADR 22). */
  needsConsent?: string | null;
}

/** What staff see of a person when booking for them (needs included: staff only). */
export interface PersonSummary {
  id: number;
  fullName: string;
  phone: string | null;
  birthYear: number | null;
  household: string | null;
  needs: string | null;
}

const summaryColumns = {
  id: people.id,
  fullName: people.fullName,
  phone: people.phone,
  birthYear: people.birthYear,
  household: households.label,
  needs: people.needs,
};

// LIKE wildcards typed by the user are searched for literally.
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Finds people by part of their name or the start of their phone number. */
export async function searchPeople(db: Db, stationId: number, query: string, limit = 20): Promise<PersonSummary[]> {
  const q = query.trim();
  if (!q) return [];
  const digits = q.replace(/[\s-]/g, "");
  const byPhone = /^\+?\d{3,}$/.test(digits) ? ilike(people.phone, `${escapeLike(digits)}%`) : undefined;
  return db
    .select(summaryColumns)
    .from(people)
    .leftJoin(households, eq(households.id, people.householdId))
    .where(and(eq(people.stationId, stationId), isNull(people.erasedAt), or(ilike(people.fullName, `%${escapeLike(q)}%`), byPhone)))
    .orderBy(sql`${people.fullName} = ${q} desc`, asc(people.fullName), asc(people.id))
    .limit(limit);
}

export async function getPerson(db: DbOrTx, stationId: number, id: number): Promise<PersonSummary | undefined> {
  const [person] = await db
    .select(summaryColumns)
    .from(people)
    .leftJoin(households, eq(households.id, people.householdId))
    .where(and(eq(people.stationId, stationId), eq(people.id, id)));
  return person;
}

export async function requirePerson(db: DbOrTx, stationId: number, id: number): Promise<PersonSummary> {
  const person = await getPerson(db, stationId, id);
  if (!person) throw new NotFound("person");
  return person;
}

/** Phone numbers are kept as digits (and a leading +), so "139 1234-5678" is found by "1391234". */
export const normalisePhone = (phone: string | null | undefined) => (phone ? phone.replace(/[^\d+]/g, "") || null : null);

/**
 * The person a registration form describes, if they are already known: the same name and
 * phone. A retried "register and book" then books the same person instead of a twin.
 */
export async function findPersonByNameAndPhone(
  db: DbOrTx,
  stationId: number,
  fullName: string,
  phone: string | null | undefined,
): Promise<number | undefined> {
  const digits = normalisePhone(phone);
  if (!digits) return undefined;
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.stationId, stationId), eq(people.fullName, fullName.trim()), eq(people.phone, digits)))
    .orderBy(asc(people.id))
    .limit(1);
  return row?.id;
}

/** A walk-in or a phone caller becomes a person (no account), recorded in the audit log. */
export async function createPerson(db: DbOrTx, ctx: { stationId: number; actorAccountId: number }, input: NewPerson): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(people)
      .values({
        stationId: ctx.stationId,
        fullName: input.fullName.trim(),
        phone: normalisePhone(input.phone),
        email: input.email || null,
        birthYear: input.birthYear ?? null,
        needs: input.needs || null,
      })
      .returning({ id: people.id });
    // Needs are kept only with the person's consent to it, recorded in this transaction.
    if (input.needs) await recordNeedsConsentForNew(tx, ctx, row!.id, input.needsConsent);
    // The audit row names the person by id only: needs and phone stay out of the log.
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actorAccountId,
      action: "person.create",
      targetType: "person",
      targetId: row!.id,
    });
    return row!.id;
  });
}
