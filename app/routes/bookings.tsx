import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import consultStyles from "~/styles/consult.css?url";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { bookingsView, cancelFromForm } from "~/lib/bookings.server";
import { BookingsSections } from "~/components/bookings-list";
import { MyConsultations } from "~/components/my-consultations";
import { personConsultationsView } from "~/lib/consultations.server";
import { personWaitlistView } from "~/lib/consultation-waitlist.server";
import { MyWaitlist } from "~/components/consultation-waitlist";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consultStyles }];

export const meta = titleMeta("bookings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const [bookings, consultations, waitlist] = await Promise.all([
    bookingsView(ctx, ctx.viewer.personId),
    personConsultationsView(ctx, ctx.viewer.personId),
    personWaitlistView(ctx, ctx.viewer.personId),
  ]);
  return { ...bookings, consultations, waitlist };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return cancelFromForm(ctx, await readForm(request, ctx.t), { personId: ctx.viewer.personId }, "/bookings");
}

export default function MyBookings() {
  const t = useT();
  const { upcoming, past, consultations, waitlist } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const doneParam = useSearchParams()[0].get("done");
  const done = doneParam === "cancelled";
  return (
    <section>
      <h1>{t("bookings.title")}</h1>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {done && !result ? <Notice tone="ok">{t("signup.doneCancelled")}</Notice> : null}
      {doneParam === "declined" && !result ? <Notice tone="ok">{t("waitlist.declined")}</Notice> : null}
      {/* A slot held from the waitlist comes first: it is the one thing here with a time limit. */}
      {waitlist.length ? <MyWaitlist items={waitlist} /> : null}
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
