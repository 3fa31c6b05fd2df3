import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { hasPassword } from "#models/auth";
import { eraseOwn } from "#models/privacy/erasure";
import { authorize } from "~/lib/guard.server";
import { clearSessionToken } from "~/lib/cookies.server";
import { domainFormError, formError, parseForm, readForm } from "~/lib/http.server";
import { useSchemaForm } from "~/components/form";
import { PasswordForm } from "~/components/password-form";
import { ErasureCounts } from "~/components/erasure-result";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("erase.title");

/** A person erases their own personal information (ADR 23), confirming with their password. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { db, viewer } = await authorize(request, "signed-in");
  return { hasPassword: await hasPassword(db, viewer.accountId) };
}

const schema = z.object({ password: z.string().min(1, "field.required").max(200) });

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, viewer, station, t } = await authorize(request, "signed-in");
  const parsed = parseForm(await readForm(request, t), schema, t);
  if (!parsed.ok) return formError(400, t("error.form"), parsed.fieldErrors);
  try {
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const result = await eraseOwn(db, { stationId: station.id, actor: viewer, password: parsed.data.password, ip });
    // The session ended with the account; the cookie goes too.
    return data(
      { ok: true as const, result: { removed: result.removed, kept: result.kept, promoted: result.promoted } },
      { headers: { "Set-Cookie": await clearSessionToken(request), "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return domainFormError(error, t);
  }
}

/**
 * After an erasure the page keeps showing its result: reloading the loader would find the person
 * gone (a 404, or the sign-in page for one's own account) and lose the counts of what was removed.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { ok?: boolean } | undefined)?.ok ? false : defaultShouldRevalidate;

export default function EraseMyself() {
  const t = useT();
  const { hasPassword } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schema, reply);
  if (reply?.ok)
    return (
      <section className="panel narrow">
        <h1>{t("erase.doneTitle")}</h1>
        <p>{t("erase.doneHelp")}</p>
        <ErasureCounts result={reply.result} />
        <p>
          <a className="button-primary" href="/calendar">
            {t("erase.home")}
          </a>
        </p>
      </section>
    );
  return (
    <section className="panel narrow">
      <h1>{t("erase.title")}</h1>
      <p>{t("erase.intro")}</p>
      <h2>{t("erase.removedTitle")}</h2>
      <ul>
        <li>{t("erase.removed1")}</li>
        <li>{t("erase.removed2")}</li>
        <li>{t("erase.removed3")}</li>
        <li>{t("erase.removed4")}</li>
      </ul>
      <h2>{t("erase.keptTitle")}</h2>
      <ul>
        <li>{t("erase.kept1")}</li>
      </ul>
      {hasPassword ? (
        <PasswordForm form={form} current={{ field: fields.password, label: t("erase.password") }} submit={t("erase.confirm")} danger />
      ) : (
        <>
          <p>{t("erase.noPassword")}</p>
          <p>
            <Link className="button-secondary" to="/account/password">
              {t("erase.setPassword")}
            </Link>
          </p>
        </>
      )}
      <p>
        <Link className="button-primary" to="/account">
          {t("erase.back")}
        </Link>
      </p>
    </section>
  );
}
