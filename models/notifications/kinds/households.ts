import { eq } from "drizzle-orm";
import { stations, type NotificationKind } from "../../db/schema";
import type { Locale } from "../recipients";
import { layout, type Renderer } from "../render";

/**
 * To the coordinators after an erasure left households without a caretaker (ADR 23, addendum).
 * Subject and body carry the count only: the erased person is not named, not even as "a
 * caretaker called …", and the link opens the households page filtered to 无联系人.
 */
const TEXTS: Record<Locale, { subject: (n: number) => string; lead: (n: number) => string; extra: string; link: string }> = {
  "zh-CN": {
    subject: (n) => `${n} 户家庭没有联系会员了`,
    lead: (n) => `一位联系会员的个人信息已按要求删除，TA 联系的 ${n} 户家庭现在没有联系会员。`,
    extra: "请为这些家庭安排新的联系会员，并重新登记他们的同意。",
    link: "查看没有联系会员的家庭",
  },
  en: {
    subject: (n) => `${n} ${n === 1 ? "household has" : "households have"} no caretaker now`,
    lead: (n) =>
      `A caretaker's personal information was erased on request; the ${n} ${n === 1 ? "household" : "households"} they looked after now have no caretaker.`,
    extra: "Please find them a new caretaker and record their consent again.",
    link: "See the households without a caretaker",
  },
};

const render: Renderer = async (ctx) => {
  const [station] = await ctx.db
    .select({ nameZh: stations.nameZh, nameEn: stations.nameEn })
    .from(stations)
    .where(eq(stations.id, ctx.row.stationId));
  if (!station) return { skip: "no_station" };
  const count = Number((ctx.row.payload as { households?: unknown }).households);
  if (!Number.isInteger(count) || count < 1) return { skip: "no_households" };
  const locale = ctx.recipient.locale;
  const texts = TEXTS[locale];
  const body = layout({
    recipient: ctx.recipient,
    lead: texts.lead(count),
    extra: [texts.extra],
    facts: [],
    link: { label: texts.link, url: `${ctx.settings.publicUrl}/manage/households?caretaker=none` },
    unsubscribeUrl: ctx.unsubscribeUrl,
    stationName: locale === "en" ? station.nameEn : station.nameZh,
  });
  return { mail: { subject: texts.subject(count), ...body } };
};

export const renderers: Partial<Record<NotificationKind, Renderer>> = { households_unassigned: render };
