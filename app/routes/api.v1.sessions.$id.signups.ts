import { z } from "zod";
import { signUp } from "#models/signups";
import { apiJson, apiRoute, authorizeApi, json, parseApiId, readJson } from "~/lib/api.server";

const bodySchema = z.strictObject({
  personId: json.id().optional(),
  partySize: json.int(1, 10).optional(),
});

/**
 * Signs a person up (oneself unless `personId` says otherwise). The model decides who may act
 * for whom, the window, the party limit and duplicates, and takes the places atomically.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const sessionId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    const result = await signUp(
      ctx.db,
      { stationId: ctx.station.id, actor: { accountId, personId, roles } },
      { sessionId, personId: body.personId ?? personId, partySize: body.partySize ?? 1 },
    );
    return apiJson(result, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
