import {
  cachedFeed,
  cachedPersonalFeed,
  personalFeedVersion,
  recentFeedVersion,
  type FeedBytes,
  type FeedQuery,
  type FeedVersion,
} from "#models/feeds";
import { getFeedTokenAccountId } from "#models/feed-tokens";
import { getViewer } from "#models/auth";
import { NotFound } from "#models/errors";
import type { RequestContext } from "./guard.server";
import { notFound } from "./http.server";

/**
 * A public iCalendar feed with ETag / Last-Modified. The version comes from one aggregate
 * query, so a calendar app revalidating every hour gets its 304 without the feed being built.
 */
export async function feedResponse(request: Request, ctx: RequestContext, categorySlug?: string): Promise<Response> {
  const where = { stationId: ctx.station.id, timeZone: ctx.station.timeZone, categorySlug, baseUrl: new URL(request.url).origin };
  let version, now;
  try {
    ({ version, now } = await recentFeedVersion(ctx.db, where));
  } catch (error) {
    if (error instanceof NotFound) throw notFound(ctx.t);
    throw error;
  }
  // One instant for the version and the body, so a cancellation dropping out between the
  // two cannot leave a body under an ETag that does not describe it.
  const query: FeedQuery = { ...where, now };
  return conditional(request, version, "public, max-age=300", `${categorySlug ?? "calendar"}.ics`, () => cachedFeed(ctx.db, query, version.etag));
}

/**
 * A person's own feed at /feeds/me/<token>.ics. The token is the credential (calendar apps
 * send no cookies): unknown, malformed or revoked is a plain 404, the same as any missing page.
 */
export async function personalFeedResponse(request: Request, ctx: RequestContext, token: string): Promise<Response> {
  const accountId = await getFeedTokenAccountId(ctx.db, token);
  const viewer = accountId === undefined ? null : await getViewer(ctx.db, accountId, ctx.station.id);
  if (!viewer) throw notFound(ctx.t);
  const query = {
    stationId: ctx.station.id,
    timeZone: ctx.station.timeZone,
    personId: viewer.personId,
    baseUrl: new URL(request.url).origin,
    now: new Date(),
  };
  const version = await personalFeedVersion(ctx.db, query);
  // private: one person's bookings and shifts must not sit in a shared cache.
  return conditional(request, version, "private, max-age=300", "hearth-me.ics", () => cachedPersonalFeed(ctx.db, query, version.etag));
}

async function conditional(request: Request, version: FeedVersion, cacheControl: string, filename: string, build: () => Promise<FeedBytes>) {
  const headers = new Headers({
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": cacheControl,
    ETag: version.etag,
  });
  if (version.lastModified) headers.set("Last-Modified", version.lastModified.toUTCString());
  const presented = request.headers.get("If-None-Match");
  if (presented && presented.split(",").some((tag) => tag.trim().replace(/^W\//, "") === version.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const bytes = await build();
  headers.set("Content-Disposition", `inline; filename="${filename}"`);
  // The length is known, so the body goes out as it is rather than in chunked framing.
  headers.set("Content-Length", String(bytes.length));
  return new Response(cachedBytes(bytes), { status: 200, headers });
}

/**
 * The cached bytes themselves as a body. A Response given the bytes would copy them (0.6 MB
 * of fresh memory per request for a 1,000-session feed, ~1 ms); a plain stream hands the one
 * chunk on as it is, and the socket only reads it. Not a byte stream: enqueueing there would
 * detach the cache's buffer.
 */
function cachedBytes(bytes: FeedBytes): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
