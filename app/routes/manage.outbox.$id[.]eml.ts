import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "#models/config";
import { readOutboxRaw } from "#models/notifications/admin";
import { ADMIN, authorize } from "~/lib/guard.server";
import { notFound, parseId } from "~/lib/http.server";

/** The outbox mail exactly as written, for a mail program to open. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, station, t } = await authorize(request, ADMIN);
  const id = parseId(params.id, t);
  const raw = await readOutboxRaw(db, getConfig(), station.id, id);
  if (!raw) throw notFound(t);
  return new Response(new Uint8Array(raw), {
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Disposition": `attachment; filename="hearth-${id}.eml"`,
      "Cache-Control": "no-store",
    },
  });
}
