import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSession } from "#models/sessions";
import { authorize, STAFF } from "~/lib/guard.server";
import { notFound, parseId } from "~/lib/http.server";
import { dateFormatter } from "~/lib/dates.server";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.session.title : "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const id = parseId(params.id, ctx.t);
  const session = await getSession(ctx.db, ctx.station.id, id);
  if (!session) throw notFound(ctx.t);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    session: {
      id: session.id,
      activityId: session.activityId,
      title: session.title,
      category: localName(ctx.locale, { nameZh: session.categoryNameZh, nameEn: session.categoryNameEn }),
      color: session.color,
      when: fmt.range(session.startsAt, session.endsAt),
      location: session.location,
      leader: session.leader,
      description: session.description,
      capacity: session.capacity,
      placesLeft: Math.max(0, session.capacity - session.taken),
      cancelled: session.status === "cancelled",
      moved: session.moved,
      backTo: `/calendar?month=${fmt.at(session.startsAt).toFormat("yyyy-MM")}`,
    },
    canManage: !!ctx.viewer?.roles.some((r) => STAFF.includes(r)),
  };
}

export default function SessionPage() {
  const t = useT();
  const { session, canManage } = useLoaderData<typeof loader>();
  return (
    <article className="panel session-page" style={{ borderTopColor: session.color }}>
      <p className="eyebrow">{session.category}</p>
      <h1>{session.title}</h1>
      {session.cancelled ? (
        <p className="notice notice-cancelled" role="status">
          {t("session.cancelledNotice")}
        </p>
      ) : session.moved ? (
        <p className="notice" role="status">
          {t("session.movedNotice")}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("session.when")}</dt>
        <dd>{session.when}</dd>
        {session.location ? (
          <>
            <dt>{t("session.where")}</dt>
            <dd>{session.location}</dd>
          </>
        ) : null}
        {session.leader ? (
          <>
            <dt>{t("session.leader")}</dt>
            <dd>{session.leader}</dd>
          </>
        ) : null}
        <dt>{t("session.placesLeft")}</dt>
        <dd>
          {session.cancelled ? "—" : `${session.placesLeft} / ${session.capacity}`}
        </dd>
      </dl>
      {session.description ? (
        <section>
          <h2>{t("session.about")}</h2>
          <p className="prose">{session.description}</p>
        </section>
      ) : null}
      <p className="actions no-print">
        <Link to={session.backTo} className="button-secondary">
          {t("session.back")}
        </Link>
        {canManage ? (
          <>
            <Link to={`/manage/sessions/${session.id}`} className="button-secondary">
              {t("session.edit")}
            </Link>
            <Link to={`/manage/activities/${session.activityId}`} className="button-secondary">
              {t("session.editSeries")}
            </Link>
          </>
        ) : null}
      </p>
    </article>
  );
}
