/**
 * The mail and booking_reminders consents gate sending (ADR 22, addendum): nothing is queued
 * that a withdrawn consent forbids, a consent withdrawn after the row was queued skips it at
 * sending with a reason code, the consent asked is the recipient's (a caretaker's own), and a
 * person never asked keeps the mail they had before consents (their mail settings decide).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { consentAll } from "../support/care-fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";
import { households, notifications, people } from "../../models/db/schema";
import { giveConsent, withdrawConsent } from "../../models/privacy/consents";
import { mailSettings } from "../../models/notifications/render";
import type { MailTransport, SendMailOptions } from "../../models/notifications/transport";
import { runOnce } from "../../models/notifications/worker";
import { enqueue } from "../../models/notifications/enqueue";
import type { Purpose } from "../../models/privacy/purposes";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import * as accountPage from "../../app/routes/account";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const DAY = 86_400_000;

for (const backend of backends) {
  describe(`mail consent gates sending on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const sent: SendMailOptions[] = [];
    const transport: MailTransport = { kind: "smtp", send: async (mail) => void sent.push(mail), close: async () => {} };
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员陈");
    });

    /** A resident with an account (and so an address of her own) and the consents given and withdrawn online. */
    async function resident(name: string, given: Purpose[] = [], withdrawn: Purpose[] = []) {
      const actor = await makeActor(t.db, stationId, ["resident"], name);
      const ctx = { stationId, actor };
      for (const p of [...given, ...withdrawn]) await giveConsent(t.db, ctx, actor.personId, p, "online");
      for (const p of withdrawn) await withdrawConsent(t.db, ctx, actor.personId, p, "online");
      return actor;
    }
    async function book(personId: number) {
      const s = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3 });
      const signup = await signUp(t.db, { stationId, actor: coordinator }, { sessionId: s.sessionId, personId, partySize: 1 });
      return { signupId: signup.id, startsAt: s.startsAt };
    }
    const rowsOf = (signupId: number) =>
      t.db
        .select({ kind: notifications.kind, status: notifications.status, lastError: notifications.lastError, recipient: notifications.recipient })
        .from(notifications)
        .where(eq(notifications.signupId, signupId))
        .orderBy(asc(notifications.id));
    /** Messages that went out for the signup's rows (by the Message-ID the worker gives each row). */
    const sentFor = async (signupId: number, kind: string) => {
      const ids = await t.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.signupId, signupId), eq(notifications.kind, kind as "reminder")));
      return sent.filter((m) => ids.some((r) => m.messageId === `<n${r.id}.${kind}@hearth.example>`)).length;
    };
    const kindsOf = async (signupId: number) => (await rowsOf(signupId)).map((r) => r.kind);
    /** Sends everything due by `at` (a reminder's time is the day before the session). */
    const sendDue = (at: Date) => runOnce(t.db, { transport, settings, now: at, batchSize: 500 });

    it("a person never asked keeps the mail they had: confirmation and reminder are queued and sent", async () => {
      const p = await resident("从未询问的李阿姨");
      const { signupId, startsAt } = await book(p.personId);
      expect(await kindsOf(signupId)).toEqual(["signup_confirmed", "reminder"]);
      await sendDue(new Date(startsAt.getTime() - DAY / 2));
      expect((await rowsOf(signupId)).map((r) => r.status)).toEqual(["sent", "sent"]);
    });

    it("mail consent withdrawn: nothing about her bookings is queued", async () => {
      const p = await resident("撤回邮件的王阿姨", ["booking_reminders"], ["mail"]);
      const { signupId } = await book(p.personId);
      expect(await kindsOf(signupId)).toEqual([]);
    });

    it("booking_reminders withdrawn: the confirmation is queued, the reminders are not", async () => {
      const p = await resident("不要提醒的张阿姨", ["mail"], ["booking_reminders"]);
      const { signupId } = await book(p.personId);
      expect(await kindsOf(signupId)).toEqual(["signup_confirmed"]);
    });

    it("both consents in force: everything is queued", async () => {
      const p = await resident("都同意的赵阿姨", ["mail", "booking_reminders"]);
      const { signupId } = await book(p.personId);
      expect(await kindsOf(signupId)).toEqual(["signup_confirmed", "reminder"]);
    });

    it("booking_reminders withdrawn after the reminder was queued: the reminder is skipped at sending, not sent", async () => {
      const p = await resident("后来撤回提醒的刘阿姨", ["mail", "booking_reminders"]);
      const { signupId, startsAt } = await book(p.personId);
      await sendDue(new Date()); // the confirmation goes now
      await withdrawConsent(t.db, { stationId, actor: p }, p.personId, "booking_reminders", "online");
      await sendDue(new Date(startsAt.getTime() - DAY / 2));
      expect(await rowsOf(signupId)).toEqual([
        expect.objectContaining({ kind: "signup_confirmed", status: "sent" }),
        { kind: "reminder", status: "skipped", lastError: "no_reminder_consent", recipient: null },
      ]);
      expect(await sentFor(signupId, "reminder")).toBe(0);
      expect(await sentFor(signupId, "signup_confirmed")).toBe(1);
    });

    it("mail withdrawn after queueing: every pending mail is skipped with no_mail_consent", async () => {
      const p = await resident("后来撤回邮件的周阿姨", ["mail", "booking_reminders"]);
      const { signupId, startsAt } = await book(p.personId);
      await withdrawConsent(t.db, { stationId, actor: p }, p.personId, "mail", "online");
      await sendDue(new Date(startsAt.getTime() - DAY / 2));
      expect((await rowsOf(signupId)).map((r) => [r.status, r.lastError])).toEqual([
        ["skipped", "no_mail_consent"],
        ["skipped", "no_mail_consent"],
      ]);
      expect((await sentFor(signupId, "signup_confirmed")) + (await sentFor(signupId, "reminder"))).toBe(0);
    });

    it("enqueue() drops a draft the consents forbid and writes the others (consultations and shifts write through it)", async () => {
      const p = await resident("撤回提醒的吴阿姨", ["mail"], ["booking_reminders"]);
      const draft = (kind: "consultation_reminder" | "consultation_booked") => ({
        stationId,
        kind,
        dedupeKey: `${kind}:test:${p.personId}`,
        personId: p.personId,
        dueAt: new Date(),
        expiresAt: new Date(Date.now() + DAY),
      });
      const ids = await enqueue(t.db, [draft("consultation_reminder"), draft("consultation_booked")]);
      const written = await t.db.select({ kind: notifications.kind }).from(notifications).where(inArray(notifications.id, ids));
      expect(written).toEqual([{ kind: "consultation_booked" }]);
    });

    it("given again after withdrawing: the next booking's mail is queued and sent", async () => {
      const p = await resident("又同意了的孙阿姨", ["booking_reminders"], ["mail"]);
      await giveConsent(t.db, { stationId, actor: p }, p.personId, "mail", "online");
      const { signupId } = await book(p.personId);
      await sendDue(new Date());
      expect(await rowsOf(signupId)).toEqual([
        expect.objectContaining({ kind: "signup_confirmed", status: "sent" }),
        expect.objectContaining({ kind: "reminder", status: "pending" }),
      ]);
    });

    it("the account page says no mail goes out while the mail consent is withdrawn, and not otherwise", async () => {
      const shown = async (token: string) =>
        (
          (await callSafely(accountPage.loader as unknown as Handler, await getRequest("/account", { token }))).body as Awaited<
            ReturnType<typeof accountPage.loader>
          >
        ).mail.consentWithdrawn;
      const p = await resident("看账号页的郑阿姨");
      expect(await shown(p.token)).toBe(false);
      await giveConsent(t.db, { stationId, actor: p }, p.personId, "mail", "online");
      expect(await shown(p.token)).toBe(false);
      await withdrawConsent(t.db, { stationId, actor: p }, p.personId, "mail", "online");
      expect(await shown(p.token)).toBe(true);
    });

    it("mail reaching a caretaker needs the caretaker's own mail consent, checked at sending", async () => {
      const caretaker = await resident("会员林阿姨", [], ["mail"]);
      const [h] = await t.db.insert(households).values({ stationId, label: "富文路 8 号", caretakerId: caretaker.personId }).returning();
      await consentAll(t.db, stationId);
      const [elder] = await t.db.insert(people).values({ stationId, fullName: "没有邮箱的陈爷爷", householdId: h!.id }).returning({ id: people.id });
      const { signupId } = await book(elder!.id);
      // Queued: the elder has no address of his own, so whose mailbox it reaches is decided at sending.
      expect(await kindsOf(signupId)).toEqual(["signup_confirmed", "reminder"]);
      await sendDue(new Date());
      const [confirmation] = await t.db
        .select({ status: notifications.status, lastError: notifications.lastError })
        .from(notifications)
        .where(and(eq(notifications.signupId, signupId), eq(notifications.kind, "signup_confirmed")));
      expect(confirmation).toEqual({ status: "skipped", lastError: "no_mail_consent" });
    });
  });
}
