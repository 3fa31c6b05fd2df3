import { DomainError } from "../errors";

/** An erasure request the station does not accept (an unknown way of asking, a note too long); `field` names it. */
export class InvalidErasureInput extends DomainError {
  constructor(field: string) {
    super("erasure_input_invalid", 422, { field });
  }
}

/** The password given to confirm one's own erasure is not right: 403, not the API's 401 (the token is fine). */
export class ErasureWrongPassword extends DomainError {
  constructor() {
    super("erasure_wrong_password", 403);
  }
}

/** An account with no password (made at the desk) cannot confirm its own erasure by one: set one first, or ask at the desk. */
export class ErasureNoPassword extends DomainError {
  constructor() {
    super("erasure_no_password", 409);
  }
}
