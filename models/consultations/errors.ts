import { DomainError, PlainError } from "../errors";

/** Consultation input the station does not accept (a slot of 7 minutes, a topic of 600 characters); `field` names it. */
export class InvalidConsultationInput extends DomainError {
  constructor(field: string) {
    super("consultation_input_invalid", 422, { field });
  }
}

/** An admin removed the service: its booked consultations stand, new ones are refused. */
export class ServiceArchived extends PlainError("consultation_service_archived", 409) {}

/** Hours for a service are kept only for a person who holds its skill (confirmed, when restricted). */
export class NotProvider extends PlainError("consultation_not_provider", 422) {}

/** Not a slot of the provider's hours that day, already taken, or the provider is elsewhere then. */
export class SlotUnavailable extends PlainError("consultation_slot_unavailable", 409) {}

/** The slot has begun or is over: nobody books the past. */
export class SlotPast extends PlainError("consultation_slot_past", 409) {}

/** Further ahead than the service takes bookings. */
export class OutsideWindow extends DomainError {
  constructor(days: number) {
    super("consultation_outside_window", 409, { days });
  }
}

/** The person already holds as many upcoming bookings of this service as it allows. */
export class ConsultationLimit extends DomainError {
  constructor(max: number) {
    super("consultation_limit", 409, { max });
  }
}

/** A provider cannot book a consultation with themself. */
export class WithOneself extends PlainError("consultation_with_oneself", 422) {}

export class ConsultationCancelTooLate extends DomainError {
  constructor(minutes: number) {
    super("consultation_cancel_too_late", 409, { minutes });
  }
}

export class ConsultationCancelled extends PlainError("consultation_cancelled", 409) {}

export class ConsultationNotStarted extends PlainError("consultation_not_started", 409) {}

/** A booking a change of hours would leave outside them: who, when (ISO instants). */
export interface AffectedBooking {
  id: number;
  personName: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The change (hours removed or ended, a day off) would leave booked consultations outside the
 * provider's hours: nothing changed. `bookings` lists them; confirming them cancels them with the change.
 */
export class HoursChangeAffectsBookings extends DomainError {
  constructor(
    readonly bookings: AffectedBooking[],
    /** Whose hours: a confirmation by anyone else needs a note of the provider's OK. */
    readonly providerPersonId: number,
  ) {
    super("consultation_hours_bookings_affected", 409, { count: bookings.length, ids: bookings.map((b) => b.id).join(",") });
  }
}

/** Staff confirming cancellations for a provider say how the provider agreed (a note kept in the audit log). */
export class ProviderOkRequired extends PlainError("consultation_hours_provider_ok_required", 422) {}

/** A waitlist request the station does not take (a range in the past, reversed, too long; an unknown provider); `field` names it. */
export class InvalidWaitlistInput extends DomainError {
  constructor(field: string, days: number) {
    super("consultation_waitlist_input_invalid", 422, { field, days });
  }
}

/** The person already waits for this service (one entry per person and service). */
export class AlreadyWaiting extends PlainError("consultation_already_waiting", 409) {}

/** The held slot is no longer theirs: taken, declined, or its time ran out and it passed on. */
export class OfferGone extends PlainError("consultation_offer_gone", 409) {}
