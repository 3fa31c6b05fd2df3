import { Link } from "@remix-run/react";
import type { OccurrencesView } from "~/lib/series-occurrences.server";
import { useT } from "~/lib/view";
import { DataTable } from "./data-table";

type Row = OccurrencesView["upcoming"][number];

/** A series' sessions: upcoming first, the ended ones folded away and paged; each opens its edit page. */
export function SeriesOccurrences({ upcoming, upcomingTotal, upcomingShown, past, pastTotal, pastPage, pastPages }: OccurrencesView) {
  const t = useT();
  const first = upcoming.slice(0, upcomingShown);
  const rest = upcoming.slice(upcomingShown);
  return (
    <section className="occurrences" aria-labelledby="occurrences-title">
      <h2 id="occurrences-title">{t("occurrences.title", { count: upcomingTotal })}</h2>
      {upcoming.length === 0 ? <p className="empty">{t("occurrences.noneUpcoming")}</p> : <OccurrenceTable rows={first} />}
      {rest.length ? (
        <details className="occurrences-more">
          <summary>{t("occurrences.showMore", { count: rest.length })}</summary>
          <OccurrenceTable rows={rest} />
        </details>
      ) : null}
      {upcomingTotal > upcoming.length ? <p>{t("occurrences.beyond", { count: upcomingTotal - upcoming.length })}</p> : null}
      {pastTotal > 0 || pastPage > 1 ? (
        // Open when the address asks for a page of them, so paging keeps them in view.
        <details className="occurrences-past" open={pastPage > 1} id="past">
          <summary>{t("occurrences.past", { count: pastTotal })}</summary>
          {past.length ? <OccurrenceTable rows={past} /> : <p className="empty">{t("occurrences.nonePast")}</p>}
          {pastPages > 1 ? (
            <nav className="actions" aria-label={t("occurrences.pastPages")}>
              {pastPage > 1 ? <Link to={`?past=${pastPage - 1}#past`}>{t("occurrences.later")}</Link> : null}
              <span>{t("occurrences.page", { page: pastPage, pages: pastPages })}</span>
              {pastPage < pastPages ? <Link to={`?past=${pastPage + 1}#past`}>{t("occurrences.earlier")}</Link> : null}
            </nav>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}

function OccurrenceTable({ rows }: { rows: Row[] }) {
  const t = useT();
  return (
    <DataTable
      className="occurrence-table"
      columns={[
        t("occurrences.date"),
        t("occurrences.time"),
        t("occurrences.place"),
        t("occurrences.bookedHeading"),
        t("occurrences.state"),
        { label: t("manage.edit"), hidden: true },
      ]}
    >
      {rows.map((o) => (
        <tr key={o.id} data-session={o.id} className={o.cancelled ? "occurrence-cancelled" : undefined}>
          <th scope="row">{o.date}</th>
          <td>{o.time}</td>
          <td>{o.place}</td>
          <td>
            {o.booked}
            {o.full && !o.cancelled ? ` · ${t("occurrences.full")}` : ""}
          </td>
          <td>
            {o.cancelled ? <span className="badge badge-cancelled">{t("occurrences.cancelled")}</span> : null}
            {o.moved ? <span className="badge badge-moved">{t("occurrences.moved")}</span> : null}
          </td>
          <td>
            <Link to={`/manage/sessions/${o.id}`} aria-label={t("occurrences.editOne", { date: o.date, time: o.time })}>
              {t("manage.edit")}
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
