import { DateTime } from "luxon";
import { monthlyReport } from "#models/reports/monthly";
import { yearTrend } from "#models/reports/trend";
import { localName } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { orPageError } from "~/lib/http.server";

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/**
 * The month's figures as the report page shows them: the headline numbers, the charts' data and
 * their tables. `month` defaults to last month (the one reported upward); a bad or future month
 * is the model's 422, shown as a page in the user's language.
 */
export async function monthView(ctx: AuthorisedContext, month: string | null) {
  const zone = ctx.station.timeZone;
  const now = DateTime.now().setZone(zone);
  const wanted = month ?? now.minus({ months: 1 }).toFormat("yyyy-MM");
  const report = await orPageError(monthlyReport(ctx.db, ctx.station.id, wanted), ctx.t);
  const start = DateTime.fromFormat(report.month, "yyyy-MM", { zone });
  const fmt = dateFormatter(ctx.locale, zone);
  const thisMonth = now.toFormat("yyyy-MM");
  const next = start.plus({ months: 1 }).toFormat("yyyy-MM");
  return {
    month: report.month,
    title: fmt.month(start),
    prev: start.minus({ months: 1 }).toFormat("yyyy-MM"),
    next: next <= thisMonth ? next : null,
    complete: report.complete,
    year: start.year,
    figures: {
      held: report.sessions.held,
      cancelled: report.sessions.cancelled,
      places: report.places,
      booked: report.booked,
      attended: report.attended,
      walkIns: report.walkIns,
      noShows: report.noShows,
      noShowRate: percent(report.noShowRate),
      visits: report.visitsTotal,
      served: report.residentsServed,
      newResidents: report.newResidents,
      volunteerHours: Math.round(report.volunteerMinutes / 6) / 10,
      doctorHours: Math.round(report.doctorMinutes / 6) / 10,
      consultations: report.consultations.attended,
      consultationsBooked: report.consultations.booked,
    },
    categories: report.byCategory.map((c) => ({
      name: localName(ctx.locale, c),
      held: c.held,
      booked: c.booked,
      attended: c.attended,
      noShows: c.noShows,
      noShowRate: percent(c.noShowRate),
    })),
    visits: report.visits.map((v) => ({ name: localName(ctx.locale, v), reportingLine: v.reportingLine, count: v.count, archived: v.archived })),
    visitsByReportingLine: report.visitsByReportingLine,
    visitsPerDay: report.visitsPerDay,
    ageBands: report.ageBands,
  };
}

/** The year's twelve months, for the trend chart. */
export async function yearView(ctx: AuthorisedContext, year: string) {
  const trend = await orPageError(yearTrend(ctx.db, ctx.station.id, year), ctx.t);
  return {
    year: trend.year,
    months: trend.months.map((m) => ({
      month: m.month,
      label: String(Number(m.month.slice(5))),
      reached: m.reached,
      held: m.sessionsHeld,
      attended: m.attended,
      noShowRate: percent(m.noShowRate),
      visits: m.visits,
      served: m.residentsServed,
    })),
  };
}
