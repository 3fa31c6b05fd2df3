import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "~/lib/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authorize(request, "public");
  return redirect("/calendar");
}
