import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { loadPersonalData, personalDataJson } from "~/lib/personal-data.server";
import { PersonalDataExport, type RouteSpec } from "~/lib/api-schemas";

/** Everything the station holds about the caller (我的数据, ADR 22), consultation topics included. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const data = await loadPersonalData(ctx, ctx.viewer.personId, "self", "api");
    return apiJson(personalDataJson(ctx, data), 200, { "Cache-Control": "no-store" });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "exportMyData",
      tags: ["personal data"],
      summary:
        "Everything the station holds about you: details, household, bookings, shifts, consultations, mails, consents, audit and access records",
      responses: { 200: ["Your data", PersonalDataExport], 401: "Unauthorized", 404: "NotFound" },
    },
  },
};
