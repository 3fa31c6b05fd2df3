import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "../db";
import { accounts, householdConsents, households, people, personConsents } from "../db/schema";
import { auditAs, recordAudit } from "../audit";
import { isUniqueViolation } from "../db/errors";
import { NotAllowed, NotFound } from "../errors";
import { canActFor, isStaff, type Actor } from "../permissions";
import { endConsent, recordConsent, type ConsentMethod } from "../care/consent";
import { ConsentNotGiven } from "../care/errors";
import { currentVersion, PURPOSES, RECORDED_WAYS, type ConsentWay, type Purpose } from "./purposes";
import { ConsentUpToDate, InvalidConsentWay, NeedsConsentRequired, PersonConsentAlreadyGiven, PersonConsentNotGiven } from "./errors";

export interface ConsentContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

/** One consent as the person, staff and the export show it: newest first per person. */
export interface ConsentEntry {
  purpose: Purpose;
  version: number;
  way: ConsentWay;
  givenAt: Date;
  recordedBy: string | null;
  withdrawnAt: Date | null;
  withdrawnBy: string | null;
  withdrawWay: ConsentWay | null;
}

/** Each purpose's standing for a person: the newest consent (in force or withdrawn), if any. */
export interface ConsentState {
  purpose: Purpose;
  inForce: boolean;
  /** The version the consent in force was given to; older than `currentVersion` means asked again. */
  version: number | null;
  currentVersion: number;
  latest: ConsentEntry | null;
}

const recorders = alias(people, "recorder");
const withdrawers = alias(people, "withdrawer");

/**
 * Every consent of a person, newest first: their own purposes, and for caretaker_care their
 * household's consents (ADR 19), which stay the one record of that agreement (ADR 22).
 */
export async function consentHistory(db: DbOrTx, stationId: number, personId: number): Promise<ConsentEntry[]> {
  const own = await db
    .select({
      purpose: personConsents.purpose,
      version: personConsents.version,
      way: personConsents.method,
      givenAt: personConsents.givenAt,
      recordedBy: recorders.fullName,
      withdrawnAt: personConsents.withdrawnAt,
      withdrawnBy: withdrawers.fullName,
      withdrawWay: personConsents.withdrawMethod,
    })
    .from(personConsents)
    .leftJoin(recorders, eq(recorders.id, personConsents.recordedBy))
    .leftJoin(withdrawers, eq(withdrawers.id, personConsents.withdrawnBy))
    .where(and(eq(personConsents.stationId, stationId), eq(personConsents.personId, personId)))
    .orderBy(desc(personConsents.givenAt), desc(personConsents.id));
  const household = await db
    .select({
      version: householdConsents.textVersion,
      way: householdConsents.method,
      givenAt: householdConsents.givenAt,
      recordedBy: recorders.fullName,
      withdrawnAt: householdConsents.withdrawnAt,
      withdrawnBy: withdrawers.fullName,
    })
    .from(people)
    .innerJoin(householdConsents, eq(householdConsents.householdId, people.householdId))
    .leftJoin(recorders, eq(recorders.id, householdConsents.recordedBy))
    .leftJoin(withdrawers, eq(withdrawers.id, householdConsents.withdrawnBy))
    .where(and(eq(people.stationId, stationId), eq(people.id, personId)))
    .orderBy(desc(householdConsents.givenAt), desc(householdConsents.id));
  return [
    ...own.map((r) => ({ ...r, purpose: r.purpose as Purpose, way: r.way as ConsentWay, withdrawWay: r.withdrawWay as ConsentWay | null })),
    // A household consent records no way of withdrawal: it is ended by staff or by a member.
    ...household.map((r) => ({ ...r, purpose: "caretaker_care" as const, way: r.way as ConsentWay, withdrawWay: null })),
  ].sort((a, b) => b.givenAt.getTime() - a.givenAt.getTime());
}

export async function consentStates(db: DbOrTx, stationId: number, personId: number): Promise<ConsentState[]> {
  const history = await consentHistory(db, stationId, personId);
  return PURPOSES.map((purpose) => {
    const latest = history.find((h) => h.purpose === purpose) ?? null;
    const inForce = !!latest && latest.withdrawnAt === null;
    return { purpose, inForce, version: inForce ? latest.version : null, currentVersion: currentVersion(purpose), latest };
  });
}

/** Whether the person's consent to `purpose` is in force (caretaker_care: their household's). */
export async function hasConsent(db: DbOrTx, personId: number, purpose: Exclude<Purpose, "caretaker_care">): Promise<boolean> {
  const [row] = await db
    .select({ id: personConsents.id })
    .from(personConsents)
    .where(and(eq(personConsents.personId, personId), eq(personConsents.purpose, purpose), isNull(personConsents.withdrawnAt)));
  return !!row;
}

/** Refuses to keep needs for a person without health_needs consent in force (call inside the writing transaction). */
export async function requireNeedsConsent(db: DbOrTx, personId: number): Promise<void> {
  if (!(await hasConsent(db, personId, "health_needs"))) throw new NeedsConsentRequired();
}

/**
 * Who may record a consent for whom, and how: the person themself online; staff, or the
 * caretaker acting for them (ADR 19), in person, by phone or on paper. Anyone else is told the
 * person is not found, as the bookings pages do (nothing leaks about who exists).
 */
async function checkRecorder(db: DbOrTx, ctx: ConsentContext, personId: number, way: unknown): Promise<ConsentWay> {
  if (!(await canActFor(db, ctx.stationId, ctx.actor, personId))) throw new NotFound("person");
  const self = ctx.actor.personId === personId;
  if (self ? way !== "online" : !RECORDED_WAYS.includes(way as (typeof RECORDED_WAYS)[number])) throw new InvalidConsentWay();
  return way as ConsentWay;
}

/** The person's consent to `purpose`, as recorded by the acting person. */
function insertConsent(tx: Tx, ctx: ConsentContext, personId: number, purpose: Purpose, version: number, way: ConsentWay, givenAt: Date) {
  return tx
    .insert(personConsents)
    .values({ stationId: ctx.stationId, personId, purpose, version, method: way, givenAt, recordedBy: ctx.actor.personId });
}

const auditConsent = (
  tx: Tx,
  ctx: ConsentContext,
  action: "consent.give" | "consent.renew" | "consent.withdraw",
  personId: number,
  details: Record<string, unknown>,
) => auditAs(tx, ctx, { action, targetType: "person", targetId: personId, details });

async function householdOf(db: DbOrTx, stationId: number, personId: number): Promise<number | null> {
  const [row] = await db
    .select({ householdId: people.householdId })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)));
  return row?.householdId ?? null;
}

/** Records the person's consent to `purpose` at the current version of its text; audited. */
export async function giveConsent(db: Db, ctx: ConsentContext, personId: number, purpose: Purpose, way: unknown): Promise<void> {
  const checked = await checkRecorder(db, ctx, personId, way);
  if (purpose === "caretaker_care") {
    // The household's word to a named caretaker (ADR 19): staff take it, never the caretaker herself.
    if (!isStaff(ctx.actor)) throw new NotAllowed();
    const householdId = await householdOf(db, ctx.stationId, personId);
    if (householdId === null) throw new NotFound("household");
    await recordConsent(db, ctx, householdId, checked as ConsentMethod);
    return;
  }
  const version = currentVersion(purpose);
  try {
    await db.transaction(async (tx) => {
      await insertConsent(tx, ctx, personId, purpose, version, checked, ctx.now ?? new Date());
      await auditConsent(tx, ctx, "consent.give", personId, { purpose, version, way: checked });
    });
  } catch (error) {
    if (isUniqueViolation(error, "person_consents_active_uq")) throw new PersonConsentAlreadyGiven();
    throw error;
  }
}

/**
 * Agrees to the newest version of a purpose's text in one step (ADR 22, addendum): the consent in
 * force, given to an older version, ends and one to the current version begins at the same
 * instant, in one transaction, audited as `consent.renew` with both versions. Until then the
 * older consent stays in force: the person agreed to those words, and a reworded text asks
 * again but withdraws nothing. Needs are untouched. caretaker_care is the household's consent
 * (ADR 19), renewed by staff recording it again on the household page.
 */
export async function renewConsent(db: Db, ctx: ConsentContext, personId: number, purpose: Purpose, way: unknown): Promise<void> {
  const checked = await checkRecorder(db, ctx, personId, way);
  if (purpose === "caretaker_care") throw new NotAllowed();
  const version = currentVersion(purpose);
  const now = ctx.now ?? new Date();
  await db.transaction(async (tx) => {
    const [old] = await tx
      .select({ id: personConsents.id, version: personConsents.version })
      .from(personConsents)
      .where(and(eq(personConsents.personId, personId), eq(personConsents.purpose, purpose), isNull(personConsents.withdrawnAt)))
      .for("update");
    if (!old) throw new PersonConsentNotGiven();
    if (old.version >= version) throw new ConsentUpToDate();
    await tx
      .update(personConsents)
      .set({ withdrawnAt: now, withdrawnBy: ctx.actor.personId, withdrawMethod: checked })
      .where(eq(personConsents.id, old.id));
    await insertConsent(tx, ctx, personId, purpose, version, checked, now);
    await auditConsent(tx, ctx, "consent.renew", personId, { purpose, from: old.version, version, way: checked });
  });
}

/**
 * Withdraws the person's consent to `purpose`; withdrawing health_needs deletes the needs in
 * the same transaction. caretaker_care ends the household's consent (the person themself or
 * staff: the caretaker cannot end her own mandate by a click here, she tells the station).
 */
export async function withdrawConsent(db: Db, ctx: ConsentContext, personId: number, purpose: Purpose, way: unknown): Promise<void> {
  const checked = await checkRecorder(db, ctx, personId, way);
  const now = ctx.now ?? new Date();
  if (purpose === "caretaker_care") {
    if (!isStaff(ctx.actor) && ctx.actor.personId !== personId) throw new NotAllowed();
    const householdId = await householdOf(db, ctx.stationId, personId);
    if (householdId === null) throw new PersonConsentNotGiven();
    try {
      await db.transaction(async (tx) => {
        await endConsent(tx, { ...ctx, now }, householdId);
        await auditConsent(tx, ctx, "consent.withdraw", personId, { purpose, way: checked, householdId });
      });
    } catch (error) {
      if (error instanceof ConsentNotGiven) throw new PersonConsentNotGiven();
      throw error;
    }
    return;
  }
  await db.transaction(async (tx) => {
    const [ended] = await tx
      .update(personConsents)
      .set({ withdrawnAt: now, withdrawnBy: ctx.actor.personId, withdrawMethod: checked })
      .where(and(eq(personConsents.personId, personId), eq(personConsents.purpose, purpose), isNull(personConsents.withdrawnAt)))
      .returning({ id: personConsents.id });
    if (!ended) throw new PersonConsentNotGiven();
    const cleared =
      purpose === "health_needs"
        ? (
            await tx
              .update(people)
              .set({ needs: null })
              .where(and(eq(people.id, personId), isNotNull(people.needs)))
              .returning({ id: people.id })
          ).length > 0
        : false;
    await auditConsent(tx, ctx, "consent.withdraw", personId, {
      purpose,
      way: checked,
      ...(purpose === "health_needs" ? { needsCleared: cleared } : {}),
    });
  });
}

/** A household's label and caretaker for the person's own pages (no other member's data). */
export async function householdLine(db: DbOrTx, stationId: number, personId: number) {
  const carers = alias(people, "carer");
  const [row] = await db
    .select({ label: households.label, address: households.address, landline: households.landline, caretaker: carers.fullName })
    .from(people)
    .innerJoin(households, eq(households.id, people.householdId))
    .leftJoin(carers, eq(carers.id, households.caretakerId))
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)));
  return row ?? null;
}

/**
 * A new person registered with needs (the desk, a booking for a caller, the API): the
 * health_needs consent is recorded in the same transaction, by the staff member who took it
 * and how. Without a way, the needs are refused (ADR 22).
 */
export async function recordNeedsConsentForNew(
  tx: DbOrTx,
  ctx: { stationId: number; actorAccountId: number | null },
  personId: number,
  way: unknown,
): Promise<void> {
  if (!RECORDED_WAYS.includes(way as (typeof RECORDED_WAYS)[number])) throw new NeedsConsentRequired();
  const version = currentVersion("health_needs");
  const recordedBy =
    ctx.actorAccountId === null ? null : sql`(select ${accounts.personId} from ${accounts} where ${accounts.id} = ${ctx.actorAccountId})`;
  await tx
    .insert(personConsents)
    .values({ stationId: ctx.stationId, personId, purpose: "health_needs", version, method: way as ConsentWay, recordedBy });
  await recordAudit(tx, {
    stationId: ctx.stationId,
    actorAccountId: ctx.actorAccountId,
    action: "consent.give",
    targetType: "person",
    targetId: personId,
    details: { purpose: "health_needs", version, way },
  });
}
