import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx, Tx } from "../db";
import { consultations, consultationServices, consultationWaitlist, notifications, people, providerHours, stations } from "../db/schema";
import { recordAudit, auditAs } from "../audit";
import { pgErrorOf } from "../db/errors";
import { offerMailReaches } from "../reach/offer-calls";
import { NotFound } from "../errors";
import { isStaff, requireCanActForAll } from "../permissions";
import { AlreadyWaiting, InvalidWaitlistInput } from "./errors";
import { requireService, type ConsultationContext, type ConsultationService } from "./services";
import { slotsOf } from "./slots";
import { tryInsertConsultation } from "./insert";

/**
 * The per-service waitlist (ADR 26). A slot freed by a cancellation is held, in the cancelling
 * transaction, for the first waiting person whose days cover it: a consultations row `held`
 * that the one-slot-one-booking index counts, so nobody else can book it meanwhile. They accept
 * (models/consultations/offers.ts) or decline; a hold that runs out passes to the next.
 */

const MINUTE = 60_000;
/** A hold ends this long before the slot at the latest, so the person has time to come. */
export const HOLD_ENDS_BEFORE_START_MINUTES = 60;
/** A hold shorter than this is no use to anyone: the slot is simply free. */
export const SHORTEST_HOLD_MINUTES = 15;

export interface WaitlistEntry {
  id: number;
  serviceId: number;
  personId: number;
  providerPersonId: number | null;
  fromDate: string;
  toDate: string;
  status: "waiting" | "offered";
}

async function zoneOf(db: DbOrTx, stationId: number): Promise<string> {
  const [station] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  return station!.zone;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The local days a person may wait for: from today at the earliest, to the service's last
 * bookable day at the latest, never reversed. Left out, from today to that last day.
 */
export function waitlistDays(
  service: Pick<ConsultationService, "bookAheadDays">,
  zone: string,
  now: Date,
  input: { fromDate?: unknown; toDate?: unknown },
): { fromDate: string; toDate: string } {
  const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
  const last = DateTime.fromJSDate(now, { zone }).plus({ days: service.bookAheadDays }).toISODate()!;
  const day = (value: unknown, field: string, fallback: string) => {
    if (value === undefined || value === null || value === "") return fallback;
    if (typeof value !== "string" || !ISO_DAY.test(value) || !DateTime.fromISO(value, { zone }).isValid)
      throw new InvalidWaitlistInput(field, service.bookAheadDays);
    return value;
  };
  const fromDate = day(input.fromDate, "fromDate", today);
  const toDate = day(input.toDate, "toDate", last);
  if (fromDate < today) throw new InvalidWaitlistInput("fromDate", service.bookAheadDays);
  if (toDate > last) throw new InvalidWaitlistInput("toDate", service.bookAheadDays);
  if (toDate < fromDate) throw new InvalidWaitlistInput("toDate", service.bookAheadDays);
  return { fromDate, toDate };
}

/**
 * Puts a person on a service's waitlist for some local days, optionally for one provider: the
 * person themself, someone who may act for them, or staff (as booking; anyone else: 404). One
 * active entry per person and service (the partial unique index, not a look first).
 */
export async function joinWaitlist(
  db: Db,
  ctx: ConsultationContext,
  input: { serviceId: number; personId: number; fromDate?: unknown; toDate?: unknown; providerPersonId?: number },
): Promise<WaitlistEntry> {
  const now = ctx.now ?? new Date();
  await requireCanActForAll(db, ctx.stationId, ctx.actor, [input.personId]);
  const service = await requireService(db, ctx.stationId, input.serviceId, { live: true });
  const days = waitlistDays(service, await zoneOf(db, ctx.stationId), now, input);
  if (input.providerPersonId !== undefined) {
    // A provider of this service: someone with hours for it that have not ended before the range.
    const [hours] = await db
      .select({ id: providerHours.id })
      .from(providerHours)
      .where(
        and(
          eq(providerHours.serviceId, service.id),
          eq(providerHours.providerPersonId, input.providerPersonId),
          sql`(${providerHours.untilDate} is null or ${providerHours.untilDate} >= ${days.fromDate})`,
        ),
      )
      .limit(1);
    if (!hours || input.providerPersonId === input.personId) throw new InvalidWaitlistInput("providerId", service.bookAheadDays);
  }
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(consultationWaitlist)
        .values({
          stationId: ctx.stationId,
          serviceId: service.id,
          personId: input.personId,
          providerPersonId: input.providerPersonId ?? null,
          ...days,
          createdByAccountId: ctx.actor.accountId,
        })
        .returning({ id: consultationWaitlist.id });
      await auditAs(tx, ctx, {
        action: "consultation_waitlist.join",
        targetType: "consultation_waitlist",
        targetId: row!.id,
        details: { serviceId: service.id, personId: input.personId, ...days },
      });
      return {
        id: row!.id,
        serviceId: service.id,
        personId: input.personId,
        providerPersonId: input.providerPersonId ?? null,
        ...days,
        status: "waiting",
      };
    });
  } catch (error) {
    if (pgErrorOf(error)?.code === "23505") throw new AlreadyWaiting();
    throw error;
  }
}

/**
 * Takes a person off a service's waitlist. A slot held for them passes to the next in line in
 * the same transaction. Returns whether there was an entry.
 */
export async function leaveWaitlist(db: Db, ctx: ConsultationContext, input: { serviceId: number; personId: number }): Promise<boolean> {
  const now = ctx.now ?? new Date();
  await requireCanActForAll(db, ctx.stationId, ctx.actor, [input.personId]);
  await requireService(db, ctx.stationId, input.serviceId);
  return db.transaction(async (tx) => {
    const mine = and(
      eq(consultationWaitlist.stationId, ctx.stationId),
      eq(consultationWaitlist.serviceId, input.serviceId),
      eq(consultationWaitlist.personId, input.personId),
      inArray(consultationWaitlist.status, ["waiting", "offered"]),
    );
    // The held slot first, then the entry: the order accepting, declining and expiring lock
    // them in, so leaving while one of those runs waits for it instead of deadlocking.
    const [held] = await tx
      .select({ id: consultations.id })
      .from(consultations)
      .innerJoin(consultationWaitlist, eq(consultationWaitlist.id, consultations.waitlistEntryId))
      .where(and(mine, eq(consultations.status, "held")))
      .for("update", { of: consultations });
    const [entry] = await tx
      .update(consultationWaitlist)
      .set({ status: "left", endedAt: now })
      .where(mine)
      .returning({ id: consultationWaitlist.id });
    if (!entry) return false;
    if (held) await passHold(tx, held.id, "left", now);
    await auditAs(tx, ctx, {
      action: "consultation_waitlist.leave",
      targetType: "consultation_waitlist",
      targetId: entry.id,
      details: { serviceId: input.serviceId, personId: input.personId },
    });
    return true;
  });
}

export interface FreedSlot {
  stationId: number;
  serviceId: number;
  providerPersonId: number;
  startsAt: Date;
  /** Who just let it go (the cancelled booking's client, or whoever declined): not offered it back. */
  exceptPersonId?: number;
}

/**
 * Offers a freed slot to the first in line, inside the transaction that freed it: the first
 * waiting entry of the service whose days (and provider, if they named one) cover the slot,
 * whose person is free then (the ledger) and is not the provider. The entry is taken with SKIP
 * LOCKED, so two slots freed at once go to two people, not twice to one. The hold is a
 * consultations row `held`, inserted in a savepoint: the one-slot index refuses it when the slot
 * is no longer free. Returns the held row's id, or null when the slot stays free for anyone.
 */
export async function offerFreedSlot(tx: Tx, slot: FreedSlot, now: Date): Promise<number | null> {
  const service = await requireService(tx, slot.stationId, slot.serviceId);
  if (service.archived) return null;
  const holdEnds = Math.min(now.getTime() + service.holdMinutes * MINUTE, slot.startsAt.getTime() - HOLD_ENDS_BEFORE_START_MINUTES * MINUTE);
  if (holdEnds - now.getTime() < SHORTEST_HOLD_MINUTES * MINUTE) return null;
  const heldUntil = new Date(holdEnds);
  const zone = await zoneOf(tx, slot.stationId);
  const date = DateTime.fromJSDate(slot.startsAt, { zone }).toISODate()!;
  // Still a slot of the provider's hours (a day off since, or the provider erased: no offer).
  const [current] = (await slotsOf(tx, service, { fromDate: date, toDate: date, now, providerPersonId: slot.providerPersonId })).filter(
    (s) => s.startsAt.getTime() === slot.startsAt.getTime(),
  );
  if (!current?.free) return null;
  const during = sql`tstzrange(${current.startsAt.toISOString()}::timestamptz, ${current.endsAt.toISOString()}::timestamptz, '[)')`;

  // A person whose hold the ledger refused (elsewhere since the look below: a race) is passed over.
  const passedOver: number[] = [-1];
  for (;;) {
    const picked = await tx.execute<{ id: number; person_id: number }>(sql`
    SELECT w.id, w.person_id FROM ${consultationWaitlist} w
    JOIN ${people} p ON p.id = w.person_id AND p.erased_at IS NULL
    WHERE w.station_id = ${slot.stationId} AND w.service_id = ${slot.serviceId} AND w.status = 'waiting'
      AND w.from_date <= ${date}::date AND w.to_date >= ${date}::date
      AND (w.provider_person_id IS NULL OR w.provider_person_id = ${slot.providerPersonId})
      AND w.person_id <> ${slot.providerPersonId} AND w.person_id <> ${slot.exceptPersonId ?? -1}::int
      AND w.person_id NOT IN (${sql.join(
        passedOver.map((id) => sql`${id}::int`),
        sql`, `,
      )})
      AND NOT EXISTS (SELECT 1 FROM commitments c WHERE c.person_id = w.person_id AND c.during && ${during})
      -- Not back to someone who already let this very slot go (declined it): it would only bounce.
      AND NOT EXISTS (SELECT 1 FROM ${consultations} x WHERE x.waitlist_entry_id = w.id AND x.status::text = 'passed'
                        AND x.provider_person_id = ${slot.providerPersonId} AND x.starts_at = ${current.startsAt.toISOString()}::timestamptz)
    ORDER BY w.created_at, w.id
    LIMIT 1
    FOR UPDATE OF w SKIP LOCKED`);
    const entry = picked.rows[0];
    if (!entry) return null;
    const held = await insertHold(tx, {
      stationId: slot.stationId,
      serviceId: slot.serviceId,
      providerPersonId: slot.providerPersonId,
      personId: Number(entry.person_id),
      startsAt: current.startsAt,
      endsAt: current.endsAt,
      location: current.location,
      status: "held",
      heldUntil,
      waitlistEntryId: Number(entry.id),
    });
    if (held === "taken") return null;
    if (held === "elsewhere") {
      passedOver.push(Number(entry.person_id));
      continue;
    }
    await recordHold(tx, slot, { heldId: held.id, entryId: Number(entry.id), personId: Number(entry.person_id), heldUntil }, now);
    return held.id;
  }
}

/** A held slot's attempt: "elsewhere" when the ledger says the person (or provider) is committed then. */
async function insertHold(tx: Tx, values: typeof consultations.$inferInsert): Promise<{ id: number } | "taken" | "elsewhere"> {
  const inserted = await tryInsertConsultation(tx, values);
  return inserted === "clash" ? "elsewhere" : inserted;
}

/** The entry offered, its mail and the audit entry, with the hold. */
async function recordHold(
  tx: Tx,
  slot: FreedSlot,
  hold: { heldId: number; entryId: number; personId: number; heldUntil: Date },
  now: Date,
): Promise<void> {
  const { heldId, entryId, personId, heldUntil } = hold;
  await tx.update(consultationWaitlist).set({ status: "offered" }).where(eq(consultationWaitlist.id, entryId));
  await tx.insert(notifications).values({
    stationId: slot.stationId,
    kind: "consultation_offer",
    dedupeKey: `consultation:${heldId}:consultation_offer:client`,
    personId,
    consultationId: heldId,
    payload: { role: "client" },
    dueAt: now,
    expiresAt: heldUntil,
  });
  await recordAudit(tx, {
    stationId: slot.stationId,
    actorAccountId: null,
    action: "consultation.hold",
    targetType: "consultation",
    targetId: heldId,
    details: { serviceId: slot.serviceId, personId, waitlistEntryId: entryId, heldUntil: heldUntil.toISOString() },
  });
}

/**
 * withdrawn: the slot's provider was erased; hours_changed: the slot is no longer one of the
 * provider's hours (ADR 26 addendum). In both the person waits on, in their place.
 */
export type PassReason = "declined" | "expired" | "left" | "erased" | "withdrawn" | "hours_changed";

/**
 * A held slot let go (declined, run out, its person left the list or was erased): the row
 * becomes `passed`, the offer's mail if still unsent is dropped, the entry waits again
 * (declined) or ends, and the slot goes to the next in line, or is free. The caller holds the
 * row's lock. Returns the next hold's id, or null.
 */
export async function passHold(tx: Tx, heldId: number, reason: PassReason, now: Date): Promise<number | null> {
  const [row] = await tx
    .update(consultations)
    .set({ status: "passed", heldUntil: null })
    .where(and(eq(consultations.id, heldId), eq(consultations.status, "held")))
    .returning({
      stationId: consultations.stationId,
      serviceId: consultations.serviceId,
      providerPersonId: consultations.providerPersonId,
      personId: consultations.personId,
      startsAt: consultations.startsAt,
      waitlistEntryId: consultations.waitlistEntryId,
    });
  if (!row) return null;
  await tx
    .update(notifications)
    .set({ status: "cancelled", updatedAt: now })
    .where(and(eq(notifications.consultationId, heldId), eq(notifications.kind, "consultation_offer"), eq(notifications.status, "pending")));
  if (reason === "declined" || reason === "expired" || reason === "withdrawn" || reason === "hours_changed") {
    // Declined: still waiting, in the same place, for another time. Run out: off the list, so
    // that someone who no longer reads their mail does not hold every freed slot in turn — but
    // not someone the offer mail could never reach (they were only on the call list): they
    // were never told, and wait on in their place (ADR 26 addendum).
    const lapses = reason === "expired" && (await offerMailReaches(tx, row.personId));
    await tx
      .update(consultationWaitlist)
      .set(lapses ? { status: "lapsed", endedAt: now } : { status: "waiting" })
      .where(and(eq(consultationWaitlist.id, row.waitlistEntryId!), eq(consultationWaitlist.status, "offered")));
  }
  await recordAudit(tx, {
    stationId: row.stationId,
    actorAccountId: null,
    action: "consultation.hold_passed",
    targetType: "consultation",
    targetId: heldId,
    details: { reason, personId: row.personId },
  });
  return offerFreedSlot(
    tx,
    {
      stationId: row.stationId,
      serviceId: row.serviceId,
      providerPersonId: row.providerPersonId,
      startsAt: row.startsAt,
      exceptPersonId: row.personId,
    },
    now,
  );
}

/**
 * The worker's part: holds whose time ran out pass to the next in line. Each is claimed with
 * SKIP LOCKED and passed only while still `held`, so two workers at once pass each hold once.
 * Returns how many passed.
 */
export async function expireHolds(db: Db, now: Date = new Date(), limit = 50): Promise<number> {
  let passed = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const due = await tx.execute<{ id: number }>(sql`
        SELECT id FROM ${consultations}
        WHERE status = 'held' AND held_until <= ${now.toISOString()}::timestamptz
        ORDER BY held_until, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED`);
      const row = due.rows[0];
      if (!row) return false;
      await passHold(tx, Number(row.id), "expired", now);
      return true;
    });
    if (!done) return passed;
    if (++passed >= limit) return passed;
  }
}

/**
 * Erasure (ADR 23): the person's entries end and the slots held for them pass on; slots they
 * would have given are withdrawn (their hours end), and those waiting for them wait on.
 */
export async function endWaitlistOf(tx: Tx, stationId: number, personId: number, now: Date): Promise<void> {
  const held = await tx
    .select({ id: consultations.id, personId: consultations.personId })
    .from(consultations)
    .where(
      and(
        eq(consultations.stationId, stationId),
        eq(consultations.status, "held"),
        sql`(${consultations.personId} = ${personId} or ${consultations.providerPersonId} = ${personId})`,
      ),
    )
    .for("update");
  await tx
    .update(consultationWaitlist)
    .set({ status: "left", endedAt: now })
    .where(
      and(
        eq(consultationWaitlist.stationId, stationId),
        eq(consultationWaitlist.personId, personId),
        inArray(consultationWaitlist.status, ["waiting", "offered"]),
      ),
    );
  for (const h of held) await passHold(tx, h.id, h.personId === personId ? "erased" : "withdrawn", now);
}

/** Whom a waitlist entry or a held slot is for, and of which service, with the names the pages show. */
export interface PersonServiceView {
  id: number;
  serviceId: number;
  serviceNameZh: string;
  serviceNameEn: string;
  personId: number;
  personName: string;
}

/** A slot held for someone on the waitlist: with whom, when and where, and until when it waits. */
export interface HeldSlotView {
  providerName: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  heldUntil: Date;
}

export interface WaitlistView extends PersonServiceView {
  providerPersonId: number | null;
  fromDate: string;
  toDate: string;
  status: "waiting" | "offered";
  createdAt: Date;
  /** The slot held for them while `offered`. */
  offer: ({ id: number } & HeldSlotView) | null;
}

async function selectEntries(db: DbOrTx, where: ReturnType<typeof and>): Promise<WaitlistView[]> {
  const rows = await db
    .select({
      id: consultationWaitlist.id,
      serviceId: consultationWaitlist.serviceId,
      serviceNameZh: consultationServices.nameZh,
      serviceNameEn: consultationServices.nameEn,
      personId: consultationWaitlist.personId,
      personName: people.fullName,
      providerPersonId: consultationWaitlist.providerPersonId,
      fromDate: consultationWaitlist.fromDate,
      toDate: consultationWaitlist.toDate,
      status: consultationWaitlist.status,
      createdAt: consultationWaitlist.createdAt,
      offerId: consultations.id,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      location: consultations.location,
      heldUntil: consultations.heldUntil,
      providerName: sql<string | null>`(SELECT full_name FROM ${people} pr WHERE pr.id = ${consultations.providerPersonId})`,
    })
    .from(consultationWaitlist)
    .innerJoin(consultationServices, eq(consultationServices.id, consultationWaitlist.serviceId))
    .innerJoin(people, eq(people.id, consultationWaitlist.personId))
    .leftJoin(consultations, and(eq(consultations.waitlistEntryId, consultationWaitlist.id), eq(consultations.status, "held")))
    .where(and(where, inArray(consultationWaitlist.status, ["waiting", "offered"])))
    .orderBy(asc(consultationWaitlist.createdAt), asc(consultationWaitlist.id));
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.serviceId,
    serviceNameZh: r.serviceNameZh,
    serviceNameEn: r.serviceNameEn,
    personId: r.personId,
    personName: r.personName,
    providerPersonId: r.providerPersonId,
    fromDate: r.fromDate,
    toDate: r.toDate,
    status: r.status as "waiting" | "offered",
    createdAt: r.createdAt,
    offer:
      r.offerId !== null && r.startsAt && r.endsAt && r.heldUntil
        ? {
            id: r.offerId,
            startsAt: r.startsAt,
            endsAt: r.endsAt,
            location: r.location ?? "",
            providerName: r.providerName ?? "",
            heldUntil: r.heldUntil,
          }
        : null,
  }));
}

/** A person's active entries (and the slots held for them), for themself or someone acting for them. */
export async function listPersonWaitlist(db: DbOrTx, ctx: ConsultationContext, personId: number): Promise<WaitlistView[]> {
  if (personId !== ctx.actor.personId) await requireCanActForAll(db, ctx.stationId, ctx.actor, [personId]);
  return selectEntries(db, and(eq(consultationWaitlist.stationId, ctx.stationId), eq(consultationWaitlist.personId, personId)));
}

/** A service's line, first first (staff only; anyone else: as if there were none to see). */
export async function listServiceWaitlist(db: DbOrTx, ctx: ConsultationContext, serviceId: number): Promise<WaitlistView[]> {
  if (!isStaff(ctx.actor)) throw new NotFound("consultation_service");
  await requireService(db, ctx.stationId, serviceId);
  return selectEntries(db, and(eq(consultationWaitlist.stationId, ctx.stationId), eq(consultationWaitlist.serviceId, serviceId)));
}
