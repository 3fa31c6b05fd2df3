import { z } from "zod";
import { checkIn, checkInByCode } from "#models/desk/checkin";
import { PARTY_SIZE } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, invalidField, parseApiId, readJson } from "~/lib/api.server";
import { checkinReply, deskOf } from "~/lib/desk-api.server";
import { json } from "~/lib/fields";
import { CheckinCreated, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "CheckinRequest",
  z.strictObject({
    personId: json.id().meta({ description: "who came; or give `code` instead" }).optional(),
    code: z.string().max(80).meta({ description: "the code of a booking's QR (staff only); or give `personId` instead" }).optional(),
    attended: json.int(PARTY_SIZE.min, PARTY_SIZE.max).meta({ description: "people of the party who came (default: all of it)" }).optional(),
  }),
  "Exactly one of personId and code",
);

/**
 * Checks a person in to a session: by person (staff, or the session's desk volunteer) or by
 * the code of a booking's QR (staff). The model checks the rights, the doors and the capacity.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const sessionId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    if ((body.personId === undefined) === (body.code === undefined)) throw invalidField(ctx.t, "personId", ctx.t("api.personOrCode"));
    const desk = deskOf(ctx);
    const result =
      body.code !== undefined
        ? await checkInByCode(ctx.db, desk, { sessionId, code: body.code, attended: body.attended })
        : await checkIn(ctx.db, desk, { sessionId, personId: body.personId!, attended: body.attended });
    return apiJson(checkinReply(ctx, result), result.alreadyCheckedIn ? 200 : 201);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "session id",
  operations: {
    POST: {
      operationId: "checkIn",
      tags: ["front desk"],
      summary: "Check a person in (staff or the session's desk volunteer), or the holder of a booking's QR code (staff)",
      body: bodySchema,
      responses: {
        200: ["Already checked in: the first check-in, nothing written", CheckinCreated],
        201: ["Checked in", CheckinCreated],
        ...CHANGE_REFUSALS,
      },
    },
  },
};
