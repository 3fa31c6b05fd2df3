import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getConfig } from "#models/config";
import { createDeskAccount, deskAccountView, groupCode, issueSignInCode } from "#models/sign-in-codes";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, formError, parseId, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { parseIntent } from "~/lib/intent.server";
import { dateFormatter } from "~/lib/dates.server";
import { Field } from "~/components/field";
import { StationContact } from "~/components/station-contact";
import { Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { useT } from "~/lib/view";
import signInStyles from "~/styles/sign-in.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: signInStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.name ?? "Hearth" }];

/** A person's sign-in account as the desk sees it: made here with a phone or email, and its one-time codes (ADR 21). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const view = await deskAccountView(ctx.db, ctx.station.id, personId);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return {
    personId,
    name: view.person.fullName,
    // What the form offers: the person's own mobile number and email, when they have them.
    suggested: { phone: view.person.phone ?? "", email: view.person.email ?? "" },
    account: view.account ? { phone: view.account.phone, email: view.account.email, hasPassword: view.account.hasPassword } : null,
    liveUntil: view.liveCode ? `${fmt.dayLong(view.liveCode.expiresAt)} ${fmt.time(view.liveCode.expiresAt)}` : null,
    mayIssue: view.mayIssue,
  };
}

const createSchema = z.object({ phone: fields.optionalMobile(), email: fields.optionalEmail() });
const intents = { create: createSchema, issue: z.object({}) };

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const form = parseIntent(await readForm(request, ctx.t), intents, ctx.t);
  if (!form.ok) return form.reply;
  const desk = { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId };
  try {
    let issued;
    if (form.intent === "create") {
      if (!form.data.phone && !form.data.email) {
        const required = ctx.t("error.sign_in_name_required");
        return formError(400, ctx.t("error.form"), { phone: required, email: required });
      }
      issued = await createDeskAccount(ctx.db, desk, personId, { phone: form.data.phone, email: form.data.email || null });
    } else {
      issued = await issueSignInCode(ctx.db, desk, personId);
    }
    const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
    const name = (await deskAccountView(ctx.db, ctx.station.id, personId)).person.fullName;
    const origin = getConfig().PUBLIC_URL ?? new URL(request.url).origin;
    // The code is in this reply and nowhere else (only its HMAC is kept): no copy may be cached.
    return data(
      {
        ok: true as const,
        slip: {
          name,
          signInName: issued.signInName,
          code: groupCode(issued.code),
          until: `${fmt.dayLong(issued.expiresAt)} ${fmt.time(issued.expiresAt)}`,
          url: new URL("/login/code", origin).toString(),
        },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function DeskSignIn() {
  const t = useT();
  const { personId, name, suggested, account, liveUntil, mayIssue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [createForm, createFields] = useSchemaForm(createSchema, result, { id: "create-account" });
  const creating = usePending({ intent: "create" });
  const issuing = usePending({ intent: "issue" });
  const slip = result?.ok ? result.slip : null;
  if (slip)
    return (
      <section className="panel">
        <Notice tone="ok" className="no-print">
          {t("slip.onlyOnce")}
        </Notice>
        <article className="slip" aria-labelledby="slip-title">
          <h2 id="slip-title">{t("slip.title")}</h2>
          <dl>
            <dt>{t("slip.name")}</dt>
            <dd>{slip.name}</dd>
            <dt>{t("slip.signInName")}</dt>
            <dd>{slip.signInName}</dd>
            <dt>{t("slip.code")}</dt>
            <dd className="slip-code">{slip.code}</dd>
          </dl>
          <p>{t("slip.until", { when: slip.until })}</p>
          <h3>{t("slip.steps")}</h3>
          <ol>
            <li>{t("slip.step1", { url: slip.url })}</li>
            <li>{t("slip.step2")}</li>
            <li>{t("slip.step3")}</li>
          </ol>
          <p>{t("slip.help")}</p>
          <StationContact />
        </article>
        <p className="actions no-print">
          <button type="button" className="button-primary" onClick={() => window.print()}>
            {t("slip.print")}
          </button>
          <Link to={`/manage/people/${personId}/sign-in`} className="button-secondary">
            {t("slip.back")}
          </Link>
        </p>
      </section>
    );
  return (
    <section className="panel narrow">
      <h1>{t("deskSignIn.title", { name })}</h1>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {account ? (
        <>
          <p>{t("deskSignIn.hasAccount", { name })}</p>
          <dl className="facts">
            <dt>{t("account.phone")}</dt>
            <dd>{account.phone ?? t("account.notSet")}</dd>
            <dt>{t("account.email")}</dt>
            <dd>{account.email ?? t("account.notSet")}</dd>
            <dt>{t("account.password")}</dt>
            <dd>{account.hasPassword ? t("account.passwordSet") : t("account.passwordNotSet")}</dd>
          </dl>
          {mayIssue ? (
            <Form method="post">
              <input type="hidden" name="intent" value="issue" />
              {liveUntil ? <p className="help">{t("deskSignIn.liveCode", { until: liveUntil })}</p> : null}
              <p className="help">{t("deskSignIn.issueHelp")}</p>
              <SubmitButton pending={issuing}>{t("deskSignIn.issue")}</SubmitButton>
            </Form>
          ) : (
            <Notice>{t("error.sign_in_code_not_allowed")}</Notice>
          )}
        </>
      ) : (
        <>
          <p>{t("deskSignIn.noAccount", { name })}</p>
          <Form method="post" {...schemaFormProps(createForm)}>
            <input type="hidden" name="intent" value="create" />
            <Field field={createFields.phone} type="tel" inputMode="tel" defaultValue={suggested.phone} label={t("deskSignIn.phone")} />
            <Field field={createFields.email} type="email" defaultValue={suggested.email} label={t("deskSignIn.email")} />
            <SubmitButton pending={creating}>{t("deskSignIn.create")}</SubmitButton>
          </Form>
        </>
      )}
      <p>
        <Link to={`/manage/people/${personId}/erase`}>{t("eraseStaff.link")}</Link>
      </p>
    </section>
  );
}
