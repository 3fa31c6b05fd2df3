import { DateTime } from "luxon";
import type { Locale } from "~/i18n";

/** Formats instants in the station's zone and the viewer's language; the server renders text so client and server agree. */
export function dateFormatter(locale: Locale, timeZone: string) {
  const at = (date: Date) => DateTime.fromJSDate(date, { zone: timeZone }).setLocale(locale);
  return {
    at,
    time: (date: Date) => at(date).toFormat("HH:mm"),
    day: (date: Date) => at(date).toLocaleString({ month: "long", day: "numeric", weekday: "long" }),
    dayLong: (date: Date) => at(date).toLocaleString({ year: "numeric", month: "long", day: "numeric", weekday: "long" }),
    range: (start: Date, end: Date) => `${at(start).toLocaleString({ year: "numeric", month: "long", day: "numeric", weekday: "long" })} ${at(start).toFormat("HH:mm")}–${at(end).toFormat("HH:mm")}`,
    month: (local: DateTime) => local.setLocale(locale).toLocaleString({ year: "numeric", month: "long" }),
    localDate: (date: Date) => at(date).toISODate()!,
    /** A local calendar date ("2026-12-01") as a day heading. */
    dayOfDate: (isoDate: string) =>
      DateTime.fromISO(isoDate, { zone: timeZone }).setLocale(locale).toLocaleString({ month: "long", day: "numeric", weekday: "long" }),
  };
}
