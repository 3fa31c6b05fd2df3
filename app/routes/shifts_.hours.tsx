import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { authorize } from "~/lib/guard.server";
import { hoursView } from "~/lib/shifts.server";
import { useT } from "~/lib/view";
import shiftStyles from "~/styles/shifts.css?url";
import { titleMeta } from "~/lib/meta";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta = titleMeta("myHours.title");

// A sibling of 我的排班, not its child (the trailing _ in the file name): /shifts has no <Outlet>.
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const param = new URL(request.url).searchParams.get("year");
  const year = param === null ? DateTime.now().setZone(ctx.station.timeZone).year : /^\d{4}$/.test(param) ? Number(param) : NaN;
  if (!(year >= 2000 && year <= 2100)) throw new Response(ctx.t("error.badRequest"), { status: 400 });
  return hoursView(ctx, ctx.viewer.personId, year);
}

export default function MyHours() {
  const t = useT();
  const { year, rows, totals } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("myHours.title")}</h1>
      <nav className="sub-nav" aria-label={t("shifts.title")}>
        <Link to="/shifts">{t("shifts.title")}</Link>
        <Link to="/shifts/availability">{t("shifts.toAvailability")}</Link>
      </nav>
      <div className="period-nav">
        <Link to={`/shifts/hours?year=${year - 1}`} className="button-secondary" rel="prev">
          {t("myHours.prevYear")}
        </Link>
        <h2 className="period-title">{t("myHours.year", { year })}</h2>
        <Link to={`/shifts/hours?year=${year + 1}`} className="button-secondary" rel="next">
          {t("myHours.nextYear")}
        </Link>
      </div>
      <DataTable
        className="hours-table"
        columns={[t("myHours.month"), t("myHours.attended"), t("myHours.manual"), t("myHours.total")]}
        foot={
          <tr>
            <th scope="row">{t("myHours.yearTotal")}</th>
            <td>{totals.attended}</td>
            <td>{totals.manual}</td>
            <td>{totals.total}</td>
          </tr>
        }
      >
        {rows.map((r) => (
          <tr key={r.month}>
            <th scope="row">{t("myHours.monthName", { month: r.month })}</th>
            <td>{r.attended}</td>
            <td className={r.hasManual ? "manual-mark" : undefined}>{r.manual}</td>
            <td>{r.total}</td>
          </tr>
        ))}
      </DataTable>
      <p className="help">{t("myHours.manualHelp")}</p>
    </section>
  );
}
