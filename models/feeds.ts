import crypto from "node:crypto";
import { and, asc, eq, gte, lt, ne, sql } from "drizzle-orm";
import ical, { ICalEventStatus } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import type { Db } from "./db";
import { activities, categories, sessions, signups, stations } from "./db/schema";
import { getConfig } from "./config";
import { NotFound } from "./errors";

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

// Past sessions stay a week so a subscriber still sees last week; a cancelled session stays
// as STATUS:CANCELLED while its start is in that window, so calendars remove it.
const PAST_DAYS = 7;
const TTL_SECONDS = 3600;
// Bump when the feed's shape changes, so cached copies and client ETags are dropped.
const FEED_VERSION = "1";

function windowOf(query: FeedQuery) {
  const today = DateTime.fromJSDate(query.now ?? new Date(), { zone: query.timeZone }).startOf("day");
  const horizon = query.horizonDays ?? getConfig().CALENDAR_HORIZON_DAYS;
  return { day: today.toISODate()!, from: today.minus({ days: PAST_DAYS }).toJSDate(), to: today.plus({ days: horizon + 1 }).toJSDate() };
}

function filtersOf(query: FeedQuery, window: { from: Date; to: Date }) {
  const filters = [eq(sessions.stationId, query.stationId), gte(sessions.startsAt, window.from), lt(sessions.startsAt, window.to)];
  if (query.categorySlug) filters.push(eq(categories.slug, query.categorySlug));
  return filters;
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
  const [row] = await db
    .select({
      last: sql<string | null>`max(greatest(${sessions.updatedAt}, ${activities.updatedAt}))::text`,
      lastMs: sql<string | null>`(extract(epoch from max(greatest(${sessions.updatedAt}, ${activities.updatedAt}))) * 1000)::bigint::text`,
      count: sql<number>`count(${sessions.id})::int`,
      categoryKnown: query.categorySlug
        ? sql<boolean>`exists (select 1 from ${categories} c where c.station_id = ${query.stationId} and c.slug = ${query.categorySlug})`
        : sql<boolean>`true`,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...filtersOf(query, window)));
  if (!row?.categoryKnown) throw new NotFound("category");
  const key = [FEED_VERSION, query.stationId, query.categorySlug ?? "*", window.day, query.baseUrl ?? "", row.last ?? "-", row.count].join("|");
  return {
    etag: `"feed-${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`,
    lastModified: row.lastMs ? new Date(Number(row.lastMs)) : null,
  };
}

/** What one VEVENT needs of a session, for the public and the personal feeds alike. */
const eventColumns = {
  id: sessions.id,
  startsAt: sessions.startsAt,
  endsAt: sessions.endsAt,
  status: sessions.status,
  sequence: sessions.sequence,
  updatedAt: sql<Date>`greatest(${sessions.updatedAt}, ${activities.updatedAt})`.mapWith(sessions.updatedAt),
  title: activities.title,
  description: activities.description,
  location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
  categoryNameZh: categories.nameZh,
};

/** The feed as iCalendar text. */
export async function buildFeed(db: Db, query: FeedQuery): Promise<string> {
  const window = windowOf(query);
  const [station] = await db.select({ slug: stations.slug, nameZh: stations.nameZh }).from(stations).where(eq(stations.id, query.stationId));
  if (!station) throw new NotFound("station");
  let calendarName = `${station.nameZh} · 活动日历`;
  if (query.categorySlug) {
    const [category] = await db
      .select({ nameZh: categories.nameZh })
      .from(categories)
      .where(and(eq(categories.stationId, query.stationId), eq(categories.slug, query.categorySlug)));
    if (!category) throw new NotFound("category");
    calendarName = `${station.nameZh} · ${category.nameZh}`;
  }
  const rows = await db
    .select(eventColumns)
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...filtersOf(query, window)))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));

  const calendar = newCalendar(calendarName);
  const stamp = query.now ?? new Date();
  for (const row of rows) addSessionEvent(calendar, row, { uid: `session-${row.id}@${station.slug}.hearth`, stamp, timeZone: query.timeZone, baseUrl: query.baseUrl });
  return calendar.toString();
}

function newCalendar(name: string) {
  // Without the generator, ical-generator writes a TZID with no VTIMEZONE (invalid).
  return ical({
    name,
    prodId: { company: "Hearth", product: "Hearth", language: "ZH" },
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: TTL_SECONDS, // REFRESH-INTERVAL and X-PUBLISHED-TTL
  });
}

interface EventRow {
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

/** One session as a VEVENT; `tentative` marks a waitlisted place in a personal feed. */
function addSessionEvent(
  calendar: ReturnType<typeof ical>,
  row: EventRow,
  options: { uid: string; stamp: Date; timeZone: string; baseUrl?: string; tentative?: boolean },
) {
  const cancelled = row.status === "cancelled";
  const url = options.baseUrl ? `${options.baseUrl}/sessions/${row.id}` : null;
  calendar.createEvent({
    id: options.uid,
    sequence: row.sequence,
    stamp: options.stamp,
    lastModified: row.updatedAt,
    // A luxon DateTime, not a Date: for a Date with a TZID, ical-generator writes the wall
    // time of the *process's* zone (UTC on servers), 8 hours off for Shanghai.
    start: DateTime.fromJSDate(row.startsAt, { zone: options.timeZone }),
    end: DateTime.fromJSDate(row.endsAt, { zone: options.timeZone }),
    timezone: options.timeZone,
    summary: cancelled ? `已取消 ${row.title}` : row.title,
    status: cancelled ? ICalEventStatus.CANCELLED : options.tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    location: row.location || null,
    description: [row.description, url].filter(Boolean).join("\n\n") || null,
    categories: [{ name: row.categoryNameZh }],
    url,
  });
}

/**
 * A person's own feed: the sessions they hold a place for (confirmed) or wait for
 * (waitlisted, as STATUS:TENTATIVE), from a week ago on. Titles, times and places only: no
 * party size, needs, phone numbers, nor anyone else's bookings.
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

/**
 * The personal feed's version: the newest change to the person's signups (made, confirmed,
 * cancelled) or to their sessions, and how many are live. A cancellation raises cancelled_at,
 * a promotion confirmed_at, so every change the feed shows changes the ETag.
 */
export async function personalFeedVersion(db: Db, query: PersonalFeedQuery): Promise<FeedVersion> {
  const window = windowOf({ ...query, horizonDays: 0 });
  const newest = sql`max(greatest(${signups.createdAt}, ${signups.confirmedAt}, ${signups.cancelledAt}, ${sessions.updatedAt}, ${activities.updatedAt}))`;
  const [row] = await db
    .select({
      last: sql<string | null>`${newest}::text`,
      lastMs: sql<string | null>`(extract(epoch from ${newest}) * 1000)::bigint::text`,
      live: sql<number>`(count(*) filter (where ${signups.status} <> 'cancelled'))::int`,
    })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .where(and(...personalFilters(query, window.from)));
  const key = [FEED_VERSION, "me", query.stationId, query.personId, window.day, query.baseUrl ?? "", row?.last ?? "-", row?.live ?? 0].join("|");
  return {
    etag: `"me-${crypto.createHash("sha256").update(key).digest("base64url").slice(0, 27)}"`,
    lastModified: row?.lastMs ? new Date(Number(row.lastMs)) : null,
  };
}

export async function buildPersonalFeed(db: Db, query: PersonalFeedQuery): Promise<string> {
  const window = windowOf({ ...query, horizonDays: 0 });
  const [station] = await db.select({ slug: stations.slug, nameZh: stations.nameZh }).from(stations).where(eq(stations.id, query.stationId));
  if (!station) throw new NotFound("station");
  const rows = await db
    .select({ ...eventColumns, signupStatus: signups.status })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(categories, eq(categories.id, activities.categoryId))
    .where(and(...personalFilters(query, window.from), ne(signups.status, "cancelled")))
    .orderBy(asc(sessions.startsAt), asc(sessions.id));
  const calendar = newCalendar(`${station.nameZh} · 我的预约`);
  const stamp = query.now ?? new Date();
  for (const { signupStatus, ...row } of rows) {
    // Not the public feed's UID: someone subscribed to both would otherwise get one event
    // overwritten by the other (or, in some apps, doubled with conflicting STATUS). A
    // distinct UID keeps them two honest entries: "on the calendar" and "I'm going".
    addSessionEvent(calendar, row, {
      uid: `session-${row.id}-me@${station.slug}.hearth`,
      stamp,
      timeZone: query.timeZone,
      baseUrl: query.baseUrl,
      tentative: signupStatus === "waitlisted",
    });
  }
  return calendar.toString();
}

/**
 * Built feeds by ETag, per database handle (tests swap databases in one process). The ETag
 * covers everything the text depends on, so an entry never needs invalidating: a change
 * gives a new ETag, and old entries fall out of the LRU.
 */
const MAX_CACHED = 32;
const feedCache = new WeakMap<Db, Map<string, string>>();

export async function cachedFeed(db: Db, query: FeedQuery, etag: string): Promise<string> {
  return cached(db, etag, () => buildFeed(db, query));
}

/** The personal feed by ETag; its ETag names the person, so entries are never shared. */
export async function cachedPersonalFeed(db: Db, query: PersonalFeedQuery, etag: string): Promise<string> {
  return cached(db, etag, () => buildPersonalFeed(db, query));
}

async function cached(db: Db, etag: string, build: () => Promise<string>): Promise<string> {
  let cache = feedCache.get(db);
  if (!cache) feedCache.set(db, (cache = new Map()));
  const hit = cache.get(etag);
  if (hit !== undefined) {
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    cache.delete(etag);
    cache.set(etag, hit);
    return hit;
  }
  const text = await build();
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(etag, text);
  return text;
}
