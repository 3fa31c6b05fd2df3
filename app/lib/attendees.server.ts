import { listSessionSignups } from "#models/signups";
import { getSession } from "#models/sessions";
import { cancelVerdict } from "#models/policies/signups";
import { requireSignupRules } from "#models/signups";
import { noShowCounts } from "#models/desk/attendance";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { notFound } from "./http.server";
import type { SensitivePage } from "#models/privacy/access";
import { recordSensitiveViews, viewOf } from "./sensitive-views.server";

/** A session's attendee list for staff (needs and phone numbers included: staff only). */
export async function attendeesView(ctx: AuthorisedContext, sessionId: number, page: SensitivePage = "attendees", now = new Date()) {
  const session = await getSession(ctx.db, ctx.station.id, sessionId);
  if (!session) throw notFound(ctx.t);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const rows = await listSessionSignups(ctx.db, ctx.station.id, sessionId);
  const { cancelDeadlineMinutes } = await requireSignupRules(ctx.db, ctx.station.id, sessionId);
  const facts = { sessionStatus: session.status, startsAt: session.startsAt, endsAt: session.endsAt, cancelDeadlineMinutes };
  const noShows = await noShowCounts(
    ctx.db,
    ctx.station.id,
    rows.map((r) => r.personId),
    now,
  );
  const view = rows.map((r) => ({
    id: r.id,
    personId: r.personId,
    name: r.name,
    phone: r.phone,
    needs: r.needs,
    partySize: r.partySize,
    status: r.status,
    position: r.waitlistPosition,
    bookedBy: r.bookedBy,
    noShows: noShows.get(r.personId) ?? 0,
    attendance: r.attendance,
    attendedCount: r.attendedCount,
    walkIn: r.walkIn,
    // Once the session has started the list is for attendance, not cancelling (the policy's rule).
    canCancel: cancelVerdict(ctx.viewer, { ...facts, status: r.status }, now).allowed,
  }));
  // Whose needs this list shows is recorded, one row each in one insert (ADR 22).
  await recordSensitiveViews(
    ctx.db,
    viewOf(ctx, page, "needs"),
    view.filter((v) => v.needs).map((v) => v.personId),
  );
  const confirmed = view.filter((v) => v.status === "confirmed");
  const waitlist = view.filter((v) => v.status === "waitlisted");
  const people = (list: typeof view) => list.reduce((n, v) => n + v.partySize, 0);
  return {
    session: {
      id: session.id,
      title: session.title,
      when: fmt.range(session.startsAt, session.endsAt),
      location: session.location,
      capacity: session.capacity,
      taken: session.taken,
      cancelled: session.status === "cancelled",
      // Once it has begun the list is about who came: no more 代人报名 or cancelling, only attendance.
      started: now >= session.startsAt,
    },
    confirmed,
    waitlist,
    confirmedPeople: people(confirmed),
    waitlistPeople: people(waitlist),
  };
}
