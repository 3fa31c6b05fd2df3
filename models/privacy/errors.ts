import { DomainError } from "../errors";

/** Needs (health details) may be kept only while the person's health_needs consent is in force (ADR 22). */
export class NeedsConsentRequired extends DomainError {
  constructor() {
    super("needs_consent_required", 422);
  }
}

/** The person's consent to this purpose is already in force. */
export class PersonConsentAlreadyGiven extends DomainError {
  constructor() {
    super("person_consent_already_given", 409);
  }
}

/** No consent to this purpose is in force, so there is nothing to withdraw. */
export class PersonConsentNotGiven extends DomainError {
  constructor() {
    super("person_consent_not_given", 409);
  }
}

/** A consent way that does not fit who records it (only the person themself gives consent online). */
export class InvalidConsentWay extends DomainError {
  constructor() {
    super("consent_way_invalid", 422);
  }
}

/** Staff correct the details of people without an account; those with one correct their own. */
export class CorrectionByOwner extends DomainError {
  constructor() {
    super("correction_by_owner", 403);
  }
}

/** A correction the station does not accept (an empty name, a birth year of 1850); `field` names it. */
export class InvalidPersonInput extends DomainError {
  constructor(field: string) {
    super("person_input_invalid", 422, { field });
  }
}
