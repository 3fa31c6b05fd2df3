import { listPersonConsultations } from "#models/consultations/bookings";
import { listConsultationServices } from "#models/consultations/services";
import { consultationCancelVerdict } from "#models/policies/consultations";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationList, type RouteSpec } from "~/lib/api-schemas";

/**
 * Your consultations that have not ended, booked or cancelled, soonest first, each with whether
 * you may cancel it now: the policy 我的预约 and DELETE /consultation-bookings/{id} use.
 */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const now = new Date();
    const [rows, services] = await Promise.all([
      listPersonConsultations(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, ctx.viewer.personId, now),
      listConsultationServices(ctx.db, ctx.station.id, { includeArchived: true }),
    ]);
    const deadline = new Map(services.map((s) => [s.id, s.cancelDeadlineMinutes]));
    return apiJson({
      consultations: rows.map((c) => ({
        ...consultationJson(c, ctx.station.timeZone),
        // One's own list: the person sees every row, whoever booked it (bookedBy does not matter).
        canCancel:
          consultationCancelVerdict(ctx.viewer, { ...c, bookedByAccountId: null }, { cancelDeadlineMinutes: deadline.get(c.serviceId)! }, now) ===
          "allowed",
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listMyConsultations",
      tags: ["consultations"],
      summary: "Your consultations that have not ended, with whether you may cancel each now",
      responses: { 200: ["Soonest first", ConsultationList], 401: "Unauthorized" },
    },
  },
};
