import type { ConsultationView } from "#models/consultations/bookings";
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
    status: c.status,
    attendance: c.attendance,
    topic: c.topic,
  };
}
