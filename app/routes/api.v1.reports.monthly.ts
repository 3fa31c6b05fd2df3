import { z } from "zod";
import { DateTime } from "luxon";
import { monthlyReport } from "#models/reports/monthly";
import { apiJson, apiRoute, authorizeApi, readQuery, STAFF } from "~/lib/api.server";
import { MonthlyReportReply, type RouteSpec } from "~/lib/api-schemas";

const querySchema = z.object({
  month: z.string().max(7).meta({ description: "YYYY-MM, the station's local month (default: last month)" }).optional(),
});

/** The month's figures the station reports upward (staff). */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, STAFF);
    const query = readQuery(request, querySchema, ctx.t);
    const month = query.month ?? DateTime.now().setZone(ctx.station.timeZone).minus({ months: 1 }).toFormat("yyyy-MM");
    return apiJson(await monthlyReport(ctx.db, ctx.station.id, month));
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "monthlyReport",
      tags: ["front desk"],
      summary: "The monthly figures: sessions held, booked, attended, no-shows, drop-in visits, residents served, volunteer and doctor hours",
      query: querySchema,
      responses: { 200: ["The month's figures", MonthlyReportReply], 401: "Unauthorized", 403: "Forbidden", 422: "Invalid" },
    },
  },
};
