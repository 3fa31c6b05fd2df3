import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople } from "../support/signup-fixtures";
import { recentVisits, tallyVisit, todaysCounts, undoVisit } from "../../models/desk/visits";
import { archiveServiceLine, createServiceLine, insertServiceLines, listServiceLines } from "../../models/desk/service-lines";
import { auditLog, stations, visits } from "../../models/db/schema";
import { Conflict, NotAllowed, NotFound } from "../../models/errors";
import { InvalidDeskInput, ServiceLineRemoved, UndoTooLate } from "../../models/desk/errors";
import type { Actor } from "../../models/permissions";

for (const backend of backends) {
  describe(`drop-in visits on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let admin: Actor;
    let volunteer: Actor;
    let lines: number[] = [];
    const visitCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(visits))[0]!.n;

    beforeAll(async () => {
      // A station whose day turns at a different instant from UTC's and Shanghai's.
      const [station] = await t.db
        .insert(stations)
        .values({ slug: "visits", nameZh: "测试", nameEn: "Test", timeZone: "America/Los_Angeles" })
        .returning();
      stationId = station!.id;
      admin = await makeActor(t.db, stationId, ["admin"]);
      volunteer = await makeActor(t.db, stationId, ["volunteer"]);
      lines = await insertServiceLines(t.db, stationId);
    });

    it("counts a tap on the station's local day, with an optional person of this station", async () => {
      // 2026-12-02 06:30 UTC is still 1 December in Los Angeles.
      const now = new Date("2026-12-02T06:30:00Z");
      const [person] = await makePeople(t.db, stationId, 1);
      const tap = await tallyVisit(t.db, { stationId, actor: volunteer, now }, { serviceLineId: lines[0]!, personId: person! });
      expect(tap).toMatchObject({ localDay: "2026-12-01", count: 1 });
      const many = await tallyVisit(t.db, { stationId, actor: volunteer, now }, { serviceLineId: lines[1]!, count: 5 });
      expect(many.count).toBe(5);
      expect((await todaysCounts(t.db, { stationId, actor: volunteer, now })).get(lines[1]!)).toBe(5);
      const recent = await recentVisits(t.db, { stationId, actor: volunteer, now });
      expect(recent.map((r) => r.id)).toEqual([many.id, tap.id]);
      expect(recent[0]).toMatchObject({ nameZh: "测血糖", mine: true });
    });

    it("refuses bad input, a removed line and foreign people, writing nothing", async () => {
      const now = new Date("2026-12-03T20:00:00Z");
      const ctx = { stationId, actor: volunteer, now };
      const before = await visitCount();
      for (const input of [
        { serviceLineId: lines[0]!, count: 0 },
        { serviceLineId: lines[0]!, count: 51 },
        { serviceLineId: lines[0]!, count: "3" },
        { serviceLineId: "x" },
        { serviceLineId: lines[0]!, at: "not a date" },
        { serviceLineId: lines[0]!, at: new Date(now.getTime() + 3600_000) },
        { serviceLineId: lines[0]!, at: new Date(now.getTime() - 2 * 24 * 3600_000) },
      ])
        await expect(tallyVisit(t.db, ctx, input)).rejects.toBeInstanceOf(InvalidDeskInput);
      const elsewhere = await ensureStation(t.db, "visits-elsewhere");
      const [stranger] = await makePeople(t.db, elsewhere.id, 1);
      await expect(tallyVisit(t.db, ctx, { serviceLineId: lines[0]!, personId: stranger! })).rejects.toMatchObject({
        code: "not_found",
        params: { what: "person" },
      });
      const [foreignLine] = await insertServiceLines(t.db, elsewhere.id, [{ nameZh: "外站", nameEn: "Other", reportingLine: "其他" }]);
      await expect(tallyVisit(t.db, ctx, { serviceLineId: foreignLine! })).rejects.toBeInstanceOf(NotFound);
      const resident = await makeActor(t.db, stationId, ["resident"]);
      await expect(tallyVisit(t.db, { ...ctx, actor: resident }, { serviceLineId: lines[0]! })).rejects.toBeInstanceOf(NotAllowed);

      const removed = await createServiceLine(t.db, { stationId, actor: admin }, { nameZh: "理发", nameEn: "Haircut", reportingLine: "便民服务" });
      await tallyVisit(t.db, ctx, { serviceLineId: removed.id });
      await archiveServiceLine(t.db, { stationId, actor: admin }, removed.id);
      await expect(tallyVisit(t.db, ctx, { serviceLineId: removed.id })).rejects.toBeInstanceOf(ServiceLineRemoved);
      expect(await visitCount()).toBe(before + 1);
      expect((await listServiceLines(t.db, stationId)).map((l) => l.id)).not.toContain(removed.id);
      expect((await listServiceLines(t.db, stationId, { includeArchived: true })).find((l) => l.id === removed.id)).toMatchObject({ archived: true });
    });

    it("lets staff backfill a past day, volunteers only today", async () => {
      const now = new Date("2026-12-10T20:00:00Z");
      const at = new Date("2026-12-05T18:00:00Z");
      await expect(tallyVisit(t.db, { stationId, actor: volunteer, now }, { serviceLineId: lines[2]!, at })).rejects.toBeInstanceOf(InvalidDeskInput);
      expect(await tallyVisit(t.db, { stationId, actor: admin, now }, { serviceLineId: lines[2]!, at: at.toISOString() })).toMatchObject({
        localDay: "2026-12-05",
      });
    });

    it("undoes a tap on its own day only; a volunteer only their own, audited", async () => {
      const now = new Date("2026-12-15T18:00:00Z");
      const mine = await tallyVisit(t.db, { stationId, actor: volunteer, now }, { serviceLineId: lines[0]! });
      const staffTap = await tallyVisit(t.db, { stationId, actor: admin, now }, { serviceLineId: lines[0]! });
      await expect(undoVisit(t.db, { stationId, actor: volunteer, now }, staffTap.id)).rejects.toBeInstanceOf(NotAllowed);
      await undoVisit(t.db, { stationId, actor: volunteer, now }, mine.id);
      expect(await t.db.select().from(visits).where(eq(visits.id, mine.id))).toHaveLength(0);
      expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "visit.undo"))).toHaveLength(1);
      // The next local day (LA) the tap is final.
      const tomorrow = new Date("2026-12-16T09:00:00Z");
      await expect(undoVisit(t.db, { stationId, actor: admin, now: tomorrow }, staffTap.id)).rejects.toBeInstanceOf(UndoTooLate);
      await expect(undoVisit(t.db, { stationId, actor: admin, now }, 987654)).rejects.toBeInstanceOf(NotFound);
      const elsewhere = await ensureStation(t.db, "visits-elsewhere");
      const outsider = await makeActor(t.db, elsewhere.id, ["admin"]);
      await expect(undoVisit(t.db, { stationId: elsewhere.id, actor: outsider, now }, staffTap.id)).rejects.toBeInstanceOf(NotFound);
      expect(await t.db.select().from(visits).where(eq(visits.id, staffTap.id))).toHaveLength(1);
    });

    it("keeps the service-line list for admins; a live name is unique", async () => {
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      await expect(
        createServiceLine(t.db, { stationId, actor: coordinator }, { nameZh: "义剪", nameEn: "Haircut", reportingLine: "便民" }),
      ).rejects.toBeInstanceOf(NotAllowed);
      await expect(
        createServiceLine(t.db, { stationId, actor: admin }, { nameZh: "测血压", nameEn: "BP", reportingLine: "健康监测" }),
      ).rejects.toBeInstanceOf(Conflict);
      await expect(createServiceLine(t.db, { stationId, actor: admin }, { nameZh: "", nameEn: "x", reportingLine: "y" })).rejects.toBeInstanceOf(
        InvalidDeskInput,
      );
      await expect(archiveServiceLine(t.db, { stationId, actor: admin }, 999_999)).rejects.toBeInstanceOf(NotFound);
    });
  });
}
