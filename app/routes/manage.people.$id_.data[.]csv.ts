import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { orPageError, parseId } from "~/lib/http.server";
import { dataSections, download, loadPersonalData, personalDataCsv } from "~/lib/personal-data.server";

/** A person's data as CSV, produced at the desk (audited; no consultation topics); ?section= for one section. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const data = await orPageError(loadPersonalData(ctx, personId, "desk", "csv"), ctx.t);
  return download(personalDataCsv(dataSections(ctx, data), new URL(request.url).searchParams.get("section")), "csv", `person-${personId}`);
}
