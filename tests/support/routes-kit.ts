// Shared by the route-level integration tests (tests/integration/routes-*.test.ts):
// row counts to prove "nothing written", a call wrapper that turns a crash into a 500
// instead of an exception, and the forms a valid request needs.
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../../models/db";
import * as schema from "../../models/db/schema";
import { createActivity } from "../../models/activities";
import { zhCN } from "../../models/i18n/zh-CN";
import { en } from "../../models/i18n/en";
import type { MessageKey } from "../../models/i18n";
import { call, getRequest, postRequest, type RouteResult } from "./requests";
import { taiChiSeries } from "./fixtures";

export const ZONE = "Asia/Shanghai";

export type Handler = Parameters<typeof call>[0];
export type Form = Record<string, string | string[]>;
export type Locale = "zh-CN" | "en";

const tables = {
  activities: schema.activities,
  sessions: schema.sessions,
  categories: schema.categories,
  people: schema.people,
  accounts: schema.accounts,
  audit_log: schema.auditLog,
  auth_sessions: schema.authSessions,
  signups: schema.signups,
  notifications: schema.notifications,
  skills: schema.skills,
  person_skills: schema.personSkills,
  roster_needs: schema.rosterNeeds,
  assignments: schema.assignments,
  manual_hours: schema.manualHours,
  availability: schema.availability,
  blackouts: schema.blackouts,
  consultations: schema.consultations,
  consultation_services: schema.consultationServices,
  consultation_waitlist: schema.consultationWaitlist,
  provider_hours: schema.providerHours,
  provider_hours_changes: schema.providerHoursChanges,
  households: schema.households,
  household_consents: schema.householdConsents,
  call_marks: schema.callMarks,
  sign_in_codes: schema.signInCodes,
  person_consents: schema.personConsents,
  sensitive_views: schema.sensitiveViews,
};
export type TableName = keyof typeof tables;

/** Row counts of the tables a route could write to; compare before/after to prove "nothing written". */
export async function countRows(db: Db, names: readonly TableName[] = Object.keys(tables) as TableName[]) {
  const counts: Partial<Record<TableName, number>> = {};
  for (const name of names) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(tables[name]);
    counts[name] = row!.n;
  }
  return counts;
}

export type Outcome = RouteResult & { error?: unknown };

/**
 * Like `call`, but an error that is not a Response (what Remix would turn into a 500) comes
 * back as status 500 with the error attached, so a table of cases reports it as a failed
 * assertion on the status instead of aborting with a stack trace.
 */
export async function callSafely(handler: Handler, request: Request, params: Record<string, string | undefined> = {}): Promise<Outcome> {
  try {
    return await call(handler, request, params);
  } catch (error) {
    // drizzle wraps the driver's error; its cause holds the PostgreSQL message and code.
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    const detail = cause ? ` [cause: ${cause.code ?? ""} ${cause.message ?? ""}]` : "";
    return { status: 500, headers: new Headers(), body: String(error) + detail, thrown: true, error };
  }
}

/** A route module's loader, called with a GET of `path` as the visitor with `token`. */
export async function loadRoute(mod: { loader?: unknown }, path: string, token?: string, params: Record<string, string> = {}) {
  return callSafely(mod.loader as Handler, await getRequest(path, { token }), params);
}

/** A route module's action, called with `form` POSTed to `path` as the visitor with `token`. */
export async function submitRoute(mod: { action?: unknown }, path: string, form: Form, token?: string, params: Record<string, string> = {}) {
  return callSafely(mod.action as Handler, await postRequest(path, form, { token }), params);
}

/** A case's value, or how to make it from the fixture the test's beforeAll filled. */
export type Lazy<T, F> = T | ((fx: F) => T);
export const resolveLazy = <T, F>(value: Lazy<T, F>, fx: F): T => (typeof value === "function" ? (value as (fx: F) => T)(fx) : value);

/** One request of a table of cases: a GET when it has no body, else a POST. */
export interface RequestCase<F> {
  handler: Handler;
  path: Lazy<string, F>;
  params?: Lazy<Record<string, string>, F>;
  body?: Lazy<Form | string, F>;
  contentType?: string;
  locale?: Locale;
}

/** Sends a case's request as the visitor with `token`, in the case's language, and calls its handler safely. */
export async function sendCase<F>(c: RequestCase<F>, fx: F, token: string | undefined): Promise<Outcome> {
  const options = { token, locale: c.locale, headers: c.contentType ? { "Content-Type": c.contentType } : undefined };
  const path = resolveLazy(c.path, fx);
  const request = c.body === undefined ? await getRequest(path, options) : await postRequest(path, resolveLazy(c.body, fx), options);
  return callSafely(c.handler, request, c.params ? resolveLazy(c.params, fx) : {});
}

/** Every user-facing text in a reply: a Response's text, or a form reply's formError and field errors. */
export function messagesOf(body: unknown): string[] {
  if (typeof body === "string") return [body];
  if (body && typeof body === "object") {
    const reply = body as { formError?: unknown; fieldErrors?: Record<string, unknown> };
    return [reply.formError, ...Object.values(reply.fieldErrors ?? {})].filter((m): m is string => typeof m === "string");
  }
  return [];
}

/**
 * The catalog text for a key, with {params} filled in. Written here rather than taken from
 * the app's translator so a broken translator cannot agree with itself.
 */
export function text(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}) {
  const template = (locale === "en" ? en : zhCN)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A local date in the station's zone, `days` from today. */
export const stationDate = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;

/** The station's next Monday after tomorrow: a week that a daily series fills from its first day, whatever today is. */
export const nextStationMonday = () => {
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 });
  return tomorrow.plus({ days: (8 - tomorrow.weekday) % 7 }).toISODate()!;
};

/** A series form that the editor accepts: weekly on Monday and Wednesday, four times. */
export function validSeriesForm(categoryId: number, overrides: Form = {}): Form {
  return {
    categoryId: String(categoryId),
    title: "八段锦练习",
    description: "",
    location: "驿站活动室",
    leader: "李老师",
    capacity: "20",
    durationMinutes: "60",
    startDate: stationDate(1),
    startTime: "09:00",
    repeat: "weekly",
    interval: "1",
    weekdays: ["MO", "WE"],
    ends: "count",
    count: "4",
    intent: "save",
    ...overrides,
  };
}

/** A one-session edit the session editor accepts. */
export function validSessionForm(overrides: Form = {}): Form {
  return { intent: "save", date: stationDate(10), startTime: "10:00", endTime: "11:30", capacity: "", location: "", ...overrides };
}

/** A weekly activity with future sessions, made through the model (not the routes under test). */
export async function seedSeries(db: Db, ctx: { stationId: number; actorAccountId: number; categoryId: number; startDate?: string }) {
  const activityId = await createActivity(
    db,
    { stationId: ctx.stationId, timeZone: ZONE, actorAccountId: ctx.actorAccountId, horizonDays: 60 },
    taiChiSeries(ctx.categoryId, { startDate: ctx.startDate ?? stationDate(1), rule: { freq: "DAILY", interval: 1, count: 10 } }),
  );
  const [first] = await db
    .select({ id: schema.sessions.id })
    .from(schema.sessions)
    .where(eq(schema.sessions.activityId, activityId))
    .orderBy(schema.sessions.startsAt)
    .limit(1);
  if (!first) throw new Error("seedSeries: the series produced no session");
  return { activityId, sessionId: first.id };
}

/**
 * The body of the guard's 403 on a page: who may open it (restated here, not imported from the
 * guard, so a widened policy cannot pass its own test) and the message in the viewer's language.
 */
export const refusal = (locale: Locale, roles: readonly string[]) => ({ code: "not_allowed", roles, message: text(locale, "error.notAllowed") });
