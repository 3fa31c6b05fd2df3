import { Form } from "@remix-run/react";
import { carries, SubmitButton, useSubmission } from "./form";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";

export interface ConsentItem {
  purpose: string;
  title: string;
  text: string;
  inForce: boolean;
  outdated: boolean;
  canRenew: boolean;
  neverAsked: boolean;
  status: string;
  canGive: boolean;
  canWithdraw: boolean;
  giveHint: string | null;
}

/**
 * The consents of one person, each with its words and standing, and a button to give or
 * withdraw it. `ways` (staff, a caretaker) asks how the person said so; without it the
 * person is acting online for themself.
 */
export function ConsentList({ items, ways }: { items: ConsentItem[]; ways?: readonly string[] }) {
  const t = useT();
  const sent = useSubmission();
  const wayField = (id: string) =>
    ways ? (
      <div className="field">
        <label htmlFor={id}>{t("consent.howLabel")}</label>
        <select id={id} name="way" required defaultValue={ways[0]}>
          {ways.map((w) => (
            <option key={w} value={w}>
              {t(`consent.way.${w}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
    ) : (
      <input type="hidden" name="way" value="online" />
    );
  return (
    <ul className="bookings-list">
      {items.map((c) => (
        <li key={c.purpose} className="booking" id={`consent-${c.purpose}`}>
          <h2>{c.title}</h2>
          <p className="prose">{c.text}</p>
          {c.neverAsked ? (
            <>
              <p>
                <strong>{t("consent.notAsked")}</strong>
              </p>
              <p className="help">{t("consent.neverAsked")}</p>
            </>
          ) : (
            <p>
              <strong>{c.inForce ? t("consent.inForce") : t("consent.notInForce")}</strong> · {c.status}
            </p>
          )}
          {c.outdated ? <p className="help">{t("consent.outdated")}</p> : null}
          {c.giveHint ? <p className="help">{c.giveHint}</p> : null}
          {c.canGive || c.canWithdraw ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="purpose" value={c.purpose} />
              {wayField(`way-${c.purpose}`)}
              {c.canWithdraw && c.purpose === "health_needs" ? <p className="help">{t("consent.withdrawNeedsHelp")}</p> : null}
              {c.canRenew ? (
                <SubmitButton name="intent" value="renew" className="button-primary" pending={carries(sent, { purpose: c.purpose, intent: "renew" })}>
                  {t("consent.renew")}
                </SubmitButton>
              ) : null}
              <SubmitButton
                name="intent"
                value={c.canGive ? "give" : "withdraw"}
                className={c.canGive ? "button-primary" : "button-danger"}
                pending={carries(sent, { purpose: c.purpose, intent: c.canGive ? "give" : "withdraw" })}
              >
                {c.canGive ? t("consent.give") : t("consent.withdraw")}
              </SubmitButton>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
