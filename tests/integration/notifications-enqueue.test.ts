import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople } from "../support/signup-fixtures";
import { countMail, mailOf, sessionsOf, timedActivityInput, utc, ZONE } from "../support/notification-fixtures";
import { createActivity, updateActivity, type ActivityInput } from "../../models/activities";
import { cancelSignup, signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { dayOfDueSql, enqueue, reminderDueSql } from "../../models/notifications/enqueue";
import { dayOfDueAt, plannedReminders, reminderDueAt } from "../../models/notifications/timing";
import { assignments, notifications, signups } from "../../models/db/schema";
import { assign } from "../../models/rosters/assignments";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { AlreadySignedUp, CapacityBelowConfirmed, SignupClosed } from "../../models/errors";
import type { Actor } from "../../models/permissions";

// Every instant is fixed, so the expectations can be written in UTC. The sessions are at
// 09:00 Shanghai (01:00 UTC), two hours long; signups open 14 days and close 60 minutes before.
const CREATED = utc("2030-03-01T00:00:00Z");
const NOW = utc("2030-03-05T00:00:00Z");
const START = utc("2030-03-12T01:00:00Z"); // 09:00 Tuesday 12 March 2030, Shanghai
const END = utc("2030-03-12T03:00:00Z");
const REMINDER = utc("2030-03-11T01:00:00Z"); // 24 h before
const DAY_OF = utc("2030-03-11T23:00:00Z"); // 07:00 on 12 March, Shanghai

const only = <T extends { kind: string }>(rows: T[], kind: string) => rows.filter((r) => r.kind === kind);

for (const backend of backends) {
  describe(`notifications written with their cause on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    let dates = 0;
    const activityCtx = (now: Date) => ({ stationId, timeZone: ZONE, actorAccountId: coordinator.accountId, horizonDays: 60, now });

    /** A one-off session on 12 March (each test its own activity), with the given settings. */
    async function session(options: { capacity?: number; reminderMinutes?: number; remindDayOf?: boolean; startDate?: string } = {}) {
      const input = await timedActivityInput(t.db, stationId, { startDate: "2030-03-12", title: `活动${++dates}`, remindDayOf: true, ...options });
      const activityId = await createActivity(t.db, activityCtx(CREATED), input);
      const [row] = await sessionsOf(t.db, activityId);
      return { activityId, input, sessionId: row!.id };
    }
    const book = (sessionId: number, personId: number, now = NOW, actor = coordinator) =>
      signUp(t.db, { stationId, actor, now }, { sessionId, personId, partySize: 1 });
    /** A one-place session with a confirmed signup, a waitlisted one and a cancelled one. */
    async function sessionOfThree() {
      const { sessionId } = await session({ capacity: 1 });
      const people = (await makePeople(t.db, stationId, 3)) as [number, number, number];
      const confirmed = await book(sessionId, people[0]);
      const waiting = await book(sessionId, people[1]);
      const gone = await book(sessionId, people[2]);
      await cancelSignup(t.db, { stationId, actor: coordinator, now: NOW }, gone.id);
      return { sessionId, people, confirmed, waiting, gone };
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("a confirmed signup writes its confirmation and both reminders, at the right UTC instants", async () => {
      const { sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      expect(await mailOf(t.db, { signupId: signup.id })).toEqual([
        {
          kind: "signup_confirmed",
          dedupeKey: `signup_confirmed:${signup.id}`,
          personId: p,
          signupId: signup.id,
          sessionId,
          payload: {},
          dueAt: NOW,
          expiresAt: END,
          status: "pending",
          lastError: null,
        },
        {
          kind: "reminder",
          dedupeKey: `reminder:${signup.id}`,
          personId: p,
          signupId: signup.id,
          sessionId,
          payload: {},
          dueAt: REMINDER,
          expiresAt: START,
          status: "pending",
          lastError: null,
        },
        {
          kind: "reminder_day_of",
          dedupeKey: `reminder_day_of:${signup.id}`,
          personId: p,
          signupId: signup.id,
          sessionId,
          payload: {},
          dueAt: DAY_OF,
          expiresAt: START,
          status: "pending",
          lastError: null,
        },
      ]);
      // The SQL in the statement and the pure timing module agree.
      const planned = plannedReminders({ startsAt: START, timeZone: ZONE }, { reminderMinutes: 1440, remindDayOf: true }, NOW);
      expect(planned.map((r) => [r.kind, r.dueAt, r.expiresAt])).toEqual([
        ["reminder", REMINDER, START],
        ["reminder_day_of", DAY_OF, START],
      ]);
    });

    it("follows the activity's settings: other minutes, no day-of, or no reminder at all", async () => {
      const ninety = await session({ reminderMinutes: 90, remindDayOf: false });
      const none = await session({ reminderMinutes: 0, remindDayOf: false });
      const [a, b] = await makePeople(t.db, stationId, 2);
      const first = await book(ninety.sessionId, a!);
      const second = await book(none.sessionId, b!);
      expect((await mailOf(t.db, { signupId: first.id })).map((r) => [r.kind, r.dueAt])).toEqual([
        ["signup_confirmed", NOW],
        ["reminder", utc("2030-03-11T23:30:00Z")],
      ]);
      expect((await mailOf(t.db, { signupId: second.id })).map((r) => r.kind)).toEqual(["signup_confirmed"]);
    });

    it("sends no late reminder to a signup made after the reminder time", async () => {
      const { sessionId } = await session();
      const [evening, morning] = await makePeople(t.db, stationId, 2);
      // 20:00 the evening before: the 24-hour reminder is past, the day-of one is not.
      const late = await book(sessionId, evening!, utc("2030-03-11T12:00:00Z"));
      expect((await mailOf(t.db, { signupId: late.id })).map((r) => [r.kind, r.dueAt])).toEqual([
        ["signup_confirmed", utc("2030-03-11T12:00:00Z")],
        ["reminder_day_of", DAY_OF],
      ]);
      // 07:30 on the day: only the confirmation.
      const later = await book(sessionId, morning!, utc("2030-03-11T23:30:00Z"));
      expect((await mailOf(t.db, { signupId: later.id })).map((r) => r.kind)).toEqual(["signup_confirmed"]);
    });

    it("a waitlisted signup is told so and gets no reminders; promotion writes the promoted mail and the reminders", async () => {
      const { sessionId } = await session({ capacity: 1 });
      const [a, b] = await makePeople(t.db, stationId, 2);
      const first = await book(sessionId, a!);
      const waiting = await book(sessionId, b!);
      expect(waiting.status).toBe("waitlisted");
      expect((await mailOf(t.db, { signupId: waiting.id })).map((r) => [r.dedupeKey, r.payload, r.dueAt, r.expiresAt])).toEqual([
        [`signup_waitlisted:${waiting.id}`, { position: 1 }, NOW, END],
      ]);
      const later = utc("2030-03-08T00:00:00Z");
      const result = await cancelSignup(t.db, { stationId, actor: coordinator, now: later }, first.id);
      expect(result.promoted).toEqual([waiting.id]);
      expect((await mailOf(t.db, { signupId: waiting.id })).map((r) => [r.dedupeKey, r.dueAt, r.expiresAt, r.status])).toEqual([
        [`signup_waitlisted:${waiting.id}`, NOW, END, "pending"],
        [`signup_promoted:${waiting.id}`, later, END, "pending"],
        [`reminder:${waiting.id}`, REMINDER, START, "pending"],
        [`reminder_day_of:${waiting.id}`, DAY_OF, START, "pending"],
      ]);
    });

    it("cancelling cancels the signup's pending mail and writes the cancel kind: self, or staff for someone else", async () => {
      const { sessionId } = await session();
      const resident = await makeActor(t.db, stationId, ["resident"], "林秀珍");
      const [other] = await makePeople(t.db, stationId, 1);
      const own = await book(sessionId, resident.personId, NOW, resident);
      const booked = await book(sessionId, other!);
      const later = utc("2030-03-06T00:00:00Z");
      await cancelSignup(t.db, { stationId, actor: resident, now: later }, own.id);
      await cancelSignup(t.db, { stationId, actor: coordinator, now: later }, booked.id);
      // A second cancel (a double submit) changes nothing and writes nothing.
      await cancelSignup(t.db, { stationId, actor: resident, now: later }, own.id);
      expect((await mailOf(t.db, { signupId: own.id })).map((r) => [r.kind, r.status, r.lastError])).toEqual([
        ["signup_confirmed", "cancelled", "signup_cancelled"],
        ["reminder", "cancelled", "signup_cancelled"],
        ["reminder_day_of", "cancelled", "signup_cancelled"],
        ["signup_cancelled", "pending", null],
      ]);
      const staffCancel = only(await mailOf(t.db, { signupId: booked.id }), "signup_cancelled_by_staff");
      expect(staffCancel).toMatchObject([{ dedupeKey: `signup_cancelled_by_staff:${booked.id}`, dueAt: later, expiresAt: END, status: "pending" }]);
      expect(only(await mailOf(t.db, { signupId: booked.id }), "signup_cancelled")).toEqual([]);
      // Staff cancelling their own signup is a plain cancellation.
      const own2 = await book(sessionId, coordinator.personId);
      await cancelSignup(t.db, { stationId, actor: coordinator, now: later }, own2.id);
      expect((await mailOf(t.db, { signupId: own2.id })).at(-1)).toMatchObject({ kind: "signup_cancelled" });
    });

    it("changes made after the session is over tell nobody", async () => {
      const { sessionId } = await session({ capacity: 2 });
      const [a, b] = await makePeople(t.db, stationId, 2);
      const first = await book(sessionId, a!);
      const second = await book(sessionId, b!);
      const afterwards = utc("2030-03-12T05:00:00Z"); // 13:00, the session ended at 11:00
      // Nobody cancels a place once the session has started (attendance is the front desk's), staff neither.
      await expect(cancelSignup(t.db, { stationId, actor: coordinator, now: afterwards }, first.id)).rejects.toMatchObject({
        code: "cancel_started",
      });
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: afterwards };
      await updateSession(t.db, ctx, sessionId, { location: "社区活动室" });
      await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
      const kinds = (await mailOf(t.db, { sessionId })).map((r) => r.kind);
      expect(kinds.filter((k) => !k.startsWith("reminder") && k !== "signup_confirmed")).toEqual([]);
      expect((await mailOf(t.db, { signupId: second.id })).map((r) => r.kind)).toEqual(["signup_confirmed", "reminder", "reminder_day_of"]);
    });

    it("a refused signup writes no mail, and a double submit leaves one of each", async () => {
      const { sessionId } = await session();
      const [p, q] = await makePeople(t.db, stationId, 2);
      // After signups closed (08:30 on the day): refused, nothing written.
      await expect(book(sessionId, p!, utc("2030-03-12T00:30:00Z"))).rejects.toBeInstanceOf(SignupClosed);
      expect(await mailOf(t.db, { sessionId })).toEqual([]);
      const first = await book(sessionId, q!);
      await expect(book(sessionId, q!)).rejects.toBeInstanceOf(AlreadySignedUp);
      expect(await countMail(t.db, `signup_confirmed:${first.id}`)).toBe(1);
      expect((await mailOf(t.db, { sessionId })).length).toBe(3);
      const [row] = await t.db.select({ n: signups.id }).from(signups).where(eq(signups.sessionId, sessionId));
      expect(row!.n).toBe(first.id);
    });

    it("moving a session tells its active signups the old time and re-times the reminders", async () => {
      const { sessionId, confirmed, waiting, gone } = await sessionOfThree();
      const newStart = utc("2030-03-13T02:00:00Z"); // 10:00 Wednesday, Shanghai
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
      await updateSession(t.db, ctx, sessionId, { startsAt: newStart });
      const payload = { previousStartsAt: START.toISOString(), previousEndsAt: END.toISOString(), previousLocation: "驿站医疗保健区" };
      for (const signup of [confirmed, waiting]) {
        expect(only(await mailOf(t.db, { signupId: signup.id }), "session_changed")).toMatchObject([
          { dedupeKey: `session_changed:${signup.id}:1`, payload, dueAt: NOW, expiresAt: newStart, status: "pending" },
        ]);
      }
      // Exactly the old time and place: no health data, no "restored" flag on a plain move.
      expect(only(await mailOf(t.db, { signupId: confirmed.id }), "session_changed")[0]!.payload).toEqual(payload);
      expect(only(await mailOf(t.db, { signupId: gone.id }), "session_changed")).toEqual([]);
      const reminders = (await mailOf(t.db, { signupId: confirmed.id })).filter((r) => r.kind.startsWith("reminder"));
      expect(reminders.map((r) => [r.kind, r.dueAt, r.expiresAt, r.status])).toEqual([
        ["reminder", utc("2030-03-12T02:00:00Z"), newStart, "pending"],
        ["reminder_day_of", utc("2030-03-12T23:00:00Z"), newStart, "pending"],
      ]);
      // The same edit again is no change: no second mail.
      await updateSession(t.db, ctx, sessionId, { startsAt: newStart });
      expect(await countMail(t.db, `session_changed:${confirmed.id}:`)).toBe(1);
      // A new place is a change too. While the first mail is unsent, the new one replaces it and
      // keeps what the person last heard: the original time and place.
      await updateSession(t.db, ctx, sessionId, { location: "社区活动室" });
      expect(
        only(await mailOf(t.db, { signupId: confirmed.id }), "session_changed").map((r) => [r.dedupeKey, r.status, r.lastError, r.payload]),
      ).toEqual([
        [`session_changed:${confirmed.id}:1`, "cancelled", "superseded", payload],
        [`session_changed:${confirmed.id}:2`, "pending", null, payload],
      ]);
      // Once the first was sent, the next change is told from where that mail left it.
      await t.db
        .update(notifications)
        .set({ status: "sent" })
        .where(eq(notifications.dedupeKey, `session_changed:${confirmed.id}:2`));
      await updateSession(t.db, ctx, sessionId, { location: "驿站二楼" });
      expect(only(await mailOf(t.db, { signupId: confirmed.id }), "session_changed").at(-1)).toMatchObject({
        dedupeKey: `session_changed:${confirmed.id}:3`,
        status: "pending",
        payload: { previousStartsAt: newStart.toISOString(), previousLocation: "社区活动室" },
      });
    });

    it("moving a session to a time whose reminder has passed cancels that reminder; moving it back brings it back", async () => {
      const { sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      const evening = utc("2030-03-11T12:00:00Z"); // 20:00 on 11 March, Shanghai
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: evening };
      // 04:00 on 12 March Shanghai: the 24-hour reminder is past; the day-of one is now 02:00 local.
      const early = utc("2030-03-11T20:00:00Z");
      await updateSession(t.db, ctx, sessionId, { startsAt: early });
      const reminders = () => mailOf(t.db, { signupId: signup.id }).then((rows) => rows.filter((r) => r.kind.startsWith("reminder")));
      expect((await reminders()).map((r) => [r.kind, r.dueAt, r.expiresAt, r.status, r.lastError])).toEqual([
        ["reminder", utc("2030-03-10T20:00:00Z"), early, "cancelled", "retimed_past"],
        ["reminder_day_of", utc("2030-03-11T18:00:00Z"), early, "pending", null],
      ]);
      const nextWeek = utc("2030-03-19T01:00:00Z");
      await updateSession(t.db, ctx, sessionId, { startsAt: nextWeek });
      expect((await reminders()).map((r) => [r.kind, r.dueAt, r.status])).toEqual([
        ["reminder", utc("2030-03-18T01:00:00Z"), "pending"],
        ["reminder_day_of", utc("2030-03-18T23:00:00Z"), "pending"],
      ]);
    });

    it("cancelling a session tells each active signup and silences the reminders; the signups stay, and restoring brings the reminders back", async () => {
      const {
        sessionId,
        people: [a, b],
        confirmed,
        waiting,
        gone,
      } = await sessionOfThree();
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
      await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
      const cancelMail = (await mailOf(t.db, { sessionId })).filter((r) => r.kind === "session_cancelled");
      expect(cancelMail.map((r) => [r.dedupeKey, r.personId, r.dueAt, r.expiresAt])).toEqual([
        [`session_cancelled:${confirmed.id}:1`, a, NOW, END],
        [`session_cancelled:${waiting.id}:1`, b, NOW, END],
      ]);
      const reminderStates = async () =>
        (await mailOf(t.db, { signupId: confirmed.id })).filter((r) => r.kind.startsWith("reminder")).map((r) => [r.status, r.lastError]);
      expect(await reminderStates()).toEqual([
        ["cancelled", "session_cancelled"],
        ["cancelled", "session_cancelled"],
      ]);
      // Today's behaviour kept: the signups themselves are not cancelled.
      const statuses = await t.db.select({ id: signups.id, status: signups.status }).from(signups).where(eq(signups.sessionId, sessionId));
      expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
        new Map([
          [confirmed.id, "confirmed"],
          [waiting.id, "waitlisted"],
          [gone.id, "cancelled"],
        ]),
      );
      await updateSession(t.db, ctx, sessionId, { status: "scheduled" });
      expect(await reminderStates()).toEqual([
        ["pending", null],
        ["pending", null],
      ]);
      // Those told of the cancellation hear that it is on after all (sequence 2: cancel, restore).
      for (const signup of [confirmed, waiting]) {
        expect(only(await mailOf(t.db, { signupId: signup.id }), "session_changed")).toMatchObject([
          { dedupeKey: `session_changed:${signup.id}:2`, payload: { restored: true, previousStartsAt: START.toISOString() }, status: "pending" },
        ]);
      }
    });

    it("a session cancelled, restored and cancelled again tells its people of each cancellation", async () => {
      const { sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
      await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
      await updateSession(t.db, ctx, sessionId, { status: "scheduled" });
      await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
      expect(only(await mailOf(t.db, { signupId: signup.id }), "session_cancelled").map((r) => r.dedupeKey)).toEqual([
        `session_cancelled:${signup.id}:1`,
        `session_cancelled:${signup.id}:3`,
      ]);
    });

    it("raising a series' capacity leaves a cancelled session alone: nobody promoted, and after a restore no newcomer jumps the waitlist", async () => {
      const { activityId, input, sessionId } = await session({ capacity: 1 });
      const [a, b, c] = await makePeople(t.db, stationId, 3);
      await book(sessionId, a!);
      const waiting = await book(sessionId, b!);
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
      await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, capacity: 2 });
      const [cancelled] = await sessionsOf(t.db, activityId);
      expect([cancelled!.status, cancelled!.capacity, cancelled!.taken]).toEqual(["cancelled", 1, 1]);
      expect((await t.db.select({ status: signups.status }).from(signups).where(eq(signups.id, waiting.id)))[0]!.status).toBe("waitlisted");
      expect(only(await mailOf(t.db, { signupId: waiting.id }), "signup_promoted")).toEqual([]);
      // Restored: the one waiting is still first in line; a newcomer does not take a place ahead of them.
      await updateSession(t.db, ctx, sessionId, { status: "scheduled" });
      expect((await book(sessionId, c!)).status).toBe("waitlisted");
    });

    it("lowering a series' capacity is not refused because of a cancelled session's bookings", async () => {
      const { activityId, input, sessionId } = await session({ capacity: 2 });
      const [a, b] = await makePeople(t.db, stationId, 2);
      await book(sessionId, a!);
      await book(sessionId, b!);
      await updateSession(t.db, { stationId, actorAccountId: coordinator.accountId, now: NOW }, sessionId, { status: "cancelled" });
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, capacity: 1 });
      const [cancelled] = await sessionsOf(t.db, activityId);
      expect([cancelled!.capacity, cancelled!.taken]).toEqual([2, 2]);
    });

    it("a series edit that moves a session does the same as moving it by hand", async () => {
      const { activityId, input, sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startTime: "10:00" });
      const rows = await mailOf(t.db, { signupId: signup.id });
      expect(only(rows, "session_changed")).toMatchObject([
        {
          dedupeKey: `session_changed:${signup.id}:1`,
          payload: { previousStartsAt: START.toISOString(), previousEndsAt: END.toISOString(), previousLocation: "驿站医疗保健区" },
        },
      ]);
      expect(only(rows, "reminder").map((r) => [r.dueAt, r.expiresAt])).toEqual([[utc("2030-03-11T02:00:00Z"), utc("2030-03-12T02:00:00Z")]]);
    });

    it("a series edit that changes only the activity's place raises the sequence and tells the people of sessions without a place of their own", async () => {
      const input = {
        ...(await timedActivityInput(t.db, stationId, { startDate: "2030-03-12", title: `活动${++dates}` })),
        rule: { freq: "WEEKLY" as const, interval: 1, byWeekday: ["TU" as const], count: 2 },
      };
      const activityId = await createActivity(t.db, activityCtx(CREATED), input);
      const [first, second] = await sessionsOf(t.db, activityId);
      const [a, b] = await makePeople(t.db, stationId, 2);
      const follows = await book(first!.id, a!);
      const ownPlace = await book(second!.id, b!, utc("2030-03-06T00:00:00Z"));
      const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
      await updateSession(t.db, ctx, second!.id, { location: "二楼活动室" });
      const ownMail = await mailOf(t.db, { signupId: ownPlace.id });
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, location: "社区礼堂" });
      const after = await sessionsOf(t.db, activityId);
      expect(after.map((s) => s.sequence)).toEqual([1, 1]);
      expect(only(await mailOf(t.db, { signupId: follows.id }), "session_changed")).toMatchObject([
        {
          dedupeKey: `session_changed:${follows.id}:1`,
          payload: { previousStartsAt: START.toISOString(), previousEndsAt: END.toISOString(), previousLocation: "驿站医疗保健区" },
          status: "pending",
        },
      ]);
      // Its own place did not change: nothing new for that session.
      expect(await mailOf(t.db, { signupId: ownPlace.id })).toEqual(ownMail);
      // The same place again: nothing more.
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, location: "社区礼堂" });
      expect((await sessionsOf(t.db, activityId)).map((s) => s.sequence)).toEqual([1, 1]);
    });

    it("a series edit that moves the sessions and changes the place sends one mail per signup", async () => {
      const { activityId, input, sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startTime: "10:00", location: "社区礼堂" });
      expect((await sessionsOf(t.db, activityId)).map((s) => s.sequence)).toEqual([1]);
      expect(only(await mailOf(t.db, { signupId: signup.id }), "session_changed")).toMatchObject([
        { dedupeKey: `session_changed:${signup.id}:1`, payload: { previousStartsAt: START.toISOString(), previousLocation: "驿站医疗保健区" } },
      ]);
    });

    it("a series edit refused for a capacity cut writes no mail and leaves the reminders where they were", async () => {
      const { activityId, input, sessionId } = await session({ capacity: 2 });
      const [a, b] = await makePeople(t.db, stationId, 2);
      const first = await book(sessionId, a!);
      await book(sessionId, b!);
      const before = await mailOf(t.db, { sessionId });
      await expect(updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startTime: "10:00", capacity: 1 })).rejects.toBeInstanceOf(
        CapacityBelowConfirmed,
      );
      expect(await mailOf(t.db, { sessionId })).toEqual(before);
      expect(only(await mailOf(t.db, { signupId: first.id }), "reminder")[0]!.dueAt).toEqual(REMINDER);
    });

    it("a series edit that drops a booked date cancels that session and tells its people", async () => {
      const { activityId, input, sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startDate: "2030-03-19" });
      const rows = await mailOf(t.db, { signupId: signup.id });
      expect(only(rows, "session_cancelled")).toMatchObject([{ dedupeKey: `session_cancelled:${signup.id}:1`, dueAt: NOW, expiresAt: END }]);
      expect(rows.filter((r) => r.kind.startsWith("reminder")).map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
    });

    it("a series edit can drop a date whose only signup was cancelled: kept as cancelled, nobody told again", async () => {
      const { activityId, input, sessionId } = await session();
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      await cancelSignup(t.db, { stationId, actor: coordinator, now: NOW }, signup.id);
      await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startDate: "2030-03-19" });
      const remaining = await sessionsOf(t.db, activityId);
      expect(remaining.map((s) => [s.startsAt, s.status])).toEqual([
        [START, "cancelled"],
        [utc("2030-03-19T01:00:00Z"), "scheduled"],
      ]);
      expect(only(await mailOf(t.db, { signupId: signup.id }), "session_cancelled")).toEqual([]);
      expect(only(await mailOf(t.db, { signupId: signup.id }), "signup_cancelled_by_staff")).toHaveLength(1);
    });

    it("new reminder settings re-time the pending reminders and add the ones newly wanted", async () => {
      const { activityId, input, sessionId } = await session({ reminderMinutes: 1440, remindDayOf: false });
      const [p] = await makePeople(t.db, stationId, 1);
      const signup = await book(sessionId, p!);
      const edit = (changes: Partial<ActivityInput>) => updateActivity(t.db, activityCtx(NOW), activityId, { ...input, ...changes });
      await edit({ reminderMinutes: 120, remindDayOf: true });
      const states = async () =>
        (await mailOf(t.db, { signupId: signup.id })).filter((r) => r.kind.startsWith("reminder")).map((r) => [r.kind, r.dueAt, r.status]);
      expect(await states()).toEqual([
        ["reminder", utc("2030-03-11T23:00:00Z"), "pending"],
        ["reminder_day_of", DAY_OF, "pending"],
      ]);
      await edit({ reminderMinutes: 0, remindDayOf: true });
      expect((await mailOf(t.db, { signupId: signup.id })).find((r) => r.kind === "reminder")).toMatchObject({
        status: "cancelled",
        lastError: "reminder_off",
      });
      await edit({ reminderMinutes: 60, remindDayOf: true });
      expect((await states())[0]).toEqual(["reminder", utc("2030-03-12T00:00:00Z"), "pending"]);
    });

    it("refuses reminder minutes outside 0..10080", async () => {
      const input = await timedActivityInput(t.db, stationId, { startDate: "2030-03-12" });
      await expect(createActivity(t.db, activityCtx(CREATED), { ...input, reminderMinutes: 10_081 })).rejects.toMatchObject({
        problems: ["reminder_minutes"],
      });
      await expect(createActivity(t.db, activityCtx(CREATED), { ...input, reminderMinutes: 1.5 })).rejects.toMatchObject({
        problems: ["reminder_minutes"],
      });
      // Each series problem is told like the rule's own: a `rule.<code>` message in both catalogs.
      const { zhCN } = await import("../../models/i18n/zh-CN");
      const { en } = await import("../../models/i18n/en");
      const refused = (await createActivity(t.db, activityCtx(CREATED), { ...input, reminderMinutes: -5 }).catch((e: unknown) => e)) as {
        problems: string[];
      };
      expect(refused.problems).toEqual(["reminder_minutes"]);
      for (const code of refused.problems) {
        expect(zhCN).toHaveProperty([`rule.${code}`]);
        expect(en).toHaveProperty([`rule.${code}`]);
      }
    });

    it("concurrent signups, each submitted twice, leave exactly one set of mail per signup", async () => {
      const { sessionId } = await session({ capacity: 3 });
      const people = await makePeople(t.db, stationId, 8);
      const results = await Promise.allSettled(people.flatMap((p) => [book(sessionId, p), book(sessionId, p)]));
      const made = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(made).toHaveLength(8);
      expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof AlreadySignedUp)).toBe(true);
      const rows = await mailOf(t.db, { sessionId });
      for (const signup of made) {
        const kinds = rows.filter((r) => r.signupId === signup.id).map((r) => r.kind);
        expect(kinds).toEqual(signup.status === "confirmed" ? ["signup_confirmed", "reminder", "reminder_day_of"] : ["signup_waitlisted"]);
      }
      expect(rows).toHaveLength(3 * 3 + 5);
    });

    it("a cancel racing a move leaves the cancelled signup no pending mail but its cancellation", async () => {
      const { sessionId } = await session();
      const [a, b] = await makePeople(t.db, stationId, 2);
      const leaving = await book(sessionId, a!);
      const staying = await book(sessionId, b!);
      const newStart = utc("2030-03-14T01:00:00Z");
      await Promise.all([
        cancelSignup(t.db, { stationId, actor: coordinator, now: NOW }, leaving.id),
        updateSession(t.db, { stationId, actorAccountId: coordinator.accountId, now: NOW }, sessionId, { startsAt: newStart }),
      ]);
      const pending = (await mailOf(t.db, { signupId: leaving.id })).filter((r) => r.status === "pending").map((r) => r.kind);
      expect(pending).toEqual(["signup_cancelled_by_staff"]);
      const kept = await mailOf(t.db, { signupId: staying.id });
      expect(only(kept, "reminder")).toMatchObject([{ dueAt: utc("2030-03-13T01:00:00Z"), expiresAt: newStart, status: "pending" }]);
      expect(only(kept, "session_changed")).toHaveLength(1);
    });

    it("the SQL that writes the rows computes the same instants as the timing module, across zones and DST changes", async () => {
      const zones = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Australia/Lord_Howe"];
      // Every 5 hours 23 minutes through two weeks around each change: US 10 March and 3 November,
      // Europe 31 March and 27 October, Lord Howe (half an hour) 7 April and 6 October 2030.
      const starts = [utc("2030-03-04T00:00:00Z"), utc("2030-03-27T00:00:00Z"), utc("2030-10-01T00:00:00Z"), utc("2030-10-24T00:00:00Z")].flatMap(
        (from) => Array.from({ length: 63 }, (_, i) => new Date(from.getTime() + i * 323 * 60_000)),
      );
      for (const zone of zones) {
        const values = sql.join(
          starts.map((s) => sql`(${s.toISOString()}::timestamptz)`),
          sql`, `,
        );
        const result = await t.db.execute<{ starts_at: string | Date; day_of: string | Date; reminder: string | Date }>(sql`
          SELECT v.s AS starts_at, ${dayOfDueSql(sql`v.s`, sql`${zone}::text`)} AS day_of, ${reminderDueSql(sql`v.s`, sql`90`)} AS reminder
          FROM (VALUES ${values}) AS v(s) ORDER BY v.s`);
        for (const row of result.rows) {
          const start = new Date(row.starts_at);
          expect([zone, new Date(row.day_of).toISOString()]).toEqual([zone, dayOfDueAt(start, zone).toISOString()]);
          expect(new Date(row.reminder)).toEqual(reminderDueAt(start, 90));
        }
      }
    });

    describe("rostered helpers", () => {
      async function staffed() {
        const made = await session();
        const skillId = await makeSkill(t.db, stationId);
        const volunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }] });
        const needId = await makeNeed(t.db, stationId, { sessionId: made.sessionId, skillId, startOffsetMinutes: 30 });
        const { id } = await assign(
          t.db,
          { stationId, actor: coordinator, now: NOW },
          { needId, sessionId: made.sessionId, personId: volunteer.personId },
        );
        const shift = async () =>
          (
            await t.db
              .select({ status: assignments.status, from: sql<string>`lower(${assignments.during})` })
              .from(assignments)
              .where(eq(assignments.id, id))
          )[0]!;
        const shiftMail = async () => (await t.db.select().from(notifications).where(eq(notifications.assignmentId, id))).map((r) => r.kind);
        return { ...made, id, shift, shiftMail };
      }

      it("a moved session moves its shifts and tells the helper; a cancelled one stands them down", async () => {
        const { sessionId, shift, shiftMail } = await staffed();
        const ctx = { stationId, actorAccountId: coordinator.accountId, now: NOW };
        await updateSession(t.db, ctx, sessionId, { startsAt: utc("2030-03-13T01:00:00Z") });
        // Set-up half an hour before the new start.
        expect(new Date((await shift()).from)).toEqual(utc("2030-03-13T00:30:00Z"));
        expect(await shiftMail()).toContain("shift_changed");
        await updateSession(t.db, ctx, sessionId, { status: "cancelled" });
        expect((await shift()).status).toBe("cancelled");
        expect(await shiftMail()).toContain("shift_cancelled");
      });

      it("a series edit dropping a date that has only a shift keeps it as cancelled and stands the shift down", async () => {
        const { activityId, input, sessionId, shift, shiftMail } = await staffed();
        await updateActivity(t.db, activityCtx(NOW), activityId, { ...input, startDate: "2030-03-19" });
        const kept = (await sessionsOf(t.db, activityId)).find((x) => x.id === sessionId);
        expect(kept?.status).toBe("cancelled");
        expect((await shift()).status).toBe("cancelled");
        expect(await shiftMail()).toContain("shift_cancelled");
      });
    });

    it("enqueue writes drafts once, whatever the number of submits", async () => {
      const [p] = await makePeople(t.db, stationId, 1);
      const draft = {
        stationId,
        kind: "shift_assigned" as const,
        dedupeKey: `shift_assigned:test:${p}`,
        personId: p!,
        payload: { note: "x" },
        dueAt: NOW,
        expiresAt: END,
      };
      const firstIds = await enqueue(t.db, [draft]);
      expect(firstIds).toHaveLength(1);
      expect(await enqueue(t.db, [draft])).toEqual([]);
      const rows = await t.db.select().from(notifications).where(eq(notifications.dedupeKey, draft.dedupeKey));
      expect(rows).toMatchObject([
        { id: firstIds[0], kind: "shift_assigned", status: "pending", payload: { note: "x" }, dueAt: NOW, expiresAt: END },
      ]);
    });
  });
}
