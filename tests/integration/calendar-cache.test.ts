import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { cachedCalendar, calendarVersion } from "../../models/calendar-cache";
import { getSession, updateSession } from "../../models/sessions";
import { cancelSignup, signUp } from "../../models/signups";
import { activities, categories, sessions } from "../../models/db/schema";
import { openDatabase, type Db } from "../../models/db";

/**
 * The calendar version is kept by the database (triggers of migration 0008), so a cache
 * behind it is right on every instance: each change the pages show bumps it in the writing
 * transaction, and a change they do not show (a waitlisted signup) leaves it alone.
 */
for (const backend of backends) {
  describe(`calendar cache on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let actor = 0;
    const version = () => calendarVersion(t.db, stationId);

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      actor = (await makeAccount(t.db, stationId, ["coordinator"])).accountId;
    });

    it("bumps on a new session, a move, a place taken or freed, an activity or category edit; not on a waitlisted signup", async () => {
      const v0 = await version();
      const { sessionId, activityId } = await makeSession(t.db, stationId, { capacity: 1 });
      const v1 = await version();
      expect(v1).toBeGreaterThan(v0);

      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const [first, second] = await makePeople(t.db, stationId, 2);
      const confirmed = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: first!, partySize: 1 });
      expect(confirmed.status).toBe("confirmed");
      const v2 = await version();
      expect(v2).toBeGreaterThan(v1);

      // The session is full: a waitlisted signup changes nothing the calendar shows.
      const waitlisted = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: second!, partySize: 1 });
      expect(waitlisted.status).toBe("waitlisted");
      expect(await version()).toBe(v2);

      // Freeing the place promotes the waitlisted person: places left stay 0, but taken moved through the rows.
      await cancelSignup(t.db, { stationId, actor: coordinator }, confirmed.id);
      const v3 = await version();
      expect(v3).toBeGreaterThan(v2);

      const [row] = await t.db.select({ startsAt: sessions.startsAt }).from(sessions).where(eq(sessions.id, sessionId));
      await updateSession(t.db, { stationId, actorAccountId: actor }, sessionId, { startsAt: new Date(row!.startsAt.getTime() + 3600_000) });
      const v4 = await version();
      expect(v4).toBeGreaterThan(v3);

      await t.db.update(activities).set({ leader: "李医生" }).where(eq(activities.id, activityId));
      const v5 = await version();
      expect(v5).toBeGreaterThan(v4);

      await t.db
        .update(categories)
        .set({ nameEn: "Clinic" })
        .where(eq(categories.id, await categoryId(t.db, stationId, "clinic")));
      expect(await version()).toBeGreaterThan(v5);
    });

    it("a rolled-back change leaves the version where it was", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5 });
      const before = await version();
      await expect(
        t.db.transaction(async (tx) => {
          await tx.update(sessions).set({ capacity: 9 }).where(eq(sessions.id, sessionId));
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await version()).toBe(before);
    });

    it("serves the cached value until the version moves, then rebuilds: a place taken shows at once", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3 });
      let builds = 0;
      const read = () =>
        cachedCalendar(t.db, stationId, `test:${sessionId}`, async () => {
          builds++;
          return (await getSession(t.db, stationId, sessionId))!.taken;
        });
      expect(await read()).toBe(0);
      expect(await read()).toBe(0);
      expect(builds).toBe(1);

      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const [person] = await makePeople(t.db, stationId, 1);
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: person!, partySize: 2 });
      expect(await read()).toBe(2);
      expect(builds).toBe(2);
    });

    it("concurrent readers of one version share one build", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3 });
      let builds = 0;
      const read = () =>
        cachedCalendar(t.db, stationId, `shared:${sessionId}`, async () => {
          builds++;
          return getSession(t.db, stationId, sessionId);
        });
      const results = await Promise.all(Array.from({ length: 8 }, read));
      expect(new Set(results).size).toBe(1);
      expect(builds).toBe(1);
    });

    if (backend.name === "postgres") {
      it("a write through another instance (another pool on the same database) is seen by this one's cache", async () => {
        const { sessionId, activityId } = await makeSession(t.db, stationId, { capacity: 3, title: "旧标题" });
        const read = () => cachedCalendar(t.db, stationId, `title:${sessionId}`, async () => (await getSession(t.db, stationId, sessionId))!.title);
        expect(await read()).toBe("旧标题");
        // The other instance: its own pool and its own cache, the same database.
        const other = await openDatabase({ kind: "postgres", url: await currentUrl(t.db), poolSize: 2 });
        try {
          await other.db.update(activities).set({ title: "新标题" }).where(eq(activities.id, activityId));
        } finally {
          await other.close();
        }
        expect(await read()).toBe("新标题");
      });
    }
  });
}

async function currentUrl(db: Db): Promise<string> {
  const { rows } = await db.execute<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}
