import { listHoursFor } from "#models/consultations/hours";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { ConsultationHoursList, type RouteSpec } from "~/lib/api-schemas";

/** Weekly consultation hours: the station's for staff, a provider's own for them (ADR 27). */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const hours = await listHoursFor(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer });
    return apiJson({
      hours: hours.map((h) => ({
        id: h.id,
        serviceId: h.serviceId,
        providerId: h.providerPersonId,
        providerName: h.providerName,
        weekday: h.weekday,
        startTime: h.startTime,
        endTime: h.endTime,
        location: h.location,
        fromDate: h.fromDate,
        untilDate: h.untilDate,
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listConsultationHours",
      tags: ["consultations"],
      summary: "Weekly consultation hours (staff: the station's; a provider: their own)",
      responses: { 200: ["The hours", ConsultationHoursList], 401: "Unauthorized" },
    },
  },
};
