/**
 * Domain errors. Each carries a stable code that routes map to a message in the user's
 * language (app/i18n) and to an HTTP status; nothing here knows about HTTP or text.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super("not_found", 404, { what });
  }
}

export class NotAllowed extends DomainError {
  constructor() {
    super("not_allowed", 403);
  }
}

export class NotSignedIn extends DomainError {
  constructor() {
    super("not_signed_in", 401);
  }
}

export class InvalidCredentials extends DomainError {
  constructor() {
    super("invalid_credentials", 401);
  }
}

export class TooManyAttempts extends DomainError {
  constructor(retryAfterMinutes: number) {
    super("too_many_attempts", 429, { minutes: retryAfterMinutes });
  }
}

export class EmailTaken extends DomainError {
  constructor() {
    super("email_taken", 409);
  }
}

export class InvalidSeries extends DomainError {
  constructor(readonly problems: string[]) {
    super("invalid_series", 422, { problems: problems.join(",") });
  }
}

export class Conflict extends DomainError {
  constructor(code: string) {
    super(code, 409);
  }
}

export class Busy extends DomainError {
  constructor() {
    super("busy", 503);
  }
}

/** Signups: the window is not open yet, has closed, or the session is cancelled. */
export class SignupClosed extends DomainError {
  constructor(reason: "not_open" | "closed" | "session_cancelled") {
    super(`signup_${reason}`, 409);
  }
}

export class AlreadySignedUp extends DomainError {
  constructor(readonly signupId: number) {
    super("already_signed_up", 409, { signupId });
  }
}

export class InvalidPartySize extends DomainError {
  constructor() {
    super("party_size_invalid", 422);
  }
}

export class PartyTooLarge extends DomainError {
  constructor(max: number) {
    super("party_too_large", 422, { max });
  }
}

export class CancelTooLate extends DomainError {
  constructor() {
    super("cancel_too_late", 409);
  }
}

/** A signup that cannot be cancelled any more: its session has started, or was cancelled. */
export class CancelNotPossible extends DomainError {
  constructor(reason: "started" | "session_cancelled") {
    super(`cancel_${reason}`, 409);
  }
}

export class CapacityBelowConfirmed extends DomainError {
  constructor(confirmed: number) {
    super("capacity_below_confirmed", 409, { confirmed });
  }
}
