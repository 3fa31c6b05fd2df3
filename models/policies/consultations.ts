/**
 * Who may see and cancel a consultation (ADR 18). Pure functions of facts already loaded, shared
 * by the model's own checks, the pages and the API, as for signups.
 */
import { isStaffRoles } from "./signups";
import type { Role } from "../auth";

const MINUTE = 60_000;

export interface ConsultationViewer {
  accountId: number;
  personId: number;
  roles: readonly Role[];
}

export interface ConsultationFacts {
  personId: number;
  providerPersonId: number;
  bookedByAccountId: number | null;
  status: "booked" | "cancelled";
  startsAt: Date;
}

/**
 * The topic, and even that the appointment exists, are for the person, whoever booked it for
 * them, the provider and staff; nobody else (not another provider, not a desk volunteer).
 */
export function canSeeConsultation(
  viewer: ConsultationViewer,
  facts: Pick<ConsultationFacts, "personId" | "providerPersonId" | "bookedByAccountId">,
): boolean {
  return (
    viewer.personId === facts.personId ||
    viewer.personId === facts.providerPersonId ||
    (facts.bookedByAccountId !== null && viewer.accountId === facts.bookedByAccountId) ||
    isStaffRoles(viewer.roles)
  );
}

export type ConsultationCancelVerdict = "allowed" | "not_allowed" | "cancelled" | "started" | "too_late";

/**
 * May this viewer cancel now? Those who may see it (the person, whoever booked it, the
 * provider, staff) and nobody else — not even someone who may book for the person, as a
 * caretaker may: a booking they did not make is not theirs to know of. The person's side
 * until the service's deadline; the provider and staff until the start (someone phoned in
 * ill). After the start nobody cancels: attendance instead.
 */
export function consultationCancelVerdict(
  viewer: ConsultationViewer,
  facts: ConsultationFacts,
  opts: { cancelDeadlineMinutes: number },
  now: Date,
): ConsultationCancelVerdict {
  if (!canSeeConsultation(viewer, facts)) return "not_allowed";
  if (facts.status === "cancelled") return "cancelled";
  if (now >= facts.startsAt) return "started";
  if (viewer.personId === facts.providerPersonId || isStaffRoles(viewer.roles)) return "allowed";
  return now.getTime() <= facts.startsAt.getTime() - opts.cancelDeadlineMinutes * MINUTE ? "allowed" : "too_late";
}

/**
 * May this viewer keep these consultation hours (add, take a day off, end, remove)? The provider
 * themself, for their own; a coordinator or admin of the station, for anyone's (with a note of
 * how the provider agreed when bookings go, ADR 27). Nobody else, not another provider. The
 * viewer's roles are the station's, so "of the station" is the caller's scoping of the hours.
 */
export function canManageHours(viewer: Pick<ConsultationViewer, "personId" | "roles">, hours: { providerPersonId: number }): boolean {
  return viewer.personId === hours.providerPersonId || isStaffRoles(viewer.roles);
}
