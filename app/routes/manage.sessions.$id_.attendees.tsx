import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { notFound, parseId, readForm } from "~/lib/http.server";
import { getSession } from "#models/sessions";
import { attendeesView } from "~/lib/attendees.server";
import { cancelFromForm } from "~/lib/bookings.server";
import { Notice } from "~/components/form";
import { ConfirmAction } from "~/components/confirm-action";
import { peopleCount, type Translate } from "~/i18n";
import { useT } from "~/lib/view";
import { DataTable } from "~/components/data-table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.session.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return attendeesView(ctx, parseId(params.id, ctx.t));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const sessionId = parseId(params.id, ctx.t);
  if (!(await getSession(ctx.db, ctx.station.id, sessionId))) throw notFound(ctx.t);
  return cancelFromForm(ctx, await readForm(request, ctx.t), { sessionId }, `/manage/sessions/${sessionId}/attendees`);
}

/** Who came, in words: "已到 2 人", "缺席", "请假", "未签到"; a walk-in says so. */
function attendanceText(t: Translate, a: { attendance: string | null; attendedCount: number | null; partySize: number; walkIn: boolean }) {
  const state =
    a.attendance === "attended"
      ? t("checkin.stateHere", { count: a.attendedCount ?? a.partySize })
      : a.attendance === "no_show"
        ? t("checkin.stateNoShow")
        : a.attendance === "no_show_excused"
          ? t("checkin.stateExcused")
          : t("checkin.stateExpected");
  return a.walkIn ? `${state} · ${t("checkin.walkIn")}` : state;
}

/** The attendee list, which prints as the paper sign-in sheet. */
export default function Attendees() {
  const t = useT();
  const { session, confirmed, waitlist, confirmedPeople, waitlistPeople } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = useSearchParams()[0].get("done") === "cancelled";
  // A coordinator cancelling someone's place is told whose places go to the waitlist first.
  const cancelButton = (a: (typeof confirmed)[number]) => (
    <ConfirmAction
      label={t("attendees.cancel")}
      ariaLabel={t("confirm.cancelFor", { name: a.name })}
      consequence={
        a.status === "waitlisted"
          ? t("confirm.leaveWaitlist", { name: a.name, position: a.position ?? 1 })
          : t("confirm.cancelPlace", { name: a.name, people: peopleCount(t, a.partySize) })
      }
      confirmLabel={a.status === "waitlisted" ? t("confirm.leaveWaitlistGo") : t("confirm.cancelGo")}
      fields={{ intent: "cancel", signupId: a.id }}
    />
  );
  return (
    <section>
      <h1>{t("attendees.title", { title: session.title })}</h1>
      <p>
        {session.when}
        {session.location ? ` · ${session.location}` : ""} · {t("attendees.capacity", { taken: session.taken, capacity: session.capacity })}
      </p>
      {session.cancelled ? <Notice tone="warning">{t("session.cancelledNotice")}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {done && !result ? <Notice tone="ok">{t("signup.doneCancelled")}</Notice> : null}
      <p className="actions no-print">
        <Link to={`/manage/sessions/${session.id}/checkin`} className={session.started ? "button-primary" : "button-secondary"}>
          {t("checkin.link")}
        </Link>
        {session.started || session.cancelled ? null : (
          <Link to={`/manage/sessions/${session.id}/book`} className="button-primary">
            {t("attendees.book")}
          </Link>
        )}
        <Link to={`/manage/sessions/${session.id}/roster`} className="button-secondary">
          {t("manage.rosterLink")}
        </Link>
        <a href={`/manage/sessions/${session.id}/attendees.csv`} className="button-secondary" download>
          {t("attendees.csv")}
        </a>
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          {t("attendees.print")}
        </button>
      </p>
      <h2>{t("attendees.confirmed", { people: confirmedPeople })}</h2>
      {confirmed.length === 0 ? (
        <p className="empty">{t("attendees.none")}</p>
      ) : (
        <DataTable
          columns={[
            t("attendees.name"),
            t("attendees.party"),
            t("attendees.phone"),
            t("attendees.needs"),
            t("attendees.bookedBy"),
            session.started ? t("attendees.attendance") : null,
            { label: t("attendees.signature"), className: "sheet-signature" },
            { label: t("attendees.cancel"), hidden: true, className: "no-print" },
          ]}
        >
          {confirmed.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link to={`/people/${a.personId}/bookings`}>{a.name}</Link>
                {a.noShows > 0 ? <span className="no-shows">{t("noShows.recent", { count: a.noShows })}</span> : null}
              </th>
              <td>{a.partySize}</td>
              <td>{a.phone ?? ""}</td>
              <td>{a.needs ?? ""}</td>
              <td>{a.bookedBy ?? ""}</td>
              {session.started ? <td>{attendanceText(t, a)}</td> : null}
              <td className="sheet-signature" />
              <td className="no-print">{a.canCancel ? cancelButton(a) : null}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {waitlist.length ? (
        <>
          <h2>{t("attendees.waitlist", { people: waitlistPeople })}</h2>
          <DataTable
            columns={[
              t("attendees.position"),
              t("attendees.name"),
              t("attendees.party"),
              t("attendees.phone"),
              t("attendees.bookedBy"),
              { label: t("attendees.cancel"), hidden: true, className: "no-print" },
            ]}
          >
            {waitlist.map((a) => (
              <tr key={a.id}>
                <td>{a.position}</td>
                <th scope="row">
                  <Link to={`/people/${a.personId}/bookings`}>{a.name}</Link>
                </th>
                <td>{a.partySize}</td>
                <td>{a.phone ?? ""}</td>
                <td>{a.bookedBy ?? ""}</td>
                <td className="no-print">{a.canCancel ? cancelButton(a) : null}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  );
}
