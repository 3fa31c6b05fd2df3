import { cancelConsultation, getConsultation } from "#models/consultations/bookings";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationReply, type RouteSpec } from "~/lib/api-schemas";

/**
 * One booked consultation, for those who may see it (anyone else: 404); DELETE cancels it, as
 * the model's policy allows (models/policies/consultations.ts). Was /consultations/{id} before
 * issue 12's contract (ADR 18's API addendum).
 */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const c = await getConsultation(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id);
    return apiJson(consultationJson(c, ctx.station.timeZone));
  },
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const scope = { stationId: ctx.station.id, actor: ctx.viewer };
    await spendMailBudgetOf(ctx);
    await cancelConsultation(ctx.db, scope, id);
    return apiJson(consultationJson(await getConsultation(ctx.db, scope, id), ctx.station.timeZone));
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "booking id (a consultation's id)",
  operations: {
    GET: {
      operationId: "getConsultationBooking",
      tags: ["consultations"],
      summary: "One consultation (the person, whoever booked it, the provider, staff)",
      responses: { 200: ["The consultation", ConsultationReply], 401: "Unauthorized", 404: "NotFound" },
    },
    DELETE: {
      operationId: "cancelConsultationBooking",
      tags: ["consultations"],
      summary: "Cancel a consultation; its slot is free at once",
      responses: { 200: ["Cancelled", ConsultationReply], 401: "Unauthorized", 404: "NotFound", 409: "Conflict", 429: "TooMany", 503: "Busy" },
    },
  },
};
