import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { authorize } from "~/lib/guard.server";
import { resolveCategory, sessionsByDay } from "~/lib/calendar.server";
import { dateFormatter } from "~/lib/dates.server";
import { DayList } from "~/components/session-card";

// Two weeks ahead: enough to plan, short enough to read on a phone.
const UPCOMING_DAYS = 14;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const { slug } = await resolveCategory(ctx, new URL(request.url));
  const now = DateTime.now().setZone(ctx.station.timeZone);
  const byDay = await sessionsByDay(ctx, now, now.startOf("day").plus({ days: UPCOMING_DAYS }), slug);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return { days: [...byDay].map(([date, sessions]) => ({ date, label: fmt.dayOfDate(date), sessions })) };
}

export default function UpcomingList() {
  const { days } = useLoaderData<typeof loader>();
  return <DayList days={days} />;
}
