import { ConfirmAction } from "~/components/confirm-action";
import { StationContact } from "./station-contact";
import { useT } from "~/lib/view";

export interface MyConsultation {
  id: number;
  service: string;
  when: string;
  provider: string;
  location: string;
  topic: string;
  canCancel: boolean;
  deadlineMinutes: number;
}

/** A person's coming consultations (咨询预约), with the topic only they and their helpers see, and a confirmed cancel. */
export function MyConsultations({ items, action, heading = true }: { items: MyConsultation[]; action: string; heading?: boolean }) {
  const t = useT();
  return (
    <>
      {heading ? <h2>{t("consult.mine")}</h2> : null}
      <ul className="consult-mine">
        {items.map((c) => (
          <li key={c.id} className="panel">
            <h3>{c.service}</h3>
            <p className="consult-when">{c.when}</p>
            <p>
              {c.provider} · {c.location}
            </p>
            {c.topic ? (
              <p className="help">
                {t("consult.topic")}：{c.topic}
              </p>
            ) : null}
            {c.canCancel ? (
              <ConfirmAction
                label={t("consult.cancel")}
                ariaLabel={t("consult.cancelNamed", { name: c.service, when: c.when })}
                consequence={t("consult.cancelConsequence")}
                confirmLabel={t("consult.cancelGo")}
                fields={{ intent: "cancel", consultationId: c.id }}
                action={action}
              />
            ) : (
              <>
                <p className="help">{t("consult.phoneToCancel", { minutes: c.deadlineMinutes })}</p>
                <StationContact />
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
