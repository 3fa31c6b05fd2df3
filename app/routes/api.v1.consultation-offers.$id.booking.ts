import { z } from "zod";
import { getConsultation } from "#models/consultations/bookings";
import { acceptOffer } from "#models/consultations/offers";
import { CONSULTATION } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { consultationJson } from "~/lib/consultations-api.server";
import { ConsultationBooking, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ConsultationOfferAcceptance",
  z.strictObject({
    topic: json.optionalText(CONSULTATION.topic).meta({ description: "private: the person, whoever booked, the provider and staff" }).optional(),
  }),
);

/**
 * Books the slot held for you from the waitlist (ADR 26); the booking limit and the ledger still
 * apply. The reply is the booking, as POST /consultation-slots/{id}/booking answers.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    await spendMailBudgetOf(ctx);
    const scope = { stationId: ctx.station.id, actor: ctx.viewer };
    await acceptOffer(ctx.db, scope, id, { topic: body.topic });
    return apiJson(consultationJson(await getConsultation(ctx.db, scope, id), ctx.station.timeZone), 201);
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "held slot id",
  operations: {
    POST: {
      operationId: "acceptConsultationOffer",
      tags: ["consultations"],
      summary: "Book the slot held for you (or someone you act for) from the waitlist",
      body: bodySchema,
      responses: { 201: ["Booked", ConsultationBooking], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
  },
};
