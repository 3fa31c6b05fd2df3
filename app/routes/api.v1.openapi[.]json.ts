import { apiJson, apiRoute, authorizeApi } from "~/lib/api.server";
import { openApiDocument } from "~/lib/openapi";
import { OpenApiReply, type RouteSpec } from "~/lib/api-schemas";

/** The OpenAPI 3.1 description of /api/v1 (tests check it against the route files). */
const route = apiRoute({
  GET: async ({ request }) => {
    await authorizeApi(request, "public");
    return apiJson(openApiDocument(), 200, { "Cache-Control": "public, max-age=300" });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: { operationId: "openApi", tags: ["auth"], summary: "This document", public: true, responses: { 200: ["OpenAPI 3.1", OpenApiReply] } },
  },
};
