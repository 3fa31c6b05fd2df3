import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getConfig } from "#models/config";
import { readOutboxMessage } from "#models/notifications/admin";
import { ADMIN, authorize } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { notFound, parseId } from "~/lib/http.server";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.subject || "Outbox" }];

// `outbox_` keeps this page out of the list's layout: it is a page of its own, not a panel in the list.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, station, locale, t } = await authorize(request, ADMIN);
  const id = parseId(params.id, t);
  const message = await readOutboxMessage(db, getConfig(), station.id, id);
  if (!message) throw notFound(t);
  const fmt = dateFormatter(locale, station.timeZone);
  return { ...message, date: message.date ? `${fmt.localDate(message.date)} ${fmt.time(message.date)}` : "" };
}

export default function OutboxMessage() {
  const t = useT();
  const m = useLoaderData<typeof loader>();
  const headers = [
    [t("outbox.from"), m.from],
    [t("outbox.to"), m.to],
    [t("outbox.subject"), m.subject],
    [t("outbox.date"), m.date],
    [t("outbox.messageId"), m.messageId],
    [t("outbox.listUnsubscribe"), m.listUnsubscribe],
  ] as const;
  return (
    <section>
      <p>
        <Link to="/manage/outbox" className="button-secondary">
          {t("outbox.back")}
        </Link>
      </p>
      <h1>{t("outbox.messageTitle", { id: m.id })}</h1>
      <dl className="facts mail-headers">
        {headers.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a href={`/manage/outbox/${m.id}.eml`} className="button-secondary" download>
          {t("outbox.download")}
        </a>
      </p>
      <h2>{t("outbox.text")}</h2>
      <pre className="mail-text">{m.text}</pre>
      <h2>{t("outbox.calendar")}</h2>
      {m.calendar ? <pre className="mail-text mail-ics">{m.calendar}</pre> : <p>{t("outbox.noCalendar")}</p>}
    </section>
  );
}
