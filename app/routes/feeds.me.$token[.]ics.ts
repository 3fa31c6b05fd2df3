import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { personalFeedResponse } from "~/lib/feeds.server";

/**
 * A person's own bookings and shifts as an iCalendar feed: /feeds/me/<token>.ics. Public to the guard
 * because the secret token in the path is the credential; the handler checks it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  return personalFeedResponse(request, ctx, params.token ?? "");
}
