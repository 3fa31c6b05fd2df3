import { cancelConsultation, getConsultation } from "#models/consultations/bookings";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationReply, type RouteSpec } from "~/lib/api-schemas";

/** One consultation, for those who may see it (anyone else: 404); DELETE cancels it. */
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
  id: "consultation id",
  operations: {
    GET: {
      operationId: "getConsultation",
      tags: ["consultations"],
      summary: "One consultation (the person, whoever booked it, the provider, staff)",
      responses: { 200: ["The consultation", ConsultationReply], 401: "Unauthorized", 404: "NotFound" },
    },
    DELETE: {
      operationId: "cancelConsultation",
      tags: ["consultations"],
      summary: "Cancel a consultation; its slot is free at once",
      responses: { 200: ["Cancelled", ConsultationReply], 401: "Unauthorized", 404: "NotFound", 409: "Conflict", 429: "TooMany", 503: "Busy" },
    },
  },
};
