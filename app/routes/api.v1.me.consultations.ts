import { listPersonConsultations } from "#models/consultations/bookings";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationList, type RouteSpec } from "~/lib/api-schemas";

/** Your consultations that have not ended, booked or cancelled, soonest first. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const rows = await listPersonConsultations(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, ctx.viewer.personId, new Date());
    return apiJson({ consultations: rows.map((c) => consultationJson(c, ctx.station.timeZone)) });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listMyConsultations",
      tags: ["consultations"],
      summary: "Your consultations that have not ended",
      responses: { 200: ["Soonest first", ConsultationList], 401: "Unauthorized" },
    },
  },
};
