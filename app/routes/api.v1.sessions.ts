import { z } from "zod";
import { listSessions } from "#models/sessions";
import { waitlistedPeople } from "#models/signups";
import { apiJson, apiRoute, authorizeApi, invalidField, isoIn, parseBound, readQuery } from "~/lib/api.server";
import { SessionList, type RouteSpec } from "~/lib/api-schemas";

const DAY_MS = 24 * 3600_000;
const DEFAULT_DAYS = 30;
const MAX_RANGE_DAYS = 366;

const querySchema = z.object({
  from: z.string().max(40).meta({ description: "a local date (start of that day) or an instant with offset" }).optional(),
  to: z.string().max(40).meta({ description: "a local date (that day included) or an instant with offset; exclusive" }).optional(),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, "field.slug")
    .meta({ description: "category slug" })
    .optional(),
});

/** The station's sessions in a range (default: the next 30 days), with places taken and waiting. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "public");
    const query = readQuery(request, querySchema, ctx.t);
    const zone = ctx.station.timeZone;
    const from = query.from === undefined ? new Date() : parseBound(query.from, zone, false);
    if (!from) throw invalidField(ctx.t, "from", ctx.t("api.dateOrDateTime"));
    const to = query.to === undefined ? new Date(from.getTime() + DEFAULT_DAYS * DAY_MS) : parseBound(query.to, zone, true);
    if (!to) throw invalidField(ctx.t, "to", ctx.t("api.dateOrDateTime"));
    if (to <= from) throw invalidField(ctx.t, "to", ctx.t("api.rangeOrder"));
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw invalidField(ctx.t, "to", ctx.t("api.rangeTooLong", { days: MAX_RANGE_DAYS }));

    const sessions = await listSessions(ctx.db, { stationId: ctx.station.id, from, to, categorySlug: query.category });
    const waiting = await waitlistedPeople(
      ctx.db,
      sessions.map((s) => s.id),
    );
    const iso = isoIn(zone);
    return apiJson({
      from: iso(from),
      to: iso(to),
      sessions: sessions.map((s) => ({
        id: s.id,
        activityId: s.activityId,
        title: s.title,
        category: s.categorySlug,
        startsAt: iso(s.startsAt),
        endsAt: iso(s.endsAt),
        capacity: s.capacity,
        confirmed: s.taken,
        waitlisted: waiting.get(s.id) ?? 0,
        status: s.status,
      })),
    });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listSessions",
      tags: ["sessions"],
      summary: "Sessions in a range (default: now to 30 days ahead; at most 366 days)",
      public: true,
      query: querySchema,
      responses: { 200: ["The sessions, in start order", SessionList], 401: "Unauthorized", 422: "Invalid" },
    },
  },
};
