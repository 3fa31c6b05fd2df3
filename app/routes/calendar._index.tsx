import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { authorize } from "~/lib/guard.server";
import { cachedForPage, parseLocal, resolveCategory, sessionsByDay } from "~/lib/calendar.server";
import { dateFormatter } from "~/lib/dates.server";
import { DayList } from "~/components/session-card";
import { PeriodNav } from "~/components/period-nav";
import { useT } from "~/lib/view";
import type { MessageKey, Translate } from "~/i18n";

const countText = (t: Translate, count: number) => (count === 1 ? t("calendar.sessionsCountOne") : t("calendar.sessionsCount", { count }));

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const url = new URL(request.url);
  const { slug } = await resolveCategory(ctx, url);
  const month = parseLocal(ctx, url.searchParams.get("month"), "yyyy-MM");
  const query = slug ? `&category=${slug}` : "";
  const gridStart = month.startOf("week"); // luxon weeks start on Monday
  const gridEnd = month.endOf("month").endOf("week").plus({ milliseconds: 1 });
  const byDay = await sessionsByDay(ctx, gridStart, gridEnd, slug);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const today = fmt.localDate(new Date());
  // The grid's frame (days, headings, labels, links) is the same for every viewer until the
  // calendar or the day changes: kept behind the calendar version; a request adds the cards.
  const frame = await cachedForPage(ctx, `month-frame:${month.toISODate()}:${slug ?? ""}:${ctx.locale}:${today}`, async () => {
    // Walk the grid's days in UTC: calendar arithmetic needs no zone, and zoned DateTimes
    // make luxon work out an offset for every step.
    const first = DateTime.fromISO(gridStart.toISODate()!, { zone: "utc" });
    const weeks = [];
    for (let w = 0; gridStart.plus({ weeks: w }) < gridEnd; w++) {
      weeks.push(
        Array.from({ length: 7 }, (_, i) => {
          const day = first.plus({ days: w * 7 + i });
          const date = day.toISODate()!;
          const inMonth = day.month === month.month;
          const heading = fmt.dayOfDate(date);
          return {
            date,
            day: day.day,
            inMonth,
            isToday: date === today,
            // ISO dates compare as text; on a phone the list below starts at today.
            isPast: date < today,
            heading,
            // A day of the neighbouring month is listed on that month's page, not this one.
            href: `${inMonth ? "" : `?month=${day.toFormat("yyyy-MM")}${query}`}#d-${date}`,
            label: `${heading}: ${countText(ctx.t, byDay.get(date)?.length ?? 0)}`,
          };
        }),
      );
    }
    return weeks;
  });
  const weeks = frame.map((week) => week.map((day) => ({ ...day, sessions: byDay.get(day.date) ?? [] })));
  return {
    title: fmt.month(month),
    prev: `?month=${month.minus({ months: 1 }).toFormat("yyyy-MM")}${query}`,
    next: `?month=${month.plus({ months: 1 }).toFormat("yyyy-MM")}${query}`,
    weeks,
    // The month's past days, a week at a time, for a phone whose list starts at today.
    earlierHref: `/calendar/week?date=${month.toISODate()}${query}`,
  };
}

export default function MonthView() {
  const t = useT();
  const { title, prev, next, weeks, earlierHref } = useLoaderData<typeof loader>();
  // The list below the grid shows the month's own days; the data is the grid's, not a copy.
  const list = weeks
    .flat()
    .filter((d) => d.inMonth && d.sessions.length > 0)
    .map((d) => ({ date: d.date, label: d.heading, sessions: d.sessions, past: d.isPast }));
  const earlier = list.filter((d) => d.past).length;
  return (
    <div className="month-view">
      <PeriodNav title={title} prev={prev} next={next} prevLabel={t("calendar.prevMonth")} nextLabel={t("calendar.nextMonth")} />
      <table className="month-grid">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <th key={d} scope="col">
                {t(`weekday.${d}` as MessageKey)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]!.date}>
              {week.map((day) => (
                <td key={day.date} className={`${day.inMonth ? "" : "outside"}${day.isToday ? " today" : ""}`}>
                  {day.sessions.length > 0 ? (
                    <a href={day.href} className="day-link" aria-label={day.label}>
                      <span className="day-number">{day.day}</span>
                      <span className="day-count" aria-hidden="true">
                        {day.sessions.length}
                      </span>
                    </a>
                  ) : (
                    <span className="day-number">{day.day}</span>
                  )}
                  {day.sessions.length > 0 ? (
                    <ul className="cell-sessions">
                      {day.sessions.map((s) => (
                        <li key={s.id} className={s.cancelled ? "is-cancelled" : undefined} style={{ borderInlineStartColor: s.color }}>
                          <Link to={`/sessions/${s.id}`}>
                            {s.time.slice(0, 5)} {s.title}
                            {s.cancelled ? ` (${t("calendar.cancelled")})` : ""}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {earlier ? (
        <p className="narrow-only earlier-days">
          <a href={earlierHref}>{t("calendar.earlierDays", { count: earlier })}</a>
        </p>
      ) : null}
      <DayList days={list} />
    </div>
  );
}
