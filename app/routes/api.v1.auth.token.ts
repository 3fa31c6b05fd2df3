import { z } from "zod";
import { authenticate } from "#models/auth";
import { createApiToken } from "#models/api-tokens";
import { apiJson, apiRoute, authorizeApi, json, readJson } from "~/lib/api.server";

const bodySchema = z.strictObject({
  email: z.email("field.email").max(200),
  password: z.string().min(1).max(200),
  name: json.text(60).optional(),
});

/**
 * A token for email and password, limited exactly like the sign-in form (the same rows count
 * failures per account and per IP). The token is in this reply and nowhere else.
 */
const route = apiRoute({
  POST: async ({ request, context }) => {
    const ctx = await authorizeApi(request, "public");
    const body = await readJson(request, bodySchema, ctx.t);
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const accountId = await authenticate(ctx.db, { email: body.email, password: body.password, ip });
    const { id, name, token } = await createApiToken(ctx.db, { stationId: ctx.station.id, accountId }, body.name ?? "API");
    return apiJson({ token, id, name }, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
