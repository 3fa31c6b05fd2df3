import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { cancelConsultation, listProviderConsultations, markConsultationAttendance, nextProviderAppointment } from "#models/consultations/bookings";
import { DateTime } from "luxon";
import { authorize } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { consultationDay } from "~/lib/consultation-day.server";
import { domainFormError, fields, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { CancelAppointment } from "~/components/cancel-appointment";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * 我的咨询: a provider's appointments of one day, with names, phones and topics (the provider's
 * and staff's to read, ADR 18), attendance once begun, and a cancel until the start.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  const { appointments, dayEnd, ...day } = await consultationDay(ctx, request, "provider", (from, to) =>
    listProviderConsultations(ctx.db, scope, ctx.viewer.personId, from, to),
  );
  // An empty day points on to the next one with appointments (none: nothing is shown).
  const next = appointments.length === 0 ? await nextProviderAppointment(ctx.db, scope, ctx.viewer.personId, dayEnd) : null;
  const nextDay = next ? DateTime.fromJSDate(next, { zone: ctx.station.timeZone }).toISODate()! : null;
  return {
    pageTitle: ctx.t("consult.providerTitle"),
    ...day,
    nextBooked: nextDay ? { day: nextDay, label: dateFormatter(ctx.locale, ctx.station.timeZone).dayOfDate(nextDay) } : null,
    // One's own appointments: the provider is oneself.
    appointments: appointments.map(({ provider: _provider, ...a }) => a),
  };
}

const intents = {
  attendance: z.object({ consultationId: fields.id(), attendance: z.enum(["attended", "no_show", "no_show_excused"], "field.choice") }),
  cancel: z.object({ consultationId: fields.id() }),
};

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    if (parsed.intent === "attendance") {
      await markConsultationAttendance(ctx.db, scope, parsed.data.consultationId, parsed.data.attendance);
      return { ok: true as const, message: ctx.t("consult.attendanceSaved") };
    }
    await spendMailBudgetOf(ctx);
    await cancelConsultation(ctx.db, scope, parsed.data.consultationId);
    return { ok: true as const, message: ctx.t("consult.cancelled") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

type Reply = { ok: true; message: string } | { ok: false; formError: string } | undefined;

function Attendance({ id, current }: { id: number; current: string | null }) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const choice = (value: "attended" | "no_show", label: string) => (
    <button
      type="submit"
      name="attendance"
      value={value}
      className={current === value ? "button-primary" : "button-secondary"}
      aria-pressed={current === value}
      disabled={fetcher.state !== "idle"}
    >
      {label}
    </button>
  );
  return (
    <fetcher.Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="attendance" />
      <input type="hidden" name="consultationId" value={id} />
      {choice("attended", t("consult.attended"))}
      {choice("no_show", t("consult.noShow"))}
      <Notice tone="error">{fetcher.data && !fetcher.data.ok ? fetcher.data.formError : undefined}</Notice>
    </fetcher.Form>
  );
}

export default function ProviderDay() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="consult">
      <h1>{t("consult.providerTitle")}</h1>
      <p>
        <Link to="/my/consultations/hours" className="button-secondary">
          {t("ownHours.link")}
        </Link>
      </p>
      <nav className="period-nav" aria-label={t("consult.days")}>
        <Link to={`?day=${data.previous}`}>← {t("consult.previousDay")}</Link>
        <strong>{data.dayLabel}</strong>
        <Link to={`?day=${data.next}`}>{t("consult.nextDay")} →</Link>
      </nav>
      {data.appointments.length === 0 ? <p className="empty">{t("consult.noAppointments")}</p> : null}
      {data.nextBooked ? (
        <p>
          <Link to={`?day=${data.nextBooked.day}`} className="button-primary">
            {t("consult.nextBooked", { day: data.nextBooked.label })}
          </Link>
        </p>
      ) : null}
      <ul className="consult-mine">
        {data.appointments.map((a) => (
          <li key={a.id} className="panel">
            <h2 className="consult-when">
              {a.time} · {a.name}
            </h2>
            <p>
              {a.service} · {a.location}
            </p>
            <p>
              {t("consult.topic")}：{a.topic || t("consult.noTopic")}
            </p>
            {a.begun ? <Attendance id={a.id} current={a.attendance} /> : <CancelAppointment appointment={a} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
