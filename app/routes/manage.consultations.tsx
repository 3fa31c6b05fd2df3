import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CONSULTATION_KINDS, createConsultationService, listConsultationServices } from "#models/consultations/services";
import { addProviderHours, changeProviderDay, listHoursFor } from "#models/consultations/hours";
import { qualifiedPeopleBySkill, listSkills } from "#models/rosters/skills";
import { CONSULTATION } from "#models/limits";
import { hasAnyRole } from "#models/auth";
import { authorize, ADMIN, STAFF } from "~/lib/guard.server";
import { domainFormError, fields, readForm } from "~/lib/http.server";
import { parseIntent } from "~/lib/intent.server";
import { KIND_LABEL } from "~/lib/consultations.server";
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
import { WeeklyHoursFields } from "~/components/hours-form";
import { Field, SelectField } from "~/components/field";
import { Notice } from "~/components/form";
import { localName, type MessageKey } from "~/i18n";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** The consultation services (admins add them) and their providers' weekly hours and day changes (staff keep them). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const [services, hours, skills] = await Promise.all([
    listConsultationServices(ctx.db, ctx.station.id),
    // The hours the viewer may keep (`canManageHours`): for staff, every provider's.
    listHoursFor(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }),
    listSkills(ctx.db, ctx.station.id),
  ]);
  // Every service's providers in one statement, not one per service.
  const providers = await qualifiedPeopleBySkill(
    ctx.db,
    ctx.station.id,
    services.map((s) => s.skillId),
  );
  return {
    pageTitle: ctx.t("consult.manageTitle"),
    isAdmin: hasAnyRole(ctx.viewer, ADMIN),
    skills: skills.map((s) => ({ id: s.id, name: localName(ctx.locale, s) })),
    kinds: CONSULTATION_KINDS.map((k) => ({ value: k, label: ctx.t(KIND_LABEL[k]) })),
    services: services.map((s) => ({
      id: s.id,
      name: localName(ctx.locale, s),
      kind: ctx.t(KIND_LABEL[s.kind]) === localName(ctx.locale, s) ? null : ctx.t(KIND_LABEL[s.kind]),
      slotMinutes: s.slotMinutes,
      bufferMinutes: s.bufferMinutes,
      bookAheadDays: s.bookAheadDays,
      cancelDeadlineMinutes: s.cancelDeadlineMinutes,
      maxUpcoming: s.maxUpcoming,
      providers: (providers.get(s.skillId) ?? []).map((p) => ({ id: p.id, name: p.name })),
      hours: hours
        .filter((h) => h.serviceId === s.id)
        .map((h) => ({
          id: h.id,
          provider: h.providerName,
          providerId: h.providerPersonId,
          weekday: h.weekday,
          time: `${h.startTime}–${h.endTime}`,
          location: h.location,
          from: h.fromDate,
          until: h.untilDate,
        })),
    })),
  };
}

const intents = {
  service: z.object({
    kind: z.enum(CONSULTATION_KINDS, "field.choice"),
    nameZh: fields.text(CONSULTATION.name),
    nameEn: fields.text(CONSULTATION.nameEn),
    skillId: fields.id(),
    slotMinutes: fields.int(CONSULTATION.slotMinutes.min, CONSULTATION.slotMinutes.max),
    bufferMinutes: fields.int(CONSULTATION.bufferMinutes.min, CONSULTATION.bufferMinutes.max),
    bookAheadDays: fields.int(CONSULTATION.bookAheadDays.min, CONSULTATION.bookAheadDays.max),
    cancelDeadlineMinutes: fields.int(CONSULTATION.cancelDeadlineMinutes.min, CONSULTATION.cancelDeadlineMinutes.max),
    maxUpcoming: fields.int(CONSULTATION.maxUpcoming.min, CONSULTATION.maxUpcoming.max),
    // Left empty: the default, two hours (ADR 26).
    holdMinutes: fields.optionalInt(CONSULTATION.holdMinutes.min, CONSULTATION.holdMinutes.max).optional(),
  }),
  hours: z.object({ serviceId: fields.id(), providerPersonId: fields.id(), ...weeklyHoursFields }),
  // A change over bookings needs them confirmed (ADR 27): `cancel` and `providerOk` come with the confirm step.
  dayOff: z.object({ serviceId: fields.id(), providerPersonId: fields.id(), localDate: fields.date(), ...confirmationFields }),
  ...weeklyHoursChangeIntents,
};

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const parsed = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!parsed.ok) return parsed.reply;
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  try {
    switch (parsed.intent) {
      case "service":
        await createConsultationService(ctx.db, scope, parsed.data);
        return { ok: true as const, message: ctx.t("consult.serviceAdded", { name: parsed.data.nameZh }) };
      case "hours":
        await addProviderHours(ctx.db, scope, parsed.data);
        return { ok: true as const, message: ctx.t("consult.hoursAdded") };
      case "dayOff": {
        const { cancel, providerOk, ...day } = parsed.data;
        const done = await changeProviderDay(ctx.db, scope, { ...day, kind: "off" }, confirmationOf({ cancel, providerOk }));
        return changed(ctx.t, done.cancelled, ctx.t("consult.dayOffAdded", { date: day.localDate }));
      }
      case "removeHours":
      case "endHours":
        return await changeWeeklyHours(ctx, parsed);
    }
  } catch (error) {
    if (parsed.intent === "dayOff" || parsed.intent === "removeHours" || parsed.intent === "endHours")
      return hoursChangeRefusal(error, ctx, changeOf(parsed.intent, parsed.data));
    return domainFormError(error, ctx.t);
  }
}

type Reply = HoursChangeReply;

function Outcome({ reply }: { reply: Reply }) {
  return reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>;
}

type ServiceRow = ReturnType<typeof useLoaderData<typeof loader>>["services"][number];

function ServiceHours({ service }: { service: ServiceRow }) {
  const t = useT();
  const add = useFetcher<Reply>();
  const errors = add.data && !add.data.ok ? (add.data.fieldErrors ?? {}) : {};
  const providerSelect = (id: string) => (
    <SelectField id={id} name="providerPersonId" label={t("consult.provider")} options={service.providers} required />
  );
  return (
    <div className="panel consult-service">
      <h2>{service.name}</h2>
      <p className="help">
        {service.kind ? `${service.kind} · ` : ""}
        {t("consult.minutes", { minutes: service.slotMinutes })} · {t("consult.buffer", { minutes: service.bufferMinutes })} ·{" "}
        {t("consult.ahead", { days: service.bookAheadDays })} · {t("consult.maxUpcoming", { max: service.maxUpcoming })}
      </p>
      {service.hours.length ? (
        <DataTable
          columns={[
            t("consult.provider"),
            t("consult.weekday"),
            t("consult.hours"),
            t("consult.room"),
            { label: t("consult.removeHours"), hidden: true },
          ]}
        >
          {service.hours.map((h) => (
            <tr key={h.id}>
              <th scope="row">
                <Link to={`/my/consultations/hours?provider=${h.providerId}`}>{h.provider}</Link>
              </th>
              <td>{t(`consult.weekday${h.weekday}` as "consult.weekday1")}</td>
              <td>{h.time}</td>
              <td>{h.location}</td>
              <td>
                <WeeklyHoursChanges hoursId={h.id} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="empty">{t("consult.noHours")}</p>
      )}
      {service.providers.length === 0 ? (
        <p className="help">{t("consult.noProviders")}</p>
      ) : (
        <details>
          <summary className="button-secondary">{t("consult.addHours")}</summary>
          <add.Form method="post" className="form-grid">
            <input type="hidden" name="serviceId" value={service.id} />
            {providerSelect(`p-${service.id}`)}
            <WeeklyHoursFields idPrefix={`h-${service.id}`} errors={errors} />
            <button type="submit" name="intent" value="hours" className="button-primary" disabled={add.state !== "idle"}>
              {t("consult.addHoursGo")}
            </button>
            <Outcome reply={add.data} />
          </add.Form>
          <HoursChange
            label={t("consult.dayOffGo")}
            consequence={t("consult.dayOffConsequence")}
            confirmLabel={t("consult.dayOffGo")}
            fields={{ intent: "dayOff", serviceId: service.id }}
          >
            {providerSelect(`po-${service.id}`)}
            <Field name="localDate" id={`d-${service.id}`} type="date" label={t("consult.dayOffDate")} required />
          </HoursChange>
        </details>
      )}
    </div>
  );
}

/** A new service's numbers: their bounds are the domain's (models/limits.ts), their first values the usual. */
interface ServiceNumber {
  name: "slotMinutes" | "bufferMinutes" | "bookAheadDays" | "cancelDeadlineMinutes" | "maxUpcoming" | "holdMinutes";
  label: MessageKey;
  help?: MessageKey;
  initial: number;
  required: boolean;
}
const SERVICE_NUMBERS: readonly ServiceNumber[] = [
  { name: "slotMinutes", label: "consult.slotMinutes", initial: 30, required: true },
  { name: "bufferMinutes", label: "consult.bufferMinutes", initial: 10, required: true },
  { name: "bookAheadDays", label: "consult.bookAheadDays", initial: 14, required: true },
  { name: "cancelDeadlineMinutes", label: "consult.cancelDeadlineMinutes", initial: 120, required: true },
  { name: "maxUpcoming", label: "consult.maxUpcomingLabel", initial: 1, required: true },
  { name: "holdMinutes", label: "consult.holdMinutesLabel", help: "consult.holdMinutesHelp", initial: 120, required: false },
];

export default function ManageConsultations() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const create = useFetcher<Reply>();
  const errors = create.data && !create.data.ok ? (create.data.fieldErrors ?? {}) : {};
  return (
    <section>
      <h1>{t("consult.manageTitle")}</h1>
      <p className="help">{t("consult.manageHelp")}</p>
      <p>
        <Link to="/manage/consultations/day" className="button-primary">
          {t("consult.dayTitle")}
        </Link>{" "}
        <Link to="/manage/consultations/waitlist" className="button-secondary">
          {t("waitlist.staffLink")}
        </Link>
      </p>
      {data.services.map((s) => (
        <ServiceHours key={s.id} service={s} />
      ))}
      {data.isAdmin ? (
        <>
          <h2>{t("consult.addService")}</h2>
          <create.Form method="post" className="panel form-grid">
            <div className="field">
              <label htmlFor="kind">{t("consult.kind")}</label>
              <select id="kind" name="kind">
                {data.kinds.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </select>
            </div>
            <Field name="nameZh" label={t("categories.nameZh")} required maxLength={CONSULTATION.name} error={errors.nameZh} />
            <Field name="nameEn" label={t("categories.nameEn")} required maxLength={CONSULTATION.nameEn} error={errors.nameEn} />
            <SelectField id="skillId" name="skillId" label={t("consult.skill")} options={data.skills} />
            {SERVICE_NUMBERS.map((n) => (
              <Field
                key={n.name}
                name={n.name}
                type="number"
                label={t(n.label)}
                help={n.help ? t(n.help) : undefined}
                required={n.required}
                min={CONSULTATION[n.name].min}
                max={CONSULTATION[n.name].max}
                defaultValue={n.initial}
                error={errors[n.name]}
              />
            ))}
            <button type="submit" name="intent" value="service" className="button-primary" disabled={create.state !== "idle"}>
              {t("consult.addServiceGo")}
            </button>
            <Outcome reply={create.data} />
          </create.Form>
        </>
      ) : null}
      <p className="actions">
        <Link to="/consultations" className="button-secondary">
          {t("consult.title")}
        </Link>
      </p>
    </section>
  );
}
