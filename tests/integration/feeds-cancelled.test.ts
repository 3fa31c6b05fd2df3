// "Cancelled sessions stay in feeds as STATUS:CANCELLED for 7 days": a week after the
// cancellation (sessions.updated_at) the session drops out of the public, category and
// personal feeds, and their ETags change when it does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { regenerateFeedToken } from "../../models/feed-tokens";
import { buildFeed, buildPersonalFeed, feedVersion, personalFeedVersion } from "../../models/feeds";
import { sessions } from "../../models/db/schema";
import * as calendarFeed from "../../app/routes/feeds.calendar[.]ics";
import * as categoryFeed from "../../app/routes/feeds.$category[.]ics";
import * as personalFeed from "../../app/routes/feeds.me.$token[.]ics";
import { parseAll, structureProblems } from "./feeds-parsers";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

for (const backend of backends) {
  describe(`cancelled sessions in feeds on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let me: Awaited<ReturnType<typeof makeActor>>;
    const ids = { cancelled: 0, kept: 0 };
    // Noon tomorrow (Shanghai), and a cancellation 6 days 23½ hours before it: at `noon` the
    // session is still shown, at `noon + 1h` (the same local day) its week is over.
    const noon = DateTime.now().setZone(ZONE).startOf("day").plus({ days: 1, hours: 12 }).toJSDate();
    const cancelledAt = new Date(noon.getTime() - 7 * DAY + HOUR / 2);
    const later = new Date(noon.getTime() + HOUR);

    const publicUid = (id: number) => `session-${id}@fuwen.hearth`;
    const myUid = (id: number) => `session-${id}-me@fuwen.hearth`;
    const publicQuery = (now: Date, categorySlug?: string) => ({ stationId, timeZone: ZONE, categorySlug, now, horizonDays: 60 });
    const personalQuery = (now: Date) => ({ stationId, timeZone: ZONE, personId: me.personId, now });

    /** Cancel the session through the model, then date the cancellation where the test wants it. */
    async function cancelAt(at: Date) {
      const staff = await makeActor(t.db, stationId, ["coordinator"]);
      await updateSession(t.db, { stationId, actorAccountId: staff.accountId }, ids.cancelled, { status: "cancelled" });
      // updateSession stamps the wall clock; the test moves that stamp instead of the clock.
      await t.db.update(sessions).set({ updatedAt: at }).where(eq(sessions.id, ids.cancelled));
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      me = await makeActor(t.db, stationId, ["resident"]);
      const a = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "公益义诊" });
      const b = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 6, title: "血压测量" });
      Object.assign(ids, { cancelled: a.sessionId, kept: b.sessionId });
      for (const sessionId of [a.sessionId, b.sessionId]) {
        await signUp(t.db, { stationId, actor: me }, { sessionId, personId: me.personId, partySize: 1 });
      }
      await cancelAt(cancelledAt);
    });

    it("shows the session as STATUS:CANCELLED within the week, in all three feeds and to every parser", async () => {
      const feeds = [
        { text: await buildFeed(t.db, publicQuery(noon)), uid: publicUid },
        { text: await buildFeed(t.db, publicQuery(noon, "clinic")), uid: publicUid },
        { text: await buildPersonalFeed(t.db, personalQuery(noon)), uid: myUid },
      ];
      for (const { text, uid } of feeds) {
        expect(structureProblems(text)).toEqual([]);
        for (const { parser, events } of parseAll(text)) {
          expect(events[uid(ids.cancelled)], parser).toMatchObject({ status: "CANCELLED", summary: "已取消 公益义诊" });
          expect(events[uid(ids.kept)], parser).toMatchObject({ status: "CONFIRMED" });
        }
      }
    });

    it("drops it a week after the cancellation, and the ETags and Last-Modified move on", async () => {
      const feeds = [
        { build: (now: Date) => buildFeed(t.db, publicQuery(now)), version: (now: Date) => feedVersion(t.db, publicQuery(now)), uid: publicUid },
        {
          build: (now: Date) => buildFeed(t.db, publicQuery(now, "clinic")),
          version: (now: Date) => feedVersion(t.db, publicQuery(now, "clinic")),
          uid: publicUid,
        },
        {
          build: (now: Date) => buildPersonalFeed(t.db, personalQuery(now)),
          version: (now: Date) => personalFeedVersion(t.db, personalQuery(now)),
          uid: myUid,
        },
      ];
      for (const { build, version, uid } of feeds) {
        const text = await build(later);
        for (const { parser, events } of parseAll(text)) {
          expect(Object.keys(events), parser).toEqual([uid(ids.kept)]);
        }
        const [before, after] = [await version(noon), await version(later)];
        expect(after.etag).not.toBe(before.etag);
        // The drop-out is a change of the feed: Last-Modified is its moment, later than before.
        expect(after.lastModified).toEqual(new Date(cancelledAt.getTime() + 7 * DAY));
        expect(after.lastModified!.getTime()).toBeGreaterThan(before.lastModified!.getTime());
        // And it stays put afterwards: nothing changes between then and later still.
        expect((await version(new Date(later.getTime() + HOUR))).etag).toBe(after.etag);
      }
    });

    it("over HTTP: a 304 before the week is over, a 200 without the session after", async () => {
      const { token } = await regenerateFeedToken(t.db, { stationId, accountId: me.accountId });
      const routes: Array<{ handler: unknown; path: string; params: Record<string, string>; uid: (id: number) => string }> = [
        { handler: calendarFeed.loader, path: "/feeds/calendar.ics", params: {}, uid: publicUid },
        { handler: categoryFeed.loader, path: "/feeds/clinic.ics", params: { category: "clinic" }, uid: publicUid },
        { handler: personalFeed.loader, path: `/feeds/me/${token}.ics`, params: { token }, uid: myUid },
      ];
      const get = (route: (typeof routes)[number], headers: Record<string, string> = {}) =>
        getRequest(route.path, { headers }).then((request) => callSafely(route.handler as Handler, request, route.params));

      // Cancelled six days ago, by the real clock the routes use.
      await t.db
        .update(sessions)
        .set({ updatedAt: new Date(Date.now() - 6 * DAY) })
        .where(eq(sessions.id, ids.cancelled));
      const etags: string[] = [];
      for (const route of routes) {
        const first = await get(route);
        expect(first.status).toBe(200);
        expect(String(first.body)).toContain(`UID:${route.uid(ids.cancelled)}`);
        expect(String(first.body)).toContain("STATUS:CANCELLED");
        const etag = first.headers.get("ETag")!;
        expect((await get(route, { "If-None-Match": etag })).status).toBe(304);
        etags.push(etag);
      }

      // Now eight days ago: the week is over.
      await t.db
        .update(sessions)
        .set({ updatedAt: new Date(Date.now() - 8 * DAY) })
        .where(eq(sessions.id, ids.cancelled));
      for (const [i, route] of routes.entries()) {
        const after = await get(route, { "If-None-Match": etags[i]! });
        expect(after.status).toBe(200);
        expect(after.headers.get("ETag")).not.toBe(etags[i]);
        expect(String(after.body)).not.toContain(`UID:${route.uid(ids.cancelled)}`);
        expect(String(after.body)).not.toContain("STATUS:CANCELLED");
        expect(String(after.body)).toContain(`UID:${route.uid(ids.kept)}`);
      }
    });
  });
}
