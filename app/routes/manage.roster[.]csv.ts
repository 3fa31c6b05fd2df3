import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { parseWeekParam } from "~/lib/roster.server";
import { rosterWeekView } from "~/lib/roster-week.server";
import { toCsv } from "~/lib/csv.server";

/**
 * The week's roster as CSV: one line per need of each session (UTF-8 with a BOM so Excel shows
 * Chinese names; cells starting with = + - @ neutralised by toCsv).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const view = await rosterWeekView(ctx, parseWeekParam(ctx, new URL(request.url).searchParams.get("week")));
  const { t } = ctx;
  const header = [
    t("roster.date"),
    t("roster.time"),
    t("roster.activity"),
    t("roster.skill"),
    t("roster.required"),
    t("roster.filled"),
    t("roster.names"),
  ];
  const rows = view.rows.flatMap((row) =>
    row.shifts.map((cell) => [
      row.date,
      cell.time,
      row.title,
      cell.skill,
      String(cell.required),
      String(cell.filled),
      cell.people
        .map((p) => (p.status === "proposed" ? t("roster.withStatus", { name: p.name, status: t("roster.status.proposed") }) : p.name))
        .join("、"),
    ]),
  );
  return new Response(toCsv([header, ...rows]), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roster-${view.week}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
