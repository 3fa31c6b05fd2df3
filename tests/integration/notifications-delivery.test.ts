/**
 * Mail as it arrives: rendered rows sent through a real SMTP server on loopback and read back
 * with mailparser (and node-ical for the invitations). Rows are inserted here directly, so
 * this file tests delivery whatever writes the rows.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { simpleParser, type ParsedMail } from "mailparser";
import ical from "node-ical";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { cancelSignup, signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { accounts, notifications, people, signups, type NotificationKind } from "../../models/db/schema";
import { mailSettings } from "../../models/notifications/render";
import { outboxTransport, smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { outboxFile } from "../../models/notifications/outbox";
import { runOnce } from "../../models/notifications/worker";
import { verifyCheckinCode } from "../../models/desk/codes";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const NEEDS = "轮椅 NEEDS-SECRET-7731";

/** The header block of a raw message, one entry per physical line. */
const headerLines = (raw: Buffer) => raw.subarray(0, raw.indexOf("\r\n\r\n")).toString("utf8").split("\r\n");

/** The check-in QR code's picture in a mail, read back with a QR decoder: the URL it carries, and the cid the HTML shows it by. */
function checkinQrOf(mail: ParsedMail) {
  const image = mail.attachments.find((a) => a.contentType === "image/png");
  if (!image) return undefined;
  const png = PNG.sync.read(image.content);
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return { url: decoded?.data, cid: image.cid, inline: image.contentDisposition === "inline" };
}

/** The calendar part nodemailer made from icalEvent (a text/calendar alternative). */
function calendarOf(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === "text/calendar");
  if (!part) return undefined;
  const text = part.content.toString("utf8");
  const events = Object.values(ical.sync.parseICS(text)).filter((c) => c?.type === "VEVENT");
  return { text, method: /^METHOD:(.+)$/m.exec(text)?.[1]?.trim(), event: events[0] as ical.VEvent };
}

for (const backend of backends) {
  describe(`notification delivery on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let smtp: TestSmtp;
    let transport: MailTransport;
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let session: Awaited<ReturnType<typeof makeSession>>;

    beforeAll(async () => {
      smtp = await startSmtp({ auth: { user: "hearth", pass: "s3cret:/@" } });
      transport = smtpTransport(smtp.url);
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员王");
      session = await makeSession(t.db, stationId, { capacity: 50, title: "太极拳", daysAhead: 4 });
    });
    afterAll(async () => {
      await transport?.close();
      await smtp?.close();
    });

    async function person(values: { fullName: string; email?: string | null; locale?: "zh-CN" | "en"; optOuts?: string[] }) {
      const [row] = await t.db
        .insert(people)
        .values({
          stationId,
          fullName: values.fullName,
          email: values.email ?? null,
          locale: values.locale ?? "zh-CN",
          needs: NEEDS,
          mailOptOuts: values.optOuts ?? [],
        })
        .returning({ id: people.id });
      return row!.id;
    }
    const book = (personId: number) => signUp(t.db, { stationId, actor: coordinator }, { sessionId: session.sessionId, personId, partySize: 1 });

    async function row(
      kind: NotificationKind,
      personId: number,
      signupId: number | null,
      extra: { payload?: Record<string, unknown>; sessionId?: number } = {},
    ) {
      const [inserted] = await t.db
        .insert(notifications)
        .values({
          stationId,
          kind,
          dedupeKey: `test:${crypto.randomUUID()}`,
          personId,
          signupId,
          sessionId: extra.sessionId ?? session.sessionId,
          payload: extra.payload ?? {},
          dueAt: new Date(Date.now() - 1000),
          expiresAt: new Date(Date.now() + 7 * 86400_000),
        })
        .returning();
      return inserted!;
    }
    const stateOf = async (id: number) => (await t.db.select().from(notifications).where(eq(notifications.id, id)))[0]!;
    /** Runs the worker until the row is done and returns the message the server got for it. */
    async function deliver(n: { id: number; kind: string }) {
      await runOnce(t.db, { transport, settings, batchSize: 200 });
      const messageId = `<n${n.id}.${n.kind}@hearth.example>`;
      const got = smtp.received.filter((m) => m.messageId === messageId);
      return { state: await stateOf(n.id), received: got, parsed: got[0] ? await simpleParser(got[0].raw) : undefined };
    }
    function noNeeds(mail: { raw: Buffer }, parsed: ParsedMail) {
      const everything = [
        mail.raw.toString("utf8"),
        parsed.subject,
        parsed.text,
        parsed.html || "",
        ...parsed.attachments.map((a) => a.content.toString("utf8")),
      ].join("\n");
      expect(everything).not.toContain("NEEDS-SECRET");
      expect(everything).not.toContain("轮椅");
    }

    it("confirms in Chinese to the person's own address, with one-line unsubscribe headers and a REQUEST invitation", async () => {
      const p = await person({ fullName: "李秀英", email: "li@example.cn" });
      const signup = await book(p);
      const n = await row("signup_confirmed", p, signup.id);
      const { state, received, parsed } = await deliver(n);
      expect(state).toMatchObject({ status: "sent", recipient: "li@example.cn", recipientPersonId: p, transport: "smtp", attempts: 1 });
      expect(received).toHaveLength(1);
      const mail = parsed!;
      const start = DateTime.fromJSDate(session.startsAt, { zone: ZONE });
      const expectedSubject = `报名成功：太极拳 · ${start.setLocale("zh-CN").toFormat("M月d日（ccc）")}09:00`;
      expect(mail.subject).toBe(expectedSubject);
      expect(state.subject).toBe(expectedSubject);
      expect(mail.from?.value[0]).toMatchObject({ address: "no-reply@hearth.example", name: "家庭健康驿站" });
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined).toBe("li@example.cn");
      expect(received[0]!.to).toEqual(["li@example.cn"]);
      expect(mail.messageId).toBe(`<n${n.id}.signup_confirmed@hearth.example>`);

      const lines = headerLines(received[0]!.raw);
      const unsubscribeAt = lines.findIndex((l) => l.startsWith("List-Unsubscribe:"));
      // The header points at the one-click resource route; the footer link below at the page.
      expect(lines[unsubscribeAt]).toBe(`List-Unsubscribe: <https://hearth.example.org/unsubscribe/${n.unsubscribeToken}/one-click>`);
      expect(lines[unsubscribeAt + 1]).not.toMatch(/^\s/); // not folded onto a second line
      expect(lines).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

      expect(mail.text).toContain("李秀英，您好");
      expect(mail.text).toContain(`https://hearth.example.org/sessions/${session.sessionId}`);
      expect(mail.text).toContain("驿站医疗保健区");
      expect(mail.html).toContain(`<a href="https://hearth.example.org/sessions/${session.sessionId}">`);
      expect(mail.html).toContain(`<a href="https://hearth.example.org/unsubscribe/${n.unsubscribeToken}">`);
      expect(mail.text).toContain(`https://hearth.example.org/unsubscribe/${n.unsubscribeToken}\n`);

      const calendar = calendarOf(mail)!;
      expect(calendar.method).toBe("REQUEST");
      expect(calendar.event.uid).toBe(`signup-${signup.id}@hearth.example`);
      expect(Number(calendar.event.sequence)).toBe(0);
      // 09:00 in Shanghai is 01:00 UTC: the instant, not the wall time, must survive.
      expect(new Date(calendar.event.start).toISOString()).toBe(session.startsAt.toISOString());
      expect(calendar.text).toContain("TZID:Asia/Shanghai");
      expect(calendar.text).not.toContain("李秀英");
      // The check-in QR code: an inline PNG the HTML shows, carrying the URL the text part gives, with a code that checks out.
      const qr = checkinQrOf(mail)!;
      expect(qr.inline).toBe(true);
      expect(qr.url).toMatch(new RegExp(`^https://hearth\\.example\\.org/checkin/${session.sessionId}/${signup.id}-[A-Za-z0-9_-]{22}$`));
      expect(mail.text).toContain(qr.url!);
      // mailparser resolves the HTML's cid: reference to the attached picture: the two match.
      expect(qr.cid).toBe(`checkin-${signup.id}@hearth.example`);
      expect(mail.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="签到二维码"/);
      const code = qr.url!.split("/").pop()!;
      expect(await verifyCheckinCode(t.db, stationId, session.sessionId, code)).toEqual({ ok: true, signupId: signup.id, personId: p });
      noNeeds(received[0]!, mail);
    });

    it("withdraws the invitation on cancel with the same UID and a higher SEQUENCE", async () => {
      const p = await person({ fullName: "赵敏", email: "zhao@example.cn" });
      const signup = await book(p);
      const confirmed = await deliver(await row("signup_confirmed", p, signup.id));
      const request = calendarOf(confirmed.parsed!)!;
      await cancelSignup(t.db, { stationId, actor: coordinator }, signup.id);
      const cancelled = await deliver(await row("signup_cancelled_by_staff", p, signup.id));
      expect(cancelled.state.status).toBe("sent");
      expect(cancelled.parsed!.subject).toMatch(/^报名已被工作人员取消：太极拳 · /);
      const cancel = calendarOf(cancelled.parsed!)!;
      expect(cancel.method).toBe("CANCEL");
      expect(cancel.text).toContain("STATUS:CANCELLED");
      expect(cancel.event.uid).toBe(request.event.uid);
      expect(Number(cancel.event.sequence)).toBeGreaterThan(Number(request.event.sequence));
    });

    it("writes English to a recipient whose locale is en, at their account's address when the person has none", async () => {
      const account = await makeActor(t.db, stationId, ["resident"], "Alice Smith");
      await t.db.update(people).set({ email: null, locale: "en" }).where(eq(people.id, account.personId));
      const signup = await book(account.personId);
      const { state, parsed } = await deliver(await row("signup_confirmed", account.personId, signup.id));
      const [login] = await t.db.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, account.accountId));
      expect(state.recipient).toBe(login!.email);
      const start = DateTime.fromJSDate(session.startsAt, { zone: ZONE }).setLocale("en-GB");
      expect(parsed!.subject).toBe(`Booked: 太极拳 · ${start.toFormat("ccc d LLL")} 09:00`);
      expect(parsed!.text).toContain("Dear Alice Smith,");
      expect(parsed!.text).toContain("Unsubscribe");
    });

    it("sends to a family member who booked, saying whom it is for, when the person has no address; never to a staff booker", async () => {
      const p = await person({ fullName: "孙大爷" });
      const family = await makeActor(t.db, stationId, ["resident"], "孙女小梅");
      const signup = await book(p);
      await t.db.update(signups).set({ bookedByAccountId: family.accountId }).where(eq(signups.id, signup.id));
      const { state, received, parsed } = await deliver(await row("signup_confirmed", p, signup.id));
      expect(state).toMatchObject({ status: "sent", recipient: family.email, recipientPersonId: family.personId });
      expect(received[0]!.to).toEqual([family.email]);
      expect(parsed!.text).toContain("孙女小梅，您好");
      expect(parsed!.text).toContain("为孙大爷报名成功");
      expect(parsed!.html).toContain("为孙大爷报名成功");
      expect(parsed!.subject).not.toContain("孙大爷");
      noNeeds(received[0]!, parsed!);
      // Booked by the coordinator (staff) instead: nobody gets it, least of all her own mailbox.
      const q = await person({ fullName: "钱大妈" });
      const staffBooked = await book(q);
      const skipped = await deliver(await row("signup_confirmed", q, staffBooked.id));
      expect(skipped.state).toMatchObject({ status: "skipped", lastError: "no_address" });
      expect(skipped.received).toHaveLength(0);
    });

    it("skips with no_address when neither the person nor a booker has one, and with opted_out for an opted-out kind", async () => {
      const nobody = await person({ fullName: "无邮箱" });
      const lone = await book(nobody);
      await t.db.update(signups).set({ bookedByAccountId: null }).where(eq(signups.id, lone.id));
      const optedOut = await person({ fullName: "不要提醒", email: "quiet@example.cn", optOuts: ["signup_confirmed"] });
      const quiet = await book(optedOut);
      const a = await row("signup_confirmed", nobody, lone.id);
      const b = await row("signup_confirmed", optedOut, quiet.id);
      // The same person still gets the kinds they did not opt out of.
      const c = await row("signup_promoted", optedOut, quiet.id);
      const before = smtp.received.length;
      await runOnce(t.db, { transport, settings, batchSize: 200 });
      expect(await stateOf(a.id)).toMatchObject({ status: "skipped", lastError: "no_address", sentAt: null });
      expect(await stateOf(b.id)).toMatchObject({ status: "skipped", lastError: "opted_out", sentAt: null });
      expect((await stateOf(c.id)).status).toBe("sent");
      const ids = smtp.received.slice(before).map((m) => m.messageId);
      expect(ids).not.toContain(`<n${a.id}.signup_confirmed@hearth.example>`);
      expect(ids).not.toContain(`<n${b.id}.signup_confirmed@hearth.example>`);
    });

    it("tells the waitlist position, and a move from the old to the new time with an updated invitation", async () => {
      const moving = await makeSession(t.db, stationId, { capacity: 1, title: "八段锦", daysAhead: 5 });
      const [holder, waiter] = [
        await person({ fullName: "钱一", email: "qian@example.cn" }),
        await person({ fullName: "周二", email: "zhou@example.cn" }),
      ];
      const held = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: moving.sessionId, personId: holder, partySize: 1 });
      const waiting = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: moving.sessionId, personId: waiter, partySize: 1 });
      expect(waiting.status).toBe("waitlisted");
      const waitMail = await deliver(await row("signup_waitlisted", waiter, waiting.id, { sessionId: moving.sessionId }));
      expect(waitMail.parsed!.subject).toMatch(/^已进入候补：八段锦/);
      expect(waitMail.parsed!.text).toContain("候补第 1 位");
      expect(calendarOf(waitMail.parsed!)).toBeUndefined();
      // A waitlisted place has no check-in code yet.
      expect(checkinQrOf(waitMail.parsed!)).toBeUndefined();

      const newStart = new Date(moving.startsAt.getTime() + 26 * 3600_000);
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, moving.sessionId, { startsAt: newStart });
      const payload = {
        previousStartsAt: moving.startsAt.toISOString(),
        previousEndsAt: new Date(moving.startsAt.getTime() + 7200_000).toISOString(),
        previousLocation: "驿站医疗保健区",
      };
      const moved = await deliver(await row("session_changed", holder, held.id, { sessionId: moving.sessionId, payload }));
      const oldLocal = DateTime.fromJSDate(moving.startsAt, { zone: ZONE }).setLocale("zh-CN");
      const newLocal = DateTime.fromJSDate(newStart, { zone: ZONE }).setLocale("zh-CN");
      expect(moved.parsed!.subject).toBe(`活动时间或地点有变：八段锦 · ${newLocal.toFormat("M月d日（ccc）HH:mm")}`);
      expect(moved.parsed!.text).toContain(`原安排 · 时间: ${oldLocal.toFormat("yyyy年M月d日（ccc）HH:mm")}–11:00`);
      expect(moved.parsed!.text).toContain(`新安排 · 时间: ${newLocal.toFormat("yyyy年M月d日（ccc）HH:mm")}–`);
      const calendar = calendarOf(moved.parsed!)!;
      expect(calendar.method).toBe("REQUEST");
      expect(Number(calendar.event.sequence)).toBe(1);
      expect(new Date(calendar.event.start).toISOString()).toBe(newStart.toISOString());
    });

    it("cancels a session with a CANCEL above the last REQUEST, and skips a reminder of a cancelled session", async () => {
      const doomed = await makeSession(t.db, stationId, { capacity: 5, title: "健康讲座", daysAhead: 6 });
      const p = await person({ fullName: "吴三", email: "wu@example.cn" });
      const signup = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: doomed.sessionId, personId: p, partySize: 1 });
      const request = calendarOf((await deliver(await row("signup_confirmed", p, signup.id, { sessionId: doomed.sessionId }))).parsed!)!;
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, doomed.sessionId, { status: "cancelled" });
      const cancelled = await deliver(await row("session_cancelled", p, signup.id, { sessionId: doomed.sessionId }));
      expect(cancelled.parsed!.subject).toMatch(/^活动已取消：健康讲座/);
      const cancel = calendarOf(cancelled.parsed!)!;
      expect(cancel.method).toBe("CANCEL");
      expect(cancel.event.uid).toBe(request.event.uid);
      expect(Number(cancel.event.sequence)).toBeGreaterThan(Number(request.event.sequence));
      const reminder = await deliver(await row("reminder", p, signup.id, { sessionId: doomed.sessionId }));
      expect(reminder.state).toMatchObject({ status: "skipped", lastError: "session_cancelled" });
      expect(reminder.received).toHaveLength(0);
    });

    it("skips a reminder once the signup is no longer confirmed", async () => {
      const p = await person({ fullName: "郑四", email: "zheng@example.cn" });
      const signup = await book(p);
      await cancelSignup(t.db, { stationId, actor: coordinator }, signup.id);
      const reminder = await deliver(await row("reminder", p, signup.id));
      expect(reminder.state).toMatchObject({ status: "skipped", lastError: "signup_not_confirmed" });
    });

    it("fails a kind nobody renders yet as unsupported_kind instead of sending it", async () => {
      const p = await person({ fullName: "志愿者", email: "vol@example.cn" });
      // A kind no file in models/notifications/kinds handles (the shift kinds will be, later).
      const n = await row("test_no_renderer" as NotificationKind, p, null);
      const { state, received } = await deliver(n);
      expect(state).toMatchObject({ status: "failed", lastError: "unsupported_kind" });
      expect(received).toHaveLength(0);
    });

    it("keeps the Message-ID across a retry: a reply lost after the server took the message gives a recognisable duplicate", async () => {
      const p = await person({ fullName: "冯六", email: "feng@example.cn" });
      const signup = await book(p);
      const n = await row("signup_confirmed", p, signup.id);
      let lose = true;
      const lossy: MailTransport = {
        kind: "smtp",
        async send(mail, meta) {
          await transport.send(mail, meta);
          if (meta.notificationId === n.id && lose) {
            lose = false;
            throw new Error("connection reset before the reply");
          }
        },
        close: async () => {},
      };
      await runOnce(t.db, { transport: lossy, settings, batchSize: 200 });
      expect(await stateOf(n.id)).toMatchObject({ status: "pending", attempts: 1, lastError: "connection reset before the reply" });
      await runOnce(t.db, { transport: lossy, settings, batchSize: 200, now: new Date(Date.now() + 3 * 60_000) });
      expect(await stateOf(n.id)).toMatchObject({ status: "sent", attempts: 2 });
      const copies = smtp.received.filter((m) => m.messageId === `<n${n.id}.signup_confirmed@hearth.example>`);
      expect(copies).toHaveLength(2);
      const [a, b] = await Promise.all(copies.map((c) => simpleParser(c.raw)));
      expect(b!.messageId).toBe(a!.messageId);
      expect(calendarOf(b!)!.event.uid).toBe(calendarOf(a!)!.event.uid);
      expect(b!.subject).toBe(a!.subject);
    });

    it("escapes the HTML part and keeps the text part literal", async () => {
      const odd = await makeSession(t.db, stationId, { capacity: 5, title: `Tea & "talk" <b>now</b>`, daysAhead: 7 });
      const p = await person({ fullName: "O'Brien <Pat>", email: "pat@example.ie", locale: "en" });
      const signup = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: odd.sessionId, personId: p, partySize: 1 });
      const { parsed } = await deliver(await row("signup_confirmed", p, signup.id, { sessionId: odd.sessionId }));
      expect(parsed!.subject).toMatch(/^Booked: Tea & "talk" <b>now<\/b> · /);
      expect(parsed!.text).toContain(`Tea & "talk" <b>now</b>`);
      expect(parsed!.text).toContain("Dear O'Brien <Pat>,");
      expect(parsed!.html).toContain("Dear O&#39;Brien &lt;Pat&gt;,");
      expect(parsed!.html).not.toContain("<b>now</b>");
      expect(parsed!.html).not.toContain("<Pat>");
    });

    it("writes DATA_DIR/outbox/<id>.eml when there is no SMTP server, and mailparser reads it back", async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-outbox-"));
      try {
        const outbox = outboxTransport({ dataDir });
        const p = await person({ fullName: "钱五", email: "qianwu@example.cn" });
        const signup = await book(p);
        const n = await row("signup_confirmed", p, signup.id);
        // Other rows due now go to the outbox too; this one is what we look at.
        await runOnce(t.db, { transport: outbox, settings, batchSize: 200 });
        expect(await stateOf(n.id)).toMatchObject({ status: "sent", transport: "outbox", recipient: "qianwu@example.cn" });
        const file = outboxFile({ dataDir }, n.id);
        const mail = await simpleParser(fs.readFileSync(file));
        expect(mail.messageId).toBe(`<n${n.id}.signup_confirmed@hearth.example>`);
        expect(mail.subject).toMatch(/^报名成功：太极拳 · /);
        expect(calendarOf(mail)?.method).toBe("REQUEST");
        // Written whole through a temp file: nothing else is left in the directory.
        expect(fs.readdirSync(path.dirname(file)).filter((f) => !f.endsWith(".eml"))).toEqual([]);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
