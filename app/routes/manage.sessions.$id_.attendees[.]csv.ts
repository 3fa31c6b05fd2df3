import type { LoaderFunctionArgs } from "@remix-run/node";
import { authorize, STAFF } from "~/lib/guard.server";
import { parseId } from "~/lib/http.server";
import { attendeesView } from "~/lib/attendees.server";
import { toCsv } from "~/lib/csv.server";

/** The attendee list as CSV (UTF-8 with a BOM, so Excel shows the Chinese names). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const { session, confirmed, waitlist } = await attendeesView(ctx, parseId(params.id, ctx.t), "attendees_csv");
  const header = [
    ctx.t("attendees.name"),
    ctx.t("attendees.party"),
    ctx.t("attendees.phone"),
    ctx.t("attendees.needs"),
    ctx.t("attendees.bookedBy"),
    ctx.t("attendees.position"),
  ];
  const rows = [...confirmed, ...waitlist].map((a) => [
    a.name,
    String(a.partySize),
    a.phone ?? "",
    a.needs ?? "",
    a.bookedBy ?? "",
    a.position === null ? "" : String(a.position),
  ]);
  return new Response(toCsv([header, ...rows]), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="attendees-${session.id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
