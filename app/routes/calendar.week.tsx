import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { parseLocal, resolveCategory, sessionsByDay } from "~/lib/calendar.server";
import { dateFormatter } from "~/lib/dates.server";
import { DayList } from "~/components/session-card";
import { PeriodNav } from "~/components/period-nav";
import { useT } from "~/lib/view";

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const url = new URL(request.url);
  const { slug } = await resolveCategory(ctx, url);
  const weekStart = parseLocal(ctx, url.searchParams.get("date"), "yyyy-MM-dd").startOf("week");
  const weekEnd = weekStart.plus({ weeks: 1 });
  const byDay = await sessionsByDay(ctx, weekStart, weekEnd, slug);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const query = slug ? `&category=${slug}` : "";
  const days = Array.from({ length: 7 }, (_, i) => weekStart.plus({ days: i }).toISODate()!);
  return {
    title: `${fmt.dayOfDate(days[0]!)} – ${fmt.dayOfDate(days[6]!)}`,
    prev: `?date=${weekStart.minus({ weeks: 1 }).toISODate()}${query}`,
    next: `?date=${weekEnd.toISODate()}${query}`,
    days: days.filter((d) => byDay.has(d)).map((d) => ({ date: d, label: fmt.dayOfDate(d), sessions: byDay.get(d)! })),
  };
}

export default function WeekView() {
  const t = useT();
  const { title, prev, next, days } = useLoaderData<typeof loader>();
  return (
    <>
      <PeriodNav title={title} prev={prev} next={next} prevLabel={t("calendar.prevWeek")} nextLabel={t("calendar.nextWeek")} />
      <DayList days={days} />
    </>
  );
}
