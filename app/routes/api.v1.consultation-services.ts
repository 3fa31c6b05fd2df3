import { listConsultationServices } from "#models/consultations/services";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { ConsultationServiceList, type RouteSpec } from "~/lib/api-schemas";

/** The station's one-to-one services (the live ones). */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const services = await listConsultationServices(ctx.db, ctx.station.id);
    return apiJson({
      services: services.map((s) => ({
        id: s.id,
        kind: s.kind,
        name: localName(ctx.locale, s),
        slotMinutes: s.slotMinutes,
        bookAheadDays: s.bookAheadDays,
        cancelDeadlineMinutes: s.cancelDeadlineMinutes,
        maxUpcoming: s.maxUpcoming,
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listConsultationServices",
      tags: ["consultations"],
      summary: "The one-to-one services (legal aid, counselling, family doctor …)",
      responses: { 200: ["The live services", ConsultationServiceList], 401: "Unauthorized" },
    },
  },
};
