import { z } from "zod";
import { requireService } from "#models/consultations/services";
import { slotIdOf } from "#models/consultations/slot-ids";
import { bookableDays, slotsOf } from "#models/consultations/slots";
import { apiJson, apiRoute, authorizeApi, invalidField, isoIn, parseApiId, readQuery } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { ConsultationSlots, type RouteSpec } from "~/lib/api-schemas";

const querySchema = z.object({
  from: json.date().meta({ description: "the station's local day to start on; default and earliest: today" }).optional(),
  to: json.date().meta({ description: "the last local day, included; default and latest: the service's last bookable day" }).optional(),
});

/**
 * A service's slots on the asked days, free or taken, by start then provider. The days are
 * kept within the service's bookable days (ADR 18): asking beyond them lists none there.
 */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const query = readQuery(request, querySchema, ctx.t);
    if (query.from && query.to && query.to < query.from) throw invalidField(ctx.t, "to", ctx.t("api.rangeOrder"));
    const service = await requireService(ctx.db, ctx.station.id, id, { live: true });
    const now = new Date();
    const bookable = bookableDays(service, ctx.station.timeZone, now);
    const fromDate = query.from && query.from > bookable.fromDate ? query.from : bookable.fromDate;
    const toDate = query.to && query.to < bookable.toDate ? query.to : bookable.toDate;
    const slots = fromDate <= toDate ? await slotsOf(ctx.db, service, { fromDate, toDate, now }) : [];
    const iso = isoIn(ctx.station.timeZone);
    return apiJson({
      serviceId: id,
      slots: slots.map((s) => ({
        id: slotIdOf({ serviceId: id, providerPersonId: s.providerPersonId, startsAt: s.startsAt }),
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
      summary: "A service's slots on some of its bookable days (free or taken); each id books with POST /consultation-slots/{id}/booking",
      query: querySchema,
      responses: { 200: ["The slots", ConsultationSlots], 401: "Unauthorized", 404: "NotFound", 409: "Conflict", 422: "Invalid" },
    },
  },
};
