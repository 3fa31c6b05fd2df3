import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { notFound, parseId, readForm } from "~/lib/http.server";
import { getSession } from "#models/sessions";
import { attendeesView } from "~/lib/attendees.server";
import { cancelFromForm } from "~/lib/bookings.server";
import { FormAlert } from "~/components/field";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.session.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return attendeesView(ctx, parseId(params.id, ctx.t));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const sessionId = parseId(params.id, ctx.t);
  if (!(await getSession(ctx.db, ctx.station.id, sessionId))) throw notFound(ctx.t);
  return cancelFromForm(ctx, await readForm(request, ctx.t), { sessionId });
}

/** The attendee list, which prints as the paper sign-in sheet. */
export default function Attendees() {
  const t = useT();
  const { session, confirmed, waitlist, confirmedPeople, waitlistPeople } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const cancelButton = (id: number) => (
    <Form method="post" className="no-print">
      <input type="hidden" name="intent" value="cancel" />
      <input type="hidden" name="signupId" value={id} />
      <button type="submit" className="button-danger" disabled={busy}>
        {t("attendees.cancel")}
      </button>
    </Form>
  );
  return (
    <section>
      <h1>{t("attendees.title", { title: session.title })}</h1>
      <p>
        {session.when}
        {session.location ? ` · ${session.location}` : ""} · {t("attendees.capacity", { taken: session.taken, capacity: session.capacity })}
      </p>
      {session.cancelled ? <p className="notice notice-cancelled">{t("session.cancelledNotice")}</p> : null}
      <FormAlert message={result && !result.ok ? result.formError : undefined} />
      <p className="actions no-print">
        <Link to={`/manage/sessions/${session.id}/book`} className="button-primary">
          {t("attendees.book")}
        </Link>
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
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("attendees.name")}</th>
                <th scope="col">{t("attendees.party")}</th>
                <th scope="col">{t("attendees.phone")}</th>
                <th scope="col">{t("attendees.needs")}</th>
                <th scope="col">{t("attendees.bookedBy")}</th>
                <th scope="col" className="sheet-signature">
                  {t("attendees.signature")}
                </th>
                <th scope="col" className="no-print">
                  <span className="visually-hidden">{t("attendees.cancel")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {confirmed.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/people/${a.personId}/bookings`}>{a.name}</Link>
                  </th>
                  <td>{a.partySize}</td>
                  <td>{a.phone ?? ""}</td>
                  <td>{a.needs ?? ""}</td>
                  <td>{a.bookedBy ?? ""}</td>
                  <td className="sheet-signature" />
                  <td className="no-print">{cancelButton(a.id)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {waitlist.length ? (
        <>
          <h2>{t("attendees.waitlist", { people: waitlistPeople })}</h2>
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("attendees.position")}</th>
                  <th scope="col">{t("attendees.name")}</th>
                  <th scope="col">{t("attendees.party")}</th>
                  <th scope="col">{t("attendees.phone")}</th>
                  <th scope="col">{t("attendees.bookedBy")}</th>
                  <th scope="col" className="no-print">
                    <span className="visually-hidden">{t("attendees.cancel")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {waitlist.map((a) => (
                  <tr key={a.id}>
                    <td>{a.position}</td>
                    <th scope="row">
                      <Link to={`/people/${a.personId}/bookings`}>{a.name}</Link>
                    </th>
                    <td>{a.partySize}</td>
                    <td>{a.phone ?? ""}</td>
                    <td>{a.bookedBy ?? ""}</td>
                    <td className="no-print">{cancelButton(a.id)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
