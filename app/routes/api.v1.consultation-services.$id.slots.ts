import { requireService } from "#models/consultations/services";
import { bookableDays, slotsOf } from "#models/consultations/slots";
import { apiJson, apiRoute, authorizeApi, isoIn, parseApiId } from "~/lib/api.server";
import { ConsultationSlots, type RouteSpec } from "~/lib/api-schemas";

/** A service's slots over its bookable days, free or taken, by start then provider. */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const service = await requireService(ctx.db, ctx.station.id, id, { live: true });
    const now = new Date();
    const slots = await slotsOf(ctx.db, service, { ...bookableDays(service, ctx.station.timeZone, now), now });
    const iso = isoIn(ctx.station.timeZone);
    return apiJson({
      serviceId: id,
      slots: slots.map((s) => ({
        startsAt: iso(s.startsAt),
        endsAt: iso(s.endsAt),
        providerId: s.providerPersonId,
        providerName: s.providerName,
        location: s.location,
        free: s.free,
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "consultation service id",
  operations: {
    GET: {
      operationId: "listConsultationSlots",
      tags: ["consultations"],
      summary: "A service's slots over its bookable days (free or taken)",
      responses: { 200: ["The slots", ConsultationSlots], 401: "Unauthorized", 404: "NotFound", 409: "Conflict" },
    },
  },
};
