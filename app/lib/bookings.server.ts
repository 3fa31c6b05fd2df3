import { redirect } from "@remix-run/node";
import { z } from "zod";
import { listPersonSignups, cancelSignup } from "#models/signups";
import { cancelVerdict, showsMoved, signupState } from "#models/policies/signups";
import { checkinCodesFor } from "#models/desk/codes";
import { checkinUrl, qrSvg } from "./checkin-qr.server";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainFormError, fields, formError, parseForm } from "./http.server";
import { spendMailBudgetOf } from "./mail-budget.server";

/**
 * A person's bookings as the bookings pages show them, split into coming and past. What each
 * one is (booked, waitlisted, session cancelled, over) and whether it may be cancelled are the
 * policies' answers (models/policies/signups), the same the model enforces.
 */
export async function bookingsView(ctx: AuthorisedContext, personId: number, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const rows = await listPersonSignups(ctx.db, ctx.station.id, personId);
  const view = rows
    .filter((r) => r.status !== "cancelled")
    .map((r) => {
      const state = signupState(r, now);
      return {
        id: r.id,
        sessionId: r.sessionId,
        title: r.title,
        when: fmt.range(r.startsAt, r.endsAt),
        location: r.location,
        state,
        // Its time is the new one already; the mark says so (the API's `moved` is the same answer).
        moved: showsMoved(state, r.moved),
        partySize: r.partySize,
        position: r.waitlistPosition,
        bookedBy: r.bookedBy,
        upcoming: r.endsAt > now,
        day: fmt.localDate(r.startsAt),
        canCancel: cancelVerdict(ctx.viewer, r, now).allowed,
      };
    });
  // A coming, confirmed booking carries its check-in QR code, shown at the desk from the phone or a printout.
  const withCode = view.filter((v) => v.upcoming && v.state === "confirmed");
  const codes = await checkinCodesFor(ctx.db, ctx.station.id, withCode);
  const qr = new Map(await Promise.all(withCode.map(async (v) => [v.id, await qrSvg(checkinUrl(v.sessionId, codes.get(v.id)!))] as const)));
  const today = fmt.localDate(now);
  const withQr = view.map((v) => ({ ...v, checkinQr: qr.get(v.id) ?? null, today: v.day === today }));
  return {
    // Whose bookings: the confirmation step names them ("王德福的 2 个名额…"), or says "您" for one's own.
    self: personId === ctx.viewer.personId,
    upcoming: withQr.filter((v) => v.upcoming).reverse(),
    past: withQr.filter((v) => !v.upcoming),
  };
}

const cancelSchema = z.object({ intent: z.literal("cancel", "field.choice"), signupId: fields.id() });

/**
 * The confirmed cancel on a bookings page or the attendee list. Done, it redirects back to the
 * page with ?done=cancelled, so a reload does not post again and the page says what happened.
 */
export async function cancelFromForm(ctx: AuthorisedContext, formData: FormData, scope: { sessionId?: number; personId?: number }, backTo: string) {
  const parsed = parseForm(formData, cancelSchema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
  try {
    await spendMailBudgetOf(ctx, scope.personId);
    await cancelSignup(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, parsed.data.signupId, scope);
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
  return redirect(`${backTo}?done=cancelled`);
}
