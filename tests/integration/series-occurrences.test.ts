// A series page lists its sessions (ADR 30): upcoming soonest first, the ended ones latest first
// and paged, each with its place, how full it is and whether it was cancelled or moved; another
// station's series lists nothing. Driven through the model and through the page's loader.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { getRequest } from "../support/requests";
import { callSafely, seedSeries, type Handler } from "../support/routes-kit";
import { listSeriesOccurrences } from "../../models/series-occurrences";
import { sessions } from "../../models/db/schema";
import * as seriesPage from "../../app/routes/manage.activities.$id";

interface Row {
  id: number;
  date: string;
  time: string;
  place: string;
  booked: string;
  cancelled: boolean;
  moved: boolean;
}
interface View {
  occurrences: { upcoming: Row[]; upcomingTotal: number; past: Row[]; pastTotal: number; pastPage: number; pastPages: number };
}

for (const backend of backends) {
  describe(`a series' sessions on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let otherStationId = 0;
    let activityId = 0;
    let ids: number[] = [];
    let starts: Date[] = [];
    let token = "";

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      token = coordinator.token;
      // Ten daily sessions from tomorrow, 07:30–08:30 Shanghai, 30 places, at 社区广场.
      ({ activityId } = await seedSeries(t.db, {
        stationId,
        actorAccountId: coordinator.accountId,
        categoryId: await categoryId(t.db, stationId, "tai-chi"),
      }));
      const rows = await t.db
        .select({ id: sessions.id, startsAt: sessions.startsAt })
        .from(sessions)
        .where(eq(sessions.activityId, activityId))
        .orderBy(asc(sessions.startsAt));
      ids = rows.map((r) => r.id);
      starts = rows.map((r) => r.startsAt);
      // The third is cancelled, the fourth moved to another room with 12 people booked (written
      // directly: this is about what the list shows, not how a session is changed).
      await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, ids[2]!));
      await t.db.update(sessions).set({ moved: true, location: "二楼活动室", taken: 12 }).where(eq(sessions.id, ids[3]!));
      // Another station with a series of its own.
      otherStationId = (await ensureStation(t.db, "elsewhere")).id;
      const stranger = await makeActor(t.db, otherStationId, ["coordinator"], "别站协调员");
      await seedSeries(t.db, {
        stationId: otherStationId,
        actorAccountId: stranger.accountId,
        categoryId: await categoryId(t.db, otherStationId, "tai-chi"),
      });
    });

    it("lists every session as upcoming before the first one, soonest first, with its marks", async () => {
      const list = await listSeriesOccurrences(t.db, stationId, activityId);
      expect(list.upcomingTotal).toBe(10);
      expect(list.pastTotal).toBe(0);
      expect(list.upcoming.map((o) => o.id)).toEqual(ids);
      expect(list.upcoming[0]).toMatchObject({ status: "scheduled", moved: false, capacity: 30, taken: 0, location: "社区广场" });
      expect(list.upcoming[2]).toMatchObject({ status: "cancelled", moved: false });
      expect(list.upcoming[3]).toMatchObject({ status: "scheduled", moved: true, taken: 12, location: "二楼活动室" });
    });

    it("splits at now: a session under way is still upcoming, ended ones come latest first and paged", async () => {
      // Halfway through the fifth session: four have ended.
      const now = new Date(starts[4]!.getTime() + 30 * 60_000);
      const list = await listSeriesOccurrences(t.db, stationId, activityId, { now });
      expect(list.upcoming.map((o) => o.id)).toEqual(ids.slice(4));
      expect(list.upcomingTotal).toBe(6);
      expect(list.past.map((o) => o.id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
      expect(list.pastTotal).toBe(4);
      const page2 = await listSeriesOccurrences(t.db, stationId, activityId, { now, pastOffset: 2, pastLimit: 2, upcomingLimit: 3 });
      expect(page2.past.map((o) => o.id)).toEqual([ids[1], ids[0]]);
      expect(page2.pastTotal).toBe(4);
      expect(page2.upcoming.map((o) => o.id)).toEqual(ids.slice(4, 7));
      expect(page2.upcomingTotal).toBe(6);
    });

    it("is scoped by station: the series asked for under another station lists nothing", async () => {
      const list = await listSeriesOccurrences(t.db, otherStationId, activityId);
      expect(list).toEqual({ upcoming: [], upcomingTotal: 0, past: [], pastTotal: 0 });
      // And this station's list holds none of the other station's sessions.
      const mine = await listSeriesOccurrences(t.db, stationId, activityId);
      const theirs = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.stationId, otherStationId));
      expect(theirs.length).toBeGreaterThan(0);
      expect(mine.upcoming.map((o) => o.id)).not.toEqual(expect.arrayContaining([theirs[0]!.id]));
    });

    it("the series page shows them in Shanghai time with booked/places and marks, each linking by its id", async () => {
      const result = await callSafely(seriesPage.loader as Handler, await getRequest(`/manage/activities/${activityId}`, { token }), {
        id: String(activityId),
      });
      expect(result.status, String(result.body)).toBe(200);
      const { occurrences } = result.body as View;
      expect(occurrences.upcoming.map((o) => o.id)).toEqual(ids);
      expect(occurrences.upcoming[0]).toMatchObject({ time: "07:30–08:30", place: "社区广场", booked: "0 / 30", cancelled: false, moved: false });
      expect(occurrences.upcoming[2]).toMatchObject({ cancelled: true });
      expect(occurrences.upcoming[3]).toMatchObject({ moved: true, place: "二楼活动室", booked: "12 / 30" });
      expect(occurrences).toMatchObject({ pastTotal: 0, pastPage: 1, pastPages: 1 });
    });

    it("refuses a page number that is not one with a 400, not a 500", async () => {
      for (const past of ["0", "x", "-1", "99999"]) {
        const result = await callSafely(seriesPage.loader as Handler, await getRequest(`/manage/activities/${activityId}?past=${past}`, { token }), {
          id: String(activityId),
        });
        expect(result.status, past).toBe(400);
      }
    });
  });
}
