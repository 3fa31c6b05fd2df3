// Public iCalendar feeds, read back by three independent parsers (ical.js, node-ical and
// Python's icalendar), so a feed only one of them accepts cannot pass.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { getRequest } from "../support/requests";
import { callSafely, text, type Handler } from "../support/routes-kit";
import { createActivity, updateActivity } from "../../models/activities";
import type { Weekday } from "../../models/recurrence";
import { updateSession } from "../../models/sessions";
import { signUp } from "../../models/signups";
import { buildFeed } from "../../models/feeds";
import { activities, people, sessions } from "../../models/db/schema";
import * as calendarFeed from "../../app/routes/feeds.calendar[.]ics";
import * as categoryFeed from "../../app/routes/feeds.$category[.]ics";
import { iso, parseAll, skipWithoutPython, structureProblems, withIcalJs, withNodeIcal, type Parsed } from "./feeds-parsers";

const ZONE = "Asia/Shanghai";

const byUid = (events: Parsed[]) => Object.fromEntries(events.map((e) => [e.uid, e]));

for (const backend of backends) {
  describe(`public feeds on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let actor: Awaited<ReturnType<typeof makeActor>>;
    // The 07:30 tai chi session three local days ahead, and what its start is in UTC.
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf("day");
    const expectedStart = iso(day.set({ hour: 7, minute: 30 }).toJSDate());
    const ids = { taiChi: 0, lecture: 0, cancelled: 0 };
    const uid = (id: number) => `session-${id}@fuwen.hearth`;
    const feed = (categorySlug?: string) => buildFeed(t.db, { stationId, timeZone: ZONE, categorySlug });

    async function oneOff(slug: string, title: string, date: DateTime, startTime: string) {
      const activityId = await createActivity(
        t.db,
        { stationId, timeZone: ZONE, actorAccountId: actor.accountId, horizonDays: 60 },
        {
          categoryId: await categoryId(t.db, stationId, slug),
          title,
          description: `${title}：欢迎参加`,
          location: "社区广场",
          leader: "陈师傅",
          capacity: 20,
          durationMinutes: 60,
          startDate: date.toISODate()!,
          startTime,
          rule: null,
          exdates: [],
        },
      );
      const [row] = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.activityId, activityId));
      return row!.id;
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      actor = await makeActor(t.db, stationId, ["coordinator"]);
      ids.taiChi = await oneOff("tai-chi", "太极拳晨练", day, "07:30");
      ids.lecture = await oneOff("lecture", "冬季养生讲座", day.plus({ days: 1 }), "15:00");
      ids.cancelled = await oneOff("lecture", "中医养生讲座", day.plus({ days: 2 }), "15:00");
      await updateSession(t.db, { stationId, actorAccountId: actor.accountId }, ids.cancelled, { status: "cancelled" });
      // Someone with needs and a phone signs up: none of it may reach a feed.
      const [person] = await t.db
        .insert(people)
        .values({ stationId, fullName: "王秀兰", phone: "13912345678", needs: "轮椅" })
        .returning({ id: people.id });
      await signUp(t.db, { stationId, actor }, { sessionId: ids.taiChi, personId: person!.id, partySize: 1 });
    });

    it("is read the same by ical.js, node-ical and Python's icalendar", async (context) => {
      const text = await feed();
      for (const { events: all } of parseAll(text)) {
        expect(all[uid(ids.taiChi)]).toMatchObject({ start: expectedStart, sequence: 0, status: "CONFIRMED", summary: "太极拳晨练" });
        expect(all[uid(ids.cancelled)]).toMatchObject({ status: "CANCELLED", summary: "已取消 中医养生讲座" });
        expect(Object.keys(all).sort()).toEqual([uid(ids.taiChi), uid(ids.lecture), uid(ids.cancelled)].sort());
      }
      // 07:30 in Shanghai is 23:30 UTC the day before.
      expect(expectedStart).toBe(`${day.minus({ days: 1 }).toISODate()}T23:30:00Z`);
      expect(text).toContain("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai");
      expect(text).toMatch(/DTSTART;TZID=Asia\/Shanghai:\d{8}T073000\r\n/);
      const stamps = text.split("\r\n").filter((line) => line.startsWith("DTSTAMP"));
      expect(stamps.length).toBe(3);
      for (const stamp of stamps) expect(stamp).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
      expect(text).toMatch(/\r\nLAST-MODIFIED:\d{8}T\d{6}Z\r\n/);
      expect(text).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
      expect(text).toContain("\r\nX-PUBLISHED-TTL:PT1H\r\n");
      expect(text).toContain("\r\nCATEGORIES:太极拳\r\n");
      expect(structureProblems(text)).toEqual([]);
      // DTSTAMP is the event's last revision, not the moment of the request: the same data
      // gives the same bytes, as the strong ETag says.
      expect(await feed()).toBe(text);
      skipWithoutPython(context);
    });

    it("keeps the UID and raises SEQUENCE when a session moves", async () => {
      const before = byUid(withIcalJs(await feed()))[uid(ids.taiChi)]!;
      const [row] = await t.db.select().from(sessions).where(eq(sessions.id, ids.taiChi));
      const later = new Date(row!.startsAt.getTime() + 3600_000);
      await updateSession(t.db, { stationId, actorAccountId: actor.accountId }, ids.taiChi, { startsAt: later });
      const text = await feed();
      for (const { events } of parseAll(text)) {
        const after = events[uid(ids.taiChi)]!;
        expect(after.sequence).toBeGreaterThan(before.sequence);
        expect(after.start).toBe(iso(later));
      }
      // A change nobody's calendar shows (the places) leaves SEQUENCE alone.
      await updateSession(t.db, { stationId, actorAccountId: actor.accountId }, ids.taiChi, { capacity: 25 });
      expect(byUid(withIcalJs(await feed()))[uid(ids.taiChi)]!.sequence).toBe(1);
    });

    it("raises SEQUENCE when a series edit moves its future sessions", async () => {
      const start = day.plus({ days: 7 });
      const input = {
        categoryId: await categoryId(t.db, stationId, "exercise"),
        title: "八段锦",
        description: "",
        location: "社区广场",
        leader: "",
        capacity: 20,
        durationMinutes: 60,
        startDate: start.toISODate()!,
        startTime: "09:00",
        rule: { freq: "WEEKLY" as const, interval: 1, byWeekday: [start.toFormat("ccc").slice(0, 2).toUpperCase() as Weekday], count: 2 },
        exdates: [],
      };
      const ctx = { stationId, timeZone: ZONE, actorAccountId: actor.accountId, horizonDays: 60 };
      const activityId = await createActivity(t.db, ctx, input);
      await updateActivity(t.db, ctx, activityId, { ...input, startTime: "09:30" });
      const rows = await t.db.select({ sequence: sessions.sequence }).from(sessions).where(eq(sessions.activityId, activityId));
      expect(rows.map((r) => r.sequence)).toEqual([1, 1]);
      // An edit that changes no time leaves SEQUENCE where it is.
      await updateActivity(t.db, ctx, activityId, { ...input, startTime: "09:30", title: "八段锦练习" });
      const again = await t.db.select({ sequence: sessions.sequence }).from(sessions).where(eq(sessions.activityId, activityId));
      expect(again.map((r) => r.sequence)).toEqual([1, 1]);
    });

    it("keeps a cancelled session as STATUS:CANCELLED", async () => {
      const text = await feed();
      const event = text.split("BEGIN:VEVENT").find((block) => block.includes(`UID:${uid(ids.cancelled)}`))!;
      expect(event).toContain("\r\nSTATUS:CANCELLED\r\n");
      expect(event).toContain("\r\nSEQUENCE:1\r\n");
      expect(event).toContain("SUMMARY:已取消 中医养生讲座");
    });

    it("folds long lines at 75 octets without splitting a character, and every parser reads them back whole", async () => {
      // Chinese (3 octets a character), an emoji (4, two UTF-16 units), and the characters
      // RFC 5545 escapes, long enough to need several continuation lines.
      const description =
        "请带上医保卡和近期的化验单；活动结束后，医生会解答用药、饮食和运动方面的问题🙂。\n家属可以陪同，座位有限，请提前十分钟到场。".repeat(3);
      const id = await oneOff("clinic", "冬季慢病管理与合理用药专题讲座（第二讲）：高血压与糖尿病的家庭照护", day.plus({ days: 5 }), "14:00");
      const [row] = await t.db.select({ activityId: sessions.activityId }).from(sessions).where(eq(sessions.id, id));
      await t.db.update(activities).set({ description }).where(eq(activities.id, row!.activityId));
      const text = await feed("clinic");
      expect(text).toContain("\r\n ");
      expect(structureProblems(text)).toEqual([]);
      for (const { parser, events } of parseAll(text)) {
        expect(events[uid(id)]?.description, parser).toBe(description);
        expect(events[uid(id)]?.summary, parser).toBe("冬季慢病管理与合理用药专题讲座（第二讲）：高血压与糖尿病的家庭照护");
      }
    });

    it("a category feed holds only that category", async () => {
      const text = await feed("lecture");
      expect(Object.keys(byUid(withNodeIcal(text))).sort()).toEqual([uid(ids.lecture), uid(ids.cancelled)].sort());
      expect(text).toContain("X-WR-CALNAME:测试驿站 · 健康讲座");
      expect(text).not.toContain("太极拳");
    });

    it("carries nothing about the people signed up", async () => {
      for (const text of [await feed(), await feed("tai-chi")]) {
        expect(text).toContain(uid(ids.taiChi));
        for (const secret of ["轮椅", "13912345678", "王秀兰"]) expect(text).not.toContain(secret);
      }
    });

    describe("routes", () => {
      const get = (handler: unknown, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) =>
        getRequest(path, { headers }).then((request) => callSafely(handler as Handler, request, params));

      it("answers 200 with an ETag, then 304 to If-None-Match, and a new ETag after a change", async () => {
        const first = await get(calendarFeed.loader, "/feeds/calendar.ics");
        expect(first.status).toBe(200);
        expect(first.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
        expect(first.headers.get("Cache-Control")).toBe("public, max-age=300");
        expect(first.headers.get("Last-Modified")).toMatch(/GMT$/);
        const etag = first.headers.get("ETag")!;
        expect(etag).toMatch(/^"feed-[\w-]+"$/);
        expect(String(first.body)).toContain(`UID:${uid(ids.lecture)}`);

        const again = await get(calendarFeed.loader, "/feeds/calendar.ics", {}, { "If-None-Match": etag });
        expect(again.status).toBe(304);
        expect(again.body).toBe("");
        expect(again.headers.get("ETag")).toBe(etag);

        await updateSession(t.db, { stationId, actorAccountId: actor.accountId }, ids.lecture, { location: "驿站二楼" });
        const changed = await get(calendarFeed.loader, "/feeds/calendar.ics", {}, { "If-None-Match": etag });
        expect(changed.status).toBe(200);
        expect(changed.headers.get("ETag")).not.toBe(etag);
        expect(String(changed.body)).toContain("LOCATION:驿站二楼");
      });

      it("serves the cached feed's bytes whole, with their length, to every request that hits it", async () => {
        // A change first, so the first request builds the feed and the next two are cache hits.
        await updateSession(t.db, { stationId, actorAccountId: actor.accountId }, ids.lecture, { location: "驿站三楼" });
        const [built, hit, again] = [
          await get(calendarFeed.loader, "/feeds/calendar.ics"),
          await get(calendarFeed.loader, "/feeds/calendar.ics"),
          await get(calendarFeed.loader, "/feeds/calendar.ics"),
        ];
        expect(String(built.body)).toContain("LOCATION:驿站三楼");
        for (const reply of [built, hit, again]) {
          expect(reply.status).toBe(200);
          expect(reply.headers.get("ETag")).toBe(built.headers.get("ETag"));
          // Bytes, not characters: the feed is mostly Chinese.
          expect(reply.headers.get("Content-Length")).toBe(String(Buffer.byteLength(String(reply.body))));
          expect(reply.body).toBe(built.body);
        }
        // What was sent from the cache matches a build from scratch at getRequest's origin (a build timestamps nothing).
        expect(built.body).toBe(await buildFeed(t.db, { stationId, timeZone: ZONE, baseUrl: "http://localhost:3000" }));
      });

      it("serves a category feed, and 404 in the user's language for an unknown one", async () => {
        const lecture = await get(categoryFeed.loader, "/feeds/lecture.ics", { category: "lecture" });
        expect(lecture.status).toBe(200);
        expect(String(lecture.body)).toContain(`UID:${uid(ids.lecture)}`);
        expect(String(lecture.body)).not.toContain(`UID:${uid(ids.taiChi)}`);
        const etag = lecture.headers.get("ETag")!;
        expect((await get(categoryFeed.loader, "/feeds/lecture.ics", { category: "lecture" }, { "If-None-Match": etag })).status).toBe(304);

        const unknown = await get(categoryFeed.loader, "/feeds/no-such.ics", { category: "no-such" });
        expect(unknown.status).toBe(404);
        expect(unknown.body).toBe(text("zh-CN", "error.notFound"));
        const bad = await get(categoryFeed.loader, "/feeds/..%2Fx.ics", { category: "../x" });
        expect(bad.status).toBe(404);
      });

      it("answers /feeds/calendar.ics the same whichever of the two routes matches it", async () => {
        const a = await get(calendarFeed.loader, "/feeds/calendar.ics");
        const b = await get(categoryFeed.loader, "/feeds/calendar.ics", { category: "calendar" });
        expect(b.status).toBe(200);
        expect(b.headers.get("ETag")).toBe(a.headers.get("ETag"));
      });
    });
  });
}
