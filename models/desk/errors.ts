import { DomainError, PlainError } from "../errors";

/** Front-desk input that is not what the desk accepts (a count of 0, a reason of 300 characters); `field` names it. */
export class InvalidDeskInput extends DomainError {
  constructor(field: string) {
    super("desk_input_invalid", 422, { field });
  }
}

/** More than an hour before the start: the doors are not open yet. */
export class CheckinNotOpen extends DomainError {
  constructor(opensAt: Date) {
    super("checkin_not_open", 409, { opensAt: opensAt.toISOString() });
  }
}

/** The coordinator closed the session's check-in ("结束签到"): only staff may still change it. */
export class CheckinClosed extends PlainError("checkin_closed", 409) {}

/** A cancelled session has no check-in. */
export class SessionCancelled extends PlainError("session_cancelled", 409) {}

/** Attendance is about a session that has begun; closing or marking no-shows before it is refused. */
export class SessionNotStarted extends PlainError("session_not_started", 409) {}

/** Only staff seat people past the capacity; the desk volunteer is told the room is full. */
export class OverCapacity extends DomainError {
  constructor(capacity: number) {
    super("checkin_over_capacity", 409, { capacity });
  }
}

/** Only a confirmed booking has an attendance (not a waitlisted or cancelled one). */
export class NotConfirmed extends PlainError("signup_not_confirmed", 409) {}

/** A tally for a service line that an admin removed. */
export class ServiceLineRemoved extends PlainError("service_line_removed", 409) {}

/** Taps are undone on their own day only; the day's figures are final after it. */
export class UndoTooLate extends PlainError("visit_undo_too_late", 409) {}

/** A month or year the report cannot be made for: malformed, out of range, or still to come. */
export class InvalidReportPeriod extends DomainError {
  constructor(reason: "format" | "future") {
    super("report_period_invalid", 422, { reason });
  }
}
