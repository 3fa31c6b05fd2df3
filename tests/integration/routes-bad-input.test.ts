// Hostile and clumsy input, at the route level: every action gets malformed, oversized,
// wrong-typed and unknown-id payloads, every loader gets bad params and query strings.
// Each case must end in a 4xx (never a 5xx, never a thrown non-Response error), carry a
// message from the visitor's catalog (zh-CN by default, English when chosen), and write
// nothing. The happy paths at the end prove the "nothing written" checks can fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount, TEST_PASSWORD } from "../support/fixtures";
import { getRequest, postRequest } from "../support/requests";
import {
  callSafely,
  countRows,
  messagesOf,
  seedSeries,
  stationDate,
  resolveLazy,
  sendCase,
  text,
  validSeriesForm,
  validSessionForm,
  type Form,
  type Handler,
  type Lazy as LazyOf,
  type Locale,
  type Outcome,
} from "../support/routes-kit";
import { getSessionAccountId } from "../../models/auth";
import { LIMITS } from "../../models/rate-limits";
import { activities, categories } from "../../models/db/schema";
import { zhCN } from "../../models/i18n/zh-CN";
import { en } from "../../models/i18n/en";
import type { MessageKey } from "../../models/i18n";

import * as calendarLayout from "../../app/routes/calendar";
import * as calendarMonth from "../../app/routes/calendar._index";
import * as calendarWeek from "../../app/routes/calendar.week";
import * as calendarList from "../../app/routes/calendar.list";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import * as preferences from "../../app/routes/preferences";
import * as register from "../../app/routes/register";
import * as sessionPage from "../../app/routes/sessions.$id";
import * as activityNew from "../../app/routes/manage.activities.new";
import * as activityEdit from "../../app/routes/manage.activities.$id";
import * as sessionEdit from "../../app/routes/manage.sessions.$id";
import * as categoriesAdmin from "../../app/routes/manage.categories";

interface Fixture {
  categoryId: number;
  activityId: number;
  sessionId: number;
  /** The same things in another station: they exist, but not for this station's routes. */
  foreignCategoryId: number;
  foreignActivityId: number;
  foreignSessionId: number;
  residentEmail: string;
}
type Lazy<T> = LazyOf<T, Fixture>;
const resolve = <T>(value: Lazy<T>, fx: Fixture): T => resolveLazy(value, fx);

type Params = Record<string, string | number>;
/** What the reply must say, in the visitor's language. */
type Said =
  | { text: MessageKey; params?: Params } // a thrown Response whose body is this text
  | { form: MessageKey; params?: Params; field?: [name: string, key: MessageKey, params?: Params] } // a form reply
  | { anyCatalogText: true }; // some message of the catalog (where the right wording is the app's call)

interface Case {
  name: string;
  handler: Handler;
  path: Lazy<string>;
  params?: Lazy<Record<string, string>>;
  /** Absent for loaders (GET); a form or a raw string for actions (POST). */
  body?: Lazy<Form | string>;
  contentType?: string;
  as?: "coordinator" | "admin";
  locale?: Locale;
  status: number | "4xx";
  says: Said;
}

// ---------------------------------------------------------------- the cases

const JSON_BODY = JSON.stringify({ title: "x", capacity: 5 });
const NUL = "\u0000";
const LONG = "长".repeat(5000);
const THIS_YEAR = new Date().getFullYear();
const formError = (field: string, key: MessageKey, params?: Params): Said => ({ form: "error.form", field: [field, key, params] });
const badRequest: Said = { text: "error.badRequest" };
const notFound: Said = { text: "error.notFound" };

// Known app bugs, reported to the maintainers; each marked case flips to a plain `it` once fixed.

// A body that is not a form at all: JSON declared as JSON, and bytes declared as a multipart
// form without a boundary. Both must be a 400, not a parser crash.
function notAForm(name: string, handler: Handler, path: Lazy<string>, as?: Case["as"], params?: Case["params"]): Case[] {
  return [
    { name: `${name}: JSON body`, handler, path, params, as, body: JSON_BODY, contentType: "application/json", status: 400, says: badRequest },
    {
      name: `${name}: garbage multipart`,
      handler,
      path,
      params,
      as,
      body: "\u0001\u0002--garbage",
      contentType: "multipart/form-data",
      status: 400,
      says: badRequest,
    },
  ];
}

const newSeries = (name: string, overrides: Form, status: number | "4xx", says: Said, extra: Partial<Case> = {}): Case => ({
  name: `new activity: ${name}`,
  handler: activityNew.action as Handler,
  path: "/manage/activities/new",
  as: "coordinator",
  body: (fx) => validSeriesForm(fx.categoryId, overrides),
  status,
  says,
  ...extra,
});

const editSeries = (name: string, id: Lazy<string>, overrides: Form, status: number, says: Said, extra: Partial<Case> = {}): Case => ({
  name: `edit activity: ${name}`,
  handler: activityEdit.action as Handler,
  path: (fx) => `/manage/activities/${resolve(id, fx)}`,
  params: (fx) => ({ id: resolve(id, fx) }),
  as: "coordinator",
  body: (fx) => validSeriesForm(fx.categoryId, overrides),
  status,
  says,
  ...extra,
});

const editSession = (name: string, id: Lazy<string>, overrides: Form, status: number | "4xx", says: Said, extra: Partial<Case> = {}): Case => ({
  name: `edit session: ${name}`,
  handler: sessionEdit.action as Handler,
  path: (fx) => `/manage/sessions/${resolve(id, fx)}`,
  params: (fx) => ({ id: resolve(id, fx) }),
  as: "coordinator",
  body: validSessionForm(overrides),
  status,
  says,
  ...extra,
});

const VALID_CATEGORY: Form = { slug: "yoga", nameZh: "瑜伽", nameEn: "Yoga", color: "#336699" };
const newCategory = (name: string, overrides: Form, status: number | "4xx", says: Said, extra: Partial<Case> = {}): Case => ({
  name: `new category: ${name}`,
  handler: categoriesAdmin.action as Handler,
  path: "/manage/categories",
  as: "admin",
  body: { ...VALID_CATEGORY, ...overrides },
  status,
  says,
  ...extra,
});

const VALID_REGISTRATION: Form = {
  fullName: "王小明",
  email: "new.resident@test.example",
  phone: "",
  birthYear: "1950",
  password: "a good long password",
};
const registration = (name: string, overrides: Lazy<Form>, status: number | "4xx", says: Said, extra: Partial<Case> = {}): Case => ({
  name: `register: ${name}`,
  handler: register.action as Handler,
  path: "/register",
  body: (fx) => ({ ...VALID_REGISTRATION, ...resolve(overrides, fx) }),
  status,
  says,
  ...extra,
});

const signIn = (name: string, form: Lazy<Form>, status: number, says: Said, extra: Partial<Case> = {}): Case => ({
  name: `login: ${name}`,
  handler: login.action as Handler,
  path: "/login",
  body: form,
  status,
  says,
  ...extra,
});

const page = (name: string, handler: unknown, path: Lazy<string>, status: number, says: Said, extra: Partial<Case> = {}): Case => ({
  name: `page ${name}`,
  handler: handler as Handler,
  path,
  status,
  says,
  ...extra,
});
const sessionPageFor = (id: Lazy<string>, extra: Partial<Case> = {}) =>
  page(
    `/sessions/${typeof id === "string" ? JSON.stringify(id) : "(fixture)"}`,
    sessionPage.loader,
    (fx) => `/sessions/${encodeURIComponent(resolve(id, fx))}`,
    404,
    notFound,
    {
      params: (fx) => ({ id: resolve(id, fx) }),
      ...extra,
    },
  );

const CASES: Case[] = [
  // --- bodies that are not forms, for every action that reads one
  ...notAForm("login", login.action as Handler, "/login"),
  ...notAForm("register", register.action as Handler, "/register"),
  ...notAForm("preferences", preferences.action as Handler, "/preferences"),
  ...notAForm("new activity", activityNew.action as Handler, "/manage/activities/new", "coordinator"),
  ...notAForm(
    "edit activity",
    activityEdit.action as Handler,
    (fx) => `/manage/activities/${fx.activityId}`,
    "coordinator",
    (fx) => ({ id: String(fx.activityId) }),
  ),
  ...notAForm(
    "edit session",
    sessionEdit.action as Handler,
    (fx) => `/manage/sessions/${fx.sessionId}`,
    "coordinator",
    (fx) => ({ id: String(fx.sessionId) }),
  ),
  ...notAForm("new category", categoriesAdmin.action as Handler, "/manage/categories", "admin"),
  // JSON sent as if it were a form parses into one nonsense field: every real field is missing.
  {
    name: "new activity: JSON text with a form content type",
    handler: activityNew.action as Handler,
    path: "/manage/activities/new",
    as: "coordinator",
    body: JSON_BODY,
    status: 400,
    says: formError("title", "field.required"),
  },
  {
    name: "new category: JSON body, English visitor",
    handler: categoriesAdmin.action as Handler,
    path: "/manage/categories",
    as: "admin",
    locale: "en",
    body: JSON_BODY,
    contentType: "application/json",
    status: 400,
    says: badRequest,
  },

  // --- the series editor (new)
  newSeries("capacity 'abc'", { capacity: "abc" }, 400, formError("capacity", "field.number")),
  newSeries("capacity '12.5'", { capacity: "12.5" }, 400, formError("capacity", "field.number")),
  newSeries("capacity '1e3'", { capacity: "1e3" }, 400, formError("capacity", "field.number")),
  newSeries("capacity -5", { capacity: "-5" }, 400, formError("capacity", "field.range", { min: 0, max: 10000 })),
  newSeries("capacity 100000", { capacity: "100000" }, 400, formError("capacity", "field.range", { min: 0, max: 10000 })),
  newSeries("capacity of 11 digits", { capacity: "99999999999" }, 400, formError("capacity", "field.number")),
  newSeries("durationMinutes 0", { durationMinutes: "0" }, 400, formError("durationMinutes", "field.range", { min: 5, max: 1440 })),
  newSeries("a 5,000-character title", { title: LONG }, 400, formError("title", "field.tooLong", { max: 120 })),
  newSeries("a title of spaces only", { title: "   " }, 400, formError("title", "field.required")),
  newSeries(
    "a 5,000-character description over its 2,000 limit",
    { description: "字".repeat(5000) },
    400,
    formError("description", "field.tooLong", { max: 2000 }),
  ),
  newSeries("weekly with no weekdays", { weekdays: [] }, 400, formError("weekdays", "field.weekdays")),
  newSeries("weekday 'XX'", { weekdays: ["MO", "XX"] }, 400, formError("weekdays", "field.choice")),
  newSeries("repeat 'yearly'", { repeat: "yearly" }, 400, formError("repeat", "field.choice")),
  newSeries("interval 0", { interval: "0" }, 400, formError("interval", "field.range", { min: 1, max: 99 })),
  newSeries(
    "monthDay 32",
    { repeat: "monthly", monthlyMode: "byMonthDay", monthDay: "32" },
    400,
    formError("monthDay", "field.range", { min: -1, max: 31 }),
  ),
  newSeries("monthDay 0", { repeat: "monthly", monthlyMode: "byMonthDay", monthDay: "0" }, 400, formError("monthDay", "rule.by_month_day")),
  newSeries("nth '6'", { repeat: "monthly", monthlyMode: "byNthWeekday", nth: "6" }, 400, formError("nth", "field.choice")),
  newSeries("startDate 2026-02-30", { startDate: "2026-02-30" }, 400, formError("startDate", "field.date")),
  newSeries("startDate in year 1999", { startDate: "1999-12-31" }, 400, formError("startDate", "field.date")),
  newSeries("startTime 25:00", { startTime: "25:00" }, 400, formError("startTime", "field.time")),
  newSeries("ends 'until' without a date", { ends: "until", until: "" }, 400, formError("until", "field.date")),
  newSeries("ends 'until' on 2026-02-30", { ends: "until", until: "2026-02-30" }, 400, formError("until", "field.date")),
  newSeries("ends 'count' with count 0", { ends: "count", count: "0" }, 400, formError("count", "field.range", { min: 1, max: 1000 })),
  newSeries("an exception date 2026-02-30", { exdates: "2026-12-25\n2026-02-30" }, 400, formError("exdates", "field.date")),
  newSeries("until before the start", { ends: "until", count: "", until: stationDate(0), startDate: stationDate(3) }, 422, {
    form: "error.invalid_series",
    field: ["until", "rule.until_before_start"],
  }),
  newSeries("categoryId 'abc'", { categoryId: "abc" }, 400, formError("categoryId", "field.number")),
  newSeries("unknown categoryId 999999", { categoryId: "999999" }, 404, { form: "error.not_found" }),
  newSeries("another station's category", {}, 404, { form: "error.not_found" }, { body: (fx) => validSeriesForm(fx.foreignCategoryId) }),
  newSeries("capacity 'abc', English visitor", { capacity: "abc" }, 400, formError("capacity", "field.number"), { locale: "en" }),
  newSeries(
    "until before the start, English visitor",
    { ends: "until", count: "", until: stationDate(0), startDate: stationDate(3) },
    422,
    { form: "error.invalid_series" },
    { locale: "en" },
  ),
  // The list itself too long: refused, but with a message about numbers whose {min} is blank.
  newSeries("weekdays sent 8 times", { weekdays: Array(8).fill("MO") }, 400, { anyCatalogText: true }),
  // PostgreSQL cannot store U+0000 in text; the route must refuse it, not let the insert fail.
  newSeries("a NUL character in the title", { title: `太极${NUL}拳` }, "4xx", { anyCatalogText: true }),

  // --- the series editor (edit)
  editSeries("unknown id 999999", "999999", {}, 404, { form: "error.not_found" }),
  editSeries("unknown id, English visitor", "999999", {}, 404, { form: "error.not_found" }, { locale: "en" }),
  editSeries("another station's activity", (fx) => String(fx.foreignActivityId), {}, 404, { form: "error.not_found" }),
  editSeries("id 'abc'", "abc", {}, 404, notFound),
  editSeries("id 0", "0", {}, 404, notFound),
  editSeries("id -1", "-1", {}, 404, notFound),
  editSeries("id of 11 digits", "99999999999", {}, 404, notFound),
  editSeries("id past the int range", "2147483648", {}, 404, notFound),
  editSeries("capacity -5", (fx) => String(fx.activityId), { capacity: "-5" }, 400, formError("capacity", "field.range", { min: 0, max: 10000 })),
  editSeries("weekly with no weekdays", (fx) => String(fx.activityId), { weekdays: [] }, 400, formError("weekdays", "field.weekdays")),
  editSeries("unknown categoryId 999999", (fx) => String(fx.activityId), { categoryId: "999999" }, 404, { form: "error.not_found" }),

  // --- one session
  editSession("unknown id 999999", "999999", {}, 404, notFound),
  editSession("unknown id, English visitor", "999999", {}, 404, notFound, { locale: "en" }),
  editSession("another station's session", (fx) => String(fx.foreignSessionId), {}, 404, notFound),
  editSession("id 'abc'", "abc", {}, 404, notFound),
  editSession("id -1", "-1", {}, 404, notFound),
  editSession("no intent", (fx) => String(fx.sessionId), { intent: [] }, 400, formError("intent", "field.choice")),
  editSession("intent 'delete'", (fx) => String(fx.sessionId), { intent: "delete" }, 400, formError("intent", "field.choice")),
  editSession("date 2026-02-30", (fx) => String(fx.sessionId), { date: "2026-02-30" }, 400, formError("date", "field.date")),
  editSession("startTime 25:00", (fx) => String(fx.sessionId), { startTime: "25:00" }, 400, formError("startTime", "field.time")),
  editSession("endTime '9am'", (fx) => String(fx.sessionId), { endTime: "9am" }, 400, formError("endTime", "field.time")),
  editSession("capacity 'abc'", (fx) => String(fx.sessionId), { capacity: "abc" }, 400, formError("capacity", "field.number")),
  editSession("capacity -5", (fx) => String(fx.sessionId), { capacity: "-5" }, 400, formError("capacity", "field.range", { min: 0, max: 10000 })),
  editSession(
    "capacity 100000",
    (fx) => String(fx.sessionId),
    { capacity: "100000" },
    400,
    formError("capacity", "field.range", { min: 0, max: 10000 }),
  ),
  editSession(
    "a 5,000-character location",
    (fx) => String(fx.sessionId),
    { location: LONG },
    400,
    formError("location", "field.tooLong", { max: 120 }),
  ),
  editSession("capacity 'abc', English visitor", (fx) => String(fx.sessionId), { capacity: "abc" }, 400, formError("capacity", "field.number"), {
    locale: "en",
  }),
  editSession("a NUL character in the location", (fx) => String(fx.sessionId), { location: `活动室${NUL}` }, "4xx", { anyCatalogText: true }),

  // --- categories
  newCategory("slug 'BAD SLUG'", { slug: "BAD SLUG" }, 400, formError("slug", "field.slug")),
  newCategory("slug of 41 characters", { slug: "a".repeat(41) }, 400, formError("slug", "field.slug")),
  newCategory("a slug already taken", { slug: "tai-chi" }, 409, { form: "error.category_slug_taken" }),
  newCategory("a slug already taken, English visitor", { slug: "tai-chi" }, 409, { form: "error.category_slug_taken" }, { locale: "en" }),
  newCategory("colour 'red'", { color: "red" }, 400, formError("color", "field.color")),
  newCategory("a 5,000-character Chinese name", { nameZh: LONG }, 400, formError("nameZh", "field.tooLong", { max: 40 })),
  newCategory("no English name", { nameEn: "" }, 400, formError("nameEn", "field.required")),
  newCategory("a NUL character in the name", { nameZh: `瑜${NUL}伽` }, "4xx", { anyCatalogText: true }),

  // --- registration
  registration("a bad email", { email: "not-an-email" }, 400, formError("email", "field.email")),
  registration("a 7-character password", { password: "short12" }, 400, formError("password", "field.password")),
  registration("a 201-character password", { password: "p".repeat(201) }, 400, formError("password", "field.password")),
  registration("a 5,000-character name", { fullName: LONG }, 400, formError("fullName", "field.tooLong", { max: 100 })),
  registration("birth year 1800", { birthYear: "1800" }, 400, formError("birthYear", "field.range", { min: 1900, max: THIS_YEAR })),
  registration("birth year 'abc'", { birthYear: "abc" }, 400, formError("birthYear", "field.number")),
  registration("phone 'call me'", { phone: "call me" }, 400, formError("phone", "field.mobile")),
  registration("a landline as the phone", { phone: "0598-1234567" }, 400, formError("phone", "field.mobile")),
  registration("neither phone nor email", { phone: "", email: "" }, 400, formError("phone", "error.sign_in_name_required")),
  // A taken email is not refused: it gets the same answer as a new one (see "register writes …" below).
  registration("a bad email, English visitor", { email: "not-an-email" }, 400, formError("email", "field.email"), { locale: "en" }),
  registration("a NUL character in the name", { fullName: `王${NUL}小明`, email: "nul.name@test.example" }, "4xx", { anyCatalogText: true }),

  // --- sign-in (the wrong-password cases count toward the limits; the rate limit has its own test)
  signIn("a bad email", { login: "nobody@", password: "whatever" }, 400, formError("login", "field.signInName")),
  signIn("a landline, not a mobile number", { login: "0598-1234567", password: "whatever" }, 400, formError("login", "field.signInName")),
  signIn("no password", (fx) => ({ login: fx.residentEmail, password: "" }), 400, formError("password", "field.required")),
  signIn(
    "a 5,000-character password",
    (fx) => ({ login: fx.residentEmail, password: "p".repeat(5000) }),
    400,
    formError("password", "field.tooLong", { max: 200 }),
  ),
  signIn("a 600-character redirectTo", (fx) => ({ login: fx.residentEmail, password: TEST_PASSWORD, redirectTo: "/" + "a".repeat(600) }), 400, {
    form: "error.form",
  }),
  signIn("the wrong password", (fx) => ({ login: fx.residentEmail, password: "not the password" }), 401, { form: "error.invalid_credentials" }),
  signIn(
    "the wrong password, English visitor",
    (fx) => ({ login: fx.residentEmail, password: "not the password" }),
    401,
    { form: "error.invalid_credentials" },
    { locale: "en" },
  ),

  // --- loaders: bad route params
  sessionPageFor("abc"),
  sessionPageFor("0"),
  sessionPageFor("-1"),
  sessionPageFor("99999999999"),
  sessionPageFor("2147483648"),
  sessionPageFor("1.5"),
  sessionPageFor("1e3"),
  sessionPageFor("01"),
  sessionPageFor("999999"),
  sessionPageFor((fx) => String(fx.foreignSessionId)),
  sessionPageFor("abc", { locale: "en" }),
  page("edit activity: unknown id", activityEdit.loader, "/manage/activities/999999", 404, notFound, { as: "coordinator", params: { id: "999999" } }),
  page("edit activity: id 'abc'", activityEdit.loader, "/manage/activities/abc", 404, notFound, { as: "coordinator", params: { id: "abc" } }),
  page("edit activity: another station's", activityEdit.loader, (fx) => `/manage/activities/${fx.foreignActivityId}`, 404, notFound, {
    as: "coordinator",
    params: (fx) => ({ id: String(fx.foreignActivityId) }),
  }),
  page("edit session: unknown id", sessionEdit.loader, "/manage/sessions/999999", 404, notFound, { as: "coordinator", params: { id: "999999" } }),
  page("edit session: id '-1'", sessionEdit.loader, "/manage/sessions/-1", 404, notFound, { as: "coordinator", params: { id: "-1" } }),

  // --- loaders: bad query strings
  page("month 2026-13", calendarMonth.loader, "/calendar?month=2026-13", 400, badRequest),
  page("month <script>", calendarMonth.loader, `/calendar?month=${encodeURIComponent("<script>alert(1)</script>")}`, 400, badRequest),
  page("month 1999-12", calendarMonth.loader, "/calendar?month=1999-12", 400, badRequest),
  page("month 2026-13, English visitor", calendarMonth.loader, "/calendar?month=2026-13", 400, badRequest, { locale: "en" }),
  page("week 2026-02-30", calendarWeek.loader, "/calendar/week?date=2026-02-30", 400, badRequest),
  page("week 'tomorrow'", calendarWeek.loader, "/calendar/week?date=tomorrow", 400, badRequest),
  page("week 2026-02-30, English visitor", calendarWeek.loader, "/calendar/week?date=2026-02-30", 400, badRequest, { locale: "en" }),
  page("layout ?category=nope", calendarLayout.loader, "/calendar?category=nope", 404, notFound),
  page("month ?category=nope", calendarMonth.loader, "/calendar?category=nope", 404, notFound),
  page("week ?category=nope", calendarWeek.loader, "/calendar/week?category=nope", 404, notFound),
  page("list ?category=nope", calendarList.loader, "/calendar/list?category=nope", 404, notFound),
  page("list ?category=BAD SLUG", calendarList.loader, "/calendar/list?category=BAD%20SLUG", 404, notFound),
  page("list ?category=nope, English visitor", calendarList.loader, "/calendar/list?category=nope", 404, notFound, { locale: "en" }),
];

// ---------------------------------------------------------------- checks

const TEMPLATES = { "zh-CN": Object.values(zhCN), en: Object.values(en) };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whether a message is a text of this locale's catalog (placeholders filled with anything). */
const inCatalog = (locale: Locale, message: string) =>
  TEMPLATES[locale].some((template) => new RegExp(`^${escape(template).replace(/\\\{\w+\\\}/g, "\\S.*?")}$`).test(message));

function expectSaid(result: Outcome, locale: Locale, says: Said) {
  if ("text" in says) {
    expect(result.body).toBe(text(locale, says.text, says.params));
  } else if ("form" in says) {
    expect(result.body).toMatchObject({ ok: false, formError: text(locale, says.form, says.params) });
    if (says.field) {
      const [field, key, params] = says.field;
      expect((result.body as { fieldErrors: Record<string, string> }).fieldErrors[field]).toBe(text(locale, key, params));
    }
  } else {
    const messages = messagesOf(result.body);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(inCatalog(locale, message), message).toBe(true);
  }
}

for (const backend of backends) {
  describe(`bad input to routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const fx = {} as Fixture;
    const tokens = {} as Record<"coordinator" | "admin", string>;
    let stationId = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeAccount(t.db, stationId, ["coordinator"]);
      tokens.coordinator = coordinator.token;
      tokens.admin = (await makeAccount(t.db, stationId, ["admin"])).token;
      fx.residentEmail = (await makeAccount(t.db, stationId, ["resident"])).email;
      fx.categoryId = await categoryId(t.db, stationId, "tai-chi");
      Object.assign(fx, await seedSeries(t.db, { stationId, actorAccountId: coordinator.accountId, categoryId: fx.categoryId }));
      // Another station with its own categories and series: real ids this station must not reach.
      const other = await ensureStation(t.db, "elsewhere");
      const [foreignCategory] = await t.db
        .select({ id: categories.id })
        .from(categories)
        .where(and(eq(categories.stationId, other.id), eq(categories.slug, "tai-chi")));
      fx.foreignCategoryId = foreignCategory!.id;
      const foreign = await seedSeries(t.db, { stationId: other.id, actorAccountId: coordinator.accountId, categoryId: fx.foreignCategoryId });
      fx.foreignActivityId = foreign.activityId;
      fx.foreignSessionId = foreign.sessionId;
    });

    const run = (c: Case) => sendCase(c, fx, c.as ? tokens[c.as] : undefined);

    for (const c of CASES) {
      it(`${c.name} → ${c.status}`, async () => {
        const before = await countRows(t.db);
        const result = await run(c);
        // A crash shows up as status 500 with the error text as the message of this assertion.
        expect(result.status, `body: ${String(typeof result.body === "string" ? result.body : JSON.stringify(result.body))}`).toSatisfy(
          (s: number) => (c.status === "4xx" ? s >= 400 && s < 500 : s === c.status),
        );
        expectSaid(result, c.locale ?? "zh-CN", c.says);
        // What the visitor typed is never echoed into an error text.
        for (const message of messagesOf(result.body)) {
          expect(message).not.toContain("<script>");
          expect(message).not.toContain(NUL);
        }
        expect(await countRows(t.db)).toEqual(before);
      });
    }

    it("refuses sign-in from one address after five attempts at one email, naming the minutes (429)", async () => {
      const { email } = await makeAccount(t.db, stationId, ["resident"]);
      const attempt = async (password: string, locale?: Locale) =>
        callSafely(login.action as Handler, await postRequest("/login", { login: email, password }, { locale }));
      for (let i = 0; i < LIMITS.signInPair.points; i++) expect((await attempt("wrong password")).status).toBe(401);
      const minutes = LIMITS.signInPair.duration / 60;
      const before = await countRows(t.db);
      const locked = await attempt("wrong password");
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ formError: text("zh-CN", "error.too_many_attempts", { minutes }) });
      expect((locked.body as { formError: string }).formError).toContain(String(minutes));
      // The right password does not get through the lock either, and no session is started.
      const rightButLocked = await attempt(TEST_PASSWORD, "en");
      expect(rightButLocked.status).toBe(429);
      expect(rightButLocked.body).toMatchObject({ formError: `Too many attempts. Please try again in ${minutes} minutes.` });
      expect(await countRows(t.db)).toEqual(before);
    });

    describe("input the routes resolve rather than refuse", () => {
      it("sign-out ignores a body it never reads, and an unknown token", async () => {
        const before = await countRows(t.db);
        const result = await callSafely(
          logout.action as Handler,
          await postRequest("/logout", JSON_BODY, { token: "not-a-session", headers: { "Content-Type": "application/json" } }),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/calendar");
        expect(await countRows(t.db)).toEqual(before);
      });

      it("preferences: an unknown language keeps the current one; an off-site redirectTo goes home", async () => {
        const result = await callSafely(
          preferences.action as Handler,
          await postRequest("/preferences", { locale: "xx", largeText: "maybe", redirectTo: "//evil.example" }, { locale: "en" }),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/calendar");
        const cookie = decodeURIComponent(/hearth_prefs=([^;]*)/.exec(result.headers.get("Set-Cookie") ?? "")![1]!);
        expect(JSON.parse(Buffer.from(cookie, "base64").toString())).toEqual({ locale: "en", largeText: false });
      });

      it("login: an off-site redirectTo goes to the calendar instead", async () => {
        const { email } = await makeAccount(t.db, stationId, ["resident"]);
        const result = await callSafely(
          login.action as Handler,
          await postRequest("/login", { login: email, password: TEST_PASSWORD, redirectTo: "//evil.example/x" }),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/calendar");
      });

      it("garbage cookies make an anonymous visitor in Chinese, not an error", async () => {
        const result = await callSafely(
          calendarLayout.loader as Handler,
          await getRequest("/calendar", { headers: { Cookie: "hearth_prefs=%%%garbage; hearth_session=%E0%A4%A" } }),
        );
        expect(result.status).toBe(200);
        expect((result.body as { categories: { slug: string; name: string }[] }).categories).toContainEqual(
          expect.objectContaining({ slug: "tai-chi", name: "太极拳" }),
        );
      });

      // The form's "ends" select decides between a last date and a count; the other field is
      // ignored, so "count and until" cannot reach the model's count_and_until check. What
      // must hold is that the stored rule never carries both.
      it("a series with both count and until keeps only the one 'ends' chose", async () => {
        const result = await callSafely(
          activityNew.action as Handler,
          await postRequest("/manage/activities/new", validSeriesForm(fx.categoryId, { ends: "until", until: stationDate(20), count: "4" }), {
            token: tokens.coordinator,
          }),
        );
        expect(result.status).toBe(302);
        const id = Number(/\/manage\/activities\/(\d+)/.exec(result.headers.get("Location") ?? "")![1]);
        const [row] = await t.db.select({ rrule: activities.rrule }).from(activities).where(eq(activities.id, id));
        expect(row!.rrule).toMatch(/UNTIL=/);
        expect(row!.rrule).not.toMatch(/COUNT=/);
      });
    });

    // One valid request per action: the same counts the cases above hold still do move here.
    describe("happy paths write", () => {
      it("new activity: a preview writes nothing, a save writes the series", async () => {
        const form = validSeriesForm(fx.categoryId);
        const before = await countRows(t.db);
        const preview = await callSafely(
          activityNew.action as Handler,
          await postRequest("/manage/activities/new", { ...form, intent: "preview" }, { token: tokens.coordinator }),
        );
        expect(preview.status).toBe(200);
        expect((preview.body as { preview: string[] }).preview).toHaveLength(4);
        expect(await countRows(t.db)).toEqual(before);
        const saved = await callSafely(
          activityNew.action as Handler,
          await postRequest("/manage/activities/new", form, { token: tokens.coordinator }),
        );
        expect(saved.status).toBe(302);
        const after = await countRows(t.db);
        expect(after.activities).toBe(before.activities! + 1);
        expect(after.sessions).toBe(before.sessions! + 4);
        expect(after.audit_log).toBe(before.audit_log! + 1);
      });

      it("edit activity writes an audit row", async () => {
        const before = await countRows(t.db);
        const form = validSeriesForm(fx.categoryId, {
          title: "太极拳晨练",
          repeat: "daily",
          weekdays: [],
          count: "10",
          startTime: "07:30",
          capacity: "25",
        });
        const result = await callSafely(
          activityEdit.action as Handler,
          await postRequest(`/manage/activities/${fx.activityId}`, form, { token: tokens.coordinator }),
          { id: String(fx.activityId) },
        );
        expect(result.status).toBe(302);
        expect((await countRows(t.db)).audit_log).toBe(before.audit_log! + 1);
      });

      it("edit session writes an audit row", async () => {
        const before = await countRows(t.db);
        const result = await callSafely(
          sessionEdit.action as Handler,
          await postRequest(`/manage/sessions/${fx.sessionId}`, validSessionForm(), { token: tokens.coordinator }),
          { id: String(fx.sessionId) },
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe(`/sessions/${fx.sessionId}`);
        expect((await countRows(t.db)).audit_log).toBe(before.audit_log! + 1);
      });

      it("new category writes the category and an audit row", async () => {
        const before = await countRows(t.db);
        const result = await callSafely(
          categoriesAdmin.action as Handler,
          await postRequest("/manage/categories", VALID_CATEGORY, { token: tokens.admin }),
        );
        expect(result.status).toBe(302);
        const after = await countRows(t.db);
        expect(after.categories).toBe(before.categories! + 1);
        expect(after.audit_log).toBe(before.audit_log! + 1);
      });

      it("register writes a person, an account and a welcome mail; a taken email gets the same answer and only a mail to its owner", async () => {
        const before = await countRows(t.db);
        const result = await callSafely(register.action as Handler, await postRequest("/register", VALID_REGISTRATION));
        expect(result.status).toBe(200);
        // No session: the answer must not differ from the one for a taken address.
        expect(result.headers.get("Set-Cookie")).toBeNull();
        const after = await countRows(t.db);
        expect(after.people).toBe(before.people! + 1);
        expect(after.accounts).toBe(before.accounts! + 1);
        expect(after.auth_sessions).toBe(before.auth_sessions);
        expect(after.notifications).toBe(before.notifications! + 1);
        const again = await callSafely(
          register.action as Handler,
          await postRequest("/register", { ...VALID_REGISTRATION, fullName: "别人", password: "another password 1" }),
        );
        expect({ status: again.status, body: again.body, cookie: again.headers.get("Set-Cookie") }).toEqual({
          status: result.status,
          body: result.body,
          cookie: null,
        });
        const last = await countRows(t.db);
        expect(last).toEqual({ ...after, notifications: after.notifications! + 1 });
      });

      it("login starts a session", async () => {
        const before = await countRows(t.db);
        const result = await callSafely(
          login.action as Handler,
          await postRequest("/login", { login: fx.residentEmail, password: TEST_PASSWORD, redirectTo: "/calendar/week" }),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/calendar/week");
        expect((await countRows(t.db)).auth_sessions).toBe(before.auth_sessions! + 1);
      });

      it("logout revokes the session it is given", async () => {
        const { token } = await makeAccount(t.db, stationId, ["resident"]);
        expect(await getSessionAccountId(t.db, token)).not.toBeNull();
        const result = await callSafely(logout.action as Handler, await postRequest("/logout", {}, { token }));
        expect(result.status).toBe(302);
        expect(await getSessionAccountId(t.db, token)).toBeNull();
      });

      it("preferences sets the language cookie", async () => {
        const result = await callSafely(
          preferences.action as Handler,
          await postRequest("/preferences", { locale: "en", largeText: "true", redirectTo: "/calendar/list" }),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/calendar/list");
        const cookie = decodeURIComponent(/hearth_prefs=([^;]*)/.exec(result.headers.get("Set-Cookie") ?? "")![1]!);
        expect(JSON.parse(Buffer.from(cookie, "base64").toString())).toEqual({ locale: "en", largeText: true });
      });
    });
  });
}
