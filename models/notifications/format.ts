import { DateTime } from "luxon";
import { mailTexts } from "./catalog";
import type { Locale } from "./recipients";

/** Times in mails are the station's local time, in the recipient's language. */
export const fmt = (date: Date, zone: string, locale: Locale, format: string) =>
  DateTime.fromJSDate(date, { zone })
    .setLocale(locale === "en" ? "en-GB" : "zh-CN")
    .toFormat(format);

/** "2026年12月3日（周四）07:30–08:30" / "Thu 3 Dec 2026 07:30–08:30". */
export function span(startsAt: Date, endsAt: Date, zone: string, locale: Locale) {
  const t = mailTexts(locale);
  const sameDay = DateTime.fromJSDate(startsAt, { zone }).hasSame(DateTime.fromJSDate(endsAt, { zone }), "day");
  return `${fmt(startsAt, zone, locale, t.dateTime)}–${fmt(endsAt, zone, locale, sameDay ? t.time : t.dateTime)}`;
}
