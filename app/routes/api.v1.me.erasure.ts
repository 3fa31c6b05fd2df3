import { z } from "zod";
import { eraseOwn } from "#models/privacy/erasure";
import { apiJson, apiRoute, authorizeApi, readJson } from "~/lib/api.server";
import { CHANGE_REFUSALS, ErasureReply, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "MyErasureRequest",
  z.strictObject({ password: z.string().min(1).max(200).meta({ description: "the caller's password, to confirm" }) }),
);

/** The caller erases their own personal information (ADR 23), confirming with their password; the token ends with the account. */
const route = apiRoute({
  POST: async ({ request, context }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const body = await readJson(request, bodySchema, ctx.t);
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    return apiJson(await eraseOwn(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer, password: body.password, ip }));
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    POST: {
      operationId: "eraseMe",
      tags: ["privacy"],
      summary: "Erase your own personal information (with your password); the account closes",
      body: bodySchema,
      responses: { 200: ["Erased: what was removed and kept, as counts", ErasureReply], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
  },
};
