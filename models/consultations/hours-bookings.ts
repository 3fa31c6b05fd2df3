import { and, asc, eq, gt } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Tx } from "../db";
import { accounts, consultations, notifications, people, stations } from "../db/schema";
import { enqueue } from "../notifications/enqueue";
import { passHold } from "./waitlist";
import { CONSULTATION } from "../limits";
import { cancelConsultation } from "./bookings";
import { HoursChangeAffectsBookings, InvalidConsultationInput, ProviderOkRequired, type AffectedBooking } from "./errors";
import type { ConsultationContext } from "./services";
import { openWindows } from "./slots";

/**
 * Changing or cancelling hours that have bookings (issue 12, ADR 27): a change that would leave
 * booked consultations outside the provider's hours lands only together with their cancellation,
 * and that only with the provider's confirmation; without it nothing changes.
 */

/** What the provider agreed to, given with a change of hours. */
export interface BookingsConfirmation {
  /** The bookings the provider agreed to cancel, as the refusal listed them. */
  cancel?: number[];
  /** Staff acting for the provider: how the provider agreed ("电话确认，12月5日"), kept in the audit log. */
  providerOk?: unknown;
}

interface TimedRow {
  id: number;
  startsAt: Date;
  endsAt: Date;
}

/** The station's consultations with the provider, of the service, that a change of hours may leave outside them. */
const ofTheseHours = (ctx: ConsultationContext, hours: { serviceId: number; providerPersonId: number }) =>
  and(
    eq(consultations.stationId, ctx.stationId),
    eq(consultations.serviceId, hours.serviceId),
    eq(consultations.providerPersonId, hours.providerPersonId),
  );

/** Those of `rows` (the provider's, of the service) that no open window of the provider's hours holds any more. */
async function outsideWindows<T extends TimedRow>(
  tx: Tx,
  stationId: number,
  hours: { serviceId: number; providerPersonId: number },
  rows: T[],
): Promise<T[]> {
  if (rows.length === 0) return [];
  const [station] = await tx.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
  const zone = station!.zone;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone });
  const sorted = [...rows].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const windows = await openWindows(tx, {
    serviceIds: [hours.serviceId],
    zone,
    fromDate: local(sorted[0]!.startsAt).toISODate()!,
    toDate: local(sorted[sorted.length - 1]!.startsAt).toISODate()!,
    providerPersonId: hours.providerPersonId,
  });
  return rows.filter((b) => {
    const start = local(b.startsAt);
    const from = start.hour * 60 + start.minute;
    const to = from + Math.round((b.endsAt.getTime() - b.startsAt.getTime()) / 60_000);
    return !(windows.get(start.toISODate()!) ?? []).some((w) => w.from <= from && to <= w.to);
  });
}

/** The provider's future booked consultations of the service that no open window holds any more. */
export async function bookingsOutsideHours(
  tx: Tx,
  ctx: ConsultationContext,
  hours: { serviceId: number; providerPersonId: number },
  now: Date,
): Promise<AffectedBooking[]> {
  const booked = await tx
    .select({ id: consultations.id, personName: people.fullName, startsAt: consultations.startsAt, endsAt: consultations.endsAt })
    .from(consultations)
    .innerJoin(people, eq(people.id, consultations.personId))
    .where(and(ofTheseHours(ctx, hours), eq(consultations.status, "booked"), gt(consultations.startsAt, now)))
    .orderBy(asc(consultations.startsAt), asc(consultations.id));
  return (await outsideWindows(tx, ctx.stationId, hours, booked)).map((b) => ({
    id: b.id,
    personName: b.personName,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
  }));
}

/**
 * Before a change of hours, in its transaction: locks the slots of the provider's that are held
 * for the waitlist (ADR 26 addendum). Held slot before the hours' ledger rows is the order
 * accepting takes them in (its row, then the day of hours), so the two wait, not deadlock.
 */
export async function lockHolds(tx: Tx, ctx: ConsultationContext, hours: { serviceId: number; providerPersonId: number }): Promise<TimedRow[]> {
  return tx
    .select({ id: consultations.id, startsAt: consultations.startsAt, endsAt: consultations.endsAt })
    .from(consultations)
    .where(and(ofTheseHours(ctx, hours), eq(consultations.status, "held")))
    .orderBy(asc(consultations.id))
    .for("update");
}

/**
 * After the change: the holds (locked by lockHolds) on slots the hours no longer have are let
 * go. The person waits on in their place (they lost nothing by the change), and one whose offer
 * had been mailed is told it is off. Returns the released ids.
 */
export async function releaseHoldsOutsideHours(
  tx: Tx,
  ctx: ConsultationContext,
  hours: { serviceId: number; providerPersonId: number },
  held: TimedRow[],
): Promise<number[]> {
  const now = ctx.now ?? new Date();
  const gone = await outsideWindows(tx, ctx.stationId, hours, held);
  for (const hold of gone) {
    const [mailed] = await tx
      .select({ personId: notifications.personId })
      .from(notifications)
      .where(and(eq(notifications.consultationId, hold.id), eq(notifications.kind, "consultation_offer"), eq(notifications.status, "sent")));
    await passHold(tx, hold.id, "hours_changed", now);
    if (mailed)
      await enqueue(tx, [
        {
          stationId: ctx.stationId,
          kind: "consultation_offer_withdrawn",
          dedupeKey: `consultation:${hold.id}:consultation_offer_withdrawn:client`,
          personId: mailed.personId,
          consultationId: hold.id,
          payload: { role: "client" },
          dueAt: now,
          expiresAt: hold.startsAt,
        },
      ]);
  }
  return gone.map((h) => h.id);
}

/**
 * Run after the change, in its transaction: the bookings it leaves outside the hours are refused
 * (HoursChangeAffectsBookings, rolling the change back) unless every one was confirmed, and then
 * cancelled here, each with the cancellation mail to both sides. Returns the cancelled ids.
 */
export async function settleBookingsOutsideHours(
  tx: Tx,
  ctx: ConsultationContext,
  hours: { serviceId: number; providerPersonId: number },
  confirmation: BookingsConfirmation = {},
): Promise<number[]> {
  const now = ctx.now ?? new Date();
  const affected = await bookingsOutsideHours(tx, ctx, hours, now);
  if (affected.length === 0) return [];
  const confirmed = new Set(confirmation.cancel ?? []);
  // A booking made since the list was shown was not agreed to: show the list again.
  if (!affected.every((b) => confirmed.has(b.id))) throw new HoursChangeAffectsBookings(affected, hours.providerPersonId);
  if (hours.providerPersonId !== ctx.actor.personId) {
    const ok = typeof confirmation.providerOk === "string" ? confirmation.providerOk.trim() : "";
    if (ok.length === 0) throw new ProviderOkRequired();
    if (ok.length > CONSULTATION.providerOk) throw new InvalidConsultationInput("providerOk");
  }
  for (const booking of affected) {
    await cancelConsultation(tx, ctx, booking.id);
    await tellBooker(tx, ctx, booking.id, now);
  }
  return affected.map((b) => b.id);
}

/**
 * Whoever booked the cancelled consultation for the client (a caretaker, a family member, staff)
 * hears of it too: they made the appointment and may be the one to bring the client. Not when
 * they are the client or the provider (those have their own mail); their mail consent applies
 * (enqueue). The subject, as every consultation mail's, names the time only.
 */
async function tellBooker(tx: Tx, ctx: ConsultationContext, id: number, now: Date): Promise<void> {
  const [row] = await tx
    .select({
      personId: consultations.personId,
      providerPersonId: consultations.providerPersonId,
      startsAt: consultations.startsAt,
      booker: accounts.personId,
    })
    .from(consultations)
    .innerJoin(accounts, eq(accounts.id, consultations.bookedByAccountId))
    .where(eq(consultations.id, id));
  if (!row?.booker || row.booker === row.personId || row.booker === row.providerPersonId) return;
  await enqueue(tx, [
    {
      stationId: ctx.stationId,
      kind: "consultation_cancelled",
      dedupeKey: `consultation:${id}:consultation_cancelled:booker`,
      personId: row.booker,
      consultationId: id,
      payload: { role: "booker" },
      dueAt: now,
      expiresAt: row.startsAt,
    },
  ]);
}

/** The note staff gave of the provider's OK, for the audit log (none when the provider acted). */
export function providerOkNote(ctx: ConsultationContext, providerPersonId: number, confirmation: BookingsConfirmation = {}): string | undefined {
  if (providerPersonId === ctx.actor.personId || typeof confirmation.providerOk !== "string") return undefined;
  return confirmation.providerOk.trim() || undefined;
}
