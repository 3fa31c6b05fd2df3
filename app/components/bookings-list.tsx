import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import type { bookingsView } from "~/lib/bookings.server";
import { useT } from "~/lib/view";
import { peopleCount, type Translate } from "~/i18n";
import { ConfirmAction } from "./confirm-action";
import { SignupStateBadge } from "./signup-state";
import { When } from "./when";

type Booking = Awaited<ReturnType<typeof bookingsView>>["upcoming"][number];

/** What cancelling does, in words: whose places go to the waitlist, or who leaves it. `name` is null for one's own. */
function consequence(t: Translate, b: Booking, name: string | null) {
  if (b.state === "waitlisted") {
    const position = b.position ?? 1;
    return name ? t("confirm.leaveWaitlist", { name, position }) : t("confirm.leaveOwnWaitlist", { position });
  }
  const people = peopleCount(t, b.partySize);
  return name ? t("confirm.cancelPlace", { name, people }) : t("confirm.cancelOwnPlace", { people });
}

/**
 * The booking's check-in QR code: open on the day of the session, folded away before it. The
 * SVG is drawn on the server by the qrcode package from our own URL, nothing a user typed.
 */
function CheckinCode({ svg, open }: { svg: string; open: boolean }) {
  const t = useT();
  return (
    <details className="checkin-code" open={open}>
      <summary>{t("checkinCode.show")}</summary>
      <p className="help">{t("checkinCode.help")}</p>
      <div className="checkin-qr" role="img" aria-label={t("checkinCode.alt")} dangerouslySetInnerHTML={{ __html: svg }} />
    </details>
  );
}

export function BookingsList({ bookings, name }: { bookings: Booking[]; name: string | null }) {
  const t = useT();
  return (
    <ul className="bookings-list">
      {bookings.map((b) => (
        <li key={b.id} className={`booking is-${b.state}`}>
          <Link to={`/sessions/${b.sessionId}`} className="session-link">
            {b.title}
          </Link>
          <span className="when">
            <When text={b.when} />
          </span>
          {b.location ? <span className="session-meta">{b.location}</span> : null}
          <span>
            <SignupStateBadge state={b.state} position={b.position} moved={b.moved} />
            {" · "}
            {peopleCount(t, b.partySize)}
          </span>
          {b.bookedBy ? <span className="help">{t("signup.bookedBy", { name: b.bookedBy })}</span> : null}
          {b.checkinQr ? <CheckinCode svg={b.checkinQr} open={b.today} /> : null}
          {b.canCancel ? (
            <ConfirmAction
              label={b.state === "waitlisted" ? t("signup.leaveWaitlist") : t("signup.cancel")}
              consequence={consequence(t, b, name)}
              confirmLabel={b.state === "waitlisted" ? t("confirm.leaveWaitlistGo") : t("confirm.cancelGo")}
              fields={{ intent: "cancel", signupId: b.id }}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Coming bookings, then past ones; `empty` is shown when nothing is coming. `name` is whose they are (null: the viewer's own). */
export function BookingsSections({ upcoming, past, name, empty }: { upcoming: Booking[]; past: Booking[]; name: string | null; empty: ReactNode }) {
  const t = useT();
  return (
    <>
      <h2>{t("bookings.upcoming")}</h2>
      {upcoming.length ? <BookingsList bookings={upcoming} name={name} /> : <p className="empty">{empty}</p>}
      {past.length ? (
        <>
          <h2>{t("bookings.past")}</h2>
          <BookingsList bookings={past} name={name} />
        </>
      ) : null}
    </>
  );
}
