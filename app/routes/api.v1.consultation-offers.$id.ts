import { declineOffer, getOffer } from "#models/consultations/offers";
import { apiJson, apiRoute, authorizeApi, parseApiId } from "~/lib/api.server";
import { offerJson } from "~/lib/consultations-api.server";
import { OfferReply, WaitlistReply, type RouteSpec } from "~/lib/api-schemas";

/** A slot held for someone on a waitlist (ADR 26): see it, or decline it (it passes to the next). */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    return apiJson(offerJson(await getOffer(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id), ctx.station.timeZone));
  },
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    await declineOffer(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, id);
    return apiJson({ entries: [] });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "held slot id (from the offer mail or the waitlist entry)",
  operations: {
    GET: {
      operationId: "getConsultationOffer",
      tags: ["consultations"],
      summary: "A slot held for you (or someone you act for) from the waitlist; 409 once no longer held",
      responses: { 200: ["The offer", OfferReply], 401: "Unauthorized", 404: "NotFound", 409: "Conflict" },
    },
    DELETE: {
      operationId: "declineConsultationOffer",
      tags: ["consultations"],
      summary: "Let the held slot go to the next in line; you stay on the waitlist",
      responses: { 200: ["Declined", WaitlistReply], 401: "Unauthorized", 404: "NotFound", 409: "Conflict", 503: "Busy" },
    },
  },
};
