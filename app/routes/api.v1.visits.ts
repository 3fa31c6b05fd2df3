import { z } from "zod";
import { tallyVisit } from "#models/desk/visits";
import { VISIT_COUNT } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, isoIn, readJson } from "~/lib/api.server";
import { deskOf } from "~/lib/desk-api.server";
import { json } from "~/lib/fields";
import { VisitCreated, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "VisitRequest",
  z.strictObject({
    serviceLineId: json.id(),
    count: json.int(VISIT_COUNT.min, VISIT_COUNT.max).meta({ description: "default 1" }).optional(),
    personId: json.id().meta({ description: "the resident served, when known" }).optional(),
    at: json.instant().meta({ description: "default now; staff may backfill up to 31 days" }).optional(),
  }),
);

/** One tap of the drop-in tally: one row, never a counter read and rewritten. */
const route = apiRoute({
  POST: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const body = await readJson(request, bodySchema, ctx.t);
    const visit = await tallyVisit(ctx.db, deskOf(ctx), body);
    return apiJson({ ...visit, at: isoIn(ctx.station.timeZone)(visit.at) }, 201);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    POST: {
      operationId: "tallyVisit",
      tags: ["front desk"],
      summary: "Count drop-in visits to a service line (staff and volunteers)",
      body: bodySchema,
      responses: { 201: ["Counted", VisitCreated], ...CHANGE_REFUSALS },
    },
  },
};
