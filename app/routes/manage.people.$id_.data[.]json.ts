import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { orPageError, parseId } from "~/lib/http.server";
import { download, loadPersonalData, personalDataJson } from "~/lib/personal-data.server";

/** A person's data as JSON, produced at the desk (audited; no consultation topics). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const data = await orPageError(loadPersonalData(ctx, personId, "desk", "json"), ctx.t);
  return download(JSON.stringify(personalDataJson(ctx, data), null, 2), "json", `person-${personId}`);
}
