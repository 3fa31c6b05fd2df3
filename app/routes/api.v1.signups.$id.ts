import { cancelSignup } from "#models/signups";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";

/** Cancels a signup (or leaves the waitlist); freed places go to the waitlist at once. */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    return apiJson(await cancelSignup(ctx.db, { stationId: ctx.station.id, actor: { accountId, personId, roles } }, id));
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
