import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { hasConsent } from "#models/privacy/consents";
import { correctPerson } from "#models/privacy/correction";
import { personalData } from "#models/privacy/export";
import { authorize } from "~/lib/guard.server";
import { domainFormError, parseForm, formError, readForm } from "~/lib/http.server";
import { detailsOf, detailsSchema } from "~/lib/person-form";
import { Field } from "~/components/field";
import { Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { BackToAccount } from "~/components/back-to-account";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("person.correctTitle");

/** A person corrects the details the station keeps about them (ADR 22); needs only with that consent in force. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const { person } = await personalData(ctx.db, ctx.station.id, ctx.viewer.personId, { locale: ctx.locale, withTopics: false });
  return {
    details: detailsOf(person),
    needsAllowed: await hasConsent(ctx.db, ctx.viewer.personId, "health_needs"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const formData = await readForm(request, ctx.t);
  const parsed = parseForm(formData, detailsSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  // Without the consent the form has no needs field: leave them as they are.
  const input = { ...parsed.data, needs: formData.has("needs") ? parsed.data.needs : undefined };
  try {
    const changed = await correctPerson(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, ctx.viewer.personId, input);
    return { ok: true as const, message: ctx.t(changed.length ? "person.corrected" : "person.unchanged") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function MyDetails() {
  const t = useT();
  const { details, needsAllowed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, f] = useSchemaForm(detailsSchema, result, { id: "details" });
  const pending = usePending();
  return (
    <section className="panel narrow">
      <h1>{t("person.correctTitle")}</h1>
      <p className="help">{t("person.correctIntro")}</p>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" {...schemaFormProps(form)}>
        <Field field={f.fullName} label={t("data.col.name")} defaultValue={details.fullName} autoComplete="name" />
        <Field field={f.phone} type="tel" label={t("data.col.phone")} defaultValue={details.phone} autoComplete="tel" />
        <Field field={f.email} type="email" label={t("data.col.email")} defaultValue={details.email} autoComplete="email" />
        <Field field={f.birthYear} inputMode="numeric" label={t("data.col.birthYear")} defaultValue={details.birthYear ?? ""} />
        {needsAllowed ? (
          <Field field={f.needs} label={t("data.col.needs")} defaultValue={details.needs} help={t("person.needsHelp")} />
        ) : (
          <>
            <p className="help">{t("person.needsNoConsent")}</p>
            <p>
              <Link to="/account/consents#consent-health_needs" className="tap-link">
                {t("consent.myTitle")}
              </Link>
            </p>
          </>
        )}
        <SubmitButton pending={pending}>{t("person.save")}</SubmitButton>
      </Form>
      <BackToAccount />
    </section>
  );
}
