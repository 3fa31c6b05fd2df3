import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { TEXT } from "#models/limits";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requestRegistration } from "#models/registration";
import { authorize } from "~/lib/guard.server";
import { domainFormError, fields, formError, parseForm, readForm } from "~/lib/http.server";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction = () => [{ title: "注册 · Register" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await authorize(request, "public");
  return viewer ? redirect("/calendar") : null;
}

const schema = z.object({
  fullName: fields.text(TEXT.personName),
  email: fields.email(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{0,20}$/, "field.number")
    .default(""),
  birthYear: fields.optionalInt(1900, new Date().getFullYear()),
  password: fields.password(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, t, station } = await authorize(request, "public");
  const parsed = parseForm(await readForm(request, t), schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors);
  try {
    const { phone, ...rest } = parsed.data;
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    // The same answer for a new and a taken address (models/registration.ts): no session here,
    // the person signs in with the password they chose.
    await requestRegistration(db, { ...rest, phone: phone || null, stationId: station.id, ip });
    return data({ ok: true as const, sentTo: rest.email.trim().toLowerCase() });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function Register() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.fieldErrors : {};
  if (result?.ok)
    return (
      <section className="panel narrow">
        <h1>{t("register.title")}</h1>
        <Notice tone="ok">{t("register.sent", { email: result.sentTo })}</Notice>
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
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" noValidate>
        <Field name="fullName" autoComplete="name" label={t("register.fullName")} error={errors.fullName} required maxLength={100} />
        <Field name="email" type="email" autoComplete="email" label={t("login.email")} error={errors.email} required />
        <Field name="phone" type="tel" autoComplete="tel" label={t("register.phone")} error={errors.phone} />
        <Field name="birthYear" inputMode="numeric" label={t("register.birthYear")} error={errors.birthYear} />
        <Field
          name="password"
          type="password"
          autoComplete="new-password"
          label={t("login.password")}
          help={t("register.passwordHelp")}
          error={errors.password}
          required
        />
        <button type="submit" className="button-primary" disabled={busy}>
          {t("register.submit")}
        </button>
      </Form>
      <p>
        {t("register.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </section>
  );
}
