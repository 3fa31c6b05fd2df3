import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildSessionIcs } from "#models/feeds";
import { NotFound } from "#models/errors";
import { authorize } from "~/lib/guard.server";
import { notFound, parseId } from "~/lib/http.server";

/**
 * One session as a calendar file, /sessions/<id>.ics: the session page's "add to my calendar"
 * for people who want this one event and no subscription. Public facts only, like the feeds.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const id = parseId(params.id, ctx.t);
  try {
    const text = await buildSessionIcs(ctx.db, {
      stationId: ctx.station.id,
      timeZone: ctx.station.timeZone,
      sessionId: id,
      baseUrl: new URL(request.url).origin,
    });
    return new Response(text, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="session-${id}.ics"`,
        "Cache-Control": "public, max-age=300",
      },
    });
  } catch (error) {
    if (error instanceof NotFound) throw notFound(ctx.t);
    throw error;
  }
}
