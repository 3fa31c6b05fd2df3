import type { DateTime } from "luxon";
import { weekShifts } from "#models/rosters";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { qualifiedBySkill, shiftView, weekParam } from "./roster.server";

/**
 * The week grid: one row per session of the week (date, time, title), one cell per need.
 * Cancelled sessions are left out: nobody is needed at a session that will not happen.
 */
export async function rosterWeekView(ctx: AuthorisedContext, monday: DateTime) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const nextMonday = monday.plus({ weeks: 1 });
  const { sessions, shifts } = await weekShifts(ctx.db, ctx.station.id, monday.toJSDate(), nextMonday.toJSDate());
  const rows = sessions
    .filter((s) => s.status !== "cancelled")
    .map((s) => ({
      id: s.id,
      date: fmt.localDate(s.startsAt),
      day: fmt.day(s.startsAt),
      time: `${fmt.time(s.startsAt)}–${fmt.time(s.endsAt)}`,
      title: s.title,
      location: s.location,
      shifts: (shifts.get(s.id) ?? []).map((shift) => shiftView(ctx, shift)),
    }));
  const openSkills = rows.flatMap((r) => r.shifts.filter((c) => c.missing > 0).map((c) => c.skillId));
  const sunday = nextMonday.minus({ days: 1 });
  return {
    week: weekParam(monday),
    title: ctx.t("roster.weekTitle", { from: fmt.dayOfDate(monday.toISODate()!), to: fmt.dayOfDate(sunday.toISODate()!) }),
    prev: `?week=${weekParam(monday.minus({ weeks: 1 }))}`,
    next: `?week=${weekParam(nextMonday)}`,
    rows,
    qualified: await qualifiedBySkill(ctx, openSkills),
  };
}
