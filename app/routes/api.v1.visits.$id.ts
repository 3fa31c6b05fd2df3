import { undoVisit } from "#models/desk/visits";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { deskOf } from "~/lib/desk-api.server";
import { VisitUndone, type RouteSpec } from "~/lib/api-schemas";

/** Undoes a tap, on its own day; a volunteer undoes their own taps, staff anyone's. */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    await undoVisit(ctx.db, deskOf(ctx), id);
    return apiJson({ id, undone: true });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "visit id",
  operations: {
    DELETE: {
      operationId: "undoVisit",
      tags: ["front desk"],
      summary: "Undo a tap of the tally (the same local day only)",
      responses: { 200: ["Undone", VisitUndone], 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 503: "Busy" },
    },
  },
};
