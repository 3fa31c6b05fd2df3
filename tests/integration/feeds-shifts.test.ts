// "Shifts appear in the person's personal feed": a volunteer's proposed (TENTATIVE) and
// confirmed shifts in /feeds/me/<token>.ics beside their signups, at the shift's own time
// (set-up included), read back by ical.js, node-ical and Python's icalendar. A cancelled
// shift stays a week as STATUS:CANCELLED, a declined one leaves, and every change moves
// the ETag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { assign, respond } from "../../models/rosters";
import { signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { regenerateFeedToken } from "../../models/feed-tokens";
import { buildPersonalFeed, personalFeedVersion } from "../../models/feeds";
import { assignments, people, sessions, skills } from "../../models/db/schema";
import * as personalFeed from "../../app/routes/feeds.me.$token[.]ics";
import { iso, parseAll, skipWithoutPython, structureProblems } from "./feeds-parsers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The need's set-up and clear-up: the shift runs 08:30–11:15 around a 09:00–11:00 session.
const BEFORE = 30;
const AFTER = 15;

for (const backend of backends) {
  describe(`shifts in the personal feed on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let me: Awaited<ReturnType<typeof makeVolunteer>>;
    let other: Awaited<ReturnType<typeof makeVolunteer>>;
    let staff: Awaited<ReturnType<typeof makeActor>>;
    let token = "";
    let skillId = 0;
    // Sessions (and their needs) by what the test does with my shift on them.
    const session = { talk: 0, clinic: 0, declined: 0, theirs: 0, attending: 0 };
    const shift = { talk: 0, clinic: 0, declined: 0, theirs: 0 };
    let talkStarts: Date;

    const shiftUid = (id: number) => `shift-${id}@fuwen.hearth`;
    const staffCtx = () => ({ stationId, actor: staff });
    const feed = (headers: Record<string, string> = {}) =>
      getRequest(`/feeds/me/${token}.ics`, { headers }).then((request) => callSafely(personalFeed.loader as Handler, request, { token }));
    const body = async () => {
      const result = await feed();
      expect(result.status).toBe(200);
      return String(result.body);
    };

    /** A one-off session with a need for my skill (set-up and clear-up around it). */
    async function sessionWithNeed(daysAhead: number, title: string) {
      const made = await makeSession(t.db, stationId, { capacity: 10, daysAhead, title });
      const needId = await makeNeed(t.db, stationId, {
        sessionId: made.sessionId,
        skillId,
        headCount: 2,
        startOffsetMinutes: BEFORE,
        endOffsetMinutes: AFTER,
      });
      return { ...made, needId };
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      skillId = await makeSkill(t.db, stationId, { nameZh: "量血压", nameEn: "Blood pressure" });
      staff = await makeActor(t.db, stationId, ["coordinator"], "周协调");
      me = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "王志明" });
      other = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "李秀英" });
      // Needs and a phone on my record, which no feed may carry; room for four shifts a week.
      await t.db
        .update(people)
        .set({ phone: "13912345678", needs: "腰不好，不能久站", maxWeeklyShiftMinutes: 2400 })
        .where(eq(people.id, me.personId));
      token = (await regenerateFeedToken(t.db, { stationId, accountId: me.accountId })).token;

      const talk = await sessionWithNeed(3, "健康讲座");
      const clinic = await sessionWithNeed(4, "公益义诊");
      const declined = await sessionWithNeed(5, "中医体验");
      const theirs = await sessionWithNeed(6, "别人的班");
      Object.assign(session, { talk: talk.sessionId, clinic: clinic.sessionId, declined: declined.sessionId, theirs: theirs.sessionId });
      talkStarts = talk.startsAt;
      const put = async (s: { needId: number; sessionId: number }, personId: number) =>
        (await assign(t.db, staffCtx(), { needId: s.needId, sessionId: s.sessionId, personId })).id;
      shift.talk = await put(talk, me.personId);
      shift.clinic = await put(clinic, me.personId);
      shift.declined = await put(declined, me.personId);
      // Someone else on my shift, and on a shift of their own.
      await put(talk, other.personId);
      shift.theirs = await put(theirs, other.personId);

      // A signup of my own, so the feed holds both kinds of event.
      const attending = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 2, title: "太极拳" });
      session.attending = attending.sessionId;
      await signUp(t.db, { stationId, actor: me }, { sessionId: attending.sessionId, personId: me.personId, partySize: 1 });
    });

    it("shows proposed shifts as TENTATIVE at the shift's instants, under their own UIDs, to every parser", async (context) => {
      const text = await body();
      expect(structureProblems(text)).toEqual([]);
      // 08:30 in Shanghai is 00:30 UTC the same day; 11:15 is 03:15.
      const start = iso(new Date(talkStarts.getTime() - BEFORE * MINUTE));
      const end = iso(new Date(talkStarts.getTime() + 2 * HOUR + AFTER * MINUTE));
      const day = DateTime.fromJSDate(talkStarts, { zone: ZONE }).toISODate();
      expect(start).toBe(`${day}T00:30:00Z`);
      expect(end).toBe(`${day}T03:15:00Z`);
      const [{ sequence } = { sequence: -1 }] = await t.db
        .select({ sequence: sessions.sequence })
        .from(sessions)
        .where(eq(sessions.id, session.talk));
      for (const { parser, events } of parseAll(text)) {
        expect(Object.keys(events).sort(), parser).toEqual(
          [shiftUid(shift.talk), shiftUid(shift.clinic), shiftUid(shift.declined), `session-${session.attending}-me@fuwen.hearth`].sort(),
        );
        expect(events[shiftUid(shift.talk)], parser).toMatchObject({ start, end, status: "TENTATIVE", summary: "健康讲座 · 量血压", sequence });
        expect(events[shiftUid(shift.clinic)], parser).toMatchObject({ status: "TENTATIVE", summary: "公益义诊 · 量血压" });
        expect(events[`session-${session.attending}-me@fuwen.hearth`], parser).toMatchObject({ status: "CONFIRMED", summary: "太极拳" });
      }
      expect(text).toMatch(/\r\nDTSTART;TZID=Asia\/Shanghai:\d{8}T083000\r\n/);
      expect(text).toMatch(/\r\nDTEND;TZID=Asia\/Shanghai:\d{8}T111500\r\n/);
      expect(text).toContain(`URL;VALUE=URI:http://localhost:3000/shifts`);
      // No names (mine, my colleague's, the coordinator's), phone, needs, nor the other shift.
      for (const secret of ["王志明", "李秀英", "周协调", "13912345678", "腰不好", "别人的班"]) expect(text).not.toContain(secret);
      skipWithoutPython(context);
    });

    it("turns TENTATIVE into CONFIRMED when the person confirms, with a new ETag and Last-Modified", async () => {
      const first = await feed();
      const etag = first.headers.get("ETag")!;
      expect((await feed({ "If-None-Match": etag })).status).toBe(304);

      await respond(t.db, { stationId, actor: me }, shift.talk, "confirm");
      const after = await feed({ "If-None-Match": etag });
      expect(after.status).toBe(200);
      expect(after.headers.get("ETag")).not.toBe(etag);
      const text = String(after.body);
      expect(structureProblems(text)).toEqual([]);
      // The confirmation is the feed's newest change.
      const [row] = await t.db.select({ updatedAt: assignments.updatedAt }).from(assignments).where(eq(assignments.id, shift.talk));
      expect(after.headers.get("Last-Modified")).toBe(row!.updatedAt.toUTCString());
      for (const { parser, events } of parseAll(text)) {
        expect(events[shiftUid(shift.talk)], parser).toMatchObject({ status: "CONFIRMED", summary: "健康讲座 · 量血压" });
        expect(events[shiftUid(shift.clinic)], parser).toMatchObject({ status: "TENTATIVE" });
      }
      // LAST-MODIFIED and DTSTAMP are the confirmation's time (whole seconds, UTC).
      const stamp = DateTime.fromJSDate(row!.updatedAt, { zone: "utc" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
      const event = text.split("BEGIN:VEVENT").find((e) => e.includes(`UID:${shiftUid(shift.talk)}`))!;
      expect(event).toContain(`\r\nLAST-MODIFIED:${stamp}\r\n`);
      expect(event).toContain(`\r\nDTSTAMP:${stamp}\r\n`);
    });

    it("moves the shift with its session: same UID, higher SEQUENCE, new time, new ETag", async () => {
      const before = await feed();
      const was = parseAll(String(before.body));
      const later = new Date(talkStarts.getTime() + 90 * MINUTE);
      await updateSession(t.db, { stationId, actorAccountId: staff.accountId }, session.talk, { startsAt: later });
      const after = await feed({ "If-None-Match": before.headers.get("ETag")! });
      expect(after.status).toBe(200);
      const text = String(after.body);
      expect(structureProblems(text)).toEqual([]);
      for (const [i, { parser, events }] of parseAll(text).entries()) {
        const now = events[shiftUid(shift.talk)]!;
        expect(now.sequence, parser).toBeGreaterThan(was[i]!.events[shiftUid(shift.talk)]!.sequence);
        // 10:30 − 30 min = 10:00 Shanghai, 02:00 UTC; still confirmed.
        expect(now.start, parser).toBe(iso(new Date(later.getTime() - BEFORE * MINUTE)));
        expect(DateTime.fromISO(now.start, { zone: ZONE }).toFormat("HH:mm"), parser).toBe("10:00");
        expect(now.status, parser).toBe("CONFIRMED");
      }
      await updateSession(t.db, { stationId, actorAccountId: staff.accountId }, session.talk, { startsAt: talkStarts });
    });

    it("takes a declined shift out of the feed, and the ETag changes", async () => {
      const before = await feed();
      await respond(t.db, { stationId, actor: me }, shift.declined, "decline");
      const after = await feed({ "If-None-Match": before.headers.get("ETag")! });
      expect(after.status).toBe(200);
      for (const { parser, events } of parseAll(String(after.body))) {
        expect(events[shiftUid(shift.declined)], parser).toBeUndefined();
        expect(events[shiftUid(shift.clinic)], parser).toBeDefined();
      }
    });

    it("shows a cancelled shift as STATUS:CANCELLED for a week, then drops it; the ETag moves both times", async () => {
      const before = await feed();
      await respond(t.db, staffCtx(), shift.clinic, "cancel");
      const [clinicSession] = await t.db.select({ sequence: sessions.sequence }).from(sessions).where(eq(sessions.id, session.clinic));
      const cancelled = await feed({ "If-None-Match": before.headers.get("ETag")! });
      expect(cancelled.status).toBe(200);
      const text = String(cancelled.body);
      expect(structureProblems(text)).toEqual([]);
      for (const { parser, events } of parseAll(text)) {
        // One above the session's SEQUENCE, as the shift mail's METHOD:CANCEL.
        expect(events[shiftUid(shift.clinic)], parser).toMatchObject({
          status: "CANCELLED",
          summary: "已取消 公益义诊 · 量血压",
          sequence: clinicSession!.sequence + 1,
        });
      }

      // Date the cancellation 6 days 23 hours back: shown now, gone two hours on.
      const now = new Date();
      const cancelledAt = new Date(now.getTime() - 7 * DAY + HOUR);
      await t.db.update(assignments).set({ updatedAt: cancelledAt }).where(eq(assignments.id, shift.clinic));
      const twoHoursOn = new Date(now.getTime() + 2 * HOUR);
      const query = (at: Date) => ({ stationId, timeZone: ZONE, personId: me.personId, now: at });
      expect(await buildPersonalFeed(t.db, query(now))).toContain(`UID:${shiftUid(shift.clinic)}`);
      const gone = await buildPersonalFeed(t.db, query(twoHoursOn));
      expect(structureProblems(gone)).toEqual([]);
      for (const { parser, events } of parseAll(gone)) {
        expect(events[shiftUid(shift.clinic)], parser).toBeUndefined();
        expect(events[shiftUid(shift.talk)], parser).toMatchObject({ status: "CONFIRMED" });
      }
      const [shownVersion, goneVersion] = [await personalFeedVersion(t.db, query(now)), await personalFeedVersion(t.db, query(twoHoursOn))];
      expect(goneVersion.etag).not.toBe(shownVersion.etag);
      // The drop-out is the feed's newest change: the week after the cancellation ended.
      expect(goneVersion.lastModified!.getTime()).toBe(cancelledAt.getTime() + 7 * DAY);
    });

    it("renaming the skill changes the ETag and the summary (skills carry no timestamp)", async () => {
      const before = await feed();
      await t.db.update(skills).set({ nameZh: "测血压" }).where(eq(skills.id, skillId));
      const after = await feed({ "If-None-Match": before.headers.get("ETag")! });
      expect(after.status).toBe(200);
      for (const { parser, events } of parseAll(String(after.body))) {
        expect(events[shiftUid(shift.talk)]!.summary, parser).toBe("健康讲座 · 测血压");
      }
    });

    it("keeps my shifts out of my colleague's feed, and theirs out of mine", async () => {
      const theirToken = (await regenerateFeedToken(t.db, { stationId, accountId: other.accountId })).token;
      const request = await getRequest(`/feeds/me/${theirToken}.ics`);
      const theirs = String((await callSafely(personalFeed.loader as Handler, request, { token: theirToken })).body);
      expect(theirs).toContain(`UID:${shiftUid(shift.theirs)}`);
      expect(theirs).not.toContain(`UID:${shiftUid(shift.talk)}`);
      expect(theirs).not.toContain("王志明");
      const mine = await body();
      expect(mine).not.toContain(`UID:${shiftUid(shift.theirs)}`);
    });
  });
}
