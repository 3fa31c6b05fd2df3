import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { dataSections, download, loadPersonalData, personalDataCsv } from "~/lib/personal-data.server";

/** 我的数据 as CSV: every section in one file, or one section with ?section=bookings (ADR 22). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const data = await loadPersonalData(ctx, ctx.viewer.personId, "self", "csv");
  return download(personalDataCsv(dataSections(ctx, data), new URL(request.url).searchParams.get("section")), "csv", "my-data");
}
