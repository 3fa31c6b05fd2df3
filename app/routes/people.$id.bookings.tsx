import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePerson } from "#models/people";
import { canActFor, SESSION_BOOKINGS } from "#models/permissions";
import { hasAnyRole, STAFF_ROLES } from "#models/auth";
import { authorize } from "~/lib/guard.server";
import { notFound, parseId, readForm } from "~/lib/http.server";
import { bookingsView, cancelFromForm } from "~/lib/bookings.server";
import { BookingsSections } from "~/components/bookings-list";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.name ?? "Hearth" }];

/** Someone's bookings, for staff and for the member who looks after their household. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const personId = parseId(params.id, ctx.t);
  // One answer for "no such person" and "not yours to see": nothing leaks about who exists.
  if (!(await canActFor(ctx.db, ctx.station.id, ctx.viewer, personId, SESSION_BOOKINGS))) throw notFound(ctx.t);
  const person = await requirePerson(ctx.db, ctx.station.id, personId);
  // Staff may also make this person a sign-in account at the desk (ADR 21).
  return { personId, name: person.fullName, staff: hasAnyRole(ctx.viewer, STAFF_ROLES), ...(await bookingsView(ctx, personId)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const personId = parseId(params.id, ctx.t);
  if (!(await canActFor(ctx.db, ctx.station.id, ctx.viewer, personId, SESSION_BOOKINGS))) throw notFound(ctx.t);
  return cancelFromForm(ctx, await readForm(request, ctx.t), { personId }, `/people/${personId}/bookings`);
}

export default function PersonBookings() {
  const t = useT();
  const { personId, name, self, staff, upcoming, past } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = useSearchParams()[0].get("done") === "cancelled";
  return (
    <section>
      <h1>{t("bookings.titleFor", { name })}</h1>
      {staff ? (
        <p>
          <Link to={`/manage/people/${personId}/sign-in`} className="tap-link">
            {t("deskSignIn.link")}
          </Link>
        </p>
      ) : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {done && !result ? <Notice tone="ok">{t("signup.doneCancelled")}</Notice> : null}
      <BookingsSections upcoming={upcoming} past={past} name={self ? null : name} empty={t("bookings.none")} />
    </section>
  );
}
