import { householdsOf } from "#models/care/mine";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { HouseholdList, type RouteSpec } from "~/lib/api-schemas";

/**
 * The caller's own household and the households in their care (ADR 19). Phone and birth year
 * are given for the caller's own household and for a household in their care that agreed to
 * it; otherwise the names only. Needs are never in the API.
 */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const rows = await householdsOf(ctx.db, ctx.station.id, ctx.viewer);
    return apiJson({
      households: rows.map((h) => {
        const visible = h.own || h.mayAct;
        return {
          id: h.id,
          label: h.label,
          caretaker: h.caretaker,
          consent: h.consent,
          people: h.people.map((p) => ({
            id: p.id,
            fullName: p.fullName,
            phone: visible ? p.phone : null,
            birthYear: visible ? p.birthYear : null,
          })),
        };
      }),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listMyHouseholds",
      tags: ["households"],
      summary: "Your own household and the households in your care",
      responses: { 200: ["Own household first", HouseholdList], 401: "Unauthorized" },
    },
  },
};
