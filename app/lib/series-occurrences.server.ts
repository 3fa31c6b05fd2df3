import type { Occurrence, SeriesOccurrences } from "#models/series-occurrences";
import type { RequestContext } from "./guard.server";
import { dateFormatter } from "./dates.server";

export const PAST_PAGE_SIZE = 20;
/** Upcoming sessions shown at once; the rest of the horizon folds away below them. */
export const UPCOMING_SHOWN = 10;

/** ?past=N (1-based page of ended sessions); absent is the first page, anything odd a 400. */
export function parsePastPage(ctx: RequestContext, value: string | null): number {
  if (value === null || value === "") return 1;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1) throw new Response(ctx.t("error.badRequest"), { status: 400 });
  return Number(value);
}

/** The series page's list of its sessions, as text in the viewer's language, each linking to its edit page. */
export function occurrencesView(ctx: RequestContext, occurrences: SeriesOccurrences, pastPage: number) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const row = (o: Occurrence) => ({
    id: o.id,
    date: fmt.dayLong(o.startsAt),
    time: `${fmt.time(o.startsAt)}–${fmt.time(o.endsAt)}`,
    place: o.location,
    booked: ctx.t("occurrences.booked", { taken: o.taken, capacity: o.capacity }),
    full: o.taken >= o.capacity,
    cancelled: o.status === "cancelled",
    moved: o.moved,
  });
  return {
    upcoming: occurrences.upcoming.map(row),
    upcomingTotal: occurrences.upcomingTotal,
    upcomingShown: UPCOMING_SHOWN,
    past: occurrences.past.map(row),
    pastTotal: occurrences.pastTotal,
    pastPage,
    pastPages: Math.max(1, Math.ceil(occurrences.pastTotal / PAST_PAGE_SIZE)),
  };
}

export type OccurrencesView = ReturnType<typeof occurrencesView>;
