import { data } from "@remix-run/node";
import { HoursChangeAffectsBookings } from "#models/consultations/errors";
import type { BookingsConfirmation } from "#models/consultations/hours-bookings";
import { CONSULTATION } from "#models/limits";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainMessage } from "./domain-error.server";
import { domainFormError, fields } from "./http.server";

/**
 * A change of consultation hours over bookings (ADR 27), for the staff page: the fields of the
 * confirm step, and the refusal that lists the bookings and gives back what to send again.
 */

/** The confirm step's fields: the booking ids agreed to ("12,15") and, from staff, how the provider agreed. */
export const confirmationFields = {
  cancel: fields.optionalText(2000),
  providerOk: fields.optionalText(CONSULTATION.providerOk),
};

export function confirmationOf(input: { cancel: string; providerOk: string }): BookingsConfirmation {
  const ids = input.cancel
    .split(",")
    .map((part) => part.trim())
    .filter((part) => /^[0-9]{1,9}$/.test(part))
    .map(Number);
  return { cancel: ids, providerOk: input.providerOk };
}

/**
 * The refusal as the page shows it: 409, the message, one line per booking ("王德福 12月10日 14:00
 * 的预约将被取消"), the ids to confirm, and the change's own fields to send again. Any other error
 * is the usual form error.
 */
export function hoursChangeRefusal(error: unknown, ctx: AuthorisedContext, change: Record<string, string | number>) {
  if (!(error instanceof HoursChangeAffectsBookings)) return domainFormError(error, ctx.t);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const lines = error.bookings.map((b) => {
    const at = new Date(b.startsAt);
    return ctx.t("consult.affectedLine", { name: b.personName, when: `${fmt.day(at)} ${fmt.time(at)}` });
  });
  const replay = Object.fromEntries(Object.entries(change).map(([name, value]) => [name, String(value)]));
  return data(
    {
      ok: false as const,
      formError: domainMessage(error, ctx.t),
      fieldErrors: {},
      affected: {
        lines,
        cancel: error.bookings.map((b) => b.id).join(","),
        needsProviderOk: error.providerPersonId !== ctx.viewer.personId,
        replay,
      },
    },
    { status: 409 },
  );
}
