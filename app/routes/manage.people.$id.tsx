import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { consentStates } from "#models/privacy/consents";
import { correctPerson } from "#models/privacy/correction";
import { personalData } from "#models/privacy/export";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, formError, orPageError, parseForm, parseId, readForm } from "~/lib/http.server";
import { detailsOf, detailsSchema, needsSchema } from "~/lib/person-form";
import { recordSensitiveViews, viewOf } from "~/lib/sensitive-views.server";
import { Field } from "~/components/field";
import { Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.name ?? "Hearth" }];

/**
 * A person as staff see them (ADR 22): details with needs (the view is recorded), the consents
 * in force, and corrections — all details for someone without an account, the needs only for
 * someone with one (they correct the rest themselves).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const { person, account, household } = await orPageError(
    personalData(ctx.db, ctx.station.id, personId, { locale: ctx.locale, withTopics: false }),
    ctx.t,
  );
  const consents = await consentStates(ctx.db, ctx.station.id, personId);
  if (person.needs) await recordSensitiveViews(ctx.db, viewOf(ctx, "person", "needs"), [personId]);
  return {
    personId,
    name: person.fullName,
    details: detailsOf(person),
    household: household ? { label: household.label, caretaker: household.caretaker } : null,
    hasAccount: account !== null,
    consents: consents.filter((c) => c.inForce).map((c) => ctx.t(`consent.purpose.${c.purpose}` as MessageKey)),
    needsAllowed: consents.some((c) => c.purpose === "health_needs" && c.inForce),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const formData = await readForm(request, ctx.t);
  // A person with an account corrects their own details: staff send the needs alone (the form has no other field).
  const parsed = formData.has("fullName") ? parseForm(formData, detailsSchema, ctx.t) : parseForm(formData, needsSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  // Without the consent the form has no needs field: leave them as they are.
  const input = { ...parsed.data, needs: formData.has("needs") ? parsed.data.needs : undefined };
  try {
    const changed = await correctPerson(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, personId, input);
    return { ok: true as const, message: ctx.t(changed.length ? "person.corrected" : "person.unchanged") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function StaffPerson() {
  const t = useT();
  const { personId, name, details, household, hasAccount, consents, needsAllowed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, f] = useSchemaForm(hasAccount ? needsSchema : detailsSchema, result, { id: "correct" });
  const pending = usePending();
  const fields = f as ReturnType<typeof useSchemaForm<typeof detailsSchema>>[1];
  return (
    <section className="panel narrow">
      <h1>{name}</h1>
      <p>
        <Link to={`/people/${personId}/bookings`} className="tap-link">
          {t("person.bookingsLink")}
        </Link>{" "}
        ·{" "}
        <Link to={`/people/${personId}/consents`} className="tap-link">
          {t("person.consentsLink")}
        </Link>{" "}
        ·{" "}
        <Link to={`/manage/people/${personId}/data`} className="tap-link">
          {t("person.dataLink")}
        </Link>{" "}
        ·{" "}
        <Link to={`/manage/people/${personId}/sign-in`} className="tap-link">
          {t("deskSignIn.link")}
        </Link>
      </p>
      <dl className="facts">
        <dt>{t("data.col.household")}</dt>
        <dd>{household ? `${household.label}${household.caretaker ? ` · ${household.caretaker}` : ""}` : t("account.notSet")}</dd>
        <dt>{t("data.section.consents")}</dt>
        <dd>{consents.length ? consents.join(t("summary.listSeparator")) : t("consent.statusNone")}</dd>
        <dt>{t("data.col.needs")}</dt>
        <dd>{details.needs || t("account.notSet")}</dd>
      </dl>
      <h2>{t("person.correctTitle")}</h2>
      <p className="help">{hasAccount ? t("person.hasAccountHelp") : t("person.noAccountHelp")}</p>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" {...schemaFormProps(form)}>
        {hasAccount ? null : (
          <>
            <Field field={fields.fullName} label={t("data.col.name")} defaultValue={details.fullName} />
            <Field field={fields.phone} type="tel" label={t("data.col.phone")} defaultValue={details.phone} />
            <Field field={fields.email} type="email" label={t("data.col.email")} defaultValue={details.email} />
            <Field field={fields.birthYear} inputMode="numeric" label={t("data.col.birthYear")} defaultValue={details.birthYear ?? ""} />
          </>
        )}
        {needsAllowed ? (
          <Field field={fields.needs} label={t("data.col.needs")} defaultValue={details.needs} help={t("person.needsHelp")} />
        ) : (
          <>
            <p className="help">{t("person.needsNoConsentStaff")}</p>
            <p>
              <Link to={`/people/${personId}/consents#consent-health_needs`} className="tap-link">
                {t("person.recordNeedsConsent")}
              </Link>
            </p>
          </>
        )}
        {/* Nothing to save when the person corrects their own details and needs have no consent. */}
        {hasAccount && !needsAllowed ? null : <SubmitButton pending={pending}>{t("person.save")}</SubmitButton>}
      </Form>
      <p>
        <Link to={`/manage/people/${personId}/erase`} className="tap-link">
          {t("eraseStaff.link")}
        </Link>
      </p>
    </section>
  );
}
