import { and, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, DbOrTx } from "../db";
import { householdConsents, households, people } from "../db/schema";
import { auditAs } from "../audit";
import { isUniqueViolation } from "../db/errors";
import { NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { currentVersion } from "../privacy/purposes";
import { ConsentAlreadyGiven, ConsentNotGiven, InvalidCareInput } from "./errors";
import type { CareContext } from "./households";

export const CONSENT_METHODS = ["in_person", "phone", "paper"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface ConsentRecord {
  id: number;
  method: ConsentMethod;
  caretaker: string | null;
  givenAt: Date;
  recordedBy: string | null;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
}

const recorders = alias(people, "recorder");
const withdrawers = alias(people, "withdrawer");
const carers = alias(people, "carer");

/**
 * Records that the household agrees its present caretaker acts for it (books, cancels, sees
 * needs). Staff record it, saying how it was given; one may be in force at a time.
 */
export async function recordConsent(db: Db, ctx: CareContext, householdId: number, method: unknown, givenAt?: Date): Promise<number> {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  if (!CONSENT_METHODS.includes(method as ConsentMethod)) throw new InvalidCareInput("method");
  const now = ctx.now ?? new Date();
  const at = givenAt ?? now;
  if (at > now) throw new InvalidCareInput("givenAt");
  try {
    return await db.transaction(async (tx) => {
      const [household] = await tx
        .select({ caretakerId: households.caretakerId })
        .from(households)
        .where(and(eq(households.id, householdId), eq(households.stationId, ctx.stationId)))
        .for("update");
      if (!household) throw new NotFound("household");
      // Consent is given to someone: a household with no caretaker has nobody to agree to.
      if (household.caretakerId === null) throw new InvalidCareInput("caretaker");
      const [row] = await tx
        .insert(householdConsents)
        .values({
          stationId: ctx.stationId,
          householdId,
          caretakerId: household.caretakerId,
          method: method as ConsentMethod,
          givenAt: at,
          recordedBy: ctx.actor.personId,
          textVersion: currentVersion("caretaker_care"),
        })
        .returning({ id: householdConsents.id });
      await auditAs(tx, ctx, {
        action: "household.consent",
        targetType: "household",
        targetId: householdId,
        details: { consentId: row!.id, method, caretakerId: household.caretakerId, version: currentVersion("caretaker_care") },
      });
      return row!.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, "household_consents_active_uq")) throw new ConsentAlreadyGiven();
    throw error;
  }
}

/** Ends the consent in force: the caretaker loses access to the household's people at once. */
export async function withdrawConsent(db: Db, ctx: CareContext, householdId: number): Promise<void> {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  await db.transaction((tx) => endConsent(tx, ctx, householdId));
}

/**
 * Ends the household's consent in force inside the caller's transaction. The caller has
 * decided who may: staff above, or a member of the household on their own account page
 * (models/privacy/consents.ts, ADR 22).
 */
export async function endConsent(db: DbOrTx, ctx: CareContext, householdId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [household] = await tx
      .select({ id: households.id })
      .from(households)
      .where(and(eq(households.id, householdId), eq(households.stationId, ctx.stationId)))
      .for("update");
    if (!household) throw new NotFound("household");
    const [ended] = await tx
      .update(householdConsents)
      .set({ withdrawnAt: ctx.now ?? new Date(), withdrawnBy: ctx.actor.personId })
      .where(and(eq(householdConsents.householdId, householdId), isNull(householdConsents.withdrawnAt)))
      .returning({ id: householdConsents.id });
    if (!ended) throw new ConsentNotGiven();
    await auditAs(tx, ctx, {
      action: "household.consent_withdrawn",
      targetType: "household",
      targetId: householdId,
      details: { consentId: ended.id },
    });
  });
}

/** A household's consents, newest first: who recorded each, how, to whom, and when it ended. */
export async function consentHistory(db: DbOrTx, stationId: number, householdId: number): Promise<ConsentRecord[]> {
  const rows = await db
    .select({
      id: householdConsents.id,
      method: householdConsents.method,
      caretaker: carers.fullName,
      givenAt: householdConsents.givenAt,
      recordedBy: recorders.fullName,
      withdrawnAt: householdConsents.withdrawnAt,
      withdrawnBy: withdrawers.fullName,
    })
    .from(householdConsents)
    .leftJoin(carers, eq(carers.id, householdConsents.caretakerId))
    .leftJoin(recorders, eq(recorders.id, householdConsents.recordedBy))
    .leftJoin(withdrawers, eq(withdrawers.id, householdConsents.withdrawnBy))
    .where(and(eq(householdConsents.stationId, stationId), eq(householdConsents.householdId, householdId)))
    .orderBy(desc(householdConsents.givenAt), desc(householdConsents.id))
    .limit(50);
  return rows.map((r) => ({ ...r, method: r.method as ConsentMethod }));
}
