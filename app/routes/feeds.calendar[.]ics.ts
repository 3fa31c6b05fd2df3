import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { feedResponse } from "~/lib/feeds.server";

/** The station's whole public calendar as an iCalendar feed: /feeds/calendar.ics */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  return feedResponse(request, ctx);
}
