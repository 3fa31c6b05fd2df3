import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { authenticate, startSession } from "#models/auth";
import { authorize } from "~/lib/guard.server";
import { readSessionToken, writeSessionToken } from "~/lib/cookies.server";
import { domainFormError, echoOf, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { safeRedirect } from "~/lib/redirect";
import { Field } from "~/components/field";
import { FormNotice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await authorize(request, "public");
  if (viewer) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return data({});
}

/** One field for a mobile number or an email (ADR 21); the model counts either against its account. */
const schema = z.object({
  login: fields.signInName(),
  password: z.string().min(1, "field.required").max(200),
  redirectTo: z.string().max(500).optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, t } = await authorize(request, "public");
  const formData = await readForm(request, t);
  const parsed = parseForm(formData, schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors, echoOf(formData, ["password"]));
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const accountId = await authenticate(db, { ...parsed.data.login, password: parsed.data.password, ip });
    const { token } = await startSession(db, accountId, await readSessionToken(request));
    return redirect(safeRedirect(parsed.data.redirectTo), {
      headers: { "Set-Cookie": await writeSessionToken(request, token) },
    });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useSchemaForm(schema, result);
  const pending = usePending();
  return (
    <section className="panel narrow">
      <h1>{t("login.title")}</h1>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          field={fields.login}
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          label={t("login.name")}
          help={t("login.nameHelp")}
        />
        <Field field={fields.password} type="password" autoComplete="current-password" label={t("login.password")} />
        <SubmitButton pending={pending}>{t("login.submit")}</SubmitButton>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/register">{t("nav.register")}</Link>
      </p>
      <p>
        {t("login.withCode")} <Link to="/login/code">{t("login.withCodeLink")}</Link>
      </p>
    </section>
  );
}
