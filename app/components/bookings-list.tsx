import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import type { bookingsView } from "~/lib/bookings.server";
import { useT } from "~/lib/view";
import { peopleCount } from "~/i18n";

type Booking = Awaited<ReturnType<typeof bookingsView>>["upcoming"][number];

export function BookingsList({ bookings, busy }: { bookings: Booking[]; busy: boolean }) {
  const t = useT();
  return (
    <ul className="bookings-list">
      {bookings.map((b) => (
        <li key={b.id} className="booking">
          <Link to={`/sessions/${b.sessionId}`} className="session-link">
            {b.title}
          </Link>
          <span>{b.when}</span>
          {b.location ? <span className="session-meta">{b.location}</span> : null}
          <span>
            <span className={`status-badge status-${b.status}`}>
              {b.status === "confirmed"
                ? t("signup.statusConfirmed")
                : b.status === "waitlisted"
                  ? t("signup.statusWaitlisted", { position: b.position ?? 1 })
                  : t("signup.statusCancelled")}
            </span>
            {" · "}
            {peopleCount(t, b.partySize)}
            {b.sessionCancelled ? <strong className="badge badge-cancelled">{t("bookings.sessionCancelled")}</strong> : null}
          </span>
          {b.bookedBy ? <span className="help">{t("signup.bookedBy", { name: b.bookedBy })}</span> : null}
          {b.canCancel ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="signupId" value={b.id} />
              <button type="submit" className="button-danger" disabled={busy}>
                {b.status === "waitlisted" ? t("signup.leaveWaitlist") : t("signup.cancel")}
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Coming bookings, then past ones; `empty` is shown when nothing is coming. */
export function BookingsSections({ upcoming, past, busy, empty }: { upcoming: Booking[]; past: Booking[]; busy: boolean; empty: ReactNode }) {
  const t = useT();
  return (
    <>
      <h2>{t("bookings.upcoming")}</h2>
      {upcoming.length ? <BookingsList bookings={upcoming} busy={busy} /> : <p className="empty">{empty}</p>}
      {past.length ? (
        <>
          <h2>{t("bookings.past")}</h2>
          <BookingsList bookings={past} busy={busy} />
        </>
      ) : null}
    </>
  );
}
