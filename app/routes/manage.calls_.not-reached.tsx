import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import callsStyles from "~/styles/calls.css?url";
import { notReached, NOT_REACHED_MAX_DAYS } from "#models/reach/not-reached";
import { authorize, STAFF } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { orPageError } from "~/lib/http.server";
import { isIsoDate } from "~/lib/fields";
import { Field } from "~/components/field";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: callsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** Who was not reached over a range of days (the last 7 unless asked): no reminder sent to anyone, no call marked. Staff only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const params = new URL(request.url).searchParams;
  const zone = ctx.station.timeZone;
  const today = DateTime.now().setZone(zone);
  const from = isIsoDate(params.get("from") ?? "") ? params.get("from")! : today.minus({ days: 7 }).toISODate()!;
  const to = isIsoDate(params.get("to") ?? "") ? params.get("to")! : today.toISODate()!;
  const report = await orPageError(notReached(ctx.db, { stationId: ctx.station.id, timeZone: zone }, { from, to }), ctx.t);
  const fmt = dateFormatter(ctx.locale, zone);
  const en = ctx.locale === "en";
  return {
    pageTitle: ctx.t("notReached.title"),
    from,
    to,
    maxDays: NOT_REACHED_MAX_DAYS,
    total: report.rows.length,
    byCaretaker: report.byCaretaker.map((c) => ({ key: String(c.caretakerId), name: c.name, count: c.count })),
    byCategory: report.byCategory.map((c) => ({ key: c.categoryId, name: en ? c.nameEn : c.nameZh, count: c.count })),
    rows: report.rows.map((r) => ({
      key: `${r.personId}:${r.sessionId}`,
      name: r.fullName,
      phone: r.phone,
      when: `${fmt.localDate(r.startsAt)} ${fmt.time(r.startsAt)}`,
      title: r.title,
      caretaker: r.caretakerName,
    })),
  };
}

export default function NotReached() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="calls">
      <h1>{t("notReached.title")}</h1>
      <p className="help">{t("notReached.intro")}</p>
      <Form method="get" className="calls-day no-print">
        <Field id="nr-from" name="from" type="date" label={t("notReached.from")} defaultValue={data.from} required />
        <Field id="nr-to" name="to" type="date" label={t("notReached.to")} defaultValue={data.to} required />
        <button type="submit" className="button-secondary">
          {t("notReached.show")}
        </button>
      </Form>
      <p className="help">{t("notReached.rangeTooLong", { days: data.maxDays })}</p>
      {data.total === 0 ? (
        <p className="empty">{t("notReached.none")}</p>
      ) : (
        <>
          <h2>{t("notReached.total", { count: data.total })}</h2>
          <div className="report-columns">
            <table className="data-table">
              <caption>{t("notReached.byCaretaker")}</caption>
              <tbody>
                {data.byCaretaker.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{c.name ?? t("notReached.noCaretaker")}</th>
                    <td>{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="data-table">
              <caption>{t("notReached.byCategory")}</caption>
              <tbody>
                {data.byCategory.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{c.name}</th>
                    <td>{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t("notReached.people")}</h2>
          <DataTable columns={[t("calls.person"), t("calls.phone"), t("calls.time"), t("calls.session"), t("calls.caretaker")]}>
            {data.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td>{r.phone ? <a href={`tel:${r.phone.replace(/[^0-9+]/g, "")}`}>{r.phone}</a> : "—"}</td>
                <td>{r.when}</td>
                <td>{r.title}</td>
                <td>{r.caretaker ?? t("notReached.noCaretaker")}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}
