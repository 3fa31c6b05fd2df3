import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { bookingsView, cancelFromForm } from "~/lib/bookings.server";
import { BookingsSections } from "~/components/bookings-list";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction = () => [{ title: "我的预约 · My bookings" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return bookingsView(ctx, ctx.viewer.personId);
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return cancelFromForm(ctx, await readForm(request, ctx.t), { personId: ctx.viewer.personId }, "/bookings");
}

export default function MyBookings() {
  const t = useT();
  const { upcoming, past } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = useSearchParams()[0].get("done") === "cancelled";
  return (
    <section>
      <h1>{t("bookings.title")}</h1>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {done && !result ? <Notice tone="ok">{t("signup.doneCancelled")}</Notice> : null}
      <BookingsSections
        upcoming={upcoming}
        past={past}
        name={null}
        empty={
          <>
            {t("bookings.none")} <Link to="/calendar">{t("bookings.toCalendar")}</Link>
          </>
        }
      />
    </section>
  );
}
