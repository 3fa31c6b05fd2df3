import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { TEXT } from "#models/limits";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { countLiveSessions, hasPassword, signOutEverywhere } from "#models/auth";
import { createApiToken, listApiTokens, revokeApiToken } from "#models/api-tokens";
import { listCategories } from "#models/categories";
import { getFeedTokenCreatedAt, regenerateFeedToken, revokeFeedToken } from "#models/feed-tokens";
import { MAIL_GROUP_NAMES, MAIL_KIND_GROUPS, MAIL_LOCALES, mailGroupsFor, mailPreferences, setMailOptOuts } from "#models/notifications/preferences";
import { personalFeedLinks } from "~/lib/feed-links.server";
import { CalendarSubscribe } from "~/components/calendar-subscribe";
import { MailPreferences } from "~/components/mail-preferences";
import { mailConsentWithdrawn } from "#models/privacy/mail-consent";
import { localName } from "~/i18n";
import { authorize } from "~/lib/guard.server";
import { clearSessionToken } from "~/lib/cookies.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { parseIntent } from "~/lib/intent.server";
import { Field } from "~/components/field";
import { IntentButton, Notice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { ConfirmAction } from "~/components/confirm-action";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";
import { titleMeta } from "~/lib/meta";
import { DataTable } from "~/components/data-table";

export const meta = titleMeta("account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, viewer, station, locale, t } = await authorize(request, "signed-in");
  const fmt = dateFormatter(locale, station.timeZone);
  const at = (date: Date) => `${fmt.dayLong(date)} ${fmt.time(date)}`;
  const origin = new URL(request.url).origin;
  const feedSince = await getFeedTokenCreatedAt(db, viewer.accountId);
  const mail = await mailPreferences(db, viewer.personId);
  const shown = mailGroupsFor(viewer.roles, mail?.optOuts);
  return {
    name: viewer.name,
    email: viewer.email,
    phone: viewer.phone,
    hasPassword: await hasPassword(db, viewer.accountId),
    roles: viewer.roles.map((r) => t(`role.${r}` as MessageKey)),
    devices: await countLiveSessions(db, viewer.accountId),
    // Names and dates only: the token itself was shown once, and its hash never leaves the server.
    tokens: (await listApiTokens(db, viewer.accountId)).map((token) => ({
      id: token.id,
      name: token.name,
      created: at(token.createdAt),
      lastUsed: token.lastUsedAt ? at(token.lastUsedAt) : null,
    })),
    // Whether a personal feed link is live, and since when; never the link (only its hash is kept).
    feedSince: feedSince ? at(feedSince) : null,
    publicFeeds: [
      { url: `${origin}/feeds/calendar.ics`, label: t("feedSub.publicAll") },
      ...(await listCategories(db, station.id)).map((c) => ({ url: `${origin}/feeds/${c.slug}.ics`, label: localName(locale, c) })),
    ],
    // The groups offered to this person, those they still receive, and the language of their mail.
    mail: {
      groups: shown,
      receiving: (mail?.receiving ?? []).filter((g) => shown.includes(g)),
      locale: mail?.locale ?? "zh-CN",
      // A withdrawn mail consent stops every mail, whatever the boxes say (ADR 22, addendum).
      consentWithdrawn: await mailConsentWithdrawn(db, viewer.personId),
    },
  };
}

/** The new API token's form; the page's input takes its constraints from it. */
const createToken = z.object({ name: fields.text(TEXT.tokenName) });

const intents = {
  "sign-out-everywhere": z.object({}),
  "create-token": createToken,
  "revoke-token": z.object({ tokenId: fields.id() }),
  "create-feed": z.object({}),
  "revoke-feed": z.object({}),
  "mail-preferences": z.object({
    // Ticked boxes are the groups to receive; an unticked box sends nothing.
    receive: z
      .array(z.enum(MAIL_GROUP_NAMES as [string, ...string[]], "field.choice"))
      .max(MAIL_GROUP_NAMES.length)
      .default([]),
    mailLocale: z.enum(MAIL_LOCALES, "field.choice"),
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  const { db, viewer, station, t } = await authorize(request, "signed-in");
  const formData = await readForm(request, t);
  const parsed = parseIntent(formData, intents, t, ["receive"]);
  if (!parsed.ok) {
    // The mail settings show their refusal by their own form, not in the tokens section above.
    if (parsed.intent === "mail-preferences")
      return data({ ok: false as const, formError: t("error.form"), fieldErrors: parsed.fieldErrors, section: "mail" as const }, { status: 400 });
    return parsed.reply;
  }
  const { intent } = parsed;
  if (intent === "sign-out-everywhere") {
    // Every device out: all of the account's login sessions and API tokens, this one too.
    await signOutEverywhere(db, { stationId: station.id, accountId: viewer.accountId });
    return redirect("/login", { headers: { "Set-Cookie": await clearSessionToken(request) } });
  }
  const ctx = { stationId: station.id, accountId: viewer.accountId };
  try {
    if (intent === "create-feed") {
      const { token } = await regenerateFeedToken(db, ctx);
      // Like a new API token, the link is in this reply only: keep no copy anywhere.
      return data({ ok: true as const, feed: await personalFeedLinks(request, token) }, { headers: { "Cache-Control": "no-store" } });
    }
    if (intent === "mail-preferences") {
      // Only the boxes this person was shown change: other kinds keep their setting, merged
      // under the person's row lock, so a one-click unsubscribe landing meanwhile is not lost.
      const shown = mailGroupsFor(viewer.roles, (await mailPreferences(db, viewer.personId))?.optOuts);
      const stop = shown.filter((g) => !parsed.data.receive.includes(g)).flatMap((g) => MAIL_KIND_GROUPS[g]);
      const resume = shown.filter((g) => parsed.data.receive.includes(g)).flatMap((g) => MAIL_KIND_GROUPS[g]);
      await setMailOptOuts(
        db,
        { stationId: station.id, actorAccountId: viewer.accountId },
        viewer.personId,
        { stop, resume },
        { locale: parsed.data.mailLocale },
      );
      return data({ ok: true as const, mailSaved: true });
    }
    if (intent === "revoke-feed") {
      await revokeFeedToken(db, ctx);
      return data({ ok: true as const, feedRevoked: true });
    }
    if (intent === "create-token") {
      const { name, token } = await createApiToken(db, ctx, parsed.data.name);
      // The only reply that ever holds the token: nothing may keep a copy of it.
      return data({ ok: true as const, created: { name, token } }, { headers: { "Cache-Control": "no-store" } });
    }
    const { name } = await revokeApiToken(db, ctx, parsed.data.tokenId);
    return data({ ok: true as const, revoked: name });
  } catch (error) {
    return domainFormError(error, t);
  }
}

export default function Account() {
  const t = useT();
  const { name, email, phone, hasPassword, roles, devices, tokens, feedSince, publicFeeds, mail } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const creating = usePending({ intent: "create-token" });
  const created = result?.ok && "created" in result ? result.created : null;
  const revoked = result?.ok && "revoked" in result ? result.revoked : null;
  const feed = result?.ok && "feed" in result ? result.feed : null;
  const feedRevoked = !!(result?.ok && "feedRevoked" in result);
  const mailSaved = !!(result?.ok && "mailSaved" in result);
  const mailRefused = !!(result && !result.ok && "section" in result);
  const errors = result && !result.ok ? result.fieldErrors : {};
  const [tokenForm, tokenFields] = useSchemaForm(createToken, mailRefused ? undefined : result, { id: "create-token" });
  return (
    <section className="panel narrow">
      <h1>{t("account.title")}</h1>
      <dl className="facts">
        <dt>{t("account.name")}</dt>
        <dd>{name}</dd>
        <dt>{t("account.phone")}</dt>
        <dd>{phone ? <span className="phone-number">{phone}</span> : t("account.notSet")}</dd>
        <dt>{t("account.email")}</dt>
        <dd>{email ?? t("account.notSet")}</dd>
        <dt>{t("account.password")}</dt>
        <dd>
          {hasPassword ? t("account.passwordSet") : t("account.passwordNotSet")} ·{" "}
          <Link to="/account/password">{hasPassword ? t("account.changePassword") : t("account.setPassword")}</Link>
        </dd>
        <dt>{t("account.roles")}</dt>
        <dd>{roles.join(t("summary.listSeparator"))}</dd>
        <dt>{t("account.sessions")}</dt>
        <dd>{t("account.sessionsCount", { count: devices })}</dd>
      </dl>

      <section aria-labelledby="my-info-title">
        <h2 id="my-info-title">{t("account.myInfo")}</h2>
        <p className="help">{t("account.myInfoHelp")}</p>
        <ul className="manage-links">
          <li>
            <Link to="/account/data">{t("data.title")}</Link>
          </li>
          <li>
            <Link to="/account/details">{t("data.correctLink")}</Link>
          </li>
          <li>
            <Link to="/account/consents">{t("consent.myTitle")}</Link>
          </li>
        </ul>
      </section>

      <CalendarSubscribe since={feedRevoked ? null : feedSince} created={feed} revoked={feedRevoked} publicFeeds={publicFeeds} />

      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{t("account.signOutEverywhere")}</h2>
        <p className="help">{t("account.signOutEverywhereHelp")}</p>
        <ConfirmAction
          label={t("account.signOutEverywhere")}
          consequence={t("confirm.signOutEverywhere")}
          confirmLabel={t("confirm.signOutEverywhereGo")}
          fields={{ intent: "sign-out-everywhere" }}
        />
      </section>

      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">{t("tokens.title")}</h2>
        <p className="help">{t("tokens.help")}</p>
        <p className="help">{t("tokens.signOutNote")}</p>
        <Notice tone="error">{result && !result.ok && !mailRefused ? result.formError : undefined}</Notice>
        {created ? (
          <Notice tone="ok" block>
            <p>{t("tokens.createdNotice", { name: created.name })}</p>
            <div className="field">
              <label htmlFor="new-token">{t("tokens.value")}</label>
              <input
                id="new-token"
                readOnly
                autoFocus
                value={created.token}
                aria-describedby="new-token-help"
                spellCheck={false}
                autoComplete="off"
                onFocus={(e) => e.currentTarget.select()}
              />
              <p id="new-token-help" className="help">
                <strong>{t("tokens.copyOnce")}</strong>
              </p>
            </div>
          </Notice>
        ) : null}
        {revoked ? <Notice tone="ok">{t("tokens.revoked", { name: revoked })}</Notice> : null}
        {tokens.length ? (
          <DataTable
            columns={[t("tokens.name"), t("tokens.created"), t("tokens.lastUsed"), { label: t("tokens.revoke"), hidden: true }]}
            hiddenCaption={t("tokens.title")}
          >
            {tokens.map((token) => (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>{token.created}</td>
                <td>{token.lastUsed ?? t("tokens.neverUsed")}</td>
                <td>
                  <IntentButton
                    fields={{ intent: "revoke-token", tokenId: token.id }}
                    className="button-danger"
                    aria-label={t("tokens.revokeNamed", { name: token.name })}
                  >
                    {t("tokens.revoke")}
                  </IntentButton>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t("tokens.none")}</p>
        )}
        <Form method="post" {...schemaFormProps(tokenForm)}>
          <input type="hidden" name="intent" value="create-token" />
          <Field field={tokenFields.name} label={t("tokens.newName")} help={t("tokens.newNameHelp")} autoComplete="off" />
          <SubmitButton pending={creating}>{t("tokens.create")}</SubmitButton>
        </Form>
      </section>

      <MailPreferences
        groups={mail.groups}
        receiving={mail.receiving}
        locale={mail.locale}
        consentWithdrawn={mail.consentWithdrawn}
        saved={mailSaved}
        errors={mailRefused ? errors : {}}
        formError={mailRefused && result && !result.ok ? result.formError : undefined}
      />
      <p>
        <Link to="/account/erase" className="tap-link">
          {t("account.eraseLink")}
        </Link>
      </p>
    </section>
  );
}
