/**
 * Shift mails as they arrive: a coordinator puts a volunteer on a shift, moves the session,
 * then cancels the shift; each mail goes through a real SMTP server on loopback and is read
 * back with mailparser, its invitation with node-ical.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import type { ParsedMail } from "mailparser";
import ical from "node-ical";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { useSmtpWorker } from "../support/smtp";
import { assign, respond } from "../../models/rosters/assignments";
import { updateSession } from "../../models/sessions";
import { notifications, people } from "../../models/db/schema";

function calendarOf(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === "text/calendar");
  if (!part) return undefined;
  const text = part.content.toString("utf8");
  const event = Object.values(ical.sync.parseICS(text)).find((c) => c?.type === "VEVENT") as ical.VEvent | undefined;
  return { method: /^METHOD:(.+)$/m.exec(text)?.[1]?.trim(), event };
}

for (const backend of backends) {
  describe(`shift mails on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const mail = useSmtpWorker({ beforeAll, afterAll });

    const deliver = () => mail.deliver(t.db);

    it("tells the volunteer of a proposed shift, its move and its cancellation, under one calendar UID", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const skillId = await makeSkill(t.db, stationId, { nameZh: "量血压", nameEn: "Blood pressure" });
      const volunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "李志愿" });
      await t.db.update(people).set({ email: "li@example.org", needs: "NEEDS-SECRET-4242" }).where(eq(people.id, volunteer.personId));
      const session = await makeSession(t.db, stationId, { capacity: 10, title: "公益义诊", daysAhead: 5 });
      const needId = await makeNeed(t.db, stationId, { sessionId: session.sessionId, skillId, startOffsetMinutes: 30 });
      const ctx = { stationId, actor: coordinator };

      const { id } = await assign(t.db, ctx, { needId, sessionId: session.sessionId, personId: volunteer.personId });
      const [assigned] = await deliver();
      expect(assigned?.to && "text" in assigned.to ? assigned.to.text : "").toContain("li@example.org");
      expect(assigned!.subject).toMatch(/^新的排班：公益义诊 · /);
      expect(assigned!.text).toContain("量血压");
      expect(assigned!.text).toContain("请在“我的排班”里确认或婉拒");
      const request = calendarOf(assigned!)!;
      expect(request.method).toBe("REQUEST");
      expect(request.event!.uid).toBe(`shift-${id}@hearth.localhost`);
      // The shift starts 30 minutes before the session, for setting up.
      expect(new Date(request.event!.start).toISOString()).toBe(new Date(session.startsAt.getTime() - 30 * 60_000).toISOString());

      const newStart = DateTime.fromJSDate(session.startsAt, { zone: ZONE }).plus({ hours: 2 });
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, session.sessionId, {
        startsAt: newStart.toJSDate(),
        endsAt: newStart.plus({ hours: 2 }).toJSDate(),
      });
      const moved = (await deliver()).find((m) => m.subject?.startsWith("排班时间有变"));
      expect(moved, "a shift_changed mail").toBeDefined();
      expect(moved!.text).toContain("原安排");
      const update = calendarOf(moved!)!;
      expect(update.event!.uid).toBe(`shift-${id}@hearth.localhost`);
      expect(new Date(update.event!.start).toISOString()).toBe(newStart.minus({ minutes: 30 }).toUTC().toJSDate().toISOString());
      expect(Number(update.event!.sequence)).toBeGreaterThan(Number(request.event!.sequence));

      await respond(t.db, ctx, id, "cancel");
      const [cancelled] = await deliver();
      expect(cancelled!.subject).toMatch(/^排班已取消：/);
      const withdrawal = calendarOf(cancelled!)!;
      expect(withdrawal.method).toBe("CANCEL");
      expect(withdrawal.event!.uid).toBe(`shift-${id}@hearth.localhost`);
      expect(Number(withdrawal.event!.sequence)).toBeGreaterThan(Number(update.event!.sequence));

      // The reminder for the cancelled shift is not sent, and no health note went anywhere.
      const pendingReminders = await t.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.assignmentId, id), eq(notifications.kind, "shift_reminder"), eq(notifications.status, "pending")));
      expect(pendingReminders).toEqual([]);
      for (const m of mail.received()) expect(m.raw.toString("utf8")).not.toContain("NEEDS-SECRET-4242");
    });

    it("reminds of a confirmed shift, and not of a proposal nobody answered", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const skillId = await makeSkill(t.db, stationId);
      const session = await makeSession(t.db, stationId, { capacity: 10, title: "健康讲座", daysAhead: 3 });
      const needId = await makeNeed(t.db, stationId, { sessionId: session.sessionId, skillId, headCount: 2 });
      const ctx = { stationId, actor: coordinator };
      const reminderOf = async (personId: number) => {
        const volunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: `志愿者${personId}` });
        await t.db
          .update(people)
          .set({ email: `v${volunteer.personId}@example.org` })
          .where(eq(people.id, volunteer.personId));
        const { id } = await assign(t.db, ctx, { needId, sessionId: session.sessionId, personId: volunteer.personId });
        return { id, volunteer };
      };
      const unanswered = await reminderOf(1);
      const answered = await reminderOf(2);
      await respond(t.db, { stationId, actor: answered.volunteer }, answered.id, "confirm");
      // Both reminders fall due now.
      await t.db
        .update(notifications)
        .set({ dueAt: new Date(Date.now() - 1000) })
        .where(eq(notifications.kind, "shift_reminder"));
      const mails = await deliver();
      const reminders = mails.filter((m) => m.subject?.startsWith("排班提醒"));
      expect(reminders.map((m) => (m.to && "value" in m.to ? m.to.value[0]?.address : ""))).toEqual([`v${answered.volunteer.personId}@example.org`]);
      const [skipped] = await t.db
        .select({ status: notifications.status, lastError: notifications.lastError })
        .from(notifications)
        .where(and(eq(notifications.assignmentId, unanswered.id), eq(notifications.kind, "shift_reminder")));
      expect(skipped).toEqual({ status: "skipped", lastError: "assignment_not_confirmed" });
    });
  });
}
