import { DateTime } from "luxon";
import type { Locale } from "~/i18n";

/**
 * Formats instants in the station's zone and the viewer's language. The server renders the
 * text so client and server agree. Intl formatters are built once per (language, zone,
 * pattern) and reused: building one — or letting luxon work out a zone offset per instant —
 * costs far more than formatting, and a month page formats hundreds of times.
 */
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, format);
  }
  return format;
}

const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const ISO_DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
const DAY: Intl.DateTimeFormatOptions = { month: "long", day: "numeric", weekday: "long" };
const DAY_LONG: Intl.DateTimeFormatOptions = { year: "numeric", month: "long", day: "numeric", weekday: "long" };

export function dateFormatter(locale: Locale, timeZone: string) {
  // "en-GB" gives a plain 24-hour "07:30"; "en-CA" gives ISO "2026-12-01" in every engine.
  const time = formatter("en-GB", timeZone, TIME);
  const isoDate = formatter("en-CA", timeZone, ISO_DATE);
  const day = formatter(locale, timeZone, DAY);
  const dayLong = formatter(locale, timeZone, DAY_LONG);
  // A local calendar date is formatted as noon UTC in UTC: the date can never shift.
  const dayUtc = formatter(locale, "UTC", DAY);
  return {
    at: (date: Date) => DateTime.fromJSDate(date, { zone: timeZone }).setLocale(locale),
    time: (date: Date) => time.format(date),
    day: (date: Date) => day.format(date),
    dayLong: (date: Date) => dayLong.format(date),
    range: (start: Date, end: Date) => `${dayLong.format(start)} ${time.format(start)}–${time.format(end)}`,
    month: (local: DateTime) => local.setLocale(locale).toLocaleString({ year: "numeric", month: "long" }),
    localDate: (date: Date) => isoDate.format(date),
    /** A local calendar date ("2026-12-01") as a day heading. */
    dayOfDate: (isoDay: string) => dayUtc.format(new Date(`${isoDay}T12:00:00Z`)),
    /**
     * The same heading in its two pieces, the date and the weekday in the locale's order
     * ("12月8日" "星期二", "Tuesday," "December 8"), for a narrow button that may break a line
     * between them but never inside either.
     */
    dayOfDateParts: (isoDay: string): [string, string] => {
      const parts = dayUtc.formatToParts(new Date(`${isoDay}T12:00:00Z`));
      // The pieces split where the weekday meets the date; the punctuation between stays with the first.
      const weekdayFirst = parts[0]?.type === "weekday";
      const boundary = weekdayFirst
        ? parts.findIndex((p) => p.type !== "weekday" && p.type !== "literal")
        : parts.findIndex((p) => p.type === "weekday");
      const text = (list: Intl.DateTimeFormatPart[]) =>
        list
          .map((p) => p.value)
          .join("")
          .trim();
      return [text(parts.slice(0, boundary)), text(parts.slice(boundary))];
    },
  };
}
