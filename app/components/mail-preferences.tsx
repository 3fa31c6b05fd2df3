import { Form, Link } from "@remix-run/react";
import { Notice, SubmitButton, usePending } from "./form";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";

const LOCALES = ["zh-CN", "en"] as const;

/** Which mails to receive (one box per group the person is offered, in MAIL_KIND_GROUPS order) and their language. */
export function MailPreferences({
  groups,
  receiving,
  locale,
  consentWithdrawn = false,
  saved,
  errors,
  formError,
}: {
  groups: readonly string[];
  receiving: readonly string[];
  locale: string;
  /** The person withdrew their mail consent: no mail goes out until they agree again. */
  consentWithdrawn?: boolean;
  saved: boolean;
  errors: Record<string, string>;
  formError?: string;
}) {
  const t = useT();
  const pending = usePending({ intent: "mail-preferences" });
  return (
    <section aria-labelledby="mail-prefs-title">
      <h2 id="mail-prefs-title">{t("mailPrefs.title")}</h2>
      <p className="help">{t("mailPrefs.help")}</p>
      {consentWithdrawn ? (
        <Notice tone="warning" block>
          <p>{t("mailPrefs.consentWithdrawn")}</p>
          <p>
            <Link to="/account/consents#consent-mail" className="tap-link">
              {t("consent.myTitle")}
            </Link>
          </p>
        </Notice>
      ) : null}
      {saved ? <Notice tone="ok">{t("mailPrefs.saved")}</Notice> : null}
      <Notice tone="error">{formError}</Notice>
      <Form method="post">
        <input type="hidden" name="intent" value="mail-preferences" />
        <fieldset className="mail-groups" aria-describedby={errors.receive ? "f-receive-error" : undefined}>
          <legend>{t("mailPrefs.receive")}</legend>
          {groups.map((group) => (
            <label key={group} className="check">
              <input type="checkbox" name="receive" value={group} defaultChecked={receiving.includes(group)} />
              {t(`mailGroup.${group}` as MessageKey)}
            </label>
          ))}
          {errors.receive ? (
            <p id="f-receive-error" className="field-error">
              {errors.receive}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="f-mailLocale">{t("mailPrefs.locale")}</label>
          <select id="f-mailLocale" name="mailLocale" defaultValue={locale} aria-invalid={errors.mailLocale ? true : undefined}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`mailPrefs.locale.${l}` as MessageKey)}
              </option>
            ))}
          </select>
          {errors.mailLocale ? <p className="field-error">{errors.mailLocale}</p> : null}
        </div>
        <SubmitButton pending={pending}>{t("mailPrefs.save")}</SubmitButton>
      </Form>
    </section>
  );
}
