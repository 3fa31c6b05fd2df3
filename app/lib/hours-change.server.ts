import { data } from "@remix-run/node";
import { z } from "zod";
import { HoursChangeAffectsBookings } from "#models/consultations/errors";
import type { BookingsConfirmation } from "#models/consultations/hours-bookings";
import { endProviderHours, removeProviderHours } from "#models/consultations/hours";
import { CONSULTATION } from "#models/limits";
import type { Translate } from "~/i18n";
import type { AuthorisedContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { domainMessage } from "./domain-error.server";
import { domainFormError, fields } from "./http.server";

/**
 * A change of consultation hours over bookings (ADR 27), for the staff page and the provider's
 * own: the fields of the confirm step, and the refusal that lists the bookings and gives back
 * what to send again.
 */

/** The confirm step's fields: the booking ids agreed to ("12,15") and, from staff, how the provider agreed. */
export const confirmationFields = {
  cancel: fields.optionalText(2000),
  providerOk: fields.optionalText(CONSULTATION.providerOk),
};

/** The inputs of weekly hours, as both pages' forms send them (`WeeklyHoursFields`). */
export const weeklyHoursFields = {
  weekday: fields.int(1, 7),
  startTime: fields.time(),
  endTime: fields.time(),
  location: fields.text(CONSULTATION.location),
  fromDate: fields.date(),
};

/** Removing and ending weekly hours (`WeeklyHoursChanges`), with the confirm step's fields. */
export const weeklyHoursChangeIntents = {
  removeHours: z.object({ hoursId: fields.id(), ...confirmationFields }),
  endHours: z.object({ hoursId: fields.id(), untilDate: fields.date(), ...confirmationFields }),
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

/** The change's own fields, to send again with the confirmation. */
export function changeOf(intent: string, input: Record<string, unknown>): Record<string, string | number> {
  const change: Record<string, string | number> = { intent };
  for (const [name, value] of Object.entries(input))
    if (name !== "cancel" && name !== "providerOk" && (typeof value === "string" || typeof value === "number")) change[name] = value;
  return change;
}

/** The change's message, and how many bookings went with it (their people are told by mail). */
export function changed(t: Translate, cancelled: number[], message: string) {
  return { ok: true as const, message: cancelled.length ? `${message} ${t("consult.cancelledWithChange", { count: cancelled.length })}` : message };
}

type WeeklyHoursChange = {
  [I in keyof typeof weeklyHoursChangeIntents]: { intent: I; data: z.output<(typeof weeklyHoursChangeIntents)[I]> };
}[keyof typeof weeklyHoursChangeIntents];

/** Removing or ending weekly hours, from staff or from the provider: the bookings agreed to go with them. */
export async function changeWeeklyHours(ctx: AuthorisedContext, change: WeeklyHoursChange) {
  const scope = { stationId: ctx.station.id, actor: ctx.viewer };
  if (change.intent === "removeHours") {
    const done = await removeProviderHours(ctx.db, scope, change.data.hoursId, confirmationOf(change.data));
    return changed(ctx.t, done.cancelled, ctx.t("consult.hoursRemoved"));
  }
  const done = await endProviderHours(ctx.db, scope, change.data.hoursId, change.data.untilDate, confirmationOf(change.data));
  return changed(ctx.t, done.cancelled, ctx.t("consult.hoursEnded", { date: change.data.untilDate }));
}
