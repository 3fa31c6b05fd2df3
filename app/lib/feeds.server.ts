import { cachedFeed, feedVersion, type FeedQuery } from "#models/feeds";
import { NotFound } from "#models/errors";
import type { RequestContext } from "./guard.server";
import { notFound } from "./http.server";

/**
 * A public iCalendar feed with ETag / Last-Modified. The version comes from one aggregate
 * query, so a calendar app revalidating every hour gets its 304 without the feed being built.
 */
export async function feedResponse(request: Request, ctx: RequestContext, categorySlug?: string): Promise<Response> {
  const query: FeedQuery = {
    stationId: ctx.station.id,
    timeZone: ctx.station.timeZone,
    categorySlug,
    baseUrl: new URL(request.url).origin,
  };
  let version;
  try {
    version = await feedVersion(ctx.db, query);
  } catch (error) {
    if (error instanceof NotFound) throw notFound(ctx.t);
    throw error;
  }
  const headers = new Headers({
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": "public, max-age=300",
    ETag: version.etag,
  });
  if (version.lastModified) headers.set("Last-Modified", version.lastModified.toUTCString());
  const presented = request.headers.get("If-None-Match");
  if (presented && presented.split(",").some((tag) => tag.trim().replace(/^W\//, "") === version.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const text = await cachedFeed(ctx.db, query, version.etag);
  const filename = `${categorySlug ?? "calendar"}.ics`;
  headers.set("Content-Disposition", `inline; filename="${filename}"`);
  return new Response(text, { status: 200, headers });
}
