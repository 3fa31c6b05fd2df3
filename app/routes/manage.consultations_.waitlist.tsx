import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useLoaderData } from "@remix-run/react";
import { listConsultationServices } from "#models/consultations/services";
import { authorize, STAFF } from "~/lib/guard.server";
import { stationWaitlistsView } from "~/lib/consultation-waitlist.server";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** Staff: each service's waitlist, first in line first, with the slot held for whoever has one (ADR 26). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const services = await listConsultationServices(ctx.db, ctx.station.id);
  return { pageTitle: ctx.t("waitlist.staffTitle"), services: await stationWaitlistsView(ctx, services) };
}

export default function ConsultationWaitlists() {
  const t = useT();
  const { services } = useLoaderData<typeof loader>();
  return (
    <section className="consult">
      <p className="consult-back">
        <Link to="/manage/consultations">← {t("consult.title")}</Link>
      </p>
      <h1>{t("waitlist.staffTitle")}</h1>
      {services.map((s) => (
        <div key={s.id} className="panel">
          <h2>{s.name}</h2>
          {s.entries.length ? (
            <ol className="consult-line">
              {s.entries.map((e) => (
                <li key={e.id}>
                  <strong>{e.person}</strong> · {e.days}
                  {e.offer ? (
                    <p className="help">
                      {t("waitlist.offered")}：{e.offer.when} · {e.offer.provider} · {t("waitlist.heldUntil", { until: e.offer.heldUntil })}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">{t("waitlist.staffNone")}</p>
          )}
        </div>
      ))}
    </section>
  );
}
