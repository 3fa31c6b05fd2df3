import { WEEKDAYS, nextOccurrences, validateRule, type RecurrenceRule } from "#models/recurrence";
import { domainErrorOf } from "#models/errors";
import { isMessageKey } from "~/i18n";
import { seriesSpec, type Activity, type ActivityInput } from "#models/activities";
import { formToObject, parseForm, type FieldErrors } from "./http.server";
import { SERIES_LIST_FIELDS, seriesFormSchema, splitDates, type SeriesForm } from "./series-schema";
import { domainMessage } from "./domain-error.server";
import { dateFormatter } from "./dates.server";
import type { RequestContext } from "./guard.server";

export function toActivityInput(form: SeriesForm): ActivityInput {
  let rule: RecurrenceRule | null = null;
  if (form.repeat !== "none") {
    rule = { freq: form.repeat === "daily" ? "DAILY" : form.repeat === "weekly" ? "WEEKLY" : "MONTHLY", interval: form.interval };
    if (form.repeat === "weekly") rule.byWeekday = WEEKDAYS.filter((d) => form.weekdays.includes(d));
    if (form.repeat === "monthly") {
      if (form.monthlyMode === "byMonthDay") rule.byMonthDay = form.monthDay ?? undefined;
      else rule.byNthWeekday = { nth: Number(form.nth), weekday: form.nthWeekday };
    }
    if (form.ends === "until" && form.until) rule.until = form.until;
    if (form.ends === "count" && form.count !== null) rule.count = form.count;
  }
  return {
    categoryId: form.categoryId,
    title: form.title,
    description: form.description,
    location: form.location,
    leader: form.leader,
    capacity: form.capacity,
    durationMinutes: form.durationMinutes,
    startDate: form.startDate,
    startTime: form.startTime,
    rule,
    exdates: [...new Set(splitDates(form.exdates))].sort(),
    maxPartySize: form.maxPartySize,
    signupOpensDays: form.signupOpensDays,
    signupClosesMinutes: form.signupClosesMinutes,
    cancelDeadlineMinutes: form.cancelDeadlineMinutes,
    // An unticked box sends nothing: with the reminder field present, that means "no".
    ...(form.reminderMinutes !== undefined ? { reminderMinutes: form.reminderMinutes, remindDayOf: form.remindDayOf === "1" } : {}),
  };
}

/** The editor's field values for an existing activity (strings, as the form holds them). */
export function toFormValues(activity: Activity) {
  const rule = activity.rule;
  return {
    categoryId: String(activity.categoryId),
    title: activity.title,
    description: activity.description,
    location: activity.location,
    leader: activity.leader,
    capacity: String(activity.capacity),
    durationMinutes: String(activity.durationMinutes),
    startDate: activity.startDate,
    startTime: activity.startTime,
    repeat: !rule ? "none" : rule.freq === "DAILY" ? "daily" : rule.freq === "WEEKLY" ? "weekly" : "monthly",
    interval: String(rule?.interval ?? 1),
    weekdays: rule?.byWeekday ?? [],
    monthlyMode: rule?.byNthWeekday ? "byNthWeekday" : "byMonthDay",
    monthDay: rule?.byMonthDay !== undefined ? String(rule.byMonthDay) : "",
    nth: String(rule?.byNthWeekday?.nth ?? 1),
    nthWeekday: rule?.byNthWeekday?.weekday ?? "MO",
    ends: rule?.until ? "until" : rule?.count ? "count" : "never",
    until: rule?.until ?? "",
    count: rule?.count ? String(rule.count) : "",
    exdates: activity.exdates.join("\n"),
    maxPartySize: String(activity.maxPartySize),
    signupOpensDays: String(activity.signupOpensDays),
    signupClosesMinutes: String(activity.signupClosesMinutes),
    cancelDeadlineMinutes: String(activity.cancelDeadlineMinutes),
    reminderMinutes: String(activity.reminderMinutes),
    remindDayOf: activity.remindDayOf ? "1" : "",
  };
}

export type SeriesFormValues = ReturnType<typeof toFormValues>;

export const PREVIEW_COUNT = 8;

/** The next sessions a series would give, as text for the editor's preview. */
export function previewOf(ctx: RequestContext, input: ActivityInput): string[] {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  return nextOccurrences(seriesSpec(input, ctx.station.timeZone), new Date(), PREVIEW_COUNT).map((o) => fmt.range(o.startsAt, o.endsAt));
}

/**
 * The series editor's action, shared by "new" and "edit": validates, then either returns a
 * preview (nothing written) or saves through `save` and returns the saved id.
 */
export async function submitSeries(
  ctx: RequestContext,
  formData: FormData,
  save: (input: ActivityInput) => Promise<number>,
): Promise<
  | { ok: true; savedId: number }
  | { ok: true; preview: string[]; values: Record<string, unknown> }
  | { ok: false; status: number; formError: string; fieldErrors: FieldErrors; values: Record<string, unknown> }
> {
  const values = formToObject(formData, SERIES_LIST_FIELDS);
  const parsed = parseForm(formData, seriesFormSchema, ctx.t, SERIES_LIST_FIELDS);
  if (!parsed.ok) return { ok: false, status: 400, formError: ctx.t("error.form"), fieldErrors: parsed.fieldErrors, values };
  const input = toActivityInput(parsed.data);
  const problems = input.rule ? validateRule(input.rule, input.startDate) : [];
  if (problems.length) {
    const fieldErrors: FieldErrors = {};
    for (const code of problems) {
      const key = `rule.${code}`;
      fieldErrors[ruleField[code] ?? "repeat"] = isMessageKey(key) ? ctx.t(key) : ctx.t("error.invalid_series");
    }
    return { ok: false, status: 422, formError: ctx.t("error.invalid_series"), fieldErrors, values };
  }
  if (formData.get("intent") === "preview") return { ok: true, preview: previewOf(ctx, input), values };
  try {
    return { ok: true, savedId: await save(input) };
  } catch (error) {
    // A series moved onto someone's other commitments is refused by the ledger: a 409 too.
    const domain = domainErrorOf(error);
    if (!domain) throw error;
    return { ok: false, status: domain.status, formError: domainMessage(domain, ctx.t), fieldErrors: {}, values };
  }
}

// Where in the form each rule problem is shown.
const ruleField: Record<string, string> = {
  interval: "interval",
  count_and_until: "count",
  until_before_start: "until",
  by_month_day: "monthDay",
  nth: "nth",
  count: "count",
};
