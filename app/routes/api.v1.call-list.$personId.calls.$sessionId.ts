import { unmarkCalled } from "#models/reach/calls";
import { apiJson, apiRoute, authorizeApi, DESK, parseApiId } from "~/lib/api.server";
import { CallUnmarkReply, type RouteSpec } from "~/lib/api-schemas";

/**
 * Takes back "已电话通知" (ADR 20), as the call list's 撤销 does: the one who marked it or staff.
 * Taking back a mark that is not there changes nothing and says so (`removed: false`).
 */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, DESK);
    const personId = parseApiId(params.personId, ctx.t);
    const sessionId = parseApiId(params.sessionId, ctx.t);
    const removed = await unmarkCalled(
      ctx.db,
      { stationId: ctx.station.id, timeZone: ctx.station.timeZone, actor: ctx.viewer },
      { personId, sessionId },
    );
    return apiJson({ personId, sessionId, removed });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  params: { personId: "the booked person", sessionId: "the session the call was about" },
  operations: {
    DELETE: {
      operationId: "unmarkCalled",
      tags: ["care"],
      summary: "Take back a call mark (the member who marked it, or staff); the person must still be on the caller's list",
      responses: {
        200: ["Taken back, or there was none", CallUnmarkReply],
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        503: "Busy",
      },
    },
  },
};
