import { z } from "zod";
import { bookConsultation, getConsultation } from "#models/consultations/bookings";
import { parseSlotId, SLOT_ID_PATTERN } from "#models/consultations/slot-ids";
import { CONSULTATION } from "#models/limits";
import { apiError, apiJson, apiRoute, authorizeApi, readJson } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationBooking, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ConsultationSlotBooking",
  z.strictObject({
    personId: json.id().meta({ description: "default: yourself; staff and caretakers book for others (anyone else: 404)" }).optional(),
    topic: json.optionalText(CONSULTATION.topic).meta({ description: "private: the person, whoever booked, the provider and staff" }).optional(),
  }),
);

/**
 * Books one slot, named by the id the slots list gives it (service, provider, start): one slot,
 * one booking, the person in one place at a time (ADR 18). The refusals' API codes
 * (slot_taken, slot_past, booking_limit, person_conflict) are chosen in app/lib/domain-error.server.ts.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const slot = parseSlotId(params.id ?? "");
    if (!slot) throw apiError(404, "not_found", ctx.t("error.not_found"));
    const body = await readJson(request, bodySchema, ctx.t);
    const personId = body.personId ?? ctx.viewer.personId;
    await spendMailBudgetOf(ctx, personId);
    const scope = { stationId: ctx.station.id, actor: ctx.viewer };
    const booked = await bookConsultation(ctx.db, scope, { ...slot, personId, topic: body.topic });
    return apiJson(consultationJson(await getConsultation(ctx.db, scope, booked.id), ctx.station.timeZone), 201);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "slot id, as the slots list gives it",
  idPattern: SLOT_ID_PATTERN,
  operations: {
    POST: {
      operationId: "bookConsultationSlot",
      tags: ["consultations"],
      summary:
        "Book a slot (for yourself, or as staff or caretaker for someone). 409 slot_taken, slot_past, booking_limit, or person_conflict (params name the clash)",
      body: bodySchema,
      bodyRequired: false,
      responses: { 201: ["Booked", ConsultationBooking], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
  },
};
