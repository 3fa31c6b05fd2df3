import { z } from "zod";
import { markCalled } from "#models/reach/calls";
import { json } from "~/lib/fields";
import { apiJson, apiRoute, authorizeApi, DESK, isoIn, parseApiId, readJson } from "~/lib/api.server";
import { CallMarkReply, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "CallMarkRequest",
  z.strictObject({ sessionId: json.id().meta({ description: "the session the person was phoned about" }) }),
);

/** "已电话通知": marks that the caller phoned the person about the session. A second mark keeps the first (200). */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, DESK);
    const personId = parseApiId(params.personId, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const mark = await markCalled(
      ctx.db,
      { stationId: ctx.station.id, timeZone: ctx.station.timeZone, actor: ctx.viewer },
      { personId, sessionId: body.sessionId },
    );
    return apiJson(
      { personId: mark.personId, sessionId: mark.sessionId, at: isoIn(ctx.station.timeZone)(mark.at), created: mark.created },
      mark.created ? 201 : 200,
    );
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  params: { personId: "the booked person" },
  operations: {
    POST: {
      operationId: "markCalled",
      tags: ["care"],
      summary: "Mark that the person was phoned about a session (staff: anyone booked; a member: her households)",
      body: bodySchema,
      responses: {
        200: ["Marked before: the first mark stands, nothing written", CallMarkReply],
        201: ["Marked", CallMarkReply],
        ...CHANGE_REFUSALS,
      },
    },
  },
};
