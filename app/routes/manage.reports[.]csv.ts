import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { toCsv } from "~/lib/csv.server";
import { reportMonth, reportOrRefusal, reportRows } from "~/lib/report-export.server";

/** The 月报 as CSV (UTF-8 with BOM for Excel; formula-like cells neutralised by toCsv). */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const month = reportMonth(ctx, request);
  const report = await reportOrRefusal(ctx, month);
  if (report instanceof Response) return report;
  return new Response(toCsv(reportRows(ctx, report)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="hearth-report-${report.month}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
