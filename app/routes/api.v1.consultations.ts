import { z } from "zod";
import { bookConsultation, getConsultation } from "#models/consultations/bookings";
import { CONSULTATION } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, readJson } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationReply, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ConsultationRequest",
  z.strictObject({
    serviceId: json.id(),
    startsAt: json.instant().meta({ description: "a slot's start, as the slots list gives it" }),
    providerId: json.id().meta({ description: "left out: whichever provider is free at that start" }).optional(),
    personId: json.id().meta({ description: "default: yourself; staff and caretakers book for others" }).optional(),
    topic: json.optionalText(CONSULTATION.topic).meta({ description: "private: the person, whoever booked, the provider and staff" }).optional(),
  }),
);

/** Books a slot: one slot, one booking, the person in one place at a time. */
const route = apiRoute({
  POST: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const body = await readJson(request, bodySchema, ctx.t);
    const personId = body.personId ?? ctx.viewer.personId;
    await spendMailBudgetOf(ctx, personId);
    const scope = { stationId: ctx.station.id, actor: ctx.viewer };
    const booked = await bookConsultation(ctx.db, scope, {
      serviceId: body.serviceId,
      startsAt: body.startsAt,
      providerPersonId: body.providerId,
      personId,
      topic: body.topic,
    });
    return apiJson(consultationJson(await getConsultation(ctx.db, scope, booked.id), ctx.station.timeZone), 201);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    POST: {
      operationId: "bookConsultation",
      tags: ["consultations"],
      summary: "Book a consultation slot (for yourself, or as staff or caretaker for someone)",
      body: bodySchema,
      responses: { 201: ["Booked", ConsultationReply], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
  },
};
