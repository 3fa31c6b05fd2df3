/**
 * The limits and defaults of the domain, in one place. The forms' and the API's field schemas
 * take their bounds from here, and the database CHECKs that hold the same bounds
 * (models/db/schema.ts) name the constant beside them, so a change is made here and in a
 * migration, never in one form only. Each bound below names its CHECK;
 * tests/integration/limits-checks.test.ts reads the CHECKs from the database and fails when the
 * two differ.
 */

/** A range of whole numbers, both ends included. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const range = (min: number, max: number): Range => ({ min, max });

/** The largest request body a page or the API reads (the Express layer refuses larger ones first). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The household import (ADR 24): at most this many rows and bytes in one CSV file. 10,000 rows is
 * the station's whole roll (350 members × ~10 households × ~2 people ≈ 7,000) with room; a row is
 * ~100–300 bytes (GB18030 or UTF-8), so 10,000 rows are 1–3 MiB and 4 MiB leaves headroom. The
 * import's upload route alone reads a body this large (`IMPORT_BODY_BYTES`: the file and the
 * form's few small fields); every other page and the API keep MAX_BODY_BYTES.
 */
export const IMPORT = { maxRows: 10_000, maxFileBytes: 4 * 1024 * 1024 } as const;
export const IMPORT_BODY_BYTES = IMPORT.maxFileBytes + MAX_BODY_BYTES;

/** PostgreSQL `integer`: every row id fits, and anything past it names nothing. */
export const MAX_INT4 = 2_147_483_647;

/** Lengths of text fields, in characters; those a CHECK holds name it. */
export const TEXT = {
  /** CHECK people_name_len. */
  personName: 100,
  /** CHECK activities_title_len. */
  title: 120,
  description: 2000,
  location: 120,
  leader: 60,
  /** CHECK api_tokens_name_len. */
  tokenName: 60,
  categoryNameZh: 40,
  categoryNameEn: 60,
  skillName: 60,
  specialty: 60,
  needs: 200,
  note: 200,
  /** CHECKs stations_phone_len, households_landline_len. */
  phone: 20,
  /** A household's label and address (CHECKs households_label_len, households_address_len); its landline is a `phone`. */
  household: 200,
  /** The station's street address (CHECK stations_address_len; stations_phone_len uses `phone`). */
  address: 200,
  email: 200,
  search: 50,
  /** Why a no-show was excused (CHECK signups_attendance_reason). */
  attendanceReason: 200,
} as const;

/** Passwords (models/passwords.ts hashes them; the bounds keep argon2's input sane). */
export const PASSWORD = range(8, 200);

/** Places of one session (CHECKs activities_capacity, sessions_capacity). */
export const CAPACITY = range(0, 10_000);
/** The people one signup may bring (CHECKs activities_party, signups_party). */
export const PARTY_SIZE = range(1, 10);
/**
 * People one booking for a family or a caretaker's households may name (ADR 25): about ten
 * households of one to three people each, and one's own; each is its own signup and mail.
 */
export const PEOPLE_PER_BOOKING = range(1, 40);

/** A session's length in minutes (CHECK activities_duration). */
export const DURATION_MINUTES = range(5, 1440);

/** The signup window: opens this many days before, closes this many minutes before (CHECK activities_signup_window). */
/** CHECK activities_signup_window (with SIGNUP_CLOSES_MINUTES). */
export const SIGNUP_OPENS_DAYS = range(0, 365);
export const SIGNUP_CLOSES_MINUTES = range(0, 10_080);
/** Residents may cancel until this many minutes before the start (CHECK activities_cancel_deadline). */
export const CANCEL_DEADLINE_MINUTES = range(0, 10_080);
/** The reminder mail, minutes before the start; 0 = none (CHECK activities_reminder). */
export const REMINDER_MINUTES = range(0, 10_080);

/** What a new activity gets when the form or the API leaves a setting out. */
export const ACTIVITY_DEFAULTS = {
  maxPartySize: 1,
  signupOpensDays: 14,
  signupClosesMinutes: 60,
  cancelDeadlineMinutes: 120,
} as const;

/** Recurrence: every n-th period, and at most this many occurrences. */
export const RULE_INTERVAL = range(1, 99);
export const RULE_COUNT = range(1, 1000);
/** Dates left out of a series. */
export const MAX_EXDATES = 366;

/** Rosters: people one need asks for (CHECK roster_needs_head_count), and how far before/after the session a shift runs (CHECK roster_needs_offsets). */
export const HEAD_COUNT = range(1, 50);
export const SHIFT_OFFSET_MINUTES = range(0, 240);
/** Hours recorded by hand for one day (CHECK manual_hours_minutes). */
export const MANUAL_MINUTES = range(1, 1440);

/** Calendar years a date field accepts (its max is CHECK people_birth_year's too). */
export const YEARS = range(2000, 2100);
/** Birth years (CHECK people_birth_year allows 1900..2100; forms stop at the current year). */
export const BIRTH_YEAR_MIN = 1900;

/** Drop-in visits one tap may count, e.g. a family of five at the blood-pressure desk (CHECK visits_count). */
export const VISIT_COUNT = range(1, 50);

/** A drop-in service line's names (CHECKs service_lines_name_len, service_lines_reporting_len). */
export const SERVICE_LINE_TEXT = { name: 40, nameEn: 60, reportingLine: 40 } as const;

/** One-to-one consultations (ADR 18); each bound names its CHECK. */
export const CONSULTATION = {
  /** CHECK consultation_services_name_len (with nameEn). */
  name: 40,
  nameEn: 60,
  /** CHECKs provider_hours_location_len, provider_hours_changes_shape. */
  location: 100,
  /** CHECK consultations_topic_len. */
  topic: 500,
  /** CHECK consultations_notes_len. */
  notes: 2000,
  // Staff's note of how a provider agreed to cancel their bookings (ADR 27).
  providerOk: 200,
  /** CHECK consultation_services_slot. */
  slotMinutes: range(10, 240),
  /** CHECK consultation_services_buffer. */
  bufferMinutes: range(0, 60),
  /** CHECK consultation_services_ahead. */
  bookAheadDays: range(1, 90),
  /** CHECK consultation_services_deadline. */
  cancelDeadlineMinutes: range(0, 10080),
  /** CHECK consultation_services_max. */
  maxUpcoming: range(1, 10),
  /** CHECK consultation_services_hold. */
  holdMinutes: range(15, 1440),
} as const;

/** The most rows of one section a personal-data export lists (a person has far fewer; a runaway query stays bounded). */
export const EXPORT_ROWS_MAX = 5000;
/**
 * Retention (ADR 23), in days, with the station's defaults (CHECKs stations_retention_*): mail
 * bodies and addresses, login and audit detail, walk-in people with no activity.
 */
export const RETENTION = {
  /** CHECK stations_retention_mail. */
  mailDays: { min: 7, max: 3650, default: 90 },
  /** CHECK stations_retention_detail. */
  detailDays: { min: 30, max: 3650, default: 730 },
  /** CHECK stations_retention_walk_in. */
  walkInDays: { min: 365, max: 3650, default: 1095 },
} as const;

/** How an erasure was asked for (ADR 23): by the person on their account page, or at the desk, by phone, on paper; or by the retention job. */
export const ERASURE_VIA = ["self", "in_person", "phone", "paper", "retention"] as const;
