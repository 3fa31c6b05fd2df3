/**
 * The reminder of a moved session, end to end: written at signup, re-timed by the move, and
 * sent by the worker at the new time — never at the old one. The worker's clock is driven
 * with its `now` option, so nothing sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { useSmtpWorker } from "../support/smtp";
import { signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { notifications, people } from "../../models/db/schema";

const MINUTE = 60_000;

for (const backend of backends) {
  describe(`a moved session's reminder on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const mail = useSmtpWorker({ beforeAll, afterAll });

    /** Runs the worker as if the clock showed `at`; returns the reminder subjects it sent. */
    async function remindersSentAt(at: Date) {
      const mails = await mail.deliver(t.db, at);
      return mails.map((m) => m.subject ?? "").filter((s) => s.startsWith("活动提醒"));
    }

    it("goes out a day before the new time, and not a day before the old one", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      await t.db.update(people).set({ email: "wang@example.org" }).where(eq(people.id, resident.personId));
      const session = await makeSession(t.db, stationId, { capacity: 10, title: "太极拳", daysAhead: 3 });
      await signUp(t.db, { stationId, actor: resident }, { sessionId: session.sessionId, personId: resident.personId, partySize: 1 });

      const oldStart = DateTime.fromJSDate(session.startsAt, { zone: ZONE });
      const newStart = oldStart.plus({ days: 2, hours: 1 });
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId }, session.sessionId, {
        startsAt: newStart.toJSDate(),
        endsAt: newStart.plus({ hours: 2 }).toJSDate(),
      });

      const [reminder] = await t.db
        .select({ dueAt: notifications.dueAt, expiresAt: notifications.expiresAt })
        .from(notifications)
        .where(and(eq(notifications.sessionId, session.sessionId), eq(notifications.kind, "reminder")));
      expect(reminder!.dueAt.toISOString()).toBe(newStart.minus({ days: 1 }).toJSDate().toISOString());

      // At the old reminder time (and just before the new one) nothing is due.
      expect(await remindersSentAt(new Date(oldStart.minus({ days: 1 }).toMillis() + MINUTE))).toEqual([]);
      expect(await remindersSentAt(new Date(newStart.minus({ days: 1 }).toMillis() - MINUTE))).toEqual([]);
      // At the new time it goes out once, naming the new start.
      const sent = await remindersSentAt(new Date(newStart.minus({ days: 1 }).toMillis() + MINUTE));
      expect(sent).toEqual([`活动提醒：太极拳 · ${newStart.setLocale("zh-CN").toFormat("M月d日（ccc）HH:mm")}`]);
      expect(await remindersSentAt(new Date(newStart.minus({ hours: 1 }).toMillis()))).toEqual([]);
    });
  });
}
