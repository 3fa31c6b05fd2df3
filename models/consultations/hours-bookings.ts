import { and, asc, eq, gt } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Tx } from "../db";
import { consultations, people, stations } from "../db/schema";
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
    .where(
      and(
        eq(consultations.stationId, ctx.stationId),
        eq(consultations.serviceId, hours.serviceId),
        eq(consultations.providerPersonId, hours.providerPersonId),
        eq(consultations.status, "booked"),
        gt(consultations.startsAt, now),
      ),
    )
    .orderBy(asc(consultations.startsAt), asc(consultations.id));
  if (booked.length === 0) return [];
  const [station] = await tx.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, ctx.stationId));
  const zone = station!.zone;
  const local = (at: Date) => DateTime.fromJSDate(at, { zone });
  const windows = await openWindows(tx, {
    serviceIds: [hours.serviceId],
    zone,
    fromDate: local(booked[0]!.startsAt).toISODate()!,
    toDate: local(booked[booked.length - 1]!.startsAt).toISODate()!,
    providerPersonId: hours.providerPersonId,
  });
  return booked
    .filter((b) => {
      const start = local(b.startsAt);
      const from = start.hour * 60 + start.minute;
      const to = from + Math.round((b.endsAt.getTime() - b.startsAt.getTime()) / 60_000);
      return !(windows.get(start.toISODate()!) ?? []).some((w) => w.from <= from && to <= w.to);
    })
    .map((b) => ({ id: b.id, personName: b.personName, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString() }));
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
  for (const booking of affected) await cancelConsultation(tx, ctx, booking.id);
  return affected.map((b) => b.id);
}

/** The note staff gave of the provider's OK, for the audit log (none when the provider acted). */
export function providerOkNote(ctx: ConsultationContext, providerPersonId: number, confirmation: BookingsConfirmation = {}): string | undefined {
  if (providerPersonId === ctx.actor.personId || typeof confirmation.providerOk !== "string") return undefined;
  return confirmation.providerOk.trim() || undefined;
}
