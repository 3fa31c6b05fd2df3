import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { cancelConsultation, listStationConsultations } from "#models/consultations/bookings";
import { authorize, STAFF } from "~/lib/guard.server";
import { consultationDay } from "~/lib/consultation-day.server";
import { domainFormError, fields, formError, parseForm, readForm } from "~/lib/http.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { CancelAppointment } from "~/components/cancel-appointment";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * A day's consultations across every provider, for staff: who comes when, to whom, and why
 * (staff may read topics, ADR 18) — for the phone when a provider is ill, and for the desk.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  const { dayLabel, previous, next, appointments } = await consultationDay(ctx, request, "consultations_day", (from, to) =>
    listStationConsultations(ctx.db, scope, from, to),
  );
  return { pageTitle: ctx.t("consult.dayTitle"), dayLabel, previous, next, appointments };
}

const schema = z.object({ intent: z.literal("cancel", "field.choice"), consultationId: fields.id() });

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const parsed = parseForm(await readForm(request, ctx.t), schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    await spendMailBudgetOf(ctx);
    await cancelConsultation(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data.consultationId);
    return { ok: true as const, message: ctx.t("consult.cancelled") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function StationDay() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="consult">
      <h1>{t("consult.dayTitle")}</h1>
      <nav className="period-nav" aria-label={t("consult.days")}>
        <Link to={`?day=${data.previous}`}>← {t("consult.previousDay")}</Link>
        <strong>{data.dayLabel}</strong>
        <Link to={`?day=${data.next}`}>{t("consult.nextDay")} →</Link>
      </nav>
      {data.appointments.length === 0 ? (
        <p className="empty">{t("consult.noAppointments")}</p>
      ) : (
        <DataTable
          columns={[t("consult.hours"), t("consult.client"), t("consult.provider"), t("consult.topic"), { label: t("consult.cancel"), hidden: true }]}
        >
          {data.appointments.map((a) => (
            <tr key={a.id}>
              <td>{a.time}</td>
              <th scope="row">{a.name}</th>
              <td>
                {a.service} · {a.provider} · {a.location}
              </td>
              <td>{a.topic || t("consult.noTopic")}</td>
              <td>
                {a.begun ? (
                  a.attendance ? (
                    t(a.attendance === "attended" ? "consult.attended" : "consult.noShow")
                  ) : null
                ) : (
                  <CancelAppointment appointment={a} />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
