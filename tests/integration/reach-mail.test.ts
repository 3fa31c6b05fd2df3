/**
 * How a booked person is reached (ADR 20), through the real worker and a real SMTP server:
 * their own address; their household's caretaker; the family member who booked them; nobody
 * (never the coordinator who booked a phone caller). The mail names whom it is for and never
 * carries the person's name or needs in its subject.
 */
import { consentAll } from "../support/care-fixtures";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { cancelSignup, signUp } from "../../models/signups";
import { households, notifications, people, signups, type NotificationKind } from "../../models/db/schema";
import { mailSettings } from "../../models/notifications/render";
import { smtpTransport, type MailTransport } from "../../models/notifications/transport";
import { runOnce } from "../../models/notifications/worker";
import { decideReach, reachOf } from "../../models/reach/reach";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const NEEDS = "助听器 NEEDS-SECRET-4410";

for (const backend of backends) {
  describe(`reaching people on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let smtp: TestSmtp;
    let transport: MailTransport;
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let caretaker: Awaited<ReturnType<typeof makeActor>>;
    let family: Awaited<ReturnType<typeof makeActor>>;
    let householdId = 0;

    beforeAll(async () => {
      smtp = await startSmtp();
      transport = smtpTransport(smtp.url);
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员陈");
      caretaker = await makeActor(t.db, stationId, ["volunteer"], "会员林阿姨");
      family = await makeActor(t.db, stationId, ["resident"], "女儿王芳");
      const [h] = await t.db.insert(households).values({ stationId, label: "富文路 12 号 王家", caretakerId: caretaker.personId }).returning();
      await consentAll(t.db, stationId);
      householdId = h!.id;
    });
    afterAll(async () => {
      await transport?.close();
      await smtp?.close();
    });

    async function person(values: { fullName: string; email?: string | null; householdId?: number | null }) {
      const [row] = await t.db
        .insert(people)
        .values({ stationId, fullName: values.fullName, email: values.email ?? null, householdId: values.householdId ?? null, needs: NEEDS })
        .returning({ id: people.id });
      return row!.id;
    }
    async function book(sessionId: number, personId: number, bookedBy: { accountId: number } = coordinator) {
      const signup = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 });
      await t.db.update(signups).set({ bookedByAccountId: bookedBy.accountId }).where(eq(signups.id, signup.id));
      return signup;
    }
    /** Runs the worker and returns the state and the message of the signup's mail of `kind`. */
    async function mailOf(signupId: number, kind: NotificationKind) {
      await runOnce(t.db, { transport, settings, batchSize: 500 });
      const [n] = await t.db
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `${kind}:${signupId}`));
      const got = smtp.received.filter((m) => m.messageId === `<n${n!.id}.${kind}@hearth.example>`);
      return { state: n!, received: got, parsed: got[0] ? await simpleParser(got[0].raw) : undefined };
    }
    function clean(parsed: { subject?: string; text?: string; html?: string | false }, name: string) {
      expect(parsed.subject).not.toContain(name);
      expect(`${parsed.subject}\n${parsed.text}\n${parsed.html || ""}`).not.toContain("NEEDS-SECRET");
    }

    it("own address: the person themself, in their own words", async () => {
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "太极拳", daysAhead: 3 });
      const p = await person({ fullName: "李秀英", email: "li.xiuying@example.cn", householdId });
      const signup = await book(s.sessionId, p, family);
      const { state, received, parsed } = await mailOf(signup.id, "signup_confirmed");
      expect(state).toMatchObject({ status: "sent", recipient: "li.xiuying@example.cn", recipientPersonId: p });
      expect(received[0]!.to).toEqual(["li.xiuying@example.cn"]);
      expect(parsed!.text).toContain("李秀英，您好");
      expect(parsed!.text).toContain("您的报名已成功");
      expect(parsed!.text).not.toContain("这封邮件是关于");
    });

    it("caretaker: a person without email is reached through their household's caretaker, even when staff booked", async () => {
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "八段锦", daysAhead: 3 });
      const p = await person({ fullName: "王德福", householdId });
      const signup = await book(s.sessionId, p, coordinator);
      const { state, received, parsed } = await mailOf(signup.id, "signup_confirmed");
      expect(state).toMatchObject({ status: "sent", recipient: caretaker.email, recipientPersonId: caretaker.personId });
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual([caretaker.email]);
      expect(parsed!.text).toContain("会员林阿姨，您好");
      expect(parsed!.text).toContain("为王德福（您的联系户）报名成功");
      expect(parsed!.text).toContain("（这封邮件是关于王德福（您的联系户）的）");
      expect(parsed!.html).toContain("为王德福（您的联系户）报名成功");
      expect(parsed!.subject).toMatch(/^报名成功：八段锦 · /);
      clean(parsed!, "王德福");
      expect(smtp.received.some((m) => m.to.includes(coordinator.email))).toBe(false);
    });

    it("caretaker in her own language: an English-speaking caretaker reads English", async () => {
      const [other] = await t.db.insert(households).values({ stationId, label: "B", caretakerId: family.personId }).returning();
      await consentAll(t.db, stationId);
      await t.db.update(people).set({ locale: "en" }).where(eq(people.id, family.personId));
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "Tai chi", daysAhead: 3 });
      const p = await person({ fullName: "Zhang Wei", householdId: other!.id });
      const signup = await book(s.sessionId, p, coordinator);
      const { state, parsed } = await mailOf(signup.id, "signup_confirmed");
      await t.db.update(people).set({ locale: "zh-CN" }).where(eq(people.id, family.personId));
      expect(state.recipient).toBe(family.email);
      expect(parsed!.text).toContain("The booking for Zhang Wei (in your care) is confirmed");
      expect(parsed!.subject).toMatch(/^Booked: Tai chi · /);
      clean(parsed!, "Zhang Wei");
    });

    it("booker: no household, booked by a family member: the family member, named as the booker", async () => {
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "健康讲座", daysAhead: 3 });
      const p = await person({ fullName: "王老太" });
      const signup = await book(s.sessionId, p, family);
      const { state, parsed } = await mailOf(signup.id, "signup_confirmed");
      expect(state).toMatchObject({ status: "sent", recipient: family.email, recipientPersonId: family.personId });
      expect(parsed!.text).toContain("女儿王芳，您好");
      expect(parsed!.text).toContain("为王老太报名成功");
      expect(parsed!.text).not.toContain("联系户");
      clean(parsed!, "王老太");
    });

    it("booker as a fallback: a household whose caretaker has no address falls to the family booker", async () => {
      const bare = await person({ fullName: "无邮箱会员" });
      const [h] = await t.db.insert(households).values({ stationId, label: "C", caretakerId: bare }).returning();
      await consentAll(t.db, stationId);
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "手工课", daysAhead: 3 });
      const p = await person({ fullName: "赵大爷", householdId: h!.id });
      const signup = await book(s.sessionId, p, family);
      const { state } = await mailOf(signup.id, "signup_confirmed");
      expect(state).toMatchObject({ status: "sent", recipient: family.email });
    });

    it("none: no address, no caretaker, booked by staff: nobody is mailed, not the coordinator", async () => {
      const s = await makeSession(t.db, stationId, { capacity: 10, title: "义诊", daysAhead: 3 });
      const p = await person({ fullName: "电话报名的孙伯" });
      const signup = await book(s.sessionId, p, coordinator);
      const before = smtp.received.length;
      const { state, received } = await mailOf(signup.id, "signup_confirmed");
      expect(state).toMatchObject({ status: "skipped", lastError: "no_address", recipient: null });
      expect(received).toHaveLength(0);
      expect(smtp.received.slice(before).some((m) => m.to.includes(coordinator.email))).toBe(false);
    });

    it("waitlist, promotion, cancellation and reminder all go to the caretaker, each saying whom it is for", async () => {
      const s = await makeSession(t.db, stationId, { capacity: 1, title: "书法班", daysAhead: 3 });
      const holder = await person({ fullName: "占位人", email: "holder@example.cn" });
      const p = await person({ fullName: "王德贵", householdId });
      const held = await book(s.sessionId, holder);
      const waiting = await book(s.sessionId, p);
      expect(waiting.status).toBe("waitlisted");
      const wait = await mailOf(waiting.id, "signup_waitlisted");
      expect(wait.state.recipient).toBe(caretaker.email);
      expect(wait.parsed!.text).toContain("王德贵（您的联系户）已进入候补名单");
      expect(wait.parsed!.text).toContain("王德贵（您的联系户）目前排在候补第 1 位");
      clean(wait.parsed!, "王德贵");
      await cancelSignup(t.db, { stationId, actor: coordinator }, held.id);
      const promoted = await mailOf(waiting.id, "signup_promoted");
      expect(promoted.state.recipient).toBe(caretaker.email);
      expect(promoted.parsed!.text).toContain("王德贵（您的联系户）已从候补转为正式报名");
      // The reminder, made due now.
      const [r] = await t.db
        .insert(notifications)
        .values({
          stationId,
          kind: "reminder",
          dedupeKey: `test:${crypto.randomUUID()}`,
          personId: p,
          signupId: waiting.id,
          sessionId: s.sessionId,
          dueAt: new Date(Date.now() - 1000),
          expiresAt: new Date(Date.now() + 86400_000),
        })
        .returning();
      await runOnce(t.db, { transport, settings, batchSize: 500 });
      const reminder = smtp.received.find((m) => m.messageId === `<n${r!.id}.reminder@hearth.example>`)!;
      expect(reminder.to).toEqual([caretaker.email]);
      const reminderText = (await simpleParser(reminder.raw)).text!;
      expect(reminderText).toContain("提醒：王德贵（您的联系户）报名了以下活动，请转告");
      await cancelSignup(t.db, { stationId, actor: coordinator }, waiting.id);
      const cancelled = await mailOf(waiting.id, "signup_cancelled_by_staff");
      expect(cancelled.state.recipient).toBe(caretaker.email);
      expect(cancelled.parsed!.text).toContain("驿站工作人员取消了王德贵（您的联系户）的报名");
      clean(cancelled.parsed!, "王德贵");
    });

    it("decides: own address first; a caretaker who lives in a household she cares for is reached at her own", async () => {
      const [self] = await t.db.insert(households).values({ stationId, label: "D", caretakerId: caretaker.personId }).returning();
      await consentAll(t.db, stationId);
      await t.db.update(people).set({ householdId: self!.id }).where(eq(people.id, caretaker.personId));
      const found = await reachOf(t.db, { personId: caretaker.personId, signupId: null, kind: null });
      expect(found!.reach.route).toBe("own");
      const noEmail = await person({ fullName: "同住", householdId: self!.id });
      expect((await reachOf(t.db, { personId: noEmail, signupId: null, kind: null }))!.reach.route).toBe("none");
      // Not a booking (signupId null): only the person's own address counts.
      await t.db.update(people).set({ householdId: null }).where(eq(people.id, caretaker.personId));
      const contact = { personId: 1, name: "x", address: null, locale: "zh-CN" as const, optedOut: false };
      expect(decideReach({ person: contact, caretaker: { ...contact, personId: 1, address: "a@b" }, booker: null }).route).toBe("none");
      expect(decideReach({ person: contact, caretaker: null, booker: { ...contact, personId: 2, address: "a@b", staff: true } }).route).toBe("none");
      expect(decideReach({ person: contact, caretaker: null, booker: { ...contact, personId: 2, address: "a@b", staff: false } }).route).toBe(
        "booker",
      );
    });
  });
}
