import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { accounts, people } from "../db/schema";
import { auditAs } from "../audit";
import { NotFound } from "../errors";
import { isStaff, type Actor } from "../permissions";
import { normalisePhone } from "../people";
import { requireNeedsConsent } from "./consents";
import { CorrectionByOwner, InvalidPersonInput } from "./errors";

/** The details a person (or staff for them) may correct; needs only with health_needs consent. */
export interface PersonDetails {
  fullName: string;
  phone: string | null;
  email: string | null;
  birthYear: number | null;
  needs: string | null;
}

export const CORRECTABLE = ["fullName", "phone", "email", "birthYear", "needs"] as const satisfies readonly (keyof PersonDetails)[];

/**
 * Corrects a person's details (PIPL's right to correction, ADR 22). The person corrects their
 * own; staff correct those of people without an account (a person with one corrects their own,
 * so staff cannot rewrite a resident's name under her) and the needs of anyone. Caretakers
 * book, they do not edit. The audit row names the fields changed, never their values.
 * Returns the names of the fields that changed.
 */
export async function correctPerson(
  db: Db,
  ctx: { stationId: number; actor: Actor },
  personId: number,
  input: Partial<PersonDetails>,
): Promise<(keyof PersonDetails)[]> {
  const self = ctx.actor.personId === personId;
  if (!self && !isStaff(ctx.actor)) throw new NotFound("person");
  if (input.fullName !== undefined && !input.fullName.trim()) throw new InvalidPersonInput("fullName");
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        fullName: people.fullName,
        phone: people.phone,
        email: people.email,
        birthYear: people.birthYear,
        needs: people.needs,
        hasAccount: accounts.id,
      })
      .from(people)
      .leftJoin(accounts, eq(accounts.personId, people.id))
      .where(and(eq(people.id, personId), eq(people.stationId, ctx.stationId)))
      .for("update", { of: people });
    if (!current) throw new NotFound("person");
    const next: PersonDetails = {
      fullName: input.fullName !== undefined ? input.fullName.trim() : current.fullName,
      phone: input.phone !== undefined ? normalisePhone(input.phone) : current.phone,
      email: input.email !== undefined ? input.email?.trim().toLowerCase() || null : current.email,
      birthYear: input.birthYear !== undefined ? input.birthYear : current.birthYear,
      needs: input.needs !== undefined ? input.needs?.trim() || null : current.needs,
    };
    const changed = CORRECTABLE.filter((f) => next[f] !== current[f]);
    if (!changed.length) return [];
    if (!self && current.hasAccount !== null && changed.some((f) => f !== "needs")) throw new CorrectionByOwner();
    if (changed.includes("needs") && next.needs !== null) await requireNeedsConsent(tx, personId);
    await tx.update(people).set(next).where(eq(people.id, personId));
    await auditAs(tx, ctx, {
      action: "person.correct",
      targetType: "person",
      targetId: personId,
      details: { fields: changed },
    });
    return changed;
  });
}
