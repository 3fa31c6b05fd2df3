import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { checkInByCode, undoCheckIn } from "#models/desk/checkin";
import { verifyCheckinCode } from "#models/desk/codes";
import { isStaff } from "#models/permissions";
import { requirePerson } from "#models/people";
import { requireSession } from "#models/sessions";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, notFound, orPageError, parseId, readForm } from "~/lib/http.server";
import { dateFormatter } from "~/lib/dates.server";
import { peopleCount } from "~/i18n";
import { useT } from "~/lib/view";
import deskStyles from "~/styles/desk.css?url";
import { Notice } from "~/components/form";
import { recordSensitiveViews, viewOf } from "~/lib/sensitive-views.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: deskStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * Where a booking's QR code leads. Staff who scan it are signed in (else the guard sends them to
 * sign in and back here) and the person is checked in on arrival: one scan per resident at the
 * desk. Checking in twice is harmless (the model returns the first), and every bad, foreign,
 * cancelled or expired code is the same 404. Anyone else — the resident opening their own mail's
 * link — is told to show the code at the desk, and learns nothing from it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const sessionId = parseId(params.sessionId, ctx.t);
  const desk = { stationId: ctx.station.id, actor: ctx.viewer };
  if (!isStaff(ctx.viewer)) {
    // The holder opening their own mail's link: a good code says "show it at the desk", a bad one is the same 404 as for staff.
    const check = await verifyCheckinCode(ctx.db, ctx.station.id, sessionId, params.code);
    if (!check.ok) throw notFound(ctx.t);
    return { staff: false as const, pageTitle: ctx.t("checkinCode.show") };
  }
  const result = await orPageError(checkInByCode(ctx.db, desk, { sessionId, code: params.code }), ctx.t);
  const [person, session] = await Promise.all([
    requirePerson(ctx.db, ctx.station.id, result.personId),
    requireSession(ctx.db, ctx.station.id, sessionId),
  ]);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  if (person.needs) await recordSensitiveViews(ctx.db, viewOf(ctx, "checkin", "needs"), [person.id]);
  return {
    staff: true as const,
    pageTitle: ctx.t("checkin.title", { title: session.title }),
    sessionId,
    title: session.title,
    when: fmt.range(session.startsAt, session.endsAt),
    personId: person.id,
    name: person.fullName,
    needs: person.needs,
    partySize: result.partySize,
    attendedCount: result.attendedCount,
    already: result.alreadyCheckedIn,
    walkIn: result.walkIn,
    overCapacity: result.overCapacity,
    expected: result.expected,
    capacity: result.capacity,
  };
}

/** A wrong scan is undone here, as on the sheet (staff: only they scan codes). */
export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const sessionId = parseId(params.sessionId, ctx.t);
  const form = await readForm(request, ctx.t);
  const personId = parseId(String(form.get("personId") ?? ""), ctx.t);
  try {
    await undoCheckIn(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, { sessionId, personId });
    return { ok: true as const, message: ctx.t("checkin.undone") };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

export default function CheckinByCode() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const undo = useFetcher<{ ok: true; message: string } | { ok: false; formError: string }>();
  if (!data.staff) {
    return (
      <section className="panel narrow">
        <h1>{t("checkinCode.show")}</h1>
        <p>{t("checkinCode.help")}</p>
        <p>
          <Link to="/bookings">{t("checkinCode.myBookings")}</Link>
        </p>
      </section>
    );
  }
  const reply = undo.data;
  const undone = reply?.ok === true;
  return (
    <section className="panel narrow checkin-scan">
      <p className="checkin-figures" role="status">
        {reply?.ok
          ? reply.message
          : data.already
            ? t("checkin.already", { name: data.name })
            : t("checkin.done", { name: data.name, count: data.attendedCount })}
      </p>
      <h1>{data.name}</h1>
      <p>
        {data.title} · {data.when}
      </p>
      <p>{peopleCount(t, data.partySize)}</p>
      {data.needs ? <p className="checkin-needs">{t("checkin.needs", { needs: data.needs })}</p> : null}
      {data.walkIn ? <p>{t("checkin.seatedAtDoor")}</p> : null}
      {data.overCapacity ? <Notice>{t("checkin.overCapacity", { expected: data.expected, capacity: data.capacity })}</Notice> : null}
      <Notice tone="error">{reply && !reply.ok ? reply.formError : undefined}</Notice>
      <p className="actions">
        <Link to={`/manage/sessions/${data.sessionId}/checkin`} className="button-primary">
          {t("checkinCode.toSheet")}
        </Link>
        {undone ? null : (
          <undo.Form method="post">
            <input type="hidden" name="personId" value={data.personId} />
            <button type="submit" className="button-secondary" disabled={undo.state !== "idle"}>
              {t("checkin.undo")}
            </button>
          </undo.Form>
        )}
      </p>
    </section>
  );
}
