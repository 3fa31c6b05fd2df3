import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { unsubscribe } from "#models/notifications/preferences";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";

/**
 * RFC 8058 one-click unsubscribe, the target of the List-Unsubscribe header. A resource route
 * (no component) on purpose: the mail provider POSTs from its own origin with no cookie, and
 * a page route would refuse that as cross-site and answer with a page nobody reads. The
 * token in the URL is the credential, as on the page the mail's footer links to.
 */

const text = (body: string, status: number, extra: Record<string, string> = {}) =>
  new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", ...extra },
  });

// A person (or a mail scanner) who opens the link gets the page that only asks.
export async function loader({ request, params }: LoaderFunctionArgs) {
  await authorize(request, "public");
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? "")}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "public");
  if (request.method !== "POST") return text(ctx.t("error.badRequest"), 405, { Allow: "POST" });
  const form = await readForm(request, ctx.t);
  if (form.get("List-Unsubscribe") !== "One-Click") return text(ctx.t("error.badRequest"), 400);
  const done = await unsubscribe(ctx.db, params.token ?? "");
  if (!done) return text(ctx.t("error.notFound"), 404);
  return text(ctx.t("unsub.oneClick"), 200);
}
