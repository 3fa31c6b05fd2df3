import { z } from "zod";
import { createActivity, listActivities } from "#models/activities";
import { WEEKDAYS, validateRule, type Weekday } from "#models/recurrence";
import { isMessageKey } from "~/i18n";
import { getConfig } from "#models/config";
import { MAX_REMINDER_MINUTES } from "#models/notifications/timing";
import { apiJson, apiRoute, authorizeApi, json, readJson, STAFF } from "~/lib/api.server";

const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]]);

const ruleSchema = z.strictObject({
  freq: z.enum(["DAILY", "WEEKLY", "MONTHLY"]),
  interval: json.int(1, 99).default(1),
  byWeekday: z.array(weekday).min(1).max(7).optional(),
  byMonthDay: z
    .int()
    .refine((n) => n === -1 || (n >= 1 && n <= 31), "rule.by_month_day")
    .optional(),
  byNthWeekday: z.strictObject({ nth: z.int().refine((n) => n === -1 || (n >= 1 && n <= 5), "rule.nth"), weekday }).optional(),
  count: json.int(1, 1000).optional(),
  until: json.date().optional(),
});

// Where each problem from validateRule is reported.
const ruleField: Record<string, string> = {
  freq: "rule.freq",
  interval: "rule.interval",
  count: "rule.count",
  until: "rule.until",
  count_and_until: "rule.count",
  by_weekday: "rule.byWeekday",
  by_month_day: "rule.byMonthDay",
  monthly_pattern: "rule.byMonthDay",
  nth: "rule.byNthWeekday",
  until_before_start: "rule.until",
  start_date: "startDate",
};

const bodySchema = z
  .strictObject({
    categoryId: json.id(),
    title: json.text(120),
    description: json.optionalText(2000).default(""),
    location: json.optionalText(120).default(""),
    leader: json.optionalText(60).default(""),
    capacity: json.int(0, 10000),
    durationMinutes: json.int(5, 1440),
    startDate: json.date(),
    startTime: json.time(),
    rule: ruleSchema.nullable().default(null),
    exdates: z.array(json.date()).max(366).default([]),
    maxPartySize: json.int(1, 10).optional(),
    signupOpensDays: json.int(0, 365).optional(),
    signupClosesMinutes: json.int(0, 10080).optional(),
    cancelDeadlineMinutes: json.int(0, 10080).optional(),
    // Mail: the reminder this many minutes before the start (0 = none), and the one on the
    // morning of the day. Left out, the station's defaults apply.
    reminderMinutes: json.int(0, MAX_REMINDER_MINUTES).optional(),
    remindDayOf: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.rule) return;
    for (const code of validateRule(input.rule, input.startDate)) {
      const key = `rule.${code}`;
      ctx.addIssue({ code: "custom", path: (ruleField[code] ?? "rule").split("."), message: isMessageKey(key) ? key : "error.invalid_series" });
    }
  });

/** Staff create a one-off session or a recurring series; its sessions are made at once. */
const route = apiRoute({
  POST: async ({ request }) => {
    const ctx = await authorizeApi(request, STAFF);
    const { exdates, ...input } = await readJson(request, bodySchema, ctx.t);
    const activityCtx = {
      stationId: ctx.station.id,
      timeZone: ctx.station.timeZone,
      actorAccountId: ctx.viewer.accountId,
      horizonDays: getConfig().CALENDAR_HORIZON_DAYS,
    };
    const id = await createActivity(ctx.db, activityCtx, { ...input, exdates: [...new Set(exdates)].sort() });
    const created = (await listActivities(ctx.db, ctx.station.id)).find((a) => a.id === id);
    return apiJson({ id, sessions: created?.upcomingSessions ?? 0 }, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
