import { redirect } from "@remix-run/node";
import { z } from "zod";
import {
  addBlackout,
  AvailabilityOverlap,
  listAvailability,
  listBlackouts,
  removeBlackout,
  setWeeklyAvailability,
  type AvailabilitySlot,
} from "#models/rosters/availability";
import type { MessageKey, Translate } from "~/i18n";
import type { AuthorisedContext } from "~/lib/guard.server";
import { dateFormatter } from "~/lib/dates.server";
import { domainFormError, fields, formError, formToObject, parseForm, type FieldErrors } from "~/lib/http.server";

const CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
/** "星期一" / "Monday" for weekday 1 … 7. */
export const weekdayName = (t: Translate, weekday: number) => t(`weekdayLong.${CODES[weekday - 1] ?? "MO"}` as MessageKey);

// The form shows each day's windows plus one empty row; more rows than this is a forged form.
const MAX_ROWS = 60;
const START = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/** The page: the week, one block per weekday with its windows; blackouts from today on. */
export async function availabilityView(ctx: AuthorisedContext, personId: number, now = new Date()) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const today = fmt.localDate(now);
  const [slots, blackouts] = await Promise.all([
    listAvailability(ctx.db, ctx.station.id, personId),
    listBlackouts(ctx.db, ctx.station.id, personId, { from: today }),
  ]);
  return {
    today,
    days: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      name: weekdayName(ctx.t, weekday),
      windows: slots.filter((s) => s.weekday === weekday).map((s) => ({ startTime: s.startTime, endTime: s.endTime })),
    })),
    blackouts: blackouts.map((b) => ({
      id: b.id,
      label: b.fromDate === b.toDate ? fmt.dayOfDate(b.fromDate) : `${fmt.dayOfDate(b.fromDate)} – ${fmt.dayOfDate(b.toDate)}`,
    })),
  };
}

/**
 * The week form posts parallel lists (weekday[], start[], end[]), one entry per row. Rows left
 * empty are skipped; a half-filled or malformed row is a field error on that row (400); the
 * model then refuses overlaps (422, naming the day). Nothing is written unless all pass.
 */
export function parseAvailabilityRows(
  formData: FormData,
  t: Translate,
): { ok: true; slots: AvailabilitySlot[] } | { ok: false; fieldErrors: FieldErrors } {
  const values = formToObject(formData, ["weekday", "start", "end"]) as { weekday?: string[]; start?: string[]; end?: string[] };
  const weekdays = values.weekday ?? [];
  const starts = values.start ?? [];
  const ends = values.end ?? [];
  if (weekdays.length !== starts.length || starts.length !== ends.length || weekdays.length > MAX_ROWS) {
    return { ok: false, fieldErrors: { _form: t("error.badRequest") } };
  }
  const fieldErrors: FieldErrors = {};
  const slots: AvailabilitySlot[] = [];
  weekdays.forEach((day, i) => {
    const startTime = starts[i]!.trim();
    const endTime = ends[i]!.trim();
    if (!/^[1-7]$/.test(day.trim())) {
      fieldErrors[`weekday.${i}`] = t("field.choice");
      return;
    }
    if (!startTime && !endTime) return;
    if (!startTime || !endTime) fieldErrors[`start.${i}`] = t("availability.pairMissing");
    else if (!START.test(startTime)) fieldErrors[`start.${i}`] = t("field.time");
    else if (!END.test(endTime)) fieldErrors[`end.${i}`] = t("field.time");
    else if (endTime <= startTime) fieldErrors[`end.${i}`] = t("availability.endAfterStart");
    else slots.push({ weekday: Number(day), startTime, endTime });
  });
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, slots };
}

const intentSchema = z.object({ intent: z.enum(["week", "add-blackout", "remove-blackout"], "field.choice") });
const blackoutSchema = z.object({ fromDate: fields.date(), toDate: fields.date() });
const removeSchema = z.object({ blackoutId: fields.id() });

/** The three forms of the availability page, each for `personId` (the model checks own-or-staff). */
export async function availabilityAction(ctx: AuthorisedContext, formData: FormData, personId: number, back: string) {
  const rosterCtx = { stationId: ctx.station.id, actor: ctx.viewer };
  const intent = parseForm(formData, intentSchema, ctx.t);
  if (!intent.ok) return formError(400, ctx.t("error.form"), intent.fieldErrors);
  try {
    switch (intent.data.intent) {
      case "week": {
        const week = parseAvailabilityRows(formData, ctx.t);
        if (!week.ok) return formError(400, week.fieldErrors._form ?? ctx.t("error.form"), week.fieldErrors);
        await setWeeklyAvailability(ctx.db, rosterCtx, personId, week.slots);
        return redirect(`${back}?done=week`);
      }
      case "add-blackout": {
        const parsed = parseForm(formData, blackoutSchema, ctx.t);
        if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
        await addBlackout(ctx.db, rosterCtx, { personId, ...parsed.data });
        return redirect(`${back}?done=added`);
      }
      case "remove-blackout": {
        const parsed = parseForm(formData, removeSchema, ctx.t);
        if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors);
        await removeBlackout(ctx.db, rosterCtx, parsed.data.blackoutId, { personId });
        return redirect(`${back}?done=removed`);
      }
    }
  } catch (error) {
    if (error instanceof AvailabilityOverlap) return formError(422, ctx.t("error.availability_overlap", { day: weekdayName(ctx.t, error.weekday) }));
    return domainFormError(error, ctx.t);
  }
}
