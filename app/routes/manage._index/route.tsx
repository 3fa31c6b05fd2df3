import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listActivities } from "#models/activities";
import { householdsLeftByErasure } from "#models/privacy/unassigned";
import { ADMIN, authorize, STAFF } from "~/lib/guard.server";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";
import { Notice } from "~/components/form";
import { describeRule } from "./rule-summary.server";
import { titleMeta } from "~/lib/meta";
import { DataTable } from "~/components/data-table";

export const meta = titleMeta("manage.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const [activities, unassigned] = await Promise.all([listActivities(ctx.db, ctx.station.id), householdsLeftByErasure(ctx.db, ctx.station.id)]);
  return {
    isAdmin: ctx.viewer.roles.some((r) => ADMIN.includes(r)),
    // Households an erasure left without a caretaker, until each has one again (ADR 23, addendum).
    unassigned,
    activities: activities.map((a) => ({
      id: a.id,
      title: a.title,
      category: localName(ctx.locale, { nameZh: a.categoryNameZh, nameEn: a.categoryNameEn }),
      repeat: describeRule(ctx, a.rrule, a.startDate, a.startTime),
      capacity: a.capacity,
      upcoming: a.upcomingSessions,
    })),
  };
}

export default function Manage() {
  const t = useT();
  const { activities, isAdmin, unassigned } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("manage.title")}</h1>
      {unassigned > 0 ? (
        <Notice tone="warning">
          {t("manage.unassigned", { n: unassigned })}{" "}
          <Link to="/manage/households?caretaker=none" className="tap-link">
            {t("care.filter.noCaretaker")}
          </Link>
        </Notice>
      ) : null}
      <p>
        <Link to="/manage/activities/new" className="button-primary">
          {t("manage.newSeries")}
        </Link>
      </p>
      <nav aria-label={t("manage.more")} className="manage-links">
        <Link to="/manage/roster">{t("manage.roster")}</Link>
        <Link to="/manage/roster/suggest">{t("manage.suggest")}</Link>
        <Link to="/manage/roster/limits">{t("limits.title")}</Link>
        <Link to="/manage/hours">{t("manage.hours")}</Link>
        <Link to="/manage/households">{t("nav.households")}</Link>
        <Link to="/manage/skills">{t("manage.skills")}</Link>
        <Link to="/manage/reports">{t("report.heading")}</Link>
        <Link to="/manage/consultations">{t("consult.manageTitle")}</Link>
        <Link to="/manage/calls">{t("calls.title")}</Link>
        <Link to="/manage/calls/not-reached">{t("notReached.title")}</Link>
        <Link to="/desk">{t("tally.title")}</Link>
        {isAdmin ? <Link to="/manage/service-lines">{t("lines.title")}</Link> : null}
        {isAdmin ? <Link to="/manage/station">{t("station.title")}</Link> : null}
        {isAdmin ? <Link to="/manage/mail">{t("manage.mail")}</Link> : null}
        {isAdmin ? <Link to="/manage/outbox">{t("manage.outbox")}</Link> : null}
      </nav>
      {activities.length === 0 ? (
        <p className="empty">{t("manage.none")}</p>
      ) : (
        <DataTable
          columns={[
            t("manage.series"),
            t("session.category"),
            t("manage.repeat"),
            t("session.capacity"),
            t("manage.upcoming"),
            { label: t("manage.edit"), hidden: true },
          ]}
        >
          {activities.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.title}</th>
              <td>{a.category}</td>
              <td>{a.repeat}</td>
              <td>{a.capacity}</td>
              <td>{a.upcoming}</td>
              <td>
                <Link to={`/manage/activities/${a.id}`}>{t("manage.edit")}</Link>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
