import { listCategories } from "#models/categories";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { CategoryList, type RouteSpec } from "~/lib/api-schemas";

/** The station's categories: the ids that POST /api/v1/activities takes, the slugs that filter sessions. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "public");
    const categories = await listCategories(ctx.db, ctx.station.id);
    return apiJson({ categories: categories.map((c) => ({ id: c.id, slug: c.slug, name: localName(ctx.locale, c), color: c.color })) });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "listCategories",
      tags: ["sessions"],
      summary: "The station's categories (ids for new activities, slugs for filtering sessions)",
      public: true,
      responses: { 200: ["The categories, in display order", CategoryList], 401: "Unauthorized" },
    },
  },
};
