import { parseRRule } from "#models/recurrence";
import type { MessageKey } from "~/i18n";
import type { RequestContext } from "~/lib/guard.server";

/** A series' repeat rule in plain words, e.g. "每周一、三 07:30". */
export function describeRule(ctx: Pick<RequestContext, "t" | "station">, rrule: string | null, startDate: string, time: string): string {
  const { t } = ctx;
  if (!rrule) return t("summary.once", { date: startDate, time });
  const rule = parseRRule(rrule, ctx.station.timeZone);
  const n = rule.interval;
  let text: string;
  if (rule.freq === "DAILY") {
    text = n === 1 ? t("summary.daily", { time }) : t("summary.everyNDays", { n, time });
  } else if (rule.freq === "WEEKLY") {
    const days = (rule.byWeekday ?? []).map((d) => t(`weekdayLong.${d}` as MessageKey)).join(t("summary.listSeparator"));
    text = n === 1 ? t("summary.weekly", { days, time }) : t("summary.everyNWeeks", { n, days, time });
  } else {
    if (rule.byNthWeekday) {
      const nth = t(`series.nth.${rule.byNthWeekday.nth}` as MessageKey);
      text = t("summary.monthlyNth", { nth, weekday: t(`weekdayLong.${rule.byNthWeekday.weekday}` as MessageKey), time });
    } else if (rule.byMonthDay === -1) {
      text = t("summary.monthlyLastDay", { time });
    } else {
      text = t("summary.monthlyDay", { day: rule.byMonthDay ?? Number(startDate.slice(8)), time });
    }
    if (n > 1) text += t("summary.everyNMonths", { n });
  }
  if (rule.until) text += t("summary.until", { date: rule.until });
  if (rule.count) text += t("summary.count", { count: rule.count });
  return text;
}
