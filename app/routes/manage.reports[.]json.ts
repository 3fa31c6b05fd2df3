import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { reportMonth, reportOrRefusal } from "~/lib/report-export.server";

/** The month's figures as JSON for a signed-in coordinator (the same as GET /api/v1/reports/monthly). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const report = await reportOrRefusal(ctx, reportMonth(ctx, request));
  if (report instanceof Response) return report;
  return new Response(JSON.stringify(report, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="hearth-report-${report.month}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
