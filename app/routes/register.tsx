import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { TEXT } from "#models/limits";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { requestRegistration } from "#models/registration";
import { authorize } from "~/lib/guard.server";
import { domainFormError, echoOf, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Field } from "~/components/field";
import { FormNotice, Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("register.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await authorize(request, "public");
  return viewer ? redirect("/calendar") : null;
}

/** A mobile number, an email, or both (ADR 21): the person signs in with either. */
const schema = z.object({
  fullName: fields.text(TEXT.personName),
  phone: fields.optionalMobile(),
  email: fields.optionalEmail(),
  birthYear: fields.optionalInt(1900, new Date().getFullYear()),
  password: fields.password(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, t, station } = await authorize(request, "public");
  const formData = await readForm(request, t);
  const parsed = parseForm(formData, schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors, echoOf(formData, ["password"]));
  const { phone, email, ...rest } = parsed.data;
  if (!phone && !email) {
    const required = t("error.sign_in_name_required");
    return formError(400, t("error.form"), { phone: required, email: required }, echoOf(formData, ["password"]));
  }
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    // The same answer for a new and a taken email or phone (models/registration.ts): no session
    // here, the person signs in with the password they chose.
    const { answer } = await requestRegistration(db, { ...rest, phone, email: email || null, stationId: station.id, ip });
    return data({ ok: true as const, answer, sentTo: email || null });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function Register() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, result);
  const pending = usePending();
  if (result?.ok)
    return (
      <section className="panel narrow">
        <h1>{t("register.title")}</h1>
        <Notice tone="ok">{result.sentTo ? t("register.sent", { email: result.sentTo }) : t("register.sentPhone")}</Notice>
        <p>
          <Link className="button-primary" to="/login">
            {t("nav.login")}
          </Link>
        </p>
      </section>
    );
  return (
    <section className="panel narrow">
      <h1>{t("register.title")}</h1>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        <Field field={fields.fullName} autoComplete="name" label={t("register.fullName")} />
        <p className="help">{t("register.nameHelp")}</p>
        <Field field={fields.phone} type="tel" inputMode="tel" autoComplete="tel" label={t("register.phoneLogin")} />
        <Field field={fields.email} type="email" autoComplete="email" label={t("register.emailOptional")} />
        <Field field={fields.birthYear} inputMode="numeric" label={t("register.birthYear")} />
        <Field field={fields.password} type="password" autoComplete="new-password" label={t("login.password")} help={t("register.passwordHelp")} />
        <SubmitButton pending={pending}>{t("register.submit")}</SubmitButton>
      </Form>
      <p>
        {t("register.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </section>
  );
}
