import type { LoaderFunctionArgs } from "@remix-run/node";
import { IMPORT_COLUMNS } from "#models/care/import";
import { authorize, STAFF } from "~/lib/guard.server";
import { toCsv } from "~/lib/csv.server";

/**
 * The import's template (staff): the header row only, in the reader's language (the import reads
 * either), UTF-8 with a BOM so Excel opens it in Chinese; saved from Excel it comes back as
 * GB18030 or UTF-8, and both are read (ADR 24). No example row: left in, it would be imported.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const header = IMPORT_COLUMNS.map((c) => (ctx.locale === "en" ? c.en : c.zh));
  return new Response(toCsv([header]), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="households-template.csv"; filename*=UTF-8''${encodeURIComponent(ctx.t("care.import.title"))}.csv`,
      "Cache-Control": "private, no-store",
    },
  });
}
