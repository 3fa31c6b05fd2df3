import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { DateTime } from "luxon";
import {
  addProviderHours,
  changeProviderDay,
  undoDayChange,
  listDayChanges,
  listProviderHours,
  requireHoursKeeper,
  servicesOfferedBy,
} from "#models/consultations/hours";
import { listConsultationServices } from "#models/consultations/services";
import { authorize, type AuthorisedContext } from "~/lib/guard.server";
import { domainFormError, fields, orPageError, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { dateFormatter } from "~/lib/dates.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import {
  changed,
  changeOf,
  changeWeeklyHours,
  confirmationFields,
  confirmationOf,
  hoursChangeRefusal,
  weeklyHoursChangeIntents,
  weeklyHoursFields,
} from "~/lib/hours-change.server";
import { HoursChange, WeeklyHoursChanges, type HoursChangeReply } from "~/components/hours-change";
import { StretchFields, WeeklyHoursFields } from "~/components/hours-form";
import { Field, SelectField } from "~/components/field";
import { Notice } from "~/components/form";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * 我的接待时间 (issue 12, ADR 28): a provider keeps their own weekly hours and their days off and
 * extra stretches; staff open the same page for a provider (`?provider=`). Who may is
 * `canManageHours`; anyone else's page is a 404. Changes over bookings ask first (ADR 27).
 */
async function keeperOf(request: Request, ctx: AuthorisedContext) {
  const asked = new URL(request.url).searchParams.get("provider");
  const id = asked === null ? ctx.viewer.personId : /^[0-9]{1,9}$/.test(asked) ? Number(asked) : 0;
  return orPageError(requireHoursKeeper(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id), ctx.t);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const keeper = await keeperOf(request, ctx);
  const today = DateTime.now().setZone(ctx.station.timeZone).toISODate()!;
  const [offered, all, hours, changes] = await Promise.all([
    servicesOfferedBy(ctx.db, ctx.station.id, keeper.id),
    listConsultationServices(ctx.db, ctx.station.id, { includeArchived: true }),
    listProviderHours(ctx.db, ctx.station.id),
    listDayChanges(ctx.db, ctx.station.id, keeper.id, today),
  ]);
  const name = new Map(all.map((s) => [s.id, localName(ctx.locale, s)]));
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const own = hours.filter((h) => h.providerPersonId === keeper.id && (h.untilDate === null || h.untilDate >= today));
  const self = keeper.id === ctx.viewer.personId;
  return {
    pageTitle: self ? ctx.t("ownHours.title") : ctx.t("ownHours.titleOf", { name: keeper.name }),
    query: self ? "" : `?provider=${keeper.id}`,
    services: offered.map((s) => ({ id: s.id, name: localName(ctx.locale, s) })),
    hours: own.map((h) => ({
      id: h.id,
      service: name.get(h.serviceId) ?? "",
      weekday: h.weekday,
      time: `${h.startTime}–${h.endTime}`,
      location: h.location,
      until: h.untilDate ? fmt.dayOfDate(h.untilDate) : null,
    })),
    changes: changes.map((c) => ({
      id: c.id,
      service: name.get(c.serviceId) ?? "",
      day: fmt.dayOfDate(c.localDate),
      kind: c.kind,
      time: c.startTime && c.endTime ? `${c.startTime}–${c.endTime}` : null,
      location: c.location,
    })),
  };
}

const intents = {
  hours: z.object({ serviceId: fields.id(), ...weeklyHoursFields }),
  extra: z.object({
    serviceId: fields.id(),
    localDate: fields.date(),
    startTime: weeklyHoursFields.startTime,
    endTime: weeklyHoursFields.endTime,
    location: weeklyHoursFields.location,
  }),
  dayOff: z.object({ serviceId: fields.id(), localDate: fields.date(), ...confirmationFields }),
  undoChange: z.object({ changeId: fields.id(), ...confirmationFields }),
  ...weeklyHoursChangeIntents,
};

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const keeper = await keeperOf(request, ctx);
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  const providerPersonId = keeper.id;
  try {
    switch (parsed.intent) {
      case "hours":
        await addProviderHours(ctx.db, scope, { ...parsed.data, providerPersonId });
        return { ok: true as const, message: ctx.t("consult.hoursAdded") };
      case "extra":
        await changeProviderDay(ctx.db, scope, { ...parsed.data, providerPersonId, kind: "extra" });
        return { ok: true as const, message: ctx.t("ownHours.extraAdded", { date: parsed.data.localDate }) };
      case "dayOff": {
        const { cancel, providerOk, ...day } = parsed.data;
        // Cancelling bookings mails their people: counted against the sender's budget.
        if (cancel) await spendMailBudgetOf(ctx);
        const done = await changeProviderDay(ctx.db, scope, { ...day, providerPersonId, kind: "off" }, confirmationOf({ cancel, providerOk }));
        return changed(ctx.t, done.cancelled, ctx.t("consult.dayOffAdded", { date: day.localDate }));
      }
      case "undoChange": {
        if (parsed.data.cancel) await spendMailBudgetOf(ctx);
        const done = await undoDayChange(ctx.db, scope, parsed.data.changeId, confirmationOf(parsed.data));
        return changed(ctx.t, done.cancelled, ctx.t("ownHours.undone"));
      }
      case "removeHours":
      case "endHours":
        if (parsed.data.cancel) await spendMailBudgetOf(ctx);
        return await changeWeeklyHours(ctx, parsed);
    }
  } catch (error) {
    if (parsed.intent === "dayOff" || parsed.intent === "undoChange" || parsed.intent === "removeHours" || parsed.intent === "endHours")
      return hoursChangeRefusal(error, ctx, changeOf(parsed.intent, parsed.data));
    return domainFormError(error, ctx.t);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function ServiceSelect({ id, services }: { id: string; services: Data["services"] }) {
  const t = useT();
  return <SelectField id={id} name="serviceId" label={t("ownHours.service")} options={services} required />;
}

/** Adding weekly hours or an extra stretch: one form each, its outcome under it. */
function AddForm({ intent, summary, go, children }: { intent: string; summary: string; go: string; children: ReactNode }) {
  const fetcher = useFetcher<HoursChangeReply>();
  const reply = fetcher.data;
  return (
    <details className="confirm-action">
      <summary className="button-secondary">{summary}</summary>
      <fetcher.Form method="post" className="form-grid">
        {children}
        <button type="submit" name="intent" value={intent} className="button-primary" disabled={fetcher.state !== "idle"}>
          {go}
        </button>
        {reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>}
      </fetcher.Form>
    </details>
  );
}

export default function OwnHours() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <section className="consult">
      <h1>{data.pageTitle}</h1>
      <p className="help">{t("ownHours.help")}</p>
      <h2>{t("ownHours.weekly")}</h2>
      {data.hours.length === 0 ? <p className="empty">{t("consult.noHours")}</p> : null}
      <ul className="consult-mine">
        {data.hours.map((h) => (
          <li key={h.id} className="panel">
            <h3 className="consult-when">
              {t(`consult.weekday${h.weekday}` as "consult.weekday1")} {h.time}
            </h3>
            <p>
              {h.service} · {h.location}
              {h.until ? ` · ${t("consult.endHoursDate")} ${h.until}` : ""}
            </p>
            <WeeklyHoursChanges hoursId={h.id} />
          </li>
        ))}
      </ul>
      <h2>{t("ownHours.changes")}</h2>
      {data.changes.length === 0 ? <p className="empty">{t("ownHours.noChanges")}</p> : null}
      <ul className="consult-changes">
        {data.changes.map((c) => (
          <li key={c.id}>
            <strong>{c.day}</strong> {c.service} ·{" "}
            {c.kind === "off" ? t("ownHours.off") : t("ownHours.extra", { time: c.time ?? "", location: c.location ?? "" })}
            <HoursChange
              label={t("ownHours.undo")}
              consequence={t(c.kind === "off" ? "ownHours.undoOffConsequence" : "ownHours.undoExtraConsequence")}
              confirmLabel={t("ownHours.undoGo")}
              fields={{ intent: "undoChange", changeId: c.id }}
            />
          </li>
        ))}
      </ul>
      {data.services.length === 0 ? (
        <p className="help">{t("ownHours.notProvider")}</p>
      ) : (
        <div className="actions-stack">
          <HoursChange
            label={t("consult.dayOffGo")}
            consequence={t("consult.dayOffConsequence")}
            confirmLabel={t("consult.dayOffGo")}
            fields={{ intent: "dayOff" }}
          >
            <ServiceSelect id="off-service" services={data.services} />
            <Field name="localDate" id="off-date" type="date" label={t("consult.dayOffDate")} required />
          </HoursChange>
          <AddForm intent="extra" summary={t("ownHours.addExtra")} go={t("ownHours.extraGo")}>
            <ServiceSelect id="extra-service" services={data.services} />
            <Field name="localDate" id="extra-date" type="date" label={t("ownHours.extraDate")} required />
            <StretchFields idPrefix="extra" />
          </AddForm>
          <AddForm intent="hours" summary={t("ownHours.addWeekly")} go={t("consult.addHoursGo")}>
            <ServiceSelect id="weekly-service" services={data.services} />
            <WeeklyHoursFields idPrefix="weekly" />
          </AddForm>
        </div>
      )}
      <p className="actions">
        <Link to="/my/consultations" className="button-secondary">
          {t("consult.providerTitle")}
        </Link>
      </p>
    </section>
  );
}
