import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../db";
import { DateTime } from "luxon";
import { consultations, consultationServices, consultationWaitlist, people, stations } from "../db/schema";
import { auditAs } from "../audit";
import { NotFound } from "../errors";
import { canActFor } from "../permissions";
import { findClash, isCommitmentClash, personConflict } from "../commitments";
import { pgErrorOf } from "../db/errors";
import { announceBooking, requireUnderUpcomingLimit, topicOf } from "./bookings";
import { OfferGone, SlotUnavailable } from "./errors";
import { requireService, type ConsultationContext } from "./services";
import { slotsOf } from "./slots";
import { passHold, type HeldSlotView, type PersonServiceView } from "./waitlist";

/**
 * A slot held for someone on the waitlist (ADR 26): they, anyone who may act for them, or staff
 * book it or let it go. Anyone else gets 404, as for a booking they may not see.
 */

export interface OfferView extends PersonServiceView, HeldSlotView {}

interface HeldRow {
  id: number;
  serviceId: number;
  personId: number;
  providerPersonId: number;
  startsAt: Date;
  endsAt: Date;
  heldUntil: Date | null;
  status: string;
  waitlistEntryId: number | null;
}

async function requireHeldFor(db: DbOrTx, ctx: ConsultationContext, id: number, lock: boolean): Promise<HeldRow> {
  const query = db
    .select({
      id: consultations.id,
      serviceId: consultations.serviceId,
      personId: consultations.personId,
      providerPersonId: consultations.providerPersonId,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      heldUntil: consultations.heldUntil,
      status: consultations.status,
      waitlistEntryId: consultations.waitlistEntryId,
    })
    .from(consultations)
    .where(and(eq(consultations.id, id), eq(consultations.stationId, ctx.stationId), sql`${consultations.waitlistEntryId} is not null`));
  const [row] = lock ? await query.for("update") : await query;
  if (!row || !(await canActFor(db, ctx.stationId, ctx.actor, row.personId))) throw new NotFound("consultation");
  return row;
}

const stillHeld = (row: HeldRow, now: Date) => row.status === "held" && row.heldUntil !== null && row.heldUntil > now;

/** The offer as its page shows it; OfferGone once it is no longer held for them. */
export async function getOffer(db: DbOrTx, ctx: ConsultationContext, id: number): Promise<OfferView> {
  const now = ctx.now ?? new Date();
  const row = await requireHeldFor(db, ctx, id, false);
  if (!stillHeld(row, now)) throw new OfferGone();
  const [view] = await db
    .select({
      serviceNameZh: consultationServices.nameZh,
      serviceNameEn: consultationServices.nameEn,
      personName: people.fullName,
      providerName: sql<string>`(SELECT full_name FROM ${people} pr WHERE pr.id = ${consultations.providerPersonId})`,
      location: consultations.location,
    })
    .from(consultations)
    .innerJoin(consultationServices, eq(consultationServices.id, consultations.serviceId))
    .innerJoin(people, eq(people.id, consultations.personId))
    .where(eq(consultations.id, id));
  return { id, serviceId: row.serviceId, personId: row.personId, startsAt: row.startsAt, endsAt: row.endsAt, heldUntil: row.heldUntil!, ...view! };
}

/**
 * Books the held slot: the same row turns `booked` (so the slot never leaves the index), the
 * ledger takes the person's and the provider's time (refused, naming the clash, if the person is
 * now elsewhere), and the service's limit of upcoming bookings still applies, counted under the
 * person's lock as in bookConsultation. The entry ends.
 */
export async function acceptOffer(db: Db, ctx: ConsultationContext, id: number, input: { topic?: unknown } = {}): Promise<{ id: number }> {
  const now = ctx.now ?? new Date();
  const topic = topicOf(input.topic);
  return db.transaction(async (tx) => {
    const row = await requireHeldFor(tx, ctx, id, true);
    if (!stillHeld(row, now)) throw new OfferGone();
    await tx.execute(sql`SELECT id FROM ${people} WHERE id = ${row.personId} FOR UPDATE`);
    const [service] = await tx
      .select({ max: consultationServices.maxUpcoming })
      .from(consultationServices)
      .where(eq(consultationServices.id, row.serviceId));
    await requireUnderUpcomingLimit(tx, row.personId, row.serviceId, service!.max, now);
    // Still a slot of the provider's hours (a day off or changed hours since the hold: gone).
    if (!(await stillInHours(tx, ctx.stationId, row, now))) throw new SlotUnavailable();
    await book(tx, row, { topic, accountId: ctx.actor.accountId });
    await tx.update(consultationWaitlist).set({ status: "booked", endedAt: now }).where(eq(consultationWaitlist.id, row.waitlistEntryId!));
    await announceBooking(
      tx,
      ctx,
      { id, serviceId: row.serviceId, personId: row.personId, providerPersonId: row.providerPersonId, startsAt: row.startsAt },
      now,
      "waitlist",
    );
    return { id };
  });
}

async function stillInHours(tx: Tx, stationId: number, row: HeldRow, now: Date): Promise<boolean> {
  const service = await requireService(tx, stationId, row.serviceId);
  const [station] = await tx.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  const date = DateTime.fromJSDate(row.startsAt, { zone: station!.zone }).toISODate()!;
  const slots = await slotsOf(tx, service, { fromDate: date, toDate: date, now, providerPersonId: row.providerPersonId });
  return slots.some((s) => s.startsAt.getTime() === row.startsAt.getTime() && s.endsAt.getTime() === row.endsAt.getTime());
}

async function book(tx: Tx, row: HeldRow, by: { topic: string; accountId: number }) {
  try {
    await tx.transaction(async (sp) => {
      await sp
        .update(consultations)
        .set({ status: "booked", heldUntil: null, topic: by.topic, bookedByAccountId: by.accountId })
        .where(eq(consultations.id, row.id));
    });
  } catch (error) {
    if (!isCommitmentClash(error)) {
      if (pgErrorOf(error)?.code === "23505") throw new SlotUnavailable();
      // The provider's hours for that day went since stillInHours read them (ADR 27's trigger).
      if (pgErrorOf(error)?.constraint === "consultations_within_hours") throw new SlotUnavailable();
      throw error;
    }
    const clash = await findClash(tx, row.personId, row.startsAt, row.endsAt, { consultationId: row.id });
    // The provider, not the person, is elsewhere now (put on a shift meanwhile): not bookable.
    if (!clash) throw new SlotUnavailable();
    throw personConflict(clash);
  }
}

/** Lets the held slot go to the next in line; the person stays on the waitlist, in their place. */
export async function declineOffer(db: Db, ctx: ConsultationContext, id: number): Promise<void> {
  const now = ctx.now ?? new Date();
  await db.transaction(async (tx) => {
    const row = await requireHeldFor(tx, ctx, id, true);
    if (!stillHeld(row, now)) throw new OfferGone();
    await passHold(tx, id, "declined", now);
    await auditAs(tx, ctx, {
      action: "consultation.decline_offer",
      targetType: "consultation",
      targetId: id,
      details: { personId: row.personId },
    });
  });
}
