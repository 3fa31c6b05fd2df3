import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { bookingsView, cancelFromForm } from "~/lib/bookings.server";
import { BookingsSections } from "~/components/bookings-list";
import { MyConsultations } from "~/components/my-consultations";
import { personConsultationsView } from "~/lib/consultations.server";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta = titleMeta("bookings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const [bookings, consultations] = await Promise.all([bookingsView(ctx, ctx.viewer.personId), personConsultationsView(ctx, ctx.viewer.personId)]);
  return { ...bookings, consultations };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return cancelFromForm(ctx, await readForm(request, ctx.t), { personId: ctx.viewer.personId }, "/bookings");
}

export default function MyBookings() {
  const t = useT();
  const { upcoming, past, consultations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = useSearchParams()[0].get("done") === "cancelled";
  return (
    <section>
      <h1>{t("bookings.title")}</h1>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {done && !result ? <Notice tone="ok">{t("signup.doneCancelled")}</Notice> : null}
      {/* Cancelling one goes through the consultations page's action, which comes back there. */}
      {consultations.length ? <MyConsultations items={consultations} action="/consultations" /> : null}
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
