import crypto from "node:crypto";
import { and, asc, eq, gt, gte, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import ical, { ICalEventStatus } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import type { Db } from "./db";
import { activities, assignments, categories, consultations, rosterNeeds, sessions, signups, skills, stations } from "./db/schema";
import { getConfig } from "./config";
import { NotFound } from "./errors";
import { calendarVersion } from "./calendar-cache";
import { CONSULTATION_CATEGORY_SLUG, publicHours, publicHoursVersion } from "./consultations/public-hours";
import { translator } from "./i18n";
import { selectShifts } from "./rosters/shift-rows";

/**
 * Public iCalendar feeds (RFC 5545 / 7986): the station's calendar and one per category.
 * Only what the public calendar shows goes in: no signups, names, phones or needs.
 */
export interface FeedQuery {
  stationId: number;
  timeZone: string;
  categorySlug?: string;
  now?: Date;
  /** Origin for links back to the session pages (e.g. https://hearth.example); none, no links. */
  baseUrl?: string;
  horizonDays?: number;
}

// Past sessions stay a week so a subscriber still sees last week.
const PAST_DAYS = 7;
// A cancelled session stays as STATUS:CANCELLED for a week after its cancellation (so every
// subscribed calendar has refreshed and struck it out), then drops out of the feed. The
// cancellation's time is sessions.updated_at: the cancel writes it (a later edit of the
// cancelled session restarts the week, which only keeps it a little longer).
const CANCELLED_DAYS = 7;
const DAY_MS = 86_400_000;
const TTL_SECONDS = 3600;
// Bump when the feed's shape changes, so cached copies and client ETags are dropped.
const FEED_VERSION = "2";
// The feeds' words, in the station's language (a calendar app asks for none): models/i18n/parts/feeds.ts.
const t = translator("zh-CN");
const cancelledSummary = (summary: string) => t("feed.cancelled", { summary });

function windowOf(query: FeedQuery) {
  const today = DateTime.fromJSDate(query.now ?? new Date(), { zone: query.timeZone }).startOf("day");
  const horizon = query.horizonDays ?? getConfig().CALENDAR_HORIZON_DAYS;
  return {
    day: today.toISODate()!,
    from: today.minus({ days: PAST_DAYS }).toJSDate(),
    to: today.plus({ days: horizon + 1 }).toJSDate(),
    lastDay: today.plus({ days: horizon }).toISODate()!,
  };
}

/**
 * Consultations' open hours go in the whole calendar's feed and the 咨询 category's, as the
 * calendar page shows them: from today on (past hours were never bookable), no names.
 */
const showsHours = (query: FeedQuery) => !query.categorySlug || query.categorySlug === CONSULTATION_CATEGORY_SLUG;

function filtersOf(query: FeedQuery, window: { from: Date; to: Date }) {
  const filters = [eq(sessions.stationId, query.stationId), gte(sessions.startsAt, window.from), lt(sessions.startsAt, window.to)];
  if (query.categorySlug) filters.push(eq(categories.slug, query.categorySlug));
  return filters;
}

/** The instant before which a cancellation has dropped out of the feeds. */
const cancelCutoff = (now: Date) => new Date(now.getTime() - CANCELLED_DAYS * DAY_MS);

/** A session the feeds still show: scheduled, or cancelled less than a week ago. */
function shown(now: Date): SQL {
  return or(ne(sessions.status, "cancelled"), gt(sessions.updatedAt, cancelCutoff(now)))!;
}

/**
 * When a session last changed what the feed shows of it: its (or its activity's) last edit
 * while shown, and the moment it dropped out once its cancellation is a week old. So the
 * newest of these rises, and the ETag and Last-Modified change, when a session drops out.
 */
function changedAt(now: Date, edited: SQL): SQL {
  return sql`case when ${sessions.status} = 'cancelled' and ${sessions.updatedAt} <= ${cancelCutoff(now)}
    then ${sessions.updatedAt} + ${sql.raw(`interval '${CANCELLED_DAYS} days'`)} else ${edited} end`;
}

export interface FeedVersion {
  etag: string;
  /** The newest change among the feed's sessions (and their activities); null when empty. */
  lastModified: Date | null;
}

/**
 * What identifies the feed's content, from one aggregate query: the newest change of a
 * session or its activity in the window, the number of sessions (a deletion lowers it), the
 * window's day, the station and category. A 304 needs nothing more than this.
 * Throws NotFound for a category slug the station does not have.
 */
export async function feedVersion(db: Db, query: FeedQuery): Promise<FeedVersion> {
  const window = windowOf(query);
  const now = query.now ?? new Date();
  const newest = sql`max(${changedAt(now, sql`greatest(${sessions.updatedAt}, ${activities.updatedAt})`)})`;
  const hours = showsHours(query) ? publicHoursVersion(db, { stationId: query.stationId, fromDate: window.day, toDate: window.lastDay }) : null;
  const [row] = await db
    .select({
      last: sql<string | null>`${newest}::text`,
      lastMs: sql<string | null>`(extract(epoch from ${newest}) * 1000)::bigint::text`,
      count: sql<number>`(count(*) filter (where ${shown(now)}))::int`,
      categoryKnown: query.categorySlug
        ? sql<boolean>`exists (select 1 from ${categories} c where c.station_id = ${query.stationId} and c.slug = ${query.categorySlug})`
        : sql<boolean>`true`,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...filtersOf(query, window)));
  const hoursVersion = await hours;
  if (!row?.categoryKnown) throw new NotFound("category");
  const key = [
    FEED_VERSION,
    query.stationId,
    query.categorySlug ?? "*",
    window.day,
    query.baseUrl ?? "",
    row.last ?? "-",
    row.count,
    hoursVersion?.digest ?? "-",
  ].join("|");
  const sessionsChanged = row.lastMs ? Number(row.lastMs) : 0;
  const lastMs = Math.max(sessionsChanged, hoursVersion?.lastModified?.getTime() ?? 0);
  return {
    etag: `"feed-${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`,
    lastModified: lastMs > 0 ? new Date(lastMs) : null,
  };
}

/**
 * The public feed's version, for a calendar app polling: the aggregate query above reads the
 * whole window (6 ms for 1,000 sessions on PGlite), so its answer is reused while the station's
 * calendar version (models/calendar-cache.ts: bumped by the database with every change a feed
 * shows, on every instance) is unchanged, for at most two seconds (what changes with time
 * alone: the day, a cancellation a week old dropping out). `now` is the instant it describes:
 * build the body at that instant too.
 */
const VERSION_REUSE_MS = 2000;
const recentVersions = new WeakMap<Db, Map<string, { calendar: number; now: Date; version: FeedVersion }>>();

export async function recentFeedVersion(db: Db, query: Omit<FeedQuery, "now">): Promise<{ version: FeedVersion; now: Date }> {
  const calendar = await calendarVersion(db, query.stationId);
  const key = [query.stationId, query.timeZone, query.categorySlug ?? "*", query.baseUrl ?? "", query.horizonDays ?? ""].join("|");
  let memo = recentVersions.get(db);
  if (!memo) recentVersions.set(db, (memo = new Map()));
  const hit = memo.get(key);
  if (hit && hit.calendar === calendar && Date.now() - hit.now.getTime() < VERSION_REUSE_MS) return hit;
  const now = new Date();
  const version = await feedVersion(db, { ...query, now });
  if (memo.size >= MAX_CACHED) memo.delete(memo.keys().next().value!);
  memo.set(key, { calendar, now, version });
  return { version, now };
}

/**
 * What one VEVENT needs of a session, for the public and the personal feeds alike. Its
 * activity's words (title, description, place, category) come from `withActivities`, one row
 * per activity: selected per session they crossed PGlite's boundary a thousand times over,
 * a third of the query's time for a 1,000-event feed (docs/benchmarks.md).
 */
const sessionColumns = {
  id: sessions.id,
  activityId: sessions.activityId,
  startsAt: sessions.startsAt,
  endsAt: sessions.endsAt,
  status: sessions.status,
  sequence: sessions.sequence,
  updatedAt: sessions.updatedAt,
  ownLocation: sessions.location,
};

interface SessionPart {
  id: number;
  activityId: number;
  startsAt: Date;
  endsAt: Date;
  status: string;
  sequence: number;
  updatedAt: Date;
  ownLocation: string | null;
}

/** The session rows completed with their activities' words, in the sessions' order. */
async function withActivities<T extends SessionPart>(db: Db, rows: T[]): Promise<Array<T & EventRow>> {
  if (rows.length === 0) return [];
  const parts = await db
    .select({
      id: activities.id,
      updatedAt: activities.updatedAt,
      title: activities.title,
      description: activities.description,
      location: activities.location,
      categoryNameZh: categories.nameZh,
    })
    .from(activities)
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(inArray(activities.id, [...new Set(rows.map((r) => r.activityId))]));
  const byId = new Map(parts.map((a) => [a.id, a]));
  return rows.map((row) => {
    const activity = byId.get(row.activityId)!;
    return {
      ...row,
      updatedAt: row.updatedAt > activity.updatedAt ? row.updatedAt : activity.updatedAt,
      title: activity.title,
      description: activity.description,
      location: row.ownLocation ?? activity.location,
      categoryNameZh: activity.categoryNameZh,
    };
  });
}

/** The public feed's events: the window's sessions (of a category, if asked) with their activities' words. */
export async function publicFeedRows(db: Db, query: FeedQuery): Promise<EventRow[]> {
  const sessionRows = await db
    .select(sessionColumns)
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...filtersOf(query, windowOf(query)), shown(query.now ?? new Date())))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  return withActivities(db, sessionRows);
}

/** The feed as iCalendar text. */
export async function buildFeed(db: Db, query: FeedQuery): Promise<string> {
  const window = windowOf(query);
  const [station] = await db.select({ slug: stations.slug, nameZh: stations.nameZh }).from(stations).where(eq(stations.id, query.stationId));
  if (!station) throw new NotFound("station");
  let calendarName = t("feed.name", { station: station.nameZh, name: t("calendar.title") });
  if (query.categorySlug) {
    const [category] = await db
      .select({ nameZh: categories.nameZh })
      .from(categories)
      .where(and(eq(categories.stationId, query.stationId), eq(categories.slug, query.categorySlug)));
    if (!category) throw new NotFound("category");
    calendarName = t("feed.name", { station: station.nameZh, name: category.nameZh });
  }
  const rows = await publicFeedRows(db, query);
  const calendar = newCalendar(calendarName);
  for (const row of rows)
    addEvent(calendar, sessionEvent(row, { uid: `session-${row.id}@${station.slug}.hearth`, baseUrl: query.baseUrl }), query.timeZone);
  if (showsHours(query)) await addOpenHours(db, calendar, query, { slug: station.slug, fromDate: window.day, toDate: window.lastDay });
  return serialise(calendar, query.timeZone);
}

/**
 * Consultations' open hours as events: "法律咨询（可预约）" at the hours and room, with how to
 * book, and nothing of who gives them. The UID is the service, day, hours and room, so
 * changed hours are a new event and the old one leaves the feed.
 */
async function addOpenHours(db: Db, calendar: ReturnType<typeof ical>, query: FeedQuery, range: { slug: string; fromDate: string; toDate: string }) {
  const [lines, version] = await Promise.all([
    publicHours(db, { stationId: query.stationId, zone: query.timeZone, fromDate: range.fromDate, toDate: range.toDate }),
    publicHoursVersion(db, { stationId: query.stationId, fromDate: range.fromDate, toDate: range.toDate }),
  ]);
  const url = query.baseUrl ? `${query.baseUrl}/consultations` : null;
  for (const line of lines) {
    const place = crypto.createHash("sha256").update(line.location).digest("base64url").slice(0, 8);
    const uid = `hours-${line.serviceId}-${line.startsAt.getTime()}-${line.endsAt.getTime()}-${place}@${range.slug}.hearth`;
    addEvent(
      calendar,
      {
        uid,
        sequence: 0,
        updatedAt: version.lastModified ?? line.startsAt,
        startsAt: line.startsAt,
        endsAt: line.endsAt,
        summary: t("feed.hours.summary", { service: line.serviceNameZh }),
        status: ICalEventStatus.CONFIRMED,
        location: line.location,
        description: [t("feed.hours.description"), url].filter(Boolean).join("\n\n"),
        category: t("feed.hours.category"),
        url,
      },
      query.timeZone,
    );
  }
}

/**
 * One session as a calendar file (the session page's "add to my calendar"): the same event as in
 * the public feeds, with the same UID, so a phone that also subscribes shows it once. Public
 * facts only, like the feeds. A missing session (or another station's) is NotFound.
 */
export async function buildSessionIcs(db: Db, query: { stationId: number; timeZone: string; sessionId: number; baseUrl?: string }): Promise<string> {
  const [station] = await db.select({ slug: stations.slug, nameZh: stations.nameZh }).from(stations).where(eq(stations.id, query.stationId));
  if (!station) throw new NotFound("station");
  const sessionRows = await db
    .select(sessionColumns)
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(eq(sessions.stationId, query.stationId), eq(sessions.id, query.sessionId)));
  if (!sessionRows.length) throw new NotFound("session");
  const [row] = await withActivities(db, sessionRows);
  const calendar = newCalendar(t("feed.name", { station: station.nameZh, name: row!.title }));
  addEvent(calendar, sessionEvent(row!, { uid: `session-${row!.id}@${station.slug}.hearth`, baseUrl: query.baseUrl }), query.timeZone);
  return serialise(calendar, query.timeZone);
}

export function newCalendar(name: string) {
  return ical({
    name,
    prodId: { company: "Hearth", product: "Hearth", language: "ZH" },
    ttl: TTL_SECONDS, // REFRESH-INTERVAL and X-PUBLISHED-TTL
  });
}

const vtimezones = new Map<string, string>();

function vtimezone(timeZone: string): string {
  let zone = vtimezones.get(timeZone);
  if (zone === undefined) {
    const component = getVtimezoneComponent(timeZone);
    if (!component) throw new Error(`no VTIMEZONE for ${timeZone}`);
    zone = component.replace(/\r?\n/g, "\r\n").trim() + "\r\n";
    vtimezones.set(timeZone, zone);
  }
  return zone;
}

/**
 * The calendar's text, put together here rather than by `calendar.toString()`, for two reasons.
 * ical-generator's `timezone.generator` writes the VTIMEZONE *before* REFRESH-INTERVAL and
 * X-PUBLISHED-TTL, and RFC 5545 wants every calendar property ahead of the components
 * (icalbody = calprops component); the VTIMEZONE never changes, so it is built once per zone.
 * And its line folding makes a TextEncoder for every character of the feed: 1,000 events
 * spent ~600 ms of ~700 there (docs/benchmarks.md). The events' own text is still
 * ical-generator's, folded below.
 */
function serialise(calendar: ReturnType<typeof ical>, timeZone: string): string {
  const events = calendar.events();
  const head = calendar.clear().toString(); // the calendar's properties, then END:VCALENDAR
  let text = head.slice(0, head.length - "END:VCALENDAR".length);
  if (events.length > 0) text += vtimezone(timeZone); // no events, no TZID to define
  for (const event of events) text += foldLines(event.toString());
  return text + "END:VCALENDAR";
}

/** RFC 5545 3.1: lines of at most 75 octets, continued after CRLF + space, never inside a character. */
function foldLines(text: string): string {
  return text.split("\r\n").map(foldLine).join("\r\n");
}

/** One content line folded at 75 octets (UTF-8), never inside a character. */
export function foldLine(line: string): string {
  // A UTF-16 unit is at most 3 octets in UTF-8 (a surrogate pair, two units, is 4).
  if (line.length <= 25 || Buffer.byteLength(line) <= 75) return line;
  let out = "";
  let octets = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > 75) {
      out += "\r\n ";
      octets = 1;
    }
    out += char;
    octets += size;
  }
  return out;
}

/** What an event of a feed is made from (and what the feed bench's hand-written floor serialises). */
export interface EventRow {
  id: number;
  startsAt: Date;
  endsAt: Date;
  status: string;
  sequence: number;
  updatedAt: Date;
  title: string;
  description: string | null;
  location: string | null;
  categoryNameZh: string;
}

/** What a VEVENT says, whatever it stands for (a session, a signup, a shift). */
interface EventSpec {
  uid: string;
  sequence: number;
  updatedAt: Date;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  status: ICalEventStatus;
  location: string | null;
  description: string | null;
  category: string | null;
  url: string | null;
}

export function addEvent(calendar: ReturnType<typeof ical>, event: EventSpec, timeZone: string) {
  calendar.createEvent({
    id: event.uid,
    sequence: event.sequence,
    // Without METHOD, DTSTAMP is the time the event was last revised (RFC 5545 3.8.7.2), and
    // so the same data gives the same bytes on every instance, as a strong ETag promises.
    stamp: event.updatedAt,
    lastModified: event.updatedAt,
    // A luxon DateTime, not a Date: for a Date with a TZID, ical-generator writes the wall
    // time of the *process's* zone (UTC on servers), 8 hours off for Shanghai.
    start: DateTime.fromJSDate(event.startsAt, { zone: timeZone }),
    end: DateTime.fromJSDate(event.endsAt, { zone: timeZone }),
    timezone: timeZone,
    summary: event.summary,
    status: event.status,
    location: event.location || null,
    description: event.description || null,
    categories: event.category ? [{ name: event.category }] : [],
    url: event.url,
  });
}

/** One session as a VEVENT; `tentative` marks a waitlisted place in a personal feed. */
export function sessionEvent(row: EventRow, options: { uid: string; baseUrl?: string; tentative?: boolean }): EventSpec {
  const cancelled = row.status === "cancelled";
  const url = options.baseUrl ? `${options.baseUrl}/sessions/${row.id}` : null;
  return {
    uid: options.uid,
    sequence: row.sequence,
    updatedAt: row.updatedAt,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    summary: cancelled ? cancelledSummary(row.title) : row.title,
    status: cancelled ? ICalEventStatus.CANCELLED : options.tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    location: row.location,
    description: [row.description, url].filter(Boolean).join("\n\n") || null,
    category: row.categoryNameZh,
    url,
  };
}

/**
 * A person's own feed: the sessions they hold a place for (confirmed) or wait for
 * (waitlisted, as STATUS:TENTATIVE), and the shifts they work (confirmed, or proposed by
 * staff and not yet answered, as TENTATIVE), from a week ago on. Titles, times, places and
 * the shift's skill only: no party size, needs, phone numbers, nor anyone else's bookings
 * or shifts.
 */
export interface PersonalFeedQuery {
  stationId: number;
  timeZone: string;
  personId: number;
  now?: Date;
  baseUrl?: string;
}

function personalFilters(query: PersonalFeedQuery, from: Date) {
  return [eq(signups.stationId, query.stationId), eq(signups.personId, query.personId), gte(sessions.startsAt, from)];
}

/** A signup's and its session's last change: a promotion turns TENTATIVE into CONFIRMED. */
const personalEdited = sql`greatest(${signups.createdAt}, ${signups.confirmedAt}, ${sessions.updatedAt}, ${activities.updatedAt})`;

// The same window as the signups (by the session's start), so a shift and its session enter
// and leave the feed together.
function shiftFilters(query: PersonalFeedQuery, from: Date) {
  return [eq(assignments.stationId, query.stationId), eq(assignments.personId, query.personId), gte(sessions.startsAt, from)];
}

/**
 * A shift the feed shows: proposed or confirmed, or cancelled less than a week ago (as
 * STATUS:CANCELLED, like a session, so a subscribed calendar strikes it out rather than
 * depending on the app to notice a vanished UID). A declined proposal is left out: the
 * person said no themself, and it was only ever TENTATIVE.
 */
function shiftShown(now: Date): SQL {
  return sql`(${assignments.status} in ('proposed', 'confirmed') or (${assignments.status} = 'cancelled' and ${assignments.updatedAt} > ${cancelCutoff(now)}))`;
}

/**
 * A shift's last change: its own (every status change and re-timing writes updated_at), its
 * session's and its activity's (title, place); a cancellation a week old counts from when it
 * dropped out, as for sessions.
 */
function shiftChangedAt(now: Date): SQL {
  return sql`case when ${assignments.status} = 'cancelled' and ${assignments.updatedAt} <= ${cancelCutoff(now)}
    then ${assignments.updatedAt} + ${sql.raw(`interval '${CANCELLED_DAYS} days'`)}
    else greatest(${assignments.updatedAt}, ${sessions.updatedAt}, ${activities.updatedAt}) end`;
}

/**
 * The personal feed's version: the newest change to the person's signups (made, confirmed,
 * cancelled), their shifts (proposed, confirmed, declined, cancelled, moved) or to the
 * sessions of either, and how many are live. A cancellation raises cancelled_at, a promotion
 * confirmed_at, an answer to a shift its updated_at, so every change the feed shows changes
 * the ETag. Skills carry no timestamp, so the shown shifts' skill names go in as a digest:
 * a renamed skill must not leave the old name in the feed cache.
 */
export async function personalFeedVersion(db: Db, query: PersonalFeedQuery): Promise<FeedVersion> {
  const window = windowOf({ ...query, horizonDays: 0 });
  const now = query.now ?? new Date();
  const newest = sql`max(greatest(${signups.cancelledAt}, ${changedAt(now, personalEdited)}))`;
  const newestShift = sql`max(${shiftChangedAt(now)})`;
  const newestConsultation = sql`max(greatest(${consultations.createdAt}, ${consultations.cancelledAt}))`;
  const [[row], [shiftRow], [consultRow]] = await Promise.all([
    db
      .select({
        last: sql<string | null>`${newest}::text`,
        lastMs: sql<string | null>`(extract(epoch from ${newest}) * 1000)::bigint::text`,
        live: sql<number>`(count(*) filter (where ${signups.status} <> 'cancelled' and ${shown(now)}))::int`,
      })
      .from(signups)
      .innerJoin(sessions, eq(sessions.id, signups.sessionId))
      .innerJoin(activities, eq(activities.id, sessions.activityId))
      .where(and(...personalFilters(query, window.from))),
    db
      .select({
        last: sql<string | null>`${newestShift}::text`,
        lastMs: sql<string | null>`(extract(epoch from ${newestShift}) * 1000)::bigint::text`,
        shown: sql<number>`(count(*) filter (where ${shiftShown(now)}))::int`,
        skills: sql<string>`md5(coalesce(string_agg(${skills.nameZh}, '|' order by ${assignments.id}) filter (where ${shiftShown(now)}), ''))`,
      })
      .from(assignments)
      .innerJoin(sessions, eq(sessions.id, assignments.sessionId))
      .innerJoin(activities, eq(activities.id, sessions.activityId))
      .innerJoin(rosterNeeds, eq(rosterNeeds.id, assignments.needId))
      .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
      .where(and(...shiftFilters(query, window.from))),
    db
      .select({
        last: sql<string | null>`${newestConsultation}::text`,
        lastMs: sql<string | null>`(extract(epoch from ${newestConsultation}) * 1000)::bigint::text`,
        shown: sql<number>`count(*)::int`,
      })
      .from(consultations)
      .where(and(...consultationFilters(query, window.from))),
  ]);
  const key = [
    FEED_VERSION,
    "me",
    query.stationId,
    query.personId,
    window.day,
    query.baseUrl ?? "",
    row?.last ?? "-",
    row?.live ?? 0,
    shiftRow?.last ?? "-",
    shiftRow?.shown ?? 0,
    shiftRow?.skills ?? "",
    consultRow?.last ?? "-",
    consultRow?.shown ?? 0,
  ].join("|");
  const lastMs = Math.max(Number(row?.lastMs ?? 0), Number(shiftRow?.lastMs ?? 0), Number(consultRow?.lastMs ?? 0));
  return {
    etag: `"me-${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`,
    lastModified: lastMs > 0 ? new Date(lastMs) : null,
  };
}

const toDate = (value: string | Date) => new Date(value);

/** The person's shifts as VEVENTs, under UIDs of their own (`shift-<assignment>@…`). */
async function shiftEvents(db: Db, query: PersonalFeedQuery, from: Date, host: string): Promise<EventSpec[]> {
  const rows = await selectShifts(db, {
    id: assignments.id,
    status: assignments.status,
    startsAt: sql<Date>`lower(${assignments.during})`.mapWith(toDate),
    endsAt: sql<Date>`upper(${assignments.during})`.mapWith(toDate),
    updatedAt: sql<Date>`greatest(${assignments.updatedAt}, ${sessions.updatedAt}, ${activities.updatedAt})`.mapWith(toDate),
    sequence: sessions.sequence,
    title: activities.title,
    location: sql<string | null>`coalesce(${sessions.location}, ${activities.location})`,
    skill: skills.nameZh,
  })
    .where(and(...shiftFilters(query, from), shiftShown(query.now ?? new Date())))
    .orderBy(sql`lower(${assignments.during})`, asc(assignments.id));
  const url = query.baseUrl ? `${query.baseUrl}/shifts` : null;
  return rows.map((row) => {
    const cancelled = row.status === "cancelled";
    const summary = `${row.title} · ${row.skill}`;
    return {
      uid: `shift-${row.id}@${host}`,
      // The session's SEQUENCE rises with every move of it (and so of the shift); a
      // cancellation goes one above, as the shift mail's METHOD:CANCEL does.
      sequence: cancelled ? row.sequence + 1 : row.sequence,
      updatedAt: row.updatedAt,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      summary: cancelled ? cancelledSummary(summary) : summary,
      status: cancelled ? ICalEventStatus.CANCELLED : row.status === "proposed" ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
      location: row.location,
      description: url,
      category: null,
      url,
    };
  });
}

/**
 * The person's consultations, as client or as provider (ADR 18), from the feed's window: booked,
 * or cancelled less than a week ago. Calendars synced to a phone's cloud are not private: the
 * summary is only "咨询预约" — no service, no topic, no other person's name.
 */
function consultationFilters(query: PersonalFeedQuery, from: Date) {
  return [
    eq(consultations.stationId, query.stationId),
    or(eq(consultations.personId, query.personId), eq(consultations.providerPersonId, query.personId))!,
    gte(consultations.startsAt, from),
    sql`(${consultations.status} = 'booked' or ${consultations.cancelledAt} > ${cancelCutoff(query.now ?? new Date())})`,
  ];
}

async function consultationEvents(db: Db, query: PersonalFeedQuery, from: Date, host: string): Promise<EventSpec[]> {
  const rows = await db
    .select({
      id: consultations.id,
      status: consultations.status,
      startsAt: consultations.startsAt,
      endsAt: consultations.endsAt,
      location: consultations.location,
      updatedAt: sql<Date>`greatest(${consultations.createdAt}, ${consultations.cancelledAt})`.mapWith(toDate),
      provider: sql<boolean>`${consultations.providerPersonId} = ${query.personId}`,
    })
    .from(consultations)
    .where(and(...consultationFilters(query, from)))
    .orderBy(asc(consultations.startsAt), asc(consultations.id));
  return rows.map((row) => {
    const cancelled = row.status === "cancelled";
    const url = query.baseUrl ? `${query.baseUrl}${row.provider ? "/my/consultations" : "/bookings"}` : null;
    return {
      uid: `consultation-${row.id}@${host}`,
      sequence: cancelled ? 1 : 0,
      updatedAt: row.updatedAt,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      summary: cancelled ? cancelledSummary(t("feed.consultation")) : t("feed.consultation"),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      location: row.location,
      description: url,
      category: null,
      url,
    };
  });
}

export async function buildPersonalFeed(db: Db, query: PersonalFeedQuery): Promise<string> {
  const window = windowOf({ ...query, horizonDays: 0 });
  const [station] = await db.select({ slug: stations.slug, nameZh: stations.nameZh }).from(stations).where(eq(stations.id, query.stationId));
  if (!station) throw new NotFound("station");
  const host = `${station.slug}.hearth`;
  const signupRows = await db
    .select({
      ...sessionColumns,
      // A promotion turns TENTATIVE into CONFIRMED: the signup's changes count as the event's.
      updatedAt: sql<Date>`greatest(${signups.createdAt}, ${signups.confirmedAt}, ${sessions.updatedAt})`.mapWith(sessions.updatedAt),
      signupStatus: signups.status,
    })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .where(and(...personalFilters(query, window.from), ne(signups.status, "cancelled"), shown(query.now ?? new Date())))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  const rows = await withActivities(db, signupRows);
  // Not the public feed's UID: someone subscribed to both would otherwise get one event
  // overwritten by the other (or, in some apps, doubled with conflicting STATUS). A
  // distinct UID keeps them two honest entries: "on the calendar" and "I'm going".
  const events = rows.map(({ signupStatus, ...row }) =>
    sessionEvent(row, { uid: `session-${row.id}-me@${host}`, baseUrl: query.baseUrl, tentative: signupStatus === "waitlisted" }),
  );
  events.push(...(await shiftEvents(db, query, window.from, host)));
  events.push(...(await consultationEvents(db, query, window.from, host)));
  // One time line: the signups and the shifts each come sorted; sort is stable.
  events.sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
  const calendar = newCalendar(t("feed.name", { station: station.nameZh, name: t("nav.bookings") }));
  for (const event of events) addEvent(calendar, event, query.timeZone);
  return serialise(calendar, query.timeZone);
}

/**
 * Built feeds by ETag, per database handle (tests swap databases in one process). The ETag
 * covers everything the text depends on, so an entry never needs invalidating: a change
 * gives a new ETag, and old entries fall out of the LRU.
 *
 * Kept as UTF-8 bytes, not text: a 1,000-session feed is ~0.6 MB of mostly Chinese text, and
 * a Response made from a string encodes all of it again on every request (~3 ms of CPU and
 * 0.6 MB more for the collector each time: the cached 200's long tail). An entry is handed
 * out as it is, to every request that hits it (app/lib/feeds.server.ts streams it to the
 * socket): nothing may write into one.
 */
export type FeedBytes = Uint8Array<ArrayBuffer>;
const MAX_CACHED = 32;
const feedCache = new WeakMap<Db, Map<string, FeedBytes>>();
const utf8 = new TextEncoder();

export async function cachedFeed(db: Db, query: FeedQuery, etag: string): Promise<FeedBytes> {
  return cached(db, etag, () => buildFeed(db, query));
}

/** The personal feed by ETag; its ETag names the person, so entries are never shared. */
export async function cachedPersonalFeed(db: Db, query: PersonalFeedQuery, etag: string): Promise<FeedBytes> {
  return cached(db, etag, () => buildPersonalFeed(db, query));
}

async function cached(db: Db, etag: string, build: () => Promise<string>): Promise<FeedBytes> {
  let cache = feedCache.get(db);
  if (!cache) feedCache.set(db, (cache = new Map()));
  const hit = cache.get(etag);
  if (hit !== undefined) {
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    cache.delete(etag);
    cache.set(etag, hit);
    return hit;
  }
  const bytes = utf8.encode(await build());
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(etag, bytes);
  return bytes;
}
