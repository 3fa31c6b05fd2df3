import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import {
  BIRTH_YEAR_MIN,
  CANCEL_DEADLINE_MINUTES,
  CAPACITY,
  CONSULTATION,
  DURATION_MINUTES,
  HEAD_COUNT,
  MANUAL_MINUTES,
  PARTY_SIZE,
  REMINDER_MINUTES,
  RETENTION,
  SERVICE_LINE_TEXT,
  SHIFT_OFFSET_MINUTES,
  SIGNUP_CLOSES_MINUTES,
  SIGNUP_OPENS_DAYS,
  TEXT,
  VISIT_COUNT,
  YEARS,
} from "../../models/limits";
import { backends, useBackend } from "../support/db";

/**
 * The database's CHECKs hold the same bounds as models/limits.ts (the forms' and the API's).
 * This reads the CHECKs back from pg_constraint and compares each bounded column with its
 * constant, so a change to one without the other fails here.
 *
 * A bound is [min, max]; min null where the CHECK has no lower bound (a text that may be empty).
 */
type Bound = readonly [number | null, number];
const len = (max: number): Bound => [1, max];
const r = (range: { min: number; max: number }): Bound => [range.min, range.max];

const FROM_LIMITS: Record<string, Record<string, Bound>> = {
  stations_retention_mail: { retention_mail_days: r(RETENTION.mailDays) },
  stations_retention_detail: { retention_detail_days: r(RETENTION.detailDays) },
  stations_retention_walk_in: { retention_walk_in_days: r(RETENTION.walkInDays) },
  stations_phone_len: { phone: len(TEXT.phone) },
  stations_address_len: { address: len(TEXT.address) },
  households_label_len: { label: len(TEXT.household) },
  households_address_len: { address: len(TEXT.household) },
  households_landline_len: { landline: len(TEXT.phone) },
  people_name_len: { full_name: len(TEXT.personName) },
  people_birth_year: { birth_year: [BIRTH_YEAR_MIN, YEARS.max] },
  activities_capacity: { capacity: r(CAPACITY) },
  activities_duration: { duration_minutes: r(DURATION_MINUTES) },
  activities_title_len: { title: len(TEXT.title) },
  activities_party: { max_party_size: r(PARTY_SIZE) },
  activities_signup_window: { signup_opens_days: r(SIGNUP_OPENS_DAYS), signup_closes_minutes: r(SIGNUP_CLOSES_MINUTES) },
  activities_cancel_deadline: { cancel_deadline_minutes: r(CANCEL_DEADLINE_MINUTES) },
  activities_reminder: { reminder_minutes: r(REMINDER_MINUTES) },
  sessions_capacity: { capacity: r(CAPACITY) },
  signups_party: { party_size: r(PARTY_SIZE) },
  signups_attendance_reason: { attendance_reason: len(TEXT.attendanceReason) },
  api_tokens_name_len: { name: len(TEXT.tokenName) },
  roster_needs_head_count: { head_count: r(HEAD_COUNT) },
  roster_needs_offsets: { start_offset_minutes: r(SHIFT_OFFSET_MINUTES), end_offset_minutes: r(SHIFT_OFFSET_MINUTES) },
  manual_hours_minutes: { minutes: r(MANUAL_MINUTES) },
  service_lines_name_len: { name_zh: len(SERVICE_LINE_TEXT.name), name_en: len(SERVICE_LINE_TEXT.nameEn) },
  service_lines_reporting_len: { reporting_line: len(SERVICE_LINE_TEXT.reportingLine) },
  visits_count: { count: r(VISIT_COUNT) },
  consultation_services_name_len: { name_zh: len(CONSULTATION.name), name_en: len(CONSULTATION.nameEn) },
  consultation_services_slot: { slot_minutes: r(CONSULTATION.slotMinutes) },
  consultation_services_buffer: { buffer_minutes: r(CONSULTATION.bufferMinutes) },
  consultation_services_ahead: { book_ahead_days: r(CONSULTATION.bookAheadDays) },
  consultation_services_deadline: { cancel_deadline_minutes: r(CONSULTATION.cancelDeadlineMinutes) },
  consultation_services_max: { max_upcoming: r(CONSULTATION.maxUpcoming) },
  consultation_services_hold: { hold_minutes: r(CONSULTATION.holdMinutes) },
  provider_hours_location_len: { location: len(CONSULTATION.location) },
  provider_hours_changes_shape: { location: len(CONSULTATION.location) },
  consultations_topic_len: { topic: [null, CONSULTATION.topic] },
  consultations_notes_len: { provider_notes: [null, CONSULTATION.notes] },
};

/** Bounded CHECKs whose numbers are facts, not settings (a weekday, a count that is never negative …). */
const NOT_FROM_LIMITS = new Set([
  "availability_weekday",
  "provider_hours_weekday",
  "sensitive_views_page",
  "person_consents_version",
  "sessions_taken",
  "sessions_waitlisted",
  "notifications_attempts",
  "signups_attended_count",
]);

/** Every `col >= n` / `char_length(col) <= n` in a CHECK's definition, as the server prints it. */
function boundsOf(definition: string): Record<string, [number | null, number | null]> {
  const found: Record<string, [number | null, number | null]> = {};
  const comparison = /\(?(?:char_length\()?\(?"?([a-z_]+)"?\)?(?:::text)?\)?\s*(>=|<=)\s*\(?(-?\d+)\)?/g;
  for (const [, column, op, value] of definition.matchAll(comparison)) {
    const bound = (found[column!] ??= [null, null]);
    bound[op === ">=" ? 0 : 1] = Number(value);
  }
  return found;
}

for (const backend of backends) {
  describe(`the CHECKs hold models/limits.ts's bounds (${backend.name})`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    async function checks() {
      const { rows } = await t.db.execute<{ name: string; definition: string }>(
        sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
            where contype = 'c' and connamespace = 'public'::regnamespace order by conname`,
      );
      return new Map(rows.map((row) => [row.name, row.definition]));
    }

    it("compares each bounded column with its constant", async () => {
      const all = await checks();
      for (const [name, columns] of Object.entries(FROM_LIMITS)) {
        const definition = all.get(name);
        expect(definition, `CHECK ${name} is missing`).toBeDefined();
        const bounds = boundsOf(definition!);
        for (const [column, expected] of Object.entries(columns)) {
          expect(bounds[column], `${name}: ${column} in ${definition}`).toEqual(expected);
        }
      }
    });

    it("knows every CHECK that bounds a number, so a new one is compared too", async () => {
      const all = await checks();
      const bounded = [...all].filter(([, definition]) => /(>=|<=)\s*\(?-?\d+/.test(definition)).map(([name]) => name);
      const unknown = bounded.filter((name) => !(name in FROM_LIMITS) && !NOT_FROM_LIMITS.has(name));
      expect(unknown).toEqual([]);
    });
  });
}
