import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { startSession } from "#models/auth";
import { signInWithCode } from "#models/sign-in-codes";
import { authorize } from "~/lib/guard.server";
import { readSessionToken, writeSessionToken } from "~/lib/cookies.server";
import { domainFormError, echoOf, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Field } from "~/components/field";
import { FormNotice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("loginCode.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await authorize(request, "public");
  if (viewer) return redirect("/calendar");
  return data({});
}

const schema = z.object({ login: fields.signInName(), code: fields.signInCode() });

/** A one-time code from the desk (ADR 21): limited like a password, then on to setting a password. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { db, t } = await authorize(request, "public");
  const formData = await readForm(request, t);
  const parsed = parseForm(formData, schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors, echoOf(formData, ["code"]));
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const accountId = await signInWithCode(db, { name: parsed.data.login, code: parsed.data.code, ip });
    const { token } = await startSession(db, accountId, await readSessionToken(request));
    return redirect("/account/password?welcome=1", { headers: { "Set-Cookie": await writeSessionToken(request, token) } });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function LoginWithCode() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, result);
  const pending = usePending();
  return (
    <section className="panel narrow">
      <h1>{t("loginCode.title")}</h1>
      <p>{t("loginCode.intro")}</p>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        <Field field={fields.login} type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} label={t("login.name")} />
        <Field field={fields.code} inputMode="numeric" autoComplete="one-time-code" spellCheck={false} label={t("loginCode.code")} />
        <SubmitButton pending={pending}>{t("loginCode.submit")}</SubmitButton>
      </Form>
      <p>
        {t("loginCode.withPassword")} <Link to="/login">{t("loginCode.withPasswordLink")}</Link>
      </p>
    </section>
  );
}
