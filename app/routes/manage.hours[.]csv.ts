import type { LoaderFunctionArgs } from "@remix-run/node";
import { hoursExport } from "#models/rosters";
import { authorize, ADMIN } from "~/lib/guard.server";
import { toCsv } from "~/lib/csv.server";
import { fields } from "~/lib/http.server";
import { localName } from "~/i18n";

// The forms' own date check: a month 13 is refused, not turned into an Invalid Date that throws.
const DATE = fields.date();
const realDate = (v: string | null): v is string => v !== null && v === v.trim() && DATE.safeParse(v).success;
// Two years is every report the station writes; a longer span is a typo, not a request.
const MAX_DAYS = 731;
const hours = (minutes: number) => (minutes / 60).toFixed(2);

/** Volunteer hours as CSV (UTF-8 with BOM; formula-like cells neutralised by toCsv), per person or per group. */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, ADMIN);
  const params = new URL(request.url).searchParams;
  const by = params.get("by") ?? "person";
  const from = params.get("from");
  const to = params.get("to");
  const span = realDate(from) && realDate(to) ? (Date.parse(to) - Date.parse(from)) / 86_400_000 : NaN;
  if ((by !== "person" && by !== "group") || !(span >= 0 && span <= MAX_DAYS)) {
    return new Response(ctx.t("manualHours.badRange"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const report = await hoursExport(ctx.db, ctx.station.id, { from: from!, to: to! });
  const t = ctx.t;
  const rows =
    by === "person"
      ? [
          [t("manualHours.csvName"), t("manualHours.csvShifts"), t("manualHours.csvAttended"), t("manualHours.csvManual"), t("manualHours.csvTotal")],
          ...report.people.map((p) => [
            p.name,
            String(p.shifts),
            hours(p.attendedMinutes),
            hours(p.manualMinutes),
            hours(p.attendedMinutes + p.manualMinutes),
          ]),
        ]
      : [
          [
            t("manualHours.csvGroup"),
            t("manualHours.csvPeople"),
            t("manualHours.csvAttended"),
            t("manualHours.csvManual"),
            t("manualHours.csvTotal"),
          ],
          ...report.groups.map((g) => [
            localName(ctx.locale, g),
            String(g.people),
            hours(g.attendedMinutes),
            hours(g.manualMinutes),
            hours(g.attendedMinutes + g.manualMinutes),
          ]),
        ];
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="hours-${by}-${from}-${to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
