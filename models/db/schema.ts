import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  type ReferenceConfig,
  customType,
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => instant("created_at").notNull().defaultNow();
/** A NOT NULL foreign key to `target`'s serial id. */
const requiredRef = (name: string, target: ReferenceConfig["ref"], actions?: ReferenceConfig["actions"]) =>
  integer(name).notNull().references(target, actions);

export const stations = pgTable(
  "stations",
  {
    id: serial("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    timeZone: text("time_zone").notNull().default("Asia/Shanghai"),
    // The most rostered hours per person per week, in minutes, unless a person has their own.
    maxWeeklyShiftMinutes: integer("max_weekly_shift_minutes").notNull().default(720),
    // How to reach the station without the web (every "不方便上网？" hint shows them); null until an admin sets them.
    phone: text("phone"),
    address: text("address"),
    // Retention (ADR 23), in days: mail bodies and addresses; login and audit detail; walk-in
    // people (no account) with no activity, who are then anonymised. RETENTION in models/limits.ts.
    retentionMailDays: integer("retention_mail_days").notNull().default(90),
    retentionDetailDays: integer("retention_detail_days").notNull().default(730),
    retentionWalkInDays: integer("retention_walk_in_days").notNull().default(1095),
    createdAt: createdAt(),
  },
  (t) => [
    check("stations_retention_mail", sql`${t.retentionMailDays} between 7 and 3650`),
    check("stations_retention_detail", sql`${t.retentionDetailDays} between 30 and 3650`),
    check("stations_retention_walk_in", sql`${t.retentionWalkInDays} between 365 and 3650`),
    // TEXT.phone, TEXT.address (models/limits.ts)
    check("stations_phone_len", sql`${t.phone} is null or char_length(${t.phone}) between 1 and 20`),
    check("stations_address_len", sql`${t.address} is null or char_length(${t.address}) between 1 and 200`),
  ],
);

// ---------------------------------------------------------------- organisation net

export const households = pgTable(
  "households",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    label: text("label").notNull(),
    address: text("address"),
    // The household's fixed-line phone, kept as digits (and +, -) like people's phones.
    landline: text("landline"),
    // The association member who looks after this household (会员联系户).
    caretakerId: integer("caretaker_id").references((): AnyPgColumn => people.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("households_station_idx").on(t.stationId),
    index("households_caretaker_idx").on(t.caretakerId),
    // TEXT.household, TEXT.address, TEXT.phone (models/limits.ts)
    check("households_label_len", sql`char_length(${t.label}) between 1 and 200`),
    check("households_address_len", sql`${t.address} is null or char_length(${t.address}) between 1 and 200`),
    check("households_landline_len", sql`${t.landline} is null or char_length(${t.landline}) between 1 and 20`),
  ],
);

/**
 * A household's agreement that its caretaker acts for it (book, cancel, see needs): when, who
 * recorded it, how it was given; withdrawn, it stays as history. At most one is in force per
 * household (ADR 19); without one the caretaker sees the names only.
 */
export const householdConsents = pgTable(
  "household_consents",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    householdId: requiredRef("household_id", () => households.id, { onDelete: "cascade" }),
    // The member the household agreed to: a new caretaker needs the household's word again.
    caretakerId: integer("caretaker_id").references(() => people.id, { onDelete: "set null" }),
    method: text("method").notNull(),
    givenAt: instant("given_at").notNull().defaultNow(),
    recordedBy: integer("recorded_by").references(() => people.id, { onDelete: "set null" }),
    withdrawnAt: instant("withdrawn_at"),
    withdrawnBy: integer("withdrawn_by").references(() => people.id, { onDelete: "set null" }),
    // The version of the caretaker_care text (models/privacy/purposes.ts) the household agreed to (ADR 22).
    textVersion: smallint("text_version").notNull().default(1),
  },
  (t) => [
    index("household_consents_station_idx").on(t.stationId),
    uniqueIndex("household_consents_active_uq")
      .on(t.householdId)
      .where(sql`${t.withdrawnAt} is null`),
    index("household_consents_household_idx").on(t.householdId, t.givenAt),
    check("household_consents_method", sql`${t.method} in ('in_person', 'phone', 'paper')`),
    check("household_consents_order", sql`${t.withdrawnAt} is null or ${t.withdrawnAt} >= ${t.givenAt}`),
  ],
);

/** A person is not an account: many residents never log in, others act for them. */
export const people = pgTable(
  "people",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    fullName: text("full_name").notNull(),
    phone: text("phone"),
    email: text("email"),
    birthYear: smallint("birth_year"),
    householdId: integer("household_id").references(() => households.id, { onDelete: "set null" }),
    // Sensitive: wheelchair, hearing aid ... shown to staff only, never in feeds, mails or logs.
    needs: text("needs"),
    // The language mail to this person is written in.
    locale: text("locale").notNull().default("zh-CN"),
    // Notification kinds this person chose not to receive (account page, one-click unsubscribe).
    mailOptOuts: text("mail_opt_outs")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // This person's own weekly maximum of rostered minutes (null: the station's).
    maxWeeklyShiftMinutes: integer("max_weekly_shift_minutes"),
    // Erased (ADR 23): the row stays, anonymous, so the figures keep counting it; a second erasure is "not found".
    erasedAt: instant("erased_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("people_station_idx").on(t.stationId),
    check("people_locale", sql`${t.locale} in ('zh-CN', 'en')`),
    index("people_household_idx").on(t.householdId),
    check("people_name_len", sql`char_length(${t.fullName}) between 1 and 100`),
    check("people_birth_year", sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`),
  ],
);

/**
 * A person's consent to one purpose (booking_reminders, health_needs, mail; caretaker_care is
 * the household's consent above): which version of the text, how it was given ("online" by the
 * person on their account page; in person, by phone or on paper when staff or their caretaker
 * record it), who recorded it and when; withdrawn, it stays as history (ADR 22). One in force
 * per person and purpose, held by the partial unique index.
 */
export const personConsents = pgTable(
  "person_consents",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    version: smallint("version").notNull(),
    method: text("method").notNull(),
    givenAt: instant("given_at").notNull().defaultNow(),
    recordedBy: integer("recorded_by").references(() => people.id, { onDelete: "set null" }),
    withdrawnAt: instant("withdrawn_at"),
    withdrawnBy: integer("withdrawn_by").references(() => people.id, { onDelete: "set null" }),
    withdrawMethod: text("withdraw_method"),
  },
  (t) => [
    index("person_consents_station_idx").on(t.stationId),
    index("person_consents_person_idx").on(t.personId, t.givenAt),
    uniqueIndex("person_consents_active_uq")
      .on(t.personId, t.purpose)
      .where(sql`${t.withdrawnAt} is null`),
    check("person_consents_purpose", sql`${t.purpose} in ('booking_reminders', 'health_needs', 'mail')`),
    check("person_consents_method", sql`${t.method} in ('online', 'in_person', 'phone', 'paper')`),
    check(
      "person_consents_withdrawn",
      sql`(${t.withdrawnAt} is null) = (${t.withdrawMethod} is null) and (${t.withdrawMethod} is null or ${t.withdrawMethod} in ('online', 'in_person', 'phone', 'paper'))`,
    ),
    check("person_consents_order", sql`${t.withdrawnAt} is null or ${t.withdrawnAt} >= ${t.givenAt}`),
    check("person_consents_version", sql`${t.version} >= 1`),
  ],
);

/**
 * Who looked at a person's sensitive details (needs, a consultation topic) on which page and
 * when: one compact row per person shown, written in one insert per page view (ADR 22). The
 * person's 我的数据 lists them.
 */
export const sensitiveViews = pgTable(
  "sensitive_views",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    viewerAccountId: integer("viewer_account_id").references(() => accounts.id, { onDelete: "set null" }),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    page: text("page").notNull(),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [
    index("sensitive_views_person_idx").on(t.personId, t.at),
    index("sensitive_views_station_at_idx").on(t.stationId, t.at),
    check("sensitive_views_kind", sql`${t.kind} in ('needs', 'topic')`),
    check("sensitive_views_page", sql`char_length(${t.page}) between 1 and 40`),
  ],
);

export const serviceGroups = pgTable("service_groups", {
  id: serial("id").primaryKey(),
  stationId: requiredRef("station_id", () => stations.id),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
});

export const serviceGroupMembers = pgTable(
  "service_group_members",
  {
    groupId: requiredRef("group_id", () => serviceGroups.id, { onDelete: "cascade" }),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.personId] }), index("sgm_person_idx").on(t.personId)],
);

// ---------------------------------------------------------------- accounts and roles

export const roleEnum = pgEnum("role", ["resident", "volunteer", "doctor", "coordinator", "admin"]);

/**
 * An account signs in with its email, its mainland mobile number, or either (ADR 21): each is
 * unique over all accounts, and at least one is set. The password may be missing: an account
 * made at the front desk signs in with a one-time code until its owner sets one.
 */
export const accounts = pgTable(
  "accounts",
  {
    id: serial("id").primaryKey(),
    email: text("email").unique(),
    // Eleven digits as models/auth.ts normaliseMobile writes them; a landline stays in people.phone.
    phone: text("phone").unique(),
    passwordHash: text("password_hash"),
    personId: integer("person_id")
      .notNull()
      .unique()
      .references(() => people.id),
    // Closed by an erasure (ADR 23): no sign-in name, no password, no sessions or tokens; the row
    // stays because bookings and the audit log name it as the one who acted.
    closedAt: instant("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("accounts_email_lower", sql`${t.email} = lower(${t.email})`),
    check("accounts_phone_mobile", sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    check("accounts_email_or_phone", sql`${t.closedAt} is not null or ${t.email} is not null or ${t.phone} is not null`),
  ],
);

/**
 * One-time sign-in codes handed over at the desk (models/sign-in-codes.ts). Only the code's
 * SHA-256 is kept; a code is used once, expires, and a new one voids the one before: at most
 * one live code per account, held by the partial unique index.
 */
export const signInCodes = pgTable(
  "sign_in_codes",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    accountId: requiredRef("account_id", () => accounts.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    issuedByAccountId: integer("issued_by_account_id").references((): AnyPgColumn => accounts.id),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    voidedAt: instant("voided_at"),
  },
  (t) => [
    uniqueIndex("sign_in_codes_live")
      .on(t.accountId)
      .where(sql`${t.usedAt} is null and ${t.voidedAt} is null`),
    index("sign_in_codes_station_idx").on(t.stationId),
  ],
);

export const stationRoles = pgTable(
  "station_roles",
  {
    accountId: requiredRef("account_id", () => accounts.id, { onDelete: "cascade" }),
    stationId: requiredRef("station_id", () => stations.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.stationId, t.role] })],
);

/** Login sessions. The id is the SHA-256 of the cookie token, so a leaked table grants nothing. */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    accountId: requiredRef("account_id", () => accounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("auth_sessions_account_idx").on(t.accountId)],
);

/**
 * Counters of rate-limiter-flexible's RateLimiterDrizzle (models/rate-limits.ts): one row per
 * limited key (sign-in attempts per address, per account, per account and address;
 * registrations per address, email, phone), bumped in one upsert, so the limits hold across
 * app instances and parallel requests. Keys never hold a password; expired rows are pruned.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull(),
    expire: instant("expire"),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);

// ---------------------------------------------------------------- service net: calendar

export const categories = pgTable(
  "categories",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    slug: text("slug").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    color: text("color").notNull().default("#1d4ed8"),
    sortOrder: integer("sort_order").notNull().default(100),
  },
  (t) => [
    uniqueIndex("categories_station_slug").on(t.stationId, t.slug),
    check("categories_slug_format", sql`${t.slug} ~ '^[a-z0-9-]{1,40}$'`),
    check("categories_color_format", sql`${t.color} ~ '^#[0-9a-f]{6}$'`),
  ],
);

/** An activity is a series (RRULE) or a one-off; its sessions are materialised rows. */
export const activities = pgTable(
  "activities",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    categoryId: requiredRef("category_id", () => categories.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    location: text("location").notNull().default(""),
    leader: text("leader").notNull().default(""),
    capacity: integer("capacity").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    // Signup rules: a party brings companions (a grandchild); the window opens N days and
    // closes M minutes before the start; cancelling is possible until D minutes before.
    maxPartySize: integer("max_party_size").notNull().default(1),
    signupOpensDays: integer("signup_opens_days").notNull().default(14),
    signupClosesMinutes: integer("signup_closes_minutes").notNull().default(60),
    cancelDeadlineMinutes: integer("cancel_deadline_minutes").notNull().default(120),
    // Reminder mail N minutes before each session (0: none), and an optional one on the day.
    reminderMinutes: integer("reminder_minutes").notNull().default(1440),
    remindDayOf: boolean("remind_day_of").notNull().default(false),
    startDate: date("start_date", { mode: "string" }).notNull(),
    startTime: text("start_time").notNull(),
    rrule: text("rrule"),
    exdates: date("exdates", { mode: "string" })
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    // Sessions exist as rows up to this instant; the horizon job extends it.
    materializedUntil: instant("materialized_until"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("activities_station_idx").on(t.stationId),
    check("activities_capacity", sql`${t.capacity} between 0 and 10000`),
    check("activities_duration", sql`${t.durationMinutes} between 5 and 1440`),
    check("activities_start_time", sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    check("activities_title_len", sql`char_length(${t.title}) between 1 and 120`),
    check("activities_party", sql`${t.maxPartySize} between 1 and 10`),
    check("activities_signup_window", sql`${t.signupOpensDays} between 0 and 365 and ${t.signupClosesMinutes} between 0 and 10080`),
    check("activities_cancel_deadline", sql`${t.cancelDeadlineMinutes} between 0 and 10080`),
    check("activities_reminder", sql`${t.reminderMinutes} between 0 and 10080`),
  ],
);

export const sessionStatusEnum = pgEnum("session_status", ["scheduled", "cancelled"]);

export const sessions = pgTable(
  "sessions",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    activityId: requiredRef("activity_id", () => activities.id, { onDelete: "cascade" }),
    // The local date the series placed this occurrence on: its identity when the series is edited.
    occurrenceKey: text("occurrence_key").notNull(),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    // True once a coordinator moved this one session: series edits then leave its time alone.
    moved: boolean("moved").notNull().default(false),
    // The places of this session, copied from the activity unless a coordinator set its own.
    capacity: integer("capacity").notNull(),
    capacityOverridden: boolean("capacity_overridden").notNull().default(false),
    // Confirmed people. Taken together with the signup, in one conditional UPDATE; the
    // CHECK below makes overbooking impossible whatever the application does.
    taken: integer("taken").notNull().default(0),
    // Arrival numbers for this session's signups, handed out under the row lock, so they
    // follow commit order.
    signupSeq: integer("signup_seq").notNull().default(0),
    // Parties on the waitlist, kept under the same lock: a new waitlisted signup's position
    // is this count, with no query over the signups.
    waitlistedParties: integer("waitlisted_parties").notNull().default(0),
    location: text("location"),
    status: sessionStatusEnum("status").notNull().default("scheduled"),
    // iCalendar SEQUENCE: rises on every change a subscriber must see (time, place, cancellation).
    sequence: integer("sequence").notNull().default(0),
    // "结束签到": once set, confirmed people not checked in were made no-shows, and only staff may still check in.
    checkinClosedAt: instant("checkin_closed_at"),
    checkinClosedByAccountId: integer("checkin_closed_by_account_id").references((): AnyPgColumn => accounts.id),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sessions_activity_occurrence").on(t.activityId, t.occurrenceKey),
    index("sessions_station_start_idx").on(t.stationId, t.startsAt),
    check("sessions_time_order", sql`${t.endsAt} > ${t.startsAt}`),
    check("sessions_capacity", sql`${t.capacity} between 0 and 10000`),
    check("sessions_taken", sql`${t.taken} >= 0 and ${t.taken} <= ${t.capacity}`),
    check("sessions_waitlisted", sql`${t.waitlistedParties} >= 0`),
  ],
);

/**
 * A counter per station that the database itself bumps, by triggers (migration 0008), in the
 * same transaction as any change a calendar or session page shows: a session added, moved,
 * cancelled or re-sized, a place taken or freed, an activity or category edited. Caches of
 * those pages keep the version they were built at and are good while it is unchanged, on
 * every server instance at once (models/calendar-cache.ts). No foreign key: a station's rows
 * are deleted by cascades whose triggers still bump it.
 */
export const calendarVersions = pgTable("calendar_versions", {
  stationId: integer("station_id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

// ---------------------------------------------------------------- signups

export const attendanceEnum = pgEnum("attendance", ["attended", "no_show", "no_show_excused"]);
export const signupStatusEnum = pgEnum("signup_status", ["confirmed", "waitlisted", "cancelled"]);

export const signups = pgTable(
  "signups",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    sessionId: requiredRef("session_id", () => sessions.id),
    personId: requiredRef("person_id", () => people.id),
    partySize: integer("party_size").notNull(),
    status: signupStatusEnum("status").notNull(),
    // Arrival order within the session (sessions.signup_seq at the time).
    seq: integer("seq").notNull(),
    // Who made the booking: the person's own account, a coordinator, a caretaker.
    bookedByAccountId: integer("booked_by_account_id").references(() => accounts.id),
    createdAt: createdAt(),
    confirmedAt: instant("confirmed_at"),
    cancelledAt: instant("cancelled_at"),
    cancelledByAccountId: integer("cancelled_by_account_id").references(() => accounts.id),
    // Registered at the door (a walk-in, or someone promoted off the waitlist by checking in):
    // such a signup takes no booked place (`sessions.taken`), so staff can seat people past the capacity.
    walkIn: boolean("walk_in").notNull().default(false),
    // Who came: attended (with how many of the party), no-show, or excused no-show with a reason.
    attendance: attendanceEnum("attendance"),
    attendedCount: integer("attended_count"),
    attendanceReason: text("attendance_reason"),
    // When and by whom the attendance was last set (for "attended": the check-in).
    attendanceAt: instant("attendance_at"),
    attendanceByAccountId: integer("attendance_by_account_id").references(() => accounts.id),
  },
  (t) => [
    // One active signup per person per session, held by the engine.
    uniqueIndex("signups_one_active")
      .on(t.sessionId, t.personId)
      .where(sql`${t.status} <> 'cancelled'`),
    uniqueIndex("signups_session_seq").on(t.sessionId, t.seq),
    index("signups_person_idx").on(t.personId),
    index("signups_waitlist_idx")
      .on(t.sessionId, t.seq)
      .where(sql`${t.status} = 'waitlisted'`),
    check("signups_party", sql`${t.partySize} between 1 and 10`),
    // Only a confirmed signup has an attendance; "attended" says how many came, and only an excused no-show has a reason.
    check("signups_attendance_confirmed", sql`${t.attendance} is null or ${t.status} = 'confirmed'`),
    check(
      "signups_attended_count",
      sql`coalesce(${t.attendance} = 'attended', false) = (${t.attendedCount} is not null) and (${t.attendedCount} is null or ${t.attendedCount} between 1 and ${t.partySize})`,
    ),
    check(
      "signups_attendance_reason",
      sql`coalesce(${t.attendance} = 'no_show_excused', false) = (${t.attendanceReason} is not null) and (${t.attendanceReason} is null or char_length(${t.attendanceReason}) between 1 and 200)`,
    ),
    check("signups_attendance_at", sql`(${t.attendance} is null) = (${t.attendanceAt} is null)`),
    // The no-show count over 90 days, per person.
    index("signups_person_noshow_idx")
      .on(t.personId)
      .where(sql`${t.attendance} = 'no_show'`),
  ],
);

// ---------------------------------------------------------------- audit

/** Append-only: who did what to what, and when. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    actorAccountId: integer("actor_account_id").references(() => accounts.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: integer("target_id"),
    details: jsonb("details").notNull().default({}),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_station_at_idx").on(t.stationId, t.at)],
);

/**
 * One row per station and local day of the retention job (ADR 23): inserting it is the claim, in
 * the same transaction as the work, so a second worker (or a second tick) that day waits for the
 * first to commit and then finds the day taken. What it did is kept as counts for the admin page.
 */
export const retentionRuns = pgTable(
  "retention_runs",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id, { onDelete: "cascade" }),
    runDay: date("run_day", { mode: "string" }).notNull(),
    startedAt: instant("started_at").notNull().defaultNow(),
    finishedAt: instant("finished_at"),
    counts: jsonb("counts").notNull().default({}),
  },
  (t) => [uniqueIndex("retention_runs_station_day").on(t.stationId, t.runDay)],
);

// ---------------------------------------------------------------- API tokens

/**
 * Bearer tokens for the JSON API (a kiosk, a mini-program). Like login sessions, only the
 * SHA-256 of the token is kept, so a leaked table grants nothing; the token is shown once.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    accountId: requiredRef("account_id", () => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    index("api_tokens_account_idx").on(t.accountId),
    check("api_tokens_name_len", sql`char_length(${t.name}) between 1 and 60`),
    check("api_tokens_hash_format", sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * Secret links to an account's personal calendar feed. Only the SHA-256 of the token is
 * kept; at most one live link per account, held by the engine.
 */
export const feedTokens = pgTable(
  "feed_tokens",
  {
    id: serial("id").primaryKey(),
    accountId: requiredRef("account_id", () => accounts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    uniqueIndex("feed_tokens_one_live")
      .on(t.accountId)
      .where(sql`${t.revokedAt} is null`),
    check("feed_tokens_hash_format", sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

// ---------------------------------------------------------------- notifications

// The mail kinds in groups that share their texts (models/notifications/catalog.ts builds the
// subjects and leads per group). The enum's order is the database's: add at the end.
export const SIGNUP_MAIL_KINDS = [
  "signup_confirmed",
  "signup_waitlisted",
  "signup_promoted",
  "signup_cancelled",
  "signup_cancelled_by_staff",
  "reminder",
  "reminder_day_of",
  "session_changed",
  "session_cancelled",
] as const;
export const SHIFT_MAIL_KINDS = ["shift_assigned", "shift_changed", "shift_cancelled", "shift_reminder"] as const;
// One-to-one consultations (ADR 18): to the client and to the provider, never with the topic;
// the reminder the day before, to the client only.
export const CONSULTATION_MAIL_KINDS = ["consultation_booked", "consultation_cancelled", "consultation_reminder"] as const;

export const NOTIFICATION_KINDS = [
  ...SIGNUP_MAIL_KINDS,
  ...SHIFT_MAIL_KINDS,
  // Registration's answer by mail (models/registration.ts): a welcome, or "you already have an account".
  "account_welcome",
  "account_exists",
  ...CONSULTATION_MAIL_KINDS,
  // A freed slot held for the first on the waitlist (ADR 26): "咨询空位", time and place.
  "consultation_offer",
  // That slot is no longer one of the provider's hours: the offer mailed is off, their place kept.
  "consultation_offer_withdrawn",
  // To the coordinators: an erased caretaker's households have nobody now (a count, no name).
  "households_unassigned",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationStatusEnum = pgEnum("notification_status", ["pending", "sent", "failed", "cancelled", "skipped"]);

/**
 * One mail to send, written in the same transaction as its cause (a signup, a move, a
 * cancellation), so a cause never loses its mail and a rolled-back cause sends none. The
 * dedupe key makes writing it twice harmless; workers claim due rows with SKIP LOCKED and a
 * lease, so several workers never send one row twice, and a worker killed mid-send leaves the
 * row to be claimed again when the lease ends.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    kind: text("kind").$type<NotificationKind>().notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    // Whom the mail is about; the recipient (the person, or their booker) is decided at send time.
    personId: requiredRef("person_id", () => people.id),
    signupId: integer("signup_id").references(() => signups.id),
    sessionId: integer("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    assignmentId: integer("assignment_id").references((): AnyPgColumn => assignments.id),
    consultationId: integer("consultation_id").references((): AnyPgColumn => consultations.id),
    // What the mail must say that the rows will no longer tell (the old time of a moved session).
    payload: jsonb("payload").notNull().default({}),
    dueAt: instant("due_at").notNull(),
    // After this the mail is no use (a reminder after the start): the worker gives up on it.
    expiresAt: instant("expires_at").notNull(),
    status: notificationStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    claimedUntil: instant("claimed_until"),
    sentAt: instant("sent_at"),
    lastError: text("last_error"),
    // Who receives it: the person, or their booker when the person has no address (set at send).
    recipientPersonId: integer("recipient_person_id").references(() => people.id),
    // Where it went and under what subject (subjects never carry health or child data), and
    // "smtp" or "outbox".
    recipient: text("recipient"),
    subject: text("subject"),
    transport: text("transport"),
    // The one-click unsubscribe link's secret (RFC 8058): stops this kind for the recipient.
    unsubscribeToken: text("unsubscribe_token")
      .notNull()
      .default(sql`replace(gen_random_uuid()::text, '-', '')`),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("notifications_dedupe").on(t.dedupeKey),
    uniqueIndex("notifications_unsubscribe").on(t.unsubscribeToken),
    index("notifications_due_idx")
      .on(t.dueAt)
      .where(sql`${t.status} = 'pending'`),
    index("notifications_signup_idx").on(t.signupId),
    index("notifications_session_idx").on(t.sessionId),
    index("notifications_station_created_idx").on(t.stationId, t.createdAt),
    check("notifications_attempts", sql`${t.attempts} >= 0`),
  ],
);

// ---------------------------------------------------------------- rosters

/** A PostgreSQL tstzrange, as its text form ('[2026-12-01 08:00+08,2026-12-01 10:00+08)'). */
const tstzrange = customType<{ data: string; driverData: string }>({ dataType: () => "tstzrange" });
const int4range = customType<{ data: string; driverData: string }>({ dataType: () => "int4range" });

/** Doctor, nurse, blood-pressure measurement, tai chi leader …; admins edit the list. */
export const skills = pgTable(
  "skills",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    slug: text("slug").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    // A restricted skill (doctor, nurse) counts only once a coordinator has confirmed it.
    restricted: boolean("restricted").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(100),
  },
  (t) => [uniqueIndex("skills_station_slug").on(t.stationId, t.slug), check("skills_slug_format", sql`${t.slug} ~ '^[a-z0-9-]{1,40}$'`)],
);

export const personSkills = pgTable(
  "person_skills",
  {
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    skillId: requiredRef("skill_id", () => skills.id, { onDelete: "cascade" }),
    // A doctor's specialty (内科, 中医 …); empty for other skills.
    specialty: text("specialty").notNull().default(""),
    confirmedAt: instant("confirmed_at"),
    confirmedByAccountId: integer("confirmed_by_account_id").references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.skillId] }), index("person_skills_skill_idx").on(t.skillId)],
);

/**
 * A roster need: so many people with a skill. Declared on a series (every occurrence inherits
 * it) or on one session; the shift runs from the session's start minus the set-up minutes to
 * its end plus the clear-up minutes.
 */
export const rosterNeeds = pgTable(
  "roster_needs",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    activityId: integer("activity_id").references(() => activities.id, { onDelete: "cascade" }),
    sessionId: integer("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    skillId: requiredRef("skill_id", () => skills.id),
    headCount: integer("head_count").notNull(),
    startOffsetMinutes: integer("start_offset_minutes").notNull().default(0),
    endOffsetMinutes: integer("end_offset_minutes").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("roster_needs_activity_idx").on(t.activityId),
    index("roster_needs_session_idx").on(t.sessionId),
    check("roster_needs_owner", sql`(${t.activityId} is null) <> (${t.sessionId} is null)`),
    check("roster_needs_head_count", sql`${t.headCount} between 1 and 50`),
    check("roster_needs_offsets", sql`${t.startOffsetMinutes} between 0 and 240 and ${t.endOffsetMinutes} between 0 and 240`),
  ],
);

export const assignmentStatusEnum = pgEnum("assignment_status", ["proposed", "confirmed", "declined", "cancelled"]);

/**
 * A person on a shift: one need of one session. `during` is the shift's time, copied from the
 * session and the need's offsets, so that the engine itself refuses a person's overlapping
 * active assignments (an EXCLUDE constraint in the migration, not expressible here).
 */
export const assignments = pgTable(
  "assignments",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    needId: requiredRef("need_id", () => rosterNeeds.id),
    sessionId: requiredRef("session_id", () => sessions.id),
    personId: requiredRef("person_id", () => people.id),
    during: tstzrange("during").notNull(),
    status: assignmentStatusEnum("status").notNull(),
    attendance: attendanceEnum("attendance"),
    assignedByAccountId: integer("assigned_by_account_id").references(() => accounts.id),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("assignments_one_active")
      .on(t.needId, t.sessionId, t.personId)
      .where(sql`${t.status} in ('proposed', 'confirmed')`),
    index("assignments_session_idx").on(t.sessionId),
    index("assignments_person_idx").on(t.personId),
  ],
);

// ---------------------------------------------------------------- commitments

// attending: a confirmed signup; shift: a roster assignment; consultation: having one (the
// client); consulting: giving one (the provider); hours: a day's stretch of a provider's
// consultation hours, given or not (ADR 15, ADR 18, ADR 27).
export const commitmentKindEnum = pgEnum("commitment_kind", ["attending", "shift", "consultation", "consulting", "hours"]);

/**
 * The ledger of a person's committed time (docs/decisions/0015-commitments-ledger.md): one row
 * per confirmed signup of a scheduled session and per active shift, written by triggers in the
 * same statement as its source, so `EXCLUDE USING gist (person_id WITH =, during WITH &&)` (in
 * the migration) refuses any two overlapping commitments of a person, whatever their kinds.
 * Consultations will add their kinds here.
 */
export const commitments = pgTable(
  "commitments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    kind: commitmentKindEnum("kind").notNull(),
    during: tstzrange("during").notNull(),
    signupId: integer("signup_id")
      .unique("commitments_signup_id")
      .references(() => signups.id, { onDelete: "cascade" }),
    assignmentId: integer("assignment_id")
      .unique("commitments_assignment_id")
      .references(() => assignments.id, { onDelete: "cascade" }),
    // A consultation holds two rows: its client's (kind consultation) and its provider's (consulting).
    consultationId: integer("consultation_id").references((): AnyPgColumn => consultations.id, { onDelete: "cascade" }),
    // Hours (ADR 27): one row per local day of weekly hours (materialised to the horizon), or one
    // per extra stretch. Removing the hours or the stretch removes its rows.
    providerHoursId: integer("provider_hours_id").references((): AnyPgColumn => providerHours.id, { onDelete: "cascade" }),
    localDate: date("local_date", { mode: "string" }),
    hoursChangeId: integer("hours_change_id")
      .unique("commitments_hours_change_id")
      .references((): AnyPgColumn => providerHoursChanges.id, { onDelete: "cascade" }),
    // The third term of the exclusion (ADR 27): rows clash only where their layers overlap too.
    // Hours [0,1) and a provider's consultation given [1,2) do not; everything else is [0,2).
    layer: int4range("layer")
      .notNull()
      .default(sql`'[0,2)'::int4range`),
  },
  (t) => [
    uniqueIndex("commitments_consultation_kind").on(t.consultationId, t.kind),
    uniqueIndex("commitments_hours_day").on(t.providerHoursId, t.localDate),
    // Kinds added after 'shift' are named by exclusion: a CHECK may not name an enum value added
    // in the same migration's transaction.
    check(
      "commitments_source",
      sql`(${t.kind} = 'attending' and ${t.signupId} is not null and ${t.assignmentId} is null and ${t.consultationId} is null and ${t.providerHoursId} is null and ${t.hoursChangeId} is null) or (${t.kind} = 'shift' and ${t.assignmentId} is not null and ${t.signupId} is null and ${t.consultationId} is null and ${t.providerHoursId} is null and ${t.hoursChangeId} is null) or (${t.kind} not in ('attending', 'shift') and ${t.consultationId} is not null and ${t.signupId} is null and ${t.assignmentId} is null and ${t.providerHoursId} is null and ${t.hoursChangeId} is null) or (${t.kind} not in ('attending', 'shift') and ${t.signupId} is null and ${t.assignmentId} is null and ${t.consultationId} is null and ((${t.providerHoursId} is not null and ${t.localDate} is not null and ${t.hoursChangeId} is null) or (${t.hoursChangeId} is not null and ${t.providerHoursId} is null)))`,
    ),
    // Hours rows, and only they, are of the lowest layer.
    check(
      "commitments_layer",
      sql`${t.layer} in ('[0,1)', '[1,2)', '[0,2)') and ((${t.providerHoursId} is not null or ${t.hoursChangeId} is not null) = (${t.layer} = '[0,1)'))`,
    ),
    check("commitments_not_empty", sql`not isempty(${t.during})`),
  ],
);

/** Weekly availability in the station's local time (weekday 1 = Monday … 7 = Sunday). */
export const availability = pgTable(
  "availability",
  {
    id: serial("id").primaryKey(),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    weekday: smallint("weekday").notNull(),
    startTime: text("start_time").notNull(),
    endTime: text("end_time").notNull(),
  },
  (t) => [
    index("availability_person_idx").on(t.personId),
    check("availability_weekday", sql`${t.weekday} between 1 and 7`),
    check(
      "availability_times",
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and ${t.endTime} > ${t.startTime}`,
    ),
  ],
);

/** Days a volunteer or doctor cannot come, whatever their weekly availability says. */
export const blackouts = pgTable(
  "blackouts",
  {
    id: serial("id").primaryKey(),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    toDate: date("to_date", { mode: "string" }).notNull(),
  },
  (t) => [index("blackouts_person_idx").on(t.personId), check("blackouts_order", sql`${t.toDate} >= ${t.fromDate}`)],
);

/** Hours a coordinator entered by hand; kept apart from the hours attended shifts credit. */
export const manualHours = pgTable(
  "manual_hours",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    personId: requiredRef("person_id", () => people.id),
    workDate: date("work_date", { mode: "string" }).notNull(),
    minutes: integer("minutes").notNull(),
    note: text("note").notNull().default(""),
    createdByAccountId: integer("created_by_account_id").references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index("manual_hours_person_idx").on(t.personId, t.workDate), check("manual_hours_minutes", sql`${t.minutes} between 1 and 1440`)],
);

// ---------------------------------------------------------------- front desk

/**
 * The key that signs check-in codes, one per station, kept apart from `stations` so that no
 * view that reads a station can carry it. Made at migration time for existing stations and
 * on first use for new ones.
 */
export const stationSecrets = pgTable(
  "station_secrets",
  {
    stationId: integer("station_id")
      .primaryKey()
      .references(() => stations.id, { onDelete: "cascade" }),
    checkinKey: text("checkin_key")
      .notNull()
      .default(sql`replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')`),
    createdAt: createdAt(),
  },
  (t) => [check("station_secrets_key_format", sql`${t.checkinKey} ~ '^[0-9a-f]{64}$'`)],
);

/** Drop-in services counted at the front desk (测血压, 阅览 …); admins keep the list; removing one archives it. */
export const serviceLines = pgTable(
  "service_lines",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    // The line of the monthly return this service is reported under (健康监测, 文体活动 …).
    reportingLine: text("reporting_line").notNull(),
    sortOrder: integer("sort_order").notNull().default(100),
    archivedAt: instant("archived_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("service_lines_station_name")
      .on(t.stationId, t.nameZh)
      .where(sql`${t.archivedAt} is null`),
    check("service_lines_name_len", sql`char_length(${t.nameZh}) between 1 and 40 and char_length(${t.nameEn}) between 1 and 60`),
    check("service_lines_reporting_len", sql`char_length(${t.reportingLine}) between 1 and 40`),
  ],
);

/**
 * Drop-in visits: one row per tap (so concurrent taps never overwrite each other), on the
 * station's local day. No health reading is stored, only that a service was given.
 */
export const visits = pgTable(
  "visits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    serviceLineId: requiredRef("service_line_id", () => serviceLines.id),
    localDay: date("local_day", { mode: "string" }).notNull(),
    count: smallint("count").notNull().default(1),
    personId: integer("person_id").references(() => people.id),
    recordedByAccountId: integer("recorded_by_account_id").references(() => accounts.id),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [
    index("visits_station_day_idx").on(t.stationId, t.localDay),
    index("visits_person_idx")
      .on(t.personId)
      .where(sql`${t.personId} is not null`),
    check("visits_count", sql`${t.count} between 1 and 50`),
  ],
);

// ---------------------------------------------------------------- consultations (ADR 18)

export const consultationKindEnum = pgEnum("consultation_kind", ["legal", "counselling", "family_doctor", "other"]);

/**
 * A one-to-one service (法律援助, 心理咨询, 家庭医生随访): slots of `slot_minutes` cut from its
 * providers' hours, `buffer_minutes` apart, bookable `book_ahead_days` ahead. Its providers are
 * the people who hold `skill_id` (confirmed, when the skill is restricted) and have hours for it.
 */
export const consultationServices = pgTable(
  "consultation_services",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    kind: consultationKindEnum("kind").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    skillId: requiredRef("skill_id", () => skills.id),
    slotMinutes: smallint("slot_minutes").notNull(),
    bufferMinutes: smallint("buffer_minutes").notNull().default(0),
    bookAheadDays: smallint("book_ahead_days").notNull().default(14),
    cancelDeadlineMinutes: integer("cancel_deadline_minutes").notNull().default(120),
    // How many upcoming bookings of this service one person may hold at once.
    maxUpcoming: smallint("max_upcoming").notNull().default(1),
    // How long a slot freed by a cancellation is held for the first on the waitlist (ADR 26).
    holdMinutes: smallint("hold_minutes").notNull().default(120),
    archivedAt: instant("archived_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("consultation_services_station_name")
      .on(t.stationId, t.nameZh)
      .where(sql`${t.archivedAt} is null`),
    check("consultation_services_name_len", sql`char_length(${t.nameZh}) between 1 and 40 and char_length(${t.nameEn}) between 1 and 60`),
    check("consultation_services_slot", sql`${t.slotMinutes} between 10 and 240`),
    check("consultation_services_buffer", sql`${t.bufferMinutes} between 0 and 60`),
    check("consultation_services_ahead", sql`${t.bookAheadDays} between 1 and 90`),
    check("consultation_services_deadline", sql`${t.cancelDeadlineMinutes} between 0 and 10080`),
    check("consultation_services_max", sql`${t.maxUpcoming} between 1 and 10`),
    check("consultation_services_hold", sql`${t.holdMinutes} between 15 and 1440`),
  ],
);

/** A provider's weekly hours for a service, in the station's local time (weekday 1 = Monday … 7 = Sunday). */
export const providerHours = pgTable(
  "provider_hours",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    serviceId: requiredRef("service_id", () => consultationServices.id),
    providerPersonId: requiredRef("provider_person_id", () => people.id),
    weekday: smallint("weekday").notNull(),
    startTime: text("start_time").notNull(),
    endTime: text("end_time").notNull(),
    location: text("location").notNull(),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    untilDate: date("until_date", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("provider_hours_service_idx").on(t.serviceId),
    index("provider_hours_provider_idx").on(t.providerPersonId),
    check("provider_hours_weekday", sql`${t.weekday} between 1 and 7`),
    check(
      "provider_hours_times",
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and ${t.endTime} > ${t.startTime}`,
    ),
    check("provider_hours_dates", sql`${t.untilDate} is null or ${t.untilDate} >= ${t.fromDate}`),
    check("provider_hours_location_len", sql`char_length(${t.location}) between 1 and 100`),
  ],
);

export const hoursChangeKindEnum = pgEnum("hours_change_kind", ["off", "extra"]);

/** An exception to a provider's hours on one local day: a day off, or one extra stretch of hours. */
export const providerHoursChanges = pgTable(
  "provider_hours_changes",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    serviceId: requiredRef("service_id", () => consultationServices.id),
    providerPersonId: requiredRef("provider_person_id", () => people.id),
    localDate: date("local_date", { mode: "string" }).notNull(),
    kind: hoursChangeKindEnum("kind").notNull(),
    // For an extra stretch: its hours and room. A day off has none.
    startTime: text("start_time"),
    endTime: text("end_time"),
    location: text("location"),
    createdAt: createdAt(),
  },
  (t) => [
    index("provider_hours_changes_day_idx").on(t.serviceId, t.localDate),
    check(
      "provider_hours_changes_shape",
      sql`(${t.kind} = 'off' and ${t.startTime} is null and ${t.endTime} is null and ${t.location} is null) or (${t.kind} = 'extra' and ${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.endTime} ~ '^([01][0-9]|2[0-4]):[0-5][0-9]$' and ${t.endTime} > ${t.startTime} and char_length(${t.location}) between 1 and 100)`,
    ),
  ],
);

// held: a freed slot offered to the first on the service's waitlist until `held_until` (ADR 26);
// passed: an offer declined or run out, the slot gone on to the next (or free).
export const consultationStatusEnum = pgEnum("consultation_status", ["booked", "cancelled", "held", "passed"]);

/**
 * A booked slot. The topic is sensitive (ADR 18): only the person, whoever booked for them, the
 * provider and staff read it; it never goes into feeds, mail subjects, logs or the audit log.
 */
export const consultations = pgTable(
  "consultations",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    serviceId: requiredRef("service_id", () => consultationServices.id),
    providerPersonId: requiredRef("provider_person_id", () => people.id),
    personId: requiredRef("person_id", () => people.id),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    location: text("location").notNull(),
    topic: text("topic").notNull().default(""),
    status: consultationStatusEnum("status").notNull().default("booked"),
    attendance: attendanceEnum("attendance"),
    // The provider's own notes: the provider and staff only.
    providerNotes: text("provider_notes").notNull().default(""),
    bookedByAccountId: integer("booked_by_account_id").references(() => accounts.id),
    cancelledAt: instant("cancelled_at"),
    cancelledByAccountId: integer("cancelled_by_account_id").references(() => accounts.id),
    // A held slot (ADR 26): until when, and for which waitlist entry.
    heldUntil: instant("held_until"),
    waitlistEntryId: integer("waitlist_entry_id").references((): AnyPgColumn => consultationWaitlist.id),
    createdAt: createdAt(),
  },
  (t) => [
    // One slot, one booking: a provider's start is taken once while booked or held for the
    // waitlist (a held row always has held_until, so the predicate names no enum value added
    // in the migration that creates it: PostgreSQL refuses that in one transaction).
    uniqueIndex("consultations_one_per_slot")
      .on(t.providerPersonId, t.startsAt)
      .where(sql`${t.status} = 'booked' or ${t.heldUntil} is not null`),
    index("consultations_person_idx").on(t.personId, t.startsAt),
    index("consultations_service_idx").on(t.serviceId, t.startsAt),
    check("consultations_order", sql`${t.endsAt} > ${t.startsAt}`),
    check("consultations_topic_len", sql`char_length(${t.topic}) <= 500`),
    check("consultations_notes_len", sql`char_length(${t.providerNotes}) <= 2000`),
    check("consultations_not_self", sql`${t.personId} <> ${t.providerPersonId}`),
    check("consultations_hold", sql`(${t.status}::text = 'held') = (${t.heldUntil} is not null and ${t.waitlistEntryId} is not null)`),
  ],
);

export const consultationWaitlistStatusEnum = pgEnum("consultation_waitlist_status", ["waiting", "offered", "booked", "left", "lapsed"]);

/**
 * Someone waiting for a slot of a service on the local days [from_date, to_date], optionally
 * with one provider (ADR 26). First in line is the earliest `created_at`. While `offered`, a
 * consultations row `held` for them keeps the slot. One active entry per person and service.
 */
export const consultationWaitlist = pgTable(
  "consultation_waitlist",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    serviceId: requiredRef("service_id", () => consultationServices.id),
    personId: requiredRef("person_id", () => people.id),
    providerPersonId: integer("provider_person_id").references(() => people.id),
    fromDate: date("from_date", { mode: "string" }).notNull(),
    toDate: date("to_date", { mode: "string" }).notNull(),
    status: consultationWaitlistStatusEnum("status").notNull().default("waiting"),
    createdByAccountId: integer("created_by_account_id").references(() => accounts.id),
    createdAt: createdAt(),
    endedAt: instant("ended_at"),
  },
  (t) => [
    uniqueIndex("consultation_waitlist_one_active")
      .on(t.personId, t.serviceId)
      .where(sql`${t.status} in ('waiting', 'offered')`),
    index("consultation_waitlist_line_idx").on(t.serviceId, t.status, t.createdAt),
    check("consultation_waitlist_range", sql`${t.toDate} >= ${t.fromDate}`),
  ],
);

// ---------------------------------------------------------------- the call list (ADR 20)

/**
 * "已电话通知": someone phoned a booked person (one without email of their own) about a
 * session. One mark per person and session; taking it back deletes the row (the audit log
 * keeps both). The not-reached report counts a mark as reached.
 */
export const callMarks = pgTable(
  "call_marks",
  {
    id: serial("id").primaryKey(),
    stationId: requiredRef("station_id", () => stations.id),
    personId: requiredRef("person_id", () => people.id, { onDelete: "cascade" }),
    sessionId: requiredRef("session_id", () => sessions.id, { onDelete: "cascade" }),
    calledAt: instant("called_at").notNull().defaultNow(),
    calledByAccountId: integer("called_by_account_id").references(() => accounts.id),
  },
  (t) => [uniqueIndex("call_marks_person_session").on(t.personId, t.sessionId), index("call_marks_session_idx").on(t.sessionId)],
);
