import { Form, Link } from "@remix-run/react";
import { Field } from "~/components/field";
import { IntentButton, Notice, SubmitButton, usePending } from "~/components/form";
import { useT } from "~/lib/view";

export interface WaitlistItem {
  id: number;
  serviceId: number;
  service: string;
  person: string;
  days: string;
  offer: { id: number; when: string; provider: string; location: string; heldUntil: string } | null;
}

/**
 * "有空位时通知我" on a service's page (ADR 26): the days to wait for, or the entry already
 * made and a way off the list. `error` is the refused submission's message.
 */
export function WaitlistPanel({
  entry,
  defaults,
  error,
}: {
  entry: WaitlistItem | null;
  defaults: { fromDate: string; toDate: string };
  error?: string;
}) {
  const t = useT();
  const joining = usePending({ intent: "wait" });
  return (
    <div id="waitlist" className="panel consult-wait">
      <h2>{t("waitlist.title")}</h2>
      {entry ? (
        <>
          <p>{t("waitlist.waiting", { days: entry.days })}</p>
          {entry.offer ? (
            <p>
              <Link to={`/consultations/offers/${entry.offer.id}`} className="button-primary">
                {t("waitlist.answer")}
              </Link>
            </p>
          ) : null}
          <IntentButton fields={{ intent: "leave" }} className="button-secondary">
            {t("waitlist.leave")}
          </IntentButton>
        </>
      ) : (
        <Form method="post">
          <p className="help">{t("waitlist.how")}</p>
          <input type="hidden" name="intent" value="wait" />
          <div className="consult-wait-days">
            <Field
              name="fromDate"
              type="date"
              label={t("waitlist.from")}
              defaultValue={defaults.fromDate}
              min={defaults.fromDate}
              max={defaults.toDate}
            />
            <Field name="toDate" type="date" label={t("waitlist.to")} defaultValue={defaults.toDate} min={defaults.fromDate} max={defaults.toDate} />
          </div>
          <SubmitButton pending={joining}>{t("waitlist.join")}</SubmitButton>
        </Form>
      )}
      <Notice tone="error">{error}</Notice>
    </div>
  );
}

/** The person's waitlist entries beside their consultations, a held slot first and plainest. */
export function MyWaitlist({ items }: { items: WaitlistItem[] }) {
  const t = useT();
  return (
    <>
      <h2>{t("waitlist.mine")}</h2>
      <ul className="consult-mine">
        {items.map((e) => (
          <li key={e.id} className="panel">
            <h3>{e.service}</h3>
            {e.offer ? (
              <>
                <p>
                  <strong>{t("waitlist.offered")}</strong>
                </p>
                <p className="consult-when">{e.offer.when}</p>
                <p>
                  {e.offer.provider} · {e.offer.location}
                </p>
                <p>{t("waitlist.heldUntil", { until: e.offer.heldUntil })}</p>
                <p>
                  <Link to={`/consultations/offers/${e.offer.id}`} className="button-primary">
                    {t("waitlist.answer")}
                  </Link>
                </p>
              </>
            ) : (
              <p>
                {t("waitlist.waiting", { days: e.days })} <Link to={`/consultations/${e.serviceId}#waitlist`}>{t("waitlist.change")}</Link>
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
