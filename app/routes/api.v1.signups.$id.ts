import { cancelSignup } from "#models/signups";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { Cancellation, type RouteSpec } from "~/lib/api-schemas";

/** Cancels a signup (or leaves the waitlist); freed places go to the waitlist at once. */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    await spendMailBudgetOf(ctx);
    return apiJson(await cancelSignup(ctx.db, { stationId: ctx.station.id, actor: { accountId, personId, roles } }, id));
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "signup id",
  operations: {
    DELETE: {
      operationId: "cancelSignup",
      tags: ["signups"],
      summary: "Cancel a signup or leave the waitlist; freed places are filled from the waitlist",
      responses: {
        200: ["Cancelled; `promoted` lists the signups that moved up", Cancellation],
        401: "Unauthorized",
        404: "NotFound",
        409: "Conflict",
        429: "TooMany",
        503: "Busy",
      },
    },
  },
};
