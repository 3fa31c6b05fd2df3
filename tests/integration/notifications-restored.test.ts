/**
 * A cancelled session restored: the rows written by the real cause (updateSession) are sent by
 * the worker through a real SMTP server on loopback, and the mail says the session takes place
 * after all, in each person's language, instead of "time or place changed".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { notifications, people } from "../../models/db/schema";
import { mailSettings } from "../../models/notifications/render";
import { smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { runOnce } from "../../models/notifications/worker";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });

for (const backend of backends) {
  describe(`restored session mail on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let smtp: TestSmtp;
    let transport: MailTransport;
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;

    beforeAll(async () => {
      smtp = await startSmtp();
      transport = smtpTransport(smtp.url);
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员王");
    });
    afterAll(async () => {
      await transport?.close();
      await smtp?.close();
    });

    async function person(fullName: string, email: string, locale: "zh-CN" | "en") {
      const [row] = await t.db.insert(people).values({ stationId, fullName, email, locale }).returning({ id: people.id });
      return row!.id;
    }

    /** Sends what is due and returns the parsed message of the row with that dedupe key. */
    async function delivered(dedupeKey: string) {
      await runOnce(t.db, { transport, settings, batchSize: 200 });
      const [row] = await t.db.select().from(notifications).where(eq(notifications.dedupeKey, dedupeKey));
      expect(row, dedupeKey).toBeDefined();
      expect(row!.status).toBe("sent");
      const mail = smtp.received.find((m) => m.messageId === `<n${row!.id}.${row!.kind}@hearth.example>`);
      expect(mail, dedupeKey).toBeDefined();
      return simpleParser(mail!.raw);
    }

    it("says the session takes place after all, in Chinese and in English, with no before/after of an unchanged time", async () => {
      const session = await makeSession(t.db, stationId, { capacity: 1, title: "太极拳", daysAhead: 4 });
      const zh = await person("李秀英", "li@example.cn", "zh-CN");
      const en = await person("Mary Smith", "mary@example.org", "en");
      const held = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: session.sessionId, personId: zh, partySize: 1 });
      const waiting = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: session.sessionId, personId: en, partySize: 1 });
      expect(waiting.status).toBe("waitlisted");
      const ctx = { stationId, actorAccountId: coordinator.accountId };
      await updateSession(t.db, ctx, session.sessionId, { status: "cancelled" });
      await updateSession(t.db, ctx, session.sessionId, { status: "scheduled" });

      const local = DateTime.fromJSDate(session.startsAt, { zone: ZONE });
      const zhMail = await delivered(`session_changed:${held.id}:2`);
      expect(zhMail.subject).toBe(`活动恢复举行：太极拳 · ${local.setLocale("zh-CN").toFormat("M月d日（ccc）HH:mm")}`);
      expect(zhMail.text).toContain("之前通知您取消的活动恢复举行了");
      expect(zhMail.text).not.toContain("时间或地点有变化");
      expect(zhMail.text).not.toContain("原安排");
      expect(zhMail.text).toContain(`时间: ${local.setLocale("zh-CN").toFormat("yyyy年M月d日（ccc）HH:mm")}–11:00`);

      const enMail = await delivered(`session_changed:${waiting.id}:2`);
      expect(enMail.subject).toBe(`The session takes place after all: 太极拳 · ${local.setLocale("en").toFormat("ccc d LLL HH:mm")}`);
      expect(enMail.text).toContain("The session we told you was cancelled takes place after all.");
      expect(enMail.text).not.toContain("has changed");
      expect(enMail.text).not.toContain("Before");
    });

    it("a restore that also moves the session still leads with the restore, and shows the old time", async () => {
      const session = await makeSession(t.db, stationId, { capacity: 5, title: "八段锦", daysAhead: 5 });
      const p = await person("钱一", "qian@example.cn", "zh-CN");
      const signup = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: session.sessionId, personId: p, partySize: 1 });
      const ctx = { stationId, actorAccountId: coordinator.accountId };
      await updateSession(t.db, ctx, session.sessionId, { status: "cancelled" });
      const later = new Date(session.startsAt.getTime() + 26 * 3600_000);
      await updateSession(t.db, ctx, session.sessionId, { status: "scheduled", startsAt: later });
      const mail = await delivered(`session_changed:${signup.id}:2`);
      expect(mail.subject).toMatch(/^活动恢复举行：八段锦 · /);
      const oldLocal = DateTime.fromJSDate(session.startsAt, { zone: ZONE }).setLocale("zh-CN");
      expect(mail.text).toContain(`原安排 · 时间: ${oldLocal.toFormat("yyyy年M月d日（ccc）HH:mm")}–11:00`);
      expect(mail.text).toContain("新安排 · 时间: ");
    });
  });
}
