import { z } from "zod";
import { ERASURE_VIA, TEXT } from "#models/limits";
import { erasePerson } from "#models/privacy/erasure";
import { json } from "~/lib/fields";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson, STAFF } from "~/lib/api.server";
import { CHANGE_REFUSALS, ErasureReply, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ErasureRequest",
  z.strictObject({
    via: z.enum(ERASURE_VIA.filter((v) => v !== "self" && v !== "retention") as ["in_person", "phone", "paper"]).meta({
      description: "how the person asked: in_person, phone or paper",
    }),
    note: json.optionalText(TEXT.note).optional().meta({ description: "the request's record (a form number); no personal details" }),
  }),
);

/** Staff erase a person on their documented request (ADR 23). A second erasure is 404; the last admin 409. */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, STAFF);
    const personId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const result = await erasePerson(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, personId, { via: body.via, note: body.note ?? null });
    return apiJson(result);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "the person to erase",
  operations: {
    POST: {
      operationId: "erasePerson",
      tags: ["privacy"],
      summary: "Erase a person's personal information on their request (staff); the figures stay",
      body: bodySchema,
      responses: { 200: ["Erased: what was removed and kept, as counts", ErasureReply], ...CHANGE_REFUSALS },
    },
  },
};
