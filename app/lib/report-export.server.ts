import { DateTime } from "luxon";
import { monthlyReport, type MonthlyReport } from "#models/reports/monthly";
import { AGE_BANDS } from "#models/reports/period";
import { domainErrorOf } from "#models/errors";
import { localName, type MessageKey } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { domainMessage } from "./domain-error.server";

/** The month a report download asks for (default: last month, the one reported upward). */
export const reportMonth = (ctx: AuthorisedContext, request: Request) =>
  new URL(request.url).searchParams.get("month") ?? DateTime.now().setZone(ctx.station.timeZone).minus({ months: 1 }).toFormat("yyyy-MM");

/** The month's report, or the refusal (a bad or future month) as a plain-text 422 in the user's language. */
export async function reportOrRefusal(ctx: AuthorisedContext, month: string): Promise<MonthlyReport | Response> {
  try {
    return await monthlyReport(ctx.db, ctx.station.id, month);
  } catch (error) {
    const domain = domainErrorOf(error);
    if (!domain) throw error;
    return new Response(domainMessage(domain, ctx.t), { status: domain.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

/** The 月报 as spreadsheet rows: the headline figures, then each table under its own heading. */
export function reportRows(ctx: AuthorisedContext, report: MonthlyReport): string[][] {
  const t = ctx.t;
  const pct = (rate: number | null) => (rate === null ? "" : (rate * 100).toFixed(1));
  return [
    [t("report.heading"), report.month],
    [],
    [t("report.held"), String(report.sessions.held)],
    [t("report.cancelledLabel"), String(report.sessions.cancelled)],
    [t("report.places"), String(report.places)],
    [t("report.booked"), String(report.booked)],
    [t("report.attended"), String(report.attended)],
    [t("report.walkInsLabel"), String(report.walkIns)],
    [t("report.noShowsLabel"), String(report.noShows)],
    [t("report.noShowsExcused"), String(report.noShowsExcused)],
    [`${t("report.noShowRate")} %`, pct(report.noShowRate)],
    [t("report.visits"), String(report.visitsTotal)],
    [t("report.served"), String(report.residentsServed)],
    [t("report.newLabel"), String(report.newResidents)],
    [t("report.volunteerHours"), (report.volunteerMinutes / 60).toFixed(1)],
    [t("report.doctorHours"), (report.doctorMinutes / 60).toFixed(1)],
    [t("report.consultations"), String(report.consultations.attended)],
    [t("report.consultationsBookedLabel"), String(report.consultations.booked)],
    [],
    [
      t("report.category"),
      t("report.held"),
      t("report.places"),
      t("report.booked"),
      t("report.attended"),
      t("report.noShowsLabel"),
      `${t("report.noShowRate")} %`,
    ],
    ...report.byCategory.map((c) => [
      localName(ctx.locale, c),
      String(c.held),
      String(c.places),
      String(c.booked),
      String(c.attended),
      String(c.noShows),
      pct(c.noShowRate),
    ]),
    [],
    [t("report.serviceLine"), t("report.reportingLine"), t("report.visits")],
    ...report.visits.map((v) => [localName(ctx.locale, v), v.reportingLine, String(v.count)]),
    [],
    [t("report.ages"), t("report.served")],
    ...AGE_BANDS.map((band) => [t(`report.age.${band}` as MessageKey), String(report.ageBands[band])]),
  ];
}
