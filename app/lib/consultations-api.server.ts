import type { ConsultationView } from "#models/consultations/bookings";
import type { OfferView } from "#models/consultations/offers";
import type { WaitlistView } from "#models/consultations/waitlist";
import { isoIn } from "./api.server";

/** A consultation as the API shows it to someone who may see it (the model has checked that). */
export function consultationJson(c: ConsultationView, zone: string) {
  const iso = isoIn(zone);
  return {
    id: c.id,
    serviceId: c.serviceId,
    providerId: c.providerPersonId,
    providerName: c.providerName,
    personId: c.personId,
    personName: c.personName,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    location: c.location,
    // The API's word for a booked consultation, as for signups (issue 12's contract).
    status: c.status === "booked" ? ("confirmed" as const) : ("cancelled" as const),
    attendance: c.attendance,
    topic: c.topic,
  };
}

/** A waitlist entry (ADR 26), with the slot held for it while offered. */
export function waitlistEntryJson(e: WaitlistView, zone: string) {
  const iso = isoIn(zone);
  return {
    id: e.id,
    serviceId: e.serviceId,
    personId: e.personId,
    personName: e.personName,
    providerId: e.providerPersonId,
    fromDate: e.fromDate,
    toDate: e.toDate,
    status: e.status,
    offer: e.offer
      ? {
          id: e.offer.id,
          serviceId: e.serviceId,
          personId: e.personId,
          providerName: e.offer.providerName,
          startsAt: iso(e.offer.startsAt),
          endsAt: iso(e.offer.endsAt),
          location: e.offer.location,
          heldUntil: iso(e.offer.heldUntil),
        }
      : null,
  };
}

/** One's own entry (GET /me/consultation-waitlist): as above, with the service's name. */
export function myWaitlistEntryJson(e: WaitlistView, zone: string) {
  return { ...waitlistEntryJson(e, zone), serviceNameZh: e.serviceNameZh, serviceNameEn: e.serviceNameEn };
}

/** A held slot as its person (or whoever acts for them) sees it. */
export function offerJson(o: OfferView, zone: string) {
  const iso = isoIn(zone);
  return {
    id: o.id,
    serviceId: o.serviceId,
    personId: o.personId,
    providerName: o.providerName,
    startsAt: iso(o.startsAt),
    endsAt: iso(o.endsAt),
    location: o.location,
    heldUntil: iso(o.heldUntil),
  };
}
