import { z } from "zod";
import { authenticate } from "#models/auth";
import { createApiToken } from "#models/api-tokens";
import { apiJson, apiRoute, authorizeApi, readJson } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { request as named, TokenCreated, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

/** An email or a mainland mobile number with the password (ADR 21): exactly one of the two. */
const bodySchema = named(
  "TokenRequest",
  z
    .strictObject({
      email: z.email("field.email").max(200).optional(),
      phone: json
        .mobile()
        .meta({ description: "a mainland mobile number: 11 digits; spaces, dashes and +86 / 0086 allowed", examples: ["13812345678"] })
        .optional(),
      password: z.string().min(1).max(200),
      name: json.text(60).meta({ description: "where the token is used; default API" }).optional(),
    })
    .refine((body) => (body.email === undefined) !== (body.phone === undefined), { message: "api.emailOrPhone", path: ["email"] }),
);

/**
 * A token for an email or a mobile number and the password, limited exactly like the sign-in form (the same rows count
 * failures per account and per IP). The token is in this reply and nowhere else.
 */
const route = apiRoute({
  POST: async ({ request, context }) => {
    const ctx = await authorizeApi(request, "public");
    const body = await readJson(request, bodySchema, ctx.t);
    const ip = typeof context.ip === "string" ? context.ip : "unknown";
    const accountId = await authenticate(ctx.db, { email: body.email, phone: body.phone, password: body.password, ip });
    const { id, name, token } = await createApiToken(ctx.db, { stationId: ctx.station.id, accountId }, body.name ?? "API");
    return apiJson({ token, id, name }, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    POST: {
      operationId: "createToken",
      tags: ["auth"],
      summary: "Get an API token for an email or a mobile number and the password (rate-limited like sign-in)",
      public: true,
      body: bodySchema,
      responses: { 201: ["The token; shown only here", TokenCreated], ...BODY_REFUSALS, 401: "Unauthorized", 409: "Conflict", 429: "TooMany" },
    },
  },
};
