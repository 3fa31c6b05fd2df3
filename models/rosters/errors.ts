import { DomainError, PlainError } from "../errors";

/**
 * Roster errors. Codes map to `error.<code>` in models/i18n/parts/roster-core.ts; params are
 * filled into the message ({title}, {when}, {hours}).
 */

/** The person already has an active shift at that time: `title` and `when` name it. */
export class ShiftConflict extends DomainError {
  constructor(title: string, when: string) {
    super("shift_conflict", 409, { title, when });
  }
}

/** The person signed up as an attendee for a session at that time. */
export class SignupConflict extends DomainError {
  constructor(title: string, when: string) {
    super("signup_conflict", 409, { title, when });
  }
}

/** The person does not hold the skill (or a restricted one is not confirmed yet). */
export class NotQualified extends PlainError("not_qualified", 409) {}

/** Every place of the shift is taken. */
export class NeedFull extends PlainError("need_full", 409) {}

/** The shift would take the person over their weekly maximum (`hours`). */
export class WeeklyLimit extends DomainError {
  constructor(hours: number) {
    super("weekly_limit", 409, { hours });
  }
}

/** The session is cancelled or has already started. */
export class ShiftClosed extends PlainError("shift_closed", 409) {}

/** The person marked that day as one they cannot come (self-signup only; staff get a warning). */
export class BlackoutDay extends PlainError("shift_blackout", 409) {}

/** The need belongs to another activity than the session, or a series need came without a session. */
export class NeedSessionMismatch extends PlainError("need_session_mismatch", 422) {}

/** The assignment cannot move from its state with that action (e.g. confirm a cancelled one). */
export class AssignmentState extends DomainError {
  constructor(status: string) {
    super("assignment_state", 409, { status });
  }
}

/** Attendance can be recorded only once the shift has started. */
export class AttendanceTooEarly extends PlainError("attendance_too_early", 409) {}

/** Bad roster input: a field out of range (head count, offsets, minutes, slug …). */
export class InvalidRosterInput extends DomainError {
  constructor(field: string) {
    super("roster_invalid", 422, { field });
  }
}

export class SkillSlugTaken extends PlainError("skill_slug_taken", 409) {}

/** A need cannot be removed while people are on it; cancel their assignments first. */
export class NeedInUse extends PlainError("need_in_use", 409) {}

/**
 * New set-up/clear-up minutes would put someone's shift on top of another of theirs: the
 * change is refused as a whole (the coordinator is at the form and can sort it out first).
 */
export class NeedRetimeConflict extends DomainError {
  constructor(name: string, title: string, when: string) {
    super("need_retime_conflict", 409, { name, title, when });
  }
}

/** Longer shifts from new set-up/clear-up minutes would take `name` over their weekly maximum. */
export class NeedRetimeWeeklyLimit extends DomainError {
  constructor(name: string, hours: number) {
    super("need_retime_weekly_limit", 409, { name, hours });
  }
}

/** Taking a shift oneself is for the station's volunteers and doctors (a resident is not rostered). */
export class ShiftRoleRequired extends PlainError("shift_role_required", 403) {}

/** Longer shifts from new set-up/clear-up minutes would run into a session `name` signed up to attend. */
export class NeedRetimeSignupConflict extends DomainError {
  constructor(name: string, title: string, when: string) {
    super("need_retime_signup_conflict", 409, { name, title, when });
  }
}
