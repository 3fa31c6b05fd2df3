import { z } from "zod";
import { listPersonSignups, cancelSignup } from "#models/signups";
import { isStaff } from "#models/permissions";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";

/** A person's bookings as the bookings pages show them, split into coming and past. */
export async function bookingsView(ctx: AuthorisedContext, personId: number, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const rows = await listPersonSignups(ctx.db, ctx.station.id, personId);
  const view = rows
    .filter((r) => r.status !== "cancelled")
    .map((r) => ({
      id: r.id,
      sessionId: r.sessionId,
      title: r.title,
      when: fmt.range(r.startsAt, r.endsAt),
      location: r.location,
      status: r.status,
      sessionCancelled: r.sessionStatus === "cancelled",
      partySize: r.partySize,
      position: r.waitlistPosition,
      bookedBy: r.bookedBy,
      upcoming: r.endsAt >= now,
      // What the cancel button may do for this viewer; the model checks again.
      canCancel: r.status !== "cancelled" && r.startsAt > now && (r.status === "waitlisted" || now <= r.cancelDeadline || isStaff(ctx.viewer)),
    }));
  return {
    upcoming: view.filter((v) => v.upcoming).reverse(),
    past: view.filter((v) => !v.upcoming),
  };
}

const cancelSchema = z.object({ intent: z.literal("cancel", "field.choice"), signupId: fields.id() });

/** The cancel button on a bookings page. */
export async function cancelFromForm(ctx: AuthorisedContext, formData: FormData, scope: { sessionId?: number; personId?: number }) {
  const parsed = parseForm(formData, cancelSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    const result = await cancelSignup(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data.signupId, scope);
    return { ok: true as const, cancelled: result.id };
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}
