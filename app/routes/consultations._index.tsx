import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { cancelConsultationFromForm, personConsultationsView, servicesView } from "~/lib/consultations.server";
import { MyConsultations } from "~/components/my-consultations";
import { Notice } from "~/components/form";
import { listProviderHours } from "#models/consultations/hours";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** 咨询预约: the one-to-one services and the viewer's own coming consultations. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const [services, mine, hours] = await Promise.all([
    servicesView(ctx),
    personConsultationsView(ctx, ctx.viewer.personId),
    listProviderHours(ctx.db, ctx.station.id),
  ]);
  // A provider finds their own day (我的咨询) from here.
  const provides = hours.some((h) => h.providerPersonId === ctx.viewer.personId);
  return { pageTitle: ctx.t("consult.title"), services, mine, provides };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return cancelConsultationFromForm(ctx, await readForm(request, ctx.t), "/consultations");
}

export default function Consultations() {
  const t = useT();
  const { services, mine, provides } = useLoaderData<typeof loader>();
  const cancelled = useSearchParams()[0].get("done") === "cancelled";
  return (
    <section className="consult">
      <h1>{t("consult.title")}</h1>
      <p className="lead">{t("consult.intro")}</p>
      {provides ? (
        <p>
          <Link to="/my/consultations" className="button-secondary">
            {t("nav.myConsultations")}
          </Link>
        </p>
      ) : null}
      {cancelled ? <Notice tone="ok">{t("consult.cancelled")}</Notice> : null}
      {mine.length ? <MyConsultations items={mine} action="/consultations" /> : null}
      <h2>{t("consult.services")}</h2>
      {services.length === 0 ? <p className="empty">{t("consult.noServices")}</p> : null}
      <ul className="consult-services">
        {services.map((s) => (
          <li key={s.id} className="panel">
            <h3>{s.name}</h3>
            <p className="help">
              {s.kind ? `${s.kind} · ` : ""}
              {t("consult.minutes", { minutes: s.minutes })}
            </p>
            <p>{s.nextFree ? t("consult.nextFree", { when: s.nextFree }) : t("consult.noneFree", { days: s.aheadDays })}</p>
            <Link to={`/consultations/${s.id}`} className="button-primary" aria-label={t("consult.chooseNamed", { name: s.name })}>
              {t("consult.choose")}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
