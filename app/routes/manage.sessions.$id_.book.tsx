import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { PARTY_SIZE, TEXT } from "#models/limits";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getSession } from "#models/sessions";
import { requireSignupRules, activeSignupsOf, type SignupResult } from "#models/signups";
import { noShowCounts } from "#models/desk/attendance";
import { searchPeople } from "#models/people";
import { bookWalkIn } from "#models/walk-ins";
import { placesLeft } from "#models/policies/signups";
import { authorize, STAFF, type AuthorisedContext } from "~/lib/guard.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { domainFormError, notFound, parseId, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { parseIntent } from "~/lib/intent.server";
import { dateFormatter } from "~/lib/dates.server";
import { Field } from "~/components/field";
import { carries, Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm, useSubmission } from "~/components/form";
import { useT } from "~/lib/view";
import { peopleCount } from "~/i18n";
import { RECORDED_WAYS } from "#models/privacy/purposes";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.session.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  const session = await getSession(ctx.db, ctx.station.id, id);
  if (!session) throw notFound(ctx.t);
  const rules = await requireSignupRules(ctx.db, ctx.station.id, id);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 50);
  const found = q ? await searchPeople(ctx.db, ctx.station.id, q) : [];
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  // Two statements for the whole page of people: their bookings here and their recent no-shows.
  const ids = found.map((p) => p.id);
  const [bookings, noShows] = await Promise.all([activeSignupsOf(ctx.db, id, ids), noShowCounts(ctx.db, ctx.station.id, ids)]);
  return {
    session: {
      id,
      title: session.title,
      when: fmt.range(session.startsAt, session.endsAt),
      placesLeft: placesLeft(session),
      started: Date.now() >= session.startsAt.getTime(),
      maxPartySize: rules.maxPartySize,
    },
    q,
    people: found.map((p) => {
      const booking = bookings.get(p.id);
      return {
        id: p.id,
        name: p.fullName,
        phone: p.phone,
        born: p.birthYear,
        household: p.household,
        booking: booking ? { status: booking.status, position: booking.waitlistPosition } : null,
        noShows: noShows.get(p.id) ?? 0,
      };
    }),
  };
}

/** Register a caller or walk-in here and book them; the page's inputs take their constraints from it. */
const createSchema = z.object({
  fullName: fields.text(TEXT.personName),
  phone: fields.optionalPhone(),
  birthYear: fields.optionalInt(1900, new Date().getFullYear()).default(null),
  needs: fields.optionalText(TEXT.needs),
  // How the person agreed that their needs are kept (ADR 22); needs without it are refused.
  needsConsent: z.enum(["", ...RECORDED_WAYS], "field.choice").default(""),
  partySize: fields.int(PARTY_SIZE.min, PARTY_SIZE.max),
});
const intents = {
  book: z.object({ personId: fields.id(), partySize: fields.int(PARTY_SIZE.min, PARTY_SIZE.max) }),
  create: createSchema,
};

function statusText(ctx: AuthorisedContext, result: SignupResult) {
  return result.status === "confirmed"
    ? ctx.t("signup.statusConfirmed")
    : ctx.t("signup.statusWaitlisted", { position: result.waitlistPosition ?? 1 });
}

/** A coordinator books for a caller or a walk-in: an existing person, or one registered here. */
export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const sessionId = parseId(params.id, ctx.t);
  const form = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!form.ok) return form.reply;
  try {
    await spendMailBudgetOf(ctx, form.intent === "book" ? form.data.personId : -1);
    // Find or register the person and book them: one transaction in the model.
    const result = await bookWalkIn(
      ctx.db,
      { stationId: ctx.station.id, actor: ctx.viewer },
      {
        sessionId,
        partySize: form.data.partySize,
        person:
          form.intent === "book"
            ? { personId: form.data.personId }
            : {
                newPerson: {
                  fullName: form.data.fullName,
                  phone: form.data.phone,
                  birthYear: form.data.birthYear,
                  needs: form.data.needs,
                  needsConsent: form.data.needsConsent || null,
                },
              },
      },
    );
    return { ok: true as const, message: ctx.t("proxy.booked", { name: result.name, status: statusText(ctx, result) }) };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function BookForSomeone() {
  const t = useT();
  const { session, q, people } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Each person's book button and the new-person form wait on their own.
  const sent = useSubmission();
  const creating = usePending({ intent: "create" });
  const [createForm, createFields] = useSchemaForm(createSchema, result, { id: "create-person" });
  const partySelect = (id: string) => (
    <select id={id} name="partySize" defaultValue="1" aria-label={t("signup.partySize")}>
      {Array.from({ length: session.maxPartySize }, (_, i) => (
        <option key={i + 1} value={i + 1}>
          {peopleCount(t, i + 1)}
        </option>
      ))}
    </select>
  );
  return (
    <section className="panel">
      <h1>{t("proxy.title", { title: session.title })}</h1>
      <p>
        {session.when} · {t("calendar.placesLeft", { count: session.placesLeft })}
      </p>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {session.started ? (
        <>
          <Notice>{t("proxy.started")}</Notice>
          <p className="actions">
            <Link to={`/manage/sessions/${session.id}/checkin`} className="button-primary">
              {t("checkin.open")}
            </Link>
          </p>
        </>
      ) : (
        bookingForms()
      )}
      <p className="actions">
        <Link to={`/manage/sessions/${session.id}/attendees`} className="button-secondary">
          {t("session.attendees")}
        </Link>
      </p>
    </section>
  );

  // A plain function (not a component) so the forms keep what was typed across renders.
  function bookingForms() {
    return (
      <>
        <Form method="get" className="filter">
          <label htmlFor="f-q">{t("proxy.search")}</label>
          <input id="f-q" name="q" type="search" defaultValue={q} maxLength={50} />
          <button type="submit" className="button-secondary">
            {t("proxy.searchButton")}
          </button>
        </Form>
        {q ? (
          people.length ? (
            <>
              <h2>{t("proxy.results")}</h2>
              <ul className="bookings-list">
                {people.map((p) => (
                  <li key={p.id} className="booking">
                    <strong>{p.name}</strong>
                    <span className="session-meta">
                      {[p.phone, p.born ? t("proxy.born", { year: p.born }) : null, p.household].filter(Boolean).join(" · ")}
                    </span>
                    {p.noShows > 0 ? <span className="no-shows">{t("noShows.recent", { count: p.noShows })}</span> : null}
                    <Link to={`/manage/people/${p.id}/sign-in`} className="tap-link">
                      {t("deskSignIn.link")}
                    </Link>
                    {p.booking ? (
                      <span className={`status-badge status-${p.booking.status}`}>
                        {p.booking.status === "confirmed"
                          ? t("signup.statusConfirmed")
                          : t("signup.statusWaitlisted", { position: p.booking.position ?? 1 })}
                      </span>
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="book" />
                        <input type="hidden" name="personId" value={p.id} />
                        {partySelect(`party-${p.id}`)}
                        <SubmitButton pending={carries(sent, { intent: "book", personId: p.id })}>
                          {t("signup.submitFor", { name: p.name })}
                        </SubmitButton>
                      </Form>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="empty">{t("proxy.noResults")}</p>
          )
        ) : null}
        <h2>{t("proxy.newPerson")}</h2>
        <Form method="post" {...schemaFormProps(createForm)}>
          <input type="hidden" name="intent" value="create" />
          <div className="field-row">
            <Field field={createFields.fullName} label={t("proxy.fullName")} />
            <Field field={createFields.phone} type="tel" label={t("proxy.phone")} />
            <Field field={createFields.birthYear} inputMode="numeric" label={t("proxy.birthYear")} />
          </div>
          <Field field={createFields.needs} label={t("proxy.needs")} />
          <div className="field">
            <label htmlFor="f-needs-consent">{t("consent.needsConsentAsked")}</label>
            <select id="f-needs-consent" name="needsConsent" defaultValue="" aria-describedby="f-needs-consent-help">
              <option value="">{t("consent.needsConsentNone")}</option>
              {RECORDED_WAYS.map((w) => (
                <option key={w} value={w}>
                  {t(`care.method.${w}`)}
                </option>
              ))}
            </select>
            <p id="f-needs-consent-help" className="help">
              {t("consent.needsConsentHelp")}
            </p>
          </div>
          <div className="field">
            <label htmlFor="f-new-party">{t("signup.partySize")}</label>
            {partySelect("f-new-party")}
          </div>
          <SubmitButton pending={creating}>{t("proxy.createAndBook")}</SubmitButton>
        </Form>
      </>
    );
  }
}
