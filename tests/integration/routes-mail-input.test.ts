// Bad input to the mail pages: the admin's retry, the outbox pages, the unsubscribe link, the
// account page's mail settings and the series editor's reminder fields. Each case ends in its
// exact 4xx with the message in the visitor's language, and writes nothing: no row added or
// removed anywhere, no notification or person changed. A valid request per action at the end
// shows the same checks do see a write. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// An SMTP server is configured here (nothing is sent: no worker runs in these tests), so the
// pages' SMTP side is checked too; its password must never reach a page. The outbox
// directory is an empty temporary one.
const SMTP_PASSWORD = "s3cret-pass";
// Stubbed (and restored after the file), since a test worker's process.env outlives the file.
const outboxRoot = vi.hoisted(() => {
  vi.stubEnv("SMTP_URL", "smtp://mailer:s3cret-pass@mail.example.org:587");
  const dir = process.getBuiltinModule("node:fs").mkdtempSync(`${process.getBuiltinModule("node:os").tmpdir()}/hearth-mail-input-`);
  vi.stubEnv("DATA_DIR", dir);
  return dir;
});
import { asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, countRows, messagesOf, text, validSeriesForm, type Form, type Handler, type Locale, type Outcome } from "../support/routes-kit";
import type { Db } from "../../models/db";
import { activities, notifications, people } from "../../models/db/schema";
import type { MessageKey } from "../../models/i18n";
import * as mailAdmin from "../../app/routes/manage.mail";
import * as outboxList from "../../app/routes/manage.outbox";
import * as outboxMessage from "../../app/routes/manage.outbox_.$id";
import * as outboxEml from "../../app/routes/manage.outbox.$id[.]eml";
import * as unsubscribeRoute from "../../app/routes/unsubscribe.$token";
import * as oneClickRoute from "../../app/routes/unsubscribe.$token.one-click";
import * as account from "../../app/routes/account";
import * as activityNew from "../../app/routes/manage.activities.new";

interface Fixture {
  adminToken: string;
  residentToken: string;
  sentId: number;
  expiredId: number;
  foreignFailedId: number;
  foreignOutboxId: number;
  smtpId: number;
  failedId: number;
  token: string;
  categoryId: number;
}

type Said = { key: MessageKey; params?: Record<string, string | number> };
interface Case {
  name: string;
  handler: Handler;
  request: (fx: Fixture, locale?: Locale) => Promise<Request>;
  params: (fx: Fixture) => Record<string, string>;
  status: number;
  said: Said[];
  locale?: Locale;
}

const MIN = 60_000;
const as = (who: "adminToken" | "residentToken") => (fx: Fixture) => fx[who];
const post =
  (path: string | ((fx: Fixture) => string), form: Form | ((fx: Fixture) => Form), who?: "adminToken" | "residentToken") =>
  async (fx: Fixture, locale?: Locale) =>
    postRequest(typeof path === "string" ? path : path(fx), typeof form === "function" ? form(fx) : form, {
      token: who ? as(who)(fx) : undefined,
      locale,
    });
const get = (path: string | ((fx: Fixture) => string), who?: "adminToken" | "residentToken") => async (fx: Fixture, locale?: Locale) =>
  getRequest(typeof path === "string" ? path : path(fx), { token: who ? as(who)(fx) : undefined, locale });
/** A POST that claims to be multipart but has no boundary: readForm must refuse it with a 400, not crash. */
const notAForm = (path: string | ((fx: Fixture) => string), who?: "adminToken" | "residentToken") => async (fx: Fixture, locale?: Locale) =>
  postRequest(typeof path === "string" ? path : path(fx), '{"intent":"retry"}', {
    token: who ? as(who)(fx) : undefined,
    locale,
    headers: { "Content-Type": "multipart/form-data" },
  });
const noParams = () => ({});
const form = "error.form" as const;
const range = (min: number, max: number): Said => ({ key: "field.range", params: { min, max } });
type MailId = "sentId" | "expiredId" | "foreignFailedId" | "failedId";
/** The admin's Retry of a fixture's mail, or of an id as typed. */
const retry = (id: MailId | { typed: string }) =>
  post("/manage/mail", (fx) => ({ intent: "retry", id: typeof id === "string" ? String(fx[id]) : id.typed }), "adminToken");
/** Cases for one handler with the same route params: each names its request, its status and what it says. */
const casesOn =
  (handler: Handler, params: Case["params"] = noParams) =>
  (name: string, request: Case["request"], status: number, said: Said[], locale?: Locale): Case => ({
    name,
    handler,
    request,
    params,
    status,
    said,
    locale,
  });
const onRetry = casesOn(mailAdmin.action);
const onMailSettings = casesOn(account.action);
const byToken = (fx: Fixture) => ({ token: fx.token });

const CASES: Case[] = [
  // The admin's Retry.
  onRetry("retry: id not a number", retry({ typed: "abc" }), 400, [{ key: form }, { key: "field.number" }]),
  onRetry("retry: id 0", retry({ typed: "0" }), 400, [{ key: form }, range(1, 2_147_483_647)]),
  onRetry(
    "retry: unknown intent",
    post("/manage/mail", (fx) => ({ intent: "delete", id: String(fx.failedId) }), "adminToken"),
    400,
    [{ key: form }, { key: "field.choice" }],
  ),
  onRetry("retry: a sent mail", retry("sentId"), 409, [{ key: "error.notification_not_failed" }]),
  onRetry("retry: a sent mail, in English", retry("sentId"), 409, [{ key: "error.notification_not_failed" }], "en"),
  onRetry("retry: an expired mail", retry("expiredId"), 409, [{ key: "error.notification_expired" }]),
  onRetry("retry: another station's mail", retry("foreignFailedId"), 404, [{ key: "error.not_found" }]),
  onRetry("retry: no such mail", retry({ typed: "99999999" }), 404, [{ key: "error.not_found" }]),
  onRetry("retry: a body that is not a form", notAForm("/manage/mail", "adminToken"), 400, [{ key: "error.badRequest" }]),

  // The outbox pages: anything but this station's outbox mail is "not found".
  ...(["abc", "0", "-1", "1e3", "99999999"] as const).flatMap((id): Case[] => [
    {
      name: `outbox page: id ${id}`,
      handler: outboxMessage.loader,
      request: get(`/manage/outbox/${id}`, "adminToken"),
      params: () => ({ id }),
      status: 404,
      said: [{ key: "error.notFound" }],
    },
    {
      name: `outbox .eml: id ${id}`,
      handler: outboxEml.loader,
      request: get(`/manage/outbox/${id}.eml`, "adminToken"),
      params: () => ({ id }),
      status: 404,
      said: [{ key: "error.notFound" }],
    },
  ]),
  {
    name: "outbox page: another station's mail",
    handler: outboxMessage.loader,
    request: get((fx) => `/manage/outbox/${fx.foreignOutboxId}`, "adminToken"),
    params: (fx) => ({ id: String(fx.foreignOutboxId) }),
    status: 404,
    said: [{ key: "error.notFound" }],
  },
  {
    name: "outbox .eml: a mail sent by SMTP",
    handler: outboxEml.loader,
    request: get((fx) => `/manage/outbox/${fx.smtpId}.eml`, "adminToken"),
    params: (fx) => ({ id: String(fx.smtpId) }),
    status: 404,
    said: [{ key: "error.notFound" }],
  },

  // The unsubscribe link.
  ...(["0".repeat(32), "short", "../../etc", "x".repeat(200)] as const).flatMap((token): Case[] => [
    {
      name: `unsubscribe page: token ${token.slice(0, 12)}`,
      handler: unsubscribeRoute.loader,
      request: get(`/unsubscribe/${encodeURIComponent(token)}`),
      params: () => ({ token }),
      status: 404,
      said: [{ key: "error.notFound" }],
    },
    {
      name: `unsubscribe one-click: token ${token.slice(0, 12)}`,
      handler: unsubscribeRoute.action,
      request: post(`/unsubscribe/${encodeURIComponent(token)}`, { "List-Unsubscribe": "One-Click" }),
      params: () => ({ token }),
      status: 404,
      said: [{ key: "error.notFound" }],
    },
    {
      name: `one-click URL: token ${token.slice(0, 12)}`,
      handler: oneClickRoute.action,
      request: post(`/unsubscribe/${encodeURIComponent(token)}/one-click`, { "List-Unsubscribe": "One-Click" }),
      params: () => ({ token }),
      status: 404,
      said: [{ key: "error.notFound" }],
    },
  ]),
  casesOn(oneClickRoute.action, byToken)(
    "one-click URL: a body other than List-Unsubscribe=One-Click",
    post((fx) => `/unsubscribe/${fx.token}/one-click`, { intent: "unsubscribe" }),
    400,
    [{ key: "error.badRequest" }],
  ),
  casesOn(oneClickRoute.action, byToken)(
    "one-click URL: a body that is not a form",
    notAForm((fx) => `/unsubscribe/${fx.token}/one-click`),
    400,
    [{ key: "error.badRequest" }],
  ),
  casesOn(unsubscribeRoute.action, byToken)(
    "unsubscribe: a POST that is neither the page nor one-click",
    post((fx) => `/unsubscribe/${fx.token}`, { "List-Unsubscribe": "yes" }),
    400,
    [{ key: "error.badRequest" }],
  ),
  casesOn(unsubscribeRoute.action, byToken)(
    "unsubscribe: a body that is not a form",
    notAForm((fx) => `/unsubscribe/${fx.token}`),
    400,
    [{ key: "error.badRequest" }],
  ),

  // The account page's mail settings.
  onMailSettings(
    "mail settings: an unknown group",
    post("/account", { intent: "mail-preferences", receive: ["reminders", "spam"], mailLocale: "zh-CN" }, "residentToken"),
    400,
    [{ key: form }, { key: "field.choice" }],
  ),
  onMailSettings(
    "mail settings: an unknown language",
    post("/account", { intent: "mail-preferences", receive: ["reminders"], mailLocale: "fr" }, "residentToken"),
    400,
    [{ key: form }, { key: "field.choice" }],
  ),
  onMailSettings("mail settings: no language", post("/account", { intent: "mail-preferences", receive: ["reminders"] }, "residentToken"), 400, [
    { key: form },
    { key: "field.choice" },
  ]),
  onMailSettings(
    "mail settings: too many boxes",
    post("/account", { intent: "mail-preferences", receive: Array(8).fill("reminders") as string[], mailLocale: "en" }, "residentToken"),
    400,
    [{ key: form }, { key: "field.tooMany", params: { max: 7 } }],
  ),
  onMailSettings(
    "mail settings: an unknown group, in English",
    post("/account", { intent: "mail-preferences", receive: ["spam"], mailLocale: "en" }, "residentToken"),
    400,
    [{ key: form }, { key: "field.choice" }],
    "en",
  ),

  // The series editor's reminder fields.
  ...(
    [
      ["-5", range(0, 10080)],
      ["10081", range(0, 10080)],
      ["abc", { key: "field.number" }],
    ] as const
  ).map(([minutes, said]): Case => ({
    name: `series: reminder ${minutes} minutes`,
    handler: activityNew.action,
    request: post("/manage/activities/new", (fx) => validSeriesForm(fx.categoryId, { reminderMinutes: minutes }), "adminToken"),
    params: noParams,
    status: 400,
    said: [{ key: form }, said],
  })),
  {
    name: "series: day-of reminder not a tick",
    handler: activityNew.action,
    request: post("/manage/activities/new", (fx) => validSeriesForm(fx.categoryId, { reminderMinutes: "60", remindDayOf: "yes" }), "adminToken"),
    params: noParams,
    status: 400,
    said: [{ key: form }, { key: "field.choice" }],
  },
];

/** Everything a case could change: every row count, every notification, every person's mail settings. */
async function snapshot(db: Db) {
  return {
    counts: await countRows(db),
    notifications: await db.select().from(notifications).orderBy(asc(notifications.id)),
    people: await db.select({ id: people.id, locale: people.locale, optOuts: people.mailOptOuts }).from(people).orderBy(asc(people.id)),
  };
}

afterAll(() => {
  vi.unstubAllEnvs();
  process.getBuiltinModule("node:fs").rmSync(outboxRoot, { recursive: true, force: true });
});

for (const backend of backends) {
  describe(`mail pages' bad input on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const fx = {} as Fixture;

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      const other = await ensureStation(t.db, "elsewhere");
      const admin = await makeAccount(t.db, station.id, ["admin"]);
      const resident = await makeAccount(t.db, station.id, ["resident"], "王秀英");
      const [foreignPerson] = await t.db.insert(people).values({ stationId: other.id, fullName: "别处居民" }).returning({ id: people.id });
      const now = Date.now();
      const base = { kind: "reminder" as const, dueAt: new Date(now - 60 * MIN), expiresAt: new Date(now + 24 * 60 * MIN) };
      const rows = await t.db
        .insert(notifications)
        .values([
          {
            ...base,
            stationId: station.id,
            personId: resident.personId,
            dedupeKey: "in:sent",
            status: "sent",
            sentAt: new Date(),
            transport: "outbox",
          },
          { ...base, stationId: station.id, personId: resident.personId, dedupeKey: "in:expired", status: "failed", expiresAt: new Date(now - MIN) },
          { ...base, stationId: other.id, personId: foreignPerson!.id, dedupeKey: "in:foreign-failed", status: "failed" },
          { ...base, stationId: other.id, personId: foreignPerson!.id, dedupeKey: "in:foreign-outbox", status: "sent", transport: "outbox" },
          { ...base, stationId: station.id, personId: resident.personId, dedupeKey: "in:smtp", status: "sent", transport: "smtp" },
          { ...base, stationId: station.id, personId: resident.personId, dedupeKey: "in:failed", status: "failed" },
        ])
        .returning({ id: notifications.id, token: notifications.unsubscribeToken });
      Object.assign(fx, {
        adminToken: admin.token,
        residentToken: resident.token,
        sentId: rows[0]!.id,
        expiredId: rows[1]!.id,
        foreignFailedId: rows[2]!.id,
        foreignOutboxId: rows[3]!.id,
        smtpId: rows[4]!.id,
        failedId: rows[5]!.id,
        token: rows[0]!.token,
        categoryId: await categoryId(t.db, station.id, "tai-chi"),
      });
    });

    for (const c of CASES) {
      it(`${c.name} -> ${c.status}, nothing written`, async () => {
        const before = await snapshot(t.db);
        const result: Outcome = await callSafely(c.handler, await c.request(fx, c.locale), c.params(fx));
        expect(result.status, String(result.body)).toBe(c.status);
        const said = messagesOf(result.body);
        expect(said.sort()).toEqual(c.said.map((s) => text(c.locale ?? "zh-CN", s.key, s.params)).sort());
        expect(await snapshot(t.db)).toEqual(before);
      });
    }

    it("with SMTP configured: the mail page names the server's host only, the outbox page says it is empty", async () => {
      const mail = await callSafely(mailAdmin.loader, await getRequest("/manage/mail", { token: fx.adminToken }), {});
      expect(mail.status).toBe(200);
      expect((mail.body as { transport: unknown }).transport).toEqual({ kind: "smtp", host: "mail.example.org:587" });
      expect(JSON.stringify(mail.body)).not.toContain(SMTP_PASSWORD);
      const outbox = await callSafely(outboxList.loader, await getRequest("/manage/outbox", { token: fx.adminToken }), {});
      expect(outbox.body).toEqual({ smtp: true, items: [] });
    });

    it("the same checks see a valid request's writes", async () => {
      const before = await snapshot(t.db);
      const retried = await callSafely(mailAdmin.action, await retry("failedId")(fx), {});
      expect(retried.status).toBe(200);
      const saved = await callSafely(
        account.action,
        await post("/account", { intent: "mail-preferences", receive: ["reminders"], mailLocale: "en" }, "residentToken")(fx),
        {},
      );
      expect(saved.status).toBe(200);
      const oneClick = await callSafely(
        oneClickRoute.action,
        await post(`/unsubscribe/${fx.token}/one-click`, { "List-Unsubscribe": "One-Click" })(fx),
        { token: fx.token },
      );
      expect(oneClick.status).toBe(200);
      const series = await callSafely(
        activityNew.action,
        await post("/manage/activities/new", validSeriesForm(fx.categoryId, { reminderMinutes: "120", remindDayOf: "1" }), "adminToken")(fx),
        {},
      );
      expect(series.status).toBe(302);
      const after = await snapshot(t.db);
      expect(after.counts.audit_log).toBeGreaterThan(before.counts.audit_log!);
      expect(after.notifications.find((n) => n.id === fx.failedId)!.status).toBe("pending");
      expect(after.people).not.toEqual(before.people);
      const id = Number(/\/manage\/activities\/(\d+)/.exec(series.headers.get("Location") ?? "")?.[1]);
      const [created] = await t.db
        .select({ reminderMinutes: activities.reminderMinutes, remindDayOf: activities.remindDayOf })
        .from(activities)
        .where(eq(activities.id, id));
      expect(created).toEqual({ reminderMinutes: 120, remindDayOf: true });
    });
  });
}
