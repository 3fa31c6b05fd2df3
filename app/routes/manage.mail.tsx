import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getConfig } from "#models/config";
import { listNotifications, notificationCounts, retryNotification, type NotificationRow } from "#models/notifications/admin";
import { ADMIN, authorize, type RequestContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, fields, formError, parseForm, readForm } from "~/lib/http.server";
import { IntentButton, Notice } from "~/components/form";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("mailAdmin.title");

/** Where mail goes: the SMTP server's host only (the URL may hold a password), or the outbox. */
function transportOf(smtpUrl: string | undefined) {
  if (!smtpUrl) return { kind: "outbox" as const, host: "" };
  try {
    return { kind: "smtp" as const, host: new URL(smtpUrl).host };
  } catch {
    return { kind: "smtp" as const, host: "" };
  }
}

function rowView(ctx: RequestContext, row: NotificationRow) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const at = (d: Date) => `${fmt.localDate(d)} ${fmt.time(d)}`;
  return {
    id: row.id,
    kind: ctx.t(`notificationKind.${row.kind}` satisfies MessageKey),
    status: row.status,
    statusText: ctx.t(`notificationStatus.${row.status}` as MessageKey),
    when: row.sentAt ? at(row.sentAt) : ctx.t("mailAdmin.dueAt", { when: at(row.dueAt) }),
    attempts: row.attempts,
    lastError: row.lastError,
    recipient: row.recipient,
    subject: row.subject,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const [counts, failed, recent] = await Promise.all([
    notificationCounts(ctx.db, ctx.station.id),
    listNotifications(ctx.db, ctx.station.id, { status: "failed", limit: 50 }),
    listNotifications(ctx.db, ctx.station.id, { limit: 50 }),
  ]);
  return {
    counts,
    transport: transportOf(getConfig().SMTP_URL),
    failed: failed.map((r) => rowView(ctx, r)),
    recent: recent.map((r) => rowView(ctx, r)),
  };
}

const schema = z.object({ intent: z.literal("retry", "field.choice"), id: fields.id() });

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const parsed = parseForm(await readForm(request, ctx.t), schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    const { id } = await retryNotification(ctx.db, { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId }, parsed.data.id);
    return data({ ok: true as const, retried: id });
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

type Row = ReturnType<typeof rowView>;

function MailTable({ rows, caption, retry }: { rows: Row[]; caption: string; retry: boolean }) {
  const t = useT();
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("mailAdmin.when")}</th>
          <th scope="col">{t("mailAdmin.kind")}</th>
          <th scope="col">{t("mailAdmin.status")}</th>
          <th scope="col">{t("mailAdmin.to")}</th>
          <th scope="col">{t("mailAdmin.subject")}</th>
          <th scope="col">{t("mailAdmin.attempts")}</th>
          {retry ? <th scope="col">{t("mailAdmin.error")}</th> : null}
          {retry ? (
            <th scope="col">
              <span className="visually-hidden">{t("mailAdmin.retry")}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className={`mail-${row.status}`}>
            <td>{row.when}</td>
            <td>{row.kind}</td>
            <td>{row.statusText}</td>
            <td>{row.recipient ?? ""}</td>
            <td>{row.subject ?? ""}</td>
            <td>{row.attempts}</td>
            {retry ? <td className="mail-error">{row.lastError ?? ""}</td> : null}
            {retry ? (
              <td>
                <IntentButton
                  fields={{ intent: "retry", id: row.id }}
                  className="button-secondary"
                  aria-label={t("mailAdmin.retryNamed", { id: row.id })}
                >
                  {t("mailAdmin.retry")}
                </IntentButton>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function MailAdmin() {
  const t = useT();
  const { counts, transport, failed, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const tiles = [
    ["mailAdmin.pending", counts.pending],
    ["mailAdmin.dueUnsent", counts.dueUnsent],
    ["mailAdmin.sent", counts.sent],
    ["mailAdmin.failed", counts.failed],
    ["mailAdmin.skipped", counts.skipped],
    ["mailAdmin.cancelled", counts.cancelled],
  ] as const;
  return (
    <section>
      <h1>{t("mailAdmin.title")}</h1>
      <h2>{t("mailAdmin.counts")}</h2>
      <dl className="facts mail-counts">
        {tiles.map(([key, n]) => (
          <div key={key} className={key === "mailAdmin.dueUnsent" && n > 0 ? "mail-warn" : undefined}>
            <dt>{t(key)}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {counts.dueUnsent > 0 ? <Notice tone="warning">{t("mailAdmin.dueUnsentHelp")}</Notice> : null}
      <h2>{t("mailAdmin.transport")}</h2>
      <p>{transport.kind === "smtp" ? t("mailAdmin.transportSmtp", { host: transport.host }) : t("mailAdmin.transportOutbox")}</p>
      {transport.kind === "outbox" ? (
        <p>
          <Link to="/manage/outbox" className="button-secondary">
            {t("mailAdmin.openOutbox")}
          </Link>
        </p>
      ) : null}

      <h2>{t("mailAdmin.failedTitle")}</h2>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {result?.ok ? <Notice tone="ok">{t("mailAdmin.retried", { id: result.retried })}</Notice> : null}
      {failed.length ? <MailTable rows={failed} caption={t("mailAdmin.failedTitle")} retry /> : <p>{t("mailAdmin.noFailed")}</p>}

      <h2>{t("mailAdmin.recentTitle")}</h2>
      {recent.length ? <MailTable rows={recent} caption={t("mailAdmin.recentTitle")} retry={false} /> : <p>{t("mailAdmin.none")}</p>}
    </section>
  );
}
