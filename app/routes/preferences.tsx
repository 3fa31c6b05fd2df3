import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";
import { writePreferences } from "~/lib/cookies.server";
import { readForm } from "~/lib/http.server";
import { safeRedirect } from "~/lib/redirect";
import { isLocale } from "~/i18n";

/** Language and text size live in a cookie, so they hold for visitors who never sign in. */
export async function action({ request }: ActionFunctionArgs) {
  const { t, locale } = await authorize(request, "public");
  const form = await readForm(request, t);
  const requested = form.get("locale");
  const prefs = {
    locale: isLocale(requested) ? requested : locale,
    largeText: form.get("largeText") === "true",
  };
  return redirect(safeRedirect(form.get("redirectTo")), {
    headers: { "Set-Cookie": await writePreferences(request, prefs) },
  });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await authorize(request, "public");
  return redirect("/calendar");
}
