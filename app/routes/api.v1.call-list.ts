import { z } from "zod";
import { callList, tomorrowAt } from "#models/reach/calls";
import { json } from "~/lib/fields";
import { apiJson, apiRoute, authorizeApi, DESK, isoIn, readQuery } from "~/lib/api.server";
import { CallListReply, type RouteSpec } from "~/lib/api-schemas";

const querySchema = z.object({
  date: json.date().meta({ description: "YYYY-MM-DD, the station's local day (default: tomorrow)" }).optional(),
});

/**
 * The call list of a day (ADR 20): the booked people whom no own email reaches — staff get the
 * station's, a member the people of the households in her care.
 */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, DESK);
    const query = readQuery(request, querySchema, ctx.t);
    const zone = ctx.station.timeZone;
    const date = query.date ?? tomorrowAt(zone, new Date());
    const rows = await callList(ctx.db, { stationId: ctx.station.id, timeZone: zone, actor: ctx.viewer }, date);
    const iso = isoIn(zone);
    return apiJson({
      date,
      people: rows.map((r) => ({
        personId: r.personId,
        fullName: r.fullName,
        phone: r.phone,
        sessionId: r.sessionId,
        title: r.title,
        startsAt: iso(r.startsAt),
        status: r.status,
        reach: r.route,
        caretaker: r.caretaker,
        called: r.called ? { at: iso(r.called.at), by: r.called.by } : null,
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "callList",
      tags: ["care"],
      summary: "A day's call list: booked people whom no own email reaches (staff: everyone; a member: her households)",
      query: querySchema,
      responses: { 200: ["By session time", CallListReply], 401: "Unauthorized", 403: "Forbidden", 422: "Invalid" },
    },
  },
};
