import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { monthView, yearView } from "./reports.server";
import { AttendanceChart } from "~/components/charts/attendance-chart";
import { TrendChart } from "~/components/charts/trend-chart";
import { VisitsPerDayChart } from "~/components/charts/visits-per-day-chart";
import { PeriodNav } from "~/components/period-nav";
import { useT } from "~/lib/view";
import deskStyles from "~/styles/desk.css?url";
import { Notice } from "~/components/form";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: deskStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The monthly figures the station reports upward, and the year's trend. Staff only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const params = new URL(request.url).searchParams;
  const month = await monthView(ctx, params.get("month"));
  const trend = await yearView(ctx, params.get("year") ?? String(month.year));
  return { pageTitle: ctx.t("report.title", { month: month.title }), month, trend };
}

function Figure({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <li>
      <strong>{value}</strong>
      {label}
      {note ? <span className="help"> {note}</span> : null}
    </li>
  );
}

export default function Reports() {
  const t = useT();
  const { month, trend } = useLoaderData<typeof loader>();
  const f = month.figures;
  return (
    <section>
      <h1>{t("report.heading")}</h1>
      <PeriodNav
        title={month.title}
        prev={`?month=${month.prev}`}
        next={month.next ? `?month=${month.next}` : `?month=${month.month}`}
        prevLabel={t("report.prev")}
        nextLabel={t("report.next")}
      />
      {month.complete ? null : <Notice>{t("report.incomplete")}</Notice>}
      <ul className="report-figures">
        <Figure label={t("report.held")} value={f.held} note={f.cancelled ? t("report.cancelled", { count: f.cancelled }) : undefined} />
        <Figure label={t("report.attended")} value={f.attended} note={f.walkIns ? t("report.walkIns", { count: f.walkIns }) : undefined} />
        <Figure label={t("report.booked")} value={f.booked} note={t("report.placesOf", { places: f.places })} />
        <Figure
          label={t("report.noShowRate")}
          value={f.noShowRate === null ? "—" : `${f.noShowRate}%`}
          note={t("report.noShows", { count: f.noShows })}
        />
        <Figure label={t("report.visits")} value={f.visits} />
        <Figure label={t("report.served")} value={f.served} note={t("report.new", { count: f.newResidents })} />
        <Figure label={t("report.volunteerHours")} value={f.volunteerHours} />
        <Figure label={t("report.doctorHours")} value={f.doctorHours} />
        <Figure label={t("report.consultations")} value={f.consultations} note={t("report.consultationsBooked", { count: f.consultationsBooked })} />
      </ul>
      <p className="actions no-print">
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          {t("report.print")}
        </button>
        <a href={`/manage/reports.csv?month=${month.month}`} className="button-secondary" download>
          {t("report.csv")}
        </a>
        <a href={`/manage/reports.json?month=${month.month}`} className="button-secondary" download>
          {t("report.jsonDownload")}
        </a>
      </p>
      <AttendanceChart
        title={t("report.byCategory")}
        labels={{ category: t("report.category"), booked: t("report.booked"), attended: t("report.attended"), noShows: t("report.noShowsLabel") }}
        categories={month.categories.filter((c) => c.held > 0)}
      />
      <VisitsPerDayChart title={t("report.visitsPerDay")} dayLabel={t("report.day")} countLabel={t("report.visits")} days={month.visitsPerDay} />
      <h2>{t("report.visitsByLine")}</h2>
      <DataTable columns={[t("report.serviceLine"), t("report.reportingLine"), t("report.visits")]}>
        {month.visits.map((v) => (
          <tr key={v.name}>
            <th scope="row">
              {v.name}
              {v.archived ? ` ${t("report.archived")}` : ""}
            </th>
            <td>{v.reportingLine}</td>
            <td>{v.count}</td>
          </tr>
        ))}
      </DataTable>
      <h2>{t("report.ages")}</h2>
      <ul className="report-figures">
        {(Object.keys(month.ageBands) as (keyof typeof month.ageBands)[]).map((band) => (
          <Figure key={band} label={t(`report.age.${band}`)} value={month.ageBands[band]} />
        ))}
      </ul>
      <h2>{t("report.yearHeading", { year: trend.year })}</h2>
      <TrendChart
        title={t("report.trend", { year: trend.year })}
        labels={{ month: t("report.month"), visits: t("report.visits"), attended: t("report.attended") }}
        months={trend.months.filter((m) => m.reached)}
      />
    </section>
  );
}
