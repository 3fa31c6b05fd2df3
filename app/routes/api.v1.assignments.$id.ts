import { z } from "zod";
import { respond } from "#models/rosters/assignments";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { AssignmentState, request as named, CHANGE_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "AssignmentAction",
  z.strictObject({
    action: z.enum(["confirm", "decline", "attended", "no_show", "no_show_excused"]),
  }),
);

/**
 * PATCH answers a shift (the person or staff: confirm, decline; staff after the start:
 * attendance); DELETE cancels it (staff, or the person before it starts).
 */
const route = apiRoute({
  PATCH: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    await spendMailBudgetOf(ctx);
    return apiJson(await respond(ctx.db, { stationId: ctx.station.id, actor: { accountId, personId, roles } }, id, body.action));
  },
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    await spendMailBudgetOf(ctx);
    return apiJson(await respond(ctx.db, { stationId: ctx.station.id, actor: { accountId, personId, roles } }, id, "cancel"));
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "assignment id",
  operations: {
    PATCH: {
      operationId: "answerShift",
      tags: ["rosters"],
      summary: "Confirm or decline a proposed shift (the person or staff); record attendance once the shift started (staff)",
      body: bodySchema,
      responses: {
        200: ["The assignment after the answer (repeating an answer changes nothing)", AssignmentState],
        ...CHANGE_REFUSALS,
        429: "TooMany",
      },
    },
    DELETE: {
      operationId: "cancelShift",
      tags: ["rosters"],
      summary: "Cancel a shift (staff; or the person themself before it starts)",
      responses: { 200: ["Cancelled", AssignmentState], 401: "Unauthorized", 404: "NotFound", 409: "Conflict", 429: "TooMany", 503: "Busy" },
    },
  },
};
