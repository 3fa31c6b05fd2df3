// A series need's set-up/clear-up minutes changed from its page: the shifts on it move one by
// one, each person is told and their reminder moves; a change that would put someone on two
// shifts at once, or over their weekly maximum, is refused whole with a message naming them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSeries, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { postRequest } from "../support/requests";
import { callSafely, messagesOf, text, type Handler } from "../support/routes-kit";
import { assign } from "../../models/rosters";
import { signUp } from "../../models/signups";
import { assignments, notifications, people, rosterNeeds, sessions } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import * as seriesNeeds from "../../app/routes/manage.activities.$id_.needs/route";

const MINUTE = 60_000;

for (const backend of backends) {
  describe(`changing a series need's minutes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
    });

    const during = async (id: number) =>
      (
        await t.db
          .select({ lo: sql<string>`lower(${assignments.during})`, hi: sql<string>`upper(${assignments.during})` })
          .from(assignments)
          .where(eq(assignments.id, id))
      ).map((r) => [new Date(r.lo), new Date(r.hi)])[0]!;
    const mails = (id: number) =>
      t.db
        .select({ kind: notifications.kind, dueAt: notifications.dueAt, status: notifications.status })
        .from(notifications)
        .where(eq(notifications.assignmentId, id));

    it("refuses an overlap or the weekly maximum with a message naming the person, changing nothing; otherwise re-times and mails", async () => {
      const skill = await makeSkill(t.db, stationId);
      const v = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }], name: "王阿姨" });
      // A series session 09:00–11:00 and, the same morning, an early shift 06:30–08:30.
      const { activityId, sessionIds } = await makeSeries(t.db, stationId, { count: 1, daysAhead: 20 });
      const sessionId = sessionIds[0]!;
      const [session] = await t.db.select().from(sessions).where(eq(sessions.id, sessionId));
      const early = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 20, title: "早间测血压" });
      await t.db
        .update(sessions)
        .set({ startsAt: sql`starts_at - interval '150 minutes'`, endsAt: sql`ends_at - interval '150 minutes'` })
        .where(eq(sessions.id, early.sessionId));
      const needId = await makeNeed(t.db, stationId, { activityId, skillId: skill, headCount: 2 });
      const earlyNeed = await makeNeed(t.db, stationId, { sessionId: early.sessionId, skillId: skill });
      const shift = await assign(t.db, { stationId, actor: coordinator }, { needId, sessionId, personId: v.personId });
      await assign(t.db, { stationId, actor: coordinator }, { needId: earlyNeed, sessionId: early.sessionId, personId: v.personId });
      await t.db.update(people).set({ maxWeeklyShiftMinutes: 240 }).where(eq(people.id, v.personId));
      const before = await during(shift.id);
      const mailsBefore = await mails(shift.id);

      const path = `/manage/activities/${activityId}/needs`;
      const change = async (startOffsetMinutes: number) =>
        callSafely(
          seriesNeeds.action as Handler,
          await postRequest(
            path,
            { intent: "update", needId: String(needId), headCount: "2", startOffsetMinutes: String(startOffsetMinutes), endOffsetMinutes: "0" },
            { token: coordinator.token },
          ),
          { id: String(activityId) },
        );
      const unchanged = async () => {
        expect(await during(shift.id)).toEqual(before);
        expect((await t.db.select({ o: rosterNeeds.startOffsetMinutes }).from(rosterNeeds).where(eq(rosterNeeds.id, needId)))[0]!.o).toBe(0);
        expect(await mails(shift.id)).toEqual(mailsBefore);
      };

      // An hour of set-up (08:00) runs into the early shift (until 08:30).
      const clash = await change(60);
      expect(clash.status, messagesOf(clash.body).join()).toBe(409);
      const earlyLocal = "08:30";
      expect(messagesOf(clash.body)[0]).toContain("王阿姨");
      expect(messagesOf(clash.body)[0]).toContain("早间测血压");
      expect(messagesOf(clash.body)[0]).toContain(`–${earlyLocal}`);
      await unchanged();

      // Half an hour (08:30) touches it but makes the week 270 minutes, over her 240.
      const tooLong = await change(30);
      expect(tooLong.status, messagesOf(tooLong.body).join()).toBe(409);
      expect(messagesOf(tooLong.body)).toEqual([text("zh-CN", "error.need_retime_weekly_limit", { name: "王阿姨", hours: 4 })]);
      await unchanged();

      // With room in her week the same change goes through: new time, a mail, the reminder moved.
      await t.db.update(people).set({ maxWeeklyShiftMinutes: 300 }).where(eq(people.id, v.personId));
      const ok = await change(30);
      expect(ok.status, messagesOf(ok.body).join()).toBe(200);
      const newStart = new Date(session!.startsAt.getTime() - 30 * MINUTE);
      expect(await during(shift.id)).toEqual([newStart, session!.endsAt]);
      const after = await mails(shift.id);
      expect(after.filter((m) => m.kind === "shift_changed")).toHaveLength(1);
      const reminder = after.find((m) => m.kind === "shift_reminder" && m.status === "pending");
      expect(reminder?.dueAt).toEqual(new Date(newStart.getTime() - 24 * 60 * MINUTE));
      expect(
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(assignments)
          .where(and(eq(assignments.personId, v.personId), eq(assignments.status, "cancelled"))),
      ).toEqual([{ n: 0 }]);
    });

    it("refuses moved shifts (even of the same length) that would run into a session the person signed up to attend", async () => {
      const skill = await makeSkill(t.db, stationId);
      const w = await makeVolunteer(t.db, stationId, { skills: [{ skillId: skill }], name: "李大爷" });
      const { activityId, sessionIds } = await makeSeries(t.db, stationId, { count: 1, daysAhead: 10 });
      const talk = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 10, title: "健康讲座" });
      await t.db
        .update(sessions)
        .set({ startsAt: sql`starts_at - interval '150 minutes'`, endsAt: sql`ends_at - interval '150 minutes'` })
        .where(eq(sessions.id, talk.sessionId));
      await signUp(t.db, { stationId, actor: w }, { sessionId: talk.sessionId, personId: w.personId, partySize: 1 });
      // 09:00–12:00 becomes 08:00–11:00: as long as before, but into the talk (until 08:30).
      const needId = await makeNeed(t.db, stationId, { activityId, skillId: skill, endOffsetMinutes: 60 });
      const shift = await assign(t.db, { stationId, actor: w }, { needId, sessionId: sessionIds[0]!, personId: w.personId });
      const before = await during(shift.id);
      const reply = await callSafely(
        seriesNeeds.action as Handler,
        await postRequest(
          `/manage/activities/${activityId}/needs`,
          { intent: "update", needId: String(needId), headCount: "1", startOffsetMinutes: "60", endOffsetMinutes: "0" },
          { token: coordinator.token },
        ),
        { id: String(activityId) },
      );
      expect(reply.status, messagesOf(reply.body).join()).toBe(409);
      expect(messagesOf(reply.body)[0]).toContain("李大爷");
      expect(messagesOf(reply.body)[0]).toContain("健康讲座");
      expect(await during(shift.id)).toEqual(before);
      expect((await t.db.select({ o: rosterNeeds.startOffsetMinutes }).from(rosterNeeds).where(eq(rosterNeeds.id, needId)))[0]!.o).toBe(0);
    });
  });
}
