import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireService } from "#models/consultations/services";
import { getConsultation } from "#models/consultations/bookings";
import { NotFound } from "#models/errors";
import { consultationPicker } from "#models/care/picker";
import { searchPeople } from "#models/people";
import { offerReachedBy } from "#models/reach/offer-calls";
import { authorize, STAFF } from "~/lib/guard.server";
import { idOf } from "~/lib/fields";
import { orPageError, parseId, readForm } from "~/lib/http.server";
import { dateFormatter } from "~/lib/dates.server";
import { bookFromForm, serviceSlotsView } from "~/lib/consultations.server";
import { serviceWaitlistView, waitlistFromForm } from "~/lib/consultation-waitlist.server";
import { WaitlistPanel } from "~/components/consultation-waitlist";
import { hasAnyRole } from "#models/auth";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { personLabel } from "~/components/person-search";
import { localName } from "~/i18n";
import { TopicField } from "~/components/consultation-topic";
import { useT } from "~/lib/view";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.service.name ?? "Hearth" }];

/** One service: its days, the chosen day's slots by provider, and the booking step for a chosen slot. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const id = parseId(params.id, ctx.t);
  const service = await orPageError(requireService(ctx.db, ctx.station.id, id, { live: true }), ctx.t);
  const url = new URL(request.url).searchParams;
  const staff = hasAnyRole(ctx.viewer, STAFF);
  const bookedId = idOf(url.get("booked") ?? undefined);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  // A booking the viewer may not see (or that is gone) is simply not announced.
  const booked = bookedId
    ? await getConsultation(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, bookedId).catch((error: unknown) => {
        if (error instanceof NotFound) return null;
        throw error;
      })
    : null;
  // Just booked: the page stays on the booked day (now perhaps full) rather than jumping on.
  const view = await serviceSlotsView(ctx, service, {
    day: booked ? fmt.localDate(booked.startsAt) : url.get("day"),
    provider: idOf(url.get("provider") ?? undefined),
    slot: url.get("slot"),
  });
  const q = staff && view.chosen ? (url.get("q") ?? "").trim().slice(0, 50) : "";
  const waitlist = await serviceWaitlistView(ctx, service);
  const waiting = url.get("waiting");
  const joinedKey =
    waiting === "joined" && (await offerReachedBy(ctx.db, ctx.viewer.personId)) === "phone" ? "waitlist.joinedByPhone" : "waitlist.joined";
  const found = q ? await searchPeople(ctx.db, ctx.station.id, q, 10) : [];
  // A caretaker books for herself or for the people in her care (models/care/picker.ts says who).
  const cared = !staff && view.chosen ? await consultationPicker(ctx.db, ctx.station.id, ctx.viewer) : [];
  const forOthers = cared.length
    ? [
        { id: ctx.viewer.personId, label: ctx.t("consult.forMyself") },
        ...cared.map((p) => ({ id: p.id, label: p.household ? `${p.name}（${p.household}）` : p.name })),
      ]
    : [];
  return {
    service: { id: service.id, name: localName(ctx.locale, service), minutes: service.slotMinutes, aheadDays: service.bookAheadDays },
    ...view,
    staff,
    q,
    waitlist,
    waitingNotice: waiting === "joined" ? ctx.t(joinedKey) : waiting === "left" ? ctx.t("waitlist.left") : null,
    found: staff
      ? found.map((p) => ({ id: p.id, label: personLabel({ name: p.fullName, birthYear: p.birthYear, household: p.household }) }))
      : forOthers,
    defaultPersonId: staff ? null : ctx.viewer.personId,
    booked: booked
      ? {
          when: fmt.range(booked.startsAt, booked.endsAt),
          provider: booked.providerName,
          location: booked.location,
          person: booked.personName,
          self: booked.personId === ctx.viewer.personId,
        }
      : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const id = parseId(params.id, ctx.t);
  const form = await readForm(request, ctx.t);
  const intent = form.get("intent");
  if (intent === "wait" || intent === "leave") return waitlistFromForm(ctx, id, form);
  return bookFromForm(ctx, id, form);
}

/** A refusal of the waitlist's form (it echoes its intent), shown by that form, not the booking's. */
const forWaitlist = (reply: object) => "values" in reply && typeof reply.values === "object" && reply.values !== null && "intent" in reply.values;

export default function ConsultationService() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = usePending({ intent: "book" });
  const { service, days, day, dayLabel, providers, provider, groups, chosen, booked } = data;
  const link = (changes: Record<string, string | number | null>) => {
    const params = new URLSearchParams();
    const next = { day, provider, ...changes };
    for (const [key, value] of Object.entries(next)) if (value !== null && value !== undefined) params.set(key, String(value));
    return `?${params.toString()}`;
  };
  return (
    <section className="consult">
      <p>
        <Link to="/consultations">← {t("consult.title")}</Link>
      </p>
      <h1>{service.name}</h1>
      <p className="lead">
        {t("consult.minutes", { minutes: service.minutes })} · {t("consult.ahead", { days: service.aheadDays })}
      </p>
      {booked ? (
        <Notice tone="ok" block>
          <p>
            <strong>{booked.self ? t("consult.bookedSelf") : t("consult.bookedFor", { name: booked.person })}</strong>
          </p>
          <p className="consult-when">{booked.when}</p>
          <p>
            {booked.provider} · {booked.location}
          </p>
          <p>
            <Link to="/bookings">{t("consult.toBookings")}</Link>
          </p>
        </Notice>
      ) : null}
      {/* At the top, by the heading: on a phone the day and time buttons would push it below the fold. */}
      {data.waitingNotice ? <Notice tone="ok">{data.waitingNotice}</Notice> : null}
      {days.length === 0 ? <p className="empty">{t("consult.noneFree", { days: service.aheadDays })}</p> : null}
      {providers.length > 1 ? (
        <p className="consult-providers">
          {t("consult.provider")}：
          <Link to={link({ provider: null, slot: null })} aria-current={provider === null ? "true" : undefined}>
            {t("consult.anyProvider")}
          </Link>
          {providers.map((p) => (
            <Link key={p.id} to={link({ provider: p.id, slot: null })} aria-current={provider === p.id ? "true" : undefined}>
              {p.name}
            </Link>
          ))}
        </p>
      ) : null}
      {days.length ? (
        <nav aria-label={t("consult.days")}>
          <h2>{t("consult.pickDay")}</h2>
          <ul className="consult-days">
            {days.map((d) => (
              <li key={d.date}>
                <Link
                  to={link({ day: d.date, slot: null })}
                  className={d.date === day ? "consult-day is-current" : "consult-day"}
                  aria-current={d.date === day ? "date" : undefined}
                >
                  <span>
                    <span className="consult-day-piece">{d.label[0]}</span> <span className="consult-day-piece">{d.label[1]}</span>
                  </span>
                  <span className="help">{d.free ? t("consult.freeCount", { n: d.free }) : t("consult.full")}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {dayLabel ? <h2>{t("consult.pickTime", { day: dayLabel })}</h2> : null}
      {groups.map((g) => (
        <div key={g.providerId} className="consult-group">
          <h3>
            {g.providerName} <span className="help">· {g.location}</span>
          </h3>
          <ul className="consult-slots">
            {g.slots.map((s) =>
              s.free ? (
                <li key={s.startsAt}>
                  <Link
                    to={`${link({ slot: s.startsAt, provider })}#confirm`}
                    className={chosen?.startsAt === s.startsAt && chosen.providerId === g.providerId ? "consult-slot is-current" : "consult-slot"}
                  >
                    {s.time}
                  </Link>
                </li>
              ) : (
                <li key={s.startsAt}>
                  <span className="consult-slot is-taken" aria-label={t("consult.takenAt", { time: s.time })}>
                    <s>{s.time}</s> <small>{t("consult.taken")}</small>
                  </span>
                </li>
              ),
            )}
          </ul>
        </div>
      ))}
      {chosen ? null : (
        <WaitlistPanel
          entry={data.waitlist.entry}
          defaults={data.waitlist.defaults}
          error={reply && !reply.ok && forWaitlist(reply) ? reply.formError : undefined}
        />
      )}
      {chosen ? (
        <div id="confirm" className="panel consult-confirm">
          <h2>{t("consult.confirmTitle")}</h2>
          <p className="consult-when">{chosen.when}</p>
          <p>
            {chosen.providerName} · {chosen.location}
          </p>
          {data.staff ? (
            <Form method="get" className="inline-form">
              <input type="hidden" name="day" value={day ?? ""} />
              {provider !== null ? <input type="hidden" name="provider" value={provider} /> : null}
              <input type="hidden" name="slot" value={chosen.startsAt} />
              <label htmlFor="consult-q">{t("consult.forWhom")}</label>
              <input id="consult-q" name="q" defaultValue={data.q} maxLength={40} />
              <button type="submit" className="button-secondary">
                {t("skillAdmin.searchButton")}
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="book" />
            <input type="hidden" name="startsAt" value={chosen.startsAt} />
            <input type="hidden" name="providerId" value={chosen.providerId} />
            {data.found.length ? (
              <fieldset>
                <legend>{t(data.staff ? "consult.forWhom" : "consult.forWhomPick")}</legend>
                {data.found.map((p) => (
                  <label key={p.id} className="choice">
                    <input type="radio" name="personId" value={p.id} required defaultChecked={p.id === data.defaultPersonId} /> {p.label}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <TopicField id="consult-topic" />
            <SubmitButton pending={busy}>{t("consult.bookGo")}</SubmitButton>
            <Notice tone="error">{reply && !reply.ok && !forWaitlist(reply) ? reply.formError : undefined}</Notice>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
