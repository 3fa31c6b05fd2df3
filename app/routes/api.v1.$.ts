import { apiError, apiRoute, authorizeApi } from "~/lib/api.server";

// Unknown addresses under /api/v1 answer in JSON like the rest of the API, not with the HTML 404 page.
async function notFound({ request }: { request: Request }) {
  const { t } = await authorizeApi(request, "public");
  return apiError(404, "not_found", t("error.not_found"));
}

const route = apiRoute({ GET: notFound, POST: notFound, PUT: notFound, PATCH: notFound, DELETE: notFound });

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
