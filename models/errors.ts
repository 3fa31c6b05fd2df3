import { pgErrorOf } from "./db/errors";

/**
 * Every code a domain error may carry. Each must have its `error.<code>` message in the
 * catalog: the one place codes become text (app/lib/domain-error.server.ts) does not compile
 * when one is missing, and a code that is not listed here cannot be thrown.
 */
export const ERROR_CODES = [
  "not_found",
  "not_allowed",
  "not_signed_in",
  "invalid_credentials",
  "too_many_attempts",
  "too_many_mails",
  "email_taken",
  // sign-in without email (ADR 21)
  "phone_taken",
  "sign_in_name_required",
  "invalid_sign_in_code",
  "sign_in_code_not_allowed",
  "account_exists",
  "invalid_series",
  "busy",
  "signup_not_open",
  "signup_closed",
  "signup_session_cancelled",
  "already_signed_up",
  "party_size_invalid",
  "party_too_large",
  "cancel_too_late",
  "cancel_started",
  "cancel_session_cancelled",
  "signup_has_attendance",
  "capacity_below_confirmed",
  "ends_before_start",
  "category_slug_taken",
  "api_token_limit",
  // the commitments ledger (a person in two places at once)
  "person_conflict",
  // rosters
  "availability_invalid",
  "availability_overlap",
  "blackout_invalid",
  "roster_proposal_refused",
  "shift_conflict",
  "signup_conflict",
  "not_qualified",
  "need_full",
  "weekly_limit",
  "shift_closed",
  "shift_blackout",
  "need_session_mismatch",
  "assignment_state",
  "attendance_too_early",
  "roster_invalid",
  "skill_slug_taken",
  "need_in_use",
  "need_retime_conflict",
  "need_retime_weekly_limit",
  "shift_role_required",
  "need_retime_signup_conflict",
  "already_assigned",
  // front desk
  "desk_input_invalid",
  "checkin_not_open",
  "checkin_closed",
  "session_cancelled",
  "session_not_started",
  "checkin_over_capacity",
  "signup_not_confirmed",
  "service_line_removed",
  "service_line_exists",
  "visit_undo_too_late",
  "report_period_invalid",
  // consultations
  "consultation_input_invalid",
  "consultation_service_archived",
  "consultation_not_provider",
  "consultation_slot_unavailable",
  "consultation_outside_window",
  "consultation_slot_past",
  "consultation_limit",
  "consultation_with_oneself",
  "consultation_cancel_too_late",
  "consultation_cancelled",
  "consultation_not_started",
  // changing hours that have bookings (ADR 27)
  "consultation_hours_bookings_affected",
  "consultation_hours_provider_ok_required",
  // the consultation waitlist (ADR 26)
  "consultation_waitlist_input_invalid",
  "consultation_already_waiting",
  "consultation_offer_gone",
  // the care net: households and consent
  "care_input_invalid",
  "caretaker_not_member",
  "consent_already_given",
  "consent_not_given",
  "import_file_changed",
  // personal information: consent, correction (ADR 22)
  "needs_consent_required",
  "person_consent_already_given",
  "consent_up_to_date",
  "person_consent_not_given",
  "consent_way_invalid",
  "correction_by_owner",
  "person_input_invalid",
  // notifications
  "notification_not_failed",
  "notification_expired",
  "invalid_mail_kind",
  // reaching people (ADR 20)
  "reach_input_invalid",
  "call_not_on_list",
  // booking for several people (ADR 25)
  "booking_people_invalid",
  // privacy: erasure and retention (ADR 23)
  "last_admin",
  "erasure_no_password",
  "erasure_wrong_password",
  "erasure_input_invalid",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Domain errors. Each carries a stable code that routes map to a message in the user's
 * language (models/i18n) and to an HTTP status; nothing here knows about HTTP or text.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/**
 * A domain error that carries no parameters, as a named class of its own:
 * `export class NeedFull extends PlainError("need_full", 409) {}`.
 */
export function PlainError(code: ErrorCode, status: DomainError["status"]) {
  return class extends DomainError {
    constructor() {
      super(code, status);
    }
  };
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super("not_found", 404, { what });
  }
}

export class NotAllowed extends PlainError("not_allowed", 403) {}

export class NotSignedIn extends PlainError("not_signed_in", 401) {}

export class InvalidCredentials extends PlainError("invalid_credentials", 401) {}

export class TooManyAttempts extends DomainError {
  constructor(retryAfterMinutes: number) {
    super("too_many_attempts", 429, { minutes: retryAfterMinutes });
  }
}

/** A signed-in account asked for more mail-sending actions than its budget allows (models/rate-limits.ts). */
export class TooManyMails extends DomainError {
  constructor(retryAfterMinutes: number) {
    super("too_many_mails", 429, { minutes: retryAfterMinutes });
  }
}

export class EmailTaken extends PlainError("email_taken", 409) {}

/** The mobile number is already another account's sign-in phone (said to staff, never on the open registration form). */
export class PhoneTaken extends PlainError("phone_taken", 409) {}

/** An account needs an email or a mobile number to sign in with. */
export class SignInNameRequired extends PlainError("sign_in_name_required", 422) {}

/** A one-time sign-in code that is wrong, used, voided or expired: one answer for all. */
export class InvalidSignInCode extends PlainError("invalid_sign_in_code", 401) {}

/** Staff may not hand out a sign-in code for an account with staff, doctor or another station's roles. */
export class SignInCodeNotAllowed extends PlainError("sign_in_code_not_allowed", 403) {}

/** The person already has an account (staff then hand out a new code instead). */
export class AccountExists extends PlainError("account_exists", 409) {}

export class InvalidSeries extends DomainError {
  constructor(readonly problems: string[]) {
    super("invalid_series", 422, { problems: problems.join(",") });
  }
}

export class Conflict extends DomainError {
  constructor(code: ErrorCode) {
    super(code, 409);
  }
}

export class Busy extends PlainError("busy", 503) {}

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

/** A booking for several people names none, too many, or one person twice (ADR 25). */
export class InvalidBookingPeople extends DomainError {
  constructor(max: number) {
    super("booking_people_invalid", 422, { max });
  }
}

export class InvalidPartySize extends PlainError("party_size_invalid", 422) {}

export class PartyTooLarge extends DomainError {
  constructor(max: number) {
    super("party_too_large", 422, { max });
  }
}

export class CancelTooLate extends PlainError("cancel_too_late", 409) {}

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

/**
 * The person already holds a commitment that overlaps the time (docs/decisions/0015): `name`,
 * `kind` (attending, shift), `title` and `when` name it; `startsAt`/`endsAt` are ISO instants.
 * Without params it is the answer to a clash nobody described (the last line of defence).
 */
export class PersonConflict extends DomainError {
  constructor(clash: { name: string; kind: string; title: string; when: string; startsAt: string; endsAt: string } | null = null) {
    super("person_conflict", 409, clash ?? {});
  }
}

/** A lock wait past lock_timeout, a deadlock, or a statement past statement_timeout: busy, try again. */
const BUSY_CODES = new Set(["55P03", "40P01", "57014"]);
export const isBusyError = (error: unknown): boolean => BUSY_CODES.has(pgErrorOf(error)?.code ?? "");

/** Lock waits and deadlocks end in a clear "busy, try again" (503), never a 500. */
export function rethrowBusy(error: unknown): never {
  if (isBusyError(error)) throw new Busy();
  throw error;
}

/**
 * The last line of defence for the pages and the API: a domain error as it is, an exclusion
 * the engine raised that no model described (a person in two places at once) as a 409
 * `person_conflict`, and a wait that ran out in any write no model wrapped as 503 `busy`,
 * never a 500. Anything else is not a domain error.
 */
export function domainErrorOf(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (pgErrorOf(error)?.code === "23P01") return new PersonConflict();
  if (isBusyError(error)) return new Busy();
  return undefined;
}
