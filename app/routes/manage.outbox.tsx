import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getConfig } from "#models/config";
import { listOutbox } from "#models/notifications/admin";
import { ADMIN, authorize } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";
import { Notice } from "~/components/form";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("outbox.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, station, locale, t } = await authorize(request, ADMIN);
  const config = getConfig();
  // With SMTP the worker writes no files: say so rather than show an empty list without reason.
  if (config.SMTP_URL) return { smtp: true, items: [] };
  const fmt = dateFormatter(locale, station.timeZone);
  const items = (await listOutbox(db, config, station.id)).map((m) => {
    const at = m.sentAt ?? m.createdAt;
    return {
      id: m.id,
      when: `${fmt.localDate(at)} ${fmt.time(at)}`,
      to: m.recipient ?? "",
      subject: m.subject ?? "",
      kind: t(`notificationKind.${m.kind}` satisfies MessageKey),
      fileExists: m.fileExists,
    };
  });
  return { smtp: false, items };
}

export default function Outbox() {
  const t = useT();
  const { smtp, items } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{t("outbox.title")}</h1>
      {smtp ? (
        <Notice>{t("outbox.smtp")}</Notice>
      ) : (
        <>
          <p className="help">{t("outbox.help")}</p>
          {items.length ? (
            <table className="data-table">
              <caption className="visually-hidden">{t("outbox.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("outbox.when")}</th>
                  <th scope="col">{t("outbox.to")}</th>
                  <th scope="col">{t("outbox.subject")}</th>
                  <th scope="col">{t("outbox.kind")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id}>
                    <td>{m.when}</td>
                    <td>{m.to}</td>
                    <td>
                      {m.fileExists ? (
                        <Link to={`/manage/outbox/${m.id}`}>{m.subject || t("outbox.open")}</Link>
                      ) : (
                        `${m.subject} ${t("outbox.missing")}`
                      )}
                    </td>
                    <td>{m.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t("outbox.none")}</p>
          )}
        </>
      )}
    </section>
  );
}
