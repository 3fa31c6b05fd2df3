import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx, Tx } from "../db";
import { consultations, people, stations } from "../db/schema";
import { auditAs } from "../audit";
import { CONSULTATION } from "../limits";
import { CancelNotPossible, NotAllowed, NotFound } from "../errors";
import { isStaff, requireCanActFor, requireCanActForAll } from "../permissions";
import { findClash, personConflict } from "../commitments";
import { canSeeConsultation, consultationCancelVerdict } from "../policies/consultations";
import { enqueue } from "../notifications/enqueue";
import { consultationReminderDueAt } from "../notifications/timing";
import { notifications } from "../db/schema";
import {
  ConsultationCancelled,
  ConsultationCancelTooLate,
  ConsultationLimit,
  ConsultationNotStarted,
  InvalidConsultationInput,
  OutsideWindow,
  SlotPast,
  SlotUnavailable,
  WithOneself,
} from "./errors";
import { requireService, type ConsultationContext } from "./services";
import { slotsOf } from "./slots";
import { offerFreedSlot } from "./waitlist";
import { tryInsertConsultation } from "./insert";

/** A consultation: of which service, with whom, for whom, and when. */
export interface ConsultationSlot {
  id: number;
  serviceId: number;
  providerPersonId: number;
  personId: number;
  startsAt: Date;
  endsAt: Date;
}

export interface BookedConsultation extends ConsultationSlot {
  location: string;
}

const DAY_MS = 86_400_000;

export function topicOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new InvalidConsultationInput("topic");
  const topic = value.trim();
  // Control characters are refused before this, by the request's field schema (app/lib/fields.ts).
  if (topic.length > CONSULTATION.topic || topic.includes("\u0000")) throw new InvalidConsultationInput("topic");
  return topic;
}

/**
 * Books one slot for a person: themself, someone they may act for (their household, a
 * caretaker's households, staff for anyone), with the provider named or the first one free at
 * that start ("any provider"). One slot, one booking: the engine refuses a second booked row at
 * a provider's start (`consultations_one_per_slot`) and a provider or client in two places (the
 * ledger, ADR 15); a person's count of upcoming bookings is taken under a lock on their row.
 */
export async function bookConsultation(
  db: Db,
  ctx: ConsultationContext,
  input: { serviceId: number; startsAt: Date; providerPersonId?: number; personId: number; topic?: unknown },
): Promise<BookedConsultation> {
  const now = ctx.now ?? new Date();
  const topic = topicOf(input.topic);
  // Someone the actor may not book for is "not found", whether they exist or not, as the
  // waitlist and group bookings answer: the API and the pages learn nothing of other people.
  await requireCanActForAll(db, ctx.stationId, ctx.actor, [input.personId]);
  const service = await requireService(db, ctx.stationId, input.serviceId, { live: true });
  if (input.providerPersonId === input.personId) throw new WithOneself();
  if (input.startsAt <= now) throw new SlotPast();
  if (input.startsAt.getTime() > now.getTime() + service.bookAheadDays * DAY_MS) throw new OutsideWindow(service.bookAheadDays);

  const [station] = await db.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, ctx.stationId));
  const date = DateTime.fromJSDate(input.startsAt, { zone: station!.zone }).toISODate()!;
  const candidates = (await slotsOf(db, service, { fromDate: date, toDate: date, now, providerPersonId: input.providerPersonId })).filter(
    (s) => s.free && s.startsAt.getTime() === input.startsAt.getTime() && s.providerPersonId !== input.personId,
  );
  if (candidates.length === 0) throw new SlotUnavailable();

  return db.transaction(async (tx) => {
    // One person's bookings one at a time, so that two tabs cannot both pass the count.
    await tx.execute(sql`SELECT id FROM ${people} WHERE id = ${input.personId} FOR UPDATE`);
    await requireUnderUpcomingLimit(tx, input.personId, service.id, service.maxUpcoming, now);

    for (const slot of candidates) {
      const booking = {
        serviceId: service.id,
        providerPersonId: slot.providerPersonId,
        personId: input.personId,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        location: slot.location,
      };
      const row = await insertSlot(tx, { stationId: ctx.stationId, ...booking, topic, bookedByAccountId: ctx.actor.accountId });
      if (row === "taken") continue;
      if (row === "client_elsewhere") throw personConflict(await findClash(tx, input.personId, slot.startsAt, slot.endsAt));
      await announceBooking(tx, ctx, { id: row.id, ...booking }, now);
      return { id: row.id, ...booking };
    }
    throw new SlotUnavailable();
  });
}

/**
 * A booking made, in its transaction: the mails to both sides with the reminder, and the audit
 * entry. The topic stays out of the audit log: it says who booked what, when, not why.
 */
export async function announceBooking(
  tx: Tx,
  ctx: ConsultationContext,
  booking: { id: number; serviceId: number; personId: number; providerPersonId: number; startsAt: Date },
  now: Date,
  via?: "waitlist",
): Promise<void> {
  const booked = {
    id: booking.id,
    stationId: ctx.stationId,
    personId: booking.personId,
    providerPersonId: booking.providerPersonId,
    startsAt: booking.startsAt,
  };
  await enqueue(tx, [...mailsOf("consultation_booked", booked, now), ...reminderOf(booked, now)]);
  await auditAs(tx, ctx, {
    action: "consultation.book",
    targetType: "consultation",
    targetId: booking.id,
    details: {
      serviceId: booking.serviceId,
      personId: booking.personId,
      providerPersonId: booking.providerPersonId,
      startsAt: booking.startsAt.toISOString(),
      ...(via ? { via } : {}),
    },
  });
}

/** Refuses one more booking of the service beyond its limit of upcoming ones; the caller holds the person's lock. */
export async function requireUnderUpcomingLimit(tx: Tx, personId: number, serviceId: number, max: number, now: Date): Promise<void> {
  const [held] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(consultations)
    .where(
      and(
        eq(consultations.personId, personId),
        eq(consultations.serviceId, serviceId),
        eq(consultations.status, "booked"),
        gt(consultations.startsAt, now),
      ),
    );
  if ((held?.n ?? 0) >= max) throw new ConsultationLimit(max);
}

/** A booking's attempt at its slot: "taken", or "client_elsewhere" when the ledger's clash is the person's own. */
async function insertSlot(tx: Tx, values: typeof consultations.$inferInsert): Promise<{ id: number } | "taken" | "client_elsewhere"> {
  const inserted = await tryInsertConsultation(tx, values);
  if (inserted !== "clash") return inserted;
  const clash = await findClash(tx, values.personId, values.startsAt, values.endsAt);
  return clash ? "client_elsewhere" : "taken";
}

/** The two mails of a booking or a cancellation: to the client and to the provider (ADR 18). */
export function mailsOf(
  kind: "consultation_booked" | "consultation_cancelled",
  c: { id: number; stationId: number; personId: number; providerPersonId: number; startsAt: Date },
  now: Date,
) {
  return (["client", "provider"] as const).map((role) => ({
    stationId: c.stationId,
    kind,
    dedupeKey: `consultation:${c.id}:${kind}:${role}`,
    personId: role === "client" ? c.personId : c.providerPersonId,
    consultationId: c.id,
    payload: { role },
    dueAt: now,
    expiresAt: c.startsAt,
  }));
}

/** The client's reminder a day ahead, when that is still to come. */
export function reminderOf(c: { id: number; stationId: number; personId: number; startsAt: Date }, now: Date) {
  const dueAt = consultationReminderDueAt(c.startsAt, now);
  if (!dueAt) return [];
  return [
    {
      stationId: c.stationId,
      kind: "consultation_reminder" as const,
      dedupeKey: `consultation:${c.id}:consultation_reminder:client`,
      personId: c.personId,
      consultationId: c.id,
      payload: { role: "client" },
      dueAt,
      expiresAt: c.startsAt,
    },
  ];
}

interface ConsultationRow extends ConsultationSlot {
  status: "booked" | "cancelled";
  bookedByAccountId: number | null;
}

async function lockConsultation(tx: Tx, stationId: number, id: number): Promise<ConsultationRow> {
  const [row] = await tx
    .select({
      id: consultations.id,
      serviceId: consultations.serviceId,
      providerPersonId: consultations.providerPersonId,
      personId: consultations.personId,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      status: consultations.status,
      bookedByAccountId: consultations.bookedByAccountId,
    })
    .from(consultations)
    // A slot held for the waitlist is not a booking yet (ADR 26): offers.ts answers for it.
    .where(and(eq(consultations.id, id), eq(consultations.stationId, stationId), inArray(consultations.status, ["booked", "cancelled"])))
    .for("update");
  if (!row) throw new NotFound("consultation");
  return row as ConsultationRow;
}

/**
 * Cancels a booking and frees its slot at once (the partial unique index and the ledger let go
 * of it in the same statement). The person, whoever booked it, the provider and staff may
 * (models/policies/consultations.ts); all but staff and the provider only until the deadline.
 * Given a transaction (a change of hours cancelling the bookings it leaves out), it runs in a savepoint of it.
 */
export async function cancelConsultation(db: DbOrTx, ctx: ConsultationContext, id: number): Promise<{ id: number }> {
  const now = ctx.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockConsultation(tx, ctx.stationId, id);
    const service = await requireService(tx, ctx.stationId, row.serviceId);
    const verdict = consultationCancelVerdict(ctx.actor, row, { cancelDeadlineMinutes: service.cancelDeadlineMinutes }, now);
    // Someone who may not even see it learns nothing about it.
    if (verdict === "not_allowed") throw new NotFound("consultation");
    if (verdict === "cancelled") throw new ConsultationCancelled();
    if (verdict === "started") throw new CancelNotPossible("started");
    if (verdict === "too_late") throw new ConsultationCancelTooLate(service.cancelDeadlineMinutes);
    await tx
      .update(consultations)
      .set({ status: "cancelled", cancelledAt: now, cancelledByAccountId: ctx.actor.accountId })
      .where(eq(consultations.id, id));
    // A confirmation not yet sent is no news any more; the cancellation goes to both sides.
    await tx
      .update(notifications)
      .set({ status: "cancelled", updatedAt: now })
      .where(
        and(
          eq(notifications.consultationId, id),
          inArray(notifications.kind, ["consultation_booked", "consultation_reminder"]),
          eq(notifications.status, "pending"),
        ),
      );
    await enqueue(tx, mailsOf("consultation_cancelled", { ...row, stationId: ctx.stationId }, now));
    await auditAs(tx, ctx, {
      action: "consultation.cancel",
      targetType: "consultation",
      targetId: id,
      details: { personId: row.personId },
    });
    // The freed slot is held for the first on the waitlist in this same transaction, so nobody
    // books it in between (ADR 26); with nobody waiting it is free at once, as before.
    await offerFreedSlot(
      tx,
      {
        stationId: ctx.stationId,
        serviceId: row.serviceId,
        providerPersonId: row.providerPersonId,
        startsAt: row.startsAt,
        exceptPersonId: row.personId,
      },
      now,
    );
    return { id };
  });
}

/** Attended or not, set by the provider or staff once the consultation has begun; it feeds the monthly figures. */
export async function markConsultationAttendance(
  db: Db,
  ctx: ConsultationContext,
  id: number,
  attendance: "attended" | "no_show" | "no_show_excused",
): Promise<void> {
  const now = ctx.now ?? new Date();
  await db.transaction(async (tx) => {
    const row = await lockConsultation(tx, ctx.stationId, id);
    if (row.providerPersonId !== ctx.actor.personId && !isStaff(ctx.actor)) {
      if (!canSeeConsultation(ctx.actor, row)) throw new NotFound("consultation");
      throw new NotAllowed();
    }
    if (row.status === "cancelled") throw new ConsultationCancelled();
    if (row.startsAt > now) throw new ConsultationNotStarted();
    await tx.update(consultations).set({ attendance }).where(eq(consultations.id, id));
    await auditAs(tx, ctx, {
      action: "consultation.attendance",
      targetType: "consultation",
      targetId: id,
      details: { attendance },
    });
  });
}

export interface ConsultationView {
  id: number;
  serviceId: number;
  providerPersonId: number;
  providerName: string;
  personId: number;
  personName: string;
  startsAt: Date;
  endsAt: Date;
  location: string;
  status: "booked" | "cancelled";
  attendance: "attended" | "no_show" | "no_show_excused" | null;
  /** Only for those who may read it (ADR 18): the person, who booked it, the provider, staff. */
  topic: string;
}

/** A person's consultations from `from` on, for themself or someone acting for them. */
export async function listPersonConsultations(db: DbOrTx, ctx: ConsultationContext, personId: number, from: Date): Promise<ConsultationView[]> {
  // One's own list needs no lookup (and is empty where one has none, as at another station).
  if (personId !== ctx.actor.personId) await requireCanActFor(db, ctx.stationId, ctx.actor, personId);
  return selectViews(db, and(eq(consultations.stationId, ctx.stationId), eq(consultations.personId, personId), gt(consultations.endsAt, from)));
}

/** 我的咨询: a provider's consultations on [from, to), with topics (the provider's own, or staff for them). */
export async function listProviderConsultations(
  db: DbOrTx,
  ctx: ConsultationContext,
  providerPersonId: number,
  from: Date,
  to: Date,
): Promise<ConsultationView[]> {
  if (providerPersonId !== ctx.actor.personId && !isStaff(ctx.actor)) throw new NotAllowed();
  return selectViews(
    db,
    and(
      eq(consultations.stationId, ctx.stationId),
      eq(consultations.providerPersonId, providerPersonId),
      gt(consultations.endsAt, from),
      sql`${consultations.startsAt} < ${to}`,
    ),
  );
}

/**
 * When the provider's next booked appointment after `after` begins, or null: 我的咨询 opens on
 * today, and a lawyer who comes on Thursdays should not page through empty days to find it.
 */
export async function nextProviderAppointment(db: DbOrTx, ctx: ConsultationContext, providerPersonId: number, after: Date): Promise<Date | null> {
  if (providerPersonId !== ctx.actor.personId && !isStaff(ctx.actor)) throw new NotAllowed();
  const [row] = await db
    .select({ startsAt: consultations.startsAt })
    .from(consultations)
    .where(
      and(
        eq(consultations.stationId, ctx.stationId),
        eq(consultations.providerPersonId, providerPersonId),
        eq(consultations.status, "booked"),
        sql`${consultations.startsAt} >= ${after}`,
      ),
    )
    .orderBy(asc(consultations.startsAt))
    .limit(1);
  return row?.startsAt ?? null;
}

/** The station's consultations on [from, to), every provider's (staff only): the desk's and the phone's overview. */
export async function listStationConsultations(db: DbOrTx, ctx: ConsultationContext, from: Date, to: Date): Promise<ConsultationView[]> {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  return selectViews(db, and(eq(consultations.stationId, ctx.stationId), gt(consultations.endsAt, from), sql`${consultations.startsAt} < ${to}`));
}

async function selectViews(db: DbOrTx, where: ReturnType<typeof and>): Promise<ConsultationView[]> {
  const provider = sql`(SELECT full_name FROM ${people} pr WHERE pr.id = ${consultations.providerPersonId})`;
  const rows = await db
    .select({
      id: consultations.id,
      serviceId: consultations.serviceId,
      providerPersonId: consultations.providerPersonId,
      providerName: sql<string>`${provider}`,
      personId: consultations.personId,
      personName: people.fullName,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      location: consultations.location,
      status: consultations.status,
      attendance: consultations.attendance,
      topic: consultations.topic,
    })
    .from(consultations)
    .innerJoin(people, eq(people.id, consultations.personId))
    // Held and passed waitlist offers are not bookings (ADR 26): the waitlist lists them.
    .where(and(where, inArray(consultations.status, ["booked", "cancelled"])))
    .orderBy(asc(consultations.startsAt));
  return rows as ConsultationView[];
}

/** One consultation for someone who may see it (ADR 18); NotFound for anyone else, as if it did not exist. */
export async function getConsultation(db: DbOrTx, ctx: ConsultationContext, id: number): Promise<ConsultationView> {
  const [row] = await selectViews(db, and(eq(consultations.id, id), eq(consultations.stationId, ctx.stationId)));
  const [facts] = await db.select({ bookedByAccountId: consultations.bookedByAccountId }).from(consultations).where(eq(consultations.id, id));
  if (!row || !facts || !canSeeConsultation(ctx.actor, { ...row, bookedByAccountId: facts.bookedByAccountId })) throw new NotFound("consultation");
  return row;
}
