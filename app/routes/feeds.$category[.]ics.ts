import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { feedResponse } from "~/lib/feeds.server";
import { notFound } from "~/lib/http.server";

/** One category's public sessions as an iCalendar feed: /feeds/<category slug>.ics */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const slug = params.category ?? "";
  if (!/^[a-z0-9-]{1,40}$/.test(slug)) throw notFound(ctx.t);
  // "/feeds/calendar.ics" matches this pattern as well as its own route, and which one the
  // router picks is a tie: answer it the same way either way.
  return feedResponse(request, ctx, slug === "calendar" ? undefined : slug);
}
