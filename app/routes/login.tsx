import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { authenticate, startSession } from "#models/auth";
import { authorize } from "~/lib/guard.server";
import { readSessionToken, writeSessionToken } from "~/lib/cookies.server";
import { domainFormError, fields, formError, parseForm, readForm } from "~/lib/http.server";
import { safeRedirect } from "~/lib/redirect";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction = () => [{ title: "登录 · Sign in" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer } = await authorize(request, "public");
  if (viewer) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return data({});
}

const schema = z.object({
  email: fields.email(),
  password: z.string().min(1, "field.required").max(200),
  redirectTo: z.string().max(500).optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, t } = await authorize(request, "public");
  const parsed = parseForm(await readForm(request, t), schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors);
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const accountId = await authenticate(db, { email: parsed.data.email, password: parsed.data.password, ip });
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
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <section className="panel narrow">
      <h1>{t("login.title")}</h1>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="email" type="email" autoComplete="username" label={t("login.email")} error={errors.email} required />
        <Field name="password" type="password" autoComplete="current-password" label={t("login.password")} error={errors.password} required />
        <button type="submit" className="button-primary" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/register">{t("nav.register")}</Link>
      </p>
    </section>
  );
}
