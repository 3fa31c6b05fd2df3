import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { hasPassword, setPassword } from "#models/auth";
import { authorize } from "~/lib/guard.server";
import { readSessionToken } from "~/lib/cookies.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Notice, useSchemaForm } from "~/components/form";
import { PasswordForm } from "~/components/password-form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("password.titleChange");

/** Set a password (after a desk code, ADR 21) or change it; the first needs no old one, a change does. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, viewer } = await authorize(request, "signed-in");
  return { hasPassword: await hasPassword(db, viewer.accountId) };
}

const schema = z.object({ current: z.string().max(200).default(""), password: fields.password() });

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, viewer, station, t } = await authorize(request, "signed-in");
  const parsed = parseForm(await readForm(request, t), schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors);
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    await setPassword(db, {
      stationId: station.id,
      accountId: viewer.accountId,
      current: parsed.data.current || null,
      password: parsed.data.password,
      ip,
      keepSessionToken: await readSessionToken(request),
    });
    return data({ ok: true as const });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function AccountPassword() {
  const t = useT();
  const { hasPassword } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const welcome = useSearchParams()[0].get("welcome") === "1";
  const [form, fields] = useSchemaForm(schema, result);
  if (result?.ok)
    return (
      <section className="panel narrow">
        <h1>{t("password.titleChange")}</h1>
        <Notice tone="ok">{t("password.saved")}</Notice>
        <p>
          <Link className="button-primary" to="/calendar">
            {t("nav.calendar")}
          </Link>
        </p>
      </section>
    );
  return (
    <section className="panel narrow">
      <h1>{hasPassword ? t("password.titleChange") : t("password.titleSet")}</h1>
      {welcome && !hasPassword ? <p>{t("password.welcome")}</p> : null}
      <PasswordForm
        form={form}
        {...(hasPassword ? { current: { field: fields.current, label: t("password.current") } } : {})}
        next={{ field: fields.password, label: t("password.new"), help: t("register.passwordHelp") }}
        submit={t("password.submit")}
      />
      {hasPassword ? null : (
        <>
          <p className="help">{t("password.skipHelp")}</p>
          <p>
            <Link to="/calendar" className="button-secondary">
              {t("password.skip")}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
