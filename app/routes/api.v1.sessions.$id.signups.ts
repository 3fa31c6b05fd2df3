import { z } from "zod";
import { signUp } from "#models/signups";
import { PARTY_SIZE } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { json } from "~/lib/fields";
import { ErrorReply, request as named, SignupCreated, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "SignupRequest",
  z.strictObject({
    personId: json.id().meta({ description: "default: the caller's own person" }).optional(),
    partySize: json.int(PARTY_SIZE.min, PARTY_SIZE.max).meta({ description: "default 1" }).optional(),
  }),
);

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
    await spendMailBudgetOf(ctx, body.personId ?? personId);
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

export const spec: RouteSpec = {
  id: "session id",
  operations: {
    POST: {
      operationId: "signUp",
      tags: ["signups"],
      summary: "Sign up oneself, or someone one may act for (staff: anyone; a caretaking volunteer: their households)",
      body: bodySchema,
      bodyRequired: false,
      responses: {
        201: ["Confirmed, or waitlisted with a position", SignupCreated],
        ...BODY_REFUSALS,
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: [
          "Already signed up (params.signupId), the signup window is not open, or person_conflict: the person holds a place or a shift then (params name, kind, title, when, startsAt, endsAt)",
          ErrorReply,
        ],
        429: "TooMany",
        503: "Busy",
      },
    },
  },
};
