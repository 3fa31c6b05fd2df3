import { listPersonWaitlist } from "#models/consultations/waitlist";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { myWaitlistEntryJson } from "~/lib/consultations-api.server";
import { MyWaitlistReply, type RouteSpec } from "~/lib/api-schemas";

/** Your consultation waitlist entries (ADR 26), and the slot held for you where one is. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const entries = await listPersonWaitlist(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, ctx.viewer.personId);
    return apiJson({ entries: entries.map((e) => myWaitlistEntryJson(e, ctx.station.timeZone)) });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listMyConsultationWaitlist",
      tags: ["consultations"],
      summary: "Your consultation waitlist entries, with any slot held for you and until when",
      responses: { 200: ["Oldest first", MyWaitlistReply], 401: "Unauthorized" },
    },
  },
};
