import { undoCheckIn } from "#models/desk/checkin";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { deskOf } from "~/lib/desk-api.server";
import { CheckinUndone, type RouteSpec } from "~/lib/api-schemas";

/** Undoes a check-in (a wrong tap); a walk-in's signup goes with it. */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const sessionId = parseApiId(params.id, ctx.t);
    const personId = parseApiId(params.personId, ctx.t);
    return apiJson(await undoCheckIn(ctx.db, deskOf(ctx), { sessionId, personId }));
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "session id",
  params: { personId: "the checked-in person's id" },
  operations: {
    DELETE: {
      operationId: "undoCheckIn",
      tags: ["front desk"],
      summary: "Undo a check-in: a booking goes back to not checked in (after 结束签到: no-show), a walk-in is removed",
      responses: { 200: ["Undone", CheckinUndone], 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 503: "Busy" },
    },
  },
};
