// What a kiosk or a mini-program does through the API, end to end at the route level: list
// sessions, sign up (alone, with a grandchild, onto the waitlist), cancel and see who moved
// up, book for a caller registered on the spot, and change a session's places.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeSession, ZONE } from "../support/signup-fixtures";
import { callSafely, stationDate, type Handler } from "../support/routes-kit";
import { makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { activities, auditLog, people, signups } from "../../models/db/schema";
import { validateAt } from "../support/api-schema";
import { openApiDocument } from "../../app/lib/openapi";
import { startSession } from "../../models/auth";
import { getRequest } from "../support/requests";
import * as myBookings from "../../app/routes/bookings";

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

for (const backend of backends) {
  describe(`API flows on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: ApiUser;
    const residents: ApiUser[] = [];
    const signUpAs = (user: ApiUser, sessionId: number, body?: unknown) =>
      callApi("api.v1.sessions.$id.signups", "POST", { token: user.token, params: { id: String(sessionId) }, body });
    const getSession = (sessionId: number, token?: string) => callApi("api.v1.sessions.$id", "GET", { token, params: { id: String(sessionId) } });
    const patch = (sessionId: number, body: unknown) =>
      callApi("api.v1.sessions.$id", "PATCH", { token: coordinator.token, params: { id: String(sessionId) }, body });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeApiUser(t.db, stationId, ["coordinator"], "周协调");
      for (const name of ["王秀英", "李建国", "张桂兰", "陈志强"]) residents.push(await makeApiUser(t.db, stationId, ["resident"], name));
    });

    it("signs a resident up by themself with an empty body, and shows it in the lists", async () => {
      const { sessionId, startsAt } = await makeSession(t.db, stationId, { capacity: 10, title: "高血压义诊" });
      const [me] = residents;
      const result = await signUpAs(me!, sessionId);
      expect(result.status, result.text).toBe(201);
      expect(result.json).toEqual({ id: expect.any(Number), sessionId, personId: me!.personId, partySize: 1, status: "confirmed" });

      const mine = await callApi("api.v1.me.signups", "GET", { token: me!.token });
      expect(mine.json.signups[0]).toMatchObject({
        id: result.json.id,
        sessionId,
        title: "高血压义诊",
        status: "confirmed",
        partySize: 1,
        waitlistPosition: null,
        bookedBy: null,
        // The same answers the pages give: booked, and still free to cancel (the session is days away).
        state: "confirmed",
        canCancel: true,
      });
      expect(mine.json.signups[0].startsAt).toMatch(OFFSET_TIME);

      const detail = await getSession(sessionId);
      expect(detail.json).toMatchObject({
        id: sessionId,
        confirmed: 1,
        waitlisted: 0,
        placesLeft: 9,
        capacity: 10,
        maxPartySize: 3,
        status: "scheduled",
      });
      // 09:00 in Shanghai, written with the station's offset.
      expect(detail.json.startsAt).toBe(DateTime.fromJSDate(startsAt, { zone: ZONE }).toISO({ suppressMilliseconds: true }));
      expect(detail.json.startsAt).toMatch(/T09:00:00\+08:00$/);
      expect(detail.json.signupWindow.closesAt).toMatch(/T08:00:00\+08:00$/);
    });

    it("takes a party of 2 (a grandchild along) as two places", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 4, capacity: 3 });
      const result = await signUpAs(residents[1]!, sessionId, { partySize: 2 });
      expect(result.json).toMatchObject({ status: "confirmed", partySize: 2 });
      expect((await getSession(sessionId)).json).toMatchObject({ confirmed: 2, placesLeft: 1 });
    });

    it("waitlists in arrival order with positions, and cancelling promotes them in the same step", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 5, capacity: 2 });
      const [a, b, c] = residents;
      const first = await signUpAs(a!, sessionId, { partySize: 2 });
      const second = await signUpAs(b!, sessionId);
      const third = await signUpAs(c!, sessionId);
      expect(first.json.status).toBe("confirmed");
      expect(second.json).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
      expect(third.json).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
      expect((await getSession(sessionId)).json).toMatchObject({ confirmed: 2, waitlisted: 2, placesLeft: 0 });
      const listed = await callApi("api.v1.sessions", "GET", { query: `from=${stationDate(0)}&to=${stationDate(10)}` });
      expect(listed.json.sessions.find((s: { id: number }) => s.id === sessionId)).toMatchObject({
        confirmed: 2,
        waitlisted: 2,
        capacity: 2,
        status: "scheduled",
      });

      const cancelled = await callApi("api.v1.signups.$id", "DELETE", { token: a!.token, params: { id: String(first.json.id) } });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json).toEqual({ id: first.json.id, status: "cancelled", promoted: [second.json.id, third.json.id] });
      const mine = await callApi("api.v1.me.signups", "GET", { token: c!.token });
      expect(mine.json.signups.find((s: { sessionId: number }) => s.sessionId === sessionId)).toMatchObject({
        status: "confirmed",
        waitlistPosition: null,
      });
      // Cancelling again changes nothing and says so the same way.
      const again = await callApi("api.v1.signups.$id", "DELETE", { token: a!.token, params: { id: String(first.json.id) } });
      expect(again.json).toEqual({ id: first.json.id, status: "cancelled", promoted: [] });
    });

    it("lets a coordinator register a caller and book for them; the booking names the booker", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 6, capacity: 5 });
      const created = await callApi("api.v1.people", "POST", {
        token: coordinator.token,
        body: { fullName: " 刘奶奶 ", phone: "139 1234 5678", birthYear: 1942, needs: "轮椅", needsConsent: "phone" },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.json).toEqual({ id: expect.any(Number), fullName: "刘奶奶", phone: "13912345678", birthYear: 1942, household: null });
      const [stored] = await t.db.select().from(people).where(eq(people.id, created.json.id));
      expect(stored).toMatchObject({ needs: "轮椅", stationId });

      const found = await callApi("api.v1.people", "GET", { token: coordinator.token, query: "q=" + encodeURIComponent("刘奶") });
      expect(found.json.people).toEqual([created.json]);
      const byPhone = await callApi("api.v1.people", "GET", { token: coordinator.token, query: "q=1391234" });
      expect(byPhone.json.people.map((p: { id: number }) => p.id)).toContain(created.json.id);

      const booked = await signUpAs(coordinator, sessionId, { personId: created.json.id, partySize: 2 });
      expect(booked.json).toMatchObject({ personId: created.json.id, partySize: 2, status: "confirmed" });
      const [row] = await t.db.select().from(signups).where(eq(signups.id, booked.json.id));
      expect(row!.bookedByAccountId).toBe(coordinator.accountId);
      const audit = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "signup.create"), eq(auditLog.targetId, booked.json.id)));
      expect(audit[0]).toMatchObject({ actorAccountId: coordinator.accountId, details: expect.objectContaining({ proxy: true }) });
    });

    it("raising a session's places promotes; lowering them below the confirmed people is refused", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 7, capacity: 1 });
      const [a, b] = residents;
      await signUpAs(a!, sessionId);
      const waiting = await signUpAs(b!, sessionId);
      expect(waiting.json.status).toBe("waitlisted");

      const raised = await patch(sessionId, { capacity: 2 });
      expect(raised.status, raised.text).toBe(200);
      expect(raised.json).toMatchObject({ id: sessionId, capacity: 2, confirmed: 2, waitlisted: 0, promoted: [waiting.json.id] });

      const refused = await patch(sessionId, { capacity: 1 });
      const error = expectError(refused, 409, "capacity_below_confirmed");
      expect(error.message).toBe("名额不能少于已确认的 2 人。");
      expect(error.params).toEqual({ confirmed: 2 });
      expect((await getSession(sessionId)).json.capacity).toBe(2);

      // null goes back to the activity's places (1): below the 2 confirmed, also refused.
      expectError(await patch(sessionId, { capacity: null }), 409, "capacity_below_confirmed");
    });

    it("moves a session by its start alone (keeping its length), cancels and restores it", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 8, capacity: 5 });
      const newStart = DateTime.now().setZone(ZONE).plus({ days: 4 }).set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
      const moved = await patch(sessionId, { startsAt: newStart.toISO() });
      expect(moved.json).toMatchObject({
        moved: true,
        startsAt: newStart.toISO({ suppressMilliseconds: true }),
        endsAt: newStart.plus({ hours: 2 }).toISO({ suppressMilliseconds: true }),
      });
      // The same instant given in UTC is accepted and shown back in the station's offset.
      const utc = await patch(sessionId, { startsAt: newStart.toUTC().toISO() });
      expect(utc.json.startsAt).toBe(newStart.toISO({ suppressMilliseconds: true }));
      expect((await patch(sessionId, { status: "cancelled" })).json).toMatchObject({ status: "cancelled", placesLeft: 0 });
      expectError(await signUpAs(residents[0]!, sessionId), 409, "signup_session_cancelled");
      expect((await patch(sessionId, { status: "scheduled" })).json).toMatchObject({
        status: "scheduled",
        placesLeft: 5,
        location: "驿站医疗保健区",
      });
    });

    it("my signups carry the 时间已调整 mark as 我的预约 shows it: a moved session, not a cancelled one, not an untouched one", async () => {
      const me = await makeApiUser(t.db, stationId, ["resident"], "赵淑芬");
      const later = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
      const booked = async (daysAhead: number) => {
        const { sessionId } = await makeSession(t.db, stationId, { daysAhead, capacity: 5 });
        const signup = await signUpAs(me, sessionId);
        expect(signup.status, signup.text).toBe(201);
        return { sessionId, signupId: signup.json.id as number };
      };
      const normal = await booked(9);
      const moved = await booked(10);
      const movedThenCancelled = await booked(11);
      const movedThenLeft = await booked(12);
      for (const [s, days] of [
        [moved, 13],
        [movedThenCancelled, 14],
        [movedThenLeft, 15],
      ] as const)
        expect((await patch(s.sessionId, { startsAt: later(days).toISO() })).json.moved).toBe(true);
      await patch(movedThenCancelled.sessionId, { status: "cancelled" });
      expect((await callApi("api.v1.signups.$id", "DELETE", { token: me.token, params: { id: String(movedThenLeft.signupId) } })).status).toBe(200);

      const mine = await callApi("api.v1.me.signups", "GET", { token: me.token });
      const of = (s: { signupId: number }) => mine.json.signups.find((row: { id: number }) => row.id === s.signupId);
      expect(of(normal)).toMatchObject({ state: "confirmed", moved: false });
      // The new time, with the mark that says it is new.
      expect(of(moved)).toMatchObject({ state: "confirmed", moved: true, startsAt: later(13).toISO({ suppressMilliseconds: true }) });
      // Nothing to go to at the new time: no mark, as on the page.
      expect(of(movedThenCancelled)).toMatchObject({ state: "session_cancelled", moved: false });
      expect(of(movedThenLeft)).toMatchObject({ state: "cancelled", moved: false });
      // 我的预约 marks the same ones (it leaves out a booking the person cancelled).
      const page = await callSafely(
        myBookings.loader as Handler,
        await getRequest("/bookings", { token: (await startSession(t.db, me.accountId)).token }),
      );
      const shown = (page.body as { upcoming: { id: number; moved: boolean }[] }).upcoming;
      for (const s of [normal, moved, movedThenCancelled])
        expect(shown.find((b) => b.id === s.signupId)?.moved, `signup ${s.signupId}`).toBe(of(s).moved);
    });

    it("creates a recurring series and lists its sessions by category with the station's offset", async () => {
      const taiChi = await categoryId(t.db, stationId, "tai-chi");
      const categories = await callApi("api.v1.categories", "GET", { lang: "en" });
      expect(categories.json.categories).toContainEqual({ id: taiChi, slug: "tai-chi", name: "Tai chi", color: "#9a3412" });
      const start = stationDate(1);
      const body = {
        categoryId: taiChi,
        title: "太极拳晨练(API)",
        capacity: 20,
        durationMinutes: 60,
        startDate: start,
        startTime: "07:30",
        rule: { freq: "DAILY", interval: 2, count: 4 },
        maxPartySize: 2,
        reminderMinutes: 90,
        remindDayOf: true,
      };
      // The request the document describes, reminder settings included.
      expect(validateAt(openApiDocument(), "/components/schemas/NewActivity", body)).toEqual([]);
      const created = await callApi("api.v1.activities", "POST", { token: coordinator.token, body });
      expect(created.status, created.text).toBe(201);
      expect(created.json).toEqual({ id: expect.any(Number), sessions: 4 });
      const reminders = async (id: number) =>
        (await t.db.select({ minutes: activities.reminderMinutes, dayOf: activities.remindDayOf }).from(activities).where(eq(activities.id, id)))[0];
      expect(await reminders(created.json.id)).toEqual({ minutes: 90, dayOf: true });
      const listed = await callApi("api.v1.sessions", "GET", { query: `from=${start}&to=${stationDate(10)}&category=tai-chi` });
      const mine = listed.json.sessions.filter((s: { activityId: number }) => s.activityId === created.json.id);
      expect(mine).toHaveLength(4);
      for (const s of mine) {
        expect(s).toMatchObject({ title: "太极拳晨练(API)", category: "tai-chi", capacity: 20, confirmed: 0, waitlisted: 0, status: "scheduled" });
        expect(s.startsAt).toMatch(/T07:30:00\+08:00$/);
        expect(s.endsAt).toMatch(/T08:30:00\+08:00$/);
      }
      expect(listed.json.from).toBe(`${start}T00:00:00+08:00`);

      const oneOff = await callApi("api.v1.activities", "POST", {
        token: coordinator.token,
        body: { categoryId: taiChi, title: "一次性讲座", capacity: 30, durationMinutes: 90, startDate: stationDate(3), startTime: "15:00" },
      });
      expect(oneOff.json).toEqual({ id: expect.any(Number), sessions: 1 });
      // Left out: the defaults (a reminder the day before, none on the morning).
      expect(await reminders(oneOff.json.id)).toEqual({ minutes: 1440, dayOf: false });
    });

    it("speaks English when the caller prefers it, and Chinese otherwise", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead: 9, capacity: 5 });
      const en = await callApi("api.v1.sessions.$id.signups", "POST", {
        token: residents[3]!.token,
        params: { id: String(sessionId) },
        body: { partySize: 9 },
        lang: "en-US,en;q=0.9,zh-CN;q=0.8",
      });
      expect(expectError(en, 422, "party_too_large").message).toBe("At most 3 people per signup for this session.");
      const zh = await callApi("api.v1.sessions.$id.signups", "POST", {
        token: residents[3]!.token,
        params: { id: String(sessionId) },
        body: { partySize: 9 },
        lang: "fr-FR, zh;q=0.5, en;q=0.4",
      });
      expect(expectError(zh, 422, "party_too_large").message).toBe("这场活动每次报名最多 3 人。");
      const detail = await getSession(sessionId);
      expect(detail.json.categoryName).toBe("义诊");
      const detailEn = await callApi("api.v1.sessions.$id", "GET", { params: { id: String(sessionId) }, lang: "en" });
      expect(detailEn.json.categoryName).not.toBe("义诊");
    });
  });
}
