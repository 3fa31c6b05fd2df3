import { eq } from "drizzle-orm";
import { stations, type NotificationKind } from "../../db/schema";
import { translator, type MessageKey } from "../../i18n";
import { layout } from "../layout";
import type { Renderer } from "../render";

/**
 * Registration's mails (models/registration.ts). The registration form answers the same for a
 * new and a taken address, so it is these mails, read only by the address's owner, that say
 * which it was. They carry no personal data beyond the greeting.
 */
type AccountKind = "account_welcome" | "account_exists";

/** The lines under the lead: the taken address's mail says what to do either way. */
const EXTRA: Record<AccountKind, MessageKey[]> = {
  account_welcome: [],
  account_exists: ["mail.account.account_exists.ifYou", "mail.account.account_exists.ifNotYou"],
};

function renderer(kind: AccountKind): Renderer {
  return async (ctx) => {
    const [station] = await ctx.db
      .select({ nameZh: stations.nameZh, nameEn: stations.nameEn })
      .from(stations)
      .where(eq(stations.id, ctx.row.stationId));
    if (!station) return { skip: "no_station" };
    const locale = ctx.recipient.locale;
    const t = translator(locale);
    const body = layout({
      recipient: ctx.recipient,
      lead: t(`mail.account.${kind}.lead`),
      extra: EXTRA[kind].map((key) => t(key)),
      facts: [],
      link: { label: t("mail.account.signIn"), url: `${ctx.settings.publicUrl}/login` },
      unsubscribeUrl: ctx.unsubscribeUrl,
      stationName: locale === "en" ? station.nameEn : station.nameZh,
    });
    return { mail: { subject: t(`mail.account.${kind}.subject`), ...body } };
  };
}

export const renderers: Partial<Record<NotificationKind, Renderer>> = {
  account_welcome: renderer("account_welcome"),
  account_exists: renderer("account_exists"),
};
