import { Form, Link, useLocation } from "@remix-run/react";
import { ConfirmAction } from "./confirm-action";
import { StationContact } from "./station-contact";
import type { SignupPanel as Panel } from "~/lib/signup-view.server";
import { useT } from "~/lib/view";
import { peopleCount } from "~/i18n";
import { Notice, SubmitButton, usePending } from "./form";

/** The big, plain signup box on a session page: one choice (how many people) and one button. */
export function SignupPanel({ panel }: { panel: Panel }) {
  const t = useT();
  // Only the signup button waits while it is sent; the cancel step has its own (ConfirmAction).
  const pending = usePending({ intent: "signup" });
  const { pathname } = useLocation();
  if (panel.kind === "none") return null;
  return (
    <section className="signup-panel no-print" aria-labelledby="signup-heading">
      <h2 id="signup-heading">{t("signup.title")}</h2>
      {panel.kind === "signIn" ? (
        <>
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(pathname)}`} className="button-primary button-large">
              {t("signup.signInFirst")}
            </Link>
          </p>
          <p className="help">{t("signup.orCall")}</p>
          <StationContact />
        </>
      ) : panel.kind === "notOpen" ? (
        <p>{t("signup.notOpen", { when: panel.when })}</p>
      ) : panel.kind === "closed" ? (
        <p>{t("signup.closed")}</p>
      ) : panel.kind === "open" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="signup" />
          {panel.full ? <Notice>{t("signup.full")}</Notice> : null}
          {panel.maxPartySize > 1 ? (
            <div className="field">
              <label htmlFor="f-partySize">{t("signup.partySize")}</label>
              <select id="f-partySize" name="partySize" defaultValue="1" aria-describedby="f-partySize-help">
                {Array.from({ length: panel.maxPartySize }, (_, i) => (
                  <option key={i + 1} value={i + 1}>
                    {peopleCount(t, i + 1)}
                  </option>
                ))}
              </select>
              <p id="f-partySize-help" className="help">
                {t("signup.partySizeHelp")}
              </p>
            </div>
          ) : (
            <input type="hidden" name="partySize" value="1" />
          )}
          <SubmitButton pending={pending} className="button-primary button-large">
            {t("signup.submit")}
          </SubmitButton>
        </Form>
      ) : (
        <>
          <Notice tone={panel.status === "confirmed" ? "ok" : "info"}>
            {panel.status === "confirmed"
              ? t("signup.confirmed", { count: panel.partySize })
              : t("signup.waitlisted", { position: panel.position ?? 1, count: panel.partySize })}
          </Notice>
          {panel.deadline ? <p className="help">{t("signup.cancelDeadline", { when: panel.deadline })}</p> : null}
          {panel.canCancel ? (
            <ConfirmAction
              label={panel.status === "confirmed" ? t("signup.cancel") : t("signup.leaveWaitlist")}
              consequence={
                panel.status === "confirmed"
                  ? t("confirm.cancelOwnPlace", { people: peopleCount(t, panel.partySize) })
                  : t("confirm.leaveOwnWaitlist", { position: panel.position ?? 1 })
              }
              confirmLabel={panel.status === "confirmed" ? t("confirm.cancelGo") : t("confirm.leaveWaitlistGo")}
              fields={{ intent: "cancel", signupId: panel.signupId }}
            />
          ) : (
            <>
              <p className="help">{t("signup.tooLateToCancel")}</p>
              <StationContact />
            </>
          )}
        </>
      )}
    </section>
  );
}
