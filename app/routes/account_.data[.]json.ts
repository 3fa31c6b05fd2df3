import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { download, loadPersonalData, personalDataJson } from "~/lib/personal-data.server";

/** 我的数据 as one JSON file (the same fields as GET /api/v1/me/export). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const data = await loadPersonalData(ctx, ctx.viewer.personId, "self", "json");
  return download(JSON.stringify(personalDataJson(ctx, data), null, 2), "json", "my-data");
}
