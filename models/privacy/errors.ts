import { DomainError, PlainError } from "../errors";

/** Needs (health details) may be kept only while the person's health_needs consent is in force (ADR 22). */
export class NeedsConsentRequired extends PlainError("needs_consent_required", 422) {}

/** The person's consent to this purpose is already in force. */
export class PersonConsentAlreadyGiven extends PlainError("person_consent_already_given", 409) {}

/** No consent to this purpose is in force, so there is nothing to withdraw. */
export class PersonConsentNotGiven extends PlainError("person_consent_not_given", 409) {}

/** The consent in force is already to the newest version of its text: nothing to agree to again. */
export class ConsentUpToDate extends PlainError("consent_up_to_date", 409) {}

/** A consent way that does not fit who records it (only the person themself gives consent online). */
export class InvalidConsentWay extends PlainError("consent_way_invalid", 422) {}

/** Staff correct the details of people without an account; those with one correct their own. */
export class CorrectionByOwner extends PlainError("correction_by_owner", 403) {}

/** A correction the station does not accept (an empty name, a birth year of 1850); `field` names it. */
export class InvalidPersonInput extends DomainError {
  constructor(field: string) {
    super("person_input_invalid", 422, { field });
  }
}

/** An erasure request the station does not accept (an unknown way of asking, a note too long); `field` names it. */
export class InvalidErasureInput extends DomainError {
  constructor(field: string) {
    super("erasure_input_invalid", 422, { field });
  }
}

/** The password given to confirm one's own erasure is not right: 403, not the API's 401 (the token is fine). */
export class ErasureWrongPassword extends PlainError("erasure_wrong_password", 403) {}

/** An account with no password (made at the desk) cannot confirm its own erasure by one: set one first, or ask at the desk. */
export class ErasureNoPassword extends PlainError("erasure_no_password", 409) {}
