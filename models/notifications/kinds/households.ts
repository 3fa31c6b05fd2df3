import { eq } from "drizzle-orm";
import { stations, type NotificationKind } from "../../db/schema";
import { translator } from "../../i18n";
import { layout } from "../layout";
import type { Renderer } from "../render";

/**
 * To the coordinators after an erasure left households without a caretaker (ADR 23, addendum).
 * Subject and body carry the count only: the erased person is not named, not even as "a
 * caretaker called …", and the link opens the households page filtered to 无联系人.
 */
const render: Renderer = async (ctx) => {
  const [station] = await ctx.db
    .select({ nameZh: stations.nameZh, nameEn: stations.nameEn })
    .from(stations)
    .where(eq(stations.id, ctx.row.stationId));
  if (!station) return { skip: "no_station" };
  const count = Number((ctx.row.payload as { households?: unknown }).households);
  if (!Number.isInteger(count) || count < 1) return { skip: "no_households" };
  const locale = ctx.recipient.locale;
  const t = translator(locale);
  // English counts one household apart from several; Chinese has one form for both.
  const one = count === 1 ? "One" : "";
  const body = layout({
    recipient: ctx.recipient,
    lead: t(`mail.householdsUnassigned.lead${one}`, { count }),
    extra: [t("mail.householdsUnassigned.extra")],
    facts: [],
    link: { label: t("mail.householdsUnassigned.link"), url: `${ctx.settings.publicUrl}/manage/households?caretaker=none` },
    unsubscribeUrl: ctx.unsubscribeUrl,
    stationName: locale === "en" ? station.nameEn : station.nameZh,
  });
  return { mail: { subject: t(`mail.householdsUnassigned.subject${one}`, { count }), ...body } };
};

export const renderers: Partial<Record<NotificationKind, Renderer>> = { households_unassigned: render };
