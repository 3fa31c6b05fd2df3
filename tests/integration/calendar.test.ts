import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, makeAccount, taiChiSeries } from "../support/fixtures";
import { createActivity, extendHorizon, updateActivity } from "../../models/activities";
import { listSessions, updateSession, getSession } from "../../models/sessions";
import { auditLog, sessions } from "../../models/db/schema";
import { InvalidSeries, NotFound } from "../../models/errors";

const zone = "Asia/Shanghai";
// A fixed "now" keeps the expected dates exact: Monday 2026-11-30 09:00 in Shanghai.
const now = DateTime.fromISO("2026-11-30T09:00", { zone }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd HH:mm");

for (const backend of backends) {
  describe(`calendar on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let actor = 0;
    let taiChi = 0;
    const ctx = () => ({ stationId, timeZone: zone, actorAccountId: actor, horizonDays: 60, now });
    const weeklyTaiChi = () =>
      taiChiSeries(taiChi, { startDate: "2026-11-30", rule: { freq: "WEEKLY", interval: 1, byWeekday: ["MO", "WE", "FR"] } });
    const sessionRows = (activityId: number) => t.db.select().from(sessions).where(eq(sessions.activityId, activityId)).orderBy(sessions.startsAt);

    beforeAll(async () => {
      const station = await ensureStation(t.db);
      stationId = station.id;
      actor = (await makeAccount(t.db, stationId, ["coordinator"])).accountId;
      taiChi = await categoryId(t.db, stationId, "tai-chi");
    });

    it("migrates an empty database to the full schema", async () => {
      const tables = await t.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
      const names = (tables.rows as { table_name: string }[]).map((r) => r.table_name);
      for (const table of [
        "stations",
        "people",
        "households",
        "accounts",
        "station_roles",
        "auth_sessions",
        "categories",
        "activities",
        "sessions",
        "audit_log",
      ]) {
        expect(names).toContain(table);
      }
    });

    it("creates a weekly series and materialises its sessions in the station's zone", async () => {
      const id = await createActivity(t.db, ctx(), weeklyTaiChi());
      const rows = await sessionRows(id);
      // Monday 30 Nov 07:30 is already past at 09:00, so the first session is Wednesday.
      expect(local(rows[0]!.startsAt)).toBe("2026-12-02 07:30");
      expect(rows[0]!.startsAt.toISOString()).toBe("2026-12-01T23:30:00.000Z");
      expect(rows.every((r) => ["Mon", "Wed", "Fri"].includes(DateTime.fromJSDate(r.startsAt, { zone }).toFormat("ccc")))).toBe(true);
      // Mon/Wed/Fri from Wed 2 Dec to Fri 29 Jan 07:30 (the horizon ends 29 Jan 09:00): 13 + 13.
      expect(rows.length).toBe(26);
      const audit = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "activity.create")));
      expect(audit).toHaveLength(1);
    });

    it("rejects an invalid series and writes nothing", async () => {
      const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
      const bad = { ...weeklyTaiChi(), rule: { freq: "WEEKLY" as const, interval: 0, byWeekday: ["MO" as const] } };
      await expect(createActivity(t.db, ctx(), bad)).rejects.toBeInstanceOf(InvalidSeries);
      await expect(createActivity(t.db, ctx(), { ...weeklyTaiChi(), categoryId: 999_999 })).rejects.toBeInstanceOf(NotFound);
      const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(sessions);
      expect(after[0]!.n).toBe(before[0]!.n);
    });

    it("edits a series: new days appear, dropped days go, moved sessions stay put", async () => {
      const id = await createActivity(t.db, ctx(), weeklyTaiChi());
      const [first, second] = await sessionRows(id);
      // Move the first session by hand; the series edit must leave it where it was put.
      const movedStart = DateTime.fromISO("2026-12-02T09:00", { zone }).toJSDate();
      await updateSession(t.db, { stationId, actorAccountId: actor }, first!.id, {
        startsAt: movedStart,
        endsAt: new Date(movedStart.getTime() + 3600_000),
        capacity: null,
        location: null,
        status: "scheduled",
      });
      await updateActivity(t.db, ctx(), id, {
        ...weeklyTaiChi(),
        startTime: "08:00",
        rule: { freq: "WEEKLY", interval: 1, byWeekday: ["TU", "WE"] },
        exdates: ["2026-12-09"],
      });
      const rows = await sessionRows(id);
      const keys = rows.map((r) => r.occurrenceKey);
      expect(keys).toContain("2026-12-02"); // the moved one survives
      expect(keys).not.toContain("2026-12-04"); // Fridays are gone
      expect(keys).not.toContain("2026-12-09"); // the exception date
      expect(keys).toContain("2026-12-08"); // Tuesdays arrive
      const moved = rows.find((r) => r.occurrenceKey === "2026-12-02")!;
      expect(local(moved.startsAt)).toBe("2026-12-02 09:00");
      expect(moved.moved).toBe(true);
      expect(rows.filter((r) => !r.moved).every((r) => local(r.startsAt).endsWith("08:00"))).toBe(true);
      expect(second!.occurrenceKey).toBe("2026-12-04");
      expect(new Set(keys).size).toBe(keys.length);
    });

    it("extends the horizon without duplicates, also when run twice at once", async () => {
      const id = await createActivity(t.db, ctx(), weeklyTaiChi());
      const before = (await sessionRows(id)).length;
      const later = { stationId, timeZone: zone, horizonDays: 120, now };
      const [a, b] = await Promise.all([extendHorizon(t.db, later), extendHorizon(t.db, later)]);
      const rows = await sessionRows(id);
      const keys = rows.map((r) => r.occurrenceKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(rows.length).toBeGreaterThan(before);
      expect(await extendHorizon(t.db, later)).toBe(0);
      expect(a + b).toBeGreaterThan(0);
    });

    it("moves, re-caps and cancels one session; a cancelled one stays listed as cancelled", async () => {
      const id = await createActivity(t.db, ctx(), weeklyTaiChi());
      const [row] = await sessionRows(id);
      const start = DateTime.fromISO("2026-12-03T10:00", { zone }).toJSDate();
      await updateSession(t.db, { stationId, actorAccountId: actor }, row!.id, {
        startsAt: start,
        endsAt: new Date(start.getTime() + 90 * 60_000),
        capacity: 12,
        location: "驿站活动室",
        status: "scheduled",
      });
      let view = await getSession(t.db, stationId, row!.id);
      expect(view).toMatchObject({ capacity: 12, capacityOverridden: true, location: "驿站活动室", moved: true });
      await updateSession(t.db, { stationId, actorAccountId: actor }, row!.id, {
        startsAt: start,
        endsAt: new Date(start.getTime() + 90 * 60_000),
        capacity: null,
        location: null,
        status: "cancelled",
      });
      view = await getSession(t.db, stationId, row!.id);
      expect(view).toMatchObject({ status: "cancelled", capacity: 30, location: "社区广场" });
      const listed = await listSessions(t.db, { stationId, from: new Date(start.getTime() - 1), to: new Date(start.getTime() + 1) });
      expect(listed.map((s) => [s.id, s.status])).toContainEqual([row!.id, "cancelled"]);
      const actions = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, row!.id));
      expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["session.move", "session.cancel"]));
    });

    it("refuses a session in another station and one that ends before it starts", async () => {
      const id = await createActivity(t.db, ctx(), weeklyTaiChi());
      const [row] = await sessionRows(id);
      const other = await ensureStation(t.db, "other-station");
      const change = { startsAt: row!.startsAt, endsAt: row!.endsAt, capacity: null, location: null, status: "cancelled" as const };
      await expect(updateSession(t.db, { stationId: other.id, actorAccountId: actor }, row!.id, change)).rejects.toBeInstanceOf(NotFound);
      await expect(updateSession(t.db, { stationId, actorAccountId: actor }, row!.id, { ...change, endsAt: row!.startsAt })).rejects.toMatchObject({
        code: "ends_before_start",
      });
      expect((await getSession(t.db, stationId, row!.id))!.status).toBe("scheduled");
    });

    it("keeps the audit log append-only in the engine", async () => {
      await expect(t.db.update(auditLog).set({ action: "tampered" })).rejects.toThrow();
      await expect(t.db.delete(auditLog)).rejects.toThrow();
    });
  });
}
