import type { FeedLinks } from "~/lib/feed-links.server";
import { useT } from "~/lib/view";

/** How to subscribe on the phones people here use, and on Outlook and Google; shared with the account page. */
export function SubscribeHowTo() {
  const t = useT();
  return (
    <ul className="how-to">
      <li>{t("subscribe.huawei")}</li>
      <li>{t("subscribe.xiaomi")}</li>
      <li>{t("subscribe.oppo")}</li>
      <li>{t("subscribe.iphone")}</li>
      <li>{t("subscribe.outlook")}</li>
      <li>{t("subscribe.google")}</li>
    </ul>
  );
}

/**
 * "加入日历 / 订阅日历" on the public calendar, a category and a session page: no sign-in. A
 * <details>, so it opens without JavaScript: one-tap webcal, the https link to paste, a QR code
 * drawn on the server, and the steps for each phone. `category` names a category feed;
 * `oneEvent` adds the session's own .ics.
 */
export function PublicSubscribe({ links, category, oneEvent }: { links: FeedLinks; category?: string | null; oneEvent?: string }) {
  const t = useT();
  return (
    <details className="subscribe no-print">
      <summary className="button-secondary">{t("subscribe.title")}</summary>
      <div className="subscribe-body">
        <p className="help">
          {t("subscribe.help")} {category ? t("subscribe.helpCategory", { name: category }) : null}
        </p>
        {oneEvent ? (
          <p>
            <a className="button-primary" href={oneEvent} download>
              {t("subscribe.oneEvent")}
            </a>
            <span className="help"> {t("subscribe.oneEventHelp")}</span>
          </p>
        ) : null}
        <p>
          <a className="button-primary" href={links.webcal}>
            {t("subscribe.webcal")}
          </a>
        </p>
        <p className="subscribe-url">
          <span>{t("subscribe.https")}</span> <a href={links.url}>{links.url}</a>
        </p>
        <img src={links.qr} alt={t("subscribe.qrAlt")} width={180} height={180} />
        <p className="help">{t("subscribe.scan")}</p>
        <h3>{t("subscribe.howTo")}</h3>
        <SubscribeHowTo />
      </div>
    </details>
  );
}
