import { z } from "zod";
import { WEEKDAYS, type Weekday } from "#models/recurrence";
import {
  ACTIVITY_DEFAULTS,
  CANCEL_DEADLINE_MINUTES,
  CAPACITY,
  DURATION_MINUTES,
  PARTY_SIZE,
  REMINDER_MINUTES,
  RULE_COUNT,
  RULE_INTERVAL,
  SIGNUP_CLOSES_MINUTES,
  SIGNUP_OPENS_DAYS,
  TEXT,
} from "#models/limits";
import { fields } from "./fields";

/**
 * The series editor's schema (new and edit), apart from its action so that the editor's
 * inputs read their HTML constraints from it (ADR 17).
 */
const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]], "field.choice");

export const seriesFormSchema = z
  .object({
    categoryId: fields.id(),
    title: fields.text(TEXT.title),
    description: fields.optionalText(TEXT.description),
    location: fields.optionalText(TEXT.location),
    leader: fields.optionalText(TEXT.leader),
    capacity: fields.int(CAPACITY.min, CAPACITY.max),
    durationMinutes: fields.int(DURATION_MINUTES.min, DURATION_MINUTES.max),
    startDate: fields.date(),
    startTime: fields.time(),
    repeat: z.enum(["none", "daily", "weekly", "monthly"], "field.choice"),
    interval: fields.int(RULE_INTERVAL.min, RULE_INTERVAL.max).default(1),
    weekdays: z.array(weekday).max(7).default([]),
    monthlyMode: z.enum(["byMonthDay", "byNthWeekday"], "field.choice").default("byMonthDay"),
    monthDay: fields.optionalInt(-1, 31).default(null),
    nth: z.enum(["1", "2", "3", "4", "5", "-1"], "field.choice").default("1"),
    nthWeekday: weekday.default("MO"),
    ends: z.enum(["never", "until", "count"], "field.choice").default("never"),
    until: z.union([z.literal(""), fields.date()]).default(""),
    count: fields.optionalInt(RULE_COUNT.min, RULE_COUNT.max).default(null),
    exdates: z.string().max(4000).default(""),
    maxPartySize: fields.int(PARTY_SIZE.min, PARTY_SIZE.max).default(ACTIVITY_DEFAULTS.maxPartySize),
    signupOpensDays: fields.int(SIGNUP_OPENS_DAYS.min, SIGNUP_OPENS_DAYS.max).default(ACTIVITY_DEFAULTS.signupOpensDays),
    signupClosesMinutes: fields.int(SIGNUP_CLOSES_MINUTES.min, SIGNUP_CLOSES_MINUTES.max).default(ACTIVITY_DEFAULTS.signupClosesMinutes),
    cancelDeadlineMinutes: fields.int(CANCEL_DEADLINE_MINUTES.min, CANCEL_DEADLINE_MINUTES.max).default(ACTIVITY_DEFAULTS.cancelDeadlineMinutes),
    // Absent (an older client, a hand-made form): the activity keeps its reminder settings.
    reminderMinutes: fields.int(REMINDER_MINUTES.min, REMINDER_MINUTES.max).optional(),
    remindDayOf: z.enum(["1"], "field.choice").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.repeat === "weekly" && v.weekdays.length === 0) ctx.addIssue({ code: "custom", path: ["weekdays"], message: "field.weekdays" });
    if (v.repeat === "monthly" && v.monthlyMode === "byMonthDay" && (v.monthDay === null || v.monthDay === 0)) {
      ctx.addIssue({ code: "custom", path: ["monthDay"], message: "rule.by_month_day" });
    }
    if (v.repeat !== "none" && v.ends === "until" && !v.until) ctx.addIssue({ code: "custom", path: ["until"], message: "field.date" });
    if (v.repeat !== "none" && v.ends === "count" && v.count === null) ctx.addIssue({ code: "custom", path: ["count"], message: "rule.count" });
    for (const d of splitDates(v.exdates)) {
      if (!fields.date().safeParse(d).success) {
        ctx.addIssue({ code: "custom", path: ["exdates"], message: "field.date" });
        break;
      }
    }
  });

export type SeriesForm = z.output<typeof seriesFormSchema>;
export const SERIES_LIST_FIELDS = ["weekdays"] as const;

/** The exception dates as typed: one a line, or separated by commas or semicolons (Chinese ones too). */
export function splitDates(text: string) {
  return text.split(/[\s,，;；]+/).filter(Boolean);
}
