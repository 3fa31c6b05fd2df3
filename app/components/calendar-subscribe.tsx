import { useT } from "~/lib/view";
import { SubscribeHowTo } from "./public-subscribe";
import { IntentButton, Notice } from "./form";

export interface SubscribeProps {
  /** When the live link was made (formatted), or null when there is none. */
  since: string | null;
  /** The links, only in the reply that made them: the token is never shown again. */
  created: { url: string; webcal: string; qr: string } | null;
  revoked: boolean;
  publicFeeds: { url: string; label: string }[];
}

/** The account page's "calendar subscription" section: make, replace or turn off the personal feed link. */
export function CalendarSubscribe({ since, created, revoked, publicFeeds }: SubscribeProps) {
  const t = useT();
  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title">{t("feedSub.title")}</h2>
      <p className="help">{t("feedSub.help")}</p>
      <p className="help">{t("feedSub.secretNote")}</p>
      <p className="help">{t("feedSub.signOutNote")}</p>
      {created ? (
        <Notice tone="ok" block>
          <p>{t("feedSub.created")}</p>
          <p>
            <a className="button-primary" href={created.webcal}>
              {t("feedSub.webcal")}
            </a>
          </p>
          <div className="field">
            <label htmlFor="feed-url">{t("feedSub.url")}</label>
            <input id="feed-url" readOnly value={created.url} spellCheck={false} autoComplete="off" onFocus={(e) => e.currentTarget.select()} />
          </div>
          <img src={created.qr} alt={t("feedSub.qrAlt")} width={200} height={200} />
          <h3>{t("feedSub.howTo")}</h3>
          <SubscribeHowTo />
        </Notice>
      ) : null}
      {revoked ? <Notice tone="ok">{t("feedSub.revoked")}</Notice> : null}
      {!created ? <p>{since ? t("feedSub.active", { date: since }) : t("feedSub.none")}</p> : null}
      <div className="actions">
        <IntentButton fields={{ intent: "create-feed" }}>{since || created ? t("feedSub.replace") : t("feedSub.create")}</IntentButton>
        {since || created ? (
          <IntentButton fields={{ intent: "revoke-feed" }} className="button-danger">
            {t("feedSub.revoke")}
          </IntentButton>
        ) : null}
      </div>
      <h3>{t("feedSub.publicTitle")}</h3>
      <p className="help">{t("feedSub.publicHelp")}</p>
      <ul className="feed-links">
        {publicFeeds.map((feed) => (
          <li key={feed.url}>
            <a href={feed.url}>{feed.label}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
