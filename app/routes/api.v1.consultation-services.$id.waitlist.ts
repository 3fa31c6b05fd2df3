import { z } from "zod";
import { joinWaitlist, leaveWaitlist, listPersonWaitlist, listServiceWaitlist } from "#models/consultations/waitlist";
import { NotFound } from "#models/errors";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson, readQuery } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { waitlistEntryJson } from "~/lib/consultations-api.server";
import { WaitlistEntryReply, WaitlistReply, request as named, CHANGE_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "ConsultationWaitlistRequest",
  z.strictObject({
    personId: json.id().meta({ description: "default: yourself; staff and caretakers for others" }).optional(),
    fromDate: json.date().meta({ description: "the station's local day; default today" }).optional(),
    toDate: json.date().meta({ description: "default: the service's last bookable day; no later" }).optional(),
    providerId: json.id().meta({ description: "only slots of this provider; left out: any" }).optional(),
  }),
);

const querySchema = z.object({
  personId: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "field.number")
    .transform(Number)
    .meta({ description: "whose entry; default: yourself" })
    .optional(),
});

/**
 * A service's waitlist (ADR 26): join it (for yourself, or as staff or caretaker for someone),
 * leave it, and for staff the line itself.
 */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const entries = await listServiceWaitlist(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id);
    return apiJson({ entries: entries.map((e) => waitlistEntryJson(e, ctx.station.timeZone)) });
  },
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const personId = body.personId ?? ctx.viewer.personId;
    await spendMailBudgetOf(ctx, personId);
    const scope = { stationId: ctx.station.id, actor: ctx.viewer };
    const entry = await joinWaitlist(ctx.db, scope, {
      serviceId: id,
      personId,
      fromDate: body.fromDate,
      toDate: body.toDate,
      providerPersonId: body.providerId,
    });
    const [view] = (await listPersonWaitlist(ctx.db, scope, personId)).filter((e) => e.id === entry.id);
    return apiJson(waitlistEntryJson(view!, ctx.station.timeZone), 201);
  },
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const query = readQuery(request, querySchema, ctx.t);
    const personId = query.personId ?? ctx.viewer.personId;
    if (!(await leaveWaitlist(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, { serviceId: id, personId })))
      throw new NotFound("waitlist_entry");
    return apiJson({ entries: [] });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "consultation service id",
  operations: {
    GET: {
      operationId: "listConsultationWaitlist",
      tags: ["consultations"],
      summary: "A service's waitlist, first in line first (staff; anyone else: 404)",
      responses: { 200: ["The line", WaitlistReply], 401: "Unauthorized", 404: "NotFound" },
    },
    POST: {
      operationId: "joinConsultationWaitlist",
      tags: ["consultations"],
      summary: "Wait for a slot of a service on some days; a freed slot is held for the first in line and offered by mail",
      body: bodySchema,
      responses: { 201: ["Waiting", WaitlistEntryReply], ...CHANGE_REFUSALS, 429: "TooMany" },
    },
    DELETE: {
      operationId: "leaveConsultationWaitlist",
      tags: ["consultations"],
      summary: "Leave a service's waitlist (a slot held for you passes to the next)",
      query: querySchema,
      responses: { 200: ["Left (no entries remain)", WaitlistReply], 401: "Unauthorized", 404: "NotFound", 422: "Invalid", 503: "Busy" },
    },
  },
};
