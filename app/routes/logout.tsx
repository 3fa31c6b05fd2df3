import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { endSession } from "#models/auth";
import { authorize } from "~/lib/guard.server";
import { clearSessionToken, readSessionToken } from "~/lib/cookies.server";

export async function action({ request }: ActionFunctionArgs) {
  const { db } = await authorize(request, "public");
  const token = await readSessionToken(request);
  if (token) await endSession(db, token);
  return redirect("/calendar", { headers: { "Set-Cookie": await clearSessionToken(request) } });
}

// Signing out changes state, so it is a POST only; a GET just goes home.
export async function loader({ request }: LoaderFunctionArgs) {
  await authorize(request, "public");
  return redirect("/calendar");
}
