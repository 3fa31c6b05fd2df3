import { z } from "zod";
import { createActivity, listActivities } from "#models/activities";
import { WEEKDAYS, validateRule, type Weekday } from "#models/recurrence";
import { isMessageKey } from "~/i18n";
import { getConfig } from "#models/config";
import {
  ACTIVITY_DEFAULTS,
  CANCEL_DEADLINE_MINUTES,
  CAPACITY,
  DURATION_MINUTES,
  MAX_EXDATES,
  PARTY_SIZE,
  REMINDER_MINUTES,
  RULE_COUNT,
  RULE_INTERVAL,
  SIGNUP_CLOSES_MINUTES,
  SIGNUP_OPENS_DAYS,
  TEXT,
} from "#models/limits";
import { apiJson, apiRoute, authorizeApi, readJson, STAFF } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { ActivityCreated, request as named, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]]);

const ruleSchema = named(
  "RecurrenceRule",
  z.strictObject({
    freq: z.enum(["DAILY", "WEEKLY", "MONTHLY"]),
    interval: json.int(RULE_INTERVAL.min, RULE_INTERVAL.max).default(1),
    byWeekday: z.array(weekday).min(1).max(7).optional(),
    byMonthDay: z
      .int()
      .refine((n) => n === -1 || (n >= 1 && n <= 31), "rule.by_month_day")
      .optional(),
    byNthWeekday: z.strictObject({ nth: z.int().refine((n) => n === -1 || (n >= 1 && n <= 5), "rule.nth"), weekday }).optional(),
    count: json.int(RULE_COUNT.min, RULE_COUNT.max).optional(),
    until: json.date().meta({ description: "local date, inclusive" }).optional(),
  }),
  "A subset of RFC 5545 RRULE; count and until exclude each other.",
);

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

const bodySchema = named(
  "NewActivity",
  z
    .strictObject({
      categoryId: json.id(),
      title: json.text(TEXT.title),
      description: json.optionalText(TEXT.description).default(""),
      location: json.optionalText(TEXT.location).default(""),
      leader: json.optionalText(TEXT.leader).default(""),
      capacity: json.int(CAPACITY.min, CAPACITY.max),
      durationMinutes: json.int(DURATION_MINUTES.min, DURATION_MINUTES.max),
      startDate: json.date(),
      startTime: json.time(),
      rule: ruleSchema.nullable().default(null),
      exdates: z.array(json.date()).max(MAX_EXDATES).default([]),
      maxPartySize: json
        .int(PARTY_SIZE.min, PARTY_SIZE.max)
        .meta({ description: `default ${ACTIVITY_DEFAULTS.maxPartySize}` })
        .optional(),
      signupOpensDays: json.int(SIGNUP_OPENS_DAYS.min, SIGNUP_OPENS_DAYS.max).optional(),
      signupClosesMinutes: json.int(SIGNUP_CLOSES_MINUTES.min, SIGNUP_CLOSES_MINUTES.max).optional(),
      cancelDeadlineMinutes: json.int(CANCEL_DEADLINE_MINUTES.min, CANCEL_DEADLINE_MINUTES.max).optional(),
      // Mail: the reminder this many minutes before the start (0 = none), and the one on the
      // morning of the day. Left out, the station's defaults apply.
      reminderMinutes: json
        .int(REMINDER_MINUTES.min, REMINDER_MINUTES.max)
        .meta({ description: "mail a reminder this many minutes before the start; 0: none (default 1440)" })
        .optional(),
      remindDayOf: z.boolean().meta({ description: "also mail a reminder on the morning of the day (default false)" }).optional(),
    })
    .superRefine((input, ctx) => {
      if (!input.rule) return;
      for (const code of validateRule(input.rule, input.startDate)) {
        const key = `rule.${code}`;
        ctx.addIssue({ code: "custom", path: (ruleField[code] ?? "rule").split("."), message: isMessageKey(key) ? key : "error.invalid_series" });
      }
    }),
);

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

export const spec: RouteSpec = {
  operations: {
    POST: {
      operationId: "createActivity",
      tags: ["staff"],
      summary: "Create a one-off session (rule null) or a recurring series (coordinators, admins)",
      body: bodySchema,
      responses: {
        201: ["The activity and how many upcoming sessions it has", ActivityCreated],
        ...BODY_REFUSALS,
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
      },
    },
  },
};
