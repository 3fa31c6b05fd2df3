import { DateTime } from "luxon";
import { listCategories, type Category } from "#models/categories";
import { listConsultationServices } from "#models/consultations/services";
import { listProviderHours } from "#models/consultations/hours";
import { listSessions, type SessionView } from "#models/sessions";
import { cachedCalendar, calendarVersion } from "#models/calendar-cache";
import { sessionState, type SessionState } from "#models/policies/signups";
import { localName } from "~/i18n";
import type { RequestContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { readOnce } from "./request-scope.server";

/** A session as calendar views show it: text already in the viewer's language and zone. */
export interface SessionCardView {
  id: number;
  title: string;
  category: string;
  color: string;
  time: string;
  location: string;
  cancelled: boolean;
  moved: boolean;
  /** Places left, full, over, under way or cancelled: the policy's answer, so a past session offers no places. */
  state: SessionState;
}

export function toCard(ctx: RequestContext, session: SessionView, now = new Date()): SessionCardView {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    id: session.id,
    title: session.title,
    category: localName(ctx.locale, { nameZh: session.categoryNameZh, nameEn: session.categoryNameEn }),
    color: session.color,
    time: `${fmt.time(session.startsAt)}–${fmt.time(session.endsAt)}`,
    location: session.location,
    cancelled: session.status === "cancelled",
    moved: session.moved,
    state: sessionState(session, now),
  };
}

/**
 * The calendar cache as pages use it: the station's calendar version is read once per request,
 * however many of the page's loaders ask (the layout and the page both list categories).
 */
export function cachedForPage<T>(ctx: RequestContext, key: string, load: () => Promise<T>): Promise<T> {
  const stationId = ctx.station.id;
  return cachedCalendar(ctx.db, stationId, key, load, () => readOnce(`calendarVersion:${stationId}`, () => calendarVersion(ctx.db, stationId)));
}

/** A line of the calendar's weekly consultation hours: no provider, no client (ADR 18). */
export interface HoursLine {
  service: string;
  weekday: number;
  time: string;
  location: string;
}

/**
 * The weekly consultation hours still running today, one line per service, weekday, time and
 * room (two providers at the same hours make one line). Cached behind the calendar version,
 * which the hours' and services' triggers bump (migration 0015), and keyed by the day, since
 * hours that ended yesterday are gone today.
 */
export function weeklyConsultationHours(ctx: RequestContext): Promise<HoursLine[]> {
  const today = DateTime.now().setZone(ctx.station.timeZone).toISODate()!;
  return cachedForPage(ctx, `hours:${today}:${ctx.locale}`, async () => {
    const [services, hours] = await Promise.all([listConsultationServices(ctx.db, ctx.station.id), listProviderHours(ctx.db, ctx.station.id)]);
    const serviceName = new Map(services.map((s) => [s.id, localName(ctx.locale, s)]));
    const lines = hours
      .filter((h) => serviceName.has(h.serviceId) && (h.untilDate === null || h.untilDate >= today))
      .map((h): HoursLine => ({
        service: serviceName.get(h.serviceId)!,
        weekday: h.weekday,
        time: `${h.startTime}–${h.endTime}`,
        location: h.location,
      }));
    return [...new Map(lines.map((line) => [`${line.service}|${line.weekday}|${line.time}|${line.location}`, line])).values()];
  });
}

/** Reads ?category=: absent means all; a slug the station does not have is a 404. */
export async function resolveCategory(ctx: RequestContext, url: URL): Promise<{ categories: Category[]; slug?: string }> {
  const categories = await cachedForPage(ctx, "categories", () => listCategories(ctx.db, ctx.station.id));
  const slug = url.searchParams.get("category") || undefined;
  if (slug && !categories.some((c) => c.slug === slug)) throw new Response(ctx.t("error.notFound"), { status: 404 });
  return { categories, slug };
}

/** A card as kept in the calendar cache: its state is left out, since time moves on while a version lasts. */
type CachedCard = Omit<SessionCardView, "state"> & { facts: Parameters<typeof sessionState>[0] };

/**
 * Sessions between two local dates (inclusive start, exclusive end), grouped by local date, as
 * cards in the viewer's language. The cards are the same for every viewer of that language:
 * built once per calendar version (models/calendar-cache.ts) and shared, signed in or not;
 * each card's state (places left, under way, ended) is worked out per request, because a
 * version outlives the minute a session starts or ends. Read-only.
 */
export async function sessionsByDay(
  ctx: RequestContext,
  fromLocal: DateTime,
  toLocal: DateTime,
  categorySlug?: string,
): Promise<ReadonlyMap<string, SessionCardView[]>> {
  // A range starting "now" (the upcoming list) differs on every request: not worth keeping.
  const key = `days:${fromLocal.toISO()}:${toLocal.toISO()}:${categorySlug ?? ""}:${ctx.locale}`;
  const days = fromLocal.equals(fromLocal.startOf("day"))
    ? await cachedForPage(ctx, key, () => buildSessionsByDay(ctx, fromLocal, toLocal, categorySlug))
    : await buildSessionsByDay(ctx, fromLocal, toLocal, categorySlug);
  const now = new Date();
  return new Map([...days].map(([day, cards]) => [day, cards.map(({ facts, ...card }) => ({ ...card, state: sessionState(facts, now) }))]));
}

async function buildSessionsByDay(ctx: RequestContext, fromLocal: DateTime, toLocal: DateTime, categorySlug?: string) {
  const sessions = await listSessions(ctx.db, {
    stationId: ctx.station.id,
    from: fromLocal.toJSDate(),
    to: toLocal.toJSDate(),
    categorySlug,
  });
  const byDay = new Map<string, CachedCard[]>();
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  for (const session of sessions) {
    const key = fmt.localDate(session.startsAt);
    const list = byDay.get(key) ?? [];
    const { state: _state, ...card } = toCard(ctx, session);
    const { status, startsAt, endsAt, capacity, taken } = session;
    list.push({ ...card, facts: { status, startsAt, endsAt, capacity, taken } });
    byDay.set(key, list);
  }
  return byDay;
}

/** Parses a local date or month from the query; malformed input is a 400 in the user's language. */
export function parseLocal(ctx: RequestContext, value: string | null, format: "yyyy-MM" | "yyyy-MM-dd"): DateTime {
  const today = DateTime.now().setZone(ctx.station.timeZone);
  if (!value) return format === "yyyy-MM" ? today.startOf("month") : today.startOf("day");
  const parsed = DateTime.fromFormat(value, format, { zone: ctx.station.timeZone });
  if (!parsed.isValid || parsed.year < 2000 || parsed.year > 2100) {
    throw new Response(ctx.t("error.badRequest"), { status: 400 });
  }
  return parsed;
}
