import { z } from "zod";
import { endProviderHours } from "#models/consultations/hours";
import { CONSULTATION } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { CHANGE_REFUSALS, ConsultationHoursEnded, request as named, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ConsultationHoursEndRequest",
  z.strictObject({
    untilDate: json.date().meta({ description: "the last day of the hours" }),
    cancel: z
      .array(json.id())
      .max(500)
      .meta({ description: "the bookings the provider agreed to cancel, as a 409 consultation_hours_bookings_affected listed them (params.ids)" })
      .optional(),
    providerOk: json
      .optionalText(CONSULTATION.providerOk)
      .meta({ description: "staff for a provider: how the provider agreed (kept in the audit log)" })
      .optional(),
  }),
);

/**
 * Ends weekly hours after a day (ADR 27). Bookings it would leave outside the hours answer 409
 * `consultation_hours_bookings_affected` with their ids, and nothing changes; sent again with
 * those ids in `cancel`, the hours end and the bookings are cancelled, their people told by mail.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    if (body.cancel?.length) await spendMailBudgetOf(ctx);
    const done = await endProviderHours(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id, body.untilDate, {
      cancel: body.cancel,
      providerOk: body.providerOk,
    });
    return apiJson({ id, untilDate: body.untilDate, cancelled: done.cancelled });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "weekly hours id",
  operations: {
    POST: {
      operationId: "endConsultationHours",
      tags: ["consultations"],
      summary: "End weekly consultation hours after a day; bookings after it are cancelled only when confirmed",
      body: bodySchema,
      responses: { 200: ["Ended", ConsultationHoursEnded], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
  },
};
