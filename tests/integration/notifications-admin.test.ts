// The mail pages' models (counts, list, retry, outbox reading; preferences and unsubscribe)
// and the routes around them, on both backends. Outbox files go to a temporary DATA_DIR.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import nodemailer from "nodemailer";

const dataDir = vi.hoisted(() => {
  // Before any module reads the config: the routes find the outbox under this directory.
  // Hoisted above the imports, so the built-ins are reached without them.
  const fsm = process.getBuiltinModule("node:fs");
  const dir = fsm.mkdtempSync(`${process.getBuiltinModule("node:os").tmpdir()}/hearth-outbox-`);
  // Stubbed (and restored after the file), since a test worker's process.env outlives the file.
  vi.stubEnv("DATA_DIR", dir);
  vi.stubEnv("SMTP_URL", undefined);
  return dir as string;
});

import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { getRequest, postRequest, call } from "../support/requests";
import { countRows, seedSeries, text, validSeriesForm } from "../support/routes-kit";
import { activities, auditLog, notifications, people } from "../../models/db/schema";
import type { Db } from "../../models/db";
import {
  listNotifications,
  listOutbox,
  notificationCounts,
  NotificationExpired,
  NotificationNotFailed,
  readOutboxMessage,
  retryNotification,
} from "../../models/notifications/admin";
import { mailPreferences, setMailOptOuts, unsubscribe, unsubscribeInfo, InvalidMailKind } from "../../models/notifications/preferences";
import { outboxFile } from "../../models/notifications/outbox";
import { NotFound } from "../../models/errors";
import * as mailAdmin from "../../app/routes/manage.mail";
import * as outboxList from "../../app/routes/manage.outbox";
import * as outboxMessage from "../../app/routes/manage.outbox_.$id";
import * as outboxEml from "../../app/routes/manage.outbox.$id[.]eml";
import * as unsubscribeRoute from "../../app/routes/unsubscribe.$token";
import * as account from "../../app/routes/account";
import * as activityEdit from "../../app/routes/manage.activities.$id";

const config = { dataDir };
const MIN = 60_000;
let seq = 0;

afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type NewMail = Partial<typeof notifications.$inferInsert> & { stationId: number; personId: number };
async function mail(db: Db, row: NewMail) {
  const now = Date.now();
  const [inserted] = await db
    .insert(notifications)
    .values({ kind: "reminder", dedupeKey: `t:${++seq}`, dueAt: new Date(now - 60 * MIN), expiresAt: new Date(now + 24 * 60 * MIN), ...row })
    .returning({ id: notifications.id, token: notifications.unsubscribeToken });
  return inserted!;
}

const rowOf = async (db: Db, id: number) => (await db.select().from(notifications).where(eq(notifications.id, id)))[0]!;
const optOutsOf = async (db: Db, personId: number) => (await db.select({ o: people.mailOptOuts }).from(people).where(eq(people.id, personId)))[0]!.o;

/** A mail as the outbox transport writes it: text, an .ics part, the unsubscribe headers. */
async function writeEml(id: number, to: string) {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const info = await composer.sendMail({
    from: "家庭健康驿站 <no-reply@hearth.localhost>",
    to,
    subject: "报名成功：太极拳晨练",
    messageId: `<n${id}@hearth.localhost>`,
    text: "您已报名：太极拳晨练\n12月2日 07:30",
    headers: { "List-Unsubscribe": `<http://localhost:3000/unsubscribe/tok${id}/one-click>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    icalEvent: {
      method: "REQUEST",
      content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:s1@hearth\r\nSUMMARY:太极拳晨练\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    },
  });
  fs.mkdirSync(path.dirname(outboxFile(config, id)), { recursive: true });
  fs.writeFileSync(outboxFile(config, id), info.message as Buffer);
}

for (const backend of backends) {
  describe(`mail admin and preferences on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let otherStationId = 0;
    let admin: Awaited<ReturnType<typeof makeAccount>>;
    let resident: Awaited<ReturnType<typeof makeAccount>>;
    let otherPerson = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      otherStationId = (await ensureStation(t.db, `other-${backend.name}`)).id;
      admin = await makeAccount(t.db, stationId, ["admin"]);
      resident = await makeAccount(t.db, stationId, ["resident"], "王秀英");
      [{ id: otherPerson }] = (await t.db
        .insert(people)
        .values({ stationId: otherStationId, fullName: "别处居民" })
        .returning({ id: people.id })) as [{ id: number }];
    });

    describe("counts and list", () => {
      it("counts by status, and pending mail due over 5 minutes ago as due-but-unsent, for this station only", async () => {
        const db = t.db;
        const now = new Date();
        const before = await notificationCounts(db, stationId, now);
        const p = resident.personId;
        await mail(db, { stationId, personId: p, status: "pending", dueAt: new Date(now.getTime() - 6 * MIN) });
        await mail(db, { stationId, personId: p, status: "pending", dueAt: new Date(now.getTime() - 4 * MIN) });
        await mail(db, { stationId, personId: p, status: "pending", dueAt: new Date(now.getTime() + 60 * MIN) });
        await mail(db, { stationId, personId: p, status: "sent", sentAt: now });
        await mail(db, { stationId, personId: p, status: "failed" });
        await mail(db, { stationId, personId: p, status: "skipped" });
        await mail(db, { stationId, personId: p, status: "cancelled" });
        await mail(db, { stationId: otherStationId, personId: otherPerson, status: "pending", dueAt: new Date(now.getTime() - 60 * MIN) });
        const after = await notificationCounts(db, stationId, now);
        expect({
          pending: after.pending - before.pending,
          dueUnsent: after.dueUnsent - before.dueUnsent,
          sent: after.sent - before.sent,
          failed: after.failed - before.failed,
          skipped: after.skipped - before.skipped,
          cancelled: after.cancelled - before.cancelled,
        }).toEqual({ pending: 3, dueUnsent: 1, sent: 1, failed: 1, skipped: 1, cancelled: 1 });
      });

      it("lists newest first, by status, pages by id, and never carries the payload", async () => {
        const ids = [];
        for (let i = 0; i < 3; i++)
          ids.push((await mail(t.db, { stationId, personId: resident.personId, status: "failed", payload: { secret: "x" } })).id);
        await mail(t.db, { stationId: otherStationId, personId: otherPerson, status: "failed" });
        const failed = await listNotifications(t.db, stationId, { status: "failed", limit: 2 });
        expect(failed.map((r) => r.id)).toEqual([ids[2], ids[1]]);
        expect(Object.keys(failed[0]!).sort()).toEqual([
          "attempts",
          "dueAt",
          "id",
          "kind",
          "lastError",
          "recipient",
          "sentAt",
          "status",
          "subject",
          "transport",
        ]);
        const next = await listNotifications(t.db, stationId, { status: "failed", limit: 2, before: ids[1] });
        expect(next[0]!.id).toBe(ids[0]);
        const all = await listNotifications(t.db, stationId, { limit: 500 });
        expect(all.every((r) => r.id !== undefined)).toBe(true);
        const [other] = await t.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.stationId, otherStationId));
        expect(all.map((r) => r.id)).not.toContain(other!.id);
      });
    });

    describe("retry", () => {
      const ctx = () => ({ stationId, actorAccountId: admin.accountId });

      it("puts a failed mail back to pending, due now, attempts 0, with an audit row", async () => {
        const { id } = await mail(t.db, {
          stationId,
          personId: resident.personId,
          status: "failed",
          attempts: 5,
          lastError: "550 mailbox unavailable",
        });
        const now = new Date();
        await retryNotification(t.db, ctx(), id, now);
        const row = await rowOf(t.db, id);
        expect(row).toMatchObject({ status: "pending", attempts: 0, dueAt: now });
        const audits = await t.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, "notification.retry"), eq(auditLog.targetId, id)));
        expect(audits).toHaveLength(1);
        expect(audits[0]!.actorAccountId).toBe(admin.accountId);
      });

      it("refuses a mail that is not failed, an expired one, and another station's, changing nothing", async () => {
        const sent = await mail(t.db, { stationId, personId: resident.personId, status: "sent" });
        const expired = await mail(t.db, { stationId, personId: resident.personId, status: "failed", expiresAt: new Date(Date.now() - MIN) });
        const other = await mail(t.db, { stationId: otherStationId, personId: otherPerson, status: "failed" });
        const before = await countRows(t.db, ["audit_log"]);
        const rows = await Promise.all([sent.id, expired.id, other.id].map((id) => rowOf(t.db, id)));
        await expect(retryNotification(t.db, ctx(), sent.id)).rejects.toBeInstanceOf(NotificationNotFailed);
        await expect(retryNotification(t.db, ctx(), expired.id)).rejects.toBeInstanceOf(NotificationExpired);
        await expect(retryNotification(t.db, ctx(), other.id)).rejects.toBeInstanceOf(NotFound);
        expect(await Promise.all([sent.id, expired.id, other.id].map((id) => rowOf(t.db, id)))).toEqual(rows);
        expect(await countRows(t.db, ["audit_log"])).toEqual(before);
      });

      it("the Retry button on the mail page re-queues the mail", async () => {
        const { id } = await mail(t.db, { stationId, personId: resident.personId, status: "failed", attempts: 3, subject: "活动提醒" });
        const page = await call(mailAdmin.loader, await getRequest("/manage/mail", { token: admin.token }));
        const body = page.body as { failed: { id: number }[]; transport: { kind: string } };
        expect(body.failed.map((r) => r.id)).toContain(id);
        expect(body.transport.kind).toBe("outbox");
        const result = await call(mailAdmin.action, await postRequest("/manage/mail", { intent: "retry", id: String(id) }, { token: admin.token }));
        expect(result.status).toBe(200);
        expect(result.body).toEqual({ ok: true, retried: id });
        expect((await rowOf(t.db, id)).status).toBe("pending");
      });
    });

    /** A sent mail of `kind` about a person, to them or to whoever booked for them. */
    const sentMail = (kind: NonNullable<NewMail["kind"]>, personId: number, recipientPersonId = personId) =>
      mail(t.db, { stationId, personId, recipientPersonId, kind, status: "sent" });

    describe("outbox", () => {
      const sentToOutbox = (subject: string, sentAt = new Date()) =>
        mail(t.db, { stationId, personId: resident.personId, status: "sent", transport: "outbox", sentAt, recipient: resident.email, subject });

      it("lists outbox mail newest first with whether its file is there, and reads one back", async () => {
        const older = await sentToOutbox("旧", new Date(Date.now() - 10 * MIN));
        const newer = await sentToOutbox("报名成功：太极拳晨练");
        await mail(t.db, { stationId, personId: resident.personId, status: "sent", transport: "smtp", sentAt: new Date() });
        await writeEml(newer.id, resident.email);
        const list = await listOutbox(t.db, config, stationId);
        const mine = list.filter((m) => m.id === older.id || m.id === newer.id);
        expect(mine.map((m) => [m.id, m.fileExists])).toEqual([
          [newer.id, true],
          [older.id, false],
        ]);
        const message = await readOutboxMessage(t.db, config, stationId, newer.id);
        expect(message).toMatchObject({
          subject: "报名成功：太极拳晨练",
          to: resident.email,
          messageId: `<n${newer.id}@hearth.localhost>`,
          listUnsubscribe: `<http://localhost:3000/unsubscribe/tok${newer.id}/one-click>`,
          listUnsubscribePost: "List-Unsubscribe=One-Click",
        });
        expect(message!.from).toContain("no-reply@hearth.localhost");
        expect(message!.text).toContain("您已报名：太极拳晨练");
        expect(message!.calendar).toContain("SUMMARY:太极拳晨练");
        // Another station's admin cannot read it, even knowing the id.
        expect(await readOutboxMessage(t.db, config, otherStationId, newer.id)).toBeUndefined();
        expect(await readOutboxMessage(t.db, config, stationId, older.id)).toBeUndefined();
      });

      it("the pages show the list, the message and the raw .eml", async () => {
        const { id } = await sentToOutbox("报名成功：太极拳晨练");
        await writeEml(id, resident.email);
        const list = await call(outboxList.loader, await getRequest("/manage/outbox", { token: admin.token }));
        expect(
          (list.body as { smtp: boolean; items: { id: number; subject: string; fileExists: boolean }[] }).items.find((m) => m.id === id),
        ).toMatchObject({ subject: "报名成功：太极拳晨练", fileExists: true });
        const page = await call(outboxMessage.loader, await getRequest(`/manage/outbox/${id}`, { token: admin.token }), { id: String(id) });
        expect(page.status).toBe(200);
        expect(page.body).toMatchObject({
          id,
          subject: "报名成功：太极拳晨练",
          listUnsubscribe: `<http://localhost:3000/unsubscribe/tok${id}/one-click>`,
        });
        expect((page.body as { calendar: string }).calendar).toContain("BEGIN:VCALENDAR");
        const eml = await call(outboxEml.loader, await getRequest(`/manage/outbox/${id}.eml`, { token: admin.token }), { id: String(id) });
        expect(eml.status).toBe(200);
        expect(eml.headers.get("Content-Type")).toBe("message/rfc822");
        expect(eml.body).toBe(fs.readFileSync(outboxFile(config, id), "utf8"));
      });
    });

    describe("preferences", () => {
      it("stops and resumes kinds and sets the mail language, audited; refuses unknown kinds as a whole", async () => {
        const ctx = { stationId, actorAccountId: resident.accountId };
        expect(await mailPreferences(t.db, resident.personId)).toMatchObject({ locale: "zh-CN", optOuts: [] });
        await setMailOptOuts(t.db, ctx, resident.personId, { stop: ["reminder", "reminder_day_of"] }, { locale: "en" });
        expect(await mailPreferences(t.db, resident.personId)).toEqual({
          locale: "en",
          optOuts: ["reminder", "reminder_day_of"],
          receiving: ["confirmations", "waitlist", "changes", "staffCancel", "shifts"],
        });
        const audits = await countRows(t.db, ["audit_log"]);
        await expect(setMailOptOuts(t.db, ctx, resident.personId, { stop: ["reminder"], resume: ["spam"] })).rejects.toBeInstanceOf(InvalidMailKind);
        await expect(setMailOptOuts(t.db, ctx, otherPerson, { stop: ["reminder"] })).rejects.toBeInstanceOf(NotFound);
        expect(await optOutsOf(t.db, resident.personId)).toEqual(["reminder", "reminder_day_of"]);
        expect(await optOutsOf(t.db, otherPerson)).toEqual([]);
        expect(await countRows(t.db, ["audit_log"])).toEqual(audits);
        // Resuming takes kinds away and leaves the rest.
        await setMailOptOuts(t.db, ctx, resident.personId, { stop: [], resume: ["reminder_day_of"] });
        expect(await optOutsOf(t.db, resident.personId)).toEqual(["reminder"]);
        await setMailOptOuts(t.db, ctx, resident.personId, { stop: [], resume: ["reminder"] }, { locale: "zh-CN" });
        expect(await optOutsOf(t.db, resident.personId)).toEqual([]);
      });

      it("the account page saves the boxes it shows; a resident is not shown the shift mails' box, and it stays as it was", async () => {
        const person = await makeAccount(t.db, stationId, ["resident"], "居民");
        const shown = async () =>
          ((await call(account.loader, await getRequest("/account", { token: person.token }))).body as { mail: unknown }).mail;
        expect(await shown()).toMatchObject({ groups: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel"] });
        // Unticked (not shown) does not stop them; a forged tick does not touch them either.
        const form = { intent: "mail-preferences", receive: ["confirmations", "waitlist", "changes", "staffCancel"], mailLocale: "en" };
        const result = await call(account.action, await postRequest("/account", form, { token: person.token }));
        expect(result.status).toBe(200);
        expect(result.body).toEqual({ ok: true, mailSaved: true });
        expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder", "reminder_day_of"]);
        await call(account.action, await postRequest("/account", { ...form, receive: [...form.receive, "shifts"] }, { token: person.token }));
        expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder", "reminder_day_of"]);
        await t.db
          .update(people)
          .set({ mailOptOuts: ["reminder", "reminder_day_of", "shift_assigned", "shift_cancelled", "shift_changed", "shift_reminder"] })
          .where(eq(people.id, person.personId));
        // Once stopped (a former volunteer), the box is shown, so they can be turned back on.
        expect(await shown()).toEqual({
          groups: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"],
          receiving: ["confirmations", "waitlist", "changes", "staffCancel"],
          locale: "en",
          consentWithdrawn: false,
        });
        expect(
          (await call(account.action, await postRequest("/account", { ...form, receive: [...form.receive, "shifts"] }, { token: person.token })))
            .status,
        ).toBe(200);
        expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder", "reminder_day_of"]);
      });

      it("a shift mail's link stops every shift mail, and a volunteer turns them back on with the account page's box", async () => {
        const person = await makeAccount(t.db, stationId, ["volunteer"], "志愿者");
        const { token } = await sentMail("shift_reminder", person.personId);
        expect(await unsubscribeInfo(t.db, token)).toMatchObject({ kind: "shift_reminder", group: "shifts", already: false });
        const page = await call(unsubscribeRoute.loader, await getRequest(`/unsubscribe/${token}`), { token });
        expect(page.body).toMatchObject({ what: text("zh-CN", "mailGroup.shifts") });
        await unsubscribe(t.db, token);
        expect(await optOutsOf(t.db, person.personId)).toEqual(["shift_assigned", "shift_cancelled", "shift_changed", "shift_reminder"]);
        const before = await call(account.loader, await getRequest("/account", { token: person.token }));
        expect((before.body as { mail: { groups: string[]; receiving: string[] } }).mail).toMatchObject({
          groups: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"],
          receiving: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel"],
        });
        const form = {
          intent: "mail-preferences",
          receive: ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"],
          mailLocale: "zh-CN",
        };
        expect((await call(account.action, await postRequest("/account", form, { token: person.token }))).status).toBe(200);
        expect(await optOutsOf(t.db, person.personId)).toEqual([]);
        // Unticking the box stops them all again.
        const without = { ...form, receive: form.receive.filter((g) => g !== "shifts") };
        expect((await call(account.action, await postRequest("/account", without, { token: person.token }))).status).toBe(200);
        expect(await optOutsOf(t.db, person.personId)).toEqual(["shift_assigned", "shift_cancelled", "shift_changed", "shift_reminder"]);
      });
    });

    describe("series editor's reminder fields", () => {
      it("shows the activity's settings, saves a change, unticking the box clears it, and a form without the fields keeps them", async () => {
        const cat = await categoryId(t.db, stationId, "tai-chi");
        const { activityId } = await seedSeries(t.db, { stationId, actorAccountId: admin.accountId, categoryId: cat });
        const settings = async () =>
          (await t.db.select({ m: activities.reminderMinutes, d: activities.remindDayOf }).from(activities).where(eq(activities.id, activityId)))[0];
        const edit = async (form: Record<string, string | string[]>) =>
          call(
            activityEdit.action,
            await postRequest(
              `/manage/activities/${activityId}`,
              validSeriesForm(cat, { title: "太极拳晨练", repeat: "daily", weekdays: [], count: "10", startTime: "07:30", ...form }),
              { token: admin.token },
            ),
            { id: String(activityId) },
          );
        const shown = async () =>
          (
            (
              await call(activityEdit.loader, await getRequest(`/manage/activities/${activityId}`, { token: admin.token }), {
                id: String(activityId),
              })
            ).body as { values: { reminderMinutes: string; remindDayOf: string } }
          ).values;

        expect(await shown()).toMatchObject({ reminderMinutes: "1440", remindDayOf: "" });
        expect((await edit({ reminderMinutes: "60", remindDayOf: "1" })).status).toBe(302);
        expect(await settings()).toEqual({ m: 60, d: true });
        expect(await shown()).toMatchObject({ reminderMinutes: "60", remindDayOf: "1" });
        // The form sends nothing for an unticked box: with the select present, that is "no".
        expect((await edit({ reminderMinutes: "0" })).status).toBe(302);
        expect(await settings()).toEqual({ m: 0, d: false });
        await edit({ reminderMinutes: "2880", remindDayOf: "1" });
        // A form without the reminder fields (an older page) leaves them as they are.
        expect((await edit({})).status).toBe(302);
        expect(await settings()).toEqual({ m: 2880, d: true });
      });
    });

    describe("unsubscribe", () => {
      // What stopping the "confirmations" group stops.
      const CONFIRMATION_KINDS = ["consultation_booked", "consultation_cancelled", "signup_cancelled", "signup_confirmed"];

      it("describes the mail with a masked name, and stops the kind's group for the recipient, not the person it is about", async () => {
        const child = await makeAccount(t.db, stationId, ["resident"], "李建国");
        const booker = await makeAccount(t.db, stationId, ["resident"], "李小红");
        const { token } = await sentMail("signup_confirmed", child.personId, booker.personId);
        expect(await unsubscribeInfo(t.db, token)).toEqual({ kind: "signup_confirmed", group: "confirmations", maskedName: "李**", already: false });
        expect(await unsubscribe(t.db, token)).toEqual({ kind: "signup_confirmed", already: false });
        expect(await optOutsOf(t.db, booker.personId)).toEqual(CONFIRMATION_KINDS);
        expect(await optOutsOf(t.db, child.personId)).toEqual([]);
        // Twice is the same as once, and says so.
        const audits = await countRows(t.db, ["audit_log"]);
        expect(await unsubscribe(t.db, token)).toEqual({ kind: "signup_confirmed", already: true });
        expect(await optOutsOf(t.db, booker.personId)).toEqual(CONFIRMATION_KINDS);
        expect(await countRows(t.db, ["audit_log"])).toEqual(audits);
        expect((await unsubscribeInfo(t.db, token))!.already).toBe(true);
      });

      it("falls back to the person the mail is about before it is sent; unknown tokens are undefined", async () => {
        const someone = await makeAccount(t.db, stationId, ["resident"], "Alice Wang");
        const { token } = await mail(t.db, { stationId, personId: someone.personId, kind: "reminder", status: "pending" });
        expect(await unsubscribeInfo(t.db, token)).toMatchObject({ maskedName: "A**", group: "reminders" });
        await unsubscribe(t.db, token);
        expect(await optOutsOf(t.db, someone.personId)).toEqual(["consultation_reminder", "reminder"]);
        expect(await unsubscribeInfo(t.db, "0".repeat(32))).toBeUndefined();
        expect(await unsubscribe(t.db, "0".repeat(32))).toBeUndefined();
        expect(await unsubscribeInfo(t.db, "x\u0000y")).toBeUndefined();
      });

      it("GET never unsubscribes; a one-click POST to the page URL (mails sent before /one-click) does, and answers with the page's data", async () => {
        const person = await makeAccount(t.db, stationId, ["resident"], "张秀兰");
        const { token } = await sentMail("reminder", person.personId);
        const page = await call(unsubscribeRoute.loader, await getRequest(`/unsubscribe/${token}`), { token });
        expect(page.status).toBe(200);
        expect(page.body).toEqual({ name: "张**", what: text("zh-CN", "mailGroup.reminders"), already: false });
        expect(JSON.stringify(page.body)).not.toContain(person.email);
        expect(await optOutsOf(t.db, person.personId)).toEqual([]);
        const request = new Request(`http://localhost:3000/unsubscribe/${token}`, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
        const result = await call(unsubscribeRoute.action, request, { token });
        expect(result.status).toBe(200);
        // Action data the page can show (a plain-text reply here once crashed the page).
        expect(result.body).toEqual({ ok: true, already: false, what: text("zh-CN", "mailGroup.reminders") });
        expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder"]);
        // The page's own button afterwards: still 200, already done.
        const again = await call(unsubscribeRoute.action, await postRequest(`/unsubscribe/${token}`, { intent: "unsubscribe" }), { token });
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ok: true, already: true, what: text("zh-CN", "mailGroup.reminders") });
      });
    });
  });
}
