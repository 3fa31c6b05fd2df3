import { apiJson, apiRoute, authorizeApi, parseApiId, STAFF } from "~/lib/api.server";
import { loadPersonalData, personalDataJson } from "~/lib/personal-data.server";
import { PersonalDataExport, type RouteSpec } from "~/lib/api-schemas";

/**
 * A person's data produced by staff for someone who asks at the desk (ADR 22): the request is
 * audited, consultation topics are left out, and a person of another station is a 404.
 */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, STAFF);
    const personId = parseApiId(params.id, ctx.t);
    const data = await loadPersonalData(ctx, personId, "desk", "api");
    return apiJson(personalDataJson(ctx, data), 200, { "Cache-Control": "no-store" });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "person id",
  operations: {
    GET: {
      operationId: "exportPersonData",
      tags: ["personal data"],
      summary: "Everything the station holds about one person, without consultation topics (coordinators, admins; audited)",
      responses: { 200: ["The person's data", PersonalDataExport], 401: "Unauthorized", 403: "Forbidden", 404: "NotFound" },
    },
  },
};
