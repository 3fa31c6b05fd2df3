import { DomainError, PlainError } from "../errors";

/** Household input the station does not accept (an empty label, a 300-character address); `field` names it. */
export class InvalidCareInput extends DomainError {
  constructor(field: string) {
    super("care_input_invalid", 422, { field });
  }
}

/** A caretaker must be a member (the volunteer role) of the household's station. */
export class CaretakerNotMember extends PlainError("caretaker_not_member", 422) {}

/** The household's consent is already in force: withdraw it before recording another. */
export class ConsentAlreadyGiven extends PlainError("consent_already_given", 409) {}

/** There is no consent in force to withdraw. */
export class ConsentNotGiven extends PlainError("consent_not_given", 409) {}

/** The file sent to be imported is not the one that was previewed (another file, or changed since). */
export class ImportFileChanged extends PlainError("import_file_changed", 409) {}
