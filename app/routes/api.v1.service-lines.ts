import { listServiceLines } from "#models/desk/service-lines";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { ServiceLineList, type RouteSpec } from "~/lib/api-schemas";

/** The drop-in service lines the tally counts (the live ones). */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const lines = await listServiceLines(ctx.db, ctx.station.id);
    return apiJson({
      serviceLines: lines.map((l) => ({
        id: l.id,
        name: localName(ctx.locale, l),
        nameZh: l.nameZh,
        nameEn: l.nameEn,
        reportingLine: l.reportingLine,
      })),
    });
  },
});

export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listServiceLines",
      tags: ["front desk"],
      summary: "The drop-in service lines (blood pressure, reading …) the front desk counts",
      responses: { 200: ["The live lines, in the desk's order", ServiceLineList], 401: "Unauthorized" },
    },
  },
};
